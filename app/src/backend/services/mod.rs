//! Services: each owns one transaction, applies the domain's rules, and writes
//! the change together with its timeline events.

pub mod evidence;
pub mod incidents;
pub mod indicators;
pub mod scope;
