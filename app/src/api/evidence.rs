//! Server functions for evidence and its chain of custody. There is
//! deliberately no function to edit or delete a custody entry.

use crate::domain::evidence::{CustodyEntry, EvidenceForm, EvidenceItem, HandoverForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An evidence item with its custody log and current holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub item: EvidenceItem,
    pub custody: Vec<CustodyEntry>,
    pub holder: String,
}

#[server(endpoint = "add_evidence")]
pub async fn add_evidence(reference: String, evidence: EvidenceForm) -> Result<EvidenceItem, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let now = db::now();
    let new = evidence.parse(now)?;
    Ok(services::evidence::add(&ctx, reference.trim(), new, now).await?)
}

/// Appends a hand-over to an item's chain of custody.
#[server(endpoint = "hand_over_evidence")]
pub async fn hand_over_evidence(
    reference: String,
    evidence_id: String,
    handover: HandoverForm,
) -> Result<CustodyEntry, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::evidence::hand_over(&ctx, reference.trim(), evidence_id.trim(), &handover, db::now()).await?)
}
