//! Playbook rows: the stored playbooks admins edit, and the installation of
//! the built-in ones.

use super::{Tx, from_code, from_db_time, new_id, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::phase::Phase;
use crate::domain::playbook::{
    NewPlaybookItem, Playbook, PlaybookDraft, PlaybookItem, PlaybookTemplate, template_items,
};
use chrono::{DateTime, Utc};
use sqlx::{Any, AnyPool, Executor, FromRow};

/// Who the built-in playbooks are recorded as written by.
pub const INSTALLER: &str = "Firebreak (built-in)";

#[derive(FromRow)]
struct HeaderRow {
    playbook_key: String,
    name: String,
    description: String,
    applies_to: String,
    retired: i64,
    version: i64,
    updated_by: String,
    updated_at: String,
}

const HEADER_COLUMNS: &str = "playbook_key, name, description, applies_to, retired, version, updated_by, updated_at";

impl TryFrom<HeaderRow> for Playbook {
    type Error = BackendError;

    fn try_from(r: HeaderRow) -> Result<Self, BackendError> {
        Ok(Playbook {
            key: r.playbook_key,
            name: r.name,
            description: r.description,
            applies_to: r.applies_to.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            retired: r.retired != 0,
            version: r.version,
            updated_by: r.updated_by,
            updated_at: from_db_time(&r.updated_at)?,
            items: Vec::new(),
        })
    }
}

#[derive(FromRow)]
struct ItemRow {
    id: String,
    playbook_key: String,
    phase: String,
    position: i64,
    text: String,
    required: i64,
    owner_role: String,
}

impl TryFrom<ItemRow> for PlaybookItem {
    type Error = BackendError;

    fn try_from(r: ItemRow) -> Result<Self, BackendError> {
        Ok(PlaybookItem {
            id: r.id,
            phase: from_code(&r.phase)?,
            position: r.position,
            text: r.text,
            required: r.required != 0,
            owner: from_code(&r.owner_role)?,
        })
    }
}

const ITEM_COLUMNS: &str = "id, playbook_key, phase, position, text, required, owner_role";

/// Sorts items into lifecycle order (phase, then position).
fn in_order(mut items: Vec<PlaybookItem>) -> Vec<PlaybookItem> {
    items.sort_by_key(|i| (Phase::ALL.iter().position(|p| *p == i.phase), i.position));
    items
}

/// Every playbook header (no items), by name.
pub async fn headers<'e>(executor: impl Executor<'e, Database = Any>) -> Result<Vec<Playbook>, BackendError> {
    let rows: Vec<HeaderRow> =
        sqlx::query_as(&format!("SELECT {HEADER_COLUMNS} FROM playbooks ORDER BY name")).fetch_all(executor).await?;
    rows.into_iter().map(Playbook::try_from).collect()
}

/// Every playbook with its items (for the list page's item counts).
pub async fn all_with_items(pool: &AnyPool) -> Result<Vec<Playbook>, BackendError> {
    let mut playbooks = headers(pool).await?;
    let rows: Vec<ItemRow> =
        sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM playbook_items")).fetch_all(pool).await?;
    let mut items: Vec<(String, PlaybookItem)> = Vec::with_capacity(rows.len());
    for row in rows {
        let key = row.playbook_key.clone();
        items.push((key, PlaybookItem::try_from(row)?));
    }
    for playbook in &mut playbooks {
        let mine = items.iter().filter(|(k, _)| *k == playbook.key).map(|(_, i)| i.clone()).collect();
        playbook.items = in_order(mine);
    }
    Ok(playbooks)
}

/// One playbook with its items. Inside a transaction the header row is locked
/// first (an UPDATE that changes nothing), so concurrent edits of one playbook
/// queue up on PostgreSQL as they do on SQLite.
pub async fn get(tx: &mut Tx, key: &str, lock: bool) -> Result<Option<Playbook>, BackendError> {
    if lock {
        let locked = sqlx::query("UPDATE playbooks SET version = version WHERE playbook_key = $1")
            .bind(key)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if locked == 0 {
            return Ok(None);
        }
    }
    let row: Option<HeaderRow> =
        sqlx::query_as(&format!("SELECT {HEADER_COLUMNS} FROM playbooks WHERE playbook_key = $1"))
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let mut playbook = Playbook::try_from(row)?;
    let rows: Vec<ItemRow> =
        sqlx::query_as(&format!("SELECT {ITEM_COLUMNS} FROM playbook_items WHERE playbook_key = $1"))
            .bind(key)
            .fetch_all(&mut **tx)
            .await?;
    playbook.items = in_order(rows.into_iter().map(PlaybookItem::try_from).collect::<Result<_, _>>()?);
    Ok(Some(playbook))
}

/// Inserts a new playbook header; `false` when the key is taken.
pub async fn insert(tx: &mut Tx, draft: &PlaybookDraft, by: &str, now: DateTime<Utc>) -> Result<bool, BackendError> {
    let inserted = sqlx::query(
        "INSERT INTO playbooks (playbook_key, name, description, applies_to, retired, version, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, 0, 1, $5, $6) ON CONFLICT (playbook_key) DO NOTHING",
    )
    .bind(&draft.key)
    .bind(&draft.name)
    .bind(&draft.description)
    .bind(draft.applies_to.join("\n"))
    .bind(by)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// Replaces a playbook's header and bumps its version.
pub async fn update_header(
    tx: &mut Tx,
    draft: &PlaybookDraft,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query(
        "UPDATE playbooks SET name = $2, description = $3, applies_to = $4, version = version + 1, \
         updated_by = $5, updated_at = $6 WHERE playbook_key = $1",
    )
    .bind(&draft.key)
    .bind(&draft.name)
    .bind(&draft.description)
    .bind(draft.applies_to.join("\n"))
    .bind(by)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks a change to a playbook (items, retirement): bumps the version.
pub async fn touch(
    tx: &mut Tx,
    key: &str,
    retired: Option<bool>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query(
        "UPDATE playbooks SET retired = COALESCE($2, retired), version = version + 1, updated_by = $3, updated_at = $4 \
         WHERE playbook_key = $1",
    )
    .bind(key)
    .bind(retired.map(i64::from))
    .bind(by)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends an item at the end of its phase; returns its id.
pub async fn insert_item(tx: &mut Tx, key: &str, item: &NewPlaybookItem) -> Result<String, BackendError> {
    let (max,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(position) FROM playbook_items WHERE playbook_key = $1 AND phase = $2")
            .bind(key)
            .bind(item.phase.code())
            .fetch_one(&mut **tx)
            .await?;
    let id = new_id();
    sqlx::query(&format!("INSERT INTO playbook_items ({ITEM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        .bind(&id)
        .bind(key)
        .bind(item.phase.code())
        .bind(max.unwrap_or(0) + 1)
        .bind(&item.text)
        .bind(i64::from(item.required))
        .bind(item.owner.code())
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Rewrites an item; a phase change moves it to the end of the new phase.
pub async fn update_item(
    tx: &mut Tx,
    key: &str,
    before: &PlaybookItem,
    item: &NewPlaybookItem,
) -> Result<(), BackendError> {
    let position = if before.phase == item.phase {
        before.position
    } else {
        let (max,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(position) FROM playbook_items WHERE playbook_key = $1 AND phase = $2")
                .bind(key)
                .bind(item.phase.code())
                .fetch_one(&mut **tx)
                .await?;
        max.unwrap_or(0) + 1
    };
    sqlx::query(
        "UPDATE playbook_items SET phase = $2, position = $3, text = $4, required = $5, owner_role = $6 WHERE id = $1",
    )
    .bind(&before.id)
    .bind(item.phase.code())
    .bind(position)
    .bind(&item.text)
    .bind(i64::from(item.required))
    .bind(item.owner.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets an item's position (used to swap two neighbours).
pub async fn set_position(tx: &mut Tx, id: &str, position: i64) -> Result<(), BackendError> {
    sqlx::query("UPDATE playbook_items SET position = $2 WHERE id = $1")
        .bind(id)
        .bind(position)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_item(tx: &mut Tx, id: &str) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM playbook_items WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Installs the built-in playbooks whose key is not stored yet, each with its
/// items, in one transaction; returns the keys installed. A playbook an admin
/// changed or retired is left alone, and one is never installed twice (the
/// key's uniqueness decides, so concurrent starts are safe).
pub async fn install(
    pool: &AnyPool,
    templates: &[PlaybookTemplate],
    now: DateTime<Utc>,
) -> Result<Vec<String>, BackendError> {
    let mut tx = pool.begin().await?;
    let mut installed = Vec::new();
    for template in templates {
        let draft = PlaybookDraft {
            key: template.key.to_owned(),
            name: template.name.to_owned(),
            description: template.description.to_owned(),
            applies_to: template.applies_to.iter().map(|e| (*e).to_owned()).collect(),
        };
        if insert(&mut tx, &draft, INSTALLER, now).await? {
            for item in template_items(template) {
                insert_item(&mut tx, template.key, &item).await?;
            }
            installed.push(draft.key);
        }
    }
    tx.commit().await?;
    Ok(installed)
}
