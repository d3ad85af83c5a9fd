//! The Firebreak server: configuration, telemetry and the HTTP router. The
//! binary in `main.rs` is only the command line around these.

#![recursion_limit = "512"]
pub mod config;
pub mod router;
pub mod telemetry;
