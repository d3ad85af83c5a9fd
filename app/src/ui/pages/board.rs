//! The board: one column per phase, cards movable by drag and drop, by
//! keyboard (Alt+→ / Alt+← on a focused card) and by plain forms that work
//! without WASM. Filters live in the URL query.

use crate::api::{Board, BoardQuery, MoveIncident, load_board};
use crate::domain::classification::TAXONOMY;
use crate::domain::incident::display_duration;
use crate::domain::{Code, Incident, Phase, PhaseProgress, Priority};
use crate::ui::components::{ErrorAlert, PriorityBadge, TlpBadge};
use chrono::{DateTime, Utc};
use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// A backward move waiting for its reason.
#[derive(Debug, Clone, PartialEq)]
struct PendingBackMove {
    reference: String,
    version: i64,
    from: Phase,
    to: Phase,
}

/// What a dragged card carries: `reference|version|phase`.
fn drag_payload(i: &Incident) -> String {
    format!("{}|{}|{}", i.reference, i.version, i.phase.code())
}

fn parse_drag_payload(s: &str) -> Option<(String, i64, Phase)> {
    let mut parts = s.split('|');
    let reference = parts.next()?.to_owned();
    let version = parts.next()?.parse().ok()?;
    let phase = Phase::from_code(parts.next()?)?;
    Some((reference, version, phase))
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    let board_query = Memo::new(move |_| {
        let q = query.read();
        BoardQuery {
            q: q.get("q").unwrap_or_default(),
            priority: q.get("priority").unwrap_or_default(),
            classification: q.get("classification").unwrap_or_default(),
            commander: q.get("commander").unwrap_or_default(),
        }
    });
    let move_action = ServerAction::<MoveIncident>::new();
    let board = Resource::new(move || (board_query.get(), move_action.version().get()), |(q, _)| load_board(q));
    let pending_back = RwSignal::new(None::<PendingBackMove>);
    let move_error = Signal::derive(move || move_action.value().get().and_then(|r| r.err()));

    view! {
        <Title text="Board"/>
        <div class="mb-4 flex flex-wrap items-baseline justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold">"Incident board"</h1>
            </div>
            <a href="/incidents/new" class="btn-primary">"Report an incident"</a>
        </div>
        <Transition fallback=|| view! { <p>"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => {
                        let alerts = (!b.alerts.is_empty()).then(|| {
                            let items = b.alerts.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view();
                            view! {
                                <div role="status" data-testid="preparation-alerts"
                                    class="mb-4 rounded border border-amber-500 bg-amber-50 p-3 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
                                    <p class="font-semibold">"Preparation needs attention"</p>
                                    <ul class="ml-5 list-disc">{items}</ul>
                                    <a class="link" href="/preparation">"Open preparation"</a>
                                </div>
                            }
                        });
                        let help = if b.may_move {
                            "Drag a card to another column, or focus a card and press Alt+→ to move it forward or Alt+← to move it back."
                        } else {
                            "Follow every incident here; moving them between phases is for the response team."
                        };
                        view! {
                            <p class="mb-4 text-sm text-slate-700 dark:text-slate-300" data-testid="board-help">{help}</p>
                            {alerts}
                            <Filters board=b.clone() query=board_query.get_untracked()/>
                            <ErrorAlert error=move_error/>
                            <Columns board=b action=move_action pending_back=pending_back/>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
        <BackMoveDialog pending=pending_back action=move_action/>
    }
}

#[component]
fn Filters(board: Board, query: BoardQuery) -> impl IntoView {
    let priority_options = Priority::ALL
        .iter()
        .map(|p| view! { <option value=p.code() selected=query.priority == p.code()>{p.label()}</option> })
        .collect_view();
    let class_options = TAXONOMY
        .iter()
        .map(|c| view! { <option value=c.code selected=query.classification == c.code>{c.label}</option> })
        .collect_view();
    let commander_options = board
        .commanders
        .iter()
        .map(|c| view! { <option value=c.clone() selected=query.commander == *c>{c.clone()}</option> })
        .collect_view();
    let filtered = query != BoardQuery::default();
    view! {
        <Form method="GET" action="" attr:class="mb-4 flex flex-wrap items-end gap-3" attr:role="search" attr:aria-label="Filter incidents">
            <div class="field">
                <label for="filter-q">"Search"</label>
                <input id="filter-q" name="q" type="search" value=query.q.clone() placeholder="Reference, title or summary"/>
            </div>
            <div class="field">
                <label for="filter-priority">"Priority"</label>
                <select id="filter-priority" name="priority">
                    <option value="">"All"</option>
                    {priority_options}
                </select>
            </div>
            <div class="field">
                <label for="filter-classification">"Classification"</label>
                <select id="filter-classification" name="classification">
                    <option value="">"All"</option>
                    {class_options}
                </select>
            </div>
            <div class="field">
                <label for="filter-commander">"Commander"</label>
                <select id="filter-commander" name="commander">
                    <option value="">"All"</option>
                    {commander_options}
                </select>
            </div>
            <button type="submit" class="btn">"Apply filters"</button>
            <Show when=move || filtered>
                <a href="/" class="link">"Clear filters"</a>
            </Show>
        </Form>
    }
}

#[component]
fn Columns(
    board: Board,
    action: ServerAction<MoveIncident>,
    pending_back: RwSignal<Option<PendingBackMove>>,
) -> impl IntoView {
    let now = board.now;
    let may_move = board.may_move;
    let open_columns = Phase::ALL
        .iter()
        .filter(|p| **p != Phase::Closed)
        .map(|phase| {
            let cards: Vec<CardData> = board
                .open
                .iter()
                .filter(|i| i.phase == *phase)
                .map(|i| {
                    (
                        i.clone(),
                        board.progress.get(&i.id).copied(),
                        board.updates_overdue.contains(&i.id),
                        board.deadlines.get(&i.id).copied(),
                    )
                })
                .collect();
            let count = cards.len() as u64;
            view! { <Column phase=*phase count=count cards=cards now=now may_move=may_move action=action pending_back=pending_back/> }
        })
        .collect_view();
    let closed_cards: Vec<CardData> = board.closed.iter().map(|i| (i.clone(), None, false, None)).collect();
    let closed_total = board.closed_total;
    view! {
        <div class="board grid grid-cols-1 gap-4 md:grid-cols-3 2xl:grid-cols-6">
            {open_columns}
            <Column phase=Phase::Closed count=closed_total cards=closed_cards now=now may_move=may_move action=action pending_back=pending_back/>
        </div>
    }
}

#[component]
fn Column(
    phase: Phase,
    count: u64,
    cards: Vec<CardData>,
    now: DateTime<Utc>,
    /// Whether the viewer may move incidents; otherwise nothing is a drop target.
    may_move: bool,
    action: ServerAction<MoveIncident>,
    pending_back: RwSignal<Option<PendingBackMove>>,
) -> impl IntoView {
    let heading_id = format!("column-{}", phase.code());
    let labelled_by = heading_id.clone();
    let drag_over = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        if !may_move {
            return;
        }
        ev.prevent_default();
        drag_over.set(false);
        let Some(data) = ev.data_transfer().and_then(|dt| dt.get_data("text/plain").ok()) else { return };
        let Some((reference, version, from)) = parse_drag_payload(&data) else { return };
        if phase.index() > from.index() {
            action.dispatch(MoveIncident {
                reference,
                to: phase.code().into(),
                reason: String::new(),
                version: version.to_string(),
            });
        } else if phase.index() < from.index() {
            pending_back.set(Some(PendingBackMove { reference, version, from, to: phase }));
        }
    };
    let shown = cards.len() as u64;
    let list = view! {
        <ul class="space-y-3" role="list">
            {cards
                .into_iter()
                .map(|(i, p, late, deadline)| view! { <Card incident=i progress=p update_overdue=late deadline=deadline now=now may_move=may_move action=action pending_back=pending_back/> })
                .collect_view()}
        </ul>
    };
    let body = if phase == Phase::Closed {
        view! {
            <details data-testid="closed-column">
                <summary class="cursor-pointer text-sm">
                    {if shown < count { format!("Show the {shown} most recently closed") } else { "Show closed incidents".to_string() }}
                </summary>
                <div class="mt-3">{list}</div>
            </details>
        }
        .into_any()
    } else {
        list.into_any()
    };
    view! {
        <section
            class=move || if drag_over.get() { "column column-drop" } else { "column" }
            aria-labelledby=labelled_by
            data-testid=format!("column-{}", phase.code())
            data-phase=phase.code()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if may_move {
                    ev.prevent_default();
                    drag_over.set(true);
                }
            }
            on:dragleave=move |_| drag_over.set(false)
            on:drop=on_drop
        >
            <h2 id=heading_id class="mb-3 flex items-center justify-between text-base font-semibold">
                <span>{phase.label()}</span>
                <span class="count" data-testid="column-count" aria-label=format!("{count} incidents")>{count}</span>
            </h2>
            {body}
        </section>
    }
}

/// A card's incident, its current-phase checklist progress, whether its
/// next stakeholder update is overdue, and its earliest regulatory deadline
/// (with whether it has passed).
type CardData = (Incident, Option<PhaseProgress>, bool, Option<(DateTime<Utc>, bool)>);

#[component]
fn Card(
    incident: Incident,
    progress: Option<PhaseProgress>,
    /// The next stakeholder update is overdue.
    update_overdue: bool,
    /// The earliest running regulatory deadline and whether it has passed.
    deadline: Option<(DateTime<Utc>, bool)>,
    now: DateTime<Utc>,
    /// Whether the viewer may move the card (drag, keys and move controls).
    may_move: bool,
    action: ServerAction<MoveIncident>,
    pending_back: RwSignal<Option<PendingBackMove>>,
) -> impl IntoView {
    let payload = drag_payload(&incident);
    let reference = incident.reference.clone();
    let version = incident.version;
    let phase = incident.phase;
    let next = phase.next();
    let title_id = format!("card-{}-title", incident.reference);
    let labelled_by = title_id.clone();
    let href = format!("/incidents/{}", reference);
    let data_reference = reference.clone();
    let shown_reference = reference.clone();
    let in_phase = display_duration(now - incident.phase_entered_at);
    let on_keydown = {
        let reference = reference.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if !may_move || !ev.alt_key() {
                return;
            }
            match ev.key().as_str() {
                "ArrowRight" => {
                    if let Some(next) = next {
                        ev.prevent_default();
                        action.dispatch(MoveIncident {
                            reference: reference.clone(),
                            to: next.code().into(),
                            reason: String::new(),
                            version: version.to_string(),
                        });
                    }
                }
                "ArrowLeft" => {
                    if let Some(prev) = phase.earlier().last() {
                        ev.prevent_default();
                        pending_back.set(Some(PendingBackMove {
                            reference: reference.clone(),
                            version,
                            from: phase,
                            to: *prev,
                        }));
                    }
                }
                _ => {}
            }
        }
    };
    let forward = next.filter(|_| may_move).map(|next| {
        let reference = reference.clone();
        let label = format!("Move {} to {}", reference, next.label());
        view! {
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="reference" value=reference/>
                <input type="hidden" name="to" value=next.code()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <button type="submit" class="btn-small" aria-label=label>{format!("→ {}", next.label())}</button>
            </ActionForm>
        }
    });
    let back = (may_move && !phase.earlier().is_empty()).then(|| {
        let reference = reference.clone();
        let options =
            phase.earlier().iter().rev().map(|p| view! { <option value=p.code()>{p.label()}</option> }).collect_view();
        let select_id = format!("back-to-{reference}");
        let reason_id = format!("back-reason-{reference}");
        view! {
            <details class="mt-2 text-sm">
                <summary class="cursor-pointer">"Move back…"</summary>
                <ActionForm action=action attr:class="mt-2 space-y-2">
                    <input type="hidden" name="reference" value=reference.clone()/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <div class="field">
                        <label for=select_id.clone()>"Back to"</label>
                        <select id=select_id name="to">{options}</select>
                    </div>
                    <div class="field">
                        <label for=reason_id.clone()>"Reason"</label>
                        <textarea id=reason_id name="reason" rows="2" required></textarea>
                    </div>
                    <button type="submit" class="btn-small">"Move back"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <li>
            <article
                class="incident-card"
                draggable=may_move.then_some("true")
                tabindex="0"
                aria-labelledby=labelled_by
                aria-keyshortcuts=may_move.then_some("Alt+ArrowRight Alt+ArrowLeft")
                data-testid="incident-card"
                data-reference=data_reference
                on:dragstart=move |ev: leptos::ev::DragEvent| {
                    if !may_move {
                        ev.prevent_default();
                        return;
                    }
                    if let Some(dt) = ev.data_transfer() {
                        let _ = dt.set_data("text/plain", &payload);
                        dt.set_effect_allowed("move");
                    }
                }
                on:keydown=on_keydown
            >
                <div class="flex items-center justify-between gap-2">
                    <span class="font-mono text-xs">{shown_reference}</span>
                    <PriorityBadge priority=incident.priority/>
                </div>
                <h3 id=title_id class="mt-1 font-semibold leading-snug">
                    <a class="link-plain" href=href>{incident.title.clone()}</a>
                </h3>
                <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">{incident.classification.label()}</p>
                <div class="mt-2 flex flex-wrap items-center gap-2 text-sm">
                    <TlpBadge tlp=incident.tlp/>
                    <span>{incident.commander.clone().map(|c| format!("IC: {c}")).unwrap_or_else(|| "No commander".into())}</span>
                </div>
                {progress.map(|p| view! { <ProgressLine progress=p/> })}
                {deadline.map(|(due, passed)| {
                    let (text, class) = if passed {
                        (format!("Regulator deadline passed {} ago", display_duration(now - due)), "badge bg-red-700 text-white")
                    } else {
                        (format!("Regulator due in {}", display_duration(due - now)), "badge bg-amber-200 text-amber-950")
                    };
                    view! { <p class="mt-2 text-xs"><span class=class data-testid="card-regulatory">{text}</span></p> }
                })}
                {update_overdue.then(|| view! {
                    <p class="mt-2 text-xs"><span class="badge bg-red-700 text-white" data-testid="card-update-overdue">"Stakeholder update overdue"</span></p>
                })}
                <p class="mt-1 text-xs text-slate-700 dark:text-slate-300" data-testid="time-in-phase">
                    {format!("In {} for {in_phase}", phase.label())}
                </p>
                <div class="mt-2">{forward}</div>
                {back}
            </article>
        </li>
    }
}

/// Checklist progress of the card's current phase, with overdue items flagged.
#[component]
fn ProgressLine(progress: PhaseProgress) -> impl IntoView {
    let PhaseProgress { done, total, required_open, overdue } = progress;
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    view! {
        <div class="mt-2 text-xs" data-testid="card-progress">
            <div class="flex items-center justify-between gap-2">
                <span>{format!("Checklist {done}/{total}")}</span>
                {(required_open > 0).then(|| view! { <span>{format!("{required_open} required open")}</span> })}
                {(overdue > 0).then(|| view! {
                    <span class="badge bg-red-700 text-white" data-testid="card-overdue">{format!("{overdue} overdue")}</span>
                })}
            </div>
            // A native progress element: no inline style, which the CSP forbids.
            <progress class="progress mt-1" aria-label="Checklist progress" max=total.max(1).to_string() value=done.to_string()>
                {format!("{percent}%")}
            </progress>
        </div>
    }
}

/// The dialog that asks for the reason of a backward move started by drag
/// and drop or the keyboard.
#[component]
fn BackMoveDialog(pending: RwSignal<Option<PendingBackMove>>, action: ServerAction<MoveIncident>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let textarea = NodeRef::<html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(p) = pending.get() {
            target.set(p.to.code().to_owned());
            reason.set(String::new());
            local_error.set(None);
            if let Some(el) = textarea.get() {
                let _ = el.focus();
            }
        }
    });
    let close = move || pending.set(None);
    let confirm = move || {
        let Some(p) = pending.get_untracked() else { return };
        if reason.get_untracked().trim().is_empty() {
            local_error.set(Some("Moving back to an earlier phase needs a reason.".into()));
            return;
        }
        action.dispatch(MoveIncident {
            reference: p.reference,
            to: target.get_untracked(),
            reason: reason.get_untracked(),
            version: p.version.to_string(),
        });
        close();
    };
    view! {
        <Show when=move || pending.get().is_some()>
            <div class="fixed inset-0 z-40 flex items-center justify-center bg-black/50 p-4">
                <div
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="back-move-title"
                    data-testid="back-move-dialog"
                    class="w-full max-w-md rounded-lg bg-white p-5 shadow-xl dark:bg-slate-900"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            close();
                        }
                    }
                >
                    <h2 id="back-move-title" class="text-lg font-semibold">
                        {move || pending.get().map(|p| format!("Move {} back from {}", p.reference, p.from.label())).unwrap_or_default()}
                    </h2>
                    <div class="field mt-3">
                        <label for="back-move-target">"Back to"</label>
                        <select id="back-move-target" on:change=move |ev| target.set(event_target_value(&ev))>
                            {move || {
                                pending
                                    .get()
                                    .map(|p| {
                                        p.from
                                            .earlier()
                                            .iter()
                                            .rev()
                                            .map(|ph| view! { <option value=ph.code() selected=*ph == p.to>{ph.label()}</option> })
                                            .collect_view()
                                    })
                            }}
                        </select>
                    </div>
                    <div class="field mt-3">
                        <label for="back-move-reason">"Reason (required)"</label>
                        <textarea
                            id="back-move-reason"
                            node_ref=textarea
                            rows="3"
                            aria-describedby="back-move-reason-error"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                        <p id="back-move-reason-error" class="field-error" aria-live="polite">
                            {move || local_error.get().unwrap_or_default()}
                        </p>
                    </div>
                    <div class="mt-4 flex justify-end gap-3">
                        <button type="button" class="btn" on:click=move |_| close()>"Cancel"</button>
                        <button type="button" class="btn-primary" on:click=move |_| confirm()>"Move back"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drag_payload_round_trips() {
        assert_eq!(
            parse_drag_payload("INC-2026-0001|7|containment"),
            Some(("INC-2026-0001".to_string(), 7, Phase::Containment))
        );
        assert_eq!(parse_drag_payload("garbage"), None);
    }
}
