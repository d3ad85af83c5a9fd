//! Stakeholder updates on the incident page: when the next one is due, each
//! update with its approval and delivery record, and the draft form.

use super::{ErrorAlert, FieldMessage, TlpBadge, field_error};
use crate::api::{
    ApproveUpdate, AudienceOption, Communications, MarkDeliveryTold, RetryDelivery, SaveUpdate, SendUpdate,
    UpdateRecord,
};
use crate::domain::communication::{DeliveryStatus, StakeholderUpdate, UpdateForm, UpdateState, cadence};
use crate::domain::incident::{display_duration, display_time, input_time};
use crate::domain::{Code, Incident, Tlp};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The page-level actions of the section (each edit form owns its own).
#[derive(Clone, Copy)]
pub struct UpdateActions {
    pub save: ServerAction<SaveUpdate>,
    pub approve: ServerAction<ApproveUpdate>,
    pub send: ServerAction<SendUpdate>,
    pub told: ServerAction<MarkDeliveryTold>,
    pub retry: ServerAction<RetryDelivery>,
    /// Bumped to reload the page's data.
    pub refresh: RwSignal<u32>,
}

#[component]
pub fn StakeholderUpdates(
    incident: Incident,
    communications: Communications,
    now: DateTime<Utc>,
    may_work: bool,
    actions: UpdateActions,
) -> impl IntoView {
    let Communications { updates, due, audiences, may_approve, mail_enabled } = communications;
    let flow_error = Signal::derive(move || {
        actions
            .approve
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| actions.send.value().get().and_then(|r| r.err()))
            .or_else(|| actions.told.value().get().and_then(|r| r.err()))
            .or_else(|| actions.retry.value().get().and_then(|r| r.err()))
    });
    // While email deliveries are on their way, look again every few seconds
    // (without a mail server they wait, and the page says so).
    let pending = updates
        .iter()
        .flat_map(|u| &u.deliveries)
        .any(|d| matches!(d.status, DeliveryStatus::Queued | DeliveryStatus::Sending));
    let waiting_for_mail = (pending && !mail_enabled).then(|| {
        view! {
            <p class="mb-3 rounded border border-amber-600 p-2 text-sm" role="status" data-testid="no-mail-server">
                "No mail server is configured, so email deliveries wait in the queue. An administrator sets one with "
                <code>"--smtp-url"</code>"; tell recipients another way meanwhile."
            </p>
        }
    });
    Effect::new(move |_| {
        if pending && mail_enabled {
            set_timeout(move || actions.refresh.update(|n| *n += 1), std::time::Duration::from_secs(3));
        }
    });
    let due_line = due.map(|d| {
        let (text, class) = if d.overdue {
            (
                format!(
                    "{} overdue by {} (was due {}).",
                    if d.first { "The first update is" } else { "The next update is" },
                    display_duration(now - d.due_at),
                    display_time(d.due_at)
                ),
                "rounded bg-red-700 p-2 font-semibold text-white",
            )
        } else {
            (
                format!(
                    "{} due {} (in {}).",
                    if d.first { "The first update is" } else { "The next update is" },
                    display_time(d.due_at),
                    display_duration(d.due_at - now)
                ),
                "text-slate-700 dark:text-slate-300",
            )
        };
        view! { <p class=format!("mb-3 text-sm {class}") data-testid="update-due" data-overdue=d.overdue.to_string()>{text}</p> }
    });
    let latest = updates.first().map(|u| u.update.clone());
    let has_unsent = updates.iter().any(|u| u.update.state != UpdateState::Sent);
    let empty = updates.is_empty();
    let reference = incident.reference.clone();
    let cards = updates
        .into_iter()
        .map(|record| {
            view! {
                <UpdateCard reference=reference.clone() record=record audiences=audiences.clone()
                    may_work=may_work may_approve=may_approve actions=actions/>
            }
        })
        .collect_view();
    let new_form = may_work.then(|| {
        let initial = latest.map(|u| prefill(&u)).unwrap_or_else(|| UpdateForm {
            tlp: incident.tlp.code().into(),
            status_summary: incident.summary.clone(),
            ..Default::default()
        });
        let hint = format!(
            "Empty: {} after sending ({} cadence).",
            display_duration(cadence(incident.priority)),
            incident.priority.label()
        );
        let error = Signal::derive(move || actions.save.value().get().and_then(|r| r.err()));
        view! {
            <details open=!has_unsent data-testid="draft-update">
                <summary class="cursor-pointer font-medium">"Draft an update"</summary>
                <ActionForm action=actions.save attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="Draft a stakeholder update">
                    <input type="hidden" name="reference" value=incident.reference.clone()/>
                    <UpdateFields prefix="update-new".into() initial=initial audiences=audiences.clone() error=error next_hint=hint/>
                    <button type="submit" class="btn-primary" data-testid="save-update">"Save draft"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <section class="card" aria-labelledby="updates-heading" data-testid="updates">
            <h2 id="updates-heading" class="mb-3 text-lg font-semibold">"Stakeholder updates"</h2>
            {due_line}
            {waiting_for_mail}
            <ErrorAlert error=flow_error spell_out_fields=true testid="update-error"/>
            <Show when=move || empty>
                <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">"No update drafted yet."</p>
            </Show>
            <ol class="mb-4 space-y-4">{cards}</ol>
            {new_form}
        </section>
    }
}

/// A new draft starts from the latest update's text.
fn prefill(u: &StakeholderUpdate) -> UpdateForm {
    UpdateForm {
        audiences: u.audiences.iter().map(|a| (a.code().to_owned(), "on".to_owned())).collect(),
        tlp: u.tlp.code().into(),
        status_summary: u.status_summary.clone(),
        impact: u.impact.clone(),
        actions_taken: u.actions_taken.clone(),
        next_steps: u.next_steps.clone(),
        next_update_at: String::new(),
    }
}

/// The draft's fields; `prefix` keeps ids unique when several forms show.
#[component]
fn UpdateFields(
    prefix: String,
    initial: UpdateForm,
    audiences: Vec<AudienceOption>,
    error: Signal<Option<AppError>>,
    next_hint: String,
) -> impl IntoView {
    let audiences_msg = field_error(error, "audiences");
    let tlp_msg = field_error(error, "tlp");
    let id = |name: &str| format!("{prefix}-{name}");
    let boxes = audiences
        .into_iter()
        .map(|o| {
            let box_id = format!("{prefix}-audience-{}", o.audience.code());
            let label_for = box_id.clone();
            let checked = initial.audiences.contains_key(o.audience.code());
            let contacts = match o.contacts {
                0 => "none in the directory".to_owned(),
                1 => "1 contact".to_owned(),
                n => format!("{n} contacts"),
            };
            view! {
                <label for=label_for class="flex items-center gap-2 text-sm">
                    <input id=box_id type="checkbox" name=format!("update[audiences][{}]", o.audience.code()) value="on" checked=checked/>
                    <span>{o.audience.label()}</span>
                    <span class="text-xs text-slate-700 dark:text-slate-300">{format!("({contacts})")}</span>
                </label>
            }
        })
        .collect_view();
    let tlp_options = Tlp::ALL
        .iter()
        .map(|t| view! { <option value=t.code() selected=initial.tlp == t.code()>{t.label()}</option> })
        .collect_view();
    let section = |name: &'static str, label: &'static str, value: String| {
        let field_id = id(name);
        let error_id = format!("{field_id}-error");
        let msg = field_error(error, name);
        view! {
            <div class="field">
                <label for=field_id.clone()>{label}</label>
                <textarea id=field_id name=format!("update[{name}]") rows="3" maxlength="5000" aria-describedby=error_id.clone()
                    aria-invalid=move || msg.get().is_some().to_string()>{value}</textarea>
                <FieldMessage id=error_id message=msg/>
            </div>
        }
    };
    let audiences_error_id = id("audiences-error");
    let fieldset_describedby = audiences_error_id.clone();
    let tlp_error_id = id("tlp-error");
    let next_id = id("next");
    let next_error_id = id("next-error");
    let next_msg = field_error(error, "next_update_at");
    view! {
        <fieldset class="field" aria-describedby=fieldset_describedby>
            <legend class="font-medium">"Audiences"</legend>
            <div class="grid gap-1 sm:grid-cols-2">{boxes}</div>
            <FieldMessage id=audiences_error_id message=audiences_msg/>
        </fieldset>
        <div class="field">
            <label for=id("tlp")>"TLP marking of this update"</label>
            <select id=id("tlp") name="update[tlp]" aria-describedby=tlp_error_id.clone()>{tlp_options}</select>
            <FieldMessage id=tlp_error_id message=tlp_msg/>
        </div>
        {section("status_summary", "Current status", initial.status_summary.clone())}
        {section("impact", "Impact", initial.impact.clone())}
        {section("actions_taken", "Actions taken", initial.actions_taken.clone())}
        {section("next_steps", "Next steps", initial.next_steps.clone())}
        <div class="field">
            <label for=next_id.clone()>"Next update by (UTC)"</label>
            <input id=next_id type="datetime-local" name="update[next_update_at]" value=initial.next_update_at.clone()
                aria-describedby=format!("{next_error_id} {prefix}-next-hint")/>
            <p id=format!("{prefix}-next-hint") class="text-xs text-slate-700 dark:text-slate-300">{next_hint}</p>
            <FieldMessage id=next_error_id message=next_msg/>
        </div>
    }
}

#[component]
fn UpdateCard(
    reference: String,
    record: UpdateRecord,
    audiences: Vec<AudienceOption>,
    may_work: bool,
    may_approve: bool,
    actions: UpdateActions,
) -> impl IntoView {
    let UpdateRecord { update: u, deliveries } = record;
    let state_class = match u.state {
        UpdateState::Draft => "badge bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-50",
        UpdateState::Approved => "badge bg-amber-200 text-amber-950",
        UpdateState::Sent => "badge bg-green-700 text-white",
    };
    let who = {
        let mut parts = vec![format!("Drafted by {} at {}", u.drafted_by, display_time(u.drafted_at))];
        if let (Some(by), Some(at)) = (&u.approved_by, u.approved_at) {
            parts.push(format!("approved by {by} at {}", display_time(at)));
        }
        if let (Some(by), Some(at)) = (&u.sent_by, u.sent_at) {
            parts.push(format!("sent by {by} at {}", display_time(at)));
        }
        parts.join("; ") + "."
    };
    let hidden = {
        let (reference, id, version) = (reference.clone(), u.id.clone(), u.version.to_string());
        move || {
            view! {
                <input type="hidden" name="reference" value=reference.clone()/>
                <input type="hidden" name="update_id" value=id.clone()/>
                <input type="hidden" name="version" value=version.clone()/>
            }
        }
    };
    let approve = (u.state == UpdateState::Draft && may_approve).then(|| {
        let hidden = hidden.clone();
        view! {
            <ActionForm action=actions.approve attr:class="inline">
                {hidden()}
                <button type="submit" class="btn" data-testid="approve-update">{format!("Approve update {}", u.number)}</button>
            </ActionForm>
        }
    });
    let awaiting = (u.state == UpdateState::Draft && !may_approve).then(|| {
        view! { <p class="text-sm">"Waiting for an incident commander to approve it."</p> }
    });
    let send = (u.state == UpdateState::Approved && may_work).then(|| {
        let hidden = hidden.clone();
        view! {
            <ActionForm action=actions.send attr:class="inline">
                {hidden()}
                <button type="submit" class="btn-primary" data-testid="send-update">{format!("Send update {}", u.number)}</button>
            </ActionForm>
        }
    });
    let edit = (u.state != UpdateState::Sent && may_work).then(|| {
        view! {
            <details class="mt-2">
                <summary class="cursor-pointer text-sm">"Edit this update"</summary>
                <UpdateEditor reference=reference.clone() update=u.clone() audiences=audiences.clone() refresh=actions.refresh/>
            </details>
        }
    });
    let delivery_rows = (!deliveries.is_empty()).then(|| {
        let rows = deliveries
            .into_iter()
            .map(|d| {
                let status = match (d.status, d.delivered_at) {
                    (DeliveryStatus::Delivered | DeliveryStatus::Told, Some(at)) => {
                        let by = d.delivered_by.clone().map(|b| format!(" by {b}")).unwrap_or_default();
                        format!("{} {}{by}", d.status.label(), display_time(at))
                    }
                    (DeliveryStatus::Queued, _) if d.attempts > 0 => {
                        format!("Retrying ({} attempts so far)", d.attempts)
                    }
                    (s, _) => s.label().to_owned(),
                };
                let detail = d.last_error.clone().filter(|_| d.status != DeliveryStatus::Delivered);
                let note = d.note.clone();
                let told = (d.status == DeliveryStatus::ToTell && may_work).then(|| {
                    let note_id = format!("told-note-{}", d.id);
                    let (reference, id) = (reference.clone(), d.id.clone());
                    view! {
                        <ActionForm action=actions.told attr:class="mt-1 flex flex-wrap items-end gap-2" attr:aria-label=format!("Record that {} was told", d.recipient)>
                            <input type="hidden" name="reference" value=reference/>
                            <input type="hidden" name="delivery_id" value=id/>
                            <div class="field">
                                <label for=note_id.clone() class="text-xs">"How (optional)"</label>
                                <input id=note_id name="note" type="text" maxlength="1000"/>
                            </div>
                            <button type="submit" class="btn-small" data-testid="mark-told">"Mark told"</button>
                        </ActionForm>
                    }
                });
                let retry = (d.status == DeliveryStatus::Failed && may_work).then(|| {
                    let (reference, id) = (reference.clone(), d.id.clone());
                    view! {
                        <ActionForm action=actions.retry attr:class="inline">
                            <input type="hidden" name="reference" value=reference/>
                            <input type="hidden" name="delivery_id" value=id/>
                            <button type="submit" class="btn-small" data-testid="retry-delivery">"Try again"</button>
                        </ActionForm>
                    }
                });
                view! {
                    <tr data-testid="delivery" data-status=d.status.code()>
                        <td class="py-1 pr-3">{d.recipient.clone()}<br/><span class="text-xs">{d.audience.label()}</span></td>
                        <td class="py-1 pr-3 break-all">{d.channel.label()}<br/><span class="text-xs">{d.address.clone()}</span></td>
                        <td class="py-1">
                            <span data-testid="delivery-status">{status}</span>
                            {detail.map(|e| view! { <p class="text-xs text-red-800 dark:text-red-300">{e}</p> })}
                            {note.map(|n| view! { <p class="text-xs">{n}</p> })}
                            {told}
                            {retry}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="mt-3 w-full text-left text-sm">
                <caption class="sr-only">{format!("Who received update {}", u.number)}</caption>
                <thead>
                    <tr><th scope="col">"Recipient"</th><th scope="col">"Channel"</th><th scope="col">"Delivery"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let audiences_text = u.audiences.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ");
    let next = u.next_update_at.map(|t| {
        view! {
            <div><dt class="font-medium">"Next update by"</dt><dd>{display_time(t)}</dd></div>
        }
    });
    view! {
        <li class="rounded border border-slate-200 p-3 dark:border-slate-700" data-testid="stakeholder-update" data-state=u.state.code()>
            <div class="flex flex-wrap items-center gap-2">
                <h3 class="font-semibold">{format!("Update {}", u.number)}</h3>
                <span class=state_class data-testid="update-state">{u.state.label()}</span>
                <TlpBadge tlp=u.tlp/>
                <span class="text-sm">{format!("To: {audiences_text}")}</span>
            </div>
            <dl class="mt-2 grid gap-2 text-sm md:grid-cols-2">
                <div><dt class="font-medium">"Current status"</dt><dd class="whitespace-pre-wrap">{u.status_summary.clone()}</dd></div>
                <div><dt class="font-medium">"Impact"</dt><dd class="whitespace-pre-wrap">{u.impact.clone()}</dd></div>
                <div><dt class="font-medium">"Actions taken"</dt><dd class="whitespace-pre-wrap">{u.actions_taken.clone()}</dd></div>
                <div><dt class="font-medium">"Next steps"</dt><dd class="whitespace-pre-wrap">{u.next_steps.clone()}</dd></div>
                {next}
            </dl>
            <p class="mt-2 text-xs text-slate-700 dark:text-slate-300">{who}</p>
            <div class="mt-2 flex flex-wrap items-center gap-2">{approve}{send}</div>
            {awaiting}
            {edit}
            {delivery_rows}
        </li>
    }
}

/// Edits one unsent update; it owns its action so that its errors show in
/// its own form.
#[component]
fn UpdateEditor(
    reference: String,
    update: StakeholderUpdate,
    audiences: Vec<AudienceOption>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let save = ServerAction::<SaveUpdate>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let mut initial = prefill(&update);
    initial.next_update_at = update.next_update_at.map(input_time).unwrap_or_default();
    let conflict = Signal::derive(move || error.get().filter(|e| matches!(e, AppError::Conflict(_))));
    view! {
        <ActionForm action=save attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label=format!("Edit update {}", update.number)>
            <input type="hidden" name="reference" value=reference/>
            <input type="hidden" name="update_id" value=update.id.clone()/>
            <input type="hidden" name="version" value=update.version.to_string()/>
            <ErrorAlert error=conflict testid="update-edit-error"/>
            <UpdateFields prefix=format!("update-{}", update.number) initial=initial audiences=audiences error=error
                next_hint="Empty: the priority's cadence after sending.".into()/>
            <button type="submit" class="btn" data-testid="save-update-edit">
                {if update.state == UpdateState::Approved { "Save (withdraws the approval)" } else { "Save changes" }}
            </button>
        </ActionForm>
    }
}
