//! Stakeholder updates: drafting, approval, sending (which queues one
//! delivery per recipient in the same transaction, so an acknowledged send
//! is never lost), recording manual deliveries, and the delivery worker that
//! drains the email queue with retries.

use super::{record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id};
use crate::backend::error::BackendError;
use crate::backend::state::AppState;
use crate::domain::access::Action;
use crate::domain::communication::{
    self, Channel, Delivery, DeliveryStatus, MAX_DELIVERY_ATTEMPTS, StakeholderUpdate, UpdateDraft, UpdateDue,
    UpdateFlowError, UpdateState, cadence, channel_for, check_approve, check_edit, check_send, compose,
};
use crate::domain::preparation::Audience;
use crate::domain::{Code, FieldErrors, Incident, TimelineKind};
use crate::error::STALE_UPDATE_MESSAGE;
use chrono::{DateTime, Duration, Utc};

/// An update with its deliveries (empty until it is sent).
pub struct UpdateWithDeliveries {
    pub update: StakeholderUpdate,
    pub deliveries: Vec<Delivery>,
}

fn flow(e: UpdateFlowError) -> BackendError {
    BackendError::Conflict(e.to_string())
}

fn audience_list(audiences: &[Audience]) -> String {
    audiences.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")
}

/// Locks the incident and reads one of its updates at the version the
/// caller saw.
async fn locked_update(
    ctx: &RequestContext,
    tx: &mut db::Tx,
    reference: &str,
    update_id: &str,
    expected_version: i64,
    action: Action,
) -> Result<(Incident, StakeholderUpdate), BackendError> {
    let incident = super::lock_for(ctx, tx, reference, action).await?;
    let update = db::updates::get(tx, &incident.id, update_id).await?.ok_or(BackendError::NotFound)?;
    if update.version != expected_version {
        return Err(BackendError::Conflict(STALE_UPDATE_MESSAGE.into()));
    }
    Ok((incident, update))
}

/// Writes `update` as the next version after `expected`; someone else's
/// write in between is a conflict.
async fn store(tx: &mut db::Tx, update: &mut StakeholderUpdate, expected: i64) -> Result<(), BackendError> {
    update.version = expected + 1;
    if db::updates::update(tx, update, expected).await? {
        Ok(())
    } else {
        Err(BackendError::Conflict(STALE_UPDATE_MESSAGE.into()))
    }
}

/// Drafts a new update (`existing` is `None`) or edits a draft or approved
/// one at the version the editor saw; editing withdraws an approval.
pub async fn save(
    ctx: &RequestContext,
    reference: &str,
    existing: Option<(&str, i64)>,
    draft: UpdateDraft,
    now: DateTime<Utc>,
) -> Result<StakeholderUpdate, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let (incident, update, body) = match existing {
        None => {
            let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
            let update = StakeholderUpdate {
                id: new_id(),
                incident_id: incident.id.clone(),
                number: db::updates::next_number(&mut tx, &incident.id).await?,
                state: UpdateState::Draft,
                audiences: draft.audiences,
                tlp: draft.tlp,
                status_summary: draft.status_summary,
                impact: draft.impact,
                actions_taken: draft.actions_taken,
                next_steps: draft.next_steps,
                next_update_at: draft.next_update_at,
                drafted_by: ctx.actor.clone(),
                drafted_at: now,
                approved_by: None,
                approved_at: None,
                sent_by: None,
                sent_at: None,
                version: 1,
            };
            db::updates::insert(&mut tx, &update).await?;
            let body = format!(
                "Update {} drafted for {} ({}).",
                update.number,
                audience_list(&update.audiences),
                update.tlp.label()
            );
            (incident, update, body)
        }
        Some((id, version)) => {
            let (incident, mut update) =
                locked_update(ctx, &mut tx, reference, id, version, Action::WorkOnIncident).await?;
            let was = update.state;
            update.state = check_edit(was).map_err(flow)?;
            update.audiences = draft.audiences;
            update.tlp = draft.tlp;
            update.status_summary = draft.status_summary;
            update.impact = draft.impact;
            update.actions_taken = draft.actions_taken;
            update.next_steps = draft.next_steps;
            update.next_update_at = draft.next_update_at;
            update.drafted_by = ctx.actor.clone();
            update.drafted_at = now;
            update.approved_by = None;
            update.approved_at = None;
            store(&mut tx, &mut update, version).await?;
            let mut body = format!("Update {} edited.", update.number);
            if was == UpdateState::Approved {
                body.push_str(" Its approval was withdrawn: it needs approving again.");
            }
            (incident, update, body)
        }
    };
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Communication, body, now)).await?;
    tx.commit().await?;
    Ok(update)
}

/// Approves a draft for sending (commanders and admins).
pub async fn approve(
    ctx: &RequestContext,
    reference: &str,
    update_id: &str,
    version: i64,
    now: DateTime<Utc>,
) -> Result<StakeholderUpdate, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let (incident, mut update) =
        locked_update(ctx, &mut tx, reference, update_id, version, Action::ApproveUpdates).await?;
    check_approve(update.state).map_err(flow)?;
    update.state = UpdateState::Approved;
    update.approved_by = Some(ctx.actor.clone());
    update.approved_at = Some(now);
    store(&mut tx, &mut update, version).await?;
    let body = format!("Update {} approved for sending.", update.number);
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Communication, body, now)).await?;
    tx.commit().await?;
    Ok(update)
}

/// Sends an approved update: marks it sent, fixes when the next one is due
/// (as asked in the draft, else one cadence from now) and queues a delivery
/// carrying the message for every stakeholder of its audiences, all in one
/// transaction. Email deliveries then leave through the worker; the others
/// wait for someone to tell the recipient and record it.
pub async fn send(
    ctx: &RequestContext,
    reference: &str,
    update_id: &str,
    version: i64,
    now: DateTime<Utc>,
) -> Result<StakeholderUpdate, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let (incident, mut update) =
        locked_update(ctx, &mut tx, reference, update_id, version, Action::WorkOnIncident).await?;
    check_send(update.state).map_err(flow)?;
    let directory = db::preparation::stakeholders(&ctx.db().pool).await?;
    let uncovered: Vec<&str> =
        update.audiences.iter().filter(|a| !directory.iter().any(|s| s.audience == **a)).map(|a| a.label()).collect();
    if !uncovered.is_empty() {
        return Err(BackendError::Validation(FieldErrors::single(
            "audiences",
            format!(
                "Nobody in the stakeholder directory belongs to {}. Add them under Preparation, or edit the update's audiences.",
                uncovered.join(", ")
            ),
        )));
    }
    update.state = UpdateState::Sent;
    update.sent_by = Some(ctx.actor.clone());
    update.sent_at = Some(now);
    if update.next_update_at.is_none() && incident.phase != crate::domain::Phase::Closed {
        update.next_update_at = Some(now + cadence(incident.priority));
    }
    store(&mut tx, &mut update, version).await?;
    let (subject, body) = compose(&incident, &update, &ctx.actor);
    let mut emails = 0;
    let mut by_hand = 0;
    for s in directory.iter().filter(|s| update.audiences.contains(&s.audience)) {
        let (channel, address) = channel_for(&s.contact);
        let status = match channel {
            Channel::Email => {
                emails += 1;
                DeliveryStatus::Queued
            }
            Channel::Manual => {
                by_hand += 1;
                DeliveryStatus::ToTell
            }
        };
        let delivery = Delivery {
            id: new_id(),
            update_id: update.id.clone(),
            audience: s.audience,
            recipient: s.name.clone(),
            address,
            channel,
            status,
            subject: subject.clone(),
            body: body.clone(),
            attempts: 0,
            last_error: None,
            delivered_at: None,
            delivered_by: None,
            note: None,
        };
        db::updates::insert_delivery(&mut tx, &delivery, &incident.id, now).await?;
    }
    let mut text = format!(
        "Update {} sent to {} ({}): {} email, {} to tell in person or by phone. Status: {}",
        update.number,
        audience_list(&update.audiences),
        update.tlp.label(),
        emails,
        by_hand,
        update.status_summary
    );
    if let Some(next) = update.next_update_at {
        text.push_str(&format!(" Next update by {}.", crate::domain::incident::display_time(next)));
    }
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Communication, text, now)).await?;
    tx.commit().await?;
    tracing::info!(reference, number = update.number, emails, by_hand, "stakeholder update sent");
    Ok(update)
}

/// Records that a recipient without email was told (by phone, in a meeting).
pub async fn mark_told(
    ctx: &RequestContext,
    reference: &str,
    delivery_id: &str,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let delivery =
        db::updates::get_delivery(&mut tx, &incident.id, delivery_id).await?.ok_or(BackendError::NotFound)?;
    if !db::updates::mark_told(&mut tx, &delivery.id, &ctx.actor, note, now).await? {
        return Err(BackendError::Conflict(format!("{} was already recorded as told.", delivery.recipient)));
    }
    let mut body = format!("{} ({}) told of “{}”.", delivery.recipient, delivery.audience, delivery.subject);
    if let Some(n) = note {
        body.push_str(&format!(" Note: {n}"));
    }
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Communication, body, now)).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a failed email delivery back in the queue.
pub async fn retry(
    ctx: &RequestContext,
    reference: &str,
    delivery_id: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let delivery =
        db::updates::get_delivery(&mut tx, &incident.id, delivery_id).await?.ok_or(BackendError::NotFound)?;
    if !db::updates::requeue(&mut tx, &delivery.id, now).await? {
        return Err(BackendError::Conflict("Only a failed delivery can be tried again.".into()));
    }
    let body = format!("Delivery of “{}” to {} queued again.", delivery.subject, delivery.recipient);
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Communication, body, now)).await?;
    tx.commit().await?;
    Ok(())
}

/// An incident's updates, newest first, with their deliveries; `incident`
/// was read through an access check.
pub async fn list(ctx: &RequestContext, incident: &Incident) -> Result<Vec<UpdateWithDeliveries>, BackendError> {
    let pool = &ctx.db().pool;
    let updates = db::updates::list_for_incident(pool, &incident.id).await?;
    let mut deliveries = db::updates::deliveries_for_incident(pool, &incident.id).await?;
    Ok(updates
        .into_iter()
        .map(|update| UpdateWithDeliveries { deliveries: deliveries.remove(&update.id).unwrap_or_default(), update })
        .collect())
}

/// How many stakeholders the directory holds for each audience, in the
/// audiences' order.
pub async fn audience_counts(ctx: &RequestContext) -> Result<Vec<(Audience, u32)>, BackendError> {
    let directory = db::preparation::stakeholders(&ctx.db().pool).await?;
    Ok(Audience::ALL
        .iter()
        .map(|a| (*a, u32::try_from(directory.iter().filter(|s| s.audience == *a).count()).unwrap_or(u32::MAX)))
        .collect())
}

/// When the incident's next update is due.
pub fn due(incident: &Incident, updates: &[UpdateWithDeliveries], now: DateTime<Utc>) -> Option<UpdateDue> {
    let last_sent = updates.iter().find(|u| u.update.state == UpdateState::Sent);
    communication::update_due(incident, last_sent.and_then(|u| u.update.next_update_at), now)
}

/// How long a worker holds a claimed delivery before another may take it
/// over (longer than the mail server's timeout).
const CLAIM_FOR: Duration = Duration::seconds(120);
/// Deliveries claimed per round.
const BATCH: i64 = 20;

/// One round of the delivery worker: claims the email deliveries that are
/// due, sends each, and records the outcome (with a timeline event when one
/// is delivered or finally fails). Without a mail server nothing is claimed.
/// Returns how many were attempted.
pub async fn deliver_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, BackendError> {
    let Some(mailer) = state.mailer.clone() else { return Ok(0) };
    let claimed = db::updates::claim_due(&state.db.pool, now, now + CLAIM_FOR, BATCH).await?;
    let ctx = RequestContext::system(state.clone(), "Firebreak mail");
    for c in &claimed {
        let d = &c.delivery;
        let outcome = mailer.send(&d.address, &d.subject, &d.body).await;
        let done_at = db::now();
        let mut tx = ctx.db().begin().await?;
        let incident = db::incidents::lock_by_reference(&mut tx, &c.reference).await?;
        let event = match &outcome {
            Ok(()) => {
                db::updates::finish_attempt(&mut tx, &d.id, Ok(done_at)).await?;
                Some(format!("“{}” delivered by email to {} <{}>.", d.subject, d.recipient, d.address))
            }
            Err(failure) if !failure.permanent && d.attempts < MAX_DELIVERY_ATTEMPTS => {
                let retry_at = done_at + communication::retry_delay(d.attempts);
                db::updates::finish_attempt(&mut tx, &d.id, Err((&failure.message, Some(retry_at)))).await?;
                tracing::warn!(delivery = %d.id, attempts = d.attempts, error = %failure, "email delivery failed; will retry");
                None
            }
            Err(failure) => {
                let error = &failure.message;
                db::updates::finish_attempt(&mut tx, &d.id, Err((error, None))).await?;
                tracing::warn!(delivery = %d.id, attempts = d.attempts, %error, "email delivery failed; giving up");
                let tries = if d.attempts == 1 { "1 attempt".to_owned() } else { format!("{} attempts", d.attempts) };
                Some(format!(
                    "“{}” could not be delivered to {} <{}> after {tries}: {error}.",
                    d.subject, d.recipient, d.address
                ))
            }
        };
        if let Some(body) = event {
            record(
                &mut tx,
                &ctx,
                &incident,
                timeline_event(&ctx, &incident.id, TimelineKind::Communication, body, done_at),
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(claimed.len())
}

/// Runs [`deliver_due`] every `every` until the process ends; errors are
/// logged and the next round tries again.
pub async fn run_delivery_worker(state: AppState, every: std::time::Duration) {
    loop {
        if let Err(e) = deliver_due(&state, db::now()).await {
            tracing::error!(error = %e, "delivery round failed; the next round tries again");
        }
        tokio::time::sleep(every).await;
    }
}

/// For each of `open`, its latest sent update and when the next is due.
pub async fn latest_and_due(
    ctx: &RequestContext,
    open: &[Incident],
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<String, (Option<StakeholderUpdate>, Option<UpdateDue>)>, BackendError> {
    let mut latest = db::updates::latest_sent_of_open_incidents(&ctx.db().pool).await?;
    Ok(open
        .iter()
        .map(|i| {
            let last = latest.remove(&i.id);
            let due = communication::update_due(i, last.as_ref().and_then(|u| u.next_update_at), now);
            (i.id.clone(), (last, due))
        })
        .collect())
}

/// One open incident on the status board.
pub struct StatusLine {
    pub incident: Incident,
    /// Its latest sent stakeholder update.
    pub latest: Option<StakeholderUpdate>,
    pub due: Option<UpdateDue>,
    /// Its earliest running regulatory deadline, and whether it has passed.
    pub deadline: Option<(DateTime<Utc>, bool)>,
}

/// The status board: every open incident the caller may see with its latest
/// sent update and when the next is due; most urgent first (priority, then
/// an overdue update, then the earliest due).
pub async fn status_board(ctx: &RequestContext, now: DateTime<Utc>) -> Result<Vec<StatusLine>, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    let filter = db::incidents::IncidentFilter { viewer: Some(ctx.viewer()?), ..Default::default() };
    let pool = &ctx.db().pool;
    let open = db::incidents::list_open(pool, &filter).await?;
    let mut latest = latest_and_due(ctx, &open, now).await?;
    let shown: std::collections::HashSet<&str> = open.iter().map(|i| i.id.as_str()).collect();
    let deadlines = super::regulatory::board_deadlines(ctx, &shown, now).await?;
    let mut lines: Vec<StatusLine> = open
        .iter()
        .map(|incident| {
            let (latest, due) = latest.remove(&incident.id).unwrap_or_default();
            let deadline = deadlines.get(&incident.id).copied();
            StatusLine { incident: incident.clone(), latest, due, deadline }
        })
        .collect();
    lines.sort_by_key(|l| {
        (l.incident.priority, !l.due.is_some_and(|d| d.overdue), l.due.map(|d| d.due_at), l.incident.reference.clone())
    });
    Ok(lines)
}
