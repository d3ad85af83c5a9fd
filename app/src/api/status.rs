//! The managers' status board: every open incident with its priority, phase,
//! latest stakeholder update and when the next is due. Read-only.

use crate::domain::communication::UpdateDue;
use crate::domain::{Phase, Priority, Tlp};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The latest sent update of an incident, as the status board shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatestUpdate {
    pub number: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub tlp: Tlp,
    pub status_summary: String,
    pub next_steps: String,
}

/// One open incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRow {
    pub reference: String,
    pub title: String,
    pub priority: Priority,
    pub phase: Phase,
    pub phase_entered_at: DateTime<Utc>,
    pub commander: Option<String>,
    pub latest_update: Option<LatestUpdate>,
    pub next_update: Option<UpdateDue>,
    /// The earliest running regulatory deadline, and whether it has passed.
    pub regulatory_deadline: Option<(DateTime<Utc>, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusBoard {
    /// Most urgent first.
    pub rows: Vec<StatusRow>,
    /// The server's clock when the board was read.
    pub now: DateTime<Utc>,
}

#[server(endpoint = "status_board")]
pub async fn load_status_board() -> Result<StatusBoard, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let now = db::now();
    let rows = services::updates::status_board(&ctx, now)
        .await?
        .into_iter()
        .map(|line| StatusRow {
            reference: line.incident.reference,
            title: line.incident.title,
            priority: line.incident.priority,
            phase: line.incident.phase,
            phase_entered_at: line.incident.phase_entered_at,
            commander: line.incident.commander,
            latest_update: line.latest.map(|u| LatestUpdate {
                number: u.number,
                sent_at: u.sent_at,
                tlp: u.tlp,
                status_summary: u.status_summary,
                next_steps: u.next_steps,
            }),
            next_update: line.due,
            regulatory_deadline: line.deadline,
        })
        .collect();
    Ok(StatusBoard { rows, now })
}
