//! Server functions for administrators: users and the audit log; and for
//! commanders: who may see a restricted incident.

use crate::domain::access::{NewUserForm, UserSummary};
use crate::domain::audit::{AuditEntry, ChainStatus};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::backend::{RequestContext, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::list_users(&ctx).await?)
}

#[server(endpoint = "create_user")]
pub async fn create_user(user: NewUserForm) -> Result<UserSummary, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::create_user(&ctx, &user, db::now()).await?)
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(user_id: String, password: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::reset_password(&ctx, user_id.trim(), &password, db::now()).await?)
}

/// `disabled` is "true" or "false".
#[server(endpoint = "set_user_disabled")]
pub async fn set_user_disabled(user_id: String, disabled: String) -> Result<UserSummary, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let disabled = parse_bool(&disabled, "disabled")?;
    Ok(services::accounts::set_disabled(&ctx, user_id.trim(), disabled, db::now()).await?)
}

#[server(endpoint = "set_user_role")]
pub async fn set_user_role(user_id: String, role: String) -> Result<UserSummary, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::set_role(&ctx, user_id.trim(), &role, db::now()).await?)
}

/// The audit page's filters, as in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub entries: Vec<AuditEntry>,
    pub actions: Vec<String>,
    pub status: ChainStatus,
}

#[server(endpoint = "audit_log")]
pub async fn audit_log(#[server(default)] query: AuditQuery) -> Result<AuditView, AppError> {
    use crate::backend::db::audit::AuditFilter;
    use crate::backend::{RequestContext, services};
    let ctx = RequestContext::current()?;
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        actor: non_empty(&query.actor),
        action: non_empty(&query.action),
        object: non_empty(&query.object),
    };
    let page = services::audit_log::page(&ctx, &filter).await?;
    Ok(AuditView { entries: page.rows, actions: page.actions, status: page.status })
}

/// `restricted` is "true" or "false".
#[server(endpoint = "set_restricted")]
pub async fn set_restricted(reference: String, restricted: String) -> Result<bool, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let restricted = parse_bool(&restricted, "restricted")?;
    Ok(services::members::set_restricted(&ctx, reference.trim(), restricted, db::now()).await?.restricted)
}

#[server(endpoint = "add_member")]
pub async fn add_member(reference: String, username: String) -> Result<super::Member, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::members::add(&ctx, reference.trim(), &username, db::now()).await?)
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(reference: String, user_id: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::members::remove(&ctx, reference.trim(), user_id.trim(), db::now()).await?)
}

pub fn parse_bool(value: &str, field: &str) -> Result<bool, AppError> {
    match value.trim() {
        "true" | "on" | "1" => Ok(true),
        "false" | "off" | "0" | "" => Ok(false),
        _ => Err(AppError::validation(field, "Expected true or false.")),
    }
}
