//! Indicators of compromise: record them per incident (de-duplicated) and
//! find every incident that saw the same one.

use super::{record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id, opt_from_db_time};
use crate::backend::error::BackendError;
use crate::domain::indicator::merge_seen;
use crate::domain::{Indicator, IndicatorKind, NewIndicator, Sighting, TimelineKind};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Records an indicator on an incident. Recording one the incident already
/// has widens its seen window instead of adding a duplicate.
pub async fn add(
    ctx: &RequestContext,
    reference: &str,
    new: NewIndicator,
    now: DateTime<Utc>,
) -> Result<Indicator, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let existing = db::indicators::find_in_incident(&mut tx, &incident.id, new.kind, &new.value).await?;
    let (indicator, body) = match existing {
        Some(mut i) => {
            (i.first_seen, i.last_seen) = merge_seen((i.first_seen, i.last_seen), (new.first_seen, new.last_seen));
            i.tlp = new.tlp;
            db::indicators::update_sighting(&mut tx, &i).await?;
            let body = format!("Indicator seen again: {} {}.", i.kind, i.value);
            (i, body)
        }
        None => {
            let i = Indicator {
                id: new_id(),
                incident_id: incident.id.clone(),
                kind: new.kind,
                value: new.value,
                tlp: new.tlp,
                first_seen: new.first_seen,
                last_seen: new.last_seen,
                added_by: ctx.actor.clone(),
                added_at: now,
            };
            db::indicators::insert(&mut tx, &i).await?;
            let body = format!("Indicator added: {} {} ({}).", i.kind, i.value, i.tlp);
            (i, body)
        }
    };
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Indicator, body, now)).await?;
    tx.commit().await?;
    Ok(indicator)
}

/// An incident's indicators, each with the references of the other incidents
/// that recorded the same one.
/// `incident` was read through an access check; the other incidents listed
/// are only those the caller may see.
pub async fn list(
    ctx: &RequestContext,
    incident: &crate::domain::Incident,
) -> Result<Vec<(Indicator, Vec<String>)>, BackendError> {
    let pool = &ctx.db().pool;
    let viewer = ctx.viewer()?;
    let indicators = db::indicators::list_for_incident(pool, &incident.id).await?;
    let mut shared: HashMap<String, Vec<String>> = HashMap::new();
    for (id, other) in db::indicators::shared_with_other_incidents(pool, &viewer, &incident.id).await? {
        shared.entry(id).or_default().push(other);
    }
    Ok(indicators
        .into_iter()
        .map(|i| {
            let others = shared.remove(&i.id).unwrap_or_default();
            (i, others)
        })
        .collect())
}

/// Every incident that recorded this (already normalised) indicator.
pub async fn search(ctx: &RequestContext, kind: IndicatorKind, value: &str) -> Result<Vec<Sighting>, BackendError> {
    ctx.require(crate::domain::Action::SearchIndicators)?;
    db::indicators::sightings(&ctx.db().pool, &ctx.viewer()?, kind, value)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Sighting {
                kind: db::from_code(&r.kind)?,
                first_seen: opt_from_db_time(r.first_seen.as_deref())?,
                last_seen: opt_from_db_time(r.last_seen.as_deref())?,
                reference: r.reference,
                title: r.title,
                value: r.value,
            })
        })
        .collect()
}
