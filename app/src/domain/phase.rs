//! The incident lifecycle and the one function that decides every phase move.
//!
//! Rules (see DOMAIN.md):
//! - forward moves go one step at a time;
//! - a forward move is gated: the current phase's required checklist items
//!   must be done, unless the mover overrides the gate with a reason;
//! - backward moves may jump to any earlier phase but need a reason;
//! - leaving Containment, Eradication or Recovery forward stamps its milestone,
//!   entering Closed stamps `closed`;
//! - moving back clears the milestones of every phase that is reopened (the
//!   timeline keeps the history).

use super::{Code, code_enum};
use serde::{Deserialize, Serialize};

code_enum! {
    /// The phases of an incident, in lifecycle order (the board's columns).
    Phase {
        Identification => ("identification", "Identification"),
        Containment => ("containment", "Containment"),
        Eradication => ("eradication", "Eradication"),
        Recovery => ("recovery", "Recovery"),
        LessonsLearned => ("lessons_learned", "Lessons learned"),
        Closed => ("closed", "Closed"),
    }
}

impl Phase {
    /// Position in the lifecycle, 0 for Identification.
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The phase a forward move leads to, if any.
    pub fn next(self) -> Option<Phase> {
        Self::ALL.get(self.index() + 1).copied()
    }

    /// The phases before this one, the targets of a backward move.
    pub fn earlier(self) -> &'static [Phase] {
        &Self::ALL[..self.index()]
    }

    /// The milestone stamped when an incident leaves this phase forward.
    pub fn exit_milestone(self) -> Option<Milestone> {
        match self {
            Phase::Containment => Some(Milestone::Contained),
            Phase::Eradication => Some(Milestone::Eradicated),
            Phase::Recovery => Some(Milestone::Recovered),
            _ => None,
        }
    }

    /// The milestone stamped when an incident enters this phase.
    pub fn entry_milestone(self) -> Option<Milestone> {
        match self {
            Phase::Closed => Some(Milestone::Closed),
            _ => None,
        }
    }
}

/// A lifecycle timestamp that phase moves set and clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Milestone {
    Contained,
    Eradicated,
    Recovered,
    Closed,
}

impl Milestone {
    pub fn label(self) -> &'static str {
        match self {
            Milestone::Contained => "Contained",
            Milestone::Eradicated => "Eradicated",
            Milestone::Recovered => "Recovered",
            Milestone::Closed => "Closed",
        }
    }
}

/// What a permitted phase move does to the incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionPlan {
    pub from: Phase,
    pub to: Phase,
    /// The milestone to stamp with the move's time, if any.
    pub stamp: Option<Milestone>,
    /// Milestones to clear because their phases are reopened.
    pub clear: Vec<Milestone>,
    /// The reason for a backward move or a gate override (always present
    /// for either).
    pub reason: Option<String>,
    /// Required items of the phase left open by a gate override.
    pub overridden: Vec<String>,
}

impl TransitionPlan {
    pub fn is_backward(&self) -> bool {
        self.to.index() < self.from.index()
    }

    /// The sentence written to the timeline for this move.
    pub fn describe(&self) -> String {
        match &self.reason {
            Some(reason) if self.is_backward() => {
                format!("Phase moved back from {} to {}. Reason: {}", self.from, self.to, reason)
            }
            Some(reason) => format!(
                "Phase moved from {} to {}, overriding open required items ({}). Reason: {}",
                self.from,
                self.to,
                self.overridden.join("; "),
                reason
            ),
            None => format!("Phase moved from {} to {}.", self.from, self.to),
        }
    }
}

/// Why a phase move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("The incident is already in {0}.")]
    SamePhase(Phase),
    #[error("Incidents move forward one phase at a time: from {from} the next phase is {next}.")]
    SkipsPhases { from: Phase, next: Phase },
    #[error("Moving back to an earlier phase needs a reason.")]
    ReasonRequired,
    #[error("The reason must be at most {0} characters.")]
    ReasonTooLong(usize),
    #[error("Required items of this phase are still open: {}. Complete them, or override with a reason.", .open.join("; "))]
    GateOpen { open: Vec<String> },
}

/// The longest reason accepted for a backward move.
pub const MAX_REASON_CHARS: usize = 2000;

/// Decides whether an incident may move from `from` to `to`, and what the move
/// changes. `open_required` lists the current phase's required checklist
/// items that are not done. `reason` is required for a backward move and for
/// overriding the gate of a forward move; otherwise it is ignored.
pub fn plan_transition(
    from: Phase,
    to: Phase,
    reason: Option<&str>,
    open_required: &[String],
) -> Result<TransitionPlan, TransitionError> {
    let (f, t) = (from.index(), to.index());
    if f == t {
        return Err(TransitionError::SamePhase(from));
    }
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if r.chars().count() > MAX_REASON_CHARS => {
            return Err(TransitionError::ReasonTooLong(MAX_REASON_CHARS));
        }
        other => other,
    };
    if t > f {
        // The `unwrap_or` cannot fire: t > f means `from` has a next phase.
        let next = from.next().unwrap_or(to);
        if to != next {
            return Err(TransitionError::SkipsPhases { from, next });
        }
        let (reason, overridden) = if open_required.is_empty() {
            (None, Vec::new())
        } else {
            let reason = reason.ok_or_else(|| TransitionError::GateOpen { open: open_required.to_vec() })?;
            (Some(reason.to_owned()), open_required.to_vec())
        };
        return Ok(TransitionPlan {
            from,
            to,
            stamp: from.exit_milestone().or(to.entry_milestone()),
            clear: Vec::new(),
            reason,
            overridden,
        });
    }
    let reason = reason.ok_or(TransitionError::ReasonRequired)?;
    // Every phase from `to` onwards is reopened, so the milestones stamped on
    // leaving or entering them are no longer true.
    let clear = Phase::ALL[t..].iter().flat_map(|p| [p.exit_milestone(), p.entry_milestone()]).flatten().collect();
    Ok(TransitionPlan { from, to, stamp: None, clear, reason: Some(reason.to_owned()), overridden: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Milestone as M;
    use Phase::*;

    #[test]
    fn every_forward_single_step_is_allowed_and_stamps_the_right_milestone() {
        let expected = [
            (Identification, Containment, None),
            (Containment, Eradication, Some(M::Contained)),
            (Eradication, Recovery, Some(M::Eradicated)),
            (Recovery, LessonsLearned, Some(M::Recovered)),
            (LessonsLearned, Closed, Some(M::Closed)),
        ];
        for (from, to, stamp) in expected {
            let plan = plan_transition(from, to, None, &[]).unwrap();
            assert_eq!(plan.stamp, stamp, "{from} -> {to}");
            assert!(plan.clear.is_empty());
            assert!(!plan.is_backward());
        }
    }

    #[test]
    fn every_forward_move_that_skips_a_phase_is_refused() {
        for from in Phase::ALL {
            for to in Phase::ALL {
                if to.index() > from.index() + 1 {
                    assert_eq!(
                        plan_transition(*from, *to, Some("because"), &[]),
                        Err(TransitionError::SkipsPhases { from: *from, next: from.next().unwrap() }),
                        "{from} -> {to}"
                    );
                }
            }
        }
    }

    #[test]
    fn staying_in_the_same_phase_is_refused() {
        for p in Phase::ALL {
            assert_eq!(plan_transition(*p, *p, Some("x"), &[]), Err(TransitionError::SamePhase(*p)));
        }
    }

    #[test]
    fn every_backward_move_needs_a_reason() {
        for from in Phase::ALL {
            for to in from.earlier() {
                assert_eq!(plan_transition(*from, *to, None, &[]), Err(TransitionError::ReasonRequired));
                assert_eq!(plan_transition(*from, *to, Some("   "), &[]), Err(TransitionError::ReasonRequired));
                let plan = plan_transition(*from, *to, Some(" reinfected "), &[]).unwrap();
                assert!(plan.is_backward());
                assert_eq!(plan.reason.as_deref(), Some("reinfected"));
                assert_eq!(plan.stamp, None);
            }
        }
    }

    #[test]
    fn moving_back_clears_the_milestones_of_reopened_phases() {
        let cases = [
            (Eradication, Containment, vec![M::Contained, M::Eradicated, M::Recovered, M::Closed]),
            (Recovery, Containment, vec![M::Contained, M::Eradicated, M::Recovered, M::Closed]),
            (Recovery, Eradication, vec![M::Eradicated, M::Recovered, M::Closed]),
            (Closed, LessonsLearned, vec![M::Closed]),
            (Closed, Recovery, vec![M::Recovered, M::Closed]),
            (Containment, Identification, vec![M::Contained, M::Eradicated, M::Recovered, M::Closed]),
        ];
        for (from, to, clear) in cases {
            assert_eq!(plan_transition(from, to, Some("r"), &[]).unwrap().clear, clear, "{from} -> {to}");
        }
    }

    #[test]
    fn an_overlong_reason_is_refused() {
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(
            plan_transition(Recovery, Containment, Some(&long), &[]),
            Err(TransitionError::ReasonTooLong(MAX_REASON_CHARS))
        );
    }

    #[test]
    fn a_forward_move_with_open_required_items_is_refused_with_the_list() {
        let open = vec!["Reset credentials".to_string(), "Block sender".to_string()];
        assert_eq!(
            plan_transition(Identification, Containment, None, &open),
            Err(TransitionError::GateOpen { open: open.clone() })
        );
        assert_eq!(
            plan_transition(Identification, Containment, Some("  "), &open),
            Err(TransitionError::GateOpen { open: open.clone() })
        );
    }

    #[test]
    fn an_override_with_a_reason_moves_and_records_what_was_left_open() {
        let open = vec!["Reset credentials".to_string()];
        let plan = plan_transition(Containment, Eradication, Some("Commander's call"), &open).unwrap();
        assert_eq!(plan.to, Eradication);
        assert_eq!(plan.stamp, Some(M::Contained));
        assert_eq!(plan.overridden, open);
        assert!(plan.describe().contains("overriding open required items (Reset credentials)"));
        assert!(plan.describe().contains("Commander's call"));
    }

    #[test]
    fn backward_moves_are_never_gated_and_a_clear_gate_ignores_the_reason() {
        let open = vec!["Anything".to_string()];
        assert!(plan_transition(Eradication, Containment, Some("reinfected"), &open).is_ok());
        let plan = plan_transition(Identification, Containment, Some("not needed"), &[]).unwrap();
        assert_eq!(plan.reason, None);
        assert!(plan.overridden.is_empty());
    }

    #[test]
    fn all_thirty_six_pairs_are_decided() {
        let mut allowed = 0;
        for from in Phase::ALL {
            for to in Phase::ALL {
                if plan_transition(*from, *to, Some("r"), &[]).is_ok() {
                    allowed += 1;
                }
            }
        }
        // 5 single forward steps + 15 backward moves.
        assert_eq!(allowed, 20);
    }

    #[test]
    fn codes_round_trip() {
        for p in Phase::ALL {
            assert_eq!(Phase::from_code(p.code()), Some(*p));
        }
        assert_eq!(Phase::from_code("bogus"), None);
    }
}
