//! Server-only code (compiled with the `ssr` feature): application state,
//! the request context, services that own transactions, and the database layer.
//!
//! Server functions call services; services call `db`; only `db` holds SQL.

pub mod auth;
pub mod context;
pub mod db;
pub mod demo;
pub mod error;
pub mod mail;
pub mod services;
pub mod state;

pub use context::RequestContext;
pub use error::BackendError;
pub use state::{AppState, AuthConfig};
