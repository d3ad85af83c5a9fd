//! The explicit request context a server function builds first and passes to
//! every service: who is acting, and the shared state.
//!
//! Until accounts land (issue 3), every caller acts as the same anonymous
//! actor; this is the one place that changes when sign-in arrives.

use super::state::AppState;
use crate::error::AppError;
use leptos::prelude::use_context;

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub state: AppState,
    /// The display name written as author of timeline events.
    pub actor: String,
}

impl RequestContext {
    /// Builds the context of the current server-function call.
    pub fn current() -> Result<Self, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal { reference: "state".into() }
        })?;
        Ok(Self { state, actor: "anonymous".into() })
    }

    /// A context for the command line and tests.
    pub fn system(state: AppState, actor: &str) -> Self {
        Self { state, actor: actor.into() }
    }

    pub fn db(&self) -> &super::db::Db {
        &self.state.db
    }
}
