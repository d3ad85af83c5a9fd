//! Reusable components, one public component (or small family) per file.

pub mod badges;
pub mod checklist;
pub mod error_alert;
pub mod evidence;
pub mod form_field;
pub mod incident_fieldset;
pub mod indicators;
pub mod lessons;
pub mod members;
pub mod regulatory;
pub mod scope;
pub mod team;
pub mod updates;

pub use badges::{PhaseBadge, PriorityBadge, TlpBadge};
pub use checklist::Checklist;
pub use error_alert::ErrorAlert;
pub use evidence::Evidence;
pub use form_field::{FieldMessage, TextField, field_error};
pub use incident_fieldset::IncidentFieldset;
pub use indicators::Indicators;
pub use lessons::LessonsDetails;
pub use members::Members;
pub use regulatory::RegulatoryClocks;
pub use scope::Scope;
pub use team::Team;
pub use updates::{StakeholderUpdates, UpdateActions};
