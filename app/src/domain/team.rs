//! The response team of one incident: who holds each IR role, picked from the
//! roster. The name and contact are copied at assignment, so the record of who
//! held a role survives later roster changes.

use super::Code;
use super::playbook::IrRole;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One role held on one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub role: IrRole,
    pub name: String,
    pub contact: String,
    /// The roster entry it was picked from (gone if the entry was removed since).
    pub roster_id: Option<String>,
    pub assigned_by: String,
    pub assigned_at: DateTime<Utc>,
}

/// The timeline sentence for a change of holder, or `None` when nothing changes.
pub fn describe_change(role: IrRole, before: Option<&str>, after: Option<&str>) -> Option<String> {
    match (before, after) {
        (b, a) if b == a => None,
        (None, Some(a)) => Some(format!("{} assigned: {a}.", role.label())),
        (Some(b), Some(a)) => Some(format!("{} changed from {b} to {a}.", role.label())),
        (Some(b), None) => Some(format!("{} unassigned (was {b}).", role.label())),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_described_and_no_change_is_silent() {
        let lead = IrRole::TechnicalLead;
        assert_eq!(describe_change(lead, None, Some("Ann")).as_deref(), Some("Technical lead assigned: Ann."));
        assert_eq!(
            describe_change(lead, Some("Ann"), Some("Bo")).as_deref(),
            Some("Technical lead changed from Ann to Bo.")
        );
        assert_eq!(describe_change(lead, Some("Ann"), None).as_deref(), Some("Technical lead unassigned (was Ann)."));
        assert_eq!(describe_change(lead, Some("Ann"), Some("Ann")), None);
        assert_eq!(describe_change(lead, None, None), None);
    }
}
