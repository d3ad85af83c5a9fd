//! Incident-response playbooks: per-classification checklists for each working phase.
//!
//! The defaults below are written in our own words from the NIST SP 800-61 incident handling checklist and CISA's
//! Federal Government Cybersecurity Incident and Vulnerability Response Playbooks. They are installed into the
//! database on first start; from then on admins edit the stored [`Playbook`]s, and incidents copy the items of the
//! playbook that matches their classification (so later edits never change an instantiated checklist).
//!
//! A playbook names the classifications it applies to, either a whole category ("malicious_code") or one
//! sub-type ("malicious_code/ransomware"). [`select`] picks the most specific match among the active playbooks and
//! falls back to the `generic` playbook, so every classified incident gets a checklist.

use super::classification::{Classification, TAXONOMY};
use super::phase::Phase;
use super::validation::{FieldErrors, required_text};
use super::{Code, code_enum};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

// The checklist tables below read better without the enum prefixes, so the
// variants of both enums are brought into scope for this module.
use IrRole::*;
use Phase::*;

code_enum! {
    /// The roles of an incident-response team, each of which can own checklist items.
    IrRole {
        /// Leads the response, sets priorities and makes the decisions.
        IncidentCommander => ("incident_commander", "Incident commander"),
        /// Stands in for the commander and takes on delegated coordination.
        Deputy => ("deputy", "Deputy commander"),
        /// Owns every message to staff, customers, partners and the press.
        CommunicationsLead => ("communications_lead", "Communications lead"),
        /// Keeps the timeline and the record of decisions.
        Scribe => ("scribe", "Scribe"),
        /// Leads the analysis, containment, eradication and recovery work.
        TechnicalLead => ("technical_lead", "Technical lead"),
        /// Advises on legal duties, evidence handling and personal data.
        LegalPrivacy => ("legal_privacy", "Legal / privacy"),
    }
}

/// One checklist item of a playbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateItem {
    /// The phase in which the item is worked on.
    pub phase: Phase,
    /// The imperative sentence a responder ticks off.
    pub text: &'static str,
    /// Whether the item must be done before the incident leaves the phase (the phase gate checks these).
    pub required: bool,
    /// The role expected to do the item or see that it is done.
    pub owner: IrRole,
}

/// A named checklist for one kind of incident.
#[derive(Debug, PartialEq, Eq)]
pub struct PlaybookTemplate {
    /// The stable code, for example "phishing".
    pub key: &'static str,
    /// The name a person reads, for example "Phishing".
    pub name: &'static str,
    /// One sentence on when the playbook is used.
    pub description: &'static str,
    /// Classification matches: either a category code ("malicious_code") or "category/subtype"
    /// ("malicious_code/ransomware"). An empty list marks the generic fallback playbook.
    pub applies_to: &'static [&'static str],
    /// The checklist, grouped by phase in lifecycle order.
    pub items: &'static [TemplateItem],
}

impl PlaybookTemplate {
    /// The checklist items of one phase, in table order.
    pub fn items_for(&self, phase: Phase) -> impl Iterator<Item = &'static TemplateItem> {
        let items: &'static [TemplateItem] = self.items;
        items.iter().filter(move |item| item.phase == phase)
    }
}

/// The phases a playbook has checklist items for: every phase except Closed.
pub fn working_phases() -> impl Iterator<Item = Phase> {
    Phase::ALL.iter().copied().filter(|phase| *phase != Closed)
}

/// Keeps the checklist tables to one line per item.
const fn item(phase: Phase, required: bool, owner: IrRole, text: &'static str) -> TemplateItem {
    TemplateItem { phase, text, required, owner }
}

/// The lessons-learned meeting every playbook ends with.
const REVIEW_MEETING: TemplateItem =
    item(LessonsLearned, true, IncidentCommander, "Hold a blameless review meeting with everyone who took part");

/// The follow-up report every playbook ends with.
const FOLLOW_UP_REPORT: TemplateItem =
    item(LessonsLearned, true, Scribe, "Write the follow-up report with action items, each with an owner and a date");

const PHISHING_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Obtain the reported message as an attachment with its full headers"),
    item(Identification, true, TechnicalLead, "Find every recipient and who clicked, opened a file or replied"),
    item(Identification, true, LegalPrivacy, "Assess notification duties if personal data was exposed (GDPR: 72 h)"),
    item(Identification, false, Scribe, "Record the sender, subject, links and attachment hashes as indicators"),
    item(Containment, true, TechnicalLead, "Search all mailboxes for the message and remove every copy"),
    item(Containment, true, TechnicalLead, "Block the sender, lookalike domains and the URLs in mail and web filters"),
    item(Containment, true, TechnicalLead, "Reset passwords and revoke sessions of users who entered credentials"),
    item(Containment, false, Deputy, "Ask the bank to recall any payment made on a fraudulent instruction"),
    item(Containment, false, CommunicationsLead, "Warn staff about the lure and how to report suspicious mail"),
    item(Eradication, true, TechnicalLead, "Remove the attacker's inbox rules, forwarding and app consents"),
    item(Eradication, true, TechnicalLead, "Remove MFA methods the attacker registered and re-enrol the owners"),
    item(Eradication, false, TechnicalLead, "Scan devices where an attachment was opened and remove any malware"),
    item(Recovery, true, TechnicalLead, "Confirm affected users can sign in with new credentials and MFA"),
    item(Recovery, true, TechnicalLead, "Watch sign-ins and mail flow of affected accounts for two weeks"),
    item(Recovery, false, CommunicationsLead, "Tell affected partners what happened and what to watch for"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, TechnicalLead, "Tune mail filtering and the report button with this case's lessons"),
];

const RANSOMWARE_MALWARE_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Identify the malware family, the first infected host and the vector"),
    item(Identification, true, TechnicalLead, "List every affected host, account and network share"),
    item(Identification, false, TechnicalLead, "Look for signs that data was stolen before it was encrypted"),
    item(Identification, false, Scribe, "Photograph the ransom note and record times, hosts and file names"),
    item(Containment, true, TechnicalLead, "Isolate infected hosts from the network without powering them off"),
    item(Containment, true, TechnicalLead, "Capture memory and disk images of key hosts before any cleanup"),
    item(Containment, true, TechnicalLead, "Take backups offline and check the attacker did not reach them"),
    item(Containment, true, IncidentCommander, "Do not pay or contact the attackers without legal and board approval"),
    item(Containment, false, Deputy, "Move response talk to an out-of-band channel if mail may be compromised"),
    item(Containment, false, LegalPrivacy, "Assess notification duties if personal data may have been stolen"),
    item(Eradication, true, TechnicalLead, "Rebuild infected hosts from known-good images instead of cleaning them"),
    item(Eradication, true, TechnicalLead, "Reset passwords of every exposed account, admin accounts first"),
    item(Eradication, true, TechnicalLead, "Close the entry point: patch the flaw or disable the access used"),
    item(Eradication, false, TechnicalLead, "Remove persistence: scheduled tasks, services and new accounts"),
    item(Recovery, true, TechnicalLead, "Restore data from offline backups made before the infection"),
    item(Recovery, true, TechnicalLead, "Confirm restored systems work and are clean before reconnecting them"),
    item(Recovery, false, TechnicalLead, "Watch for this attack's indicators for at least a month"),
    item(Recovery, false, CommunicationsLead, "Keep staff and customers informed of which services are back"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, TechnicalLead, "Test a full restore from offline backups and fix what slowed it"),
];

const ACCOUNT_COMPROMISE_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Review the account's sign-ins: places, devices, times and methods"),
    item(Identification, true, TechnicalLead, "List what the account could reach and what it did while misused"),
    item(Identification, true, LegalPrivacy, "Assess notification duties for personal data the account could reach"),
    item(Identification, false, TechnicalLead, "For password spraying, list every targeted account and any success"),
    item(Containment, true, TechnicalLead, "Reset the password and revoke every session and token of the account"),
    item(Containment, true, TechnicalLead, "Block the source addresses and enforce MFA on the targeted accounts"),
    item(Containment, false, TechnicalLead, "Export the sign-in and audit logs before they roll over"),
    item(Containment, false, IncidentCommander, "Disable the account if its owner cannot be reached quickly"),
    item(Eradication, true, TechnicalLead, "Remove MFA methods, app passwords and devices the attacker added"),
    item(Eradication, true, TechnicalLead, "Remove inbox rules, forwarding, API keys and app consents they created"),
    item(Eradication, false, TechnicalLead, "Find how the password leaked: reuse, phishing, infostealer or guessing"),
    item(Recovery, true, TechnicalLead, "Return the account to its owner with a new password and re-enrolled MFA"),
    item(Recovery, true, TechnicalLead, "Alert on sign-ins from unusual places for the account for a month"),
    item(Recovery, false, CommunicationsLead, "Tell people contacted from the account to ignore its recent messages"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, TechnicalLead, "Close gaps in MFA coverage, lockout and leaked-password checks"),
];

const DATA_BREACH_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Establish what data was read, changed or taken, by whom and how"),
    item(Identification, true, LegalPrivacy, "Assess notification duties now: GDPR allows 72 hours from awareness"),
    item(Identification, true, TechnicalLead, "Estimate the records and people affected, by type of data"),
    item(Identification, false, Scribe, "Record when and how the breach was discovered, for the regulator"),
    item(Containment, true, TechnicalLead, "Cut off the access path: revoke keys, close shares, fix permissions"),
    item(Containment, true, TechnicalLead, "Preserve logs and copies of the affected systems as evidence"),
    item(Containment, true, LegalPrivacy, "Notify the regulator and affected people where the law requires it"),
    item(Containment, false, LegalPrivacy, "Ask recipients of misdirected data to delete it and confirm in writing"),
    item(Containment, false, CommunicationsLead, "Prepare holding statements for staff, customers and the press"),
    item(Eradication, true, TechnicalLead, "Fix the flaw or misconfiguration that exposed the data"),
    item(Eradication, true, TechnicalLead, "Remove copies of the data and any accounts the attacker made"),
    item(Eradication, false, TechnicalLead, "Look for the data on leak sites and request its removal"),
    item(Recovery, true, TechnicalLead, "Restore changed data from trusted backups and verify its integrity"),
    item(Recovery, true, TechnicalLead, "Monitor access to the affected data stores for further misuse"),
    item(Recovery, false, CommunicationsLead, "Answer questions from affected people through one contact point"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, LegalPrivacy, "Enter the breach and the decisions taken in the breach register"),
];

const DENIAL_OF_SERVICE_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Confirm the outage is an attack, not a fault, load spike or change"),
    item(Identification, true, TechnicalLead, "Identify the attack type, targets, traffic volume and sources"),
    item(Identification, false, IncidentCommander, "Check for an extortion demand or an intrusion hidden behind it"),
    item(Containment, true, TechnicalLead, "Ask the ISP or DDoS protection provider to filter the attack traffic"),
    item(Containment, true, TechnicalLead, "Apply rate limits, address blocks and caching at the network edge"),
    item(Containment, false, TechnicalLead, "Keep traffic samples and logs of the attack as evidence"),
    item(Containment, false, CommunicationsLead, "Publish a status update for users and keep it current"),
    item(Eradication, true, TechnicalLead, "Fix what the attack exploited, such as open resolvers or costly pages"),
    item(Eradication, false, TechnicalLead, "For sabotage, find and remove the attacker's access and changes"),
    item(Recovery, true, TechnicalLead, "Lift temporary blocks step by step and confirm the service works"),
    item(Recovery, true, TechnicalLead, "Keep closer traffic monitoring in place to catch a repeat attack"),
    item(Recovery, false, CommunicationsLead, "Announce that service is restored and explain any lasting impact"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, TechnicalLead, "Review capacity, DDoS protection contracts and the runbook"),
];

const INSIDER_MISUSE_ITEMS: &[TemplateItem] = &[
    item(Identification, true, IncidentCommander, "Keep it need-to-know: tell only HR, legal and those who must act"),
    item(Identification, true, TechnicalLead, "Establish from logs, not hearsay, what the person accessed or did"),
    item(Identification, true, LegalPrivacy, "Assess notification duties for personal data involved (GDPR: 72 h)"),
    item(Identification, false, LegalPrivacy, "Check employment law and staff agreements before monitoring anyone"),
    item(Containment, true, TechnicalLead, "Reduce or remove the person's access in step with HR's decision"),
    item(Containment, true, TechnicalLead, "Preserve logs, mailboxes and devices with a chain of custody record"),
    item(Containment, false, TechnicalLead, "Recover or wipe company data on personal devices and cloud accounts"),
    item(Eradication, true, TechnicalLead, "Rotate shared passwords, keys and accounts the person knew or made"),
    item(Eradication, false, TechnicalLead, "Reverse unauthorised changes the person made to systems or data"),
    item(Recovery, true, TechnicalLead, "Confirm the affected data and systems are intact and correct"),
    item(Recovery, true, TechnicalLead, "Review privileged access in the teams involved and remove excess rights"),
    item(Recovery, false, TechnicalLead, "Monitor the affected data for further unusual access"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, IncidentCommander, "Improve least privilege, joiner-mover-leaver steps and logging"),
];

const LOST_DEVICE_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Identify the device, its owner, and where and when it was lost"),
    item(Identification, true, TechnicalLead, "Check whether the device was encrypted, locked and managed"),
    item(Identification, true, LegalPrivacy, "Assess notification duties for data on the device (GDPR: 72 h)"),
    item(Identification, false, Scribe, "Record the police report number if the device was stolen"),
    item(Containment, true, TechnicalLead, "Lock the device remotely and wipe it if it is not recovered soon"),
    item(Containment, true, TechnicalLead, "Revoke the device's certificates, tokens, VPN and mail access"),
    item(Containment, false, TechnicalLead, "Reset passwords that were stored or cached on the device"),
    item(Eradication, true, TechnicalLead, "Remove the device from MFA methods and trusted device lists"),
    item(Eradication, true, TechnicalLead, "Rotate any keys or secrets that were stored on the device"),
    item(Recovery, true, TechnicalLead, "Issue a replacement device and restore the user's data from backup"),
    item(Recovery, true, TechnicalLead, "Watch for sign-ins from the lost device or with its credentials"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, TechnicalLead, "Check that every device is encrypted and enrolled for remote wipe"),
];

const WEB_APPLICATION_COMPROMISE_ITEMS: &[TemplateItem] = &[
    item(Identification, true, TechnicalLead, "Find the exploited flaw, the time of entry and the affected systems"),
    item(Identification, true, TechnicalLead, "Trace the attacker's actions in web, application and database logs"),
    item(Identification, false, LegalPrivacy, "Assess notification duties if personal data in the system was reached"),
    item(Identification, false, TechnicalLead, "For a failed attempt, confirm it failed and patch before a retry"),
    item(Containment, true, TechnicalLead, "Take disk and memory images of affected servers before changing them"),
    item(Containment, true, TechnicalLead, "Block the attack with a WAF rule, or take the application offline"),
    item(Containment, true, TechnicalLead, "Rotate the application's secrets: database, API and signing keys"),
    item(Containment, false, CommunicationsLead, "Show a maintenance notice if the application is taken offline"),
    item(Eradication, true, TechnicalLead, "Patch or mitigate every exploited vulnerability"),
    item(Eradication, true, TechnicalLead, "Remove web shells, backdoors, new accounts and other persistence"),
    item(Eradication, false, TechnicalLead, "Rebuild compromised servers from known-good images and code"),
    item(Recovery, true, TechnicalLead, "Redeploy from a trusted build and confirm the application works"),
    item(Recovery, true, TechnicalLead, "Monitor for the exploit pattern and the attacker's addresses"),
    item(Recovery, false, TechnicalLead, "Run a vulnerability scan of the restored application"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, TechnicalLead, "Review patching speed, logging and the secure development process"),
];

const GENERIC_ITEMS: &[TemplateItem] = &[
    item(Identification, true, IncidentCommander, "Confirm that an incident occurred and assign the response roles"),
    item(Identification, true, TechnicalLead, "Analyse the indicators to find the scope, impact and likely cause"),
    item(Identification, true, Scribe, "Start the timeline: what was seen, when, by whom, and every action"),
    item(Identification, false, LegalPrivacy, "Assess whether personal data is involved and any duty to notify"),
    item(Identification, false, IncidentCommander, "Set the priority and report to management and required parties"),
    item(Containment, true, TechnicalLead, "Acquire, preserve and document evidence before changing systems"),
    item(Containment, true, TechnicalLead, "Limit the damage: isolate systems, block sources, disable accounts"),
    item(Containment, false, CommunicationsLead, "Agree who is told what and send the first stakeholder update"),
    item(Eradication, true, TechnicalLead, "Identify and fix every vulnerability that was exploited"),
    item(Eradication, true, TechnicalLead, "Remove malware, unauthorised accounts and other attacker artefacts"),
    item(Recovery, true, TechnicalLead, "Return affected systems to service and confirm they work normally"),
    item(Recovery, true, TechnicalLead, "Add monitoring to catch any return of the attacker"),
    item(Recovery, false, CommunicationsLead, "Tell stakeholders that the incident is resolved"),
    REVIEW_MEETING,
    FOLLOW_UP_REPORT,
    item(LessonsLearned, false, IncidentCommander, "Update the plan, playbooks and contact lists from this case"),
];

/// The fallback playbook for classifications no other playbook claims.
const GENERIC: PlaybookTemplate = PlaybookTemplate {
    key: "generic",
    name: "General incident",
    description: "The NIST incident handling steps, for incidents that no specific playbook covers.",
    applies_to: &[],
    items: GENERIC_ITEMS,
};

/// The built-in playbooks. Each `applies_to` entry appears in at most one playbook, and `generic` is the fallback.
pub const DEFAULT_PLAYBOOKS: &[PlaybookTemplate] = &[
    PlaybookTemplate {
        key: "phishing",
        name: "Phishing",
        description: "Fraudulent messages that lure people into giving away credentials, money or access.",
        applies_to: &["fraud/phishing", "fraud/bec", "fraud/masquerade", "information_gathering/social_engineering"],
        items: PHISHING_ITEMS,
    },
    PlaybookTemplate {
        key: "ransomware_malware",
        name: "Ransomware and malware",
        description: "Malicious code on our systems, from a single infection to encryption for ransom.",
        applies_to: &["malicious_code"],
        items: RANSOMWARE_MALWARE_ITEMS,
    },
    PlaybookTemplate {
        key: "account_compromise",
        name: "Account compromise",
        description: "Someone other than its owner signed in to an account, or is trying to guess its password.",
        applies_to: &["intrusions/account_compromise", "intrusion_attempts/login_attempts"],
        items: ACCOUNT_COMPROMISE_ITEMS,
    },
    PlaybookTemplate {
        key: "data_breach",
        name: "Data breach",
        description: "Information was read, changed or taken by someone not allowed to, or sent to the wrong place.",
        applies_to: &["information_security"],
        items: DATA_BREACH_ITEMS,
    },
    PlaybookTemplate {
        key: "denial_of_service",
        name: "Denial of service",
        description: "A service is slowed down or unavailable because of an attack.",
        applies_to: &["availability"],
        items: DENIAL_OF_SERVICE_ITEMS,
    },
    PlaybookTemplate {
        key: "insider_misuse",
        name: "Insider misuse",
        description: "A member of staff or contractor abused their access or mishandled data.",
        applies_to: &["insider_misuse"],
        items: INSIDER_MISUSE_ITEMS,
    },
    PlaybookTemplate {
        key: "lost_device",
        name: "Lost or stolen device",
        description: "A laptop, phone or storage medium holding our data or access is missing.",
        applies_to: &["lost_device"],
        items: LOST_DEVICE_ITEMS,
    },
    PlaybookTemplate {
        key: "web_application_compromise",
        name: "Web application or system compromise",
        description: "An attacker exploited, or tried to exploit, a flaw to get into an application or server.",
        applies_to: &[
            "intrusions/application_compromise",
            "intrusions/system_compromise",
            "intrusion_attempts/exploit_attempt",
        ],
        items: WEB_APPLICATION_COMPROMISE_ITEMS,
    },
    GENERIC,
];

/// The key of the fallback playbook, used for every classification no other playbook claims. It cannot be retired.
pub const FALLBACK_KEY: &str = "generic";

/// The built-in playbook for a classification (what [`select`] picks among the defaults).
pub fn playbook_for(classification: &Classification) -> &'static PlaybookTemplate {
    most_specific(DEFAULT_PLAYBOOKS, |p| p.applies_to, classification).unwrap_or(&GENERIC)
}

/// The built-in playbook with this key, if there is one.
pub fn playbook_by_key(key: &str) -> Option<&'static PlaybookTemplate> {
    DEFAULT_PLAYBOOKS.iter().find(|playbook| playbook.key == key)
}

/// The first playbook in `playbooks` that names the exact "category/subtype", otherwise the first that names the
/// bare category. Table order only decides between equally specific matches.
fn most_specific<'a, P, S: AsRef<str> + 'a>(
    playbooks: &'a [P],
    applies_to: impl Fn(&'a P) -> &'a [S],
    classification: &Classification,
) -> Option<&'a P> {
    let (category, subtype) = (classification.category(), classification.subtype());
    // An entry with a slash is an exact match candidate; one without names a whole category.
    let claims = |playbook: &'a P, exact: bool| {
        applies_to(playbook).iter().any(|entry| match entry.as_ref().split_once('/') {
            Some(pair) => exact && pair == (category, subtype),
            None => !exact && entry.as_ref() == category,
        })
    };
    playbooks
        .iter()
        .find(|playbook| claims(playbook, true))
        .or_else(|| playbooks.iter().find(|playbook| claims(playbook, false)))
}

/// A stored, editable playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playbook {
    pub key: String,
    pub name: String,
    pub description: String,
    /// Classification entries ("category" or "category/subtype"); empty only for the fallback playbook.
    pub applies_to: Vec<String>,
    /// A retired playbook is kept (checklists name it) but no longer applied to incidents.
    pub retired: bool,
    /// Bumped by every change, so the editor can refuse a stale header edit.
    pub version: i64,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    /// The items, in phase order then position. Empty when only the header was loaded.
    pub items: Vec<PlaybookItem>,
}

/// One item of a stored playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookItem {
    pub id: String,
    pub phase: Phase,
    /// Order within the phase.
    pub position: i64,
    pub text: String,
    pub required: bool,
    pub owner: IrRole,
}

impl Playbook {
    /// Whether this is the fallback playbook.
    pub fn is_fallback(&self) -> bool {
        self.key == FALLBACK_KEY
    }

    /// The items of one phase, in order.
    pub fn items_for(&self, phase: Phase) -> impl Iterator<Item = &PlaybookItem> {
        self.items.iter().filter(move |item| item.phase == phase)
    }

    /// The labels of the classifications this playbook applies to, for people.
    pub fn applies_to_labels(&self) -> Vec<String> {
        self.applies_to.iter().map(|entry| entry_label(entry)).collect()
    }
}

/// "Malicious code: Ransomware" for "malicious_code/ransomware", "Malicious code (all)" for "malicious_code".
pub fn entry_label(entry: &str) -> String {
    let (category, subtype) = match entry.split_once('/') {
        Some((c, s)) => (c, Some(s)),
        None => (entry, None),
    };
    let Some(cat) = TAXONOMY.iter().find(|c| c.code == category) else { return entry.to_owned() };
    match subtype {
        None => format!("{} (all)", cat.label),
        Some(s) => match cat.subtypes.iter().find(|(code, _)| *code == s) {
            Some((_, label)) => format!("{}: {label}", cat.label),
            None => entry.to_owned(),
        },
    }
}

/// Every entry a playbook may name: each category, then each "category/subtype".
pub fn all_entries() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for cat in TAXONOMY {
        out.push((cat.code.to_owned(), format!("{} (all)", cat.label)));
        for (code, label) in cat.subtypes {
            out.push((format!("{}/{code}", cat.code), format!("{}: {label}", cat.label)));
        }
    }
    out
}

/// The active playbook for a classification among stored playbooks: the most specific claim wins, then the
/// fallback playbook. Retired playbooks are never chosen.
pub fn select<'a>(playbooks: &'a [Playbook], classification: &Classification) -> Option<&'a Playbook> {
    let active: Vec<&Playbook> = playbooks.iter().filter(|p| !p.retired).collect();
    most_specific(&active, |p| p.applies_to.as_slice(), classification)
        .or_else(|| active.iter().find(|p| p.is_fallback()))
        .copied()
}

/// The items of a built-in playbook as they are first stored (ids are given by the database layer).
pub fn template_items(template: &PlaybookTemplate) -> Vec<NewPlaybookItem> {
    template
        .items
        .iter()
        .map(|t| NewPlaybookItem { phase: t.phase, text: t.text.to_owned(), required: t.required, owner: t.owner })
        .collect()
}

/// Longest playbook key, name, description and item text.
pub const MAX_KEY_CHARS: usize = 40;
pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MAX_ITEM_CHARS: usize = super::checklist::MAX_ITEM_CHARS;

/// The raw "create or edit a playbook" form. `applies_to` holds one classification entry per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookForm {
    #[serde(default)]
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub applies_to: String,
}

/// A validated playbook header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookDraft {
    pub key: String,
    pub name: String,
    pub description: String,
    pub applies_to: Vec<String>,
}

impl PlaybookForm {
    /// Validates the form. `key` is the playbook being edited, or `None` when creating (then the form's key is
    /// checked).
    pub fn parse(&self, key: Option<&str>) -> Result<PlaybookDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let key = match key {
            Some(k) => Some(k.to_owned()),
            None => e.check("key", parse_key(&self.key)),
        };
        let name = e.check("name", required_text(&self.name, "The name", MAX_NAME_CHARS));
        let description = self.description.trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            e.add("description", format!("Use at most {MAX_DESCRIPTION_CHARS} characters."));
        }
        let applies_to = e.check("applies_to", parse_entries(&self.applies_to));
        if let (Some(k), Some(entries)) = (&key, &applies_to) {
            if k == FALLBACK_KEY && !entries.is_empty() {
                e.add(
                    "applies_to",
                    "The generic playbook covers every classification no other playbook claims; leave this empty.",
                );
            } else if k != FALLBACK_KEY && entries.is_empty() {
                e.add("applies_to", "Choose at least one classification this playbook applies to.");
            }
        }
        e.finish(|| Some(PlaybookDraft { key: key?, name: name?, description, applies_to: applies_to? }))
    }
}

/// A playbook key: 2 to 40 lowercase letters, digits and underscores, starting with a letter.
pub fn parse_key(raw: &str) -> Result<String, String> {
    let key = raw.trim();
    let shape = key.len() >= 2
        && key.len() <= MAX_KEY_CHARS
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if shape {
        Ok(key.to_owned())
    } else {
        Err(format!("Use 2 to {MAX_KEY_CHARS} lowercase letters, digits and underscores, starting with a letter."))
    }
}

/// Classification entries, one per line (commas also separate): each a category code or "category/subtype".
/// Duplicates are dropped; unknown entries are named in the message.
pub fn parse_entries(raw: &str) -> Result<Vec<String>, String> {
    let known = all_entries();
    let mut entries: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for entry in raw.split(['\n', ',']).map(str::trim).filter(|e| !e.is_empty()) {
        if !known.iter().any(|(code, _)| code == entry) {
            unknown.push(entry.to_owned());
        } else if !entries.iter().any(|e| e == entry) {
            entries.push(entry.to_owned());
        }
    }
    if unknown.is_empty() {
        Ok(entries)
    } else {
        Err(format!("Unknown classification: {}. Use the codes listed below.", unknown.join(", ")))
    }
}

/// The entries of `draft` already claimed by another active playbook, with that playbook's name: two playbooks
/// claiming the same entry would make the choice depend on storage order.
pub fn claimed_elsewhere(draft: &PlaybookDraft, playbooks: &[Playbook]) -> Vec<(String, String)> {
    draft
        .applies_to
        .iter()
        .filter_map(|entry| {
            playbooks
                .iter()
                .find(|p| !p.retired && p.key != draft.key && p.applies_to.contains(entry))
                .map(|p| (entry.clone(), p.name.clone()))
        })
        .collect()
}

/// The raw "add or change a playbook item" form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookItemForm {
    pub phase: String,
    pub text: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    pub required: String,
    pub owner: String,
}

/// A validated playbook item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlaybookItem {
    pub phase: Phase,
    pub text: String,
    pub required: bool,
    pub owner: IrRole,
}

impl PlaybookItemForm {
    pub fn parse(&self) -> Result<NewPlaybookItem, FieldErrors> {
        let mut e = FieldErrors::new();
        let phase = e.check(
            "phase",
            Phase::from_code(self.phase.trim())
                .filter(|p| *p != Closed)
                .ok_or("Choose a working phase (Identification to Lessons learned)."),
        );
        let text = e.check("text", required_text(&self.text, "The item", MAX_ITEM_CHARS));
        let owner = e.check("owner", IrRole::from_code(self.owner.trim()).ok_or("Choose the role that owns the item."));
        let required = !self.required.trim().is_empty();
        e.finish(|| Some(NewPlaybookItem { phase: phase?, text: text?, required, owner: owner? }))
    }
}

code_enum! {
    /// What a submitted item form asks for (the button pressed).
    ItemOp {
        Save => ("save", "Save"),
        Up => ("up", "Move up"),
        Down => ("down", "Move down"),
        Remove => ("remove", "Remove"),
    }
}

/// A sentence for the audit log describing an item change.
pub fn describe_item_change(before: &PlaybookItem, after: &NewPlaybookItem) -> Vec<String> {
    let mut changes = Vec::new();
    if before.text != after.text {
        changes.push(format!("text “{}” → “{}”", before.text, after.text));
    }
    if before.phase != after.phase {
        changes.push(format!("phase {} → {}", before.phase.label(), after.phase.label()));
    }
    if before.required != after.required {
        changes.push(if after.required { "now required".into() } else { "now optional".into() });
    }
    if before.owner != after.owner {
        changes.push(format!("owner {} → {}", before.owner.label(), after.owner.label()));
    }
    changes
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// A built-in playbook as it is stored on first start.
    pub(crate) fn stored(template: &PlaybookTemplate) -> Playbook {
        let mut positions: HashMap<Phase, i64> = HashMap::new();
        Playbook {
            key: template.key.into(),
            name: template.name.into(),
            description: template.description.into(),
            applies_to: template.applies_to.iter().map(|e| e.to_string()).collect(),
            retired: false,
            version: 1,
            updated_by: "Firebreak".into(),
            updated_at: DateTime::UNIX_EPOCH,
            items: template_items(template)
                .into_iter()
                .enumerate()
                .map(|(n, i)| {
                    let position = positions.entry(i.phase).or_default();
                    *position += 1;
                    PlaybookItem {
                        id: n.to_string(),
                        phase: i.phase,
                        position: *position,
                        text: i.text,
                        required: i.required,
                        owner: i.owner,
                    }
                })
                .collect(),
        }
    }

    fn all_stored() -> Vec<Playbook> {
        DEFAULT_PLAYBOOKS.iter().map(stored).collect()
    }

    #[test]
    fn select_over_the_stored_defaults_agrees_with_the_built_in_choice_for_every_classification() {
        let playbooks = all_stored();
        for category in TAXONOMY {
            for (subtype, _) in category.subtypes {
                let c = classified(category.code, subtype);
                assert_eq!(select(&playbooks, &c).map(|p| p.key.as_str()), Some(playbook_for(&c).key));
            }
        }
    }

    #[test]
    fn a_retired_playbook_is_never_selected_and_its_classifications_fall_back_to_generic() {
        let mut playbooks = all_stored();
        playbooks.iter_mut().find(|p| p.key == "phishing").unwrap().retired = true;
        let c = classified("fraud", "phishing");
        assert_eq!(select(&playbooks, &c).map(|p| p.key.as_str()), Some("generic"));
        playbooks.iter_mut().find(|p| p.key == "generic").unwrap().retired = true;
        assert_eq!(select(&playbooks, &c), None);
    }

    #[test]
    fn the_playbook_form_checks_key_name_and_classifications() {
        let form = |key: &str, applies: &str| PlaybookForm {
            key: key.into(),
            name: "Supply chain".into(),
            description: String::new(),
            applies_to: applies.into(),
        };
        let ok = form("supply_chain", "intrusions/system_compromise\n malicious_code , intrusions/system_compromise")
            .parse(None)
            .unwrap();
        assert_eq!(ok.applies_to, ["intrusions/system_compromise", "malicious_code"]);
        for bad_key in ["", "A", "Supply", "9lives", "has space", "x-y", &"k".repeat(41)] {
            assert!(form(bad_key, "fraud").parse(None).unwrap_err().get("key").is_some(), "{bad_key:?}");
        }
        let unknown = form("x1", "fraud/nope\nmadeup").parse(None).unwrap_err();
        assert!(unknown.get("applies_to").unwrap().contains("fraud/nope, madeup"));
        assert!(form("x1", "").parse(None).unwrap_err().get("applies_to").is_some());
        assert!(form("", "fraud").parse(Some(FALLBACK_KEY)).unwrap_err().get("applies_to").is_some());
        assert!(form("", "").parse(Some(FALLBACK_KEY)).is_ok());
        let blank = PlaybookForm { name: " ".into(), ..form("x1", "fraud") };
        assert!(blank.parse(None).unwrap_err().get("name").is_some());
    }

    #[test]
    fn an_entry_claimed_by_another_active_playbook_is_reported() {
        let mut playbooks = all_stored();
        let draft = PlaybookForm {
            key: "mine".into(),
            name: "Mine".into(),
            description: String::new(),
            applies_to: "fraud/phishing\nvulnerable".into(),
        }
        .parse(None)
        .unwrap();
        let claimed = claimed_elsewhere(&draft, &playbooks);
        assert!(claimed.contains(&("fraud/phishing".to_owned(), "Phishing".to_owned())), "{claimed:?}");
        playbooks.iter_mut().find(|p| p.key == "phishing").unwrap().retired = true;
        assert!(!claimed_elsewhere(&draft, &playbooks).iter().any(|(e, _)| e == "fraud/phishing"));
        // A playbook never conflicts with itself.
        let own = PlaybookDraft { key: "phishing".into(), ..draft };
        playbooks.iter_mut().for_each(|p| p.retired = false);
        assert!(!claimed_elsewhere(&own, &playbooks).iter().any(|(e, _)| e == "fraud/phishing"));
    }

    #[test]
    fn the_item_form_checks_phase_text_and_owner_and_changes_are_described() {
        let bad =
            PlaybookItemForm { phase: "closed".into(), text: "".into(), required: String::new(), owner: "boss".into() };
        let e = bad.parse().unwrap_err();
        assert!(e.get("phase").is_some() && e.get("text").is_some() && e.get("owner").is_some());
        let good = PlaybookItemForm {
            phase: "containment".into(),
            text: "Isolate the host".into(),
            required: "on".into(),
            owner: "technical_lead".into(),
        }
        .parse()
        .unwrap();
        assert!(good.required);
        let before = PlaybookItem {
            id: "1".into(),
            phase: Containment,
            position: 1,
            text: "Isolate the host".into(),
            required: false,
            owner: Scribe,
        };
        assert_eq!(describe_item_change(&before, &good), ["now required", "owner Scribe → Technical lead"]);
        assert_eq!(entry_label("malicious_code/ransomware"), "Malicious code: Ransomware");
    }

    fn classified(category: &str, subtype: &str) -> Classification {
        Classification::parse(category, subtype).unwrap()
    }

    #[test]
    fn every_default_playbook_covers_every_working_phase_with_a_required_item_and_has_no_closed_items() {
        for playbook in DEFAULT_PLAYBOOKS {
            let key = playbook.key;
            for phase in working_phases() {
                assert!(playbook.items_for(phase).any(|item| item.required), "{key} has no required {phase} item");
            }
            assert_eq!(playbook.items_for(Closed).count(), 0, "{key} has Closed items");
        }
    }

    #[test]
    fn working_phases_are_the_five_phases_before_closed() {
        let phases: Vec<Phase> = working_phases().collect();
        assert_eq!(phases, [Identification, Containment, Eradication, Recovery, LessonsLearned]);
    }

    #[test]
    fn items_for_returns_exactly_the_items_of_that_phase() {
        for playbook in DEFAULT_PLAYBOOKS {
            let mut total = 0;
            for phase in Phase::ALL {
                assert!(playbook.items_for(*phase).all(|item| item.phase == *phase));
                total += playbook.items_for(*phase).count();
            }
            assert_eq!(total, playbook.items.len(), "{}", playbook.key);
        }
    }

    #[test]
    fn items_are_listed_in_lifecycle_order_and_are_not_repeated() {
        for playbook in DEFAULT_PLAYBOOKS {
            assert!(playbook.items.windows(2).all(|pair| pair[0].phase <= pair[1].phase), "{}", playbook.key);
            let mut texts = HashSet::new();
            for item in playbook.items {
                assert!(!item.text.trim().is_empty(), "{} has an empty item", playbook.key);
                assert!(texts.insert(item.text), "{} repeats {:?}", playbook.key, item.text);
            }
        }
    }

    #[test]
    fn every_playbook_ends_with_a_blameless_review_and_a_report_with_owned_action_items() {
        for playbook in DEFAULT_PLAYBOOKS {
            assert!(playbook.items.contains(&REVIEW_MEETING), "{}", playbook.key);
            assert!(playbook.items.contains(&FOLLOW_UP_REPORT), "{}", playbook.key);
        }
    }

    #[test]
    fn playbooks_that_may_involve_personal_data_have_legal_assess_notification_duties_early() {
        for key in ["phishing", "account_compromise", "data_breach", "insider_misuse", "lost_device"] {
            let playbook = playbook_by_key(key).unwrap();
            let early = playbook.items.iter().filter(|item| matches!(item.phase, Identification | Containment));
            assert!(
                early.filter(|item| item.owner == LegalPrivacy).any(|item| item.text.contains("notification duties")),
                "{key} lacks an early notification assessment"
            );
        }
    }

    #[test]
    fn keys_are_unique_and_there_is_exactly_one_generic_playbook_with_key_generic() {
        let mut keys = HashSet::new();
        for playbook in DEFAULT_PLAYBOOKS {
            assert!(keys.insert(playbook.key), "duplicate key {}", playbook.key);
            assert!(!playbook.name.is_empty() && !playbook.description.is_empty(), "{}", playbook.key);
        }
        let generic: Vec<&str> =
            DEFAULT_PLAYBOOKS.iter().filter(|playbook| playbook.applies_to.is_empty()).map(|p| p.key).collect();
        assert_eq!(generic, ["generic"]);
        assert_eq!(playbook_by_key("generic"), Some(&GENERIC));
        assert_eq!(playbook_by_key("phishing").map(|p| p.name), Some("Phishing"));
        assert_eq!(playbook_by_key("nope"), None);
    }

    #[test]
    fn every_applies_to_entry_names_a_real_taxonomy_category_or_category_and_subtype() {
        for playbook in DEFAULT_PLAYBOOKS {
            for entry in playbook.applies_to {
                let real = match entry.split_once('/') {
                    Some((category, subtype)) => TAXONOMY
                        .iter()
                        .any(|c| c.code == category && c.subtypes.iter().any(|(code, _)| *code == subtype)),
                    None => TAXONOMY.iter().any(|c| c.code == *entry),
                };
                assert!(real, "{} applies to unknown classification {entry:?}", playbook.key);
            }
        }
    }

    #[test]
    fn no_applies_to_entry_is_claimed_by_two_playbooks() {
        let mut claimed: HashMap<&str, &str> = HashMap::new();
        for playbook in DEFAULT_PLAYBOOKS {
            for entry in playbook.applies_to {
                if let Some(other) = claimed.insert(*entry, playbook.key) {
                    panic!("{entry:?} is claimed by both {other} and {}", playbook.key);
                }
            }
        }
    }

    #[test]
    fn playbook_for_picks_the_expected_playbook() {
        let cases = [
            (("fraud", "phishing"), "phishing"),
            (("fraud", "bec"), "phishing"),
            (("malicious_code", "ransomware"), "ransomware_malware"),
            (("malicious_code", "spyware"), "ransomware_malware"),
            (("intrusions", "application_compromise"), "web_application_compromise"),
            (("intrusions", "account_compromise"), "account_compromise"),
            (("intrusion_attempts", "login_attempts"), "account_compromise"),
            (("information_security", "data_leak"), "data_breach"),
            (("lost_device", "stolen"), "lost_device"),
            (("other", "unclassified"), "generic"),
            (("abusive_content", "spam"), "generic"),
        ];
        for ((category, subtype), key) in cases {
            assert_eq!(playbook_for(&classified(category, subtype)).key, key, "{category}/{subtype}");
        }
        assert_eq!(playbook_for(&Classification::unclassified()).key, "generic");
    }

    #[test]
    fn every_taxonomy_classification_gets_a_playbook_with_items() {
        for category in TAXONOMY {
            for (subtype, _) in category.subtypes {
                let playbook = playbook_for(&classified(category.code, subtype));
                assert!(!playbook.items.is_empty(), "{}/{subtype}", category.code);
            }
        }
    }

    #[test]
    fn an_exact_subtype_entry_beats_a_category_entry_whatever_the_table_order() {
        const TABLE: &[PlaybookTemplate] = &[
            PlaybookTemplate {
                key: "broad",
                name: "Broad",
                description: "Claims the whole category.",
                applies_to: &["intrusions"],
                items: &[],
            },
            PlaybookTemplate {
                key: "narrow",
                name: "Narrow",
                description: "Claims one sub-type.",
                applies_to: &["intrusions/system_compromise"],
                items: &[],
            },
        ];
        let key = |category: &str, subtype: &str| {
            most_specific(TABLE, |p| p.applies_to, &classified(category, subtype)).map(|p| p.key)
        };
        assert_eq!(key("intrusions", "system_compromise"), Some("narrow"));
        assert_eq!(key("intrusions", "account_compromise"), Some("broad"));
        assert_eq!(key("fraud", "phishing"), None);
    }

    #[test]
    fn role_codes_round_trip() {
        for role in IrRole::ALL {
            assert_eq!(IrRole::from_code(role.code()), Some(*role));
        }
        assert_eq!(IrRole::from_code("bogus"), None);
        assert_eq!(LegalPrivacy.label(), "Legal / privacy");
    }
}
