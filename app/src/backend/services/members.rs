//! Need-to-know: restricting an incident and choosing its members. Every
//! change is on the incident's timeline and in the audit log.

use super::{lock_for, record, timeline_event};
use crate::api::Member;
use crate::backend::context::RequestContext;
use crate::backend::db;
use crate::backend::error::BackendError;
use crate::domain::access::{Action, normalise_username};
use crate::domain::{FieldErrors, Incident, TimelineKind};
use chrono::{DateTime, Utc};

/// The members of an incident the caller has already been allowed to see.
pub async fn list(ctx: &RequestContext, incident: &Incident) -> Result<Vec<Member>, BackendError> {
    Ok(db::accounts::members(&ctx.db().pool, &incident.id)
        .await?
        .into_iter()
        .map(|(user_id, display_name, username)| Member { user_id, display_name, username })
        .collect())
}

pub async fn set_restricted(
    ctx: &RequestContext,
    reference: &str,
    restricted: bool,
    now: DateTime<Utc>,
) -> Result<Incident, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let mut incident = lock_for(ctx, &mut tx, reference, Action::ManageMembers).await?;
    if incident.restricted == restricted {
        return Ok(incident);
    }
    db::accounts::set_restricted(&mut tx, &incident.id, restricted).await?;
    // Whoever restricts an incident stays able to see it.
    if restricted && let Some(user_id) = ctx.user_id() {
        db::accounts::add_member(&mut tx, &incident.id, user_id, &ctx.actor, now).await?;
    }
    incident.restricted = restricted;
    let body = if restricted {
        "Incident restricted: only its members (and admins) can see it.".to_owned()
    } else {
        "Restriction lifted: everyone with access to incidents can see it.".to_owned()
    };
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Access, body, now)).await?;
    tx.commit().await?;
    Ok(incident)
}

pub async fn add(
    ctx: &RequestContext,
    reference: &str,
    username: &str,
    now: DateTime<Utc>,
) -> Result<Member, BackendError> {
    let username = normalise_username(username).map_err(|e| FieldErrors::single("username", e))?;
    let mut tx = ctx.db().begin().await?;
    let incident = lock_for(ctx, &mut tx, reference, Action::ManageMembers).await?;
    let user = db::accounts::user_by_username(&ctx.db().pool, &username)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| FieldErrors::single("username", "No active user has this username."))?;
    if db::accounts::add_member(&mut tx, &incident.id, &user.id, &ctx.actor, now).await? {
        let body = format!("{} ({}) added as a member.", user.display_name, user.username);
        record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Access, body, now)).await?;
    }
    tx.commit().await?;
    Ok(Member { user_id: user.id, display_name: user.display_name, username: user.username })
}

pub async fn remove(
    ctx: &RequestContext,
    reference: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = lock_for(ctx, &mut tx, reference, Action::ManageMembers).await?;
    let user = db::accounts::user_by_id(&ctx.db().pool, user_id).await?.ok_or(BackendError::NotFound)?;
    if db::accounts::remove_member(&mut tx, &incident.id, &user.id).await? {
        let body = format!("{} ({}) removed from the members.", user.display_name, user.username);
        record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Access, body, now)).await?;
    } else {
        return Err(BackendError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
