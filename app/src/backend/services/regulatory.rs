//! Regulatory notifications: the regimes (built-in and the organisation's
//! own), the holiday calendar, starting a regime's clock on an incident and
//! recording what was submitted. Every incident change goes on the timeline
//! and into the audit log; regime and calendar edits are audited.

use super::{audit, record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id};
use crate::backend::error::BackendError;
use crate::domain::access::Action;
use crate::domain::incident::display_time;
use crate::domain::regulatory::{
    Holiday, NewSubmission, Notification, Outcome, Regime, StageStatus, Submission, builtin_regimes, next_deadline,
    owed, stage_statuses,
};
use crate::domain::{FieldErrors, Incident, TimelineKind};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Every regime with whether it is retired: the built-in ones first, then
/// the organisation's own by name.
pub async fn regimes(ctx: &RequestContext) -> Result<Vec<(Regime, bool)>, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    all_regimes(&ctx.db().pool).await
}

async fn all_regimes<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
) -> Result<Vec<(Regime, bool)>, BackendError> {
    let mut all: Vec<(Regime, bool)> = builtin_regimes().into_iter().map(|r| (r, false)).collect();
    all.extend(db::regulatory::custom_regimes(db).await?);
    Ok(all)
}

pub async fn holidays(ctx: &RequestContext) -> Result<Vec<Holiday>, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    db::regulatory::holidays(&ctx.db().pool).await
}

pub async fn create_regime(ctx: &RequestContext, regime: Regime, now: DateTime<Utc>) -> Result<(), BackendError> {
    ctx.require(Action::ManageRegimes)?;
    if builtin_regimes().iter().any(|r| r.key == regime.key) {
        return Err(FieldErrors::single("key", "A built-in regime already uses this key.").into());
    }
    let mut tx = ctx.db().begin().await?;
    if !db::regulatory::insert_regime(&mut tx, &regime, &ctx.actor, now).await? {
        return Err(FieldErrors::single("key", "A regime with this key already exists.").into());
    }
    let summary = format!("{} ({} stages)", regime.name, regime.stages.len());
    audit(&mut tx, ctx, "regulatory.regime_created", &format!("regime:{}", regime.key), &summary, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_regime_retired(
    ctx: &RequestContext,
    key: &str,
    retired: bool,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    ctx.require(Action::ManageRegimes)?;
    if builtin_regimes().iter().any(|r| r.key == key) {
        return Err(BackendError::Conflict("Built-in regimes cannot be retired.".into()));
    }
    let mut tx = ctx.db().begin().await?;
    if !db::regulatory::set_regime_retired(&mut tx, key, retired).await? {
        return Err(BackendError::NotFound);
    }
    let action = if retired { "regulatory.regime_retired" } else { "regulatory.regime_restored" };
    audit(&mut tx, ctx, action, &format!("regime:{key}"), key, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_holiday(ctx: &RequestContext, holiday: Holiday, now: DateTime<Utc>) -> Result<(), BackendError> {
    ctx.require(Action::ManageRegimes)?;
    let mut tx = ctx.db().begin().await?;
    if !db::regulatory::insert_holiday(&mut tx, &holiday).await? {
        return Err(FieldErrors::single("date", "This date is already in the calendar.").into());
    }
    let summary = format!("{} ({})", holiday.date, holiday.name);
    audit(&mut tx, ctx, "regulatory.holiday_added", &format!("holiday:{}", holiday.date), &summary, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_holiday(ctx: &RequestContext, date: NaiveDate, now: DateTime<Utc>) -> Result<(), BackendError> {
    ctx.require(Action::ManageRegimes)?;
    let mut tx = ctx.db().begin().await?;
    if !db::regulatory::delete_holiday(&mut tx, date).await? {
        return Err(BackendError::NotFound);
    }
    audit(&mut tx, ctx, "regulatory.holiday_removed", &format!("holiday:{date}"), &date.to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The open stages' deadlines, said for the timeline.
fn deadlines_text(n: &Notification, holidays: &BTreeSet<NaiveDate>, now: DateTime<Utc>) -> String {
    let due: Vec<String> = owed(n, holidays, now)
        .into_iter()
        .map(|(stage, due)| match due {
            Some(d) => format!("{} by {}", stage.name, display_time(d)),
            None => format!("{} {}", stage.name, stage.deadline.describe()),
        })
        .collect();
    if due.is_empty() { String::new() } else { format!(" Due: {}.", due.join("; ")) }
}

/// Starts a regime's clock on an incident from the trigger time.
pub async fn start_clock(
    ctx: &RequestContext,
    reference: &str,
    regime_key: &str,
    trigger_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Notification, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let regime = all_regimes(&mut *tx)
        .await?
        .into_iter()
        .find(|(r, retired)| r.key == regime_key && !retired)
        .map(|(r, _)| r)
        .ok_or_else(|| FieldErrors::single("regime", "Choose a regime from the list."))?;
    if db::regulatory::exists(&mut tx, &incident.id, &regime.key).await? {
        return Err(BackendError::Conflict(format!("The {} clock is already running on this incident.", regime.name)));
    }
    let notification = Notification {
        id: new_id(),
        incident_id: incident.id.clone(),
        regime,
        trigger_at,
        started_by: ctx.actor.clone(),
        started_at: now,
        submissions: Vec::new(),
    };
    db::regulatory::insert_notification(&mut tx, &notification).await?;
    let holidays = db::regulatory::holiday_dates(&mut *tx).await?;
    let body = format!(
        "{} clock started: {} at {}.{}",
        notification.regime.name,
        notification.regime.trigger,
        display_time(trigger_at),
        deadlines_text(&notification, &holidays, now)
    );
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Regulatory, body, now)).await?;
    tx.commit().await?;
    Ok(notification)
}

/// Records a stage's submission, or the documented decision that it is not
/// required. Several submissions of one stage are phased reports; the first
/// one counts for the deadline.
pub async fn record_submission(
    ctx: &RequestContext,
    reference: &str,
    notification_id: &str,
    new: NewSubmission,
    now: DateTime<Utc>,
) -> Result<Submission, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let mut notification =
        db::regulatory::get(&mut tx, &incident.id, notification_id).await?.ok_or(BackendError::NotFound)?;
    let stage = notification
        .regime
        .stage(&new.stage_key)
        .cloned()
        .ok_or_else(|| FieldErrors::single("stage", "Choose a stage of this regime."))?;
    if new.submitted_at < notification.trigger_at {
        return Err(FieldErrors::single("submitted_at", "This is before the clock's trigger time.").into());
    }
    let holidays = db::regulatory::holiday_dates(&mut *tx).await?;
    let before = stage_statuses(&notification, &holidays, now);
    let submission = Submission {
        id: new_id(),
        stage_key: stage.key.clone(),
        outcome: new.outcome,
        submitted_at: new.submitted_at,
        submitted_to: new.submitted_to,
        reference: new.reference,
        summary: new.summary,
        recorded_by: ctx.actor.clone(),
        recorded_at: now,
    };
    db::regulatory::insert_submission(&mut tx, &notification.id, &submission).await?;
    let mut body = match submission.outcome {
        Outcome::Submitted => format!(
            "{}: {} submitted to {} at {}",
            notification.regime.name,
            stage.name,
            submission.submitted_to.as_deref().unwrap_or("?"),
            display_time(submission.submitted_at)
        ),
        Outcome::NotRequired => format!(
            "{}: {} assessed as not required ({}). Reason: {}",
            notification.regime.name,
            stage.name,
            display_time(submission.submitted_at),
            submission.summary
        ),
    };
    if let Some(r) = &submission.reference {
        body.push_str(&format!(" (reference {r})"));
    }
    let due = before.iter().find(|(s, _)| s.key == stage.key).and_then(|(_, status)| match status {
        StageStatus::Due { due_at, .. } => Some(*due_at),
        _ => None,
    });
    if let Some(due_at) = due.filter(|d| submission.outcome == Outcome::Submitted && submission.submitted_at > *d) {
        body.push_str(&format!(
            ", {} after the deadline of {}",
            crate::domain::incident::display_duration(submission.submitted_at - due_at),
            display_time(due_at)
        ));
    }
    body.push('.');
    notification.submissions.push(submission.clone());
    body.push_str(&deadlines_text(&notification, &holidays, now));
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Regulatory, body, now)).await?;
    tx.commit().await?;
    Ok(submission)
}

/// An incident's clocks with every stage's status; `incident` was read
/// through an access check.
pub async fn for_incident(
    ctx: &RequestContext,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Result<Vec<(Notification, Vec<(crate::domain::regulatory::Stage, StageStatus)>)>, BackendError> {
    let holidays = db::regulatory::holiday_dates(&ctx.db().pool).await?;
    Ok(db::regulatory::for_incident(&ctx.db().pool, &incident.id)
        .await?
        .into_iter()
        .map(|n| {
            let stages = stage_statuses(&n, &holidays, now);
            (n, stages)
        })
        .collect())
}

/// The earliest running regulatory deadline of each open incident in
/// `shown`, with whether it has passed.
pub async fn board_deadlines(
    ctx: &RequestContext,
    shown: &HashSet<&str>,
    now: DateTime<Utc>,
) -> Result<HashMap<String, (DateTime<Utc>, bool)>, BackendError> {
    let holidays = db::regulatory::holiday_dates(&ctx.db().pool).await?;
    let mut out: HashMap<String, (DateTime<Utc>, bool)> = HashMap::new();
    for n in db::regulatory::of_open_incidents(&ctx.db().pool).await? {
        if !shown.contains(n.incident_id.as_str()) {
            continue;
        }
        if let Some(d) = next_deadline(&n, &holidays, now) {
            let entry = out.entry(n.incident_id.clone()).or_insert(d);
            *entry = (*entry).min(d);
        }
    }
    Ok(out)
}
