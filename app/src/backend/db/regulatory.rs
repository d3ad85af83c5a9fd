//! Regulatory rows: the organisation's regimes, its holiday calendar, the
//! clocks started on incidents and their submissions (append-only).

use super::{Tx, from_code, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::regulatory::{Holiday, Notification, Regime, Stage, Submission};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Any, AnyConnection, AnyPool, Executor, FromRow};
use std::collections::{BTreeSet, HashMap};

fn json_error(e: serde_json::Error) -> BackendError {
    BackendError::unexpected(format!("bad stored JSON: {e}"))
}

#[derive(FromRow)]
struct RegimeRow {
    regime_key: String,
    name: String,
    trigger_text: String,
    stages: String,
    retired: i64,
}

/// The organisation's own regimes with whether each is retired, by name.
pub async fn custom_regimes<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<(Regime, bool)>, BackendError> {
    let rows: Vec<RegimeRow> = sqlx::query_as(
        "SELECT regime_key, name, trigger_text, stages, retired FROM regulatory_regimes ORDER BY name, regime_key",
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let stages: Vec<Stage> = serde_json::from_str(&r.stages).map_err(json_error)?;
            Ok((
                Regime { key: r.regime_key, name: r.name, trigger: r.trigger_text, stages, builtin: false },
                r.retired != 0,
            ))
        })
        .collect()
}

/// Stores a new regime; `false` when its key is taken.
pub async fn insert_regime(tx: &mut Tx, r: &Regime, by: &str, now: DateTime<Utc>) -> Result<bool, BackendError> {
    let taken: Option<(String,)> = sqlx::query_as("SELECT regime_key FROM regulatory_regimes WHERE regime_key = $1")
        .bind(&r.key)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Ok(false);
    }
    let stages = serde_json::to_string(&r.stages).map_err(json_error)?;
    sqlx::query(
        "INSERT INTO regulatory_regimes (regime_key, name, trigger_text, stages, retired, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $6)",
    )
    .bind(&r.key)
    .bind(&r.name)
    .bind(&r.trigger)
    .bind(stages)
    .bind(by)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Retires a regime or brings it back; `false` when there is no such regime.
pub async fn set_regime_retired(tx: &mut Tx, key: &str, retired: bool) -> Result<bool, BackendError> {
    let done = sqlx::query("UPDATE regulatory_regimes SET retired = $1 WHERE regime_key = $2")
        .bind(i64::from(retired))
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct HolidayRow {
    day: String,
    name: String,
}

/// The holiday calendar, by date.
pub async fn holidays<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<Holiday>, BackendError> {
    let rows: Vec<HolidayRow> = sqlx::query_as("SELECT day, name FROM holidays ORDER BY day").fetch_all(db).await?;
    rows.into_iter()
        .map(|r| {
            let date = NaiveDate::parse_from_str(&r.day, "%Y-%m-%d")
                .map_err(|e| BackendError::unexpected(format!("bad stored date {:?}: {e}", r.day)))?;
            Ok(Holiday { date, name: r.name })
        })
        .collect()
}

/// The calendar's dates, for deadline arithmetic.
pub async fn holiday_dates<'e>(db: impl Executor<'e, Database = Any>) -> Result<BTreeSet<NaiveDate>, BackendError> {
    Ok(holidays(db).await?.into_iter().map(|h| h.date).collect())
}

/// Adds a holiday; `false` when the date is already in the calendar.
pub async fn insert_holiday(tx: &mut Tx, h: &Holiday) -> Result<bool, BackendError> {
    let day = h.date.format("%Y-%m-%d").to_string();
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT day FROM holidays WHERE day = $1").bind(&day).fetch_optional(&mut **tx).await?;
    if taken.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO holidays (day, name) VALUES ($1, $2)").bind(day).bind(&h.name).execute(&mut **tx).await?;
    Ok(true)
}

/// Removes a holiday; `false` when the date was not in the calendar.
pub async fn delete_holiday(tx: &mut Tx, date: NaiveDate) -> Result<bool, BackendError> {
    let done = sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(date.format("%Y-%m-%d").to_string())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct NotificationRow {
    id: String,
    incident_id: String,
    regime: String,
    trigger_at: String,
    started_by: String,
    started_at: String,
}

#[derive(FromRow)]
struct SubmissionRow {
    id: String,
    notification_id: String,
    stage_key: String,
    outcome: String,
    submitted_at: String,
    submitted_to: Option<String>,
    reference: Option<String>,
    summary: String,
    recorded_by: String,
    recorded_at: String,
}

impl SubmissionRow {
    fn into_submission(self) -> Result<(String, Submission), BackendError> {
        Ok((
            self.notification_id,
            Submission {
                id: self.id,
                stage_key: self.stage_key,
                outcome: from_code(&self.outcome)?,
                submitted_at: from_db_time(&self.submitted_at)?,
                submitted_to: self.submitted_to,
                reference: self.reference,
                summary: self.summary,
                recorded_by: self.recorded_by,
                recorded_at: from_db_time(&self.recorded_at)?,
            },
        ))
    }
}

const NOTIFICATION_COLUMNS: &str = "n.id, n.incident_id, n.regime, n.trigger_at, n.started_by, n.started_at";
const SUBMISSION_COLUMNS: &str = "s.id, s.notification_id, s.stage_key, s.outcome, s.submitted_at, s.submitted_to, \
     s.reference, s.summary, s.recorded_by, s.recorded_at";

/// Notifications matching `where_clause` (over `n`, with `$1`, `$2`, …
/// bound to `args`), each with its submissions, oldest first. Two queries
/// whatever the number of clocks.
async fn load(conn: &mut AnyConnection, where_clause: &str, args: &[&str]) -> Result<Vec<Notification>, BackendError> {
    let sql = format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM regulatory_notifications n WHERE {where_clause} ORDER BY n.trigger_at, n.id"
    );
    let mut q = sqlx::query_as::<_, NotificationRow>(&sql);
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT {SUBMISSION_COLUMNS} FROM regulatory_submissions s JOIN regulatory_notifications n ON n.id = s.notification_id \
         WHERE {where_clause} ORDER BY s.submitted_at, s.recorded_at, s.id"
    );
    let mut q = sqlx::query_as::<_, SubmissionRow>(&sql);
    for a in args {
        q = q.bind(*a);
    }
    let mut submissions: HashMap<String, Vec<Submission>> = HashMap::new();
    for row in q.fetch_all(&mut *conn).await? {
        let (notification, s) = row.into_submission()?;
        submissions.entry(notification).or_default().push(s);
    }
    rows.into_iter()
        .map(|r| {
            Ok(Notification {
                regime: serde_json::from_str(&r.regime).map_err(json_error)?,
                trigger_at: from_db_time(&r.trigger_at)?,
                started_at: from_db_time(&r.started_at)?,
                submissions: submissions.remove(&r.id).unwrap_or_default(),
                id: r.id,
                incident_id: r.incident_id,
                started_by: r.started_by,
            })
        })
        .collect()
}

/// An incident's clocks, oldest trigger first.
pub async fn for_incident(pool: &AnyPool, incident_id: &str) -> Result<Vec<Notification>, BackendError> {
    load(&mut *pool.acquire().await?, "n.incident_id = $1", &[incident_id]).await
}

/// An incident's clocks, read in a transaction.
pub async fn for_incident_in(tx: &mut Tx, incident_id: &str) -> Result<Vec<Notification>, BackendError> {
    load(tx, "n.incident_id = $1", &[incident_id]).await
}

/// The clocks of every open incident (for the board's deadline flags).
pub async fn of_open_incidents(pool: &AnyPool) -> Result<Vec<Notification>, BackendError> {
    load(&mut *pool.acquire().await?, "n.incident_id IN (SELECT id FROM incidents WHERE phase <> 'closed')", &[]).await
}

/// Whether the incident already runs this regime's clock.
pub async fn exists(tx: &mut Tx, incident_id: &str, regime_key: &str) -> Result<bool, BackendError> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM regulatory_notifications WHERE incident_id = $1 AND regime_key = $2")
            .bind(incident_id)
            .bind(regime_key)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

pub async fn insert_notification(tx: &mut Tx, n: &Notification) -> Result<(), BackendError> {
    let regime = serde_json::to_string(&n.regime).map_err(json_error)?;
    sqlx::query(
        "INSERT INTO regulatory_notifications (id, incident_id, regime_key, regime, trigger_at, started_by, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&n.id)
    .bind(&n.incident_id)
    .bind(&n.regime.key)
    .bind(regime)
    .bind(to_db_time(n.trigger_at))
    .bind(&n.started_by)
    .bind(to_db_time(n.started_at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One of an incident's clocks with its submissions.
pub async fn get(tx: &mut Tx, incident_id: &str, id: &str) -> Result<Option<Notification>, BackendError> {
    Ok(load(tx, "n.incident_id = $1 AND n.id = $2", &[incident_id, id]).await?.pop())
}

pub async fn insert_submission(tx: &mut Tx, notification_id: &str, s: &Submission) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO regulatory_submissions (id, notification_id, stage_key, outcome, submitted_at, submitted_to, \
         reference, summary, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&s.id)
    .bind(notification_id)
    .bind(&s.stage_key)
    .bind(s.outcome.code())
    .bind(to_db_time(s.submitted_at))
    .bind(s.submitted_to.clone())
    .bind(s.reference.clone())
    .bind(&s.summary)
    .bind(&s.recorded_by)
    .bind(to_db_time(s.recorded_at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
