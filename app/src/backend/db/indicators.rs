//! Indicator rows: add or widen per incident, list, and find across incidents.

use super::incidents::Viewer;
use super::{Tx, from_code, from_db_time, opt_from_db_time, opt_to_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::{Code, Indicator, IndicatorKind};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool, Arguments, FromRow};

#[derive(Debug, FromRow)]
pub struct IndicatorRow {
    pub id: String,
    pub incident_id: String,
    pub kind: String,
    pub value: String,
    pub tlp: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub added_by: String,
    pub added_at: String,
}

const COLUMNS: &str = "id, incident_id, kind, value, tlp, first_seen, last_seen, added_by, added_at";

impl TryFrom<IndicatorRow> for Indicator {
    type Error = BackendError;

    fn try_from(r: IndicatorRow) -> Result<Self, BackendError> {
        Ok(Indicator {
            kind: from_code(&r.kind)?,
            tlp: from_code(&r.tlp)?,
            first_seen: opt_from_db_time(r.first_seen.as_deref())?,
            last_seen: opt_from_db_time(r.last_seen.as_deref())?,
            added_at: from_db_time(&r.added_at)?,
            id: r.id,
            incident_id: r.incident_id,
            value: r.value,
            added_by: r.added_by,
        })
    }
}

/// The incident's indicator with this kind and value, if recorded.
pub async fn find_in_incident(
    tx: &mut Tx,
    incident_id: &str,
    kind: IndicatorKind,
    value: &str,
) -> Result<Option<Indicator>, BackendError> {
    let row: Option<IndicatorRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM indicators WHERE incident_id = $1 AND kind = $2 AND value = $3"
    ))
    .bind(incident_id)
    .bind(kind.code())
    .bind(value)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Indicator::try_from).transpose()
}

pub async fn insert(tx: &mut Tx, i: &Indicator) -> Result<(), BackendError> {
    sqlx::query(&format!("INSERT INTO indicators ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .bind(&i.id)
        .bind(&i.incident_id)
        .bind(i.kind.code())
        .bind(&i.value)
        .bind(i.tlp.code())
        .bind(opt_to_db_time(i.first_seen))
        .bind(opt_to_db_time(i.last_seen))
        .bind(&i.added_by)
        .bind(to_db_time(i.added_at))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Updates the seen window and marking of a recorded indicator.
pub async fn update_sighting(tx: &mut Tx, i: &Indicator) -> Result<(), BackendError> {
    sqlx::query("UPDATE indicators SET first_seen = $1, last_seen = $2, tlp = $3 WHERE id = $4")
        .bind(opt_to_db_time(i.first_seen))
        .bind(opt_to_db_time(i.last_seen))
        .bind(i.tlp.code())
        .bind(&i.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn list_for_incident(pool: &AnyPool, incident_id: &str) -> Result<Vec<Indicator>, BackendError> {
    let rows: Vec<IndicatorRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM indicators WHERE incident_id = $1 ORDER BY kind, value"))
            .bind(incident_id)
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Indicator::try_from).collect()
}

/// A sighting of an indicator on some incident.
#[derive(Debug, FromRow)]
pub struct SightingRow {
    pub reference: String,
    pub title: String,
    pub kind: String,
    pub value: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// Every incident on which an indicator with this kind and value was recorded.
pub async fn sightings(
    pool: &AnyPool,
    viewer: &Viewer,
    kind: IndicatorKind,
    value: &str,
) -> Result<Vec<SightingRow>, BackendError> {
    let mut args = AnyArguments::default();
    args.add(kind.code()).map_err(BackendError::unexpected)?;
    args.add(value.to_owned()).map_err(BackendError::unexpected)?;
    let visible = viewer.clause_on("i", &mut args)?;
    let sql = format!(
        "SELECT i.reference AS reference, i.title AS title, d.kind AS kind, d.value AS value, \
         d.first_seen AS first_seen, d.last_seen AS last_seen \
         FROM indicators d JOIN incidents i ON i.id = d.incident_id \
         WHERE d.kind = $1 AND d.value = $2 AND {visible} ORDER BY i.reference"
    );
    Ok(sqlx::query_as_with::<Any, SightingRow, _>(&sql, args).fetch_all(pool).await?)
}

/// For each indicator of an incident, the other incidents that share it.
pub async fn shared_with_other_incidents(
    pool: &AnyPool,
    viewer: &Viewer,
    incident_id: &str,
) -> Result<Vec<(String, String)>, BackendError> {
    let mut args = AnyArguments::default();
    args.add(incident_id.to_owned()).map_err(BackendError::unexpected)?;
    let visible = viewer.clause_on("other_incident", &mut args)?;
    let sql = format!(
        "SELECT mine.id, other_incident.reference FROM indicators mine \
         JOIN indicators other ON other.kind = mine.kind AND other.value = mine.value AND other.incident_id <> mine.incident_id \
         JOIN incidents other_incident ON other_incident.id = other.incident_id \
         WHERE mine.incident_id = $1 AND {visible} ORDER BY other_incident.reference"
    );
    Ok(sqlx::query_as_with::<Any, (String, String), _>(&sql, args).fetch_all(pool).await?)
}
