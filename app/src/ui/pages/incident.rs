//! The incident page: every field (editable with optimistic concurrency),
//! phase controls, milestones, and the timeline with its entry form.

use crate::api::{
    AddAffectedItem, AddChecklistItem, AddEvidence, AddIndicator, AddMember, AddTimelineEntry, ApproveUpdate,
    AssignIncidentRole, EditChecklistItem, HandOverEvidence, IncidentPage as IncidentData, MarkDeliveryTold,
    MoveIncident, RemoveMember, RetryDelivery, SaveUpdate, SendUpdate, SetChecklistItem, SetContainmentState,
    SetRestricted, UpdateIncident, load_incident,
};
use crate::domain::incident::display_time;
use crate::domain::{Code, Incident, IncidentForm, TimelineEvent, TimelineKind};
use crate::error::AppError;
use crate::ui::components::{
    Checklist, ErrorAlert, Evidence, FieldMessage, IncidentFieldset, Indicators, Members, PhaseBadge, PriorityBadge,
    RegulatoryClocks, Scope, StakeholderUpdates, Team, TlpBadge, UpdateActions, field_error,
};
use chrono::{DateTime, Utc};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let reference = Memo::new(move |_| params.read().get("reference").unwrap_or_default());
    let update = ServerAction::<UpdateIncident>::new();
    let moves = ServerAction::<MoveIncident>::new();
    let add_entry = ServerAction::<AddTimelineEntry>::new();
    let set_item = ServerAction::<SetChecklistItem>::new();
    let add_item = ServerAction::<AddChecklistItem>::new();
    let add_indicator = ServerAction::<AddIndicator>::new();
    let add_evidence = ServerAction::<AddEvidence>::new();
    let hand_over = ServerAction::<HandOverEvidence>::new();
    let add_affected = ServerAction::<AddAffectedItem>::new();
    let set_state = ServerAction::<SetContainmentState>::new();
    let set_restricted = ServerAction::<SetRestricted>::new();
    let edit_item = ServerAction::<EditChecklistItem>::new();
    let add_member = ServerAction::<AddMember>::new();
    let remove_member = ServerAction::<RemoveMember>::new();
    let assign = ServerAction::<AssignIncidentRole>::new();
    // Reload after successful changes only: a failed edit keeps what the
    // user typed on screen.
    let refresh = RwSignal::new(0u32);
    let updates = UpdateActions {
        save: ServerAction::<SaveUpdate>::new(),
        approve: ServerAction::<ApproveUpdate>::new(),
        send: ServerAction::<SendUpdate>::new(),
        told: ServerAction::<MarkDeliveryTold>::new(),
        retry: ServerAction::<RetryDelivery>::new(),
        refresh,
    };
    let actions = Actions {
        updates,
        assign,
        edit_item,
        set_restricted,
        add_member,
        remove_member,
        update,
        moves,
        add_entry,
        set_item,
        add_item,
        add_indicator,
        add_evidence,
        hand_over,
        add_affected,
        set_state,
    };
    Effect::new(move |_| {
        let ok = matches!(update.value().get(), Some(Ok(_)))
            | matches!(moves.value().get(), Some(Ok(_)))
            | matches!(add_entry.value().get(), Some(Ok(_)))
            | matches!(set_item.value().get(), Some(Ok(_)))
            | matches!(add_item.value().get(), Some(Ok(_)))
            | matches!(add_indicator.value().get(), Some(Ok(_)))
            | matches!(add_evidence.value().get(), Some(Ok(_)))
            | matches!(hand_over.value().get(), Some(Ok(_)))
            | matches!(add_affected.value().get(), Some(Ok(_)))
            | matches!(set_state.value().get(), Some(Ok(_)))
            | matches!(set_restricted.value().get(), Some(Ok(_)))
            | matches!(edit_item.value().get(), Some(Ok(_)))
            | matches!(add_member.value().get(), Some(Ok(_)))
            | matches!(remove_member.value().get(), Some(Ok(_)))
            | matches!(assign.value().get(), Some(Ok(_)))
            | matches!(updates.save.value().get(), Some(Ok(_)))
            | matches!(updates.approve.value().get(), Some(Ok(_)))
            | matches!(updates.send.value().get(), Some(Ok(_)))
            | matches!(updates.told.value().get(), Some(Ok(_)))
            | matches!(updates.retry.value().get(), Some(Ok(_)));
        if ok {
            refresh.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (reference.get(), refresh.get()), |(r, _)| load_incident(r));
    view! {
        <Transition fallback=|| view! { <p>"Loading the incident…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <IncidentView page=page actions=actions/> }.into_any(),
                    Err(AppError::NotFound) => view! { <super::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The page's server actions, created once so their results survive reloads.
#[derive(Clone, Copy)]
struct Actions {
    updates: UpdateActions,
    update: ServerAction<UpdateIncident>,
    moves: ServerAction<MoveIncident>,
    add_entry: ServerAction<AddTimelineEntry>,
    set_item: ServerAction<SetChecklistItem>,
    add_item: ServerAction<AddChecklistItem>,
    add_indicator: ServerAction<AddIndicator>,
    add_evidence: ServerAction<AddEvidence>,
    hand_over: ServerAction<HandOverEvidence>,
    add_affected: ServerAction<AddAffectedItem>,
    set_state: ServerAction<SetContainmentState>,
    set_restricted: ServerAction<SetRestricted>,
    edit_item: ServerAction<EditChecklistItem>,
    add_member: ServerAction<AddMember>,
    remove_member: ServerAction<RemoveMember>,
    assign: ServerAction<AssignIncidentRole>,
}

#[component]
fn IncidentView(page: IncidentData, actions: Actions) -> impl IntoView {
    let Actions {
        updates,
        update,
        moves,
        add_entry,
        set_item,
        add_item,
        add_indicator,
        add_evidence,
        hand_over,
        add_affected,
        set_state,
        set_restricted,
        edit_item,
        add_member,
        remove_member,
        assign,
    } = actions;
    let IncidentData {
        incident,
        timeline,
        checklist,
        indicators,
        evidence,
        scope,
        members,
        team,
        roster,
        may_work,
        may_manage_members,
        communications,
        regulatory,
        lessons,
        now,
    } = page;
    let i = incident.clone();
    view! {
        <Title text=format!("{} {}", i.reference, i.title)/>
        <header class="mb-6">
            <p class="font-mono text-sm">{i.reference.clone()}</p>
            <h1 class="text-2xl font-semibold" data-testid="incident-title">{i.title.clone()}</h1>
            <div class="mt-2 flex flex-wrap items-center gap-2">
                <PriorityBadge priority=i.priority/>
                <span data-testid="incident-phase"><PhaseBadge phase=i.phase/></span>
                <TlpBadge tlp=i.tlp/>
                <span class="text-sm">{i.classification.label()}</span>
                {i.restricted.then(|| view! {
                    <span class="badge bg-purple-800 text-white" data-testid="restricted-badge">"Restricted"</span>
                })}
            </div>
            <p class="mt-2 text-sm">
                <a class="link" href=format!("/incidents/{}/report", i.reference) data-testid="report-link">"Post-incident report"</a>
            </p>
            {(!may_work).then(|| view! {
                <p role="note" class="mt-3 rounded border border-slate-300 p-2 text-sm dark:border-slate-700" data-testid="read-only">
                    "Read-only: your role can follow this incident but not change it."
                </p>
            })}
        </header>
        // A disabled fieldset disables every form control inside it, so a
        // read-only role sees the record without controls that would fail.
        <fieldset disabled=!may_work class="contents">
        <div class="grid gap-6 xl:grid-cols-3">
            <div class="min-w-0 space-y-6 xl:col-span-2">
                <PhaseControls incident=incident.clone() moves=moves/>
                <StakeholderUpdates incident=incident.clone() communications=communications now=now may_work=may_work actions=updates/>
                <RegulatoryClocks reference=incident.reference.clone() regulatory=regulatory now=now may_work=may_work refresh=updates.refresh/>
                <LessonsCard reference=incident.reference.clone() lessons=lessons/>
                <Checklist reference=incident.reference.clone() items=checklist current=incident.phase now=now
                    set_item=set_item add_item=add_item edit_item=edit_item/>
                <Scope reference=incident.reference.clone() items=scope add=add_affected set_state=set_state/>
                <Milestones incident=incident.clone()/>
                <EditForm incident=incident.clone() update=update/>
            </div>
            <div class="min-w-0 space-y-6">
                <Team reference=incident.reference.clone() team=team roster=roster commander=incident.commander.clone() assign=assign/>
                <Indicators reference=incident.reference.clone() rows=indicators action=add_indicator/>
                <Evidence reference=incident.reference.clone() records=evidence add=add_evidence hand_over=hand_over/>
                <Timeline reference=incident.reference.clone() events=timeline add_entry=add_entry/>
            </div>
        </div>
        </fieldset>
        <div class="mt-6 max-w-xl">
            <Members reference=incident.reference.clone() restricted=incident.restricted members=members
                may_manage=may_manage_members set_restricted=set_restricted add=add_member remove=remove_member/>
        </div>
    }
}

/// Where the lessons-learned review stands, with the way to its form.
#[component]
fn LessonsCard(reference: String, lessons: crate::api::LessonsSummary) -> impl IntoView {
    let status = match (lessons.recorded, lessons.review_held_on) {
        (true, Some(d)) => format!("Review held on {d}."),
        _ => "No review recorded yet: closing the incident waits for it.".to_owned(),
    };
    let actions = match (lessons.actions, lessons.open_actions, lessons.overdue_actions) {
        (0, _, _) => "No action items.".to_owned(),
        (n, open, 0) => format!("{n} action items, {open} open."),
        (n, open, late) => format!("{n} action items, {open} open, {late} overdue."),
    };
    view! {
        <section class="card" aria-labelledby="lessons-heading" data-testid="lessons-card">
            <h2 id="lessons-heading" class="mb-2 text-lg font-semibold">"Lessons learned"</h2>
            <p class="text-sm" data-testid="lessons-status">{status}</p>
            <p class="text-sm">{actions}</p>
            <a class="link mt-2 inline-block" href=format!("/incidents/{reference}/lessons") data-testid="lessons-link">"Open the lessons-learned review"</a>
        </section>
    }
}

#[component]
fn PhaseControls(incident: Incident, moves: ServerAction<MoveIncident>) -> impl IntoView {
    let error = Signal::derive(move || moves.value().get().and_then(|r| r.err()));
    let reason_msg = field_error(error, "reason");
    let reference = incident.reference.clone();
    let version = incident.version.to_string();
    let forward = incident.phase.next().map(|next| {
        let reference = reference.clone();
        let version = version.clone();
        view! {
            <ActionForm action=moves>
                <input type="hidden" name="reference" value=reference/>
                <input type="hidden" name="to" value=next.code()/>
                <input type="hidden" name="version" value=version/>
                <button type="submit" class="btn-primary" data-testid="move-forward">{format!("Move to {}", next.label())}</button>
            </ActionForm>
        }
    });
    let back = (!incident.phase.earlier().is_empty()).then(|| {
        let (reference, version) = (reference.clone(), version.clone());
        let options =
            incident.phase.earlier().iter().rev().map(|p| view! { <option value=p.code()>{p.label()}</option> }).collect_view();
        view! {
            <ActionForm action=moves attr:class="mt-4 grid gap-3 md:grid-cols-[auto_1fr_auto] md:items-end" attr:aria-label="Move back">
                <input type="hidden" name="reference" value=reference.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
                <div class="field">
                    <label for="move-back-to">"Move back to"</label>
                    <select id="move-back-to" name="to">{options}</select>
                </div>
                <div class="field">
                    <label for="move-back-reason">"Reason"</label>
                    <input id="move-back-reason" name="reason" type="text" aria-describedby="move-back-reason-error"
                        aria-invalid=move || reason_msg.get().is_some().to_string()/>
                    <FieldMessage id="move-back-reason-error" message=reason_msg/>
                </div>
                <button type="submit" class="btn" data-testid="move-back">"Move back"</button>
            </ActionForm>
        }
    });
    let gate = incident.phase.next().map(|next| {
        let reference = reference.clone();
        let version = version.clone();
        move || {
            let Some(AppError::PhaseGate { open_items }) = error.get() else { return None };
            let (reference, version) = (reference.clone(), version.clone());
            Some(view! {
                <div role="alert" data-testid="phase-gate" class="mb-4 rounded border border-amber-400 bg-amber-50 p-3 text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-50">
                    <p class="font-semibold">{format!("{} cannot start yet: required items are still open.", next.label())}</p>
                    <ul class="my-2 list-disc pl-6">
                        {open_items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                    <ActionForm action=moves attr:class="grid gap-2 md:grid-cols-[1fr_auto] md:items-end" attr:aria-label="Override the phase gate">
                        <input type="hidden" name="reference" value=reference/>
                        <input type="hidden" name="to" value=next.code()/>
                        <input type="hidden" name="version" value=version/>
                        <div class="field">
                            <label for="override-reason">"Override reason (goes on the timeline)"</label>
                            <input id="override-reason" name="reason" type="text" required/>
                        </div>
                        <button type="submit" class="btn" data-testid="override-gate">{format!("Move to {} anyway", next.label())}</button>
                    </ActionForm>
                </div>
            })
        }
    });
    view! {
        <section class="card" aria-labelledby="phase-heading">
            <h2 id="phase-heading" class="mb-3 text-lg font-semibold">"Phase: " {incident.phase.label()}</h2>
            {gate}
            <ErrorAlert error=Signal::derive(move || {
                error.get().filter(|e| e.field("reason").is_none() && !matches!(e, AppError::PhaseGate { .. }))
            })/>
            {forward}
            {back}
        </section>
    }
}

fn time_or_dash(t: Option<DateTime<Utc>>) -> String {
    t.map(display_time).unwrap_or_else(|| "—".into())
}

#[component]
fn Milestones(incident: Incident) -> impl IntoView {
    let m = &incident.milestones;
    let rows = [
        ("Occurred", "occurred", incident.occurred_at),
        ("Detected", "detected", incident.detected_at),
        ("Reported", "reported", Some(incident.reported_at)),
        ("Acknowledged", "acknowledged", incident.acknowledged_at),
        ("Contained", "contained", m.contained_at),
        ("Eradicated", "eradicated", m.eradicated_at),
        ("Recovered", "recovered", m.recovered_at),
        ("Closed", "closed", m.closed_at),
    ];
    view! {
        <section class="card" aria-labelledby="times-heading">
            <h2 id="times-heading" class="mb-3 text-lg font-semibold">"Key times"</h2>
            <dl class="grid grid-cols-2 gap-x-4 gap-y-2 md:grid-cols-4">
                {rows
                    .into_iter()
                    .map(|(label, key, t)| {
                        view! {
                            <div>
                                <dt class="text-sm text-slate-700 dark:text-slate-300">{label}</dt>
                                <dd data-testid=format!("time-{key}")>{time_or_dash(t)}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <p class="mt-3 text-sm">
                "Reported by " {incident.reporter.clone()} ". Commander: "
                {incident.commander.clone().unwrap_or_else(|| "not assigned".into())} "."
            </p>
        </section>
    }
}

#[component]
fn EditForm(incident: Incident, update: ServerAction<UpdateIncident>) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    let saved = move || matches!(update.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading" class="mb-3 text-lg font-semibold">"Details"</h2>
            <ErrorAlert error=error/>
            <Show when=saved>
                <p role="status" class="mb-3 text-green-800 dark:text-green-300">"Saved."</p>
            </Show>
            <p class="mb-3 whitespace-pre-wrap" data-testid="incident-summary">{incident.summary.clone()}</p>
            <ActionForm action=update attr:class="space-y-4" attr:novalidate="true" attr:aria-label="Edit incident">
                <input type="hidden" name="reference" value=incident.reference.clone()/>
                <input type="hidden" name="version" value=incident.version.to_string()/>
                <IncidentFieldset initial=IncidentForm::from_incident(&incident) error=error with_acknowledged=true/>
                <button type="submit" class="btn-primary" data-testid="save-incident" disabled=move || update.pending().get()>
                    {move || if update.pending().get() { "Saving…" } else { "Save changes" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Timeline(reference: String, events: Vec<TimelineEvent>, add_entry: ServerAction<AddTimelineEntry>) -> impl IntoView {
    let error = Signal::derive(move || add_entry.value().get().and_then(|r| r.err()));
    let body_msg = field_error(error, "body");
    let time_msg = field_error(error, "event_at");
    let kind_msg = field_error(error, "kind");
    let kinds =
        TimelineKind::MANUAL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view();
    let items = events
        .into_iter()
        .map(|e| {
            let backdated = e.event_at != e.recorded_at;
            view! {
                <li class="border-l-2 border-indigo-400 pl-3" data-testid="timeline-event" data-kind=e.kind.code()>
                    <p class="text-sm">
                        <time datetime=e.event_at.to_rfc3339() data-testid="event-time">{display_time(e.event_at)}</time>
                        " · " <span class="font-semibold">{e.kind.label()}</span> " · " {e.author.clone()}
                    </p>
                    <p class="whitespace-pre-wrap" data-testid="event-body">{e.body.clone()}</p>
                    <Show when=move || backdated>
                        <p class="text-xs text-slate-700 dark:text-slate-300">"Recorded " {display_time(e.recorded_at)}</p>
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" class="mb-3 text-lg font-semibold">"Timeline"</h2>
            <ActionForm action=add_entry attr:class="mb-5 space-y-3" attr:novalidate="true" attr:aria-label="Add to timeline">
                <input type="hidden" name="reference" value=reference/>
                <div class="grid gap-3 md:grid-cols-2">
                    <div class="field">
                        <label for="entry-kind">"Kind"</label>
                        <select id="entry-kind" name="entry[kind]" aria-describedby="entry-kind-error">{kinds}</select>
                        <FieldMessage id="entry-kind-error" message=kind_msg/>
                    </div>
                    <div class="field">
                        <label for="entry-time">"When it happened (UTC)"</label>
                        <input id="entry-time" name="entry[event_at]" type="datetime-local"
                            aria-describedby="entry-time-error" aria-invalid=move || time_msg.get().is_some().to_string()/>
                        <FieldMessage id="entry-time-error" message=time_msg/>
                    </div>
                </div>
                <div class="field">
                    <label for="entry-body">"What happened or was done"</label>
                    <textarea id="entry-body" name="entry[body]" rows="3" aria-describedby="entry-body-error"
                        aria-invalid=move || body_msg.get().is_some().to_string()></textarea>
                    <FieldMessage id="entry-body-error" message=body_msg/>
                </div>
                <button type="submit" class="btn-primary" data-testid="add-entry">"Add to timeline"</button>
            </ActionForm>
            <ol class="space-y-4" data-testid="timeline">{items}</ol>
        </section>
    }
}
