//! The incident's scope: affected assets and services and their containment
//! states, every change written to the timeline.

use super::{record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id};
use crate::backend::error::BackendError;
use crate::domain::scope::{AffectedItem, ContainmentState, NewAffectedItem, check_state_change};
use crate::domain::{FieldErrors, TimelineKind};
use chrono::{DateTime, Utc};

pub async fn add(
    ctx: &RequestContext,
    reference: &str,
    new: NewAffectedItem,
    now: DateTime<Utc>,
) -> Result<AffectedItem, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let item = AffectedItem {
        id: new_id(),
        incident_id: incident.id.clone(),
        kind: new.kind,
        name: new.name,
        description: new.description,
        state: ContainmentState::Identified,
        state_changed_at: now,
        added_by: ctx.actor.clone(),
        added_at: now,
    };
    db::scope::insert(&mut tx, &item).await?;
    let body = format!("{} added to the scope: {}.", item.kind, item.name);
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Scope, body, now)).await?;
    tx.commit().await?;
    Ok(item)
}

/// Moves an affected item to another containment state under the domain's rule.
pub async fn change_state(
    ctx: &RequestContext,
    reference: &str,
    item_id: &str,
    to: ContainmentState,
    note: &str,
    now: DateTime<Utc>,
) -> Result<AffectedItem, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let mut item = db::scope::get(&mut tx, &incident.id, item_id).await?.ok_or(BackendError::NotFound)?;
    check_state_change(item.state, to, note)
        .map_err(|e| BackendError::Validation(FieldErrors::single("state", e.to_string())))?;
    let from = item.state;
    db::scope::set_state(&mut tx, &item.id, to, now).await?;
    let mut body = format!("{} “{}” moved from {from} to {to}.", item.kind, item.name);
    if !note.trim().is_empty() {
        body.push_str(&format!(" Note: {}", note.trim()));
    }
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Scope, body, now)).await?;
    tx.commit().await?;
    item.state = to;
    item.state_changed_at = now;
    Ok(item)
}

/// An incident's scope; `incident` was read through an access check.
pub async fn list(ctx: &RequestContext, incident: &crate::domain::Incident) -> Result<Vec<AffectedItem>, BackendError> {
    db::scope::list_for_incident(&ctx.db().pool, &incident.id).await
}
