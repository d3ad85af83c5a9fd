//! Evidence and chain of custody: record items, and append hand-overs that
//! start from the current holder.

use super::{record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id};
use crate::backend::error::BackendError;
use crate::domain::TimelineKind;
use crate::domain::evidence::{
    CustodyEntry, EvidenceItem, HandoverForm, NewEvidence, current_holder, last_custody_time,
};
use chrono::{DateTime, Utc};

pub async fn add(
    ctx: &RequestContext,
    reference: &str,
    new: NewEvidence,
    now: DateTime<Utc>,
) -> Result<EvidenceItem, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let item = EvidenceItem {
        id: new_id(),
        incident_id: incident.id.clone(),
        item: new.item,
        description: new.description,
        collected_by: new.collected_by,
        collected_at: new.collected_at,
        location: new.location,
        sha256: new.sha256,
        recorded_by: ctx.actor.clone(),
        recorded_at: now,
    };
    db::evidence::insert(&mut tx, &item).await?;
    let body = format!("Evidence collected by {}: {} (stored at {}).", item.collected_by, item.item, item.location);
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Evidence, body, now)).await?;
    tx.commit().await?;
    Ok(item)
}

/// Appends a hand-over to an item's chain of custody. The form is validated
/// against the current holder inside the transaction, so two simultaneous
/// hand-overs of the same item cannot both succeed.
pub async fn hand_over(
    ctx: &RequestContext,
    reference: &str,
    evidence_id: &str,
    form: &HandoverForm,
    now: DateTime<Utc>,
) -> Result<CustodyEntry, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let (item, log) = db::evidence::get(&mut tx, &incident.id, evidence_id).await?.ok_or(BackendError::NotFound)?;
    let handover = form.parse(current_holder(&item, &log), last_custody_time(&item, &log), now)?;
    let entry = CustodyEntry {
        id: new_id(),
        evidence_id: item.id.clone(),
        from_person: handover.from_person,
        to_person: handover.to_person,
        handed_at: handover.handed_at,
        purpose: handover.purpose,
        recorded_by: ctx.actor.clone(),
        recorded_at: now,
    };
    db::evidence::append_custody(&mut tx, &entry).await?;
    let body = format!(
        "Evidence “{}” handed from {} to {} for {}.",
        item.item, entry.from_person, entry.to_person, entry.purpose
    );
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Evidence, body, now)).await?;
    tx.commit().await?;
    Ok(entry)
}

/// An incident's evidence; `incident` was read through an access check.
pub async fn list(
    ctx: &RequestContext,
    incident: &crate::domain::Incident,
) -> Result<Vec<(EvidenceItem, Vec<CustodyEntry>)>, BackendError> {
    db::evidence::list_for_incident(&ctx.db().pool, &incident.id).await
}
