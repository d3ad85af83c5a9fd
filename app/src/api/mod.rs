//! Server functions, one module per feature. Each is a public HTTP endpoint
//! under `/api/`, so each builds its request context (authorisation arrives
//! and checks who may call it), parses its input into domain types, calls one service and
//! returns a DTO. None contains SQL.

pub mod admin;
pub mod auth;
pub mod evidence;
pub mod incidents;
pub mod indicators;
pub mod lessons;
pub mod playbooks;
pub mod preparation;
pub mod regulatory;
pub mod scope;
pub mod status;
pub mod updates;

pub use admin::*;
pub use auth::*;
pub use evidence::*;
pub use incidents::*;
pub use indicators::*;
pub use lessons::*;
pub use playbooks::*;
pub use preparation::*;
pub use regulatory::*;
pub use scope::*;
pub use status::*;
pub use updates::*;

/// A version number sent back by a form (optimistic concurrency); anything
/// else is a malformed request, not a field error.
#[cfg(feature = "ssr")]
pub(crate) fn parse_version(v: &str) -> Result<i64, crate::error::AppError> {
    v.trim().parse::<i64>().map_err(|_| crate::error::AppError::BadRequest)
}

/// Redirects a plain HTML form post (no WASM) to `path`. With WASM the page
/// reloads itself at the right place once the call succeeds (so that the
/// whole layout is rendered for the new session); redirecting there too would
/// start two navigations.
#[cfg(feature = "ssr")]
pub(crate) fn redirect_plain_form(path: &str) {
    let plain = leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    });
    if plain {
        leptos_axum::redirect(path);
    }
}
