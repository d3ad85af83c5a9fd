//! Firebreak: incident response from preparation to the post-incident report.
//!
//! This crate holds everything shared by the server and the browser:
//! - [`domain`]: pure types and rules (no I/O; builds for wasm32 and native);
//! - [`api`]: server functions, thin HTTP endpoints over the services;
//! - [`ui`]: Leptos pages and components;
//! - [`error`]: the one client-safe error type;
//! - `backend` (only with the `ssr` feature): state, services and SQL.

#![recursion_limit = "512"]

pub mod api;
pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

pub use ui::{App, shell};
