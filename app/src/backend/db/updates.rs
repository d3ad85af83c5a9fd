//! Stakeholder update rows and their deliveries (the outbox the delivery
//! worker drains).

use super::{Tx, from_code, from_db_time, opt_from_db_time, opt_to_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::communication::{Delivery, DeliveryStatus, StakeholderUpdate};
use crate::domain::preparation::Audience;
use chrono::{DateTime, Utc};
use sqlx::{Any, AnyPool, Executor, FromRow};
use std::collections::HashMap;

#[derive(Debug, FromRow)]
struct UpdateRow {
    id: String,
    incident_id: String,
    number: i64,
    state: String,
    audiences: String,
    tlp: String,
    status_summary: String,
    impact: String,
    actions_taken: String,
    next_steps: String,
    next_update_at: Option<String>,
    drafted_by: String,
    drafted_at: String,
    approved_by: Option<String>,
    approved_at: Option<String>,
    sent_by: Option<String>,
    sent_at: Option<String>,
    version: i64,
}

const UPDATE_COLUMNS: &str = "id, incident_id, number, state, audiences, tlp, status_summary, impact, actions_taken, \
     next_steps, next_update_at, drafted_by, drafted_at, approved_by, approved_at, sent_by, sent_at, version";

impl TryFrom<UpdateRow> for StakeholderUpdate {
    type Error = BackendError;

    fn try_from(r: UpdateRow) -> Result<Self, BackendError> {
        let audiences = r
            .audiences
            .split(',')
            .filter(|s| !s.is_empty())
            .map(from_code::<Audience>)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StakeholderUpdate {
            state: from_code(&r.state)?,
            tlp: from_code(&r.tlp)?,
            next_update_at: opt_from_db_time(r.next_update_at.as_deref())?,
            drafted_at: from_db_time(&r.drafted_at)?,
            approved_at: opt_from_db_time(r.approved_at.as_deref())?,
            sent_at: opt_from_db_time(r.sent_at.as_deref())?,
            audiences,
            id: r.id,
            incident_id: r.incident_id,
            number: r.number,
            status_summary: r.status_summary,
            impact: r.impact,
            actions_taken: r.actions_taken,
            next_steps: r.next_steps,
            drafted_by: r.drafted_by,
            approved_by: r.approved_by,
            sent_by: r.sent_by,
            version: r.version,
        })
    }
}

fn audience_codes(u: &StakeholderUpdate) -> String {
    u.audiences.iter().map(|a| a.code()).collect::<Vec<_>>().join(",")
}

/// The next update number of an incident; call it with the incident locked.
pub async fn next_number(tx: &mut Tx, incident_id: &str) -> Result<i64, BackendError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM stakeholder_updates WHERE incident_id = $1")
            .bind(incident_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(n)
}

pub async fn insert(tx: &mut Tx, u: &StakeholderUpdate) -> Result<(), BackendError> {
    sqlx::query(&format!(
        "INSERT INTO stakeholder_updates ({UPDATE_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    ))
    .bind(&u.id)
    .bind(&u.incident_id)
    .bind(u.number)
    .bind(u.state.code())
    .bind(audience_codes(u))
    .bind(u.tlp.code())
    .bind(&u.status_summary)
    .bind(&u.impact)
    .bind(&u.actions_taken)
    .bind(&u.next_steps)
    .bind(opt_to_db_time(u.next_update_at))
    .bind(&u.drafted_by)
    .bind(to_db_time(u.drafted_at))
    .bind(&u.approved_by)
    .bind(opt_to_db_time(u.approved_at))
    .bind(&u.sent_by)
    .bind(opt_to_db_time(u.sent_at))
    .bind(u.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes `u` over the stored row if that row is still at `expected_version`;
/// false when someone changed it first.
pub async fn update(tx: &mut Tx, u: &StakeholderUpdate, expected_version: i64) -> Result<bool, BackendError> {
    let done = sqlx::query(
        "UPDATE stakeholder_updates SET state = $1, audiences = $2, tlp = $3, status_summary = $4, impact = $5, \
         actions_taken = $6, next_steps = $7, next_update_at = $8, drafted_by = $9, drafted_at = $10, \
         approved_by = $11, approved_at = $12, sent_by = $13, sent_at = $14, version = $15 \
         WHERE id = $16 AND version = $17",
    )
    .bind(u.state.code())
    .bind(audience_codes(u))
    .bind(u.tlp.code())
    .bind(&u.status_summary)
    .bind(&u.impact)
    .bind(&u.actions_taken)
    .bind(&u.next_steps)
    .bind(opt_to_db_time(u.next_update_at))
    .bind(&u.drafted_by)
    .bind(to_db_time(u.drafted_at))
    .bind(&u.approved_by)
    .bind(opt_to_db_time(u.approved_at))
    .bind(&u.sent_by)
    .bind(opt_to_db_time(u.sent_at))
    .bind(u.version)
    .bind(&u.id)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(tx: &mut Tx, incident_id: &str, id: &str) -> Result<Option<StakeholderUpdate>, BackendError> {
    let row: Option<UpdateRow> =
        sqlx::query_as(&format!("SELECT {UPDATE_COLUMNS} FROM stakeholder_updates WHERE incident_id = $1 AND id = $2"))
            .bind(incident_id)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(StakeholderUpdate::try_from).transpose()
}

/// An incident's updates, newest first.
pub async fn list_for_incident<'e>(
    executor: impl Executor<'e, Database = Any>,
    incident_id: &str,
) -> Result<Vec<StakeholderUpdate>, BackendError> {
    let rows: Vec<UpdateRow> = sqlx::query_as(&format!(
        "SELECT {UPDATE_COLUMNS} FROM stakeholder_updates WHERE incident_id = $1 ORDER BY number DESC"
    ))
    .bind(incident_id)
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(StakeholderUpdate::try_from).collect()
}

/// The latest sent update of every open incident, by incident id (for the
/// board's and the status board's "next update due").
pub async fn latest_sent_of_open_incidents(pool: &AnyPool) -> Result<HashMap<String, StakeholderUpdate>, BackendError> {
    let rows: Vec<UpdateRow> = sqlx::query_as(&format!(
        "SELECT {UPDATE_COLUMNS} FROM stakeholder_updates u WHERE u.state = 'sent' \
         AND u.number = (SELECT MAX(v.number) FROM stakeholder_updates v WHERE v.incident_id = u.incident_id AND v.state = 'sent') \
         AND u.incident_id IN (SELECT id FROM incidents WHERE phase <> 'closed')"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(|r| StakeholderUpdate::try_from(r).map(|u| (u.incident_id.clone(), u))).collect()
}

#[derive(Debug, FromRow)]
struct DeliveryRow {
    id: String,
    update_id: String,
    audience: String,
    recipient: String,
    address: String,
    channel: String,
    status: String,
    subject: String,
    body: String,
    attempts: i64,
    last_error: Option<String>,
    delivered_at: Option<String>,
    delivered_by: Option<String>,
    note: Option<String>,
}

const DELIVERY_COLUMNS: &str = "id, update_id, audience, recipient, address, channel, status, subject, body, attempts, \
     last_error, delivered_at, delivered_by, note";

impl TryFrom<DeliveryRow> for Delivery {
    type Error = BackendError;

    fn try_from(r: DeliveryRow) -> Result<Self, BackendError> {
        Ok(Delivery {
            audience: from_code(&r.audience)?,
            channel: from_code(&r.channel)?,
            status: from_code(&r.status)?,
            delivered_at: opt_from_db_time(r.delivered_at.as_deref())?,
            id: r.id,
            update_id: r.update_id,
            recipient: r.recipient,
            address: r.address,
            subject: r.subject,
            body: r.body,
            attempts: r.attempts,
            last_error: r.last_error,
            delivered_by: r.delivered_by,
            note: r.note,
        })
    }
}

/// Queues one delivery; email ones are due at once.
pub async fn insert_delivery(
    tx: &mut Tx,
    d: &Delivery,
    incident_id: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let due = (d.status == DeliveryStatus::Queued).then(|| to_db_time(now));
    sqlx::query(&format!(
        "INSERT INTO update_deliveries ({DELIVERY_COLUMNS}, incident_id, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    ))
    .bind(&d.id)
    .bind(&d.update_id)
    .bind(d.audience.code())
    .bind(&d.recipient)
    .bind(&d.address)
    .bind(d.channel.code())
    .bind(d.status.code())
    .bind(&d.subject)
    .bind(&d.body)
    .bind(d.attempts)
    .bind(&d.last_error)
    .bind(opt_to_db_time(d.delivered_at))
    .bind(&d.delivered_by)
    .bind(&d.note)
    .bind(incident_id)
    .bind(due)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every delivery of an incident's updates, grouped by update id.
pub async fn deliveries_for_incident(
    pool: &AnyPool,
    incident_id: &str,
) -> Result<HashMap<String, Vec<Delivery>>, BackendError> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM update_deliveries WHERE incident_id = $1 ORDER BY audience, recipient, id"
    ))
    .bind(incident_id)
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<String, Vec<Delivery>> = HashMap::new();
    for row in rows {
        let d = Delivery::try_from(row)?;
        out.entry(d.update_id.clone()).or_default().push(d);
    }
    Ok(out)
}

pub async fn get_delivery(tx: &mut Tx, incident_id: &str, id: &str) -> Result<Option<Delivery>, BackendError> {
    let row: Option<DeliveryRow> =
        sqlx::query_as(&format!("SELECT {DELIVERY_COLUMNS} FROM update_deliveries WHERE incident_id = $1 AND id = $2"))
            .bind(incident_id)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(Delivery::try_from).transpose()
}

/// Records that someone told a manual recipient; false if it was not
/// waiting to be told.
pub async fn mark_told(
    tx: &mut Tx,
    id: &str,
    by: &str,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool, BackendError> {
    let done = sqlx::query(
        "UPDATE update_deliveries SET status = 'told', delivered_at = $1, delivered_by = $2, note = $3 \
         WHERE id = $4 AND status = 'to_tell'",
    )
    .bind(to_db_time(at))
    .bind(by)
    .bind(note)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a failed email delivery back in the queue, due now.
pub async fn requeue(tx: &mut Tx, id: &str, at: DateTime<Utc>) -> Result<bool, BackendError> {
    let done = sqlx::query(
        "UPDATE update_deliveries SET status = 'queued', attempts = 0, next_attempt_at = $1, claimed_until = NULL \
         WHERE id = $2 AND status = 'failed'",
    )
    .bind(to_db_time(at))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, FromRow)]
struct ClaimedRow {
    #[sqlx(flatten)]
    delivery: DeliveryRow,
    reference: String,
}

/// A delivery the worker has claimed, with the incident it belongs to.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: Delivery,
    /// The incident's reference.
    pub reference: String,
}

const DUE: &str = "channel = 'email' AND ((status = 'queued' AND next_attempt_at <= $1) \
     OR (status = 'sending' AND claimed_until < $1))";

/// Claims up to `limit` email deliveries that are due (or whose claimant
/// died) until `until`, one conditional update each, so that two instances
/// never claim the same delivery.
pub async fn claim_due(
    pool: &AnyPool,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claimed>, BackendError> {
    let candidates: Vec<(String,)> =
        sqlx::query_as(&format!("SELECT id FROM update_deliveries WHERE {DUE} ORDER BY next_attempt_at LIMIT $2"))
            .bind(to_db_time(now))
            .bind(limit)
            .fetch_all(pool)
            .await?;
    let mut claimed = Vec::new();
    for (id,) in candidates {
        let done = sqlx::query(&format!(
            "UPDATE update_deliveries SET status = 'sending', claimed_until = $2, attempts = attempts + 1 \
             WHERE id = $3 AND {DUE}"
        ))
        .bind(to_db_time(now))
        .bind(to_db_time(until))
        .bind(&id)
        .execute(pool)
        .await?;
        if done.rows_affected() == 1 {
            let row: ClaimedRow = sqlx::query_as(&format!(
                "SELECT {DELIVERY_COLUMNS}, \
                 (SELECT reference FROM incidents i WHERE i.id = update_deliveries.incident_id) AS reference \
                 FROM update_deliveries WHERE id = $1"
            ))
            .bind(&id)
            .fetch_one(pool)
            .await?;
            claimed.push(Claimed { reference: row.reference, delivery: Delivery::try_from(row.delivery)? });
        }
    }
    Ok(claimed)
}

/// Records a claimed delivery's outcome: delivered, or back in the queue
/// until `retry_at` (`None`: given up, failed).
pub async fn finish_attempt(
    tx: &mut Tx,
    id: &str,
    outcome: Result<DateTime<Utc>, (&str, Option<DateTime<Utc>>)>,
) -> Result<(), BackendError> {
    match outcome {
        Ok(at) => {
            sqlx::query(
                "UPDATE update_deliveries SET status = 'delivered', delivered_at = $1, last_error = NULL, \
                 claimed_until = NULL WHERE id = $2",
            )
            .bind(to_db_time(at))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
        Err((error, retry_at)) => {
            let status = if retry_at.is_some() { DeliveryStatus::Queued } else { DeliveryStatus::Failed };
            sqlx::query(
                "UPDATE update_deliveries SET status = $1, last_error = $2, next_attempt_at = $3, \
                 claimed_until = NULL WHERE id = $4",
            )
            .bind(status.code())
            .bind(error)
            .bind(opt_to_db_time(retry_at))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// How many email deliveries are still on their way (queued or sending).
pub async fn pending_count(pool: &AnyPool) -> Result<i64, BackendError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM update_deliveries WHERE status IN ('queued', 'sending')")
        .fetch_one(pool)
        .await?;
    Ok(n)
}
