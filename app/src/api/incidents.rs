//! Server functions for the board, the incident page and their forms.

use crate::domain::{
    ChecklistItem, ChecklistItemForm, Incident, IncidentForm, PhaseProgress, TimelineEntryForm, TimelineEvent,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The board's filters as they appear in the URL query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub classification: String,
    #[serde(default)]
    pub commander: String,
}

/// What the board shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// Every open incident matching the filters (the UI groups them by phase).
    pub open: Vec<Incident>,
    /// The most recently closed incidents matching the filters.
    pub closed: Vec<Incident>,
    /// How many closed incidents match in all.
    pub closed_total: u64,
    /// Commanders named on any incident, for the filter.
    pub commanders: Vec<String>,
    /// Current-phase checklist progress by incident id (incidents without a
    /// checklist are absent).
    pub progress: HashMap<String, PhaseProgress>,
    /// Open incidents whose next stakeholder update is overdue.
    pub updates_overdue: std::collections::HashSet<String>,
    /// The earliest running regulatory deadline of each open incident that
    /// has one, with whether it has passed.
    pub deadlines: HashMap<String, (chrono::DateTime<chrono::Utc>, bool)>,
    /// The server's clock, so "time in phase" is the same on server and client.
    pub now: chrono::DateTime<chrono::Utc>,
    /// Preparation problems to flag in the header: an overdue plan review,
    /// stale readiness items.
    pub alerts: Vec<String>,
    /// Whether the caller may move incidents (else the board is read-only:
    /// no drag and drop, no move controls).
    pub may_move: bool,
}

/// A member of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: String,
    pub display_name: String,
    pub username: String,
}

/// One incident with its timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentPage {
    pub incident: Incident,
    pub timeline: Vec<TimelineEvent>,
    pub checklist: Vec<ChecklistItem>,
    pub indicators: Vec<super::IndicatorRow>,
    pub evidence: Vec<super::EvidenceRecord>,
    pub scope: Vec<crate::domain::scope::AffectedItem>,
    /// Who may see the incident when it is restricted.
    pub members: Vec<Member>,
    /// Who holds each IR role on this incident.
    pub team: Vec<crate::domain::team::RoleAssignment>,
    /// The response team roster the roles are picked from.
    pub roster: Vec<crate::domain::preparation::RosterEntry>,
    /// Whether the caller may change the incident (else the page is read-only).
    pub may_work: bool,
    /// Whether the caller may restrict the incident and choose its members.
    pub may_manage_members: bool,
    /// Stakeholder updates and when the next is due.
    pub communications: super::Communications,
    /// Regulatory clocks running on the incident, and the regimes that can
    /// still be started.
    pub regulatory: super::IncidentRegulatory,
    /// Where the lessons-learned review stands.
    pub lessons: super::LessonsSummary,
    /// The server's clock, for overdue flags.
    pub now: chrono::DateTime<chrono::Utc>,
}

#[server(endpoint = "board")]
pub async fn load_board(#[server(default)] query: BoardQuery) -> Result<Board, AppError> {
    use crate::backend::{RequestContext, db, db::incidents::IncidentFilter, services};
    use crate::domain::{Code, FieldErrors, Priority, classification::TAXONOMY};
    let ctx = RequestContext::current()?;
    let mut errors = FieldErrors::new();
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let priority = non_empty(&query.priority);
    if priority.as_deref().is_some_and(|p| Priority::from_code(p).is_none()) {
        errors.add("priority", "Choose a priority from the list.");
    }
    let category = non_empty(&query.classification);
    if category.as_deref().is_some_and(|c| !TAXONOMY.iter().any(|t| t.code == c)) {
        errors.add("classification", "Choose a classification from the list.");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let filter = IncidentFilter {
        viewer: None,
        text: non_empty(&query.q),
        priority,
        category,
        commander: non_empty(&query.commander),
    };
    let data = services::incidents::board(&ctx, &filter).await?;
    let may_move = ctx.user()?.may(crate::domain::Action::WorkOnIncident);
    Ok(Board {
        open: data.open,
        closed: data.closed,
        closed_total: u64::try_from(data.closed_total).unwrap_or(0),
        commanders: data.commanders,
        progress: data.progress,
        updates_overdue: data.updates_overdue,
        deadlines: data.deadlines,
        alerts: services::preparation::alerts(&ctx, db::now()).await?,
        may_move,
        now: db::now(),
    })
}

#[server(endpoint = "incident")]
pub async fn load_incident(reference: String) -> Result<IncidentPage, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let (incident, timeline) = services::incidents::get_with_timeline(&ctx, reference.trim()).await?;
    let checklist = services::incidents::checklist(&ctx, &incident).await?;
    let indicators = services::indicators::list(&ctx, &incident)
        .await?
        .into_iter()
        .map(|(indicator, also_seen_in)| super::IndicatorRow { indicator, also_seen_in })
        .collect();
    let evidence = services::evidence::list(&ctx, &incident)
        .await?
        .into_iter()
        .map(|(item, custody)| {
            let holder = crate::domain::evidence::current_holder(&item, &custody).to_owned();
            super::EvidenceRecord { item, custody, holder }
        })
        .collect();
    let scope = services::scope::list(&ctx, &incident).await?;
    let members = services::members::list(&ctx, &incident).await?;
    let (team, roster) = services::incidents::team(&ctx, &incident).await?;
    let now = db::now();
    let records = services::updates::list(&ctx, &incident).await?;
    let due = services::updates::due(&incident, &records, now);
    let audiences = services::updates::audience_counts(&ctx)
        .await?
        .into_iter()
        .map(|(audience, contacts)| super::AudienceOption { audience, contacts })
        .collect();
    let user = ctx.user()?;
    let communications = super::Communications {
        updates: records
            .into_iter()
            .map(|r| super::UpdateRecord { update: r.update, deliveries: r.deliveries })
            .collect(),
        due,
        audiences,
        may_approve: user.may(crate::domain::Action::ApproveUpdates),
        mail_enabled: ctx.state.mailer.is_some(),
    };
    let clocks = services::regulatory::for_incident(&ctx, &incident, now).await?;
    let running: Vec<String> = clocks.iter().map(|(n, _)| n.regime.key.clone()).collect();
    let available = services::regulatory::regimes(&ctx)
        .await?
        .into_iter()
        .filter(|(r, retired)| !retired && !running.contains(&r.key))
        .map(|(r, _)| (r.key, r.name, r.trigger))
        .collect();
    let regulatory = super::IncidentRegulatory {
        clocks: clocks.into_iter().map(|(notification, stages)| super::ClockView { notification, stages }).collect(),
        available,
    };
    let (review, actions) = services::lessons::get(&ctx, &incident).await?;
    let today = now.date_naive();
    let lessons = super::LessonsSummary {
        recorded: crate::domain::lessons::review_complete(review.as_ref()),
        review_held_on: review.and_then(|r| r.review_held_on),
        actions: actions.len(),
        open_actions: actions.iter().filter(|a| !a.status.is_finished()).count(),
        overdue_actions: actions.iter().filter(|a| a.is_overdue(today)).count(),
    };
    let may_work = user.may(crate::domain::Action::WorkOnIncident);
    let may_manage_members = user.may(crate::domain::Action::ManageMembers);
    Ok(IncidentPage {
        incident,
        timeline,
        checklist,
        indicators,
        evidence,
        scope,
        members,
        team,
        roster,
        may_work,
        may_manage_members,
        communications,
        regulatory,
        lessons,
        now,
    })
}

#[server(endpoint = "create_incident")]
pub async fn create_incident(form: IncidentForm) -> Result<Incident, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let now = db::now();
    let new = form.parse_new(now)?;
    let incident = services::incidents::create(&ctx, new, now).await?;
    leptos_axum::redirect(&format!("/incidents/{}", incident.reference));
    Ok(incident)
}

#[server(endpoint = "update_incident")]
pub async fn update_incident(reference: String, version: i64, form: IncidentForm) -> Result<Incident, AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::IncidentChanges;
    let ctx = RequestContext::current()?;
    let now = db::now();
    let fields = form.parse_fields(now)?;
    let changes = IncidentChanges { fields, expected_version: version };
    Ok(services::incidents::update(&ctx, reference.trim(), changes, now).await?)
}

/// Moves an incident to phase `to` (a phase code). `reason` is required when
/// moving back, and when moving forward past open required checklist items
/// (the override); `version`, when not empty, must match the stored version.
#[server(endpoint = "move_incident")]
pub async fn move_incident(
    reference: String,
    to: String,
    #[server(default)] reason: String,
    #[server(default)] version: String,
) -> Result<Incident, AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::{Code, Phase};
    let ctx = RequestContext::current()?;
    let to = Phase::from_code(to.trim()).ok_or_else(|| AppError::validation("to", "Choose a phase from the list."))?;
    let version = match version.trim() {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| AppError::BadRequest)?),
    };
    let reason = Some(reason.as_str()).filter(|r| !r.trim().is_empty());
    Ok(services::incidents::move_phase(&ctx, reference.trim(), to, reason, version, db::now()).await?)
}

#[server(endpoint = "add_timeline_entry")]
pub async fn add_timeline_entry(reference: String, entry: TimelineEntryForm) -> Result<TimelineEvent, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let now = db::now();
    let entry = entry.parse(now)?;
    Ok(services::incidents::add_timeline_entry(&ctx, reference.trim(), entry, now).await?)
}

/// Ticks (`done` = "true") or unticks a checklist item, with an optional note.
#[server(endpoint = "set_checklist_item")]
pub async fn set_checklist_item(
    reference: String,
    item_id: String,
    done: String,
    #[server(default)] note: String,
) -> Result<ChecklistItem, AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::checklist::parse_note;
    let ctx = RequestContext::current()?;
    let done = match done.trim() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest),
    };
    let note = parse_note(&note)?;
    Ok(services::incidents::set_item_done(&ctx, reference.trim(), item_id.trim(), done, &note, db::now()).await?)
}

/// Changes a checklist item's owner, due time and note.
#[server(endpoint = "edit_checklist_item")]
pub async fn edit_checklist_item(
    reference: String,
    item_id: String,
    edit: crate::domain::checklist::ChecklistEditForm,
) -> Result<ChecklistItem, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let edit = edit.parse()?;
    Ok(services::incidents::edit_item(&ctx, reference.trim(), item_id.trim(), edit, db::now()).await?)
}

/// Adds an ad-hoc item or task to an incident's checklist.
#[server(endpoint = "add_checklist_item")]
pub async fn add_checklist_item(reference: String, item: ChecklistItemForm) -> Result<ChecklistItem, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let item = item.parse()?;
    Ok(services::incidents::add_item(&ctx, reference.trim(), item, db::now()).await?)
}

/// Gives IR role `role` (a role code) to the roster entry `person` (its id),
/// or takes it away when `person` is empty.
#[server(endpoint = "assign_incident_role")]
pub async fn assign_incident_role(
    reference: String,
    role: String,
    #[server(default)] person: String,
) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::{Code, playbook::IrRole};
    let ctx = RequestContext::current()?;
    let role =
        IrRole::from_code(role.trim()).ok_or_else(|| AppError::validation("role", "Choose a role from the list."))?;
    let person = Some(person.trim()).filter(|p| !p.is_empty());
    services::incidents::assign_role(&ctx, reference.trim(), role, person, db::now()).await?;
    Ok(())
}
