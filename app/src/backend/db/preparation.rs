//! Preparation rows: plan versions, roster, stakeholders, readiness items.

use super::{Tx, from_code, from_db_time, opt_from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::preparation::{
    NewPlanVersion, NewReadinessItem, NewRosterEntry, NewStakeholder, PlanVersion, ReadinessItem, RosterEntry,
    Stakeholder,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyPool, FromRow};

fn date(s: &str) -> Result<NaiveDate, BackendError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| BackendError::unexpected(format!("bad stored date {s:?}: {e}")))
}

#[derive(FromRow)]
struct PlanRow {
    version: i64,
    body: String,
    approver: String,
    approved_on: String,
    next_review_on: String,
    published_by: String,
    published_at: String,
}

impl TryFrom<PlanRow> for PlanVersion {
    type Error = BackendError;
    fn try_from(r: PlanRow) -> Result<Self, BackendError> {
        Ok(PlanVersion {
            version: r.version,
            approved_on: date(&r.approved_on)?,
            next_review_on: date(&r.next_review_on)?,
            published_at: from_db_time(&r.published_at)?,
            body: r.body,
            approver: r.approver,
            published_by: r.published_by,
        })
    }
}

const PLAN_COLUMNS: &str = "version, body, approver, approved_on, next_review_on, published_by, published_at";

/// Adds the next version in one statement. SQLite's single writer
/// serialises publishers; on PostgreSQL two at the same moment compute the
/// same number and the primary key refuses the second, which gets a clean
/// conflict (nothing of it was written) instead of a duplicate.
pub async fn insert_plan(
    tx: &mut Tx,
    new: &NewPlanVersion,
    published_by: &str,
    now: DateTime<Utc>,
) -> Result<i64, BackendError> {
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(&format!(
        "INSERT INTO plan_versions ({PLAN_COLUMNS}) \
         SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4, $5, $6 FROM plan_versions RETURNING version"
    ))
    .bind(&new.body)
    .bind(&new.approver)
    .bind(new.approved_on.format("%Y-%m-%d").to_string())
    .bind(new.next_review_on.format("%Y-%m-%d").to_string())
    .bind(published_by)
    .bind(to_db_time(now))
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok((version,)) => Ok(version),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(BackendError::Conflict(
            "Someone else published a plan version at the same moment. Reload the page to see it, then publish again."
                .into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A version, or the latest when `version` is `None`.
pub async fn plan(pool: &AnyPool, version: Option<i64>) -> Result<Option<PlanVersion>, BackendError> {
    let row: Option<PlanRow> = match version {
        Some(v) => {
            sqlx::query_as(&format!("SELECT {PLAN_COLUMNS} FROM plan_versions WHERE version = $1"))
                .bind(v)
                .fetch_optional(pool)
                .await?
        }
        None => {
            sqlx::query_as(&format!("SELECT {PLAN_COLUMNS} FROM plan_versions ORDER BY version DESC LIMIT 1"))
                .fetch_optional(pool)
                .await?
        }
    };
    row.map(PlanVersion::try_from).transpose()
}

/// Every version without its body, newest first.
pub async fn plan_history(pool: &AnyPool) -> Result<Vec<(i64, String, String, String)>, BackendError> {
    Ok(sqlx::query_as("SELECT version, approver, approved_on, published_by FROM plan_versions ORDER BY version DESC")
        .fetch_all(pool)
        .await?)
}

pub async fn insert_roster(tx: &mut Tx, id: &str, e: &NewRosterEntry, now: DateTime<Utc>) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO roster_entries (id, name, role, contact, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(&e.name)
    .bind(e.role.code())
    .bind(&e.contact)
    .bind(&e.notes)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn roster(pool: &AnyPool) -> Result<Vec<RosterEntry>, BackendError> {
    let rows: Vec<(String, String, String, String, String)> =
        sqlx::query_as("SELECT id, name, role, contact, notes FROM roster_entries ORDER BY role, name")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(id, name, role, contact, notes)| Ok(RosterEntry { id, name, role: from_code(&role)?, contact, notes }))
        .collect()
}

/// One roster entry, read inside a transaction.
pub async fn roster_entry(tx: &mut Tx, id: &str) -> Result<Option<RosterEntry>, BackendError> {
    let row: Option<(String, String, String, String, String)> =
        sqlx::query_as("SELECT id, name, role, contact, notes FROM roster_entries WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(|(id, name, role, contact, notes)| Ok(RosterEntry { id, name, role: from_code(&role)?, contact, notes }))
        .transpose()
}

/// Deletes one row of a preparation list; returns its name if it existed.
pub async fn delete_named(tx: &mut Tx, table: PrepTable, id: &str) -> Result<Option<String>, BackendError> {
    let name: Option<(String,)> = sqlx::query_as(&format!("SELECT name FROM {} WHERE id = $1", table.name()))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    if name.is_some() {
        sqlx::query(&format!("DELETE FROM {} WHERE id = $1", table.name())).bind(id).execute(&mut **tx).await?;
    }
    Ok(name.map(|(n,)| n))
}

/// The preparation lists whose rows can be removed.
#[derive(Debug, Clone, Copy)]
pub enum PrepTable {
    Roster,
    Stakeholders,
    Readiness,
}

impl PrepTable {
    fn name(self) -> &'static str {
        match self {
            PrepTable::Roster => "roster_entries",
            PrepTable::Stakeholders => "stakeholders",
            PrepTable::Readiness => "readiness_items",
        }
    }
}

pub async fn insert_stakeholder(
    tx: &mut Tx,
    id: &str,
    s: &NewStakeholder,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO stakeholders (id, audience, name, contact, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(s.audience.code())
    .bind(&s.name)
    .bind(&s.contact)
    .bind(&s.notes)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn stakeholders(pool: &AnyPool) -> Result<Vec<Stakeholder>, BackendError> {
    let rows: Vec<(String, String, String, String, String)> =
        sqlx::query_as("SELECT id, audience, name, contact, notes FROM stakeholders ORDER BY audience, name")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(id, audience, name, contact, notes)| {
            Ok(Stakeholder { id, audience: from_code(&audience)?, name, contact, notes })
        })
        .collect()
}

pub async fn insert_readiness(
    tx: &mut Tx,
    id: &str,
    r: &NewReadinessItem,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO readiness_items (id, name, owner, interval_days, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(&r.name)
    .bind(&r.owner)
    .bind(r.interval_days)
    .bind(&r.notes)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct ReadinessRow {
    id: String,
    name: String,
    owner: String,
    interval_days: i64,
    last_verified_at: Option<String>,
    verified_by: Option<String>,
    notes: String,
}

pub async fn readiness(pool: &AnyPool) -> Result<Vec<ReadinessItem>, BackendError> {
    let rows: Vec<ReadinessRow> = sqlx::query_as(
        "SELECT id, name, owner, interval_days, last_verified_at, verified_by, notes FROM readiness_items ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ReadinessItem {
                last_verified_at: opt_from_db_time(r.last_verified_at.as_deref())?,
                id: r.id,
                name: r.name,
                owner: r.owner,
                interval_days: r.interval_days,
                verified_by: r.verified_by,
                notes: r.notes,
            })
        })
        .collect()
}

/// Records a verification; returns the item's name if it exists.
pub async fn verify_readiness(
    tx: &mut Tx,
    id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, BackendError> {
    let name: Option<(String,)> =
        sqlx::query_as("SELECT name FROM readiness_items WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
    if name.is_some() {
        sqlx::query("UPDATE readiness_items SET last_verified_at = $1, verified_by = $2 WHERE id = $3")
            .bind(to_db_time(now))
            .bind(by)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(name.map(|(n,)| n))
}
