//! Pure domain types and rules: phases and their transitions, the priority
//! matrix, the classification taxonomy, TLP, incidents and timeline events.
//!
//! Nothing here does I/O or knows about leptos, sqlx or axum, so it builds for
//! wasm32 (the browser shows the live priority with the same code) and native.

pub mod access;
pub mod audit;
pub mod checklist;
pub mod classification;
pub mod communication;
pub mod evidence;
pub mod incident;
pub mod indicator;
pub mod lessons;
pub mod phase;
pub mod playbook;
pub mod preparation;
pub mod priority;
pub mod regulatory;
pub mod scope;
pub mod team;
pub mod timeline;
pub mod tlp;
pub mod validation;

pub use access::{Action, CurrentUser, Role};
pub use checklist::{ChecklistItem, ChecklistItemForm, NewChecklistItem, PhaseProgress};
pub use classification::Classification;
pub use incident::{FieldChange, Incident, IncidentChanges, IncidentFields, IncidentForm, Milestones, NewIncident};
pub use indicator::{Indicator, IndicatorForm, IndicatorKind, NewIndicator, Sighting};
pub use phase::{Milestone, Phase, TransitionError, TransitionPlan, plan_transition};
pub use priority::{FunctionalImpact, ImpactLevel, InformationImpact, Priority, Recoverability, Urgency};
pub use timeline::{NewTimelineEntry, TimelineEntryForm, TimelineEvent, TimelineKind};
pub use tlp::Tlp;
pub use validation::{FieldError, FieldErrors};

/// Percent-encodes `s` for a URL query value or path segment: everything but
/// unreserved characters (RFC 3986) is escaped.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Parses a string into one of a closed set of values, the shared shape of
/// every enum that crosses a form or the database as text.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The stable machine code stored in the database and sent in forms.
    fn code(self) -> &'static str;
    /// The label a person reads.
    fn label(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares a `Code` enum with its codes and labels in one place.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::domain::Code for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn label(self) -> &'static str { match self { $(Self::$variant => $label),+ } }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::Code::label(*self))
            }
        }
    };
}
pub(crate) use code_enum;
