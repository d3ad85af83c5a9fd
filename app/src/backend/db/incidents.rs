//! Incident rows: insert, read, lock, update, and the board's filtered lists.

use super::{Tx, from_code, from_db_time, opt_from_db_time, opt_to_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::access::{Role, sees_all_unrestricted};
use crate::domain::{Classification, Code, Incident, Milestones};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool, Arguments, FromRow};

/// An incident as stored: every column as text or integer.
#[derive(Debug, FromRow)]
pub struct IncidentRow {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub subtype: String,
    pub functional_impact: String,
    pub information_impact: String,
    pub recoverability: String,
    pub urgency: String,
    pub priority: String,
    pub tlp: String,
    pub phase: String,
    pub phase_entered_at: String,
    pub commander: Option<String>,
    pub reporter: String,
    pub occurred_at: Option<String>,
    pub detected_at: Option<String>,
    pub reported_at: String,
    pub acknowledged_at: Option<String>,
    pub contained_at: Option<String>,
    pub eradicated_at: Option<String>,
    pub recovered_at: Option<String>,
    pub closed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    pub restricted: i64,
    pub reported_by: Option<String>,
}

const COLUMNS: &str = "id, reference, title, summary, category, subtype, functional_impact, information_impact, \
    recoverability, urgency, priority, tlp, phase, phase_entered_at, commander, reporter, occurred_at, detected_at, \
    reported_at, acknowledged_at, contained_at, eradicated_at, recovered_at, closed_at, created_at, updated_at, version, \
    restricted, reported_by";

impl TryFrom<IncidentRow> for Incident {
    type Error = BackendError;

    fn try_from(r: IncidentRow) -> Result<Self, BackendError> {
        Ok(Incident {
            classification: Classification::parse(&r.category, &r.subtype).map_err(BackendError::unexpected)?,
            functional_impact: from_code(&r.functional_impact)?,
            information_impact: from_code(&r.information_impact)?,
            recoverability: from_code(&r.recoverability)?,
            urgency: from_code(&r.urgency)?,
            priority: from_code(&r.priority)?,
            tlp: from_code(&r.tlp)?,
            phase: from_code(&r.phase)?,
            phase_entered_at: from_db_time(&r.phase_entered_at)?,
            occurred_at: opt_from_db_time(r.occurred_at.as_deref())?,
            detected_at: opt_from_db_time(r.detected_at.as_deref())?,
            reported_at: from_db_time(&r.reported_at)?,
            acknowledged_at: opt_from_db_time(r.acknowledged_at.as_deref())?,
            milestones: Milestones {
                contained_at: opt_from_db_time(r.contained_at.as_deref())?,
                eradicated_at: opt_from_db_time(r.eradicated_at.as_deref())?,
                recovered_at: opt_from_db_time(r.recovered_at.as_deref())?,
                closed_at: opt_from_db_time(r.closed_at.as_deref())?,
            },
            created_at: from_db_time(&r.created_at)?,
            updated_at: from_db_time(&r.updated_at)?,
            id: r.id,
            reference: r.reference,
            title: r.title,
            summary: r.summary,
            commander: r.commander,
            reporter: r.reporter,
            version: r.version,
            restricted: r.restricted != 0,
            reported_by: r.reported_by,
        })
    }
}

fn rows_to_incidents(rows: Vec<IncidentRow>) -> Result<Vec<Incident>, BackendError> {
    rows.into_iter().map(Incident::try_from).collect()
}

/// Takes the next reference number of `year`. The upsert is a write, so it
/// serialises concurrent creators on both backends: SQLite has one writer at a
/// time, PostgreSQL locks the counter row until the transaction ends.
pub async fn next_number(tx: &mut Tx, year: i32) -> Result<i64, BackendError> {
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO incident_sequences (year, last_number) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_number = incident_sequences.last_number + 1 \
         RETURNING last_number",
    )
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

pub async fn insert(tx: &mut Tx, i: &Incident) -> Result<(), BackendError> {
    let sql = format!(
        "INSERT INTO incidents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)"
    );
    sqlx::query(&sql)
        .bind(&i.id)
        .bind(&i.reference)
        .bind(&i.title)
        .bind(&i.summary)
        .bind(i.classification.category())
        .bind(i.classification.subtype())
        .bind(i.functional_impact.code())
        .bind(i.information_impact.code())
        .bind(i.recoverability.code())
        .bind(i.urgency.code())
        .bind(i.priority.code())
        .bind(i.tlp.code())
        .bind(i.phase.code())
        .bind(to_db_time(i.phase_entered_at))
        .bind(i.commander.clone())
        .bind(&i.reporter)
        .bind(opt_to_db_time(i.occurred_at))
        .bind(opt_to_db_time(i.detected_at))
        .bind(to_db_time(i.reported_at))
        .bind(opt_to_db_time(i.acknowledged_at))
        .bind(opt_to_db_time(i.milestones.contained_at))
        .bind(opt_to_db_time(i.milestones.eradicated_at))
        .bind(opt_to_db_time(i.milestones.recovered_at))
        .bind(opt_to_db_time(i.milestones.closed_at))
        .bind(to_db_time(i.created_at))
        .bind(to_db_time(i.updated_at))
        .bind(i.version)
        .bind(i64::from(i.restricted))
        .bind(i.reported_by.clone())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Locks an incident for the rest of the transaction and returns it.
///
/// The no-op UPDATE is the portable row lock: it takes SQLite's write lock
/// (so a later read-then-write in the same transaction cannot hit
/// SQLITE_BUSY) and PostgreSQL's row lock (like `SELECT … FOR UPDATE`).
pub async fn lock_by_reference(tx: &mut Tx, reference: &str) -> Result<Incident, BackendError> {
    let locked = sqlx::query("UPDATE incidents SET version = version WHERE reference = $1")
        .bind(reference)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(BackendError::NotFound);
    }
    let row: IncidentRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM incidents WHERE reference = $1"))
        .bind(reference)
        .fetch_one(&mut **tx)
        .await?;
    row.try_into()
}

pub async fn get_by_reference(pool: &AnyPool, reference: &str) -> Result<Option<Incident>, BackendError> {
    let row: Option<IncidentRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM incidents WHERE reference = $1"))
        .bind(reference)
        .fetch_optional(pool)
        .await?;
    row.map(Incident::try_from).transpose()
}

/// Writes every mutable column of `i`, if the stored version is still
/// `expected_version`. Returns false when someone else changed it first.
pub async fn update(tx: &mut Tx, i: &Incident, expected_version: i64) -> Result<bool, BackendError> {
    let done = sqlx::query(
        "UPDATE incidents SET title = $1, summary = $2, category = $3, subtype = $4, functional_impact = $5, \
         information_impact = $6, recoverability = $7, urgency = $8, priority = $9, tlp = $10, phase = $11, \
         phase_entered_at = $12, commander = $13, occurred_at = $14, detected_at = $15, acknowledged_at = $16, \
         contained_at = $17, eradicated_at = $18, recovered_at = $19, closed_at = $20, updated_at = $21, version = $22 \
         WHERE id = $23 AND version = $24",
    )
    .bind(&i.title)
    .bind(&i.summary)
    .bind(i.classification.category())
    .bind(i.classification.subtype())
    .bind(i.functional_impact.code())
    .bind(i.information_impact.code())
    .bind(i.recoverability.code())
    .bind(i.urgency.code())
    .bind(i.priority.code())
    .bind(i.tlp.code())
    .bind(i.phase.code())
    .bind(to_db_time(i.phase_entered_at))
    .bind(i.commander.clone())
    .bind(opt_to_db_time(i.occurred_at))
    .bind(opt_to_db_time(i.detected_at))
    .bind(opt_to_db_time(i.acknowledged_at))
    .bind(opt_to_db_time(i.milestones.contained_at))
    .bind(opt_to_db_time(i.milestones.eradicated_at))
    .bind(opt_to_db_time(i.milestones.recovered_at))
    .bind(opt_to_db_time(i.milestones.closed_at))
    .bind(to_db_time(i.updated_at))
    .bind(i.version)
    .bind(&i.id)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Who is looking: need-to-know is applied in SQL so that lists, searches
/// and counts never include what the viewer may not see.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: String,
    pub role: Role,
}

impl Viewer {
    /// The SQL condition (on a query over `incidents`) under which the viewer
    /// sees a row, binding its parameters onto `args`. Mirrors
    /// [`crate::domain::access::can_see`], which a unit test keeps in step.
    pub fn clause(&self, args: &mut AnyArguments<'_>) -> Result<String, BackendError> {
        self.clause_on("incidents", args)
    }

    /// [`Viewer::clause`] for a query that names the incidents table `alias`.
    pub fn clause_on(&self, alias: &str, args: &mut AnyArguments<'_>) -> Result<String, BackendError> {
        if self.role == Role::Admin {
            return Ok("1 = 1".into());
        }
        args.add(self.user_id.clone()).map_err(BackendError::unexpected)?;
        let member = format!(
            "EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_id = {alias}.id AND m.user_id = ${})",
            args.len()
        );
        Ok(if sees_all_unrestricted(self.role) { format!("({alias}.restricted = 0 OR {member})") } else { member })
    }
}

/// The board's filters, already validated.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    /// Need-to-know; `None` only for the command line.
    pub viewer: Option<Viewer>,
    /// Case-insensitive text matched against reference, title and summary.
    pub text: Option<String>,
    pub priority: Option<String>,
    pub category: Option<String>,
    pub commander: Option<String>,
}

/// Builds the WHERE clause for `filter` with numbered placeholders.
fn filter_clause(filter: &IncidentFilter, args: &mut AnyArguments<'_>) -> Result<String, BackendError> {
    let mut clauses = Vec::new();
    if let Some(viewer) = &filter.viewer {
        clauses.push(viewer.clause(args)?);
    }
    let mut n = args.len();
    let mut bind = |args: &mut AnyArguments<'_>, value: String| -> Result<usize, BackendError> {
        args.add(value).map_err(BackendError::unexpected)?;
        n += 1;
        Ok(n)
    };
    if let Some(text) = &filter.text {
        let pattern =
            format!("%{}%", text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let a = bind(args, pattern.clone())?;
        let b = bind(args, pattern.clone())?;
        let c = bind(args, pattern)?;
        clauses.push(format!(
            "(LOWER(reference) LIKE ${a} ESCAPE '\\' OR LOWER(title) LIKE ${b} ESCAPE '\\' OR LOWER(summary) LIKE ${c} ESCAPE '\\')"
        ));
    }
    if let Some(p) = &filter.priority {
        clauses.push(format!("priority = ${}", bind(args, p.clone())?));
    }
    if let Some(c) = &filter.category {
        clauses.push(format!("category = ${}", bind(args, c.clone())?));
    }
    if let Some(c) = &filter.commander {
        clauses.push(format!("commander = ${}", bind(args, c.clone())?));
    }
    Ok(if clauses.is_empty() { "1 = 1".into() } else { clauses.join(" AND ") })
}

/// Open incidents (every phase but Closed) matching `filter`, most urgent first.
pub async fn list_open(pool: &AnyPool, filter: &IncidentFilter) -> Result<Vec<Incident>, BackendError> {
    let mut args = AnyArguments::default();
    let clause = filter_clause(filter, &mut args)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM incidents WHERE phase <> 'closed' AND {clause} ORDER BY priority, phase_entered_at"
    );
    let rows: Vec<IncidentRow> = sqlx::query_as_with::<Any, IncidentRow, _>(&sql, args).fetch_all(pool).await?;
    rows_to_incidents(rows)
}

/// The most recently closed incidents matching `filter`, and how many match in all.
pub async fn list_closed(
    pool: &AnyPool,
    filter: &IncidentFilter,
    limit: i64,
) -> Result<(Vec<Incident>, i64), BackendError> {
    let mut args = AnyArguments::default();
    let clause = filter_clause(filter, &mut args)?;
    let (total,): (i64,) =
        sqlx::query_as_with(&format!("SELECT COUNT(*) FROM incidents WHERE phase = 'closed' AND {clause}"), args)
            .fetch_one(pool)
            .await?;
    let mut args = AnyArguments::default();
    let clause = filter_clause(filter, &mut args)?;
    args.add(limit).map_err(BackendError::unexpected)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM incidents WHERE phase = 'closed' AND {clause} ORDER BY closed_at DESC LIMIT ${}",
        args.len()
    );
    let rows: Vec<IncidentRow> = sqlx::query_as_with::<Any, IncidentRow, _>(&sql, args).fetch_all(pool).await?;
    Ok((rows_to_incidents(rows)?, total))
}

/// Every commander named on an incident the viewer sees, for the board's filter.
pub async fn commanders(pool: &AnyPool, viewer: &Viewer) -> Result<Vec<String>, BackendError> {
    let mut args = AnyArguments::default();
    let visible = viewer.clause(&mut args)?;
    let rows: Vec<(String,)> = sqlx::query_as_with(
        &format!(
            "SELECT DISTINCT commander FROM incidents WHERE commander IS NOT NULL AND {visible} ORDER BY commander"
        ),
        args,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// How many incidents exist in all.
pub async fn count(pool: &AnyPool) -> Result<i64, BackendError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM incidents").fetch_one(pool).await?;
    Ok(n)
}
