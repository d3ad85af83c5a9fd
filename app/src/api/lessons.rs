//! Server functions for the lessons-learned review and its action items.

use crate::domain::Phase;
use crate::domain::lessons::{ActionItem, ActionItemForm, Lessons, LessonsForm};
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The lessons-learned page of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonsPage {
    pub reference: String,
    pub title: String,
    pub phase: Phase,
    pub lessons: Option<Lessons>,
    /// Soonest due first.
    pub actions: Vec<ActionItem>,
    /// Whether the caller may fill the review in (managers only read it).
    pub may_edit: bool,
    /// The server's date, for overdue action items.
    pub today: NaiveDate,
}

/// What the incident page says about the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonsSummary {
    pub recorded: bool,
    pub review_held_on: Option<NaiveDate>,
    pub actions: usize,
    pub open_actions: usize,
    pub overdue_actions: usize,
}

#[server(endpoint = "lessons")]
pub async fn load_lessons(reference: String) -> Result<LessonsPage, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let (incident, _) = services::incidents::get_with_timeline(&ctx, reference.trim()).await?;
    let (lessons, actions) = services::lessons::get(&ctx, &incident).await?;
    let may_edit = ctx.user()?.may(crate::domain::Action::ContributeLessons);
    Ok(LessonsPage {
        reference: incident.reference,
        title: incident.title,
        phase: incident.phase,
        lessons,
        actions,
        may_edit,
        today: db::now().date_naive(),
    })
}

/// Saves the review at `version` (0 for the first save); returns the new
/// version.
#[server(endpoint = "save_lessons")]
pub async fn save_lessons(reference: String, version: String, lessons: LessonsForm) -> Result<i64, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    ctx.require(crate::domain::Action::ContributeLessons)?;
    let version = super::parse_version(&version)?;
    let now = db::now();
    let draft = lessons.parse(now.date_naive())?;
    let version = services::lessons::save(&ctx, reference.trim(), draft, version, now).await?;
    super::redirect_plain_form(&format!("/incidents/{}/lessons", crate::domain::url_encode(reference.trim())));
    Ok(version)
}

#[server(endpoint = "add_action_item")]
pub async fn add_action_item(reference: String, item: ActionItemForm) -> Result<String, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    ctx.require(crate::domain::Action::ContributeLessons)?;
    let new = item.parse()?;
    let id = services::lessons::add_action(&ctx, reference.trim(), new, db::now()).await?;
    super::redirect_plain_form(&format!("/incidents/{}/lessons", crate::domain::url_encode(reference.trim())));
    Ok(id)
}

#[server(endpoint = "set_action_status")]
pub async fn set_action_status(reference: String, item_id: String, status: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::{Code, lessons::ActionStatus};
    let ctx = RequestContext::current()?;
    let status = ActionStatus::from_code(status.trim())
        .ok_or_else(|| AppError::validation("status", "Choose a status from the list."))?;
    services::lessons::set_action_status(&ctx, reference.trim(), item_id.trim(), status, db::now()).await?;
    super::redirect_plain_form(&format!("/incidents/{}/lessons", crate::domain::url_encode(reference.trim())));
    Ok(())
}
