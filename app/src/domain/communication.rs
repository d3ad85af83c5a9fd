//! Stakeholder communication: updates that go to audiences from the
//! stakeholder directory, their draft → approved → sent life, the cadence a
//! priority asks for, what a TLP marking lets reach each audience, how a
//! contact is reached, and the message itself.

use super::incident::{Incident, display_time, parse_time};
use super::preparation::Audience;
use super::validation::{FieldErrors, required_text};
use super::{Code, Phase, Priority, Tlp, code_enum};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_SECTION_CHARS: usize = 5_000;
/// Email deliveries are tried this many times before they are marked failed.
pub const MAX_DELIVERY_ATTEMPTS: i64 = 6;

code_enum! {
    /// Where an update stands.
    UpdateState {
        Draft => ("draft", "Draft"),
        Approved => ("approved", "Approved"),
        Sent => ("sent", "Sent"),
    }
}

code_enum! {
    /// How a recipient is reached.
    Channel {
        Email => ("email", "Email"),
        /// Phone, a meeting, a portal: someone tells them and records it.
        Manual => ("manual", "In person or by phone"),
    }
}

code_enum! {
    /// Where one recipient's delivery stands.
    DeliveryStatus {
        Queued => ("queued", "Queued"),
        Sending => ("sending", "Sending"),
        Delivered => ("delivered", "Delivered"),
        Failed => ("failed", "Failed"),
        ToTell => ("to_tell", "To tell"),
        Told => ("told", "Told"),
    }
}

/// How often stakeholders expect to hear while an incident is open, by
/// priority: P1 hourly, P2 every 4 hours, P3 daily, P4 every 3 days.
pub fn cadence(priority: Priority) -> Duration {
    match priority {
        Priority::P1 => Duration::hours(1),
        Priority::P2 => Duration::hours(4),
        Priority::P3 => Duration::hours(24),
        Priority::P4 => Duration::hours(72),
    }
}

/// When the next update is due and whether that time has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateDue {
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    /// No update has been sent yet: this is the first one.
    pub first: bool,
}

/// The next update of an open incident is due when the last sent update said
/// (or, before any was sent, one cadence after the incident was reported).
/// Closed incidents owe no more updates.
pub fn update_due(
    incident: &Incident,
    last_sent_next_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<UpdateDue> {
    if incident.phase == Phase::Closed {
        return None;
    }
    let (due_at, first) = match last_sent_next_at {
        Some(at) => (at, false),
        None => (incident.reported_at + cadence(incident.priority), true),
    };
    Some(UpdateDue { due_at, overdue: now > due_at, first })
}

/// Audiences inside the organisation.
pub fn is_internal(audience: Audience) -> bool {
    matches!(audience, Audience::Executives | Audience::LegalDpo | Audience::ItOperations | Audience::AllStaff)
}

/// Whether an update marked `tlp` may go to `audience` (FIRST TLP 2.0):
/// RED only to named individuals inside (executives, legal/DPO); AMBER+STRICT
/// inside the organisation only; AMBER also to those outside who need to
/// know (customers, regulators, partners, law enforcement, the insurer) but
/// not the press; GREEN to all but the press; CLEAR to anyone.
pub fn tlp_permits(tlp: Tlp, audience: Audience) -> bool {
    match tlp {
        Tlp::Red => matches!(audience, Audience::Executives | Audience::LegalDpo),
        Tlp::AmberStrict => is_internal(audience),
        Tlp::Amber | Tlp::Green => audience != Audience::Press,
        Tlp::Clear => true,
    }
}

/// What a state change is refused for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateFlowError {
    #[error("A sent update cannot be changed; draft a new one.")]
    AlreadySent,
    #[error("Only an approved update can be sent; approve it first.")]
    NotApproved,
    #[error("This update is already approved.")]
    AlreadyApproved,
}

/// Editing is allowed until an update is sent; editing an approved update
/// withdraws its approval (someone must approve the new text).
pub fn check_edit(state: UpdateState) -> Result<UpdateState, UpdateFlowError> {
    match state {
        UpdateState::Sent => Err(UpdateFlowError::AlreadySent),
        UpdateState::Draft | UpdateState::Approved => Ok(UpdateState::Draft),
    }
}

pub fn check_approve(state: UpdateState) -> Result<(), UpdateFlowError> {
    match state {
        UpdateState::Draft => Ok(()),
        UpdateState::Approved => Err(UpdateFlowError::AlreadyApproved),
        UpdateState::Sent => Err(UpdateFlowError::AlreadySent),
    }
}

pub fn check_send(state: UpdateState) -> Result<(), UpdateFlowError> {
    match state {
        UpdateState::Approved => Ok(()),
        UpdateState::Draft => Err(UpdateFlowError::NotApproved),
        UpdateState::Sent => Err(UpdateFlowError::AlreadySent),
    }
}

/// One stakeholder update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StakeholderUpdate {
    pub id: String,
    pub incident_id: String,
    /// 1, 2, 3… per incident.
    pub number: i64,
    pub state: UpdateState,
    pub audiences: Vec<Audience>,
    pub tlp: Tlp,
    pub status_summary: String,
    pub impact: String,
    pub actions_taken: String,
    pub next_steps: String,
    /// When the next update will come: asked for in the draft, or set by the
    /// cadence when it is sent.
    pub next_update_at: Option<DateTime<Utc>>,
    pub drafted_by: String,
    pub drafted_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_by: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Optimistic concurrency for edits, approval and sending.
    pub version: i64,
}

/// The draft form as the browser sends it. Each audience is a checkbox
/// named `update[audiences][<code>]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    pub audiences: BTreeMap<String, String>,
    pub tlp: String,
    #[serde(default)]
    pub status_summary: String,
    #[serde(default)]
    pub impact: String,
    #[serde(default)]
    pub actions_taken: String,
    #[serde(default)]
    pub next_steps: String,
    /// Empty: the priority's cadence after sending.
    #[serde(default)]
    pub next_update_at: String,
}

/// A validated draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateDraft {
    pub audiences: Vec<Audience>,
    pub tlp: Tlp,
    pub status_summary: String,
    pub impact: String,
    pub actions_taken: String,
    pub next_steps: String,
    pub next_update_at: Option<DateTime<Utc>>,
}

impl UpdateForm {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<UpdateDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut audiences = Vec::new();
        for code in self.audiences.keys() {
            match Audience::from_code(code.trim()) {
                Some(a) => audiences.push(a),
                None => e.add("audiences", "Choose audiences from the list."),
            }
        }
        audiences.sort();
        audiences.dedup();
        if audiences.is_empty() && e.get("audiences").is_none() {
            e.add("audiences", "Choose at least one audience.");
        }
        let tlp = Tlp::from_code(self.tlp.trim());
        match tlp {
            None => e.add("tlp", "Choose a TLP marking from the list."),
            Some(tlp) => {
                let refused: Vec<&str> =
                    audiences.iter().filter(|a| !tlp_permits(tlp, **a)).map(|a| a.label()).collect();
                if !refused.is_empty() {
                    e.add(
                        "audiences",
                        format!(
                            "{} may not receive {} information: {}.",
                            refused.join(", "),
                            tlp.label(),
                            refusal(tlp)
                        ),
                    );
                }
            }
        }
        let status_summary =
            e.check("status_summary", required_text(&self.status_summary, "The current status", MAX_SECTION_CHARS));
        let impact = e.check("impact", required_text(&self.impact, "The impact", MAX_SECTION_CHARS));
        let actions_taken =
            e.check("actions_taken", required_text(&self.actions_taken, "The actions taken", MAX_SECTION_CHARS));
        let next_steps = e.check("next_steps", required_text(&self.next_steps, "The next steps", MAX_SECTION_CHARS));
        let next_update_at = e.check(
            "next_update_at",
            parse_time(&self.next_update_at).and_then(|t| match t {
                Some(t) if t <= now => Err("The next update must be in the future.".to_owned()),
                other => Ok(other),
            }),
        );
        e.finish(|| {
            Some(UpdateDraft {
                audiences,
                tlp: tlp?,
                status_summary: status_summary?,
                impact: impact?,
                actions_taken: actions_taken?,
                next_steps: next_steps?,
                next_update_at: next_update_at?,
            })
        })
    }
}

fn refusal(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Red => "TLP:RED goes only to named individuals inside the organisation",
        Tlp::AmberStrict => "TLP:AMBER+STRICT stays inside the organisation",
        Tlp::Amber | Tlp::Green => "it is not for the public",
        Tlp::Clear => "",
    }
}

/// A stakeholder's contact as a channel: the first email address in it, or
/// else the contact text for someone to use by hand.
pub fn channel_for(contact: &str) -> (Channel, String) {
    let address = contact
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '(' | ')'))
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '"' || c == '\''))
        .find(|t| is_email(t));
    match address {
        Some(a) => (Channel::Email, a.to_lowercase()),
        None => (Channel::Manual, contact.trim().to_owned()),
    }
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 253
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && local.chars().all(|c| c.is_ascii_graphic() && c != '@')
}

/// Exactly what recipients get: the subject and plain-text body.
pub fn compose(incident: &Incident, update: &StakeholderUpdate, sent_by: &str) -> (String, String) {
    let subject =
        format!("[{}] {} update {}: {}", update.tlp.label(), incident.reference, update.number, incident.title);
    let next = update
        .next_update_at
        .map(|t| format!("Next update by {}.", display_time(t)))
        .unwrap_or_else(|| "No further scheduled update.".to_owned());
    let body = format!(
        "{tlp} ({handling})\n\n\
         Incident {reference}: {title}\n\
         Priority {priority}, phase {phase}\n\n\
         Current status\n{status}\n\n\
         Impact\n{impact}\n\n\
         Actions taken\n{actions}\n\n\
         Next steps\n{next_steps}\n\n\
         {next}\n\n\
         Sent by {sent_by} for the incident response team.\n",
        tlp = update.tlp.label(),
        handling = handling(update.tlp),
        reference = incident.reference,
        title = incident.title,
        priority = incident.priority.label(),
        phase = incident.phase.label(),
        status = update.status_summary,
        impact = update.impact,
        actions = update.actions_taken,
        next_steps = update.next_steps,
    );
    (subject, body)
}

/// The TLP 2.0 handling rule, said plainly for recipients.
pub fn handling(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Red => "for your eyes only; do not share",
        Tlp::AmberStrict => "share only within your organisation, on a need-to-know basis",
        Tlp::Amber => "share only within your organisation and with its clients, on a need-to-know basis",
        Tlp::Green => "share within your community, not publicly",
        Tlp::Clear => "may be shared freely",
    }
}

/// How long to wait before the next attempt after `attempts` failed ones:
/// 30 s, doubling, at most 30 minutes.
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 7) - 1).unwrap_or(0);
    Duration::seconds((30_i64 << exp).min(1800))
}

/// One recipient of a sent update, with what they were sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: String,
    pub update_id: String,
    pub audience: Audience,
    pub recipient: String,
    pub address: String,
    pub channel: Channel,
    pub status: DeliveryStatus,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub delivered_by: Option<String>,
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IncidentForm;

    fn incident(priority_urgency: &str) -> Incident {
        let form = IncidentForm {
            title: "Phish".into(),
            classification: "fraud/phishing".into(),
            functional_impact: "low".into(),
            information_impact: "none".into(),
            recoverability: "regular".into(),
            urgency: priority_urgency.into(),
            tlp: "amber".into(),
            reporter: "Dana".into(),
            ..Default::default()
        };
        let now = "2026-03-02T10:00:00Z".parse().unwrap();
        let new = form.parse_new(now).unwrap();
        Incident::reported("id".into(), "INC-2026-0001".into(), new, None, now)
    }

    fn form(audiences: &[&str], tlp: &str) -> UpdateForm {
        UpdateForm {
            audiences: audiences.iter().map(|a| ((*a).to_owned(), "on".to_owned())).collect(),
            tlp: tlp.into(),
            status_summary: "Contained".into(),
            impact: "Mail delayed".into(),
            actions_taken: "Blocked sender".into(),
            next_steps: "Reset passwords".into(),
            next_update_at: String::new(),
        }
    }

    #[test]
    fn cadence_tightens_with_priority() {
        assert_eq!(cadence(Priority::P1), Duration::hours(1));
        assert_eq!(cadence(Priority::P2), Duration::hours(4));
        assert_eq!(cadence(Priority::P3), Duration::hours(24));
        assert_eq!(cadence(Priority::P4), Duration::hours(72));
        assert!(Priority::ALL.windows(2).all(|w| cadence(w[0]) < cadence(w[1])));
    }

    #[test]
    fn the_first_update_is_due_one_cadence_after_reporting_and_later_ones_when_promised() {
        let i = incident("high");
        let p = i.priority;
        let due = update_due(&i, None, i.reported_at).unwrap();
        assert_eq!((due.due_at, due.first, due.overdue), (i.reported_at + cadence(p), true, false));
        let late = update_due(&i, None, i.reported_at + cadence(p) + Duration::minutes(1)).unwrap();
        assert!(late.overdue);
        let promised = i.reported_at + Duration::hours(30);
        let due = update_due(&i, Some(promised), i.reported_at + Duration::hours(29)).unwrap();
        assert_eq!((due.due_at, due.first, due.overdue), (promised, false, false));
        let mut closed = i.clone();
        closed.phase = Phase::Closed;
        assert_eq!(update_due(&closed, None, i.reported_at + Duration::days(30)), None);
    }

    #[test]
    fn tlp_decides_which_audiences_may_be_told() {
        use Audience::*;
        for a in Audience::ALL {
            assert!(tlp_permits(Tlp::Clear, *a), "CLEAR goes to {a}");
        }
        assert!(!tlp_permits(Tlp::Green, Press) && tlp_permits(Tlp::Green, Customers));
        assert!(
            tlp_permits(Tlp::Amber, Regulators) && tlp_permits(Tlp::Amber, AllStaff) && !tlp_permits(Tlp::Amber, Press)
        );
        assert!(tlp_permits(Tlp::AmberStrict, AllStaff) && !tlp_permits(Tlp::AmberStrict, Customers));
        assert!(tlp_permits(Tlp::Red, Executives) && tlp_permits(Tlp::Red, LegalDpo));
        assert!(
            !tlp_permits(Tlp::Red, AllStaff)
                && !tlp_permits(Tlp::Red, ItOperations)
                && !tlp_permits(Tlp::Red, Regulators)
        );
        // Stricter markings never permit more.
        let order = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];
        for w in order.windows(2) {
            for a in Audience::ALL {
                assert!(!tlp_permits(w[1], *a) || tlp_permits(w[0], *a), "{} permits {a} but {} does not", w[1], w[0]);
            }
        }
    }

    #[test]
    fn the_form_names_every_problem_by_field() {
        let now: DateTime<Utc> = "2026-03-02T10:00:00Z".parse().unwrap();
        let ok = form(&["executives", "regulators"], "amber").parse(now).unwrap();
        assert_eq!(ok.audiences, vec![Audience::Executives, Audience::Regulators]);
        assert_eq!(ok.next_update_at, None);

        let e = UpdateForm { tlp: "purple".into(), ..Default::default() }.parse(now).unwrap_err();
        for field in ["audiences", "tlp", "status_summary", "impact", "actions_taken", "next_steps"] {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
        let e = form(&["customers", "press"], "amber_strict").parse(now).unwrap_err();
        let msg = e.get("audiences").unwrap();
        assert!(msg.contains("Customers") && msg.contains("Press") && msg.contains("inside the organisation"), "{msg}");
        let e = form(&["nobody"], "clear").parse(now).unwrap_err();
        assert!(e.get("audiences").is_some());
        let past = UpdateForm { next_update_at: "2026-03-02T09:00".into(), ..form(&["executives"], "red") };
        assert!(past.parse(now).unwrap_err().get("next_update_at").unwrap().contains("future"));
        let future = UpdateForm { next_update_at: "2026-03-02T12:30".into(), ..form(&["executives"], "red") };
        assert_eq!(future.parse(now).unwrap().next_update_at, Some("2026-03-02T12:30:00Z".parse().unwrap()));
    }

    #[test]
    fn updates_move_draft_approved_sent_and_sent_is_final() {
        assert_eq!(check_edit(UpdateState::Draft), Ok(UpdateState::Draft));
        assert_eq!(check_edit(UpdateState::Approved), Ok(UpdateState::Draft), "editing withdraws approval");
        assert_eq!(check_edit(UpdateState::Sent), Err(UpdateFlowError::AlreadySent));
        assert_eq!(check_approve(UpdateState::Draft), Ok(()));
        assert_eq!(check_approve(UpdateState::Approved), Err(UpdateFlowError::AlreadyApproved));
        assert_eq!(check_approve(UpdateState::Sent), Err(UpdateFlowError::AlreadySent));
        assert_eq!(check_send(UpdateState::Draft), Err(UpdateFlowError::NotApproved));
        assert_eq!(check_send(UpdateState::Approved), Ok(()));
        assert_eq!(check_send(UpdateState::Sent), Err(UpdateFlowError::AlreadySent));
    }

    #[test]
    fn contacts_become_email_or_manual_channels() {
        assert_eq!(channel_for("dpo@example.org"), (Channel::Email, "dpo@example.org".into()));
        assert_eq!(
            channel_for("Board secretary <Board@Example.org>, +44 20 7946 0000"),
            (Channel::Email, "board@example.org".into())
        );
        assert_eq!(
            channel_for("Call 0303 123 1113 (ICO helpline)."),
            (Channel::Manual, "Call 0303 123 1113 (ICO helpline).".into())
        );
        assert_eq!(channel_for("someone@localhost").0, Channel::Manual);
        assert_eq!(channel_for("a@@b.org").0, Channel::Manual);
    }

    #[test]
    fn the_message_carries_the_marking_and_every_section() {
        let i = incident("high");
        let update = StakeholderUpdate {
            id: "u".into(),
            incident_id: i.id.clone(),
            number: 2,
            state: UpdateState::Sent,
            audiences: vec![Audience::Executives],
            tlp: Tlp::AmberStrict,
            status_summary: "Contained".into(),
            impact: "Mail delayed".into(),
            actions_taken: "Blocked sender".into(),
            next_steps: "Reset passwords".into(),
            next_update_at: Some("2026-03-02T14:00:00Z".parse().unwrap()),
            drafted_by: "Ann".into(),
            drafted_at: i.reported_at,
            approved_by: None,
            approved_at: None,
            sent_by: None,
            sent_at: None,
            version: 1,
        };
        let (subject, body) = compose(&i, &update, "Ann Lee");
        assert_eq!(subject, "[TLP:AMBER+STRICT] INC-2026-0001 update 2: Phish");
        for part in [
            "TLP:AMBER+STRICT (share only within your organisation",
            "Contained",
            "Mail delayed",
            "Blocked sender",
            "Reset passwords",
            "Next update by 2026-03-02 14:00 UTC",
            "Sent by Ann Lee",
        ] {
            assert!(body.contains(part), "{part} missing from:\n{body}");
        }
    }

    #[test]
    fn retries_back_off_and_stop_growing() {
        assert_eq!(retry_delay(1), Duration::seconds(30));
        assert_eq!(retry_delay(2), Duration::seconds(60));
        assert_eq!(retry_delay(4), Duration::seconds(240));
        assert_eq!(retry_delay(20), Duration::seconds(1800));
    }
}
