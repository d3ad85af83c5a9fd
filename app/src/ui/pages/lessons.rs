//! The lessons-learned form of an incident (`/incidents/:reference/lessons`):
//! one plain column that works on a phone, for commanders, responders and
//! the staff who reported the incident. Blameless by design.

use crate::api::{AddActionItem, LessonsPage as Data, SaveLessons, SetActionStatus, load_lessons};
use crate::domain::Code;
use crate::domain::incident::display_time;
use crate::domain::lessons::ActionStatus;
use crate::error::AppError;
use crate::ui::components::{ErrorAlert, FieldMessage, LessonsDetails, PhaseBadge, TextField, field_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveLessons>,
    add: ServerAction<AddActionItem>,
    status: ServerAction<SetActionStatus>,
}

#[component]
pub fn LessonsPage() -> impl IntoView {
    let params = use_params_map();
    let reference = Memo::new(move |_| params.read().get("reference").unwrap_or_default());
    let a = Actions { save: ServerAction::new(), add: ServerAction::new(), status: ServerAction::new() };
    let refresh = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = matches!(a.save.value().get(), Some(Ok(_)))
            | matches!(a.add.value().get(), Some(Ok(_)))
            | matches!(a.status.value().get(), Some(Ok(_)));
        if ok {
            refresh.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (reference.get(), refresh.get()), |(r, _)| load_lessons(r));
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <LessonsView data=d actions=a/> }.into_any(),
                    Err(AppError::NotFound) => view! { <super::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LessonsView(data: Data, actions: Actions) -> impl IntoView {
    let Data { reference, title, phase, lessons, actions: items, may_edit, today } = data;
    let saved = lessons.as_ref().map(|l| format!("Last saved by {} at {}.", l.updated_by, display_time(l.updated_at)));
    let version = lessons.as_ref().map(|l| l.version).unwrap_or(0);
    let l = lessons.unwrap_or_default();
    let error = Signal::derive(move || actions.save.value().get().and_then(|r| r.err()));
    let conflict = Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let saved_ok = Signal::derive(move || matches!(actions.save.value().get(), Some(Ok(_))));
    let section = |name: &'static str, label: &'static str, hint: &'static str, value: String| {
        let id = format!("lessons-{name}");
        let msg = field_error(error, name);
        let described = format!("{id}-hint {id}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <p id=format!("{id}-hint") class="text-xs text-slate-700 dark:text-slate-300">{hint}</p>
                <textarea id=id.clone() name=format!("lessons[{name}]") rows="4" aria-describedby=described
                    aria-invalid=move || msg.get().is_some().to_string()>{value}</textarea>
                <FieldMessage id=format!("{id}-error") message=msg/>
            </div>
        }
    };
    let fields = view! {
        {section("summary", "Summary", "What happened and how it was resolved, in a few sentences.", l.summary.clone())}
        {section("went_well", "What went well", "Keep doing these.", l.went_well.clone())}
        {section("went_wrong", "What went wrong", "Describe what happened, not who is to blame.", l.went_wrong.clone())}
        {section("root_cause", "Root cause", "The underlying cause, as far as it is known.", l.root_cause.clone())}
        {section("contributing_factors", "Contributing factors", "Conditions that made it possible or worse.", l.contributing_factors.clone())}
        {section("detection_gaps", "Detection gaps", "What we did not see, or saw late.", l.detection_gaps.clone())}
        {section("recommendations", "Recommendations", "What should change; turn each into an action item below.", l.recommendations.clone())}
    };
    let held = l.review_held_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let attendees = l.attendees.clone();
    let form_reference = reference.clone();
    let form = view! {
        <ActionForm action=actions.save attr:class="space-y-4" attr:novalidate="true" attr:aria-label="Lessons-learned review">
            <input type="hidden" name="reference" value=form_reference/>
            <input type="hidden" name="version" value=version.to_string()/>
            <ErrorAlert error=conflict testid="lessons-error"/>
            {fields}
            <TextField id="lessons-review_held_on" name="lessons[review_held_on]" label="Review held on" kind="date"
                value=held message=field_error(error, "review_held_on")/>
            <TextField id="lessons-attendees" name="lessons[attendees]" label="Who took part" value=attendees
                message=field_error(error, "attendees")/>
            <div class="flex flex-wrap items-center gap-3">
                <button type="submit" class="btn-primary" data-testid="save-lessons">"Save the review"</button>
                <Show when=move || saved_ok.get()>
                    <span role="status" class="text-sm" data-testid="lessons-saved">"Saved."</span>
                </Show>
            </div>
        </ActionForm>
    };
    let rows = items
        .into_iter()
        .map(|item| {
            let overdue = item.is_overdue(today);
            let options = ActionStatus::ALL
                .iter()
                .map(|s| view! { <option value=s.code() selected=*s == item.status>{s.label()}</option> })
                .collect_view();
            let select_id = format!("action-status-{}", item.id);
            let change = may_edit.then(|| {
                let (reference, id, select_id) = (reference.clone(), item.id.clone(), select_id.clone());
                let label = format!("Status of “{}”", item.text);
                view! {
                    <ActionForm action=actions.status attr:class="flex flex-wrap items-end gap-2">
                        <input type="hidden" name="reference" value=reference/>
                        <input type="hidden" name="item_id" value=id/>
                        <div class="field">
                            <label for=select_id.clone() class="sr-only">{label}</label>
                            <select id=select_id name="status">{options}</select>
                        </div>
                        <button type="submit" class="btn-small">"Update"</button>
                    </ActionForm>
                }
            });
            view! {
                <li class="rounded border border-slate-200 p-3 dark:border-slate-700" data-testid="action-item"
                    data-status=item.status.code()>
                    <p class="font-medium">{item.text.clone()}</p>
                    <p class="text-sm">
                        {format!("Owner: {} · due {} · {}", item.owner, item.due_on, item.status.label())}
                        {overdue.then(|| view! { " " <span class="badge bg-red-700 text-white">"Overdue"</span> })}
                    </p>
                    {change}
                </li>
            }
        })
        .collect_view();
    let add_error = Signal::derive(move || actions.add.value().get().and_then(|r| r.err()));
    let add_reference = reference.clone();
    let add_form = may_edit.then(move || {
        view! {
            <ActionForm action=actions.add attr:class="space-y-3" attr:novalidate="true" attr:aria-label="Add an action item">
                <input type="hidden" name="reference" value=add_reference/>
                <TextField id="action-text" name="item[text]" label="Action" message=field_error(add_error, "text")/>
                <TextField id="action-owner" name="item[owner]" label="Owner" message=field_error(add_error, "owner")/>
                <TextField id="action-due" name="item[due_on]" label="Due on" kind="date" message=field_error(add_error, "due_on")/>
                <button type="submit" class="btn">"Add action item"</button>
            </ActionForm>
        }
    });
    let status_error = Signal::derive(move || actions.status.value().get().and_then(|r| r.err()));
    view! {
        <Title text=format!("Lessons learned · {reference}")/>
        <div class="mx-auto max-w-2xl space-y-6">
            <div>
                <p class="text-sm"><a class="link" href=format!("/incidents/{reference}")>{format!("{reference}: {title}")}</a></p>
                <h1 class="text-2xl font-semibold">"Lessons learned"</h1>
                <div class="mt-1 flex items-center gap-2 text-sm">"Phase:" <PhaseBadge phase=phase/></div>
                <p class="mt-2 text-sm">
                    "This review is blameless: it looks at what happened and what to change, never at who to blame. "
                    "Closing the incident waits for a summary and the date the review was held."
                </p>
                {saved.map(|s| view! { <p class="mt-1 text-xs text-slate-700 dark:text-slate-300">{s}</p> })}
            </div>
            {if may_edit {
                form.into_any()
            } else {
                view! { <div class="card text-sm"><LessonsDetails lessons=l testid="lessons-read-only"/></div> }.into_any()
            }}
            <section class="card space-y-3" aria-labelledby="actions-heading">
                <h2 id="actions-heading" class="text-lg font-semibold">"Action items"</h2>
                <ErrorAlert error=status_error/>
                <ul class="space-y-2">{rows}</ul>
                {add_form}
            </section>
        </div>
    }
}
