//! Default incident-response playbooks: per-classification checklists for each working phase, written in our own
//! words from the NIST SP 800-61 incident handling checklist and CISA's Federal Government Cybersecurity Incident
//! and Vulnerability Response Playbooks.
//!
//! A playbook names the classifications it applies to, either a whole category ("malicious_code") or one
//! sub-type ("malicious_code/ransomware"). [`playbook_for`] picks the most specific match and falls back to the
//! `generic` playbook, so every incident gets a checklist.

use super::classification::Classification;
use super::phase::Phase;
use super::{Code, code_enum};

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

/// The playbook for a classification: a playbook that names its exact "category/subtype" wins over one that names
/// only its category, and the `generic` playbook covers everything else.
pub fn playbook_for(classification: &Classification) -> &'static PlaybookTemplate {
    most_specific(DEFAULT_PLAYBOOKS, classification).unwrap_or(&GENERIC)
}

/// The built-in playbook with this key, if there is one.
pub fn playbook_by_key(key: &str) -> Option<&'static PlaybookTemplate> {
    DEFAULT_PLAYBOOKS.iter().find(|playbook| playbook.key == key)
}

/// The first playbook in `playbooks` that names the exact "category/subtype", otherwise the first that names the
/// bare category. Table order only decides between equally specific matches.
fn most_specific(
    playbooks: &'static [PlaybookTemplate],
    classification: &Classification,
) -> Option<&'static PlaybookTemplate> {
    let (category, subtype) = (classification.category(), classification.subtype());
    // An entry with a slash is an exact match candidate; one without names a whole category.
    let claims = |playbook: &&PlaybookTemplate, exact: bool| {
        playbook.applies_to.iter().any(|entry| match entry.split_once('/') {
            Some(pair) => exact && pair == (category, subtype),
            None => !exact && *entry == category,
        })
    };
    playbooks
        .iter()
        .find(|playbook| claims(playbook, true))
        .or_else(|| playbooks.iter().find(|playbook| claims(playbook, false)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classification::TAXONOMY;
    use std::collections::{HashMap, HashSet};

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
        let key = |category: &str, subtype: &str| most_specific(TABLE, &classified(category, subtype)).map(|p| p.key);
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
