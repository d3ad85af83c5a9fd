//! Server functions for the incident's scope (affected assets and services).

use crate::domain::scope::{AffectedItem, AffectedItemForm};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "add_affected_item")]
pub async fn add_affected_item(reference: String, affected: AffectedItemForm) -> Result<AffectedItem, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let new = affected.parse()?;
    Ok(services::scope::add(&ctx, reference.trim(), new, db::now()).await?)
}

/// Moves an affected item to containment state `to` (a state code); `note`
/// is required when moving back.
#[server(endpoint = "set_containment_state")]
pub async fn set_containment_state(
    reference: String,
    item_id: String,
    to: String,
    #[server(default)] note: String,
) -> Result<AffectedItem, AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::Code;
    use crate::domain::scope::ContainmentState;
    let ctx = RequestContext::current()?;
    let to = ContainmentState::from_code(to.trim())
        .ok_or_else(|| AppError::validation("state", "Choose a state from the list."))?;
    if note.chars().count() > 2000 {
        return Err(AppError::validation("note", "The note must be at most 2000 characters."));
    }
    Ok(services::scope::change_state(&ctx, reference.trim(), item_id.trim(), to, &note, db::now()).await?)
}
