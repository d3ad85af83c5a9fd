//! Phase checklists on an incident: items instantiated from the matching
//! playbook or added ad hoc, and the progress figures the board and the phase
//! gate read from them.

use super::Code;
use super::classification::Classification;
use super::incident::parse_time;
use super::phase::Phase;
use super::playbook::{IrRole, Playbook};
use super::validation::{FieldErrors, optional_text, required_text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_ITEM_CHARS: usize = 500;
pub const MAX_NOTE_CHARS: usize = 2000;

/// One checklist item of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: String,
    pub incident_id: String,
    pub phase: Phase,
    /// Order within the phase.
    pub position: i64,
    pub text: String,
    pub required: bool,
    /// The response role expected to do it (from the playbook).
    pub owner_role: Option<IrRole>,
    /// The person who owns it, if assigned.
    pub owner: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub note: String,
    /// The key of the playbook it came from; `None` for ad-hoc items.
    pub playbook: Option<String>,
}

impl ChecklistItem {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }

    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        !self.is_done() && self.due_at.is_some_and(|due| due < now)
    }
}

/// Checklist progress of one phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseProgress {
    pub done: u32,
    pub total: u32,
    pub required_open: u32,
    pub overdue: u32,
}

/// Progress of `phase` over `items` at time `now`.
pub fn progress(items: &[ChecklistItem], phase: Phase, now: DateTime<Utc>) -> PhaseProgress {
    items.iter().filter(|i| i.phase == phase).fold(PhaseProgress::default(), |mut p, i| {
        p.total += 1;
        if i.is_done() {
            p.done += 1;
        } else if i.required {
            p.required_open += 1;
        }
        if i.is_overdue(now) {
            p.overdue += 1;
        }
        p
    })
}

/// The texts of `phase`'s required items that are not done: what the gate checks.
pub fn open_required(items: &[ChecklistItem], phase: Phase) -> Vec<String> {
    items.iter().filter(|i| i.phase == phase && i.required && !i.is_done()).map(|i| i.text.clone()).collect()
}

/// Whether a classification brings a playbook's checklist. An incident still
/// "not yet classified" has no checklist until triage classifies it.
pub fn brings_playbook(classification: &Classification) -> bool {
    *classification != Classification::unclassified()
}

/// A checklist item before it is stored (no id or incident yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChecklistItem {
    pub phase: Phase,
    pub text: String,
    pub required: bool,
    pub owner_role: Option<IrRole>,
    pub owner: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub playbook: Option<String>,
}

/// The items a playbook contributes, in its order. The texts are copied, so
/// later edits to the playbook never change an instantiated checklist.
pub fn instantiate(playbook: &Playbook) -> Vec<NewChecklistItem> {
    playbook
        .items
        .iter()
        .map(|t| NewChecklistItem {
            phase: t.phase,
            text: t.text.clone(),
            required: t.required,
            owner_role: Some(t.owner),
            owner: None,
            due_at: None,
            playbook: Some(playbook.key.clone()),
        })
        .collect()
}

/// The raw "add a checklist item" form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItemForm {
    pub phase: String,
    pub text: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    pub required: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_at: String,
}

impl ChecklistItemForm {
    pub fn parse(&self) -> Result<NewChecklistItem, FieldErrors> {
        let mut e = FieldErrors::new();
        let phase = e.check(
            "phase",
            Phase::from_code(self.phase.trim())
                .filter(|p| *p != Phase::Closed)
                .ok_or("Choose a working phase (Identification to Lessons learned)."),
        );
        let text = e.check("text", required_text(&self.text, "The item", MAX_ITEM_CHARS));
        let owner = e.check("owner", optional_text(&self.owner, "Owner", super::incident::MAX_NAME_CHARS));
        let due_at = e.check("due_at", parse_time(&self.due_at));
        let required = matches!(self.required.trim(), "on" | "true" | "1");
        e.finish(|| {
            Some(NewChecklistItem {
                phase: phase?,
                text: text?,
                required,
                owner_role: None,
                owner: owner?,
                due_at: due_at?,
                playbook: None,
            })
        })
    }
}

/// The raw "edit a checklist item" form: who owns it, when it is due, and
/// its note. Empty fields clear the value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistEditForm {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_at: String,
    #[serde(default)]
    pub note: String,
}

/// A validated edit of an item's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistEdit {
    pub owner: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub note: String,
}

impl ChecklistEditForm {
    pub fn parse(&self) -> Result<ChecklistEdit, FieldErrors> {
        let mut e = FieldErrors::new();
        let owner = e.check("owner", optional_text(&self.owner, "Owner", super::incident::MAX_NAME_CHARS));
        let due_at = e.check("due_at", parse_time(&self.due_at));
        let note = e.check("note", optional_text(&self.note, "The note", MAX_NOTE_CHARS));
        e.finish(|| Some(ChecklistEdit { owner: owner?, due_at: due_at?, note: note?.unwrap_or_default() }))
    }
}

impl ChecklistItem {
    /// What an edit changes, as phrases for the timeline; empty if nothing.
    pub fn describe_edit(&self, edit: &ChecklistEdit) -> Vec<String> {
        let show = |v: Option<String>| v.unwrap_or_else(|| "none".into());
        let mut out = Vec::new();
        if self.owner != edit.owner {
            out.push(format!("owner {} → {}", show(self.owner.clone()), show(edit.owner.clone())));
        }
        if self.due_at != edit.due_at {
            let t = |d: Option<DateTime<Utc>>| show(d.map(super::incident::display_time));
            out.push(format!("due {} → {}", t(self.due_at), t(edit.due_at)));
        }
        if self.note != edit.note {
            out.push(if edit.note.is_empty() { "note cleared".into() } else { format!("note: {}", edit.note) });
        }
        out
    }
}

/// Parses the optional note given when an item is ticked.
pub fn parse_note(note: &str) -> Result<String, FieldErrors> {
    optional_text(note, "The note", MAX_NOTE_CHARS)
        .map(Option::unwrap_or_default)
        .map_err(|m| FieldErrors::single("note", m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::playbook::{playbook_by_key, tests::stored};
    use chrono::TimeZone;

    fn item(phase: Phase, required: bool, done: bool, due_hours: Option<i64>) -> ChecklistItem {
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap();
        ChecklistItem {
            id: "x".into(),
            incident_id: "i".into(),
            phase,
            position: 0,
            text: format!("{phase} item"),
            required,
            owner_role: None,
            owner: None,
            due_at: due_hours.map(|h| now + chrono::Duration::hours(h)),
            done_at: done.then_some(now),
            done_by: done.then(|| "Ann".into()),
            note: String::new(),
            playbook: None,
        }
    }

    #[test]
    fn an_edit_describes_only_what_changed() {
        let mut i = item(Phase::Containment, true, false, None);
        i.owner = Some("Ann".into());
        let edit =
            ChecklistEditForm { owner: "Bo".into(), due_at: String::new(), note: String::new() }.parse().unwrap();
        assert_eq!(i.describe_edit(&edit), vec!["owner Ann → Bo".to_owned()]);
        let same = ChecklistEditForm { owner: "Ann".into(), ..Default::default() }.parse().unwrap();
        assert!(i.describe_edit(&same).is_empty());
        let bad = ChecklistEditForm { due_at: "soon".into(), ..Default::default() }.parse().unwrap_err();
        assert!(bad.get("due_at").is_some());
    }

    #[test]
    fn progress_counts_done_open_required_and_overdue_items_of_one_phase() {
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap();
        let items = vec![
            item(Phase::Containment, true, true, None),
            item(Phase::Containment, true, false, Some(-1)),
            item(Phase::Containment, false, false, Some(2)),
            item(Phase::Eradication, true, false, Some(-5)),
        ];
        assert_eq!(
            progress(&items, Phase::Containment, now),
            PhaseProgress { done: 1, total: 3, required_open: 1, overdue: 1 }
        );
        assert_eq!(open_required(&items, Phase::Containment), vec!["Containment item".to_string()]);
        assert!(open_required(&items, Phase::Identification).is_empty());
    }

    #[test]
    fn instantiating_a_playbook_copies_every_item_with_its_source() {
        let playbook = stored(playbook_by_key("phishing").unwrap());
        let items = instantiate(&playbook);
        assert_eq!(items.len(), playbook.items.len());
        assert!(items.iter().all(|i| i.playbook.as_deref() == Some("phishing")));
        assert!(items.iter().any(|i| i.required));
        assert!(items.iter().zip(&playbook.items).all(|(i, t)| i.text == t.text && i.phase == t.phase));
        assert!(!brings_playbook(&Classification::unclassified()));
    }

    #[test]
    fn the_ad_hoc_form_validates_phase_and_text() {
        let bad = ChecklistItemForm { phase: "closed".into(), text: " ".into(), ..Default::default() };
        let e = bad.parse().unwrap_err();
        assert!(e.get("phase").is_some() && e.get("text").is_some());
        let good = ChecklistItemForm {
            phase: "containment".into(),
            text: "Rotate the VPN PSK".into(),
            required: "on".into(),
            owner: "Sam".into(),
            due_at: "2026-03-15T09:00".into(),
        };
        let item = good.parse().unwrap();
        assert!(item.required);
        assert_eq!(item.owner.as_deref(), Some("Sam"));
        assert_eq!(item.playbook, None);
    }
}
