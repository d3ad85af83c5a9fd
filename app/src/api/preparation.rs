//! Server functions for the preparation area: the response plan, the roster,
//! the stakeholder directory and the readiness checklist.

use crate::domain::preparation::{
    PlanForm, PlanVersion, ReadinessForm, ReadinessItem, RosterEntry, RosterForm, Stakeholder, StakeholderForm,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A plan version with its Markdown rendered to sanitised HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedPlan {
    pub plan: PlanVersion,
    /// HTML from pulldown-cmark, cleaned by ammonia (no scripts, no event
    /// handlers, no styles): safe to insert into the page.
    pub html: String,
    pub review_overdue: bool,
    /// Whether this is the newest version.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanHistoryEntry {
    pub version: i64,
    pub approver: String,
    pub approved_on: String,
    pub published_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparationPage {
    pub plan: Option<RenderedPlan>,
    pub history: Vec<PlanHistoryEntry>,
    pub roster: Vec<RosterEntry>,
    pub stakeholders: Vec<Stakeholder>,
    pub readiness: Vec<ReadinessItem>,
    /// Ids of readiness items past their verification interval (or never verified).
    pub stale: Vec<String>,
    pub may_edit: bool,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Markdown to safe HTML.
#[cfg(feature = "ssr")]
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&out).to_string()
}

/// The preparation page; `version` shows an older plan version.
#[server(endpoint = "preparation")]
pub async fn load_preparation(#[server(default)] version: String) -> Result<PreparationPage, AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::Action;
    let ctx = RequestContext::current()?;
    let version = match version.trim() {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let data = services::preparation::load(&ctx, version).await?;
    let now = db::now();
    let latest = data.history.first().map(|h| h.0);
    let plan = data.plan.map(|p| RenderedPlan {
        html: render_markdown(&p.body),
        review_overdue: p.review_overdue(now.date_naive()),
        current: Some(p.version) == latest,
        plan: p,
    });
    let stale = data.readiness.iter().filter(|r| r.is_stale(now)).map(|r| r.id.clone()).collect();
    Ok(PreparationPage {
        plan,
        history: data
            .history
            .into_iter()
            .map(|(version, approver, approved_on, published_by)| PlanHistoryEntry {
                version,
                approver,
                approved_on,
                published_by,
            })
            .collect(),
        roster: data.roster,
        stakeholders: data.stakeholders,
        readiness: data.readiness,
        stale,
        may_edit: ctx.user()?.may(Action::ManagePreparation),
        now,
    })
}

#[server(endpoint = "publish_plan")]
pub async fn publish_plan(plan: PlanForm) -> Result<i64, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let new = plan.parse()?;
    Ok(services::preparation::publish_plan(&ctx, new, db::now()).await?)
}

#[server(endpoint = "add_roster_entry")]
pub async fn add_roster_entry(entry: RosterForm) -> Result<String, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let new = entry.parse()?;
    Ok(services::preparation::add_roster_entry(&ctx, new, db::now()).await?)
}

#[server(endpoint = "add_stakeholder")]
pub async fn add_stakeholder(stakeholder: StakeholderForm) -> Result<String, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let new = stakeholder.parse()?;
    Ok(services::preparation::add_stakeholder(&ctx, new, db::now()).await?)
}

#[server(endpoint = "add_readiness_item")]
pub async fn add_readiness_item(item: ReadinessForm) -> Result<String, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let new = item.parse()?;
    Ok(services::preparation::add_readiness_item(&ctx, new, db::now()).await?)
}

#[server(endpoint = "verify_readiness_item")]
pub async fn verify_readiness_item(id: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::preparation::verify_readiness_item(&ctx, id.trim(), db::now()).await?)
}

/// Removes a roster entry, stakeholder or readiness item; `list` is
/// "roster", "stakeholders" or "readiness".
#[server(endpoint = "remove_preparation_entry")]
pub async fn remove_preparation_entry(list: String, id: String) -> Result<(), AppError> {
    use crate::backend::db::preparation::PrepTable;
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let table = match list.trim() {
        "roster" => PrepTable::Roster,
        "stakeholders" => PrepTable::Stakeholders,
        "readiness" => PrepTable::Readiness,
        _ => return Err(AppError::validation("list", "Unknown list.")),
    };
    Ok(services::preparation::remove(&ctx, table, id.trim(), db::now()).await?)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::render_markdown;

    #[test]
    fn markdown_is_rendered_and_scripts_are_removed() {
        let html = render_markdown(
            "# Plan\n\n**Call** the [CISO](https://example.org).\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
        );
        assert!(html.contains("<h1>Plan</h1>"), "{html}");
        assert!(html.contains("<strong>Call</strong>"));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
        assert!(!html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"), "{html}");
    }
}
