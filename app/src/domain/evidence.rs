//! Evidence and its chain of custody. The custody log can only be appended
//! to, and each hand-over must start from whoever holds the item now.

use super::incident::{CLOCK_SKEW_MINUTES, MAX_NAME_CHARS, parse_time};
use super::validation::{FieldErrors, optional_text, required_text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_TEXT_CHARS: usize = 2000;

/// One piece of evidence of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: String,
    pub incident_id: String,
    pub item: String,
    pub description: String,
    pub collected_by: String,
    pub collected_at: DateTime<Utc>,
    pub location: String,
    /// SHA-256 of the artefact, lower-case hex, when one was taken.
    pub sha256: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One hand-over in an item's chain of custody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyEntry {
    pub id: String,
    pub evidence_id: String,
    pub from_person: String,
    pub to_person: String,
    pub handed_at: DateTime<Utc>,
    pub purpose: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Who holds an item now: the receiver of the last hand-over, or the collector.
pub fn current_holder<'a>(item: &'a EvidenceItem, log: &'a [CustodyEntry]) -> &'a str {
    log.iter().max_by_key(|e| (e.handed_at, e.recorded_at)).map_or(item.collected_by.as_str(), |e| &e.to_person)
}

/// A validated new evidence item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    pub item: String,
    pub description: String,
    pub collected_by: String,
    pub collected_at: DateTime<Utc>,
    pub location: String,
    pub sha256: Option<String>,
}

/// A validated hand-over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHandover {
    pub from_person: String,
    pub to_person: String,
    pub handed_at: DateTime<Utc>,
    pub purpose: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceForm {
    pub item: String,
    #[serde(default)]
    pub description: String,
    pub collected_by: String,
    #[serde(default)]
    pub collected_at: String,
    pub location: String,
    #[serde(default)]
    pub sha256: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverForm {
    pub from_person: String,
    pub to_person: String,
    #[serde(default)]
    pub handed_at: String,
    pub purpose: String,
}

fn time_or_now(value: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    match parse_time(value)? {
        Some(t) if t > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) => Err("This time is in the future.".into()),
        Some(t) => Ok(t),
        None => Ok(now),
    }
}

/// Validates a SHA-256 given as hex (spaces and colons, as some tools print
/// them, are ignored).
pub fn parse_sha256(value: &str) -> Result<Option<String>, String> {
    let hex: String =
        value.chars().filter(|c| !c.is_whitespace() && *c != ':').collect::<String>().to_ascii_lowercase();
    if hex.is_empty() {
        return Ok(None);
    }
    if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(Some(hex))
    } else {
        Err("A SHA-256 is 64 hexadecimal characters.".into())
    }
}

impl EvidenceForm {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewEvidence, FieldErrors> {
        let mut e = FieldErrors::new();
        let item = e.check("item", required_text(&self.item, "The item", 200));
        let description = e.check("description", optional_text(&self.description, "The description", MAX_TEXT_CHARS));
        let collected_by = e.check("collected_by", required_text(&self.collected_by, "Collected by", MAX_NAME_CHARS));
        let collected_at = e.check("collected_at", time_or_now(&self.collected_at, now));
        let location = e.check("location", required_text(&self.location, "The storage location", 500));
        let sha256 = e.check("sha256", parse_sha256(&self.sha256));
        e.finish(|| {
            Some(NewEvidence {
                item: item?,
                description: description?.unwrap_or_default(),
                collected_by: collected_by?,
                collected_at: collected_at?,
                location: location?,
                sha256: sha256?,
            })
        })
    }
}

impl HandoverForm {
    /// Validates a hand-over of an item currently held by `holder`.
    pub fn parse(&self, holder: &str, after: DateTime<Utc>, now: DateTime<Utc>) -> Result<NewHandover, FieldErrors> {
        let mut e = FieldErrors::new();
        let from_person = e.check("from_person", required_text(&self.from_person, "From", MAX_NAME_CHARS));
        let to_person = e.check("to_person", required_text(&self.to_person, "To", MAX_NAME_CHARS));
        let handed_at = e.check("handed_at", time_or_now(&self.handed_at, now));
        let purpose = e.check("purpose", required_text(&self.purpose, "The purpose", MAX_TEXT_CHARS));
        if let Some(from) = &from_person
            && !from.eq_ignore_ascii_case(holder)
        {
            e.add("from_person", format!("The item is held by {holder}; only its holder can hand it over."));
        }
        if let (Some(from), Some(to)) = (&from_person, &to_person)
            && from.eq_ignore_ascii_case(to)
        {
            e.add("to_person", "The item must go to someone else.");
        }
        if let Some(at) = handed_at
            && at < after
        {
            e.add("handed_at", "A hand-over cannot come before the item's last recorded custody event.");
        }
        e.finish(|| {
            Some(NewHandover {
                from_person: from_person?,
                to_person: to_person?,
                handed_at: handed_at?,
                purpose: purpose?,
            })
        })
    }
}

/// When the item's custody last changed: the last hand-over, or its collection.
pub fn last_custody_time(item: &EvidenceItem, log: &[CustodyEntry]) -> DateTime<Utc> {
    log.iter().map(|e| e.handed_at).max().unwrap_or(item.collected_at).max(item.collected_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap()
    }

    fn item() -> EvidenceItem {
        EvidenceItem {
            id: "e".into(),
            incident_id: "i".into(),
            item: "Laptop image".into(),
            description: String::new(),
            collected_by: "Ann".into(),
            collected_at: now() - chrono::Duration::hours(5),
            location: "Safe 2".into(),
            sha256: None,
            recorded_by: "Ann".into(),
            recorded_at: now(),
        }
    }

    #[test]
    fn hashes_are_checked_and_normalised() {
        let hash = "E3B0C442 98FC1C14 9AFBF4C8 996FB924 27AE41E4 649B934C A495991B 7852B855";
        assert_eq!(
            parse_sha256(hash).unwrap().as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert_eq!(parse_sha256("").unwrap(), None);
        assert!(parse_sha256("abc").is_err());
    }

    #[test]
    fn the_holder_is_the_last_receiver() {
        let it = item();
        assert_eq!(current_holder(&it, &[]), "Ann");
        let entry = CustodyEntry {
            id: "c".into(),
            evidence_id: "e".into(),
            from_person: "Ann".into(),
            to_person: "Bob".into(),
            handed_at: now() - chrono::Duration::hours(1),
            purpose: "Analysis".into(),
            recorded_by: "Ann".into(),
            recorded_at: now(),
        };
        assert_eq!(current_holder(&it, &[entry]), "Bob");
    }

    #[test]
    fn only_the_holder_can_hand_over_and_not_to_themselves_or_back_in_time() {
        let form = HandoverForm {
            from_person: "Bob".into(),
            to_person: "Ann".into(),
            handed_at: String::new(),
            purpose: "x".into(),
        };
        assert!(form.parse("Ann", now(), now()).unwrap_err().get("from_person").is_some());
        let form = HandoverForm {
            from_person: "ann".into(),
            to_person: "Ann".into(),
            handed_at: String::new(),
            purpose: "x".into(),
        };
        assert!(form.parse("Ann", now(), now()).unwrap_err().get("to_person").is_some());
        let form = HandoverForm {
            from_person: "Ann".into(),
            to_person: "Lab".into(),
            handed_at: "2026-03-14T01:00".into(),
            purpose: "x".into(),
        };
        assert!(form.parse("Ann", now() - chrono::Duration::hours(2), now()).unwrap_err().get("handed_at").is_some());
        let form = HandoverForm {
            from_person: "Ann".into(),
            to_person: "Lab".into(),
            handed_at: String::new(),
            purpose: "Imaging".into(),
        };
        assert_eq!(form.parse("Ann", now() - chrono::Duration::hours(2), now()).unwrap().handed_at, now());
    }

    #[test]
    fn evidence_needs_an_item_a_collector_and_a_location() {
        let e = EvidenceForm::default().parse(now()).unwrap_err();
        for field in ["item", "collected_by", "location"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }
}
