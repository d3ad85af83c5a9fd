//! Services: each owns one transaction, applies the domain's rules, and writes
//! the change together with its timeline events.

pub mod evidence;
pub mod incidents;
pub mod indicators;
pub mod scope;

use crate::backend::context::RequestContext;
use crate::backend::db::new_id;
use crate::domain::{TimelineEvent, TimelineKind};
use chrono::{DateTime, Utc};

/// A timeline event written by the acting user about something that happened
/// at `at` (event time and record time are the same).
pub(crate) fn timeline_event(
    ctx: &RequestContext,
    incident_id: &str,
    kind: TimelineKind,
    body: String,
    at: DateTime<Utc>,
) -> TimelineEvent {
    TimelineEvent {
        id: new_id(),
        incident_id: incident_id.to_owned(),
        event_at: at,
        recorded_at: at,
        author: ctx.actor.clone(),
        kind,
        body,
    }
}
