//! The lessons-learned review of an incident (blameless) and its action
//! items, each with an owner, a due date and a status.

use super::code_enum;
use super::validation::{FieldErrors, optional_text, required_text};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_SECTION_CHARS: usize = 10_000;

/// What closing an incident waits for until the review is recorded.
pub const REVIEW_GATE: &str = "Lessons learned: record the review (its summary and the date it was held)";

/// The review as recorded (the default is the empty form before any save).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lessons {
    pub summary: String,
    pub went_well: String,
    pub went_wrong: String,
    pub root_cause: String,
    pub contributing_factors: String,
    pub detection_gaps: String,
    pub recommendations: String,
    pub review_held_on: Option<NaiveDate>,
    /// Who took part.
    pub attendees: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    /// Optimistic concurrency: several people fill the form.
    pub version: i64,
}

/// Whether the review is complete enough to close the incident: a summary
/// and the date the review was held.
pub fn review_complete(lessons: Option<&Lessons>) -> bool {
    lessons.is_some_and(|l| !l.summary.trim().is_empty() && l.review_held_on.is_some())
}

/// The form as the browser sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonsForm {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub went_well: String,
    #[serde(default)]
    pub went_wrong: String,
    #[serde(default)]
    pub root_cause: String,
    #[serde(default)]
    pub contributing_factors: String,
    #[serde(default)]
    pub detection_gaps: String,
    #[serde(default)]
    pub recommendations: String,
    /// `YYYY-MM-DD`, empty until the review is held.
    #[serde(default)]
    pub review_held_on: String,
    #[serde(default)]
    pub attendees: String,
}

/// A validated [`LessonsForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonsDraft {
    pub summary: String,
    pub went_well: String,
    pub went_wrong: String,
    pub root_cause: String,
    pub contributing_factors: String,
    pub detection_gaps: String,
    pub recommendations: String,
    pub review_held_on: Option<NaiveDate>,
    pub attendees: String,
}

fn section(e: &mut FieldErrors, field: &str, value: &str, what: &str) -> Option<String> {
    e.check(field, optional_text(value, what, MAX_SECTION_CHARS).map(Option::unwrap_or_default))
}

impl LessonsForm {
    /// `today` bounds the review date (a review cannot be held in the future).
    pub fn parse(&self, today: NaiveDate) -> Result<LessonsDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let summary = e.check("summary", required_text(&self.summary, "The summary", MAX_SECTION_CHARS));
        let went_well = section(&mut e, "went_well", &self.went_well, "What went well");
        let went_wrong = section(&mut e, "went_wrong", &self.went_wrong, "What went wrong");
        let root_cause = section(&mut e, "root_cause", &self.root_cause, "The root cause");
        let contributing_factors =
            section(&mut e, "contributing_factors", &self.contributing_factors, "The contributing factors");
        let detection_gaps = section(&mut e, "detection_gaps", &self.detection_gaps, "The detection gaps");
        let recommendations = section(&mut e, "recommendations", &self.recommendations, "The recommendations");
        let attendees =
            e.check("attendees", optional_text(&self.attendees, "The attendees", 2_000).map(Option::unwrap_or_default));
        let review_held_on = e.check(
            "review_held_on",
            match self.review_held_on.trim() {
                "" => Ok(None),
                v => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                    Err(_) => Err("Enter a date like 2026-03-14.".to_owned()),
                    Ok(d) if d > today => Err("The review cannot be held in the future.".to_owned()),
                    Ok(d) => Ok(Some(d)),
                },
            },
        );
        e.finish(|| {
            Some(LessonsDraft {
                summary: summary?,
                went_well: went_well?,
                went_wrong: went_wrong?,
                root_cause: root_cause?,
                contributing_factors: contributing_factors?,
                detection_gaps: detection_gaps?,
                recommendations: recommendations?,
                review_held_on: review_held_on?,
                attendees: attendees?,
            })
        })
    }
}

code_enum! {
    /// Where an action item stands.
    ActionStatus {
        Open => ("open", "Open"),
        InProgress => ("in_progress", "In progress"),
        Done => ("done", "Done"),
        WontDo => ("wont_do", "Won't do"),
    }
}

impl ActionStatus {
    pub fn is_finished(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::WontDo)
    }
}

/// An improvement the review decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl ActionItem {
    /// Past its due date and not finished.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.status.is_finished() && self.due_on < today
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItemForm {
    pub text: String,
    pub owner: String,
    pub due_on: String,
}

/// A validated [`ActionItemForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActionItem {
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

impl ActionItemForm {
    pub fn parse(&self) -> Result<NewActionItem, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = e.check("text", required_text(&self.text, "The action", 1_000));
        let owner = e.check("owner", required_text(&self.owner, "An owner", 200));
        let due_on = e.check(
            "due_on",
            match self.due_on.trim() {
                "" => Err("A due date is required.".to_owned()),
                v => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| "Enter a date like 2026-03-14.".to_owned()),
            },
        );
        e.finish(|| Some(NewActionItem { text: text?, owner: owner?, due_on: due_on? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()
    }

    #[test]
    fn the_review_needs_a_summary_and_a_past_date() {
        let ok = LessonsForm {
            summary: "Phish caught late".into(),
            review_held_on: "2026-03-13".into(),
            ..Default::default()
        };
        let draft = ok.parse(today()).unwrap();
        assert_eq!(draft.review_held_on, NaiveDate::from_ymd_opt(2026, 3, 13));
        assert_eq!(draft.root_cause, "");
        let e = LessonsForm { summary: " ".into(), review_held_on: "2026-03-15".into(), ..Default::default() }
            .parse(today())
            .unwrap_err();
        assert!(e.get("summary").is_some());
        assert!(e.get("review_held_on").is_some_and(|m| m.contains("future")));
        let e = LessonsForm { summary: "x".into(), review_held_on: "14/03/2026".into(), ..Default::default() }
            .parse(today())
            .unwrap_err();
        assert!(e.get("review_held_on").is_some());
        let e =
            LessonsForm { summary: "x".into(), root_cause: "y".repeat(MAX_SECTION_CHARS + 1), ..Default::default() }
                .parse(today())
                .unwrap_err();
        assert!(e.get("root_cause").is_some());
    }

    #[test]
    fn closing_waits_for_a_summary_and_a_review_date() {
        assert!(!review_complete(None));
        let mut l = Lessons { summary: "Done".into(), version: 1, ..Default::default() };
        assert!(!review_complete(Some(&l)));
        l.review_held_on = Some(today());
        assert!(review_complete(Some(&l)));
    }

    #[test]
    fn action_items_need_text_an_owner_and_a_due_date() {
        let ok = ActionItemForm { text: "Enable MFA".into(), owner: "IT ops".into(), due_on: "2026-04-01".into() };
        assert_eq!(ok.parse().unwrap().owner, "IT ops");
        let e = ActionItemForm::default().parse().unwrap_err();
        assert!(e.get("text").is_some() && e.get("owner").is_some() && e.get("due_on").is_some());
        let item = ActionItem {
            id: "a".into(),
            text: "x".into(),
            owner: "y".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            status: ActionStatus::InProgress,
            created_by: "ic".into(),
            created_at: "2026-03-01T10:00:00Z".parse().unwrap(),
            updated_by: "ic".into(),
            updated_at: "2026-03-01T10:00:00Z".parse().unwrap(),
        };
        assert!(item.is_overdue(today()));
        assert!(!ActionItem { status: ActionStatus::Done, ..item }.is_overdue(today()));
    }
}
