//! Realistic demo data: a dozen incidents spread across the phases, with
//! backdated timelines, so that a newcomer sees a living board.

use super::context::RequestContext;
use super::db;
use super::error::BackendError;
use super::services::incidents as svc;
use super::services::{regulatory, updates};
use crate::domain::communication::UpdateDraft;
use crate::domain::lessons::{LessonsDraft, NewActionItem};
use crate::domain::playbook::IrRole;
use crate::domain::preparation::{Audience, NewRosterEntry, NewStakeholder};
use crate::domain::regulatory::{NewSubmission, Outcome};
use crate::domain::{IncidentForm, Phase, TimelineEntryForm};
use chrono::{DateTime, Duration, Utc};

struct Demo {
    title: &'static str,
    summary: &'static str,
    classification: &'static str,
    impact: (&'static str, &'static str, &'static str),
    urgency: &'static str,
    tlp: &'static str,
    reporter: &'static str,
    commander: &'static str,
    /// Hours before now that it was detected.
    detected_hours_ago: i64,
    phase: Phase,
    notes: &'static [(&'static str, &'static str)],
}

const DEMOS: &[Demo] = &[
    Demo {
        title: "Ransomware on finance file server",
        summary: "FS-FIN-02 files renamed with .lockbit extension; ransom note found in shares.",
        classification: "malicious_code/ransomware",
        impact: ("high", "integrity_loss", "extended"),
        urgency: "high",
        tlp: "red",
        reporter: "Helpdesk (Priya Shah)",
        commander: "Alex Morgan",
        detected_hours_ago: 30,
        phase: Phase::Eradication,
        notes: &[
            ("action", "Isolated FS-FIN-02 and FS-FIN-03 from the network."),
            ("decision", "Do not pay; restore from immutable backups."),
            ("note", "Initial access via VPN account without MFA."),
        ],
    },
    Demo {
        title: "Credential phishing campaign targeting HR",
        summary: "Spoofed payroll portal emails; three users entered credentials.",
        classification: "fraud/phishing",
        impact: ("low", "privacy_breach", "supplemented"),
        urgency: "high",
        tlp: "amber",
        reporter: "Sam Lee",
        commander: "Jordan Kim",
        detected_hours_ago: 6,
        phase: Phase::Containment,
        notes: &[
            ("action", "Reset passwords of the three affected users."),
            ("action", "Blocked sender domain at the gateway."),
        ],
    },
    Demo {
        title: "Suspicious login to CFO mailbox from abroad",
        summary: "Impossible-travel alert; inbox rule forwarding invoices to an external address.",
        classification: "fraud/bec",
        impact: ("medium", "proprietary_breach", "supplemented"),
        urgency: "high",
        tlp: "amber_strict",
        reporter: "SOC alert",
        commander: "Alex Morgan",
        detected_hours_ago: 2,
        phase: Phase::Identification,
        notes: &[("note", "Forwarding rule created 03:12 UTC.")],
    },
    Demo {
        title: "DDoS against customer portal",
        summary: "Layer 7 flood on login endpoint; intermittent 503s for customers.",
        classification: "availability/ddos",
        impact: ("high", "none", "regular"),
        urgency: "high",
        tlp: "green",
        reporter: "NOC",
        commander: "Riley Chen",
        detected_hours_ago: 50,
        phase: Phase::Recovery,
        notes: &[("action", "Enabled upstream scrubbing."), ("note", "Traffic back to baseline since 14:00.")],
    },
    Demo {
        title: "Laptop stolen from car",
        summary: "Sales laptop with full-disk encryption stolen; user reported next morning.",
        classification: "lost_device/stolen",
        impact: ("none", "none", "regular"),
        urgency: "medium",
        tlp: "green",
        reporter: "Chris Patel",
        commander: "Jordan Kim",
        detected_hours_ago: 200,
        phase: Phase::Closed,
        notes: &[
            ("action", "Remote wipe issued and confirmed."),
            ("decision", "No notification needed: disk encrypted."),
        ],
    },
    Demo {
        title: "SQL injection on marketing microsite",
        summary: "WAF logs show successful UNION-based injection against the newsletter form.",
        classification: "intrusions/application_compromise",
        impact: ("medium", "privacy_breach", "supplemented"),
        urgency: "medium",
        tlp: "amber",
        reporter: "Bug bounty report",
        commander: "Riley Chen",
        detected_hours_ago: 120,
        phase: Phase::LessonsLearned,
        notes: &[("action", "Site taken offline and patched."), ("note", "2,300 newsletter emails exposed.")],
    },
    Demo {
        title: "Port scanning from partner network",
        summary: "Sustained scanning of DMZ from a partner's address range.",
        classification: "information_gathering/scanning",
        impact: ("none", "none", "regular"),
        urgency: "low",
        tlp: "green",
        reporter: "SOC alert",
        commander: "",
        detected_hours_ago: 20,
        phase: Phase::Identification,
        notes: &[],
    },
    Demo {
        title: "Admin account used outside change window",
        summary: "Domain admin logged in at night and exported mailbox data.",
        classification: "insider_misuse/privilege_abuse",
        impact: ("low", "proprietary_breach", "regular"),
        urgency: "medium",
        tlp: "red",
        reporter: "Internal audit",
        commander: "Alex Morgan",
        detected_hours_ago: 70,
        phase: Phase::Containment,
        notes: &[("decision", "Handle as need-to-know; HR and legal informed.")],
    },
    Demo {
        title: "Malware on engineering workstation",
        summary: "EDR detected an info-stealer from a cracked software download.",
        classification: "malicious_code/malware",
        impact: ("low", "proprietary_breach", "regular"),
        urgency: "medium",
        tlp: "amber",
        reporter: "EDR",
        commander: "Jordan Kim",
        detected_hours_ago: 40,
        phase: Phase::Eradication,
        notes: &[("action", "Workstation reimaged."), ("action", "Browser-saved passwords rotated.")],
    },
    Demo {
        title: "Exposed S3 bucket with build artefacts",
        summary: "Public read on a bucket holding CI artefacts; no secrets found so far.",
        classification: "vulnerable/weak_configuration",
        impact: ("none", "proprietary_breach", "regular"),
        urgency: "low",
        tlp: "amber",
        reporter: "Cloud posture scan",
        commander: "Riley Chen",
        detected_hours_ago: 90,
        phase: Phase::Recovery,
        notes: &[("action", "Public access blocked.")],
    },
    Demo {
        title: "Password spraying against VPN",
        summary: "Thousands of failed logins across many accounts from rotating IPs.",
        classification: "intrusion_attempts/login_attempts",
        impact: ("low", "none", "regular"),
        urgency: "medium",
        tlp: "green",
        reporter: "SOC alert",
        commander: "",
        detected_hours_ago: 4,
        phase: Phase::Identification,
        notes: &[],
    },
    Demo {
        title: "Customer data sent to wrong recipient",
        summary: "Support agent emailed a CSV export with 140 customer records to the wrong customer.",
        classification: "information_security/data_leak",
        impact: ("low", "privacy_breach", "supplemented"),
        urgency: "high",
        tlp: "amber",
        reporter: "Support lead",
        commander: "Jordan Kim",
        detected_hours_ago: 300,
        phase: Phase::Closed,
        notes: &[("action", "Recipient confirmed deletion in writing.")],
    },
];

/// The demo response team roster.
const ROSTER: &[(&str, IrRole, &str, &str)] = &[
    ("Alex Morgan", IrRole::IncidentCommander, "+44 20 7946 0101 · alex.morgan@example.org", "On call weeks 1 and 3"),
    ("Jordan Kim", IrRole::IncidentCommander, "+44 20 7946 0102 · jordan.kim@example.org", "On call weeks 2 and 4"),
    ("Riley Chen", IrRole::IncidentCommander, "+44 20 7946 0103 · riley.chen@example.org", "Weekday cover"),
    ("Sam Patel", IrRole::TechnicalLead, "+44 20 7946 0110 · sam.patel@example.org", "Forensics and EDR"),
    ("Dana Ortiz", IrRole::CommunicationsLead, "+44 20 7946 0120 · dana.ortiz@example.org", "Press office backup"),
    ("Lee Walsh", IrRole::Scribe, "+44 20 7946 0130 · lee.walsh@example.org", ""),
    ("Priya Shah", IrRole::LegalPrivacy, "+44 20 7946 0140 · dpo@example.org", "Data protection officer"),
];

/// The demo stakeholder directory.
const STAKEHOLDERS: &[(Audience, &str, &str, &str)] = &[
    (Audience::Executives, "Executive team", "exec-team@example.org", "CEO, CFO and COO"),
    (Audience::LegalDpo, "Priya Shah (DPO)", "dpo@example.org", "Decides on regulator notification"),
    (Audience::ItOperations, "IT service desk", "servicedesk@example.org", "Runs the status page"),
    (Audience::AllStaff, "All staff", "Intranet news post and Monday stand-up", "Via internal communications"),
    (Audience::Regulators, "Data protection authority", "Online breach report form", "72-hour clock under GDPR"),
    (
        Audience::Insurer,
        "Cyber insurer claims line",
        "+44 20 7946 0999 (policy CY-0000)",
        "Call before engaging forensics",
    ),
];

/// Loads the demo incidents unless the database already holds incidents.
/// Returns how many were created.
pub async fn seed(ctx: &RequestContext, now: DateTime<Utc>) -> Result<usize, BackendError> {
    if db::incidents::count(&ctx.db().pool).await? > 0 {
        return Ok(0);
    }
    // An organisation's own roster is used as it is; an empty one gets the demo team.
    let mut roster: Vec<(String, IrRole, String)> =
        db::preparation::roster(&ctx.db().pool).await?.into_iter().map(|e| (e.name, e.role, e.id)).collect();
    let demo_team = if roster.is_empty() { ROSTER } else { &[] };
    for (name, role, contact, notes) in demo_team {
        let entry =
            NewRosterEntry { name: (*name).into(), role: *role, contact: (*contact).into(), notes: (*notes).into() };
        let id = super::services::preparation::add_roster_entry(ctx, entry, now).await?;
        roster.push(((*name).to_owned(), *role, id));
    }
    if db::preparation::stakeholders(&ctx.db().pool).await?.is_empty() {
        for (audience, name, contact, notes) in STAKEHOLDERS {
            let s = NewStakeholder {
                audience: *audience,
                name: (*name).into(),
                contact: (*contact).into(),
                notes: (*notes).into(),
            };
            super::services::preparation::add_stakeholder(ctx, s, now).await?;
        }
    }
    let person = |name: &str| roster.iter().find(|(n, _, _)| n == name).map(|(_, _, id)| id.as_str());
    let holder = |role: IrRole| roster.iter().find(|(_, r, _)| *r == role).map(|(_, _, id)| id.as_str());
    for d in DEMOS {
        let detected = now - Duration::hours(d.detected_hours_ago);
        let form = IncidentForm {
            title: d.title.into(),
            summary: d.summary.into(),
            classification: d.classification.into(),
            functional_impact: d.impact.0.into(),
            information_impact: d.impact.1.into(),
            recoverability: d.impact.2.into(),
            urgency: d.urgency.into(),
            tlp: d.tlp.into(),
            occurred_at: crate::domain::incident::input_time(detected - Duration::hours(3)),
            detected_at: crate::domain::incident::input_time(detected),
            acknowledged_at: String::new(),
            reporter: d.reporter.into(),
            commander: d.commander.into(),
        };
        let reported = detected + Duration::minutes(20);
        let new = form.parse_new(reported)?;
        let incident = svc::create(ctx, new, reported).await?;
        // Spread the notes and phase moves over the time since detection.
        let steps = d.notes.len() as i64 + d.phase.index() as i64 + 1;
        let span = (now - reported).num_minutes().max(steps);
        let step = Duration::minutes(span / steps);
        let mut at = reported;
        // The commander takes the incident from the roster; a technical lead joins.
        if let Some(id) = person(d.commander) {
            svc::assign_role(ctx, &incident.reference, IrRole::IncidentCommander, Some(id), at).await?;
        }
        if let Some(id) = holder(IrRole::TechnicalLead) {
            svc::assign_role(ctx, &incident.reference, IrRole::TechnicalLead, Some(id), at).await?;
        }
        for (kind, body) in d.notes {
            at += step;
            let entry = TimelineEntryForm { kind: (*kind).into(), body: (*body).into(), event_at: String::new() };
            svc::add_timeline_entry(ctx, &incident.reference, entry.parse(at)?, at).await?;
        }
        // Personal-data breaches run the GDPR clock from an hour after
        // detection; those past recovery have notified the authority.
        if d.impact.1 == "privacy_breach" {
            let trigger = detected + Duration::hours(1);
            let clock =
                regulatory::start_clock(ctx, &incident.reference, "gdpr", trigger, trigger + Duration::minutes(5))
                    .await?;
            if d.phase.index() >= Phase::LessonsLearned.index() {
                let sent = (trigger + Duration::hours(30)).min(now);
                let authority = NewSubmission {
                    stage_key: "authority".into(),
                    outcome: Outcome::Submitted,
                    submitted_at: sent,
                    submitted_to: Some("Data protection authority (online form)".into()),
                    reference: Some(format!("DPA-{}", incident.reference)),
                    summary: "Art. 33 notification: nature of the breach, people and records affected, DPO contact, likely consequences and measures taken.".into(),
                };
                regulatory::record_submission(ctx, &incident.reference, &clock.id, authority, sent).await?;
                let subjects = NewSubmission {
                    stage_key: "data_subjects".into(),
                    outcome: Outcome::NotRequired,
                    submitted_at: sent,
                    submitted_to: None,
                    reference: None,
                    summary: "Assessed with the DPO: no high risk to the people affected (no financial or special-category data).".into(),
                };
                regulatory::record_submission(ctx, &incident.reference, &clock.id, subjects, sent).await?;
            }
        }
        // Incidents past triage have told the executives and IT once.
        if d.phase != Phase::Identification {
            at += step;
            let draft = UpdateDraft {
                audiences: vec![Audience::Executives, Audience::ItOperations],
                tlp: crate::domain::Tlp::Amber,
                status_summary: d.summary.into(),
                impact: "Under assessment; affected users have been contacted directly.".into(),
                actions_taken: "The response team is engaged and containment has started.".into(),
                next_steps: "Complete containment and confirm the scope.".into(),
                next_update_at: None,
            };
            let u = updates::save(ctx, &incident.reference, None, draft, at).await?;
            let u = updates::approve(ctx, &incident.reference, &u.id, u.version, at).await?;
            updates::send(ctx, &incident.reference, &u.id, u.version, at).await?;
        }
        let mut phase = Phase::Identification;
        while phase != d.phase {
            let Some(next) = phase.next() else { break };
            // The team works through the phase's checklist before moving on.
            for item in svc::checklist(ctx, &incident).await? {
                if item.phase == phase && !item.is_done() {
                    svc::set_item_done(ctx, &incident.reference, &item.id, true, "", at).await?;
                }
            }
            if next == Phase::Closed {
                // Closing waits for the lessons-learned review.
                let draft = LessonsDraft {
                    summary: format!(
                        "Blameless review of “{}”: handled within the plan; two improvements agreed.",
                        d.title
                    ),
                    went_well: "The on-call commander engaged within the hour and the playbook was followed.".into(),
                    went_wrong: "The first report sat in a shared mailbox before anyone triaged it.".into(),
                    root_cause: d.summary.into(),
                    contributing_factors: "No alerting on the affected service outside office hours.".into(),
                    detection_gaps: "The activity was visible in logs that nobody was watching.".into(),
                    recommendations: "Route the shared mailbox to the on-call rota; alert on the gap found.".into(),
                    review_held_on: Some((at + step).date_naive()),
                    attendees: "Incident commander, technical lead, service owner".into(),
                };
                super::services::lessons::save(ctx, &incident.reference, draft, 0, at + step).await?;
                let action = NewActionItem {
                    text: "Route the shared security mailbox to the on-call rota".into(),
                    owner: "IT service desk".into(),
                    due_on: (now + Duration::days(14)).date_naive(),
                };
                super::services::lessons::add_action(ctx, &incident.reference, action, at + step).await?;
            }
            at += step;
            svc::move_phase(ctx, &incident.reference, next, None, None, at).await?;
            phase = next;
        }
    }
    Ok(DEMOS.len())
}
