//! Lessons-learned rows: the review (one per incident) and its action items.

use super::{Tx, from_code, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::lessons::{ActionItem, ActionStatus, Lessons, LessonsDraft, NewActionItem};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Any, Executor, FromRow};

fn date(s: &str) -> Result<NaiveDate, BackendError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| BackendError::unexpected(format!("bad stored date {s:?}: {e}")))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[derive(FromRow)]
struct LessonsRow {
    summary: String,
    went_well: String,
    went_wrong: String,
    root_cause: String,
    contributing_factors: String,
    detection_gaps: String,
    recommendations: String,
    review_held_on: Option<String>,
    attendees: String,
    updated_by: String,
    updated_at: String,
    version: i64,
}

const LESSONS_COLUMNS: &str = "summary, went_well, went_wrong, root_cause, contributing_factors, detection_gaps, \
     recommendations, review_held_on, attendees, updated_by, updated_at, version";

pub async fn get<'e>(
    db: impl Executor<'e, Database = Any>,
    incident_id: &str,
) -> Result<Option<Lessons>, BackendError> {
    let row: Option<LessonsRow> =
        sqlx::query_as(&format!("SELECT {LESSONS_COLUMNS} FROM lessons_learned WHERE incident_id = $1"))
            .bind(incident_id)
            .fetch_optional(db)
            .await?;
    row.map(|r| {
        Ok(Lessons {
            review_held_on: r.review_held_on.as_deref().map(date).transpose()?,
            updated_at: from_db_time(&r.updated_at)?,
            summary: r.summary,
            went_well: r.went_well,
            went_wrong: r.went_wrong,
            root_cause: r.root_cause,
            contributing_factors: r.contributing_factors,
            detection_gaps: r.detection_gaps,
            recommendations: r.recommendations,
            attendees: r.attendees,
            updated_by: r.updated_by,
            version: r.version,
        })
    })
    .transpose()
}

/// Writes the review: a new one when `expected_version` is 0, else only if
/// the stored one is still at that version. Returns the new version, or
/// `None` when someone else saved first.
pub async fn save(
    tx: &mut Tx,
    incident_id: &str,
    d: &LessonsDraft,
    expected_version: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, BackendError> {
    let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM lessons_learned WHERE incident_id = $1")
        .bind(incident_id)
        .fetch_optional(&mut **tx)
        .await?;
    let held = d.review_held_on.map(date_text);
    match current {
        None if expected_version == 0 => {
            sqlx::query(&format!(
                "INSERT INTO lessons_learned (incident_id, {LESSONS_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)"
            ))
            .bind(incident_id)
            .bind(&d.summary)
            .bind(&d.went_well)
            .bind(&d.went_wrong)
            .bind(&d.root_cause)
            .bind(&d.contributing_factors)
            .bind(&d.detection_gaps)
            .bind(&d.recommendations)
            .bind(held)
            .bind(&d.attendees)
            .bind(by)
            .bind(to_db_time(now))
            .execute(&mut **tx)
            .await?;
            Ok(Some(1))
        }
        Some((v,)) if v == expected_version => {
            sqlx::query(
                "UPDATE lessons_learned SET summary = $1, went_well = $2, went_wrong = $3, root_cause = $4, \
                 contributing_factors = $5, detection_gaps = $6, recommendations = $7, review_held_on = $8, \
                 attendees = $9, updated_by = $10, updated_at = $11, version = version + 1 \
                 WHERE incident_id = $12 AND version = $13",
            )
            .bind(&d.summary)
            .bind(&d.went_well)
            .bind(&d.went_wrong)
            .bind(&d.root_cause)
            .bind(&d.contributing_factors)
            .bind(&d.detection_gaps)
            .bind(&d.recommendations)
            .bind(held)
            .bind(&d.attendees)
            .bind(by)
            .bind(to_db_time(now))
            .bind(incident_id)
            .bind(v)
            .execute(&mut **tx)
            .await?;
            Ok(Some(v + 1))
        }
        _ => Ok(None),
    }
}

#[derive(FromRow)]
struct ActionRow {
    id: String,
    text: String,
    owner: String,
    due_on: String,
    status: String,
    created_by: String,
    created_at: String,
    updated_by: String,
    updated_at: String,
}

impl TryFrom<ActionRow> for ActionItem {
    type Error = BackendError;
    fn try_from(r: ActionRow) -> Result<Self, BackendError> {
        Ok(ActionItem {
            due_on: date(&r.due_on)?,
            status: from_code(&r.status)?,
            created_at: from_db_time(&r.created_at)?,
            updated_at: from_db_time(&r.updated_at)?,
            id: r.id,
            text: r.text,
            owner: r.owner,
            created_by: r.created_by,
            updated_by: r.updated_by,
        })
    }
}

const ACTION_COLUMNS: &str = "id, text, owner, due_on, status, created_by, created_at, updated_by, updated_at";

/// An incident's action items, soonest due first.
pub async fn actions<'e>(
    db: impl Executor<'e, Database = Any>,
    incident_id: &str,
) -> Result<Vec<ActionItem>, BackendError> {
    let rows: Vec<ActionRow> = sqlx::query_as(&format!(
        "SELECT {ACTION_COLUMNS} FROM lesson_actions WHERE incident_id = $1 ORDER BY due_on, created_at, id"
    ))
    .bind(incident_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(ActionItem::try_from).collect()
}

pub async fn insert_action(
    tx: &mut Tx,
    id: &str,
    incident_id: &str,
    new: &NewActionItem,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query(&format!(
        "INSERT INTO lesson_actions (incident_id, {ACTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(incident_id)
    .bind(id)
    .bind(&new.text)
    .bind(&new.owner)
    .bind(date_text(new.due_on))
    .bind(ActionStatus::Open.code())
    .bind(by)
    .bind(to_db_time(now))
    .bind(by)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One of an incident's action items.
pub async fn get_action(tx: &mut Tx, incident_id: &str, id: &str) -> Result<Option<ActionItem>, BackendError> {
    let row: Option<ActionRow> =
        sqlx::query_as(&format!("SELECT {ACTION_COLUMNS} FROM lesson_actions WHERE incident_id = $1 AND id = $2"))
            .bind(incident_id)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(ActionItem::try_from).transpose()
}

pub async fn set_action_status(
    tx: &mut Tx,
    id: &str,
    status: ActionStatus,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE lesson_actions SET status = $1, updated_by = $2, updated_at = $3 WHERE id = $4")
        .bind(status.code())
        .bind(by)
        .bind(to_db_time(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
