//! Incident role rows: who holds each IR role on an incident.

use super::{Tx, from_code, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::playbook::IrRole;
use crate::domain::team::RoleAssignment;
use sqlx::{Any, Executor};

type Row = (String, String, String, Option<String>, String, String);

fn assignment((role, name, contact, roster_id, assigned_by, assigned_at): Row) -> Result<RoleAssignment, BackendError> {
    Ok(RoleAssignment {
        role: from_code(&role)?,
        name,
        contact,
        roster_id,
        assigned_by,
        assigned_at: from_db_time(&assigned_at)?,
    })
}

/// The incident's team, in role order.
pub async fn list<'e>(
    executor: impl Executor<'e, Database = Any>,
    incident_id: &str,
) -> Result<Vec<RoleAssignment>, BackendError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT role, name, contact, roster_id, assigned_by, assigned_at FROM incident_roles WHERE incident_id = $1",
    )
    .bind(incident_id)
    .fetch_all(executor)
    .await?;
    let mut team = rows.into_iter().map(assignment).collect::<Result<Vec<_>, _>>()?;
    team.sort_by_key(|a| IrRole::ALL.iter().position(|r| *r == a.role));
    Ok(team)
}

/// Sets (or with `None`, clears) who holds `role`.
pub async fn set(
    tx: &mut Tx,
    incident_id: &str,
    role: IrRole,
    holder: Option<&RoleAssignment>,
) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM incident_roles WHERE incident_id = $1 AND role = $2")
        .bind(incident_id)
        .bind(role.code())
        .execute(&mut **tx)
        .await?;
    if let Some(a) = holder {
        sqlx::query(
            "INSERT INTO incident_roles (incident_id, role, name, contact, roster_id, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(incident_id)
        .bind(role.code())
        .bind(&a.name)
        .bind(&a.contact)
        .bind(a.roster_id.clone())
        .bind(&a.assigned_by)
        .bind(to_db_time(a.assigned_at))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
