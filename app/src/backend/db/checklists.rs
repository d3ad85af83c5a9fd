//! Checklist rows: instantiate, add, tick and untick, and the board's
//! per-incident progress of the current phase.

use super::{Tx, from_code, new_id, opt_from_db_time, opt_to_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::{ChecklistItem, Code, NewChecklistItem, PhaseProgress};
use chrono::{DateTime, Utc};
use sqlx::{AnyPool, FromRow};
use std::collections::HashMap;

#[derive(Debug, FromRow)]
pub struct ChecklistRow {
    pub id: String,
    pub incident_id: String,
    pub phase: String,
    pub position: i64,
    pub text: String,
    pub required: i64,
    pub owner_role: Option<String>,
    pub owner: Option<String>,
    pub due_at: Option<String>,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
    pub note: String,
    pub playbook: Option<String>,
}

const COLUMNS: &str =
    "id, incident_id, phase, position, text, required, owner_role, owner, due_at, done_at, done_by, note, playbook";

impl TryFrom<ChecklistRow> for ChecklistItem {
    type Error = BackendError;

    fn try_from(r: ChecklistRow) -> Result<Self, BackendError> {
        Ok(ChecklistItem {
            phase: from_code(&r.phase)?,
            owner_role: r.owner_role.as_deref().map(from_code).transpose()?,
            due_at: opt_from_db_time(r.due_at.as_deref())?,
            done_at: opt_from_db_time(r.done_at.as_deref())?,
            required: r.required != 0,
            id: r.id,
            incident_id: r.incident_id,
            position: r.position,
            text: r.text,
            owner: r.owner,
            done_by: r.done_by,
            note: r.note,
            playbook: r.playbook,
        })
    }
}

/// Appends items to an incident's checklist, after the existing ones of each phase.
pub async fn insert_all(
    tx: &mut Tx,
    incident_id: &str,
    items: &[NewChecklistItem],
    now: DateTime<Utc>,
) -> Result<Vec<ChecklistItem>, BackendError> {
    let (max,): (Option<i64>,) = sqlx::query_as("SELECT MAX(position) FROM checklist_items WHERE incident_id = $1")
        .bind(incident_id)
        .fetch_one(&mut **tx)
        .await?;
    let mut stored = Vec::with_capacity(items.len());
    for (position, item) in (max.unwrap_or(0) + 1..).zip(items) {
        let stored_item = ChecklistItem {
            id: new_id(),
            incident_id: incident_id.to_owned(),
            phase: item.phase,
            position,
            text: item.text.clone(),
            required: item.required,
            owner_role: item.owner_role,
            owner: item.owner.clone(),
            due_at: item.due_at,
            done_at: None,
            done_by: None,
            note: String::new(),
            playbook: item.playbook.clone(),
        };
        sqlx::query(&format!(
            "INSERT INTO checklist_items ({COLUMNS}, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&stored_item.id)
        .bind(&stored_item.incident_id)
        .bind(stored_item.phase.code())
        .bind(stored_item.position)
        .bind(&stored_item.text)
        .bind(i64::from(stored_item.required))
        .bind(stored_item.owner_role.map(|r| r.code()))
        .bind(stored_item.owner.clone())
        .bind(opt_to_db_time(stored_item.due_at))
        .bind(None::<String>)
        .bind(None::<String>)
        .bind("")
        .bind(stored_item.playbook.clone())
        .bind(to_db_time(now))
        .execute(&mut **tx)
        .await?;
        stored.push(stored_item);
    }
    Ok(stored)
}

/// An incident's checklist in phase and position order.
pub async fn list_for_incident(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    incident_id: &str,
) -> Result<Vec<ChecklistItem>, BackendError> {
    let rows: Vec<ChecklistRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM checklist_items WHERE incident_id = $1 ORDER BY position"))
            .bind(incident_id)
            .fetch_all(executor)
            .await?;
    rows.into_iter().map(ChecklistItem::try_from).collect()
}

/// One item of one incident.
pub async fn get(tx: &mut Tx, incident_id: &str, item_id: &str) -> Result<Option<ChecklistItem>, BackendError> {
    let row: Option<ChecklistRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM checklist_items WHERE incident_id = $1 AND id = $2"))
            .bind(incident_id)
            .bind(item_id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(ChecklistItem::try_from).transpose()
}

/// Marks an item done (with who, when and a note) or not done.
pub async fn set_done(
    tx: &mut Tx,
    item_id: &str,
    done: Option<(DateTime<Utc>, &str)>,
    note: &str,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE checklist_items SET done_at = $1, done_by = $2, note = $3 WHERE id = $4")
        .bind(done.map(|(at, _)| to_db_time(at)))
        .bind(done.map(|(_, by)| by.to_owned()))
        .bind(note)
        .bind(item_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets an item's owner, due time and note.
pub async fn set_details(
    tx: &mut Tx,
    item_id: &str,
    owner: Option<&str>,
    due_at: Option<DateTime<Utc>>,
    note: &str,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE checklist_items SET owner = $1, due_at = $2, note = $3 WHERE id = $4")
        .bind(owner.map(str::to_owned))
        .bind(due_at.map(to_db_time))
        .bind(note)
        .bind(item_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes the playbook items not yet done, when a reclassification brings
/// another playbook. Done items and ad-hoc items stay.
pub async fn delete_open_playbook_items(tx: &mut Tx, incident_id: &str) -> Result<u64, BackendError> {
    Ok(sqlx::query("DELETE FROM checklist_items WHERE incident_id = $1 AND playbook IS NOT NULL AND done_at IS NULL")
        .bind(incident_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

#[derive(Debug, FromRow)]
struct ProgressRow {
    incident_id: String,
    total: i64,
    done: i64,
    required_open: i64,
    overdue: i64,
}

/// Current-phase checklist progress of every open incident that has items.
pub async fn progress_of_open_incidents(
    pool: &AnyPool,
    now: DateTime<Utc>,
) -> Result<HashMap<String, PhaseProgress>, BackendError> {
    let rows: Vec<ProgressRow> = sqlx::query_as(
        "SELECT c.incident_id AS incident_id, COUNT(*) AS total, \
         SUM(CASE WHEN c.done_at IS NOT NULL THEN 1 ELSE 0 END) AS done, \
         SUM(CASE WHEN c.done_at IS NULL AND c.required <> 0 THEN 1 ELSE 0 END) AS required_open, \
         SUM(CASE WHEN c.done_at IS NULL AND c.due_at IS NOT NULL AND c.due_at < $1 THEN 1 ELSE 0 END) AS overdue \
         FROM checklist_items c JOIN incidents i ON i.id = c.incident_id AND i.phase = c.phase \
         WHERE i.phase <> 'closed' GROUP BY c.incident_id",
    )
    .bind(to_db_time(now))
    .fetch_all(pool)
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(rows
        .into_iter()
        .map(|r| {
            let progress = PhaseProgress {
                total: count(r.total),
                done: count(r.done),
                required_open: count(r.required_open),
                overdue: count(r.overdue),
            };
            (r.incident_id, progress)
        })
        .collect())
}
