//! Regulatory clocks on the incident page: each regime's stages with their
//! deadlines, what was submitted, a form to record a submission, and a form
//! to start another regime's clock.

use super::{ErrorAlert, FieldMessage, field_error};
use crate::api::{ClockView, IncidentRegulatory, RecordSubmission, StartClock};
use crate::domain::Code;
use crate::domain::incident::{display_duration, display_time, input_time};
use crate::domain::regulatory::{Outcome, StageStatus};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn RegulatoryClocks(
    reference: String,
    regulatory: IncidentRegulatory,
    now: DateTime<Utc>,
    may_work: bool,
    /// Bumped to reload the page after a change.
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let IncidentRegulatory { clocks, available } = regulatory;
    let empty = clocks.is_empty();
    let clocks = clocks
        .into_iter()
        .map(|c| view! { <Clock reference=reference.clone() clock=c now=now may_work=may_work refresh=refresh/> })
        .collect_view();
    let start = (may_work && !available.is_empty()).then(|| {
        view! { <StartForm reference=reference.clone() available=available now=now refresh=refresh/> }
    });
    view! {
        <section class="card" aria-labelledby="regulatory-heading" data-testid="regulatory">
            <h2 id="regulatory-heading" class="mb-3 text-lg font-semibold">"Regulatory notifications"</h2>
            {empty.then(|| view! {
                <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">
                    "No regulatory clock is running. Start one as soon as a regime's trigger is met (for example, awareness of a personal-data breach)."
                </p>
            })}
            <div class="space-y-4">{clocks}</div>
            {start}
        </section>
    }
}

/// The status of one stage, said plainly, with a class for its urgency.
fn describe(status: &StageStatus, now: DateTime<Utc>) -> (String, &'static str) {
    match status {
        StageStatus::Due { due_at, overdue: true } => (
            format!("Overdue by {} (was due {})", display_duration(now - *due_at), display_time(*due_at)),
            "badge bg-red-700 text-white",
        ),
        StageStatus::Due { due_at, overdue: false } => (
            format!("Due {} (in {})", display_time(*due_at), display_duration(*due_at - now)),
            "badge bg-amber-200 text-amber-950",
        ),
        StageStatus::Open => ("Due without undue delay".into(), "badge bg-amber-200 text-amber-950"),
        StageStatus::Waiting { after } => {
            (format!("Starts when “{after}” is submitted"), "badge bg-slate-200 text-slate-900")
        }
        StageStatus::Submitted { at, due_at, late } => {
            let mut text = format!("Submitted {}", display_time(*at));
            if *late {
                if let Some(d) = due_at {
                    text.push_str(&format!(", {} late", display_duration(*at - *d)));
                }
                (text, "badge bg-orange-200 text-orange-950")
            } else {
                (text, "badge bg-green-700 text-white")
            }
        }
        StageStatus::NotRequired { .. } => ("Not required".into(), "badge bg-slate-200 text-slate-900"),
    }
}

fn status_code(status: &StageStatus) -> &'static str {
    match status {
        StageStatus::Due { overdue: true, .. } => "overdue",
        StageStatus::Due { .. } => "due",
        StageStatus::Open => "open",
        StageStatus::Waiting { .. } => "waiting",
        StageStatus::Submitted { late: true, .. } => "late",
        StageStatus::Submitted { .. } => "submitted",
        StageStatus::NotRequired { .. } => "not_required",
    }
}

#[component]
fn Clock(
    reference: String,
    clock: ClockView,
    now: DateTime<Utc>,
    may_work: bool,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let ClockView { notification: n, stages } = clock;
    let stage_items = stages
        .iter()
        .map(|(stage, status)| {
            let (text, class) = describe(status, now);
            let reason = match status {
                StageStatus::NotRequired { reason } => Some(reason.clone()),
                _ => None,
            };
            view! {
                <li class="border-t border-slate-200 pt-2 first:border-t-0 first:pt-0 dark:border-slate-800"
                    data-testid="stage" data-stage=stage.key.clone() data-status=status_code(status)>
                    <div class="flex flex-wrap items-center gap-2">
                        <span class="font-medium">{stage.name.clone()}</span>
                        <span class="text-xs">{format!("({})", stage.deadline.describe())}</span>
                        <span class=class data-testid="stage-status">{text}</span>
                    </div>
                    {reason.map(|r| view! { <p class="text-sm">{format!("Reason: {r}")}</p> })}
                    <details class="mt-1 text-sm">
                        <summary class="cursor-pointer">"What it must contain"</summary>
                        <p class="mt-1">{stage.content.clone()}</p>
                    </details>
                </li>
            }
        })
        .collect_view();
    let submissions = (!n.submissions.is_empty()).then(|| {
        let rows = n
            .submissions
            .iter()
            .map(|s| {
                let stage = n.regime.stage(&s.stage_key).map(|st| st.name.clone()).unwrap_or_else(|| s.stage_key.clone());
                view! {
                    <tr class="border-t border-slate-200 align-top dark:border-slate-800" data-testid="submission">
                        <td class="py-1 pr-3">{stage}</td>
                        <td class="py-1 pr-3">{s.outcome.label()}<br/><span class="text-xs">{display_time(s.submitted_at)}</span></td>
                        <td class="py-1 pr-3">{s.submitted_to.clone().unwrap_or_default()}<br/>
                            <span class="text-xs">{s.reference.clone().map(|r| format!("Ref. {r}")).unwrap_or_default()}</span></td>
                        <td class="py-1 whitespace-pre-wrap">{s.summary.clone()}<br/>
                            <span class="text-xs">{format!("Recorded by {} at {}", s.recorded_by, display_time(s.recorded_at))}</span></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="mt-3 w-full text-left text-sm">
                <caption class="sr-only">{format!("What was submitted under {}", n.regime.name)}</caption>
                <thead>
                    <tr><th scope="col">"Stage"</th><th scope="col">"Outcome"</th><th scope="col">"To"</th><th scope="col">"What"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let form = may_work.then(|| {
        let options = stages
            .iter()
            .map(|(s, status)| view! { <option value=s.key.clone() selected=status.is_open()>{s.name.clone()}</option> })
            .collect_view();
        view! { <SubmissionEditor reference=reference.clone() notification_id=n.id.clone() key=n.regime.key.clone() regime_name=n.regime.name.clone() stage_options=options.into_any() now=now refresh=refresh/> }
    });
    view! {
        <article class="rounded border border-slate-200 p-3 dark:border-slate-700" data-testid="clock" data-regime=n.regime.key.clone()>
            <h3 class="font-semibold">{n.regime.name.clone()}</h3>
            <p class="text-sm text-slate-700 dark:text-slate-300">
                {format!("{} at {} · started by {}", n.regime.trigger, display_time(n.trigger_at), n.started_by)}
            </p>
            <ol class="mt-2 space-y-2">{stage_items}</ol>
            {submissions}
            {form}
        </article>
    }
}

#[component]
fn SubmissionEditor(
    reference: String,
    notification_id: String,
    /// The regime key, to keep element ids unique.
    key: String,
    regime_name: String,
    stage_options: AnyView,
    now: DateTime<Utc>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let action = ServerAction::<RecordSubmission>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    let error: Signal<Option<AppError>> = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let id = |name: &str| format!("reg-{key}-{name}");
    let field = |name: &'static str, label: &'static str, input: AnyView| {
        let msg = field_error(error, name);
        let error_id = format!("reg-{key}-{name}-error");
        view! {
            <div class="field min-w-0">
                <label for=format!("reg-{key}-{name}")>{label}</label>
                {input}
                <FieldMessage id=error_id message=msg/>
            </div>
        }
    };
    let outcome_options =
        Outcome::ALL.iter().map(|o| view! { <option value=o.code()>{o.label()}</option> }).collect_view();
    let stage = field("stage", "Stage", view! { <select id=id("stage") class="w-full" name="submission[stage]" aria-describedby=id("stage-error")>{stage_options}</select> }.into_any());
    let outcome = field("outcome", "Outcome", view! { <select id=id("outcome") name="submission[outcome]" aria-describedby=id("outcome-error")>{outcome_options}</select> }.into_any());
    let when = field("submitted_at", "When (UTC)", view! { <input id=id("submitted_at") type="datetime-local" name="submission[submitted_at]" value=input_time(now) aria-describedby=id("submitted_at-error")/> }.into_any());
    let to = field("submitted_to", "To (authority or audience)", view! { <input id=id("submitted_to") type="text" name="submission[submitted_to]" maxlength="300" aria-describedby=id("submitted_to-error")/> }.into_any());
    let their_ref = field("reference", "Their reference (optional)", view! { <input id=id("reference") type="text" name="submission[reference]" maxlength="200" aria-describedby=id("reference-error")/> }.into_any());
    let summary = field("summary", "What was submitted, or why it is not required", view! { <textarea id=id("summary") name="submission[summary]" rows="3" aria-describedby=id("summary-error")></textarea> }.into_any());
    let label = format!("Record a submission under {regime_name}");
    view! {
        <details class="mt-3">
            <summary class="cursor-pointer text-sm font-medium">"Record a submission or decision"</summary>
            <ActionForm action=action attr:class="mt-2 grid gap-3 md:grid-cols-2" attr:novalidate="true"
                attr:aria-label=label>
                <input type="hidden" name="reference" value=reference/>
                <input type="hidden" name="notification_id" value=notification_id/>
                {stage}
                {outcome}
                {when}
                {to}
                {their_ref}
                <div class="md:col-span-2">{summary}</div>
                <div class="md:col-span-2">
                    <button type="submit" class="btn-primary" data-testid="record-submission">"Record"</button>
                </div>
            </ActionForm>
            <ErrorAlert error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) testid="submission-error"/>
        </details>
    }
}

#[component]
fn StartForm(
    reference: String,
    available: Vec<(String, String, String)>,
    now: DateTime<Utc>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let action = ServerAction::<StartClock>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    let error: Signal<Option<AppError>> = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let regime_msg = field_error(error, "regime");
    let trigger_msg = field_error(error, "trigger_at");
    let options = available
        .into_iter()
        .map(|(key, name, trigger)| view! { <option value=key>{format!("{name} — clock starts at: {trigger}")}</option> })
        .collect_view();
    view! {
        <ActionForm action=action attr:class="mt-4 space-y-3" attr:novalidate="true" attr:aria-label="Start a regulatory clock">
            <input type="hidden" name="reference" value=reference/>
            <div class="field min-w-0">
                <label for="clock-regime">"Regime"</label>
                <select id="clock-regime" class="w-full" name="clock[regime]" aria-describedby="clock-regime-error">{options}</select>
                <FieldMessage id="clock-regime-error".to_owned() message=regime_msg/>
            </div>
            <div class="flex flex-wrap items-end gap-3">
                <div class="field">
                    <label for="clock-trigger">"Trigger time (UTC)"</label>
                    <input id="clock-trigger" type="datetime-local" name="clock[trigger_at]" value=input_time(now) aria-describedby="clock-trigger-error"/>
                    <FieldMessage id="clock-trigger-error".to_owned() message=trigger_msg/>
                </div>
                <button type="submit" class="btn" data-testid="start-clock">"Start the clock"</button>
            </div>
        </ActionForm>
        <ErrorAlert error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) testid="start-clock-error"/>
    }
}
