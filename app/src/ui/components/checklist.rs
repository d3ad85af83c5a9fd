//! An incident's phase checklists: tick items with an optional note, see
//! owners, due times and who did what, and add ad-hoc items.

use super::{ErrorAlert, FieldMessage, field_error};
use crate::api::{AddChecklistItem, EditChecklistItem, SetChecklistItem};
use crate::domain::checklist::progress;
use crate::domain::incident::{display_time, input_time};
use crate::domain::playbook::working_phases;
use crate::domain::{ChecklistItem, Code, Phase};
use chrono::{DateTime, Utc};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Checklist(
    reference: String,
    items: Vec<ChecklistItem>,
    current: Phase,
    now: DateTime<Utc>,
    set_item: ServerAction<SetChecklistItem>,
    add_item: ServerAction<AddChecklistItem>,
    edit_item: ServerAction<EditChecklistItem>,
) -> impl IntoView {
    let edit_error = Signal::derive(move || edit_item.value().get().and_then(|r| r.err()));
    let sections = working_phases()
        .filter(|phase| *phase == current || items.iter().any(|i| i.phase == *phase))
        .map(|phase| {
            let p = progress(&items, phase, now);
            let heading = format!(
                "{}{} — {} of {} done",
                phase.label(),
                if phase == current { " (current phase)" } else { "" },
                p.done,
                p.total
            );
            let rows = items
                .iter()
                .filter(|i| i.phase == phase)
                .cloned()
                .map(|item| view! { <ChecklistRow reference=reference.clone() item=item now=now action=set_item edit=edit_item/> })
                .collect_view();
            let empty = p.total == 0;
            // The current phase is open; the others fold away until needed.
            view! {
                <details class="mb-4" open=phase == current data-testid=format!("checklist-{}", phase.code())>
                    <summary class="mb-2 cursor-pointer font-semibold">{heading}</summary>
                    <Show when=move || empty>
                        <p class="text-sm text-slate-700 dark:text-slate-300">"No items for this phase."</p>
                    </Show>
                    <ul class="space-y-2">{rows}</ul>
                </details>
            }
        })
        .collect_view();
    let has_items = !items.is_empty();
    view! {
        <section class="card" aria-labelledby="checklist-heading" data-testid="checklist">
            <h2 id="checklist-heading" class="mb-3 text-lg font-semibold">"Checklist"</h2>
            <ErrorAlert error=edit_error spell_out_fields=true prefix="Item not changed: " testid="checklist-edit-error"/>
            <Show when=move || !has_items>
                <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">
                    "Classify the incident to get the matching playbook's checklist, or add items below."
                </p>
            </Show>
            {sections}
            <AddItemForm reference=reference current=current action=add_item/>
        </section>
    }
}

#[component]
fn ChecklistRow(
    reference: String,
    item: ChecklistItem,
    now: DateTime<Utc>,
    action: ServerAction<SetChecklistItem>,
    edit: ServerAction<EditChecklistItem>,
) -> impl IntoView {
    let done = item.is_done();
    let edit_label = format!("Edit owner, due time and note of: {}", item.text);
    let (edit_reference, edit_id) = (reference.clone(), item.id.clone());
    let (owner_value, due_value, note_value) =
        (item.owner.clone().unwrap_or_default(), item.due_at.map(input_time).unwrap_or_default(), item.note.clone());
    let overdue = item.is_overdue(now);
    let button_label = if done { format!("Reopen: {}", item.text) } else { format!("Mark done: {}", item.text) };
    let note_label = format!("Note for: {}", item.text);
    let mut details = Vec::new();
    if let Some(role) = item.owner_role {
        details.push(format!("Role: {}", role.label()));
    }
    if let Some(owner) = &item.owner {
        details.push(format!("Owner: {owner}"));
    }
    if let Some(due) = item.due_at {
        details.push(format!("Due {}", display_time(due)));
    }
    if let (Some(at), Some(by)) = (item.done_at, &item.done_by) {
        details.push(format!("Done by {by} at {}", display_time(at)));
    }
    if !item.note.is_empty() {
        details.push(format!("Note: {}", item.note));
    }
    view! {
        <li class="rounded border border-slate-200 p-2 dark:border-slate-700" data-testid="checklist-item"
            data-done=done.to_string() data-required=item.required.to_string()>
            <ActionForm action=action attr:class="flex flex-wrap items-start gap-2">
                <input type="hidden" name="reference" value=reference/>
                <input type="hidden" name="item_id" value=item.id.clone()/>
                <input type="hidden" name="done" value=(!done).to_string()/>
                <button type="submit" class="btn-small" aria-label=button_label>
                    {if done { "Reopen" } else { "Mark done" }}
                </button>
                <div class="min-w-0 flex-1">
                    <p class=if done { "line-through" } else { "" }>
                        {item.text.clone()}
                        {item.required.then(|| view! { <span class="badge ml-2 bg-slate-200 text-slate-900">"Required"</span> })}
                        {overdue.then(|| view! { <span class="badge ml-2 bg-red-700 text-white">"Overdue"</span> })}
                    </p>
                    <p class="text-xs text-slate-700 dark:text-slate-300">{details.join(" · ")}</p>
                    {(!done).then(|| view! {
                        <input name="note" type="text" maxlength="2000" class="mt-1 w-full rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100"
                            placeholder="Note (optional)" aria-label=note_label/>
                    })}
                </div>
            </ActionForm>
            <details class="mt-1 text-sm">
                <summary class="cursor-pointer" aria-label=edit_label.clone()>"Edit"</summary>
                <ActionForm action=edit attr:class="mt-2 grid gap-2 md:grid-cols-3 md:items-end" attr:aria-label=edit_label>
                    <input type="hidden" name="reference" value=edit_reference/>
                    <input type="hidden" name="item_id" value=edit_id/>
                    <label class="field">"Owner" <input name="edit[owner]" type="text" value=owner_value/></label>
                    <label class="field">"Due (UTC)" <input name="edit[due_at]" type="datetime-local" value=due_value/></label>
                    <label class="field md:col-span-3">"Note" <input name="edit[note]" type="text" maxlength="2000" value=note_value/></label>
                    <button type="submit" class="btn-small md:justify-self-start">"Save item"</button>
                </ActionForm>
            </details>
        </li>
    }
}

#[component]
fn AddItemForm(reference: String, current: Phase, action: ServerAction<AddChecklistItem>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let text_msg = field_error(error, "text");
    let phase_msg = field_error(error, "phase");
    let owner_msg = field_error(error, "owner");
    let due_msg = field_error(error, "due_at");
    let options = working_phases()
        .map(|p| view! { <option value=p.code() selected=p == current>{p.label()}</option> })
        .collect_view();
    view! {
        <details class="mt-2">
            <summary class="cursor-pointer font-medium">"Add an item or task"</summary>
            <ActionForm action=action attr:class="mt-3 grid gap-3 md:grid-cols-2" attr:novalidate="true" attr:aria-label="Add checklist item">
                <input type="hidden" name="reference" value=reference/>
                <div class="field md:col-span-2">
                    <label for="item-text">"Item"</label>
                    <input id="item-text" name="item[text]" type="text" maxlength="500" aria-describedby="item-text-error"
                        aria-invalid=move || text_msg.get().is_some().to_string()/>
                    <FieldMessage id="item-text-error" message=text_msg/>
                </div>
                <div class="field">
                    <label for="item-phase">"Phase"</label>
                    <select id="item-phase" name="item[phase]" aria-describedby="item-phase-error">{options}</select>
                    <FieldMessage id="item-phase-error" message=phase_msg/>
                </div>
                <div class="field">
                    <label for="item-owner">"Owner"</label>
                    <input id="item-owner" name="item[owner]" type="text" maxlength="120" aria-describedby="item-owner-error"/>
                    <FieldMessage id="item-owner-error" message=owner_msg/>
                </div>
                <div class="field">
                    <label for="item-due">"Due (UTC)"</label>
                    <input id="item-due" name="item[due_at]" type="datetime-local" aria-describedby="item-due-error"
                        aria-invalid=move || due_msg.get().is_some().to_string()/>
                    <FieldMessage id="item-due-error" message=due_msg/>
                </div>
                <div class="flex items-center gap-2">
                    <input id="item-required" name="item[required]" type="checkbox" value="on"/>
                    <label for="item-required">"Required to leave the phase"</label>
                </div>
                <div class="md:col-span-2">
                    <button type="submit" class="btn-primary" data-testid="add-checklist-item">"Add item"</button>
                </div>
            </ActionForm>
        </details>
    }
}
