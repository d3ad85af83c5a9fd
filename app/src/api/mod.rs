//! Server functions, one module per feature. Each is a public HTTP endpoint
//! under `/api/`, so each builds its request context (authorisation arrives
//! and checks who may call it), parses its input into domain types, calls one service and
//! returns a DTO. None contains SQL.

pub mod admin;
pub mod auth;
pub mod evidence;
pub mod incidents;
pub mod indicators;
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
pub use playbooks::*;
pub use preparation::*;
pub use regulatory::*;
pub use scope::*;
pub use status::*;
pub use updates::*;
