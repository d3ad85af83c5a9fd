//! Server functions for indicators of compromise.

use crate::domain::{Indicator, IndicatorForm, Sighting};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An incident's indicator with the other incidents that recorded it too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub indicator: Indicator,
    pub also_seen_in: Vec<String>,
}

#[server(endpoint = "add_indicator")]
pub async fn add_indicator(reference: String, indicator: IndicatorForm) -> Result<Indicator, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let new = indicator.parse()?;
    Ok(services::indicators::add(&ctx, reference.trim(), new, db::now()).await?)
}

/// Finds every incident that recorded the indicator `value` of type `kind`.
/// The value is normalised first, so defanged or differently cased input
/// finds the same records.
#[server(endpoint = "search_indicators")]
pub async fn search_indicators(kind: String, value: String) -> Result<Vec<Sighting>, AppError> {
    use crate::backend::{RequestContext, services};
    use crate::domain::indicator::normalise;
    use crate::domain::{Code, IndicatorKind};
    let ctx = RequestContext::current()?;
    let kind = IndicatorKind::from_code(kind.trim())
        .ok_or_else(|| AppError::validation("kind", "Choose an indicator type."))?;
    let value = normalise(kind, &value).map_err(|m| AppError::validation("value", m))?;
    Ok(services::indicators::search(&ctx, kind, &value).await?)
}
