//! Playbooks: read by every signed-in user, created, edited and retired by
//! admins. Every change bumps the playbook's version and is audited. Edits
//! never reach incidents that already have their checklist: instantiation
//! copies the items (see `domain::checklist::instantiate`).

use super::audit;
use crate::backend::context::RequestContext;
use crate::backend::db;
use crate::backend::error::BackendError;
use crate::domain::access::Action;
use crate::domain::playbook::{self, ItemOp, NewPlaybookItem, Playbook, PlaybookDraft};
use crate::domain::{Code, FieldErrors};
use chrono::{DateTime, Utc};

/// Every playbook with its items, by name.
pub async fn list(ctx: &RequestContext) -> Result<Vec<Playbook>, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    db::playbooks::all_with_items(&ctx.db().pool).await
}

pub async fn get(ctx: &RequestContext, key: &str) -> Result<Playbook, BackendError> {
    ctx.require(Action::ViewIncidents)?;
    let mut tx = ctx.db().begin().await?;
    let playbook = db::playbooks::get(&mut tx, key, false).await?.ok_or(BackendError::NotFound)?;
    tx.commit().await?;
    Ok(playbook)
}

/// Refuses entries another active playbook already claims, naming it.
async fn check_claims(tx: &mut db::Tx, draft: &PlaybookDraft) -> Result<(), BackendError> {
    let others = db::playbooks::headers(&mut **tx).await?;
    let claimed = playbook::claimed_elsewhere(draft, &others);
    if claimed.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = claimed.iter().map(|(entry, name)| format!("{entry} (the {name} playbook)")).collect();
    Err(BackendError::Validation(FieldErrors::single(
        "applies_to",
        format!("Already covered by another playbook: {}. Change or retire that one first.", list.join(", ")),
    )))
}

/// Creates a playbook, optionally starting from a copy of another one's items.
pub async fn create(
    ctx: &RequestContext,
    draft: PlaybookDraft,
    copy_from: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, BackendError> {
    ctx.require(Action::ManagePlaybooks)?;
    let mut tx = ctx.db().begin().await?;
    check_claims(&mut tx, &draft).await?;
    let source = match copy_from {
        Some(key) => Some(db::playbooks::get(&mut tx, key, false).await?.ok_or_else(|| {
            BackendError::Validation(FieldErrors::single("copy_from", "Choose an existing playbook to copy."))
        })?),
        None => None,
    };
    if !db::playbooks::insert(&mut tx, &draft, &ctx.actor, now).await? {
        return Err(BackendError::Validation(FieldErrors::single(
            "key",
            format!("A playbook with the key “{}” already exists.", draft.key),
        )));
    }
    let mut copied = 0;
    if let Some(source) = &source {
        for item in &source.items {
            let new = NewPlaybookItem {
                phase: item.phase,
                text: item.text.clone(),
                required: item.required,
                owner: item.owner,
            };
            db::playbooks::insert_item(&mut tx, &draft.key, &new).await?;
            copied += 1;
        }
    }
    let mut summary = format!("{} created, applies to {}", draft.name, draft.applies_to.join(", "));
    if let Some(source) = &source {
        summary.push_str(&format!("; {copied} items copied from {}", source.name));
    }
    audit(&mut tx, ctx, "playbook.created", &format!("playbook:{}", draft.key), &summary, now).await?;
    tx.commit().await?;
    Ok(draft.key)
}

/// Locks a playbook for a change by an admin.
async fn lock(ctx: &RequestContext, tx: &mut db::Tx, key: &str) -> Result<Playbook, BackendError> {
    ctx.require(Action::ManagePlaybooks)?;
    db::playbooks::get(tx, key, true).await?.ok_or(BackendError::NotFound)
}

/// Changes a playbook's name, description and classifications, unless someone
/// changed the playbook since the editor read `expected_version`.
pub async fn update(
    ctx: &RequestContext,
    draft: PlaybookDraft,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let current = lock(ctx, &mut tx, &draft.key).await?;
    if current.version != expected_version {
        return Err(BackendError::Conflict(
            "This playbook was changed by someone else after you opened it. Reload the page to see their changes, then try again.".into(),
        ));
    }
    if !current.retired {
        check_claims(&mut tx, &draft).await?;
    }
    db::playbooks::update_header(&mut tx, &draft, &ctx.actor, now).await?;
    let summary =
        format!("{} saved (version {}), applies to {}", draft.name, current.version + 1, draft.applies_to.join(", "));
    audit(&mut tx, ctx, "playbook.updated", &format!("playbook:{}", draft.key), &summary, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Retires a playbook (no longer applied to incidents) or brings it back.
/// The fallback playbook cannot be retired.
pub async fn set_retired(
    ctx: &RequestContext,
    key: &str,
    retired: bool,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let current = lock(ctx, &mut tx, key).await?;
    if current.retired == retired {
        return Ok(());
    }
    if retired && current.is_fallback() {
        return Err(BackendError::Conflict(
            "The generic playbook covers every classification no other playbook claims, so it cannot be retired."
                .into(),
        ));
    }
    if !retired {
        let draft = PlaybookDraft {
            key: current.key.clone(),
            name: current.name.clone(),
            description: current.description.clone(),
            applies_to: current.applies_to.clone(),
        };
        check_claims(&mut tx, &draft).await?;
    }
    db::playbooks::touch(&mut tx, key, Some(retired), &ctx.actor, now).await?;
    let (action, what) = if retired { ("playbook.retired", "retired") } else { ("playbook.restored", "back in use") };
    audit(&mut tx, ctx, action, &format!("playbook:{key}"), &format!("{} {what}", current.name), now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_item(
    ctx: &RequestContext,
    key: &str,
    item: NewPlaybookItem,
    now: DateTime<Utc>,
) -> Result<String, BackendError> {
    let mut tx = ctx.db().begin().await?;
    let playbook = lock(ctx, &mut tx, key).await?;
    let id = db::playbooks::insert_item(&mut tx, key, &item).await?;
    db::playbooks::touch(&mut tx, key, None, &ctx.actor, now).await?;
    let kind = if item.required { "required" } else { "optional" };
    let summary = format!(
        "{}: {kind} {} item “{}” added, owner {}",
        playbook.name,
        item.phase.label(),
        item.text,
        item.owner.label()
    );
    audit(&mut tx, ctx, "playbook.item_added", &format!("playbook:{key}"), &summary, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves, moves or removes one item. `item` is only read for [`ItemOp::Save`].
pub async fn change_item(
    ctx: &RequestContext,
    key: &str,
    id: &str,
    op: ItemOp,
    item: Option<NewPlaybookItem>,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    let playbook = lock(ctx, &mut tx, key).await?;
    let before = playbook.items.iter().find(|i| i.id == id).ok_or(BackendError::NotFound)?;
    let summary = match op {
        ItemOp::Save => {
            let item = item.ok_or_else(|| BackendError::unexpected("save without an item"))?;
            let changes = playbook::describe_item_change(before, &item);
            if changes.is_empty() {
                return Ok(());
            }
            db::playbooks::update_item(&mut tx, key, before, &item).await?;
            format!("{}: item “{}” changed: {}", playbook.name, before.text, changes.join("; "))
        }
        ItemOp::Up | ItemOp::Down => {
            let phase: Vec<_> = playbook.items_for(before.phase).collect();
            let at = phase.iter().position(|i| i.id == id).unwrap_or_default();
            let neighbour = match op {
                ItemOp::Up => at.checked_sub(1).and_then(|n| phase.get(n)),
                _ => phase.get(at + 1),
            };
            // Already first (or last): nothing to do.
            let Some(neighbour) = neighbour else { return Ok(()) };
            db::playbooks::set_position(&mut tx, &before.id, neighbour.position).await?;
            db::playbooks::set_position(&mut tx, &neighbour.id, before.position).await?;
            format!("{}: item “{}” moved {}", playbook.name, before.text, if op == ItemOp::Up { "up" } else { "down" })
        }
        ItemOp::Remove => {
            db::playbooks::delete_item(&mut tx, id).await?;
            format!("{}: {} item “{}” removed", playbook.name, before.phase.label(), before.text)
        }
    };
    db::playbooks::touch(&mut tx, key, None, &ctx.actor, now).await?;
    audit(&mut tx, ctx, &format!("playbook.item_{}", op.code()), &format!("playbook:{key}"), &summary, now).await?;
    tx.commit().await?;
    Ok(())
}
