//! The explicit request context a server function builds first and passes to
//! every service: who is acting, from where, and the shared state.
//!
//! The server's `authenticate` middleware resolves the session cookie and puts
//! an [`Authenticated`] extension (and the [`ClientIp`]) on the request;
//! leptos_axum hands the request parts to server functions and pages, and
//! [`RequestContext::current`] reads them from there.

use super::db::incidents::Viewer;
use super::error::BackendError;
use super::state::AppState;
use crate::domain::access::{Action, CurrentUser, Role, allows};
use crate::error::AppError;
use leptos::prelude::use_context;

/// Request extension: the signed-in user and the hash of their session token.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub user: CurrentUser,
    pub token_hash: String,
}

/// Request extension: the client's address, for sign-in throttling and logs.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub state: AppState,
    /// The display name written as author of timeline events and audit records.
    pub actor: String,
    pub user: Option<CurrentUser>,
    /// The session the request came with, if any.
    pub token_hash: Option<String>,
    pub ip: String,
    /// The command line (or a test) acting with admin rights, not an account.
    pub system: bool,
}

fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal { reference: "state".into() }
    })
}

impl RequestContext {
    /// The context of the current server-function call, which must come from
    /// a signed-in user (401 otherwise).
    pub fn current() -> Result<Self, AppError> {
        let ctx = Self::public()?;
        if ctx.user.is_none() {
            return Err(AppError::Unauthorized);
        }
        Ok(ctx)
    }

    /// The context of a call that may come from anyone (sign-in, first run).
    pub fn public() -> Result<Self, AppError> {
        let state = state()?;
        let parts = use_context::<axum::http::request::Parts>();
        let auth = parts.as_ref().and_then(|p| p.extensions.get::<Authenticated>().cloned());
        let ip = parts
            .as_ref()
            .and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone()))
            .unwrap_or_else(|| "unknown".into());
        Ok(Self {
            state,
            actor: auth.as_ref().map(|a| a.user.display_name.clone()).unwrap_or_else(|| "anonymous".into()),
            token_hash: auth.as_ref().map(|a| a.token_hash.clone()),
            user: auth.map(|a| a.user),
            ip,
            system: false,
        })
    }

    /// A context for the command line and tests, with admin rights.
    pub fn system(state: AppState, actor: &str) -> Self {
        let user = CurrentUser {
            id: "system".into(),
            username: "system".into(),
            display_name: actor.into(),
            role: Role::Admin,
            totp_enabled: false,
        };
        Self { state, actor: actor.into(), user: Some(user), token_hash: None, ip: "local".into(), system: true }
    }

    /// A context acting as `user` (tests, and services acting for a user
    /// they just authenticated).
    pub fn as_user(state: AppState, user: CurrentUser) -> Self {
        Self {
            state,
            actor: user.display_name.clone(),
            user: Some(user),
            token_hash: None,
            ip: "local".into(),
            system: false,
        }
    }

    pub fn db(&self) -> &super::db::Db {
        &self.state.db
    }

    /// The signed-in user, or 401.
    pub fn user(&self) -> Result<&CurrentUser, BackendError> {
        self.user.as_ref().ok_or(BackendError::Unauthorized)
    }

    /// The signed-in user if their role allows `action`; 401 or 403 otherwise.
    pub fn require(&self, action: Action) -> Result<&CurrentUser, BackendError> {
        let user = self.user()?;
        if allows(user.role, action) { Ok(user) } else { Err(BackendError::Forbidden) }
    }

    /// The id of the acting account (none for the command line).
    pub fn user_id(&self) -> Option<&str> {
        if self.system { None } else { self.user.as_ref().map(|u| u.id.as_str()) }
    }

    /// Who is looking, for the database's need-to-know filters.
    pub fn viewer(&self) -> Result<Viewer, BackendError> {
        let user = self.user()?;
        Ok(Viewer { user_id: user.id.clone(), role: user.role })
    }
}
