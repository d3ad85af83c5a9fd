//! Creating, editing and moving incidents, and their timelines.

use super::{record, timeline_event};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, incidents::IncidentFilter, new_id};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::access::Action;
use crate::domain::checklist::{self, ChecklistEdit};
use crate::domain::incident::format_reference;
use crate::domain::phase::TransitionError;
use crate::domain::playbook::{self, IrRole};
use crate::domain::preparation::RosterEntry;
use crate::domain::team::{self, RoleAssignment};
use crate::domain::{
    ChecklistItem, FieldErrors, Incident, IncidentChanges, NewChecklistItem, NewIncident, NewTimelineEntry, Phase,
    PhaseProgress, TimelineEvent, TimelineKind, plan_transition,
};
use crate::error::STALE_EDIT_MESSAGE;
use chrono::{DateTime, Datelike, Utc};
use std::collections::HashMap;

/// How many closed incidents the board shows.
pub const CLOSED_ON_BOARD: i64 = 20;

/// Records a new incident in Identification with its "created" event.
pub async fn create(ctx: &RequestContext, new: NewIncident, now: DateTime<Utc>) -> Result<Incident, BackendError> {
    ctx.require(Action::ReportIncident)?;
    let mut tx = ctx.db().begin().await?;
    // First statement of the transaction is a write: see `next_number`.
    let number = db::incidents::next_number(&mut tx, now.year()).await?;
    let incident =
        Incident::reported(new_id(), format_reference(now.year(), number), new, ctx.user_id().map(str::to_owned), now);
    db::incidents::insert(&mut tx, &incident).await?;
    // The reporter is a member, so they keep seeing what they reported (Staff
    // see only incidents they are members of), even once it is restricted.
    if let Some(user_id) = ctx.user_id() {
        db::accounts::add_member(&mut tx, &incident.id, user_id, &ctx.actor, now).await?;
    }
    let body = format!(
        "Incident reported by {}: {} ({}, {}).",
        incident.reporter,
        incident.title,
        incident.classification.label(),
        incident.priority
    );
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Created, body, now)).await?;
    apply_playbook(&mut tx, ctx, &incident, now).await?;
    tx.commit().await?;
    tracing::info!(reference = %incident.reference, "incident created");
    Ok(incident)
}

/// Applies an edit if nobody changed the incident since the editor read it.
pub async fn update(
    ctx: &RequestContext,
    reference: &str,
    changes: IncidentChanges,
    now: DateTime<Utc>,
) -> Result<Incident, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let mut incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    if incident.version != changes.expected_version {
        return Err(BackendError::Conflict(STALE_EDIT_MESSAGE.into()));
    }
    let diff = incident.changes(&changes.fields);
    if diff.is_empty() {
        return Ok(incident);
    }
    let reclassified = incident.classification != changes.fields.classification;
    let commander_changed = incident.commander != changes.fields.commander;
    incident.apply_fields(changes.fields);
    incident.version += 1;
    incident.updated_at = now;
    if !db::incidents::update(&mut tx, &incident, changes.expected_version).await? {
        return Err(BackendError::Conflict(STALE_EDIT_MESSAGE.into()));
    }
    for change in diff {
        let body = format!("{} changed from “{}” to “{}”.", change.field, change.before, change.after);
        record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::FieldChanged, body, now))
            .await?;
    }
    if commander_changed {
        // A commander typed by hand is no longer the roster assignment.
        db::team::set(&mut tx, &incident.id, IrRole::IncidentCommander, None).await?;
    }
    if reclassified {
        let removed = db::checklists::delete_open_playbook_items(&mut tx, &incident.id).await?;
        if removed > 0 {
            let body = format!("Reclassified: {removed} open playbook items removed from the checklist.");
            record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Checklist, body, now))
                .await?;
        }
        apply_playbook(&mut tx, ctx, &incident, now).await?;
    }
    tx.commit().await?;
    Ok(incident)
}

/// Copies the matching playbook's items into the incident's checklist, if
/// its classification brings one, and records that on the timeline.
async fn apply_playbook(
    tx: &mut db::Tx,
    ctx: &RequestContext,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    if !checklist::brings_playbook(&incident.classification) {
        return Ok(());
    }
    let headers = db::playbooks::headers(&mut **tx).await?;
    let Some(key) = playbook::select(&headers, &incident.classification).map(|p| p.key.clone()) else {
        return Ok(());
    };
    let playbook = db::playbooks::get(tx, &key, false).await?.ok_or(BackendError::NotFound)?;
    let items = checklist::instantiate(&playbook);
    db::checklists::insert_all(tx, &incident.id, &items, now).await?;
    let body = format!("Checklist created from the {} playbook ({} items).", playbook.name, items.len());
    record(tx, ctx, incident, timeline_event(ctx, &incident.id, TimelineKind::Checklist, body, now)).await?;
    Ok(())
}

/// The incident's response team, and the roster its roles are picked from.
pub async fn team(
    ctx: &RequestContext,
    incident: &Incident,
) -> Result<(Vec<RoleAssignment>, Vec<RosterEntry>), BackendError> {
    ctx.require(Action::ViewIncidents)?;
    let pool = &ctx.db().pool;
    Ok((db::team::list(pool, &incident.id).await?, db::preparation::roster(pool).await?))
}

/// Assigns `role` to the roster entry `roster_id`, or clears it with `None`.
/// The incident commander role also sets the incident's commander field
/// (which the board shows and filters on), bumping the incident's version.
pub async fn assign_role(
    ctx: &RequestContext,
    reference: &str,
    role: IrRole,
    roster_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<RoleAssignment>, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let mut incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let holder = match roster_id {
        None => None,
        Some(id) => {
            let entry = db::preparation::roster_entry(&mut tx, id).await?.ok_or_else(|| {
                BackendError::Validation(FieldErrors::single("person", "Choose someone from the response team roster."))
            })?;
            Some(RoleAssignment {
                role,
                name: entry.name,
                contact: entry.contact,
                roster_id: Some(entry.id),
                assigned_by: ctx.actor.clone(),
                assigned_at: now,
            })
        }
    };
    let current = db::team::list(&mut *tx, &incident.id).await?.into_iter().find(|a| a.role == role);
    let unchanged = match (&current, roster_id) {
        (Some(c), Some(id)) => c.roster_id.as_deref() == Some(id),
        (None, None) => role != IrRole::IncidentCommander || incident.commander.is_none(),
        _ => false,
    };
    if unchanged {
        return Ok(current);
    }
    let before = match role {
        // The commander may have been typed by hand, without a roster assignment.
        IrRole::IncidentCommander => incident.commander.clone(),
        _ => current.as_ref().map(|a| a.name.clone()),
    };
    let after = holder.as_ref().map(|h| h.name.clone());
    db::team::set(&mut tx, &incident.id, role, holder.as_ref()).await?;
    if role == IrRole::IncidentCommander && incident.commander != after {
        let previous_version = incident.version;
        incident.commander = after.clone();
        incident.version += 1;
        incident.updated_at = now;
        if !db::incidents::update(&mut tx, &incident, previous_version).await? {
            return Err(BackendError::Conflict(STALE_EDIT_MESSAGE.into()));
        }
    }
    // Two roster entries may share a name: the link changes, the name does not.
    let body = team::describe_change(role, before.as_deref(), after.as_deref()).unwrap_or_else(|| {
        format!("{} re-assigned to {} from the roster.", role.label(), after.as_deref().unwrap_or("nobody"))
    });
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Team, body, now)).await?;
    tx.commit().await?;
    Ok(holder)
}

/// Moves an incident to another phase under the domain's transition rules.
/// `expected_version`, when given, guards against acting on a stale card.
pub async fn move_phase(
    ctx: &RequestContext,
    reference: &str,
    to: Phase,
    reason: Option<&str>,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Incident, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let mut incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    if expected_version.is_some_and(|v| v != incident.version) {
        return Err(BackendError::Conflict(STALE_EDIT_MESSAGE.into()));
    }
    let items = db::checklists::list_for_incident(&mut *tx, &incident.id).await?;
    let mut open = checklist::open_required(&items, incident.phase);
    if incident.phase == Phase::LessonsLearned && to == Phase::Closed {
        open.extend(closing_requirements(&mut tx, &incident, now).await?);
    }
    let plan = plan_transition(incident.phase, to, reason, &open).map_err(|e| match e {
        TransitionError::ReasonRequired | TransitionError::ReasonTooLong(_) => {
            BackendError::Validation(FieldErrors::single("reason", e.to_string()))
        }
        TransitionError::GateOpen { open } => BackendError::PhaseGate(open),
        TransitionError::SamePhase(_) | TransitionError::SkipsPhases { .. } => BackendError::Conflict(e.to_string()),
    })?;
    let previous_version = incident.version;
    incident.apply_transition(&plan, now);
    incident.version += 1;
    incident.updated_at = now;
    if !db::incidents::update(&mut tx, &incident, previous_version).await? {
        return Err(BackendError::Conflict(STALE_EDIT_MESSAGE.into()));
    }
    let mut body = plan.describe();
    if let Some(m) = plan.stamp {
        body.push_str(&format!(" {} time stamped.", m.label()));
    }
    if !plan.clear.is_empty() {
        let cleared: Vec<&str> = plan.clear.iter().map(|m| m.label()).collect();
        body.push_str(&format!(" Cleared: {}.", cleared.join(", ")));
    }
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::PhaseChanged, body, now)).await?;
    tx.commit().await?;
    tracing::info!(reference, from = %plan.from, to = %plan.to, "phase changed");
    Ok(incident)
}

/// What closing an incident waits for besides its checklist: the recorded
/// lessons-learned review, and every regulatory stage still owed.
async fn closing_requirements(
    tx: &mut db::Tx,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Result<Vec<String>, BackendError> {
    let mut open = Vec::new();
    let lessons = db::lessons::get(&mut **tx, &incident.id).await?;
    if !crate::domain::lessons::review_complete(lessons.as_ref()) {
        open.push(crate::domain::lessons::REVIEW_GATE.to_owned());
    }
    let holidays = db::regulatory::holiday_dates(&mut **tx).await?;
    for n in db::regulatory::for_incident_in(tx, &incident.id).await? {
        for (stage, due) in crate::domain::regulatory::owed(&n, &holidays, now) {
            open.push(match due {
                Some(d) => {
                    format!("{}: {} (due {})", n.regime.name, stage.name, crate::domain::incident::display_time(d))
                }
                None => format!("{}: {}", n.regime.name, stage.name),
            });
        }
    }
    Ok(open)
}

/// Appends a note, action or decision with its own event time.
pub async fn add_timeline_entry(
    ctx: &RequestContext,
    reference: &str,
    entry: NewTimelineEntry,
    now: DateTime<Utc>,
) -> Result<TimelineEvent, BackendError> {
    let mut tx = ctx.db().begin().await?;
    // Locking also proves the incident exists; entries do not bump its
    // version, so notes never make someone's open edit stale.
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let mut e = timeline_event(ctx, &incident.id, entry.kind, entry.body, now);
    e.event_at = entry.event_at;
    record(&mut tx, ctx, &incident, e.clone()).await?;
    tx.commit().await?;
    Ok(e)
}

/// One incident and its timeline, newest first.
pub async fn get_with_timeline(
    ctx: &RequestContext,
    reference: &str,
) -> Result<(Incident, Vec<TimelineEvent>), BackendError> {
    let incident = super::visible_incident(ctx, reference).await?;
    let timeline = db::timeline::list_for_incident(&ctx.db().pool, &incident.id).await?;
    Ok((incident, timeline))
}

/// What the board shows.
pub struct BoardData {
    pub open: Vec<Incident>,
    pub closed: Vec<Incident>,
    pub closed_total: i64,
    pub commanders: Vec<String>,
    /// Current-phase checklist progress by incident id.
    pub progress: HashMap<String, PhaseProgress>,
    /// Open incidents whose next stakeholder update is overdue.
    pub updates_overdue: std::collections::HashSet<String>,
    /// The earliest running regulatory deadline of each open incident that
    /// has one, with whether it has passed.
    pub deadlines: HashMap<String, (DateTime<Utc>, bool)>,
}

pub async fn board(ctx: &RequestContext, filter: &IncidentFilter) -> Result<BoardData, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    let viewer = ctx.viewer()?;
    let filter = IncidentFilter { viewer: Some(viewer.clone()), ..filter.clone() };
    let pool = &ctx.db().pool;
    let open = db::incidents::list_open(pool, &filter).await?;
    let (closed, closed_total) = db::incidents::list_closed(pool, &filter, CLOSED_ON_BOARD).await?;
    let commanders = db::incidents::commanders(pool, &viewer).await?;
    let now = db::now();
    let mut progress = db::checklists::progress_of_open_incidents(pool, now).await?;
    let shown: std::collections::HashSet<&str> = open.iter().map(|i| i.id.as_str()).collect();
    progress.retain(|id, _| shown.contains(id.as_str()));
    let updates_overdue = super::updates::latest_and_due(ctx, &open, now)
        .await?
        .into_iter()
        .filter(|(_, (_, due))| due.is_some_and(|d| d.overdue))
        .map(|(id, _)| id)
        .collect();
    let deadlines = super::regulatory::board_deadlines(ctx, &shown, now).await?;
    Ok(BoardData { open, closed, closed_total, commanders, progress, updates_overdue, deadlines })
}

/// An incident's checklist, in phase and position order; `incident` comes
/// from [`get_with_timeline`], which checked that the caller may see it.
pub async fn checklist(ctx: &RequestContext, incident: &Incident) -> Result<Vec<ChecklistItem>, BackendError> {
    db::checklists::list_for_incident(&ctx.db().pool, &incident.id).await
}

/// Ticks or unticks a checklist item, with an optional note, and records it
/// on the timeline.
pub async fn set_item_done(
    ctx: &RequestContext,
    reference: &str,
    item_id: &str,
    done: bool,
    note: &str,
    now: DateTime<Utc>,
) -> Result<ChecklistItem, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let mut item = db::checklists::get(&mut tx, &incident.id, item_id).await?.ok_or(BackendError::NotFound)?;
    if item.is_done() == done {
        // Already in the wanted state (a double click or a stale page): nothing to record.
        return Ok(item);
    }
    db::checklists::set_done(&mut tx, &item.id, done.then_some((now, ctx.actor.as_str())), note).await?;
    let mut body = if done {
        format!("Checklist item done ({}): {}", item.phase, item.text)
    } else {
        format!("Checklist item reopened ({}): {}", item.phase, item.text)
    };
    if !note.is_empty() {
        body.push_str(&format!(" Note: {note}"));
    }
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Checklist, body, now)).await?;
    tx.commit().await?;
    item.done_at = done.then_some(now);
    item.done_by = done.then(|| ctx.actor.clone());
    item.note = note.to_owned();
    Ok(item)
}

/// Changes an item's owner, due time or note, and records what changed on
/// the timeline. An edit that changes nothing records nothing.
pub async fn edit_item(
    ctx: &RequestContext,
    reference: &str,
    item_id: &str,
    edit: ChecklistEdit,
    now: DateTime<Utc>,
) -> Result<ChecklistItem, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let mut item = db::checklists::get(&mut tx, &incident.id, item_id).await?.ok_or(BackendError::NotFound)?;
    let changes = item.describe_edit(&edit);
    if changes.is_empty() {
        return Ok(item);
    }
    db::checklists::set_details(&mut tx, &item.id, edit.owner.as_deref(), edit.due_at, &edit.note).await?;
    let body = format!("Checklist item updated ({}): {} — {}.", item.phase, item.text, changes.join("; "));
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Checklist, body, now)).await?;
    tx.commit().await?;
    item.owner = edit.owner;
    item.due_at = edit.due_at;
    item.note = edit.note;
    Ok(item)
}

/// Adds an ad-hoc item or task to an incident's checklist.
pub async fn add_item(
    ctx: &RequestContext,
    reference: &str,
    item: NewChecklistItem,
    now: DateTime<Utc>,
) -> Result<ChecklistItem, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let incident = super::lock_for_work(ctx, &mut tx, reference).await?;
    let mut stored = db::checklists::insert_all(&mut tx, &incident.id, std::slice::from_ref(&item), now).await?;
    let body = format!(
        "Checklist item added ({}{}): {}",
        item.phase,
        if item.required { ", required" } else { "" },
        item.text
    );
    record(&mut tx, ctx, &incident, timeline_event(ctx, &incident.id, TimelineKind::Checklist, body, now)).await?;
    tx.commit().await?;
    stored.pop().ok_or_else(|| BackendError::unexpected("inserted item missing"))
}
