//! The incident classification taxonomy, in the spirit of the ENISA Reference
//! Incident Classification Taxonomy: a fixed list of categories, each with
//! sub-types. Codes are stable (stored and sent in forms); labels are for people.

use serde::{Deserialize, Serialize};

/// One category with its sub-types, as `(code, label)` pairs.
pub struct Category {
    pub code: &'static str,
    pub label: &'static str,
    pub subtypes: &'static [(&'static str, &'static str)],
}

/// The taxonomy, in display order.
pub const TAXONOMY: &[Category] = &[
    Category {
        code: "malicious_code",
        label: "Malicious code",
        subtypes: &[("malware", "Malware infection"), ("ransomware", "Ransomware"), ("spyware", "Spyware / RAT")],
    },
    Category {
        code: "availability",
        label: "Availability",
        subtypes: &[("ddos", "DoS / DDoS"), ("sabotage", "Outage caused by an attack")],
    },
    Category {
        code: "information_gathering",
        label: "Information gathering",
        subtypes: &[("scanning", "Scanning"), ("sniffing", "Sniffing"), ("social_engineering", "Social engineering")],
    },
    Category {
        code: "intrusion_attempts",
        label: "Intrusion attempts",
        subtypes: &[
            ("exploit_attempt", "Exploitation of a known vulnerability"),
            ("login_attempts", "Login attempts / password spraying"),
        ],
    },
    Category {
        code: "intrusions",
        label: "Intrusions",
        subtypes: &[
            ("account_compromise", "Account compromise"),
            ("application_compromise", "Application compromise"),
            ("system_compromise", "System compromise"),
        ],
    },
    Category {
        code: "information_security",
        label: "Information content security",
        subtypes: &[
            ("unauthorised_access", "Unauthorised access to information"),
            ("unauthorised_modification", "Unauthorised modification of information"),
            ("data_leak", "Data leak / exfiltration"),
        ],
    },
    Category {
        code: "fraud",
        label: "Fraud",
        subtypes: &[("phishing", "Phishing"), ("bec", "Business email compromise"), ("masquerade", "Masquerade")],
    },
    Category {
        code: "abusive_content",
        label: "Abusive content",
        subtypes: &[("spam", "Spam"), ("harmful_speech", "Harmful speech")],
    },
    Category {
        code: "vulnerable",
        label: "Vulnerable system",
        subtypes: &[("weak_configuration", "Weak configuration"), ("vulnerable_system", "Exposed vulnerable system")],
    },
    Category {
        code: "insider_misuse",
        label: "Insider misuse",
        subtypes: &[("privilege_abuse", "Privilege abuse"), ("data_mishandling", "Data mishandling")],
    },
    Category {
        code: "lost_device",
        label: "Lost or stolen device",
        subtypes: &[("lost", "Lost device"), ("stolen", "Stolen device")],
    },
    Category { code: "other", label: "Other", subtypes: &[("unclassified", "Not yet classified"), ("other", "Other")] },
];

/// A valid category and sub-type pair. Built only by [`Classification::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    category: String,
    subtype: String,
}

impl Classification {
    /// Accepts `category` and `subtype` codes from the taxonomy, where the
    /// sub-type belongs to the category.
    pub fn parse(category: &str, subtype: &str) -> Result<Self, ClassificationError> {
        let cat = TAXONOMY.iter().find(|c| c.code == category).ok_or(ClassificationError::UnknownCategory)?;
        if !cat.subtypes.iter().any(|(code, _)| *code == subtype) {
            return Err(ClassificationError::SubtypeNotInCategory(cat.label));
        }
        Ok(Self { category: category.to_owned(), subtype: subtype.to_owned() })
    }

    /// The classification new reports get before triage.
    pub fn unclassified() -> Self {
        Self { category: "other".into(), subtype: "unclassified".into() }
    }

    pub fn category(&self) -> &str {
        &self.category
    }

    pub fn subtype(&self) -> &str {
        &self.subtype
    }

    pub fn category_label(&self) -> &'static str {
        TAXONOMY.iter().find(|c| c.code == self.category).map(|c| c.label).unwrap_or("Other")
    }

    pub fn subtype_label(&self) -> &'static str {
        TAXONOMY
            .iter()
            .find(|c| c.code == self.category)
            .and_then(|c| c.subtypes.iter().find(|(code, _)| *code == self.subtype))
            .map(|(_, label)| *label)
            .unwrap_or("Other")
    }

    /// "Category / Sub-type" for cards and lists.
    pub fn label(&self) -> String {
        format!("{} / {}", self.category_label(), self.subtype_label())
    }

    /// The form value that carries both codes in one `<select>`.
    pub fn value(&self) -> String {
        format!("{}/{}", self.category, self.subtype)
    }

    /// Parses the `category/subtype` value of the combined `<select>`.
    pub fn parse_value(value: &str) -> Result<Self, ClassificationError> {
        let (category, subtype) = value.split_once('/').ok_or(ClassificationError::UnknownCategory)?;
        Self::parse(category, subtype)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassificationError {
    #[error("Choose a classification from the list.")]
    UnknownCategory,
    #[error("That sub-type does not belong to {0}.")]
    SubtypeNotInCategory(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_pairs_parse_and_round_trip_through_the_form_value() {
        for cat in TAXONOMY {
            for (sub, _) in cat.subtypes {
                let c = Classification::parse(cat.code, sub).unwrap();
                assert_eq!(Classification::parse_value(&c.value()).unwrap(), c);
            }
        }
    }

    #[test]
    fn a_subtype_from_another_category_is_refused() {
        assert_eq!(
            Classification::parse("fraud", "ransomware"),
            Err(ClassificationError::SubtypeNotInCategory("Fraud"))
        );
        assert_eq!(Classification::parse("nope", "x"), Err(ClassificationError::UnknownCategory));
        assert!(Classification::parse_value("fraud").is_err());
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for cat in TAXONOMY {
            assert!(seen.insert(cat.code));
            let mut subs = std::collections::HashSet::new();
            for (s, _) in cat.subtypes {
                assert!(subs.insert(*s));
            }
        }
    }
}
