//! The post-incident report (`/incidents/:reference/report`): everything the
//! record holds, in one printable document for management and the file.
//! Read-only; it is assembled from the incident page's and the lessons
//! page's data, so it shows exactly what the caller may see.

use crate::api::{ClockView, IncidentPage as IncidentData, LessonsPage as LessonsData, load_incident, load_lessons};
use crate::domain::Code;
use crate::domain::communication::UpdateState;
use crate::domain::incident::{display_duration, display_time, metrics};
use crate::domain::regulatory::StageStatus;
use crate::error::AppError;
use crate::ui::components::{ErrorAlert, LessonsDetails, PhaseBadge, PriorityBadge, TlpBadge};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let reference = Memo::new(move |_| params.read().get("reference").unwrap_or_default());
    let data = Resource::new(
        move || reference.get(),
        |r| async move {
            let incident = load_incident(r.clone()).await?;
            let lessons = load_lessons(r).await?;
            Ok::<_, AppError>((incident, lessons))
        },
    );
    view! {
        <Transition fallback=|| view! { <p>"Loading the report…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((i, l)) => view! { <Report incident=i lessons=l/> }.into_any(),
                    Err(AppError::NotFound) => view! { <super::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(display_time).unwrap_or_else(|| "—".into())
}

#[component]
fn Section(title: &'static str, children: Children) -> impl IntoView {
    let id = format!("report-{}", title.to_lowercase().replace(' ', "-"));
    let labelled_by = id.clone();
    view! {
        <section class="break-inside-avoid-page" aria-labelledby=labelled_by>
            <h2 id=id class="mb-2 border-b border-slate-300 pb-1 text-lg font-semibold dark:border-slate-600">{title}</h2>
            {children()}
        </section>
    }
}

#[component]
fn Report(incident: IncidentData, lessons: LessonsData) -> impl IntoView {
    let IncidentData {
        incident: i,
        timeline,
        checklist,
        indicators,
        evidence,
        scope,
        team,
        communications,
        regulatory,
        now,
        ..
    } = incident;
    let reference = i.reference.clone();
    let times = [
        ("Occurred", i.occurred_at),
        ("Detected", i.detected_at),
        ("Reported", Some(i.reported_at)),
        ("Acknowledged", i.acknowledged_at),
        ("Contained", i.milestones.contained_at),
        ("Eradicated", i.milestones.eradicated_at),
        ("Recovered", i.milestones.recovered_at),
        ("Closed", i.milestones.closed_at),
    ]
    .into_iter()
    .map(|(label, t)| view! { <tr><th scope="row" class="pr-4 text-left font-medium">{label}</th><td>{time(t)}</td></tr> })
    .collect_view();
    let metric_rows = metrics(&i)
        .into_iter()
        .map(|(label, d)| {
            view! {
                <tr data-testid="metric">
                    <th scope="row" class="pr-4 text-left font-medium">{label}</th>
                    <td>{d.map(display_duration).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let done = checklist.iter().filter(|c| c.is_done()).count();
    let team_rows = team
        .iter()
        .map(|a| view! { <li>{format!("{}: {} ({})", a.role.label(), a.name, a.contact)}</li> })
        .collect_view();
    let scope_rows = scope
        .iter()
        .map(|s| view! { <li>{format!("{} — {} ({}), now {}", s.name, s.kind.label(), s.description, s.state.label())}</li> })
        .collect_view();
    let indicator_rows = indicators
        .iter()
        .map(|r| {
            let ind = &r.indicator;
            view! { <li class="break-all">{format!("{}: {} ({})", ind.kind.label(), ind.value, ind.tlp.label())}</li> }
        })
        .collect_view();
    let evidence_rows = evidence
        .iter()
        .map(|e| {
            let hash = e.item.sha256.clone().map(|h| format!(" · SHA-256 {h}")).unwrap_or_default();
            view! {
                <li class="break-all">
                    {format!(
                        "{} — collected by {} at {}, stored at {}{hash}; {} hand-over(s), now held by {}",
                        e.item.item,
                        e.item.collected_by,
                        display_time(e.item.collected_at),
                        e.item.location,
                        e.custody.len(),
                        e.holder
                    )}
                </li>
            }
        })
        .collect_view();
    let mut sent: Vec<_> = communications.updates.into_iter().filter(|u| u.update.state == UpdateState::Sent).collect();
    sent.sort_by_key(|u| u.update.number);
    let no_updates = sent.is_empty();
    let update_rows = sent
        .iter()
        .map(|u| {
            let audiences = u.update.audiences.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ");
            view! {
                <li>
                    <p class="font-medium">{format!("Update {} · {} · to {audiences}", u.update.number, time(u.update.sent_at))}</p>
                    <p class="whitespace-pre-wrap">{u.update.status_summary.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let clock_rows = regulatory.clocks.iter().map(|c| view! { <ClockSummary clock=c.clone()/> }).collect_view();
    let lessons_view = match lessons.lessons.clone() {
        Some(l) => view! { <LessonsDetails lessons=l testid="report-lessons"/> }.into_any(),
        None => view! { <p>"No lessons-learned review recorded yet."</p> }.into_any(),
    };
    let action_rows = lessons
        .actions
        .iter()
        .map(|a| view! { <li>{format!("{} — {}, due {}, {}", a.text, a.owner, a.due_on, a.status.label())}</li> })
        .collect_view();
    let mut events = timeline.clone();
    events.sort_by_key(|e| (e.event_at, e.recorded_at));
    let event_rows = events
        .iter()
        .map(|e| {
            view! {
                <tr class="border-t border-slate-200 align-top dark:border-slate-700">
                    <td class="whitespace-nowrap pr-3">{display_time(e.event_at)}</td>
                    <td class="pr-3">{e.kind.label()}</td>
                    <td class="pr-3">{e.author.clone()}</td>
                    <td class="whitespace-pre-wrap">{e.body.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let none = |empty: bool, what: &'static str| empty.then(|| view! { <p class="text-sm">{what}</p> });
    view! {
        <Title text=format!("Report · {reference}")/>
        <article class="mx-auto max-w-4xl space-y-6 text-sm" data-testid="report">
            <p class="print:hidden">
                <a class="link" href=format!("/incidents/{reference}")>{format!("Back to {reference}")}</a>
                " · Use your browser's print command to print it or save it as a PDF."
            </p>
            <header>
                <p class="font-semibold uppercase tracking-wide" data-testid="report-tlp">
                    {format!("{} — {}", i.tlp.label(), crate::domain::communication::handling(i.tlp))}
                </p>
                <h1 class="text-2xl font-semibold">{format!("Post-incident report: {} {}", i.reference, i.title)}</h1>
                <div class="mt-2 flex flex-wrap items-center gap-2">
                    <PriorityBadge priority=i.priority/>
                    <PhaseBadge phase=i.phase/>
                    <TlpBadge tlp=i.tlp/>
                    <span>{i.classification.label()}</span>
                </div>
                <p class="mt-2">{format!(
                    "Commander: {} · reported by {} · report generated {}",
                    i.commander.clone().unwrap_or_else(|| "none".into()),
                    i.reporter,
                    display_time(now)
                )}</p>
            </header>
            <Section title="Summary"><p class="whitespace-pre-wrap">{i.summary.clone()}</p></Section>
            <Section title="Key times">
                <table><caption class="sr-only">"Key times (UTC)"</caption><tbody>{times}</tbody></table>
            </Section>
            <Section title="Metrics">
                <table><caption class="sr-only">"Response metrics"</caption><tbody>{metric_rows}</tbody></table>
            </Section>
            <Section title="Response team">
                {none(team.is_empty(), "No roles were assigned from the roster.")}
                <ul class="ml-5 list-disc">{team_rows}</ul>
                <p class="mt-1">{format!("Checklist: {done} of {} items done.", checklist.len())}</p>
            </Section>
            <Section title="Scope">
                {none(scope.is_empty(), "No affected assets or services were recorded.")}
                <ul class="ml-5 list-disc">{scope_rows}</ul>
            </Section>
            <Section title="Indicators of compromise">
                {none(indicators.is_empty(), "No indicators were recorded.")}
                <ul class="ml-5 list-disc">{indicator_rows}</ul>
            </Section>
            <Section title="Evidence">
                {none(evidence.is_empty(), "No evidence was recorded.")}
                <ul class="ml-5 list-disc">{evidence_rows}</ul>
            </Section>
            <Section title="Stakeholder communication">
                {none(no_updates, "No stakeholder update was sent.")}
                <ul class="space-y-2">{update_rows}</ul>
            </Section>
            <Section title="Regulatory notifications">
                {none(regulatory.clocks.is_empty(), "No regulatory clock was started.")}
                <div class="space-y-3">{clock_rows}</div>
            </Section>
            <Section title="Lessons learned">
                {lessons_view}
                <h3 class="mt-3 font-semibold">"Action items"</h3>
                {none(lessons.actions.is_empty(), "No action items.")}
                <ul class="ml-5 list-disc">{action_rows}</ul>
            </Section>
            <Section title="Timeline">
                <table class="w-full text-left">
                    <caption class="sr-only">"Timeline, oldest first (UTC)"</caption>
                    <thead><tr><th scope="col">"When"</th><th scope="col">"Kind"</th><th scope="col">"Who"</th><th scope="col">"What"</th></tr></thead>
                    <tbody>{event_rows}</tbody>
                </table>
            </Section>
        </article>
    }
}

#[component]
fn ClockSummary(clock: ClockView) -> impl IntoView {
    let ClockView { notification: n, stages } = clock;
    let rows = stages
        .into_iter()
        .map(|(stage, status)| {
            let said = match status {
                StageStatus::Due { due_at, overdue: true } => format!("overdue (was due {})", display_time(due_at)),
                StageStatus::Due { due_at, .. } => format!("due {}", display_time(due_at)),
                StageStatus::Open => "still owed (without undue delay)".into(),
                StageStatus::Waiting { after } => format!("waiting for “{after}”"),
                StageStatus::Submitted { at, late: true, .. } => format!("submitted {} (late)", display_time(at)),
                StageStatus::Submitted { at, .. } => format!("submitted {}", display_time(at)),
                StageStatus::NotRequired { reason } => format!("not required: {reason}"),
            };
            view! { <li>{format!("{}: {said}", stage.name)}</li> }
        })
        .collect_view();
    let subs = n
        .submissions
        .iter()
        .map(|s| {
            let to = s.submitted_to.clone().map(|t| format!(" to {t}")).unwrap_or_default();
            let r = s.reference.clone().map(|r| format!(" (ref. {r})")).unwrap_or_default();
            view! { <li>{format!("{} {}{to}{r}: {}", display_time(s.submitted_at), s.outcome.label(), s.summary)}</li> }
        })
        .collect_view();
    view! {
        <div>
            <h3 class="font-semibold">{n.regime.name.clone()}</h3>
            <p>{format!("{} at {}", n.regime.trigger, display_time(n.trigger_at))}</p>
            <ul class="ml-5 list-disc">{rows}</ul>
            <ul class="ml-5 list-[circle]">{subs}</ul>
        </div>
    }
}
