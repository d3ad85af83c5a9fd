//! Evidence rows and their custody log. The log has no update or delete here,
//! and the database's triggers refuse both.

use super::{Tx, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::evidence::{CustodyEntry, EvidenceItem};
use sqlx::{AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct EvidenceRow {
    pub id: String,
    pub incident_id: String,
    pub item: String,
    pub description: String,
    pub collected_by: String,
    pub collected_at: String,
    pub location: String,
    pub sha256: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl TryFrom<EvidenceRow> for EvidenceItem {
    type Error = BackendError;

    fn try_from(r: EvidenceRow) -> Result<Self, BackendError> {
        Ok(EvidenceItem {
            collected_at: from_db_time(&r.collected_at)?,
            recorded_at: from_db_time(&r.recorded_at)?,
            id: r.id,
            incident_id: r.incident_id,
            item: r.item,
            description: r.description,
            collected_by: r.collected_by,
            location: r.location,
            sha256: r.sha256,
            recorded_by: r.recorded_by,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct CustodyRow {
    pub id: String,
    pub evidence_id: String,
    pub from_person: String,
    pub to_person: String,
    pub handed_at: String,
    pub purpose: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl TryFrom<CustodyRow> for CustodyEntry {
    type Error = BackendError;

    fn try_from(r: CustodyRow) -> Result<Self, BackendError> {
        Ok(CustodyEntry {
            handed_at: from_db_time(&r.handed_at)?,
            recorded_at: from_db_time(&r.recorded_at)?,
            id: r.id,
            evidence_id: r.evidence_id,
            from_person: r.from_person,
            to_person: r.to_person,
            purpose: r.purpose,
            recorded_by: r.recorded_by,
        })
    }
}

const EVIDENCE_COLUMNS: &str =
    "id, incident_id, item, description, collected_by, collected_at, location, sha256, recorded_by, recorded_at";
const CUSTODY_COLUMNS: &str = "id, evidence_id, from_person, to_person, handed_at, purpose, recorded_by, recorded_at";

pub async fn insert(tx: &mut Tx, e: &EvidenceItem) -> Result<(), BackendError> {
    sqlx::query(&format!("INSERT INTO evidence ({EVIDENCE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
        .bind(&e.id)
        .bind(&e.incident_id)
        .bind(&e.item)
        .bind(&e.description)
        .bind(&e.collected_by)
        .bind(to_db_time(e.collected_at))
        .bind(&e.location)
        .bind(e.sha256.clone())
        .bind(&e.recorded_by)
        .bind(to_db_time(e.recorded_at))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One evidence item of one incident, with its custody log.
pub async fn get(
    tx: &mut Tx,
    incident_id: &str,
    evidence_id: &str,
) -> Result<Option<(EvidenceItem, Vec<CustodyEntry>)>, BackendError> {
    let row: Option<EvidenceRow> =
        sqlx::query_as(&format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE incident_id = $1 AND id = $2"))
            .bind(incident_id)
            .bind(evidence_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let log: Vec<CustodyRow> = sqlx::query_as(&format!(
        "SELECT {CUSTODY_COLUMNS} FROM custody_entries WHERE evidence_id = $1 ORDER BY handed_at, recorded_at"
    ))
    .bind(evidence_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Some((row.try_into()?, log.into_iter().map(CustodyEntry::try_from).collect::<Result<_, _>>()?)))
}

pub async fn append_custody(tx: &mut Tx, c: &CustodyEntry) -> Result<(), BackendError> {
    sqlx::query(&format!("INSERT INTO custody_entries ({CUSTODY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        .bind(&c.id)
        .bind(&c.evidence_id)
        .bind(&c.from_person)
        .bind(&c.to_person)
        .bind(to_db_time(c.handed_at))
        .bind(&c.purpose)
        .bind(&c.recorded_by)
        .bind(to_db_time(c.recorded_at))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An incident's evidence with each item's custody log (oldest first).
pub async fn list_for_incident(
    pool: &AnyPool,
    incident_id: &str,
) -> Result<Vec<(EvidenceItem, Vec<CustodyEntry>)>, BackendError> {
    let items: Vec<EvidenceRow> = sqlx::query_as(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE incident_id = $1 ORDER BY collected_at, recorded_at"
    ))
    .bind(incident_id)
    .fetch_all(pool)
    .await?;
    let log: Vec<CustodyRow> = sqlx::query_as(
        "SELECT c.id, c.evidence_id, c.from_person, c.to_person, c.handed_at, c.purpose, c.recorded_by, c.recorded_at \
         FROM custody_entries c JOIN evidence e ON e.id = c.evidence_id \
         WHERE e.incident_id = $1 ORDER BY c.handed_at, c.recorded_at",
    )
    .bind(incident_id)
    .fetch_all(pool)
    .await?;
    let mut log: Vec<CustodyEntry> = log.into_iter().map(CustodyEntry::try_from).collect::<Result<_, _>>()?;
    items
        .into_iter()
        .map(|row| {
            let item = EvidenceItem::try_from(row)?;
            let (mine, rest): (Vec<_>, Vec<_>) = log.drain(..).partition(|c| c.evidence_id == item.id);
            log = rest;
            Ok((item, mine))
        })
        .collect()
}
