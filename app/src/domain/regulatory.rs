//! Regulatory notifications and their legal clocks.
//!
//! A *regime* (GDPR, NIS2, DORA, SEC 8-K, HIPAA, or an organisation's own,
//! such as a contract's customer notice) is data: a trigger that starts the
//! clock and stages, each with a deadline counted from the trigger or from
//! an earlier stage's submission. Starting a clock on an incident copies the
//! regime, so a later edit of the regime never moves a running clock.
//!
//! Deadlines are computed in UTC. Business days skip Saturdays, Sundays and
//! the holidays of the organisation's calendar, judged on UTC dates, and keep
//! the trigger's time of day (the conservative reading).

use super::incident::parse_time;
use super::validation::{FieldErrors, optional_text, required_text};
use super::{Code, code_enum};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// How long a stage may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deadline {
    Hours(u32),
    CalendarDays(u32),
    /// Weekends and calendar holidays do not count.
    BusinessDays(u32),
    /// Calendar months (the 31st plus one month is the end of the next month).
    Months(u32),
    /// No fixed period: "without undue delay".
    WithoutUndueDelay,
}

impl Deadline {
    /// Reads the compact form used in regime definitions: `72h`, `60d`,
    /// `4bd` (business days), `1mo`, or `asap`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        if s == "asap" {
            return Ok(Deadline::WithoutUndueDelay);
        }
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, unit) = s.split_at(split);
        let n: u32 =
            number.parse().map_err(|_| format!("“{s}” is not a deadline: write 72h, 60d, 4bd, 1mo or asap."))?;
        if n == 0 || n > 10_000 {
            return Err("A deadline must be between 1 and 10000 units.".into());
        }
        match unit.trim() {
            "h" => Ok(Deadline::Hours(n)),
            "d" => Ok(Deadline::CalendarDays(n)),
            "bd" => Ok(Deadline::BusinessDays(n)),
            "mo" => Ok(Deadline::Months(n)),
            _ => Err(format!("“{s}” is not a deadline: write 72h, 60d, 4bd, 1mo or asap.")),
        }
    }

    /// The moment the period that starts at `from` ends, or `None` when
    /// there is no fixed period.
    pub fn due_from(self, from: DateTime<Utc>, holidays: &BTreeSet<NaiveDate>) -> Option<DateTime<Utc>> {
        match self {
            Deadline::Hours(h) => Some(from + Duration::hours(i64::from(h))),
            Deadline::CalendarDays(d) => Some(from + Duration::days(i64::from(d))),
            Deadline::BusinessDays(n) => Some(add_business_days(from, n, holidays)),
            Deadline::Months(m) => from.checked_add_months(Months::new(m)),
            Deadline::WithoutUndueDelay => None,
        }
    }

    /// How a person reads it: "72 hours", "4 business days".
    pub fn describe(self) -> String {
        let plural = |n: u32, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
        match self {
            Deadline::Hours(h) => plural(h, "hour", "hours"),
            Deadline::CalendarDays(d) => plural(d, "day", "days"),
            Deadline::BusinessDays(d) => plural(d, "business day", "business days"),
            Deadline::Months(m) => plural(m, "month", "months"),
            Deadline::WithoutUndueDelay => "without undue delay".into(),
        }
    }
}

impl fmt::Display for Deadline {
    /// The compact form [`Deadline::parse`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Hours(n) => write!(f, "{n}h"),
            Deadline::CalendarDays(n) => write!(f, "{n}d"),
            Deadline::BusinessDays(n) => write!(f, "{n}bd"),
            Deadline::Months(n) => write!(f, "{n}mo"),
            Deadline::WithoutUndueDelay => f.write_str("asap"),
        }
    }
}

/// Whether `date` is a business day: not a Saturday, Sunday or holiday.
pub fn is_business_day(date: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&date)
}

/// `from` moved forward by `n` business days (same time of day): the n-th
/// business day after `from`'s date.
pub fn add_business_days(from: DateTime<Utc>, n: u32, holidays: &BTreeSet<NaiveDate>) -> DateTime<Utc> {
    let mut at = from;
    let mut left = n;
    while left > 0 {
        at += Duration::days(1);
        if is_business_day(at.date_naive(), holidays) {
            left -= 1;
        }
    }
    at
}

/// One step a regime requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Unique within the regime.
    pub key: String,
    pub name: String,
    pub deadline: Deadline,
    /// The stage whose first submission starts this one's clock; `None`:
    /// the trigger does.
    pub after: Option<String>,
    /// What the submission must contain.
    pub content: String,
}

/// A notification regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regime {
    pub key: String,
    pub name: String,
    /// What starts the clock ("awareness of a personal-data breach").
    pub trigger: String,
    pub stages: Vec<Stage>,
    /// Shipped with Firebreak (admins add their own next to these).
    pub builtin: bool,
}

impl Regime {
    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.key == key)
    }
}

fn stage(key: &str, name: &str, deadline: Deadline, after: Option<&str>, content: &str) -> Stage {
    Stage { key: key.into(), name: name.into(), deadline, after: after.map(Into::into), content: content.into() }
}

/// The regimes shipped with Firebreak, from the legal texts (summarised in
/// our own words; not legal advice).
pub fn builtin_regimes() -> Vec<Regime> {
    use Deadline::*;
    vec![
        Regime {
            key: "gdpr".into(),
            name: "GDPR personal-data breach (Art. 33/34)".into(),
            trigger: "Awareness of a personal-data breach".into(),
            builtin: true,
            stages: vec![
                stage(
                    "authority",
                    "Notify the supervisory authority (Art. 33)",
                    Hours(72),
                    None,
                    "The nature of the breach; the categories and approximate numbers of data subjects and records concerned; the DPO's contact details; the likely consequences; the measures taken or proposed. May be given in phases. If later than 72 hours, the reasons for the delay. Document every breach, even one not notified.",
                ),
                stage(
                    "data_subjects",
                    "Tell the data subjects when the risk to them is high (Art. 34)",
                    WithoutUndueDelay,
                    None,
                    "In clear and plain language: the nature of the breach, the DPO's contact details, the likely consequences, and the measures taken or proposed, including what people can do to protect themselves.",
                ),
            ],
        },
        Regime {
            key: "nis2".into(),
            name: "NIS2 significant incident (Art. 23)".into(),
            trigger: "Awareness of a significant incident".into(),
            builtin: true,
            stages: vec![
                stage(
                    "early_warning",
                    "Early warning to the CSIRT or authority",
                    Hours(24),
                    None,
                    "Whether the incident is suspected to be caused by unlawful or malicious acts, and whether it could have a cross-border impact.",
                ),
                stage(
                    "notification",
                    "Incident notification",
                    Hours(72),
                    None,
                    "An update of the early warning; an initial assessment of the incident's severity and impact; indicators of compromise where available.",
                ),
                stage(
                    "final_report",
                    "Final report (a progress report instead if still ongoing)",
                    Months(1),
                    Some("notification"),
                    "A detailed description including severity and impact; the type of threat or root cause; the mitigation measures applied and ongoing; any cross-border impact.",
                ),
            ],
        },
        Regime {
            key: "dora".into(),
            name: "DORA major ICT-related incident (Art. 19)".into(),
            trigger: "Classification of the incident as major".into(),
            builtin: true,
            stages: vec![
                stage(
                    "initial",
                    "Initial notification",
                    Hours(4),
                    None,
                    "The initial notification template of the RTS. It is also due no later than 24 hours after awareness of the incident, whichever comes first.",
                ),
                stage(
                    "intermediate",
                    "Intermediate report",
                    Hours(72),
                    Some("initial"),
                    "The intermediate report template of the RTS, updated whenever the situation changes materially.",
                ),
                stage(
                    "final",
                    "Final report",
                    Months(1),
                    Some("intermediate"),
                    "The final report template of the RTS, including the root cause and the measures taken.",
                ),
            ],
        },
        Regime {
            key: "sec_8k".into(),
            name: "SEC Form 8-K Item 1.05 (material cybersecurity incident)".into(),
            trigger: "Determination that the incident is material".into(),
            builtin: true,
            stages: vec![stage(
                "form_8k",
                "File Form 8-K Item 1.05",
                BusinessDays(4),
                None,
                "The material aspects of the incident's nature, scope and timing, and its material impact or reasonably likely material impact on the registrant, including its financial condition and results of operations.",
            )],
        },
        Regime {
            key: "hipaa".into(),
            name: "HIPAA breach of unsecured PHI".into(),
            trigger: "Discovery of the breach".into(),
            builtin: true,
            stages: vec![
                stage(
                    "individuals",
                    "Notify the affected individuals",
                    CalendarDays(60),
                    None,
                    "What happened and the dates of the breach and its discovery; the types of PHI involved; the steps individuals should take; what the entity is doing to mitigate harm and prevent recurrence; contact procedures.",
                ),
                stage(
                    "hhs_and_media",
                    "Notify HHS, and the media where over 500 residents of a state are affected (500 or more affected)",
                    CalendarDays(60),
                    None,
                    "The same content as to individuals. With fewer than 500 affected, record the breach in the annual log to HHS instead, due within 60 days of the end of the calendar year.",
                ),
            ],
        },
    ]
}

code_enum! {
    /// What a recorded stage outcome says.
    Outcome {
        Submitted => ("submitted", "Submitted"),
        /// Assessed as not required (the reason is the summary).
        NotRequired => ("not_required", "Not required"),
    }
}

/// One submission (or a documented decision not to submit) of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: String,
    pub stage_key: String,
    pub outcome: Outcome,
    /// When it was sent (or decided).
    pub submitted_at: DateTime<Utc>,
    /// The authority, regulator or audience it went to.
    pub submitted_to: Option<String>,
    /// The regulator's reference for it.
    pub reference: Option<String>,
    /// What was sent, or why it was not required.
    pub summary: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A regime's clock running on one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub incident_id: String,
    /// The regime as it was when the clock started.
    pub regime: Regime,
    pub trigger_at: DateTime<Utc>,
    pub started_by: String,
    pub started_at: DateTime<Utc>,
    /// Oldest first.
    pub submissions: Vec<Submission>,
}

/// Where a stage stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageStatus {
    /// Its clock runs.
    Due { due_at: DateTime<Utc>, overdue: bool },
    /// No fixed deadline and nothing recorded yet.
    Open,
    /// Waits for the stage it follows to be submitted.
    Waiting { after: String },
    /// Submitted (first at `at`); `late` when after the deadline.
    Submitted { at: DateTime<Utc>, due_at: Option<DateTime<Utc>>, late: bool },
    /// Assessed as not required.
    NotRequired { reason: String },
}

impl StageStatus {
    /// Still owed: its deadline is running or it has none.
    pub fn is_open(&self) -> bool {
        matches!(self, StageStatus::Due { .. } | StageStatus::Open)
    }
}

/// The first submission or decision recorded for a stage.
fn first_record<'a>(n: &'a Notification, key: &str) -> Option<&'a Submission> {
    n.submissions.iter().filter(|s| s.stage_key == key).min_by_key(|s| s.submitted_at)
}

/// Every stage of `n` with its status at `now`.
pub fn stage_statuses(
    n: &Notification,
    holidays: &BTreeSet<NaiveDate>,
    now: DateTime<Utc>,
) -> Vec<(Stage, StageStatus)> {
    n.regime
        .stages
        .iter()
        .map(|s| {
            let anchor = match &s.after {
                None => Ok(n.trigger_at),
                Some(k) => match first_record(n, k) {
                    Some(sub) if sub.outcome == Outcome::Submitted => Ok(sub.submitted_at),
                    _ => Err(n.regime.stage(k).map(|p| p.name.clone()).unwrap_or_else(|| k.clone())),
                },
            };
            let due = anchor.as_ref().ok().and_then(|from| s.deadline.due_from(*from, holidays));
            let status = match (first_record(n, &s.key), anchor) {
                (Some(sub), _) if sub.outcome == Outcome::NotRequired => {
                    StageStatus::NotRequired { reason: sub.summary.clone() }
                }
                (Some(sub), _) => StageStatus::Submitted {
                    at: sub.submitted_at,
                    due_at: due,
                    late: due.is_some_and(|d| sub.submitted_at > d),
                },
                (None, Err(after)) => StageStatus::Waiting { after },
                (None, Ok(_)) => match due {
                    Some(due_at) => StageStatus::Due { due_at, overdue: now > due_at },
                    None => StageStatus::Open,
                },
            };
            (s.clone(), status)
        })
        .collect()
}

/// The stages still owed (their clock runs, or they have no fixed deadline),
/// each with its deadline if it has one.
pub fn owed(
    n: &Notification,
    holidays: &BTreeSet<NaiveDate>,
    now: DateTime<Utc>,
) -> Vec<(Stage, Option<DateTime<Utc>>)> {
    stage_statuses(n, holidays, now)
        .into_iter()
        .filter_map(|(stage, status)| match status {
            StageStatus::Due { due_at, .. } => Some((stage, Some(due_at))),
            StageStatus::Open => Some((stage, None)),
            _ => None,
        })
        .collect()
}

/// The earliest running deadline of a notification, with whether it has
/// passed (for the board).
pub fn next_deadline(
    n: &Notification,
    holidays: &BTreeSet<NaiveDate>,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, bool)> {
    owed(n, holidays, now).into_iter().filter_map(|(_, due)| due).min().map(|due| (due, now > due))
}

pub const MAX_SUMMARY_CHARS: usize = 10_000;

/// Starting a regime's clock on an incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartClockForm {
    pub regime: String,
    /// When the trigger happened (UTC).
    pub trigger_at: String,
}

impl StartClockForm {
    /// The regime key and the trigger time, which may not lie in the future.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<(String, DateTime<Utc>), FieldErrors> {
        let mut e = FieldErrors::new();
        let regime = e.check(
            "regime",
            Some(self.regime.trim().to_owned())
                .filter(|r| !r.is_empty())
                .ok_or("Choose a regime from the list.".to_owned()),
        );
        let trigger_at = e.check("trigger_at", required_past_time(&self.trigger_at, "The trigger time", now));
        e.finish(|| Some((regime?, trigger_at?)))
    }
}

fn required_past_time(value: &str, what: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    match parse_time(value)? {
        None => Err(format!("{what} is required.")),
        // A minute's grace for clocks that differ.
        Some(t) if t > now + Duration::minutes(1) => Err(format!("{what} cannot be in the future.")),
        Some(t) => Ok(t),
    }
}

/// Recording a stage's submission, or the decision that it is not required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionForm {
    pub stage: String,
    /// `submitted` or `not_required`.
    pub outcome: String,
    pub submitted_at: String,
    #[serde(default)]
    pub submitted_to: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub summary: String,
}

/// A validated [`SubmissionForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    pub stage_key: String,
    pub outcome: Outcome,
    pub submitted_at: DateTime<Utc>,
    pub submitted_to: Option<String>,
    pub reference: Option<String>,
    pub summary: String,
}

impl SubmissionForm {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewSubmission, FieldErrors> {
        let mut e = FieldErrors::new();
        let stage_key = e.check(
            "stage",
            Some(self.stage.trim().to_owned()).filter(|s| !s.is_empty()).ok_or("Choose the stage.".to_owned()),
        );
        let outcome =
            e.check("outcome", Outcome::from_code(self.outcome.trim()).ok_or("Choose what happened.".to_owned()));
        let submitted_at = e.check("submitted_at", required_past_time(&self.submitted_at, "The time", now));
        let submitted_to = e.check("submitted_to", optional_text(&self.submitted_to, "The recipient", 300));
        if outcome == Some(Outcome::Submitted) && submitted_to.as_ref().is_some_and(Option::is_none) {
            e.add("submitted_to", "Say which authority or audience it went to.");
        }
        let reference = e.check("reference", optional_text(&self.reference, "The reference", 200));
        let what = if outcome == Some(Outcome::NotRequired) { "The reason" } else { "What was submitted" };
        let summary = e.check("summary", required_text(&self.summary, what, MAX_SUMMARY_CHARS));
        e.finish(|| {
            Some(NewSubmission {
                stage_key: stage_key?,
                outcome: outcome?,
                submitted_at: submitted_at?,
                submitted_to: submitted_to?,
                reference: reference?,
                summary: summary?,
            })
        })
    }
}

/// An organisation's own regime, as an admin writes it. Stages are one per
/// line: `name; deadline; content`, where the deadline is `72h`, `60d`,
/// `4bd`, `1mo` or `asap`, optionally followed by `after N` to count from
/// the first submission of stage N (1-based) instead of the trigger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegimeForm {
    pub key: String,
    pub name: String,
    pub trigger: String,
    pub stages: String,
}

impl RegimeForm {
    pub fn parse(&self) -> Result<Regime, FieldErrors> {
        let mut e = FieldErrors::new();
        let key = self.key.trim().to_owned();
        let key = e.check(
            "key",
            if key.is_empty() {
                Err("A key is required.".to_owned())
            } else if key.len() > 40
                || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || !key.starts_with(|c: char| c.is_ascii_lowercase())
            {
                Err("Use lowercase letters, digits and underscores, starting with a letter (at most 40).".to_owned())
            } else {
                Ok(key)
            },
        );
        let name = e.check("name", required_text(&self.name, "The name", 200));
        let trigger = e.check("trigger", required_text(&self.trigger, "The trigger", 300));
        let stages = e.check("stages", parse_stages(&self.stages));
        e.finish(|| Some(Regime { key: key?, name: name?, trigger: trigger?, stages: stages?, builtin: false }))
    }
}

fn parse_stages(text: &str) -> Result<Vec<Stage>, String> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() {
        return Err("Add at least one stage: name; deadline; content.".into());
    }
    if lines.len() > 20 {
        return Err("At most 20 stages.".into());
    }
    let mut stages = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        let parts: Vec<&str> = line.splitn(3, ';').map(str::trim).collect();
        let [name, deadline, content] = parts[..] else {
            return Err(format!("Stage {n}: write name; deadline; content."));
        };
        if name.is_empty() || name.chars().count() > 200 {
            return Err(format!("Stage {n}: the name is required (at most 200 characters)."));
        }
        let (period, after) = match deadline.split_once(" after ") {
            Some((p, a)) => {
                let a: usize = a.trim().parse().map_err(|_| format!("Stage {n}: “after” needs a stage number."))?;
                if a == 0 || a >= n {
                    return Err(format!("Stage {n}: it can only follow an earlier stage (1 to {}).", n - 1));
                }
                (p, Some(a.to_string()))
            }
            None => (deadline, None),
        };
        let deadline = Deadline::parse(period).map_err(|m| format!("Stage {n}: {m}"))?;
        if content.chars().count() > 2_000 {
            return Err(format!("Stage {n}: the content is too long (at most 2000 characters)."));
        }
        stages.push(Stage { key: n.to_string(), name: name.into(), deadline, after, content: content.into() });
    }
    Ok(stages)
}

/// The stages written back in the form's line format.
pub fn format_stages(stages: &[Stage]) -> String {
    stages
        .iter()
        .map(|s| {
            let after = s
                .after
                .as_ref()
                .and_then(|k| stages.iter().position(|p| &p.key == k))
                .map(|i| format!(" after {}", i + 1))
                .unwrap_or_default();
            format!("{}; {}{after}; {}", s.name, s.deadline, s.content)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A day off in the organisation's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayForm {
    pub date: String,
    pub name: String,
}

impl HolidayForm {
    pub fn parse(&self) -> Result<Holiday, FieldErrors> {
        let mut e = FieldErrors::new();
        let date = e.check(
            "date",
            NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
                .map_err(|_| "Enter a date like 2026-12-25.".to_owned()),
        );
        let name = e.check("name", required_text(&self.name, "The name", 100));
        e.finish(|| Some(Holiday { date: date?, name: name? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn none() -> BTreeSet<NaiveDate> {
        BTreeSet::new()
    }

    fn notification(regime: &str, trigger: &str) -> Notification {
        Notification {
            id: "n".into(),
            incident_id: "i".into(),
            regime: builtin_regimes().into_iter().find(|r| r.key == regime).unwrap(),
            trigger_at: t(trigger),
            started_by: "ic".into(),
            started_at: t(trigger),
            submissions: vec![],
        }
    }

    fn submit(n: &mut Notification, stage: &str, at: &str, outcome: Outcome) {
        n.submissions.push(Submission {
            id: format!("s{}", n.submissions.len()),
            stage_key: stage.into(),
            outcome,
            submitted_at: t(at),
            submitted_to: Some("Authority".into()),
            reference: None,
            summary: "Sent".into(),
            recorded_by: "ic".into(),
            recorded_at: t(at),
        });
    }

    #[test]
    fn deadlines_read_and_write_the_compact_form() {
        for (text, d) in [
            ("72h", Deadline::Hours(72)),
            ("60d", Deadline::CalendarDays(60)),
            ("4bd", Deadline::BusinessDays(4)),
            ("1mo", Deadline::Months(1)),
            ("asap", Deadline::WithoutUndueDelay),
            (" 24H ", Deadline::Hours(24)),
        ] {
            assert_eq!(Deadline::parse(text), Ok(d), "{text}");
            assert_eq!(Deadline::parse(&d.to_string()), Ok(d));
        }
        for bad in ["", "h", "72", "0h", "3 weeks", "-1d", "99999999999h"] {
            assert!(Deadline::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn gdpr_gives_the_authority_72_hours_from_awareness() {
        let n = notification("gdpr", "2026-03-06T15:00:00Z");
        let statuses = stage_statuses(&n, &none(), t("2026-03-09T14:59:00Z"));
        assert_eq!(statuses[0].1, StageStatus::Due { due_at: t("2026-03-09T15:00:00Z"), overdue: false });
        assert_eq!(statuses[1].1, StageStatus::Open, "Art. 34 has no fixed period");
        let later = stage_statuses(&n, &none(), t("2026-03-09T15:01:00Z"));
        assert_eq!(later[0].1, StageStatus::Due { due_at: t("2026-03-09T15:00:00Z"), overdue: true });
    }

    #[test]
    fn a_late_submission_is_marked_late_and_phased_reports_keep_the_first_time() {
        let mut n = notification("gdpr", "2026-03-06T15:00:00Z");
        submit(&mut n, "authority", "2026-03-10T09:00:00Z", Outcome::Submitted);
        submit(&mut n, "authority", "2026-03-12T09:00:00Z", Outcome::Submitted);
        let s = stage_statuses(&n, &none(), t("2026-03-20T00:00:00Z"));
        assert_eq!(
            s[0].1,
            StageStatus::Submitted {
                at: t("2026-03-10T09:00:00Z"),
                due_at: Some(t("2026-03-09T15:00:00Z")),
                late: true
            }
        );
        submit(&mut n, "data_subjects", "2026-03-11T09:00:00Z", Outcome::NotRequired);
        let s = stage_statuses(&n, &none(), t("2026-03-20T00:00:00Z"));
        assert_eq!(s[1].1, StageStatus::NotRequired { reason: "Sent".into() });
        assert_eq!(next_deadline(&n, &none(), t("2026-03-20T00:00:00Z")), None);
    }

    #[test]
    fn nis2_final_report_waits_for_the_notification_then_runs_a_month() {
        let mut n = notification("nis2", "2026-01-30T10:00:00Z");
        let s = stage_statuses(&n, &none(), t("2026-01-30T11:00:00Z"));
        assert_eq!(s[0].1, StageStatus::Due { due_at: t("2026-01-31T10:00:00Z"), overdue: false });
        assert_eq!(s[1].1, StageStatus::Due { due_at: t("2026-02-02T10:00:00Z"), overdue: false });
        assert_eq!(s[2].1, StageStatus::Waiting { after: "Incident notification".into() });
        assert_eq!(next_deadline(&n, &none(), t("2026-01-30T11:00:00Z")), Some((t("2026-01-31T10:00:00Z"), false)));
        submit(&mut n, "early_warning", "2026-01-30T20:00:00Z", Outcome::Submitted);
        submit(&mut n, "notification", "2026-01-31T12:00:00Z", Outcome::Submitted);
        let s = stage_statuses(&n, &none(), t("2026-02-01T00:00:00Z"));
        // One month after 31 January is the end of February.
        assert_eq!(s[2].1, StageStatus::Due { due_at: t("2026-02-28T12:00:00Z"), overdue: false });
    }

    #[test]
    fn sec_counts_four_business_days_skipping_weekends_and_holidays() {
        // Determined on Wednesday 2026-11-25 10:00; Thursday 26 (US Thanksgiving) is in the calendar.
        let n = notification("sec_8k", "2026-11-25T10:00:00Z");
        let holidays: BTreeSet<NaiveDate> = [NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()].into();
        // Wed 25 → Fri 27 (1; Thu 26 is a holiday), Mon 30 (2), Tue 1 (3), Wed 2 (4).
        let s = stage_statuses(&n, &holidays, t("2026-11-25T11:00:00Z"));
        assert_eq!(s[0].1, StageStatus::Due { due_at: t("2026-12-02T10:00:00Z"), overdue: false });
        // Without the holiday: Thu, Fri, Mon, Tue.
        let s = stage_statuses(&n, &none(), t("2026-11-25T11:00:00Z"));
        assert_eq!(s[0].1, StageStatus::Due { due_at: t("2026-12-01T10:00:00Z"), overdue: false });
        // Triggered on a Saturday, the count starts on Monday.
        assert_eq!(add_business_days(t("2026-11-28T09:00:00Z"), 1, &none()), t("2026-11-30T09:00:00Z"));
    }

    #[test]
    fn dora_chains_each_report_to_the_previous_submission() {
        let mut n = notification("dora", "2026-05-04T08:00:00Z");
        let s = stage_statuses(&n, &none(), t("2026-05-04T09:00:00Z"));
        assert_eq!(s[0].1, StageStatus::Due { due_at: t("2026-05-04T12:00:00Z"), overdue: false });
        assert!(matches!(s[1].1, StageStatus::Waiting { .. }));
        submit(&mut n, "initial", "2026-05-04T11:00:00Z", Outcome::Submitted);
        let s = stage_statuses(&n, &none(), t("2026-05-04T12:00:00Z"));
        assert_eq!(s[1].1, StageStatus::Due { due_at: t("2026-05-07T11:00:00Z"), overdue: false });
        // A stage decided "not required" does not start the next one's clock.
        let mut m = notification("dora", "2026-05-04T08:00:00Z");
        submit(&mut m, "initial", "2026-05-04T11:00:00Z", Outcome::NotRequired);
        assert!(matches!(stage_statuses(&m, &none(), t("2026-05-05T00:00:00Z"))[1].1, StageStatus::Waiting { .. }));
    }

    #[test]
    fn every_builtin_regime_is_well_formed() {
        let regimes = builtin_regimes();
        let keys: BTreeSet<&str> = regimes.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys.len(), regimes.len(), "regime keys are unique");
        for r in &regimes {
            assert!(!r.stages.is_empty(), "{}", r.key);
            for (i, s) in r.stages.iter().enumerate() {
                assert!(!s.content.is_empty(), "{}/{}", r.key, s.key);
                if let Some(after) = &s.after {
                    let earlier = r.stages[..i].iter().any(|p| &p.key == after);
                    assert!(earlier, "{}/{} follows an earlier stage", r.key, s.key);
                }
            }
        }
    }

    #[test]
    fn an_admins_regime_is_parsed_from_lines_and_written_back() {
        let form = RegimeForm {
            key: "acme_contract".into(),
            name: "ACME contract notice".into(),
            trigger: "Confirmed incident touching ACME data".into(),
            stages: "Tell ACME's security desk; 24h; Scope and contact\n\nWritten report; 10bd after 1; Root cause"
                .into(),
        };
        let r = form.parse().unwrap();
        assert_eq!(r.stages.len(), 2);
        assert_eq!(r.stages[1].deadline, Deadline::BusinessDays(10));
        assert_eq!(r.stages[1].after.as_deref(), Some("1"));
        assert!(!r.builtin);
        assert_eq!(RegimeForm { stages: format_stages(&r.stages), ..form.clone() }.parse().unwrap(), r);
        for (stages, says) in [
            ("", "at least one stage"),
            ("Only a name", "name; deadline; content"),
            ("A; 3 weeks; x", "Stage 1"),
            ("A; 24h after 1; x", "earlier stage"),
            ("A; 24h; x\nB; 1mo after 3; y", "Stage 2"),
        ] {
            let e = RegimeForm { stages: stages.into(), ..form.clone() }.parse().unwrap_err();
            assert!(e.get("stages").is_some_and(|m| m.contains(says)), "{stages:?}: {e:?}");
        }
        let e = RegimeForm { key: "Bad Key".into(), ..form }.parse().unwrap_err();
        assert!(e.get("key").is_some());
    }

    #[test]
    fn submissions_need_a_recipient_and_a_summary_and_cannot_be_in_the_future() {
        let now = t("2026-03-10T12:00:00Z");
        let ok = SubmissionForm {
            stage: "authority".into(),
            outcome: "submitted".into(),
            submitted_at: "2026-03-10 11:00".into(),
            submitted_to: "ICO".into(),
            reference: "IC-123".into(),
            summary: "Initial notification".into(),
        };
        assert_eq!(ok.parse(now).unwrap().reference.as_deref(), Some("IC-123"));
        let e = SubmissionForm { submitted_to: "".into(), summary: " ".into(), ..ok.clone() }.parse(now).unwrap_err();
        assert!(e.get("submitted_to").is_some() && e.get("summary").is_some());
        let e = SubmissionForm { submitted_at: "2026-03-11 11:00".into(), ..ok.clone() }.parse(now).unwrap_err();
        assert!(e.get("submitted_at").is_some_and(|m| m.contains("future")));
        // A decision not to notify needs a reason, not a recipient.
        let not = SubmissionForm { outcome: "not_required".into(), submitted_to: "".into(), ..ok };
        assert_eq!(not.parse(now).unwrap().outcome, Outcome::NotRequired);
        let e = StartClockForm { regime: "".into(), trigger_at: "".into() }.parse(now).unwrap_err();
        assert!(e.get("regime").is_some() && e.get("trigger_at").is_some());
    }

    #[test]
    fn holidays_are_dates_with_names() {
        let h = HolidayForm { date: "2026-12-25".into(), name: "Christmas Day".into() }.parse().unwrap();
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
        assert!(HolidayForm { date: "25/12/2026".into(), name: "X".into() }.parse().is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Adding n business days lands on a business day, later than the
        /// start, with exactly n business days in (start, result].
        #[test]
        fn business_days_land_on_a_business_day_after_exactly_n_of_them(
            start_days in 0i64..3650,
            minutes in 0i64..1440,
            n in 1u32..30,
            holiday_offsets in proptest::collection::btree_set(0i64..60, 0..10),
        ) {
            let start = DateTime::<Utc>::from_timestamp(1_767_225_600 + start_days * 86_400 + minutes * 60, 0).unwrap();
            let holidays: BTreeSet<NaiveDate> =
                holiday_offsets.iter().map(|d| start.date_naive() + Duration::days(*d)).collect();
            let due = add_business_days(start, n, &holidays);
            prop_assert!(due > start);
            prop_assert!(is_business_day(due.date_naive(), &holidays));
            prop_assert_eq!(due.time(), start.time());
            let mut counted = 0;
            let mut day = start.date_naive();
            while day < due.date_naive() {
                day = day.succ_opt().unwrap();
                if is_business_day(day, &holidays) {
                    counted += 1;
                }
            }
            prop_assert_eq!(counted, n);
        }
    }
}
