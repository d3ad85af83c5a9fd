//! The incident's scope: affected assets and business services with their
//! containment states, moved forward one step or back with a note.

use super::{ErrorAlert, FieldMessage, field_error};
use crate::api::{AddAffectedItem, SetContainmentState};
use crate::domain::Code;
use crate::domain::incident::display_time;
use crate::domain::scope::{AffectedItem, AssetKind, ContainmentState};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Scope(
    reference: String,
    items: Vec<AffectedItem>,
    add: ServerAction<AddAffectedItem>,
    set_state: ServerAction<SetContainmentState>,
) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let state_error = Signal::derive(move || set_state.value().get().and_then(|r| r.err()));
    let name_msg = field_error(add_error, "name");
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|item| view! { <ScopeRow reference=reference.clone() item=item action=set_state/> })
        .collect_view();
    let kinds = AssetKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view();
    view! {
        <section class="card" aria-labelledby="scope-heading" data-testid="scope">
            <h2 id="scope-heading" class="mb-3 text-lg font-semibold">"Affected assets and services"</h2>
            <ErrorAlert error=state_error spell_out_fields=true testid="scope-error"/>
            <Show when=move || empty>
                <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">"Nothing in scope yet."</p>
            </Show>
            <ul class="mb-4 space-y-2">{rows}</ul>
            <ActionForm action=add attr:class="grid gap-3 md:grid-cols-[auto_1fr_auto] md:items-end" attr:novalidate="true" attr:aria-label="Add to scope">
                <input type="hidden" name="reference" value=reference/>
                <div class="field">
                    <label for="scope-kind">"Asset or service"</label>
                    <select id="scope-kind" name="affected[kind]">{kinds}</select>
                </div>
                <div class="field">
                    <label for="scope-name">"Name"</label>
                    <input id="scope-name" name="affected[name]" type="text" maxlength="200" aria-describedby="scope-name-error"
                        aria-invalid=move || name_msg.get().is_some().to_string()/>
                    <FieldMessage id="scope-name-error" message=name_msg/>
                </div>
                <button type="submit" class="btn-primary" data-testid="add-affected">"Add"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ScopeRow(reference: String, item: AffectedItem, action: ServerAction<SetContainmentState>) -> impl IntoView {
    let forward = item.state.next().map(|next| {
        let (reference, id) = (reference.clone(), item.id.clone());
        let label = format!("Mark {} {}", item.name, next.label().to_lowercase());
        view! {
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="reference" value=reference/>
                <input type="hidden" name="item_id" value=id/>
                <input type="hidden" name="to" value=next.code()/>
                <button type="submit" class="btn-small" aria-label=label>{format!("→ {}", next.label())}</button>
            </ActionForm>
        }
    });
    let earlier: Vec<ContainmentState> =
        ContainmentState::ALL.iter().copied().take_while(|s| *s != item.state).collect();
    let back = (!earlier.is_empty()).then(|| {
        let (reference, id) = (reference.clone(), item.id.clone());
        let options =
            earlier.iter().rev().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view();
        let select_id = format!("scope-back-{}", item.id);
        let note_id = format!("scope-note-{}", item.id);
        view! {
            <details class="mt-1 text-sm">
                <summary class="cursor-pointer">"Move back…"</summary>
                <ActionForm action=action attr:class="mt-2 flex flex-wrap items-end gap-2">
                    <input type="hidden" name="reference" value=reference/>
                    <input type="hidden" name="item_id" value=id/>
                    <div class="field">
                        <label for=select_id.clone()>"Back to"</label>
                        <select id=select_id name="to">{options}</select>
                    </div>
                    <div class="field">
                        <label for=note_id.clone()>"Why"</label>
                        <input id=note_id name="note" type="text"/>
                    </div>
                    <button type="submit" class="btn-small">"Move back"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <li class="rounded border border-slate-200 p-2 dark:border-slate-700" data-testid="affected-item" data-state=item.state.code()>
            <div class="flex flex-wrap items-center gap-2">
                <span class="text-xs">{item.kind.label()}</span>
                <span class="font-semibold">{item.name.clone()}</span>
                <span class="badge bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-50" data-testid="affected-state">
                    {item.state.label()}
                </span>
                <span class="text-xs text-slate-700 dark:text-slate-300">{format!("since {}", display_time(item.state_changed_at))}</span>
                {forward}
            </div>
            {back}
        </li>
    }
}
