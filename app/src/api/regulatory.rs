//! Server functions for regulatory notifications: the regimes and holiday
//! calendar (read by everyone, kept by admins), and on an incident, starting
//! a regime's clock and recording submissions.

use crate::domain::regulatory::{
    Holiday, HolidayForm, Notification, Regime, RegimeForm, Stage, StageStatus, StartClockForm, Submission,
    SubmissionForm,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A regime as the regulatory page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegimeEntry {
    pub regime: Regime,
    pub retired: bool,
}

/// The regulatory page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegulatoryPage {
    pub regimes: Vec<RegimeEntry>,
    pub holidays: Vec<Holiday>,
    /// Whether the caller may add regimes and keep the calendar.
    pub may_edit: bool,
}

/// One clock on an incident with each stage's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockView {
    pub notification: Notification,
    pub stages: Vec<(Stage, StageStatus)>,
}

/// The incident page's regulatory section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRegulatory {
    pub clocks: Vec<ClockView>,
    /// Regimes a clock can still be started for: (key, name, trigger).
    pub available: Vec<(String, String, String)>,
}

#[server(endpoint = "regulatory")]
pub async fn load_regulatory() -> Result<RegulatoryPage, AppError> {
    use crate::backend::{RequestContext, services};
    let ctx = RequestContext::current()?;
    let regimes = services::regulatory::regimes(&ctx)
        .await?
        .into_iter()
        .map(|(regime, retired)| RegimeEntry { regime, retired })
        .collect();
    let holidays = services::regulatory::holidays(&ctx).await?;
    let may_edit = ctx.user()?.may(crate::domain::Action::ManageRegimes);
    Ok(RegulatoryPage { regimes, holidays, may_edit })
}

#[server(endpoint = "create_regime")]
pub async fn create_regime(regime: RegimeForm) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    ctx.require(crate::domain::Action::ManageRegimes)?;
    let regime = regime.parse()?;
    Ok(services::regulatory::create_regime(&ctx, regime, db::now()).await?)
}

#[server(endpoint = "set_regime_retired")]
pub async fn set_regime_retired(key: String, retired: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let retired = match retired.trim() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest),
    };
    Ok(services::regulatory::set_regime_retired(&ctx, key.trim(), retired, db::now()).await?)
}

#[server(endpoint = "add_holiday")]
pub async fn add_holiday(holiday: HolidayForm) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    ctx.require(crate::domain::Action::ManageRegimes)?;
    let holiday = holiday.parse()?;
    Ok(services::regulatory::add_holiday(&ctx, holiday, db::now()).await?)
}

#[server(endpoint = "remove_holiday")]
pub async fn remove_holiday(date: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| AppError::BadRequest)?;
    Ok(services::regulatory::remove_holiday(&ctx, date, db::now()).await?)
}

#[server(endpoint = "start_clock")]
pub async fn start_clock(reference: String, clock: StartClockForm) -> Result<Notification, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    ctx.require(crate::domain::Action::WorkOnIncident)?;
    let now = db::now();
    let (regime, trigger_at) = clock.parse(now)?;
    Ok(services::regulatory::start_clock(&ctx, reference.trim(), &regime, trigger_at, now).await?)
}

#[server(endpoint = "record_submission")]
pub async fn record_submission(
    reference: String,
    notification_id: String,
    submission: SubmissionForm,
) -> Result<Submission, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    ctx.require(crate::domain::Action::WorkOnIncident)?;
    let now = db::now();
    let new = submission.parse(now)?;
    Ok(services::regulatory::record_submission(&ctx, reference.trim(), notification_id.trim(), new, now).await?)
}
