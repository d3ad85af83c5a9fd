//! Preparation: the incident response plan with its versions, the response
//! team, the stakeholder directory and the readiness checklist.

use crate::api::{
    AddReadinessItem, AddRosterEntry, AddStakeholder, PreparationPage as Data, PublishPlan, RemovePreparationEntry,
    VerifyReadinessItem, load_preparation,
};
use crate::domain::Code;
use crate::domain::incident::display_time;
use crate::domain::playbook::IrRole;
use crate::domain::preparation::Audience;
use crate::ui::components::{ErrorAlert, FieldMessage, TextField, field_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    publish: ServerAction<PublishPlan>,
    roster: ServerAction<AddRosterEntry>,
    stakeholder: ServerAction<AddStakeholder>,
    readiness: ServerAction<AddReadinessItem>,
    verify: ServerAction<VerifyReadinessItem>,
    remove: ServerAction<RemovePreparationEntry>,
}

#[component]
pub fn PreparationPage() -> impl IntoView {
    let query = use_query_map();
    let version = Memo::new(move |_| query.read().get("version").unwrap_or_default());
    let a = Actions {
        publish: ServerAction::new(),
        roster: ServerAction::new(),
        stakeholder: ServerAction::new(),
        readiness: ServerAction::new(),
        verify: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let refresh = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = matches!(a.publish.value().get(), Some(Ok(_)))
            | matches!(a.roster.value().get(), Some(Ok(_)))
            | matches!(a.stakeholder.value().get(), Some(Ok(_)))
            | matches!(a.readiness.value().get(), Some(Ok(_)))
            | matches!(a.verify.value().get(), Some(Ok(_)))
            | matches!(a.remove.value().get(), Some(Ok(_)));
        if ok {
            refresh.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (version.get(), refresh.get()), |(v, _)| load_preparation(v));
    view! {
        <Title text="Preparation"/>
        <h1 class="mb-2 text-2xl font-semibold">"Preparation"</h1>
        <p class="mb-4">
            <a class="link" href="/preparation/playbooks" data-testid="playbooks-link">"Playbooks"</a>
            ": the checklist each kind of incident starts with, phase by phase. "
            <a class="link" href="/preparation/regulatory" data-testid="regulatory-link">"Regulatory notifications"</a>
            ": the regimes whose clocks run on incidents, and the holiday calendar."
        </p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Sections data=d actions=a/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <super::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sections(data: Data, actions: Actions) -> impl IntoView {
    let Data { plan, history, roster, stakeholders, readiness, stale, may_edit, now: _ } = data;
    let remove_error = Signal::derive(move || {
        actions
            .remove
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| actions.verify.value().get().and_then(|r| r.err()))
    });
    let remove_button = move |list: &'static str, id: String, label: String| {
        may_edit.then(|| {
            view! {
                <ActionForm action=actions.remove attr:class="inline">
                    <input type="hidden" name="list" value=list/>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn-small" aria-label=label>"Remove"</button>
                </ActionForm>
            }
        })
    };
    let plan_view = match plan {
        None => view! { <p data-testid="no-plan">"No plan has been published yet."</p> }.into_any(),
        Some(p) => {
            let banner = if !p.current {
                Some(
                    view! { <p role="note" class="mb-2 rounded border border-slate-400 p-2">
                        {format!("You are reading version {}, not the current one. ", p.plan.version)}
                        <a class="link" href="/preparation">"Read the current version"</a>
                    </p> }
                    .into_any(),
                )
            } else if p.review_overdue {
                Some(view! { <p role="alert" data-testid="plan-overdue" class="mb-2 rounded border border-red-600 bg-red-50 p-2 text-red-900 dark:bg-red-950 dark:text-red-100">
                    {format!("Review overdue: this plan was due for review on {}.", p.plan.next_review_on)}
                </p> }.into_any())
            } else {
                None
            };
            view! {
                {banner}
                <p class="text-sm text-slate-700 dark:text-slate-300" data-testid="plan-meta">
                    {format!(
                        "Version {} · approved by {} on {} · next review {} · published by {} {}",
                        p.plan.version, p.plan.approver, p.plan.approved_on, p.plan.next_review_on,
                        p.plan.published_by, display_time(p.plan.published_at)
                    )}
                </p>
                <article class="prose-plan mt-3 max-w-none" data-testid="plan-body" inner_html=p.html></article>
            }
            .into_any()
        }
    };
    let history_view = (history.len() > 1).then(|| {
        let items = history
            .into_iter()
            .map(|h| view! {
                <li><a class="link" href=format!("/preparation?version={}", h.version)>{format!("Version {}", h.version)}</a>
                    {format!(" · approved by {} on {} · published by {}", h.approver, h.approved_on, h.published_by)}</li>
            })
            .collect_view();
        view! {
            <details class="mt-3"><summary class="cursor-pointer">"Earlier versions"</summary><ul class="mt-2 space-y-1">{items}</ul></details>
        }
    });

    let roster_rows = roster
        .into_iter()
        .map(|r| {
            let label = format!("Remove {} from the roster", r.name);
            view! {
                <tr class="border-t border-slate-200 align-top dark:border-slate-700" data-testid="roster-entry">
                    <td class="p-2">{r.name.clone()}</td>
                    <td class="p-2">{r.role.label()}</td>
                    <td class="p-2">{r.contact.clone()}</td>
                    <td class="p-2">{r.notes.clone()}</td>
                    <td class="p-2">{remove_button("roster", r.id.clone(), label)}</td>
                </tr>
            }
        })
        .collect_view();
    let stakeholder_rows = stakeholders
        .into_iter()
        .map(|s| {
            let label = format!("Remove {} from the directory", s.name);
            view! {
                <tr class="border-t border-slate-200 align-top dark:border-slate-700" data-testid="stakeholder">
                    <td class="p-2">{s.audience.label()}</td>
                    <td class="p-2">{s.name.clone()}</td>
                    <td class="p-2">{s.contact.clone()}</td>
                    <td class="p-2">{s.notes.clone()}</td>
                    <td class="p-2">{remove_button("stakeholders", s.id.clone(), label)}</td>
                </tr>
            }
        })
        .collect_view();
    let readiness_rows = readiness
        .into_iter()
        .map(|r| {
            let is_stale = stale.contains(&r.id);
            let verified = match (r.last_verified_at, &r.verified_by) {
                (Some(at), Some(by)) => format!("{} by {by}", display_time(at)),
                (Some(at), None) => display_time(at),
                _ => "Never".into(),
            };
            let label = format!("Remove {}", r.name);
            let verify_label = format!("Mark {} verified now", r.name);
            let id = r.id.clone();
            let verify = may_edit.then(|| view! {
                <ActionForm action=actions.verify attr:class="inline">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="btn-small" aria-label=verify_label>"Verified now"</button>
                </ActionForm>
            });
            view! {
                <tr class="border-t border-slate-200 align-top dark:border-slate-700" data-testid="readiness-item" data-stale=is_stale.to_string()>
                    <td class="p-2">{r.name.clone()}
                        {is_stale.then(|| view! { " " <span class="badge bg-red-700 text-white" data-testid="stale">"Needs verifying"</span> })}
                    </td>
                    <td class="p-2">{r.owner.clone()}</td>
                    <td class="p-2">{format!("every {} days", r.interval_days)}</td>
                    <td class="p-2">{verified}</td>
                    <td class="p-2 flex gap-2">{verify}{remove_button("readiness", r.id.clone(), label)}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <ErrorAlert error=remove_error testid="preparation-error"/>
        <div class="grid gap-6 xl:grid-cols-2">
            <section class="card xl:col-span-2" aria-labelledby="plan-heading">
                <h2 id="plan-heading" class="text-lg font-semibold">"Incident response plan"</h2>
                {plan_view}
                {history_view}
                {may_edit.then(|| view! { <PlanEditor action=actions.publish/> })}
            </section>
            <section class="card" aria-labelledby="roster-heading">
                <h2 id="roster-heading" class="text-lg font-semibold">"Response team"</h2>
                <div class="overflow-x-auto"><table class="w-full text-left text-sm">
                    <caption class="sr-only">"Response team roster"</caption>
                    <thead><tr><th scope="col" class="p-2">"Name"</th><th scope="col" class="p-2">"Role"</th><th scope="col" class="p-2">"Contact"</th><th scope="col" class="p-2">"On-call notes"</th><th scope="col" class="p-2"><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>{roster_rows}</tbody>
                </table></div>
                {may_edit.then(|| view! { <RosterEditor action=actions.roster/> })}
            </section>
            <section class="card" aria-labelledby="stakeholders-heading">
                <h2 id="stakeholders-heading" class="text-lg font-semibold">"Stakeholders"</h2>
                <div class="overflow-x-auto"><table class="w-full text-left text-sm">
                    <caption class="sr-only">"Stakeholder directory"</caption>
                    <thead><tr><th scope="col" class="p-2">"Audience"</th><th scope="col" class="p-2">"Name"</th><th scope="col" class="p-2">"Contact"</th><th scope="col" class="p-2">"Notes"</th><th scope="col" class="p-2"><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>{stakeholder_rows}</tbody>
                </table></div>
                {may_edit.then(|| view! { <StakeholderEditor action=actions.stakeholder/> })}
            </section>
            <section class="card xl:col-span-2" aria-labelledby="readiness-heading">
                <h2 id="readiness-heading" class="text-lg font-semibold">"Readiness"</h2>
                <div class="overflow-x-auto"><table class="w-full text-left text-sm">
                    <caption class="sr-only">"Readiness checklist"</caption>
                    <thead><tr><th scope="col" class="p-2">"Tool or resource"</th><th scope="col" class="p-2">"Owner"</th><th scope="col" class="p-2">"Verify"</th><th scope="col" class="p-2">"Last verified"</th><th scope="col" class="p-2"><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>{readiness_rows}</tbody>
                </table></div>
                {may_edit.then(|| view! { <ReadinessEditor action=actions.readiness/> })}
            </section>
        </div>
    }
}

#[component]
fn PlanEditor(action: ServerAction<PublishPlan>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let body_msg = field_error(error, "body");
    view! {
        <details class="mt-4">
            <summary class="cursor-pointer font-semibold">"Publish a new version"</summary>
            <ActionForm action=action attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="Publish a plan version">
                <div class="field">
                    <label for="plan-body">"Plan (Markdown)"</label>
                    <textarea id="plan-body" name="plan[body]" rows="12" aria-describedby="plan-body-error"
                        aria-invalid=move || body_msg.get().is_some().to_string()></textarea>
                    <FieldMessage id="plan-body-error" message=body_msg/>
                </div>
                <div class="grid gap-3 md:grid-cols-3">
                    <TextField id="plan-approver" name="plan[approver]" label="Approved by" message=field_error(error, "approver")/>
                    <TextField id="plan-approved-on" name="plan[approved_on]" label="Approved on" kind="date" message=field_error(error, "approved_on")/>
                    <TextField id="plan-next-review" name="plan[next_review_on]" label="Next review" kind="date" message=field_error(error, "next_review_on")/>
                </div>
                <button type="submit" class="btn-primary">"Publish"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn RosterEditor(action: ServerAction<AddRosterEntry>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let roles = IrRole::ALL.iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view();
    view! {
        <ActionForm action=action attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="Add to the roster">
            <TextField id="roster-name" name="entry[name]" label="Name" message=field_error(error, "name")/>
            <div class="field">
                <label for="roster-role">"Role"</label>
                <select id="roster-role" name="entry[role]">{roles}</select>
            </div>
            <TextField id="roster-contact" name="entry[contact]" label="Contact" message=field_error(error, "contact")/>
            <TextField id="roster-notes" name="entry[notes]" label="On-call notes" message=field_error(error, "notes")/>
            <button type="submit" class="btn-small">"Add to the roster"</button>
        </ActionForm>
    }
}

#[component]
fn StakeholderEditor(action: ServerAction<AddStakeholder>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let audiences = Audience::ALL.iter().map(|a| view! { <option value=a.code()>{a.label()}</option> }).collect_view();
    view! {
        <ActionForm action=action attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="Add a stakeholder">
            <div class="field">
                <label for="stakeholder-audience">"Audience"</label>
                <select id="stakeholder-audience" name="stakeholder[audience]">{audiences}</select>
            </div>
            <TextField id="stakeholder-name" name="stakeholder[name]" label="Name" message=field_error(error, "name")/>
            <TextField id="stakeholder-contact" name="stakeholder[contact]" label="Contact" message=field_error(error, "contact")/>
            <TextField id="stakeholder-notes" name="stakeholder[notes]" label="Notes" message=field_error(error, "notes")/>
            <button type="submit" class="btn-small">"Add stakeholder"</button>
        </ActionForm>
    }
}

#[component]
fn ReadinessEditor(action: ServerAction<AddReadinessItem>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action=action attr:class="mt-3 grid gap-3 md:grid-cols-4 md:items-start" attr:novalidate="true" attr:aria-label="Add a readiness item">
            <TextField id="readiness-name" name="item[name]" label="Tool or resource" message=field_error(error, "name")/>
            <TextField id="readiness-owner" name="item[owner]" label="Owner" message=field_error(error, "owner")/>
            <TextField id="readiness-interval" name="item[interval_days]" label="Verify every (days)" kind="number" message=field_error(error, "interval_days")/>
            <TextField id="readiness-notes" name="item[notes]" label="Notes" message=field_error(error, "notes")/>
            <button type="submit" class="btn-small md:col-span-4 md:justify-self-start">"Add readiness item"</button>
        </ActionForm>
    }
}
