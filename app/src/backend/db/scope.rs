//! Affected-item rows: add, read, change state, list.

use super::{Tx, from_code, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::scope::{AffectedItem, ContainmentState};
use chrono::{DateTime, Utc};
use sqlx::{AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct AffectedItemRow {
    pub id: String,
    pub incident_id: String,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub state: String,
    pub state_changed_at: String,
    pub added_by: String,
    pub added_at: String,
}

const COLUMNS: &str = "id, incident_id, kind, name, description, state, state_changed_at, added_by, added_at";

impl TryFrom<AffectedItemRow> for AffectedItem {
    type Error = BackendError;

    fn try_from(r: AffectedItemRow) -> Result<Self, BackendError> {
        Ok(AffectedItem {
            kind: from_code(&r.kind)?,
            state: from_code(&r.state)?,
            state_changed_at: from_db_time(&r.state_changed_at)?,
            added_at: from_db_time(&r.added_at)?,
            id: r.id,
            incident_id: r.incident_id,
            name: r.name,
            description: r.description,
            added_by: r.added_by,
        })
    }
}

pub async fn insert(tx: &mut Tx, a: &AffectedItem) -> Result<(), BackendError> {
    sqlx::query(&format!("INSERT INTO affected_items ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .bind(&a.id)
        .bind(&a.incident_id)
        .bind(a.kind.code())
        .bind(&a.name)
        .bind(&a.description)
        .bind(a.state.code())
        .bind(to_db_time(a.state_changed_at))
        .bind(&a.added_by)
        .bind(to_db_time(a.added_at))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn get(tx: &mut Tx, incident_id: &str, id: &str) -> Result<Option<AffectedItem>, BackendError> {
    let row: Option<AffectedItemRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM affected_items WHERE incident_id = $1 AND id = $2"))
            .bind(incident_id)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(AffectedItem::try_from).transpose()
}

pub async fn set_state(tx: &mut Tx, id: &str, state: ContainmentState, at: DateTime<Utc>) -> Result<(), BackendError> {
    sqlx::query("UPDATE affected_items SET state = $1, state_changed_at = $2 WHERE id = $3")
        .bind(state.code())
        .bind(to_db_time(at))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn list_for_incident(pool: &AnyPool, incident_id: &str) -> Result<Vec<AffectedItem>, BackendError> {
    let rows: Vec<AffectedItemRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM affected_items WHERE incident_id = $1 ORDER BY added_at, name"))
            .bind(incident_id)
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(AffectedItem::try_from).collect()
}
