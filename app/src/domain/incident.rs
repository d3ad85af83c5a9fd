//! The incident record: what the board, the incident page and the database
//! exchange, and the parsing of the create/edit form into validated fields.

use super::Code;
use super::classification::Classification;
use super::phase::{Milestone, Phase, TransitionPlan};
use super::priority::{FunctionalImpact, InformationImpact, Priority, Recoverability, Urgency, compute_priority};
use super::tlp::Tlp;
use super::validation::{FieldErrors, optional_text, required_text};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 10_000;
pub const MAX_NAME_CHARS: usize = 120;
/// Clock skew tolerated between a browser and the server for "not in the future".
pub const CLOCK_SKEW_MINUTES: i64 = 5;

/// The lifecycle timestamps that phase moves set and clear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    pub contained_at: Option<DateTime<Utc>>,
    pub eradicated_at: Option<DateTime<Utc>>,
    pub recovered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Milestones {
    fn slot(&mut self, m: Milestone) -> &mut Option<DateTime<Utc>> {
        match m {
            Milestone::Contained => &mut self.contained_at,
            Milestone::Eradicated => &mut self.eradicated_at,
            Milestone::Recovered => &mut self.recovered_at,
            Milestone::Closed => &mut self.closed_at,
        }
    }

    /// Applies a permitted phase move's stamps and clears at time `now`.
    pub fn apply(&mut self, plan: &TransitionPlan, now: DateTime<Utc>) {
        for m in &plan.clear {
            *self.slot(*m) = None;
        }
        if let Some(m) = plan.stamp {
            *self.slot(m) = Some(now);
        }
    }
}

/// A whole incident as the application sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    /// Human reference, `INC-YYYY-NNNN`.
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub classification: Classification,
    pub functional_impact: FunctionalImpact,
    pub information_impact: InformationImpact,
    pub recoverability: Recoverability,
    pub urgency: Urgency,
    pub priority: Priority,
    pub tlp: Tlp,
    pub phase: Phase,
    pub phase_entered_at: DateTime<Utc>,
    pub commander: Option<String>,
    pub reporter: String,
    pub occurred_at: Option<DateTime<Utc>>,
    pub detected_at: Option<DateTime<Utc>>,
    pub reported_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub milestones: Milestones,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version: every change increments it.
    pub version: i64,
    /// Need-to-know: only members (and admins) see a restricted incident.
    pub restricted: bool,
    /// The account that reported it (none for incidents from before accounts).
    pub reported_by: Option<String>,
}

/// The human reference for the `number`th incident of `year`.
pub fn format_reference(year: i32, number: i64) -> String {
    format!("INC-{year}-{number:04}")
}

/// The raw create/edit form, exactly as a browser sends it (all text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentForm {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub classification: String,
    pub functional_impact: String,
    pub information_impact: String,
    pub recoverability: String,
    pub urgency: String,
    pub tlp: String,
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub detected_at: String,
    #[serde(default)]
    pub acknowledged_at: String,
    #[serde(default)]
    pub reporter: String,
    #[serde(default)]
    pub commander: String,
}

/// The validated, editable fields of an incident (shared by create and edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFields {
    pub title: String,
    pub summary: String,
    pub classification: Classification,
    pub functional_impact: FunctionalImpact,
    pub information_impact: InformationImpact,
    pub recoverability: Recoverability,
    pub urgency: Urgency,
    pub tlp: Tlp,
    pub occurred_at: Option<DateTime<Utc>>,
    pub detected_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub commander: Option<String>,
}

impl IncidentFields {
    pub fn priority(&self) -> Priority {
        compute_priority(self.functional_impact, self.information_impact, self.recoverability, self.urgency)
    }
}

/// A new incident ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub fields: IncidentFields,
    pub reporter: String,
}

/// The fields of an edit, with the version the editor saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentChanges {
    pub fields: IncidentFields,
    pub expected_version: i64,
}

fn parse_code<T: Code>(value: &str, what: &str) -> Result<T, String> {
    T::from_code(value.trim()).ok_or_else(|| format!("Choose a {what} from the list."))
}

/// Parses a `datetime-local` value (taken as UTC) or an RFC 3339 time.
pub fn parse_time(value: &str) -> Result<Option<DateTime<Utc>>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
            return Ok(Some(t.and_utc()));
        }
    }
    Err("Enter a date and time like 2026-03-14 09:30 (UTC).".into())
}

fn not_in_future(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    match t {
        Some(t) if t > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) => Err("This time is in the future.".into()),
        other => Ok(other),
    }
}

impl IncidentForm {
    /// Validates every editable field at once, so each error can be shown
    /// next to its field.
    pub fn parse_fields(&self, now: DateTime<Utc>) -> Result<IncidentFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", required_text(&self.title, "Title", MAX_TITLE_CHARS));
        let summary = e.check("summary", optional_text(&self.summary, "Summary", MAX_SUMMARY_CHARS));
        let classification = e.check("classification", Classification::parse_value(self.classification.trim()));
        let functional_impact = e.check("functional_impact", parse_code(&self.functional_impact, "functional impact"));
        let information_impact =
            e.check("information_impact", parse_code(&self.information_impact, "information impact"));
        let recoverability = e.check("recoverability", parse_code(&self.recoverability, "recoverability"));
        let urgency = e.check("urgency", parse_code(&self.urgency, "urgency"));
        let tlp = e.check("tlp", parse_code(&self.tlp, "TLP marking"));
        let occurred_at = e.check("occurred_at", parse_time(&self.occurred_at).and_then(|t| not_in_future(t, now)));
        let detected_at = e.check("detected_at", parse_time(&self.detected_at).and_then(|t| not_in_future(t, now)));
        let acknowledged_at =
            e.check("acknowledged_at", parse_time(&self.acknowledged_at).and_then(|t| not_in_future(t, now)));
        let commander = e.check("commander", optional_text(&self.commander, "Commander", MAX_NAME_CHARS));
        if let (Some(Some(o)), Some(Some(d))) = (occurred_at, detected_at)
            && d < o
        {
            e.add("detected_at", "Detection cannot come before the incident occurred.");
        }
        e.finish(|| {
            Some(IncidentFields {
                title: title?,
                summary: summary?.unwrap_or_default(),
                classification: classification?,
                functional_impact: functional_impact?,
                information_impact: information_impact?,
                recoverability: recoverability?,
                urgency: urgency?,
                tlp: tlp?,
                occurred_at: occurred_at?,
                detected_at: detected_at?,
                acknowledged_at: acknowledged_at?,
                commander: commander?,
            })
        })
    }

    /// Parses the new-incident form; the reporter is required here.
    pub fn parse_new(&self, now: DateTime<Utc>) -> Result<NewIncident, FieldErrors> {
        let fields = self.parse_fields(now);
        let reporter = required_text(&self.reporter, "Reporter", MAX_NAME_CHARS);
        match (fields, reporter) {
            (Ok(fields), Ok(reporter)) => Ok(NewIncident { fields, reporter }),
            (fields, reporter) => {
                let mut e = fields.err().unwrap_or_default();
                if let Err(msg) = reporter {
                    e.add("reporter", msg);
                }
                Err(e)
            }
        }
    }

    /// The form pre-filled from an existing incident, for the edit form.
    pub fn from_incident(i: &Incident) -> Self {
        Self {
            title: i.title.clone(),
            summary: i.summary.clone(),
            classification: i.classification.value(),
            functional_impact: i.functional_impact.code().into(),
            information_impact: i.information_impact.code().into(),
            recoverability: i.recoverability.code().into(),
            urgency: i.urgency.code().into(),
            tlp: i.tlp.code().into(),
            occurred_at: i.occurred_at.map(input_time).unwrap_or_default(),
            detected_at: i.detected_at.map(input_time).unwrap_or_default(),
            acknowledged_at: i.acknowledged_at.map(input_time).unwrap_or_default(),
            reporter: i.reporter.clone(),
            commander: i.commander.clone().unwrap_or_default(),
        }
    }
}

/// One changed field, for the timeline's "field changed" events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(display_time).unwrap_or_else(|| "—".into())
}

impl Incident {
    /// A newly reported incident, in Identification at version 1.
    pub fn reported(
        id: String,
        reference: String,
        new: NewIncident,
        reported_by: Option<String>,
        now: DateTime<Utc>,
    ) -> Self {
        let f = new.fields;
        Incident {
            id,
            reference,
            priority: f.priority(),
            title: f.title,
            summary: f.summary,
            classification: f.classification,
            functional_impact: f.functional_impact,
            information_impact: f.information_impact,
            recoverability: f.recoverability,
            urgency: f.urgency,
            tlp: f.tlp,
            phase: Phase::Identification,
            phase_entered_at: now,
            commander: f.commander,
            reporter: new.reporter,
            occurred_at: f.occurred_at,
            detected_at: f.detected_at,
            reported_at: now,
            acknowledged_at: f.acknowledged_at,
            milestones: Milestones::default(),
            created_at: now,
            updated_at: now,
            version: 1,
            restricted: false,
            reported_by,
        }
    }

    /// Lists what `fields` would change, in form order.
    pub fn changes(&self, f: &IncidentFields) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let mut push = |field: &'static str, before: String, after: String| {
            if before != after {
                out.push(FieldChange { field, before, after });
            }
        };
        push("Title", self.title.clone(), f.title.clone());
        push("Summary", self.summary.clone(), f.summary.clone());
        push("Classification", self.classification.label(), f.classification.label());
        push("Functional impact", self.functional_impact.to_string(), f.functional_impact.to_string());
        push("Information impact", self.information_impact.to_string(), f.information_impact.to_string());
        push("Recoverability", self.recoverability.to_string(), f.recoverability.to_string());
        push("Urgency", self.urgency.to_string(), f.urgency.to_string());
        push("Priority", self.priority.to_string(), f.priority().to_string());
        push("TLP", self.tlp.to_string(), f.tlp.to_string());
        push("Occurred", opt_time(self.occurred_at), opt_time(f.occurred_at));
        push("Detected", opt_time(self.detected_at), opt_time(f.detected_at));
        push("Acknowledged", opt_time(self.acknowledged_at), opt_time(f.acknowledged_at));
        push(
            "Commander",
            self.commander.clone().unwrap_or_else(|| "—".into()),
            f.commander.clone().unwrap_or_else(|| "—".into()),
        );
        out
    }

    /// Applies validated fields (the caller records the changes first).
    pub fn apply_fields(&mut self, f: IncidentFields) {
        self.priority = f.priority();
        self.title = f.title;
        self.summary = f.summary;
        self.classification = f.classification;
        self.functional_impact = f.functional_impact;
        self.information_impact = f.information_impact;
        self.recoverability = f.recoverability;
        self.urgency = f.urgency;
        self.tlp = f.tlp;
        self.occurred_at = f.occurred_at;
        self.detected_at = f.detected_at;
        self.acknowledged_at = f.acknowledged_at;
        self.commander = f.commander;
    }

    /// Applies a permitted phase move at time `now`.
    pub fn apply_transition(&mut self, plan: &TransitionPlan, now: DateTime<Utc>) {
        self.phase = plan.to;
        self.phase_entered_at = now;
        self.milestones.apply(plan, now);
    }
}

/// A time as a `datetime-local` input value (UTC).
pub fn input_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// A time as people read it on the page.
pub fn display_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A short duration such as "3d 4h", "5h 12m" or "7m".
pub fn display_duration(d: chrono::Duration) -> String {
    let mins = d.num_minutes().max(0);
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else {
        format!("{minutes}m")
    }
}

/// The response metrics (DOMAIN.md): each with the span it measures, or
/// `None` while either end is unknown (or the ends are out of order).
pub fn metrics(i: &Incident) -> Vec<(&'static str, Option<chrono::Duration>)> {
    let span = |from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| match (from, to) {
        (Some(a), Some(b)) if b >= a => Some(b - a),
        _ => None,
    };
    let m = &i.milestones;
    vec![
        ("Time to detect (occurred → detected)", span(i.occurred_at, i.detected_at)),
        ("Time to acknowledge (detected → acknowledged)", span(i.detected_at, i.acknowledged_at)),
        ("Time to contain (detected → contained)", span(i.detected_at, m.contained_at)),
        ("Time to recover (detected → recovered)", span(i.detected_at, m.recovered_at)),
        ("Time to close (detected → closed)", span(i.detected_at, m.closed_at)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap()
    }

    fn valid_form() -> IncidentForm {
        IncidentForm {
            title: "Phishing wave".into(),
            summary: "Many users got it".into(),
            classification: "fraud/phishing".into(),
            functional_impact: "low".into(),
            information_impact: "none".into(),
            recoverability: "regular".into(),
            urgency: "high".into(),
            tlp: "amber".into(),
            occurred_at: "2026-03-14T08:00".into(),
            detected_at: "2026-03-14T09:30".into(),
            acknowledged_at: String::new(),
            reporter: "Dana".into(),
            commander: String::new(),
        }
    }

    #[test]
    fn a_valid_form_parses_with_its_priority() {
        let n = valid_form().parse_new(now()).unwrap();
        assert_eq!(n.fields.title, "Phishing wave");
        assert_eq!(n.fields.priority(), Priority::P3);
        assert_eq!(n.fields.commander, None);
        assert_eq!(n.fields.detected_at, Some(Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0).unwrap()));
    }

    #[test]
    fn every_bad_field_is_reported_by_name() {
        let form = IncidentForm {
            title: " ".into(),
            classification: "fraud/ransomware".into(),
            functional_impact: "huge".into(),
            information_impact: "none".into(),
            recoverability: "regular".into(),
            urgency: "x".into(),
            tlp: "purple".into(),
            occurred_at: "yesterday".into(),
            detected_at: "2030-01-01T00:00".into(),
            ..Default::default()
        };
        let e = form.parse_new(now()).unwrap_err();
        for field in
            ["title", "classification", "functional_impact", "urgency", "tlp", "occurred_at", "detected_at", "reporter"]
        {
            assert!(e.get(field).is_some(), "missing error for {field}: {e}");
        }
        assert!(e.get("information_impact").is_none());
    }

    #[test]
    fn detection_before_occurrence_is_refused() {
        let form = IncidentForm { detected_at: "2026-03-14T07:00".into(), ..valid_form() };
        let e = form.parse_new(now()).unwrap_err();
        assert_eq!(e.get("detected_at"), Some("Detection cannot come before the incident occurred."));
    }

    #[test]
    fn times_accept_rfc3339_and_datetime_local() {
        assert_eq!(
            parse_time("2026-03-14T09:30:00+01:00").unwrap(),
            Some(Utc.with_ymd_and_hms(2026, 3, 14, 8, 30, 0).unwrap())
        );
        assert_eq!(parse_time("2026-03-14T09:30").unwrap(), Some(Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0).unwrap()));
        assert_eq!(parse_time("").unwrap(), None);
        assert!(parse_time("14/03/2026").is_err());
    }

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(format_reference(2026, 42), "INC-2026-0042");
        assert_eq!(format_reference(2026, 12345), "INC-2026-12345");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(display_duration(chrono::Duration::minutes(7)), "7m");
        assert_eq!(display_duration(chrono::Duration::minutes(312)), "5h 12m");
        assert_eq!(display_duration(chrono::Duration::minutes(3 * 1440 + 245)), "3d 4h");
    }

    #[test]
    fn metrics_measure_from_detection_and_skip_unknown_ends() {
        let form = IncidentForm {
            title: "T".into(),
            classification: "other/unclassified".into(),
            functional_impact: "low".into(),
            information_impact: "none".into(),
            recoverability: "regular".into(),
            urgency: "low".into(),
            tlp: "amber".into(),
            reporter: "R".into(),
            occurred_at: "2026-03-01 08:00".into(),
            detected_at: "2026-03-01 10:30".into(),
            ..Default::default()
        };
        let now: DateTime<Utc> = "2026-03-02T00:00:00Z".parse().unwrap();
        let mut i = Incident::reported("id".into(), "INC-2026-0001".into(), form.parse_new(now).unwrap(), None, now);
        i.milestones.contained_at = Some("2026-03-01T14:30:00Z".parse().unwrap());
        let m = metrics(&i);
        assert_eq!(m[0].1, Some(chrono::Duration::minutes(150)));
        assert_eq!(m[1].1, None, "not acknowledged");
        assert_eq!(m[2].1, Some(chrono::Duration::hours(4)));
        assert_eq!(m[4].1, None, "still open");
        i.milestones.contained_at = Some("2026-03-01T09:00:00Z".parse().unwrap());
        assert_eq!(metrics(&i)[2].1, None, "ends out of order are not a metric");
    }
}
