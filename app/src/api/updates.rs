//! Server functions for stakeholder updates: draft or edit, approve, send,
//! and record how each recipient was reached.

use crate::domain::communication::{Delivery, StakeholderUpdate, UpdateDue, UpdateForm};
use crate::domain::preparation::Audience;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An update with its deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRecord {
    pub update: StakeholderUpdate,
    pub deliveries: Vec<Delivery>,
}

/// An audience as the draft form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceOption {
    pub audience: Audience,
    /// Stakeholders in the directory for it.
    pub contacts: u32,
}

/// The incident page's communication section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Communications {
    /// Newest first.
    pub updates: Vec<UpdateRecord>,
    /// When the next update is due (none once the incident is closed).
    pub due: Option<UpdateDue>,
    pub audiences: Vec<AudienceOption>,
    /// Whether the caller may approve updates.
    pub may_approve: bool,
    /// Whether a mail server is configured (else email deliveries wait in
    /// the queue).
    pub mail_enabled: bool,
}

/// Drafts a new update (`update_id` empty) or edits an unsent one at
/// `version`.
#[server(endpoint = "save_update")]
pub async fn save_update(
    reference: String,
    #[server(default)] update_id: String,
    #[server(default)] version: String,
    update: UpdateForm,
) -> Result<StakeholderUpdate, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let now = db::now();
    let draft = update.parse(now)?;
    let existing = match update_id.trim() {
        "" => None,
        id => Some((id, super::parse_version(&version)?)),
    };
    Ok(services::updates::save(&ctx, reference.trim(), existing, draft, now).await?)
}

#[server(endpoint = "approve_update")]
pub async fn approve_update(
    reference: String,
    update_id: String,
    version: String,
) -> Result<StakeholderUpdate, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let version = super::parse_version(&version)?;
    Ok(services::updates::approve(&ctx, reference.trim(), update_id.trim(), version, db::now()).await?)
}

#[server(endpoint = "send_update")]
pub async fn send_update(reference: String, update_id: String, version: String) -> Result<StakeholderUpdate, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let version = super::parse_version(&version)?;
    Ok(services::updates::send(&ctx, reference.trim(), update_id.trim(), version, db::now()).await?)
}

/// Records that a recipient without email was told; `note` says how.
#[server(endpoint = "mark_delivery_told")]
pub async fn mark_delivery_told(
    reference: String,
    delivery_id: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let note = crate::domain::validation::optional_text(&note, "The note", 1000)
        .map_err(|m| AppError::validation("note", m))?;
    Ok(services::updates::mark_told(&ctx, reference.trim(), delivery_id.trim(), note.as_deref(), db::now()).await?)
}

/// Queues a failed email delivery again.
#[server(endpoint = "retry_delivery")]
pub async fn retry_delivery(reference: String, delivery_id: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::updates::retry(&ctx, reference.trim(), delivery_id.trim(), db::now()).await?)
}
