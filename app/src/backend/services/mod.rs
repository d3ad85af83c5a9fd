//! Services: each owns one transaction, applies the domain's rules, and writes
//! the change together with its timeline events.

pub mod accounts;
pub mod audit_log;
pub mod evidence;
pub mod incidents;
pub mod indicators;
pub mod lessons;
pub mod members;
pub mod playbooks;
pub mod preparation;
pub mod regulatory;
pub mod scope;
pub mod updates;

use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id};
use crate::backend::error::BackendError;
use crate::domain::access::{Action, can_see};
use crate::domain::{Code, Incident, TimelineEvent, TimelineKind};
use chrono::{DateTime, Utc};

/// A timeline event written by the acting user about something that happened
/// at `at` (event time and record time are the same).
pub(crate) fn timeline_event(
    ctx: &RequestContext,
    incident_id: &str,
    kind: TimelineKind,
    body: String,
    at: DateTime<Utc>,
) -> TimelineEvent {
    TimelineEvent {
        id: new_id(),
        incident_id: incident_id.to_owned(),
        event_at: at,
        recorded_at: at,
        author: ctx.actor.clone(),
        kind,
        body,
    }
}

/// Writes a timeline event and its audit record, in the caller's transaction.
pub(crate) async fn record(
    tx: &mut db::Tx,
    ctx: &RequestContext,
    incident: &Incident,
    event: TimelineEvent,
) -> Result<(), BackendError> {
    db::timeline::insert(tx, &event).await?;
    audit(tx, ctx, &format!("incident.{}", event.kind.code()), &incident.reference, &event.body, event.recorded_at)
        .await
}

/// Appends an audit record for a change made in `tx`. Call it after the
/// transaction's other writes (see [`db::audit::append`]).
pub(crate) async fn audit(
    tx: &mut db::Tx,
    ctx: &RequestContext,
    action: &str,
    object: &str,
    summary: &str,
    at: DateTime<Utc>,
) -> Result<(), BackendError> {
    db::audit::append(tx, at, &audit_actor(ctx), action, object, summary).await.map(|_| ())
}

/// How the audit log names the acting account: its username, or the
/// command line's label.
pub(crate) fn audit_actor(ctx: &RequestContext) -> String {
    match (&ctx.user, ctx.system) {
        (Some(u), false) => u.username.clone(),
        _ => format!("system ({})", ctx.actor),
    }
}

/// Locks an incident to change it, after checking that the caller's role
/// may work on incidents (403) and that they may see this one (404, so that
/// guessing references reveals nothing).
pub(crate) async fn lock_for_work(
    ctx: &RequestContext,
    tx: &mut db::Tx,
    reference: &str,
) -> Result<Incident, BackendError> {
    lock_for(ctx, tx, reference, Action::WorkOnIncident).await
}

pub(crate) async fn lock_for(
    ctx: &RequestContext,
    tx: &mut db::Tx,
    reference: &str,
    action: Action,
) -> Result<Incident, BackendError> {
    let user = ctx.require(action)?.clone();
    let incident = db::incidents::lock_by_reference(tx, reference).await?;
    let member = db::accounts::is_member(&mut **tx, &incident.id, &user.id).await?;
    if !can_see(user.role, incident.restricted, member) {
        return Err(BackendError::NotFound);
    }
    Ok(incident)
}

/// Reads an incident the caller may see (404 otherwise).
pub(crate) async fn visible_incident(ctx: &RequestContext, reference: &str) -> Result<Incident, BackendError> {
    let user = ctx.require(Action::ViewIncidents)?;
    let pool = &ctx.db().pool;
    let incident = db::incidents::get_by_reference(pool, reference).await?.ok_or(BackendError::NotFound)?;
    let member = db::accounts::is_member(pool, &incident.id, &user.id).await?;
    if !can_see(user.role, incident.restricted, member) {
        return Err(BackendError::NotFound);
    }
    Ok(incident)
}
