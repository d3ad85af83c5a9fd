//! Preparation: read by every signed-in user, changed by admins and
//! commanders; every change is audited.

use super::audit;
use crate::backend::context::RequestContext;
use crate::backend::db::{self, new_id, preparation::PrepTable};
use crate::backend::error::BackendError;
use crate::domain::access::Action;
use crate::domain::preparation::{
    NewPlanVersion, NewReadinessItem, NewRosterEntry, NewStakeholder, PlanVersion, ReadinessItem, RosterEntry,
    Stakeholder,
};
use crate::domain::{Code, preparation};
use chrono::{DateTime, Utc};

/// Everything on the preparation page.
pub struct PreparationData {
    pub plan: Option<PlanVersion>,
    /// (version, approver, approved on, published by), newest first.
    pub history: Vec<(i64, String, String, String)>,
    pub roster: Vec<RosterEntry>,
    pub stakeholders: Vec<Stakeholder>,
    pub readiness: Vec<ReadinessItem>,
}

pub async fn load(ctx: &RequestContext, version: Option<i64>) -> Result<PreparationData, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    let pool = &ctx.db().pool;
    let plan = db::preparation::plan(pool, version).await?;
    if version.is_some() && plan.is_none() {
        return Err(BackendError::NotFound);
    }
    Ok(PreparationData {
        plan,
        history: db::preparation::plan_history(pool).await?,
        roster: db::preparation::roster(pool).await?,
        stakeholders: db::preparation::stakeholders(pool).await?,
        readiness: db::preparation::readiness(pool).await?,
    })
}

/// What the board header warns about: an overdue plan review, stale readiness items.
pub async fn alerts(ctx: &RequestContext, now: DateTime<Utc>) -> Result<Vec<String>, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    let pool = &ctx.db().pool;
    let plan = db::preparation::plan(pool, None).await?;
    let readiness = db::preparation::readiness(pool).await?;
    Ok(preparation::alerts(plan.as_ref(), &readiness, now))
}

pub async fn publish_plan(ctx: &RequestContext, new: NewPlanVersion, now: DateTime<Utc>) -> Result<i64, BackendError> {
    ctx.require(Action::ManagePreparation)?;
    let mut tx = ctx.db().begin().await?;
    let version = db::preparation::insert_plan(&mut tx, &new, &ctx.actor, now).await?;
    let summary = format!(
        "version {version} approved by {} on {}, next review {}",
        new.approver, new.approved_on, new.next_review_on
    );
    audit(&mut tx, ctx, "preparation.plan_published", &format!("plan:{version}"), &summary, now).await?;
    tx.commit().await?;
    Ok(version)
}

pub async fn add_roster_entry(
    ctx: &RequestContext,
    new: NewRosterEntry,
    now: DateTime<Utc>,
) -> Result<String, BackendError> {
    ctx.require(Action::ManagePreparation)?;
    let id = new_id();
    let mut tx = ctx.db().begin().await?;
    db::preparation::insert_roster(&mut tx, &id, &new, now).await?;
    let summary = format!("{} added as {}", new.name, new.role.label());
    audit(&mut tx, ctx, "preparation.roster_added", &format!("roster:{id}"), &summary, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_stakeholder(
    ctx: &RequestContext,
    new: NewStakeholder,
    now: DateTime<Utc>,
) -> Result<String, BackendError> {
    ctx.require(Action::ManagePreparation)?;
    let id = new_id();
    let mut tx = ctx.db().begin().await?;
    db::preparation::insert_stakeholder(&mut tx, &id, &new, now).await?;
    let summary = format!("{} added for {}", new.name, new.audience.label());
    audit(&mut tx, ctx, "preparation.stakeholder_added", &format!("stakeholder:{id}"), &summary, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_readiness_item(
    ctx: &RequestContext,
    new: NewReadinessItem,
    now: DateTime<Utc>,
) -> Result<String, BackendError> {
    ctx.require(Action::ManagePreparation)?;
    let id = new_id();
    let mut tx = ctx.db().begin().await?;
    db::preparation::insert_readiness(&mut tx, &id, &new, now).await?;
    let summary = format!("{} (owner {}, verify every {} days)", new.name, new.owner, new.interval_days);
    audit(&mut tx, ctx, "preparation.readiness_added", &format!("readiness:{id}"), &summary, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn verify_readiness_item(ctx: &RequestContext, id: &str, now: DateTime<Utc>) -> Result<(), BackendError> {
    ctx.require(Action::ManagePreparation)?;
    let mut tx = ctx.db().begin().await?;
    let name = db::preparation::verify_readiness(&mut tx, id, &ctx.actor, now).await?.ok_or(BackendError::NotFound)?;
    audit(&mut tx, ctx, "preparation.readiness_verified", &format!("readiness:{id}"), &format!("{name} verified"), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a roster entry, stakeholder or readiness item.
pub async fn remove(ctx: &RequestContext, table: PrepTable, id: &str, now: DateTime<Utc>) -> Result<(), BackendError> {
    ctx.require(Action::ManagePreparation)?;
    let mut tx = ctx.db().begin().await?;
    let name = db::preparation::delete_named(&mut tx, table, id).await?.ok_or(BackendError::NotFound)?;
    let (action, object) = match table {
        PrepTable::Roster => ("preparation.roster_removed", "roster"),
        PrepTable::Stakeholders => ("preparation.stakeholder_removed", "stakeholder"),
        PrepTable::Readiness => ("preparation.readiness_removed", "readiness"),
    };
    audit(&mut tx, ctx, action, &format!("{object}:{id}"), &format!("{name} removed"), now).await?;
    tx.commit().await?;
    Ok(())
}
