//! Preparation: the incident response plan (versioned Markdown with an
//! approver and a review date), the response team roster, the stakeholder
//! directory, and the readiness checklist of tools and resources.

use super::playbook::IrRole;
use super::{Code, FieldErrors, code_enum};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest plan accepted, in characters.
pub const MAX_PLAN_CHARS: usize = 200_000;

/// One published version of the plan. Versions are never changed; a new
/// one is published instead, and older ones stay readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVersion {
    pub version: i64,
    pub body: String,
    pub approver: String,
    pub approved_on: NaiveDate,
    pub next_review_on: NaiveDate,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

impl PlanVersion {
    /// Whether the plan is past its review date on `today`.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.next_review_on < today
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForm {
    pub body: String,
    pub approver: String,
    pub approved_on: String,
    pub next_review_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlanVersion {
    pub body: String,
    pub approver: String,
    pub approved_on: NaiveDate,
    pub next_review_on: NaiveDate,
}

fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Enter a date.".into());
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| "Enter a date as YYYY-MM-DD.".into())
}

fn required(errors: &mut FieldErrors, field: &str, value: &str, max: usize, what: &str) -> String {
    let v = value.trim().to_owned();
    if v.is_empty() {
        errors.add(field, format!("Enter {what}."));
    } else if v.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
    v
}

fn optional(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let v = value.trim().to_owned();
    if v.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
    v
}

impl PlanForm {
    pub fn parse(&self) -> Result<NewPlanVersion, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = self.body.trim().to_owned();
        if body.is_empty() {
            errors.add("body", "Write the plan (Markdown).");
        } else if body.chars().count() > MAX_PLAN_CHARS {
            errors.add("body", format!("The plan must be at most {MAX_PLAN_CHARS} characters."));
        }
        let approver = required(&mut errors, "approver", &self.approver, 200, "who approved this version");
        let approved_on = errors.check("approved_on", parse_date(&self.approved_on));
        let next_review_on = errors.check("next_review_on", parse_date(&self.next_review_on));
        if let (Some(a), Some(n)) = (approved_on, next_review_on)
            && n <= a
        {
            errors.add("next_review_on", "The next review must come after the approval.");
        }
        errors.finish(|| {
            Some(NewPlanVersion { body, approver, approved_on: approved_on?, next_review_on: next_review_on? })
        })
    }
}

/// A person on the response team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub id: String,
    pub name: String,
    pub role: IrRole,
    pub contact: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterForm {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRosterEntry {
    pub name: String,
    pub role: IrRole,
    pub contact: String,
    pub notes: String,
}

impl RosterForm {
    pub fn parse(&self) -> Result<NewRosterEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&mut errors, "name", &self.name, 200, "the person's name");
        let role = IrRole::from_code(self.role.trim());
        if role.is_none() {
            errors.add("role", "Choose a role from the list.");
        }
        let contact = required(&mut errors, "contact", &self.contact, 500, "how to reach them (phone, email)");
        let notes = optional(&mut errors, "notes", &self.notes, 2000);
        errors.finish(|| Some(NewRosterEntry { name, role: role?, contact, notes }))
    }
}

code_enum! {
    /// Who is kept informed during an incident.
    Audience {
        Executives => ("executives", "Executives"),
        LegalDpo => ("legal_dpo", "Legal / DPO"),
        ItOperations => ("it_operations", "IT operations"),
        AllStaff => ("all_staff", "All staff"),
        Customers => ("customers", "Customers"),
        Regulators => ("regulators", "Regulators"),
        Partners => ("partners", "Partners and suppliers"),
        Press => ("press", "Press"),
        LawEnforcement => ("law_enforcement", "Law enforcement"),
        Insurer => ("insurer", "Cyber insurer"),
    }
}

/// A named audience and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stakeholder {
    pub id: String,
    pub audience: Audience,
    pub name: String,
    pub contact: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StakeholderForm {
    pub audience: String,
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStakeholder {
    pub audience: Audience,
    pub name: String,
    pub contact: String,
    pub notes: String,
}

impl StakeholderForm {
    pub fn parse(&self) -> Result<NewStakeholder, FieldErrors> {
        let mut errors = FieldErrors::new();
        let audience = Audience::from_code(self.audience.trim());
        if audience.is_none() {
            errors.add("audience", "Choose an audience from the list.");
        }
        let name = required(&mut errors, "name", &self.name, 200, "a name (a person, team or mailing list)");
        let contact = required(&mut errors, "contact", &self.contact, 500, "how to reach them");
        let notes = optional(&mut errors, "notes", &self.notes, 2000);
        errors.finish(|| Some(NewStakeholder { audience: audience?, name, contact, notes }))
    }
}

/// A tool or resource the team relies on, verified at an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessItem {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub interval_days: i64,
    pub last_verified_at: Option<DateTime<Utc>>,
    pub verified_by: Option<String>,
    pub notes: String,
}

impl ReadinessItem {
    /// Stale: never verified, or its last verification is older than its interval.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        match self.last_verified_at {
            None => true,
            Some(at) => now - at > chrono::Duration::days(self.interval_days),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessForm {
    pub name: String,
    pub owner: String,
    pub interval_days: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReadinessItem {
    pub name: String,
    pub owner: String,
    pub interval_days: i64,
    pub notes: String,
}

impl ReadinessForm {
    pub fn parse(&self) -> Result<NewReadinessItem, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&mut errors, "name", &self.name, 200, "what must be ready");
        let owner = required(&mut errors, "owner", &self.owner, 200, "who keeps it ready");
        let interval = match self.interval_days.trim().parse::<i64>() {
            Ok(n) if (1..=730).contains(&n) => Some(n),
            _ => {
                errors.add("interval_days", "Enter a number of days from 1 to 730.");
                None
            }
        };
        let notes = optional(&mut errors, "notes", &self.notes, 2000);
        errors.finish(|| Some(NewReadinessItem { name, owner, interval_days: interval?, notes }))
    }
}

/// Preparation problems a commander should see on the board.
pub fn alerts(plan: Option<&PlanVersion>, readiness: &[ReadinessItem], now: DateTime<Utc>) -> Vec<String> {
    let mut out = Vec::new();
    match plan {
        None => out.push("No incident response plan has been published.".to_owned()),
        Some(p) if p.review_overdue(now.date_naive()) => out.push(format!(
            "The incident response plan (version {}) was due for review on {}.",
            p.version, p.next_review_on
        )),
        Some(_) => {}
    }
    let stale: Vec<&str> = readiness.iter().filter(|r| r.is_stale(now)).map(|r| r.name.as_str()).collect();
    if !stale.is_empty() {
        out.push(format!("{} readiness item(s) need verifying: {}.", stale.len(), stale.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn plan(next: &str) -> PlanVersion {
        PlanVersion {
            version: 3,
            body: "# Plan".into(),
            approver: "CISO".into(),
            approved_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            next_review_on: NaiveDate::parse_from_str(next, "%Y-%m-%d").unwrap(),
            published_by: "Ann".into(),
            published_at: Utc::now(),
        }
    }

    #[test]
    fn the_plan_form_checks_every_field_and_the_date_order() {
        let e = PlanForm::default().parse().unwrap_err();
        for f in ["body", "approver", "approved_on", "next_review_on"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let form = PlanForm {
            body: "# Plan".into(),
            approver: "CISO".into(),
            approved_on: "2026-06-01".into(),
            next_review_on: "2026-05-01".into(),
        };
        assert!(form.parse().unwrap_err().get("next_review_on").unwrap().contains("after"));
        let ok = PlanForm { next_review_on: "2027-06-01".into(), ..form };
        assert_eq!(ok.parse().unwrap().approver, "CISO");
    }

    #[test]
    fn readiness_goes_stale_after_its_interval_and_when_never_verified() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let mut item = ReadinessItem {
            id: "1".into(),
            name: "Jump bag".into(),
            owner: "Bo".into(),
            interval_days: 30,
            last_verified_at: None,
            verified_by: None,
            notes: String::new(),
        };
        assert!(item.is_stale(now));
        item.last_verified_at = Some(now - chrono::Duration::days(29));
        assert!(!item.is_stale(now));
        item.last_verified_at = Some(now - chrono::Duration::days(31));
        assert!(item.is_stale(now));
    }

    #[test]
    fn alerts_name_the_overdue_review_and_stale_items() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        assert_eq!(alerts(Some(&plan("2027-01-01")), &[], now), Vec::<String>::new());
        let a = alerts(Some(&plan("2026-12-01")), &[], now);
        assert_eq!(a.len(), 1);
        assert!(a[0].contains("due for review on 2026-12-01"));
        assert!(alerts(None, &[], now)[0].contains("No incident response plan"));
    }

    #[test]
    fn roster_stakeholder_and_readiness_forms_validate() {
        let e = RosterForm { role: "boss".into(), ..Default::default() }.parse().unwrap_err();
        assert!(e.get("name").is_some() && e.get("role").is_some() && e.get("contact").is_some());
        let e = StakeholderForm::default().parse().unwrap_err();
        assert!(e.get("audience").is_some());
        let e = ReadinessForm { name: "x".into(), owner: "y".into(), interval_days: "0".into(), notes: String::new() }
            .parse()
            .unwrap_err();
        assert!(e.get("interval_days").is_some());
    }
}
