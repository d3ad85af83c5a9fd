//! Server functions for playbooks: every signed-in user reads them, admins
//! create, edit and retire them.

use crate::domain::playbook::{Playbook, PlaybookForm, PlaybookItemForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The playbook list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookList {
    pub playbooks: Vec<Playbook>,
    /// Whether the caller may create and edit playbooks.
    pub may_edit: bool,
    /// Every classification entry a playbook may name: (code, label).
    pub entries: Vec<(String, String)>,
}

/// One playbook for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybookPage {
    pub playbook: Playbook,
    pub may_edit: bool,
    pub entries: Vec<(String, String)>,
}

#[server(endpoint = "playbooks")]
pub async fn load_playbooks() -> Result<PlaybookList, AppError> {
    use crate::backend::{RequestContext, services};
    use crate::domain::{Action, playbook::all_entries};
    let ctx = RequestContext::current()?;
    let playbooks = services::playbooks::list(&ctx).await?;
    Ok(PlaybookList { playbooks, may_edit: ctx.user()?.may(Action::ManagePlaybooks), entries: all_entries() })
}

#[server(endpoint = "playbook")]
pub async fn load_playbook(key: String) -> Result<PlaybookPage, AppError> {
    use crate::backend::{RequestContext, services};
    use crate::domain::{Action, playbook::all_entries};
    let ctx = RequestContext::current()?;
    let playbook = services::playbooks::get(&ctx, key.trim()).await?;
    Ok(PlaybookPage { playbook, may_edit: ctx.user()?.may(Action::ManagePlaybooks), entries: all_entries() })
}

/// Creates a playbook; `copy_from`, when not empty, is the key of a playbook
/// whose items the new one starts with. Redirects to the new playbook.
#[server(endpoint = "create_playbook")]
pub async fn create_playbook(playbook: PlaybookForm, #[server(default)] copy_from: String) -> Result<String, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let draft = playbook.parse(None)?;
    let copy_from = Some(copy_from.trim()).filter(|k| !k.is_empty());
    let key = services::playbooks::create(&ctx, draft, copy_from, db::now()).await?;
    leptos_axum::redirect(&format!("/preparation/playbooks/{key}"));
    Ok(key)
}

/// Saves a playbook's name, description and classifications; `version` is the
/// version the editor read (a stale save is refused).
#[server(endpoint = "update_playbook")]
pub async fn update_playbook(key: String, version: i64, playbook: PlaybookForm) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let draft = playbook.parse(Some(key.trim()))?;
    Ok(services::playbooks::update(&ctx, draft, version, db::now()).await?)
}

/// Retires (`retired` = "true") a playbook or brings it back ("false").
#[server(endpoint = "set_playbook_retired")]
pub async fn set_playbook_retired(key: String, retired: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let retired = match retired.trim() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest),
    };
    Ok(services::playbooks::set_retired(&ctx, key.trim(), retired, db::now()).await?)
}

#[server(endpoint = "add_playbook_item")]
pub async fn add_playbook_item(key: String, item: PlaybookItemForm) -> Result<String, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let item = item.parse()?;
    Ok(services::playbooks::add_item(&ctx, key.trim(), item, db::now()).await?)
}

/// Saves, moves or removes one item: `op` is the button pressed ("save",
/// "up", "down", "remove"); `item` is only read when saving.
#[server(endpoint = "change_playbook_item")]
pub async fn change_playbook_item(
    key: String,
    id: String,
    op: String,
    #[server(default)] item: PlaybookItemForm,
) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    use crate::domain::{Code, playbook::ItemOp};
    let ctx = RequestContext::current()?;
    let op = ItemOp::from_code(op.trim()).ok_or(AppError::BadRequest)?;
    let item = match op {
        ItemOp::Save => Some(item.parse()?),
        _ => None,
    };
    Ok(services::playbooks::change_item(&ctx, key.trim(), id.trim(), op, item, db::now()).await?)
}
