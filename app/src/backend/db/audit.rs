//! The hash-chained audit log: append (inside the caller's transaction),
//! read with filters, and read the whole chain for verification.

use super::{Tx, to_db_time};
use crate::backend::auth::sha256_hex;
use crate::backend::error::BackendError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool, Arguments, FromRow};

/// The hash of the empty chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize, serde::Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields a record's hash covers, in a fixed order (serde_json writes
/// struct fields in declaration order, so this is the canonical form).
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    object: &'a str,
    summary: &'a str,
}

/// `SHA-256(prev_hash ‖ canonical record)`, hex.
pub fn chain_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    object: &str,
    summary: &str,
) -> String {
    let canonical = serde_json::to_string(&Canonical { seq, at, actor, action, object, summary }).unwrap_or_default();
    let mut data = Vec::with_capacity(prev_hash.len() + canonical.len());
    data.extend_from_slice(prev_hash.as_bytes());
    data.extend_from_slice(canonical.as_bytes());
    sha256_hex(&data)
}

/// Appends one record to the chain, in `tx`. The head row is updated first,
/// which holds PostgreSQL's row lock (SQLite's write lock) until commit, so
/// concurrent appenders queue and each sees the previous one's hash. Callers
/// append after their other writes, so no transaction waits for another
/// lock while holding the head.
pub async fn append(
    tx: &mut Tx,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    object: &str,
    summary: &str,
) -> Result<i64, BackendError> {
    let (seq, prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
    let at = to_db_time(at);
    let hash = chain_hash(&prev, seq, &at, actor, action, object, summary);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, object, summary, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(&at)
    .bind(actor)
    .bind(action)
    .bind(object)
    .bind(summary)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
    Ok(seq)
}

/// The head as recorded: (last seq, its hash).
pub async fn head(pool: &AnyPool) -> Result<(i64, String), BackendError> {
    Ok(sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?)
}

/// Rows in chain order, `limit` at a time from after `after_seq`.
pub async fn chain_page(pool: &AnyPool, after_seq: i64, limit: i64) -> Result<Vec<AuditRow>, BackendError> {
    Ok(sqlx::query_as(
        "SELECT seq, at, actor, action, object, summary, prev_hash, hash FROM audit_log \
         WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Filters of the admin page, validated.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object: Option<String>,
}

/// The newest records matching `filter`, newest first.
pub async fn search(pool: &AnyPool, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditRow>, BackendError> {
    let mut args = AnyArguments::default();
    let mut clauses = vec!["1 = 1".to_owned()];
    for (column, value) in [("actor", &filter.actor), ("action", &filter.action), ("object", &filter.object)] {
        if let Some(v) = value {
            args.add(v.clone()).map_err(BackendError::unexpected)?;
            clauses.push(format!("{column} = ${}", args.len()));
        }
    }
    args.add(limit).map_err(BackendError::unexpected)?;
    let sql = format!(
        "SELECT seq, at, actor, action, object, summary, prev_hash, hash FROM audit_log WHERE {} \
         ORDER BY seq DESC LIMIT ${}",
        clauses.join(" AND "),
        args.len()
    );
    Ok(sqlx::query_as_with::<Any, AuditRow, _>(&sql, args).fetch_all(pool).await?)
}

/// The distinct actions recorded, for the filter.
pub async fn actions(pool: &AnyPool) -> Result<Vec<String>, BackendError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT action FROM audit_log ORDER BY action").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}
