//! The audit log as the admin page shows it.

use serde::{Deserialize, Serialize};

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// UTC, as stored (RFC 3339).
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub summary: String,
    pub hash: String,
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainStatus {
    /// Every record links to the one before and to the head.
    Intact { records: i64, head_hash: String },
    /// The first record (by sequence number) where the chain breaks, and why.
    Broken { seq: i64, problem: String },
}
