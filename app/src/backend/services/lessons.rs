//! The lessons-learned review and its action items. Staff who can see an
//! incident (they reported it or were added to it) fill the review in too.

use super::{lock_for, record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id};
use crate::backend::error::BackendError;
use crate::domain::access::Action;
use crate::domain::lessons::{ActionItem, ActionStatus, Lessons, LessonsDraft, NewActionItem};
use crate::domain::{Code, Incident, TimelineKind};
use chrono::{DateTime, Utc};

/// The message for a review saved by someone else in the meantime.
pub const STALE_LESSONS_MESSAGE: &str = "Someone else saved this review after you opened it. Copy what you wrote, reload the page to see their changes, then add yours.";

/// An incident's review and action items; `incident` was read through an
/// access check.
pub async fn get(
    ctx: &RequestContext,
    incident: &Incident,
) -> Result<(Option<Lessons>, Vec<ActionItem>), BackendError> {
    let pool = &ctx.db().pool;
    Ok((db::lessons::get(pool, &incident.id).await?, db::lessons::actions(pool, &incident.id).await?))
}

/// Saves the review at the version the writer saw (0: the first save).
pub async fn save(
    ctx: &RequestContext,
    reference: &str,
    draft: LessonsDraft,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<i64, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = lock_for(ctx, &mut tx, reference, Action::ContributeLessons).await?;
    let version = db::lessons::save(&mut tx, &incident.id, &draft, expected_version, &ctx.actor, now)
        .await?
        .ok_or_else(|| BackendError::Conflict(STALE_LESSONS_MESSAGE.into()))?;
    let mut body =
        if version == 1 { "Lessons-learned review started." } else { "Lessons-learned review updated." }.to_owned();
    if let Some(held) = draft.review_held_on {
        body.push_str(&format!(" Review held on {held}."));
    }
    body.push_str(&format!(" Summary: {}", draft.summary));
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Lessons, body, now)).await?;
    tx.commit().await?;
    Ok(version)
}

pub async fn add_action(
    ctx: &RequestContext,
    reference: &str,
    new: NewActionItem,
    now: DateTime<Utc>,
) -> Result<String, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = lock_for(ctx, &mut tx, reference, Action::ContributeLessons).await?;
    let id = new_id();
    db::lessons::insert_action(&mut tx, &id, &incident.id, &new, &ctx.actor, now).await?;
    let body = format!("Action item added: {} (owner {}, due {}).", new.text, new.owner, new.due_on);
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Lessons, body, now)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_action_status(
    ctx: &RequestContext,
    reference: &str,
    item_id: &str,
    status: ActionStatus,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = lock_for(ctx, &mut tx, reference, Action::ContributeLessons).await?;
    let item = db::lessons::get_action(&mut tx, &incident.id, item_id).await?.ok_or(BackendError::NotFound)?;
    if item.status == status {
        return Ok(());
    }
    db::lessons::set_action_status(&mut tx, &item.id, status, &ctx.actor, now).await?;
    let body = format!("Action item “{}”: {} → {}.", item.text, item.status.label(), status.label());
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Lessons, body, now)).await?;
    tx.commit().await?;
    Ok(())
}
