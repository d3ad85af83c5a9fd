//! Timeline rows: append and list. There is no update or delete here, and the
//! database's triggers refuse both.

use super::{Tx, from_code, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::{Code, TimelineEvent};
use sqlx::{AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct TimelineRow {
    pub id: String,
    pub incident_id: String,
    pub event_at: String,
    pub recorded_at: String,
    pub author: String,
    pub kind: String,
    pub body: String,
}

impl TryFrom<TimelineRow> for TimelineEvent {
    type Error = BackendError;

    fn try_from(r: TimelineRow) -> Result<Self, BackendError> {
        Ok(TimelineEvent {
            event_at: from_db_time(&r.event_at)?,
            recorded_at: from_db_time(&r.recorded_at)?,
            kind: from_code(&r.kind)?,
            id: r.id,
            incident_id: r.incident_id,
            author: r.author,
            body: r.body,
        })
    }
}

pub async fn insert(tx: &mut Tx, e: &TimelineEvent) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO timeline_events (id, incident_id, event_at, recorded_at, author, kind, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&e.id)
    .bind(&e.incident_id)
    .bind(to_db_time(e.event_at))
    .bind(to_db_time(e.recorded_at))
    .bind(&e.author)
    .bind(e.kind.code())
    .bind(&e.body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An incident's events, newest event time first (ties: newest written first).
pub async fn list_for_incident(pool: &AnyPool, incident_id: &str) -> Result<Vec<TimelineEvent>, BackendError> {
    let rows: Vec<TimelineRow> = sqlx::query_as(
        "SELECT id, incident_id, event_at, recorded_at, author, kind, body FROM timeline_events \
         WHERE incident_id = $1 ORDER BY event_at DESC, recorded_at DESC, id DESC",
    )
    .bind(incident_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(TimelineEvent::try_from).collect()
}
