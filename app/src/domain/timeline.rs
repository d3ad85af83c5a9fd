//! Timeline events: the append-only record of what happened and what was done,
//! each with the time it happened (event time) and the time it was written.

use super::incident::{CLOCK_SKEW_MINUTES, parse_time};
use super::validation::{FieldErrors, required_text};
use super::{Code, code_enum};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_ENTRY_CHARS: usize = 10_000;

code_enum! {
    /// What kind of event a timeline entry records.
    TimelineKind {
        Created => ("created", "Created"),
        FieldChanged => ("field_changed", "Field changed"),
        PhaseChanged => ("phase_changed", "Phase changed"),
        Note => ("note", "Note"),
        Action => ("action", "Action taken"),
        Decision => ("decision", "Decision"),
        Checklist => ("checklist", "Checklist"),
        Indicator => ("indicator", "Indicator"),
        Evidence => ("evidence", "Evidence"),
        Scope => ("scope", "Scope"),
        Access => ("access", "Access"),
        Team => ("team", "Response team"),
        Regulatory => ("regulatory", "Regulatory notification"),
        Lessons => ("lessons", "Lessons learned"),
        Communication => ("communication", "Stakeholder update"),
    }
}

impl TimelineKind {
    /// Kinds a person may write by hand; the others are written by the system.
    pub const MANUAL: &'static [TimelineKind] = &[TimelineKind::Note, TimelineKind::Action, TimelineKind::Decision];
}

/// One stored timeline event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: String,
    pub incident_id: String,
    pub event_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub author: String,
    pub kind: TimelineKind,
    pub body: String,
}

/// The raw "add to timeline" form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntryForm {
    pub kind: String,
    pub body: String,
    /// When it happened; empty means now.
    #[serde(default)]
    pub event_at: String,
}

/// A validated manual timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTimelineEntry {
    pub kind: TimelineKind,
    pub body: String,
    pub event_at: DateTime<Utc>,
}

impl TimelineEntryForm {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewTimelineEntry, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check(
            "kind",
            TimelineKind::from_code(self.kind.trim())
                .filter(|k| TimelineKind::MANUAL.contains(k))
                .ok_or("Choose note, action taken or decision."),
        );
        let body = e.check("body", required_text(&self.body, "The entry", MAX_ENTRY_CHARS));
        let event_at = e.check(
            "event_at",
            parse_time(&self.event_at).and_then(|t| match t {
                Some(t) if t > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) => {
                    Err("The event time cannot be in the future.".to_string())
                }
                Some(t) => Ok(t),
                None => Ok(now),
            }),
        );
        e.finish(|| Some(NewTimelineEntry { kind: kind?, body: body?, event_at: event_at? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_backdated_note_keeps_its_event_time() {
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap();
        let form = TimelineEntryForm {
            kind: "note".into(),
            body: "Attacker logged in".into(),
            event_at: "2026-03-14T03:12".into(),
        };
        let entry = form.parse(now).unwrap();
        assert_eq!(entry.event_at, Utc.with_ymd_and_hms(2026, 3, 14, 3, 12, 0).unwrap());
        assert_eq!(entry.kind, TimelineKind::Note);
    }

    #[test]
    fn an_empty_event_time_means_now() {
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap();
        let form = TimelineEntryForm { kind: "action".into(), body: "Blocked IP".into(), event_at: String::new() };
        assert_eq!(form.parse(now).unwrap().event_at, now);
    }

    #[test]
    fn system_kinds_future_times_and_empty_bodies_are_refused() {
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap();
        let form =
            TimelineEntryForm { kind: "phase_changed".into(), body: " ".into(), event_at: "2026-03-15T00:00".into() };
        let e = form.parse(now).unwrap_err();
        assert!(e.get("kind").is_some());
        assert!(e.get("body").is_some());
        assert!(e.get("event_at").is_some());
    }
}
