//! The status board for managers and wall screens: every open incident, most
//! urgent first, with its latest stakeholder update and when the next is due.
//! Read-only; it refreshes itself every minute.

use crate::api::{StatusBoard, StatusRow, load_status_board};
use crate::domain::incident::{display_duration, display_time};
use crate::ui::components::{ErrorAlert, PhaseBadge, PriorityBadge, TlpBadge};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatusPage() -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let board = Resource::new(move || tick.get(), |_| load_status_board());
    // Only in the browser (effects do not run on the server).
    Effect::new(move |_| {
        let handle = set_interval_with_handle(move || tick.update(|n| *n += 1), std::time::Duration::from_secs(60));
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    view! {
        <Title text="Status"/>
        <h1 class="mb-1 text-2xl font-semibold">"Incident status"</h1>
        <Transition fallback=|| view! { <p>"Loading the status board…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <StatusTable board=b/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StatusTable(board: StatusBoard) -> impl IntoView {
    let StatusBoard { rows, now } = board;
    let overdue = rows.iter().filter(|r| r.next_update.is_some_and(|d| d.overdue)).count();
    let summary = match (rows.len(), overdue) {
        (0, _) => "No open incidents.".to_owned(),
        (1, 0) => "1 open incident.".to_owned(),
        (n, 0) => format!("{n} open incidents."),
        (n, o) => format!(
            "{n} open incident{}; {o} stakeholder update{} overdue.",
            if n == 1 { "" } else { "s" },
            if o == 1 { "" } else { "s" }
        ),
    };
    let empty = rows.is_empty();
    let body = rows.into_iter().map(|r| view! { <Row row=r now=now/> }).collect_view();
    view! {
        <p class="mb-4 text-sm text-slate-700 dark:text-slate-300">
            <span data-testid="status-summary">{summary}</span>
            {format!(" As of {}; refreshes every minute.", display_time(now))}
        </p>
        {(!empty).then(move || view! {
            <div class="overflow-x-auto">
                <table class="w-full text-left text-sm" data-testid="status-board">
                    <caption class="sr-only">"Open incidents, most urgent first"</caption>
                    <thead>
                        <tr class="border-b border-slate-300 dark:border-slate-600">
                            <th scope="col" class="p-2">"Priority"</th>
                            <th scope="col" class="p-2">"Incident"</th>
                            <th scope="col" class="p-2">"Phase"</th>
                            <th scope="col" class="p-2">"Commander"</th>
                            <th scope="col" class="p-2">"Latest update"</th>
                            <th scope="col" class="p-2">"Next update"</th>
                            <th scope="col" class="p-2">"Regulator deadline"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        })}
    }
}

#[component]
fn Row(row: StatusRow, now: DateTime<Utc>) -> impl IntoView {
    let href = format!("/incidents/{}", row.reference);
    let latest = match row.latest_update {
        Some(u) => view! {
            <div class="flex flex-wrap items-center gap-2">
                <span class="font-medium">{format!("Update {}", u.number)}</span>
                <TlpBadge tlp=u.tlp/>
                <span class="text-xs">{u.sent_at.map(display_time).unwrap_or_default()}</span>
            </div>
            <p class="mt-1 whitespace-pre-wrap">{u.status_summary}</p>
            <p class="mt-1 text-xs text-slate-700 dark:text-slate-300">{format!("Next steps: {}", u.next_steps)}</p>
        }
        .into_any(),
        None => view! { <span class="text-slate-700 dark:text-slate-300">"None sent yet"</span> }.into_any(),
    };
    let next = row.next_update.map(|d| {
        if d.overdue {
            view! {
                <span class="badge bg-red-700 text-white" data-testid="status-update-overdue">
                    {format!("Overdue by {}", display_duration(now - d.due_at))}
                </span>
                <p class="mt-1 text-xs">{format!("Was due {}", display_time(d.due_at))}</p>
            }
            .into_any()
        } else {
            view! {
                <span>{display_time(d.due_at)}</span>
                <p class="mt-1 text-xs">{format!("in {}", display_duration(d.due_at - now))}</p>
            }
            .into_any()
        }
    });
    let deadline = match row.regulatory_deadline {
        Some((due, true)) => view! {
            <span class="badge bg-red-700 text-white" data-testid="status-regulatory-overdue">
                {format!("Passed {} ago", display_duration(now - due))}
            </span>
        }
        .into_any(),
        Some((due, false)) => view! {
            <span>{display_time(due)}</span>
            <p class="mt-1 text-xs">{format!("in {}", display_duration(due - now))}</p>
        }
        .into_any(),
        None => view! { <span class="text-slate-700 dark:text-slate-300">"None running"</span> }.into_any(),
    };
    view! {
        <tr class="border-b border-slate-200 align-top dark:border-slate-700" data-testid="status-row">
            <td class="p-2"><PriorityBadge priority=row.priority/></td>
            <td class="p-2">
                <span class="font-mono text-xs">{row.reference.clone()}</span><br/>
                <a class="link" href=href>{row.title}</a>
            </td>
            <td class="p-2">
                <PhaseBadge phase=row.phase/>
                <p class="mt-1 text-xs">{format!("for {}", display_duration(now - row.phase_entered_at))}</p>
            </td>
            <td class="p-2">{row.commander.unwrap_or_else(|| "None yet".into())}</td>
            <td class="p-2">{latest}</td>
            <td class="p-2">{next}</td>
            <td class="p-2">{deadline}</td>
        </tr>
    }
}
