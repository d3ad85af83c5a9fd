//! The scope of an incident: affected assets and business services, each with
//! its own containment state that moves with the response.

use super::validation::{FieldErrors, optional_text, required_text};
use super::{Code, code_enum};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

code_enum! {
    /// Whether an affected item is a technical asset or a business service.
    AssetKind {
        Asset => ("asset", "Asset"),
        Service => ("service", "Business service"),
    }
}

code_enum! {
    /// Where an affected item stands in the response, in order.
    ContainmentState {
        Identified => ("identified", "Identified"),
        Isolated => ("isolated", "Isolated"),
        Eradicated => ("eradicated", "Eradicated"),
        Restored => ("restored", "Restored"),
        Verified => ("verified", "Verified"),
    }
}

impl ContainmentState {
    fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The next state, if any.
    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.index() + 1).copied()
    }
}

/// Why a state change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateChangeError {
    #[error("It is already {0}.")]
    Same(ContainmentState),
    #[error("States move forward one step at a time: from {from} the next state is {next}.")]
    Skips { from: ContainmentState, next: ContainmentState },
    #[error("Moving back to an earlier state needs a note saying why (for example, reinfection).")]
    NoteRequired,
}

/// Decides a containment-state change: forward one step, or back to any
/// earlier state with a note.
pub fn check_state_change(from: ContainmentState, to: ContainmentState, note: &str) -> Result<(), StateChangeError> {
    if from == to {
        return Err(StateChangeError::Same(from));
    }
    if to.index() > from.index() {
        return match from.next() {
            Some(next) if next == to => Ok(()),
            Some(next) => Err(StateChangeError::Skips { from, next }),
            None => Err(StateChangeError::Same(from)),
        };
    }
    if note.trim().is_empty() { Err(StateChangeError::NoteRequired) } else { Ok(()) }
}

/// One affected asset or service of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedItem {
    pub id: String,
    pub incident_id: String,
    pub kind: AssetKind,
    pub name: String,
    pub description: String,
    pub state: ContainmentState,
    pub state_changed_at: DateTime<Utc>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// A validated new affected item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAffectedItem {
    pub kind: AssetKind,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedItemForm {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl AffectedItemForm {
    pub fn parse(&self) -> Result<NewAffectedItem, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", AssetKind::from_code(self.kind.trim()).ok_or("Choose asset or business service."));
        let name = e.check("name", required_text(&self.name, "The name", 200));
        let description = e.check("description", optional_text(&self.description, "The description", 2000));
        e.finish(|| Some(NewAffectedItem { kind: kind?, name: name?, description: description?.unwrap_or_default() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContainmentState::*;

    #[test]
    fn states_move_forward_one_step_and_back_with_a_note() {
        assert_eq!(check_state_change(Identified, Isolated, ""), Ok(()));
        assert_eq!(check_state_change(Restored, Verified, ""), Ok(()));
        assert_eq!(
            check_state_change(Identified, Eradicated, ""),
            Err(StateChangeError::Skips { from: Identified, next: Isolated })
        );
        assert_eq!(check_state_change(Verified, Verified, ""), Err(StateChangeError::Same(Verified)));
        assert_eq!(check_state_change(Restored, Isolated, " "), Err(StateChangeError::NoteRequired));
        assert_eq!(check_state_change(Restored, Isolated, "Reinfected"), Ok(()));
    }

    #[test]
    fn the_form_needs_a_kind_and_a_name() {
        let e = AffectedItemForm::default().parse().unwrap_err();
        assert!(e.get("kind").is_some() && e.get("name").is_some());
        let ok = AffectedItemForm { kind: "service".into(), name: "Payroll".into(), description: String::new() };
        assert_eq!(ok.parse().unwrap().kind, AssetKind::Service);
    }
}
