//! Users, sessions, recovery codes, sign-in failure counters and the
//! first-run guard.

use super::{Tx, from_code, from_db_time, to_db_time};
use crate::backend::error::BackendError;
use crate::domain::Code;
use crate::domain::access::{Role, UserSummary};
use chrono::{DateTime, Utc};
use sqlx::{AnyPool, FromRow};

/// A user as stored, with credentials. Never sent to the browser.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_last_step: i64,
}

impl UserRecord {
    /// The user as the rest of the app sees them (no credentials).
    pub fn current_user(&self) -> crate::domain::CurrentUser {
        crate::domain::CurrentUser {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            totp_enabled: self.totp_secret.is_some(),
        }
    }

    pub fn summary(&self) -> UserSummary {
        UserSummary {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            disabled: self.disabled,
            totp_enabled: self.totp_secret.is_some(),
        }
    }
}

#[derive(FromRow)]
struct UserRow {
    id: String,
    username: String,
    display_name: String,
    role: String,
    password_hash: String,
    disabled: i64,
    totp_secret: Option<String>,
    totp_pending: Option<String>,
    totp_last_step: i64,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = BackendError;
    fn try_from(r: UserRow) -> Result<Self, BackendError> {
        Ok(UserRecord {
            role: from_code(&r.role)?,
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            password_hash: r.password_hash,
            disabled: r.disabled != 0,
            totp_secret: r.totp_secret,
            totp_pending: r.totp_pending,
            totp_last_step: r.totp_last_step,
        })
    }
}

const USER_COLUMNS: &str =
    "id, username, display_name, role, password_hash, disabled, totp_secret, totp_pending, totp_last_step";

pub async fn insert_user(
    tx: &mut Tx,
    id: &str,
    username: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, BackendError> {
    // The unique username decides, so two simultaneous creations cannot both succeed.
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, display_name, role, password_hash, disabled, totp_last_step, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, 0, $6, $6) ON CONFLICT (username) DO NOTHING",
    )
    .bind(id)
    .bind(username)
    .bind(display_name)
    .bind(role.code())
    .bind(password_hash)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

pub async fn user_by_username(pool: &AnyPool, username: &str) -> Result<Option<UserRecord>, BackendError> {
    let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(pool)
        .await?;
    row.map(UserRecord::try_from).transpose()
}

/// Reads and row-locks a user (the no-op update is the portable lock).
pub async fn lock_user(tx: &mut Tx, id: &str) -> Result<UserRecord, BackendError> {
    let n = sqlx::query("UPDATE users SET id = id WHERE id = $1").bind(id).execute(&mut **tx).await?.rows_affected();
    if n == 0 {
        return Err(BackendError::NotFound);
    }
    let row: UserRow = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    row.try_into()
}

pub async fn user_by_id(pool: &AnyPool, id: &str) -> Result<Option<UserRecord>, BackendError> {
    let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(UserRecord::try_from).transpose()
}

pub async fn list_users(pool: &AnyPool) -> Result<Vec<UserRecord>, BackendError> {
    let rows: Vec<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY display_name, username"))
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(UserRecord::try_from).collect()
}

pub async fn count_users(pool: &AnyPool) -> Result<i64, BackendError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(pool).await?;
    Ok(n)
}

pub async fn set_password_hash(tx: &mut Tx, id: &str, hash: &str, now: DateTime<Utc>) -> Result<(), BackendError> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(to_db_time(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_disabled(tx: &mut Tx, id: &str, disabled: bool, now: DateTime<Utc>) -> Result<(), BackendError> {
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(to_db_time(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_role(tx: &mut Tx, id: &str, role: Role, now: DateTime<Utc>) -> Result<(), BackendError> {
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.code())
        .bind(to_db_time(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many enabled admins there are (the last one cannot be demoted or disabled).
pub async fn count_enabled_admins(tx: &mut Tx) -> Result<i64, BackendError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0").fetch_one(&mut **tx).await?;
    Ok(n)
}

pub async fn set_totp(
    tx: &mut Tx,
    id: &str,
    secret: Option<&str>,
    pending: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_pending = $2, updated_at = $3 WHERE id = $4")
        .bind(secret.map(str::to_owned))
        .bind(pending.map(str::to_owned))
        .bind(to_db_time(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the step a TOTP code was used for, if it is newer than the last:
/// false means the code was already used (by a concurrent sign-in too).
pub async fn use_totp_step(tx: &mut Tx, id: &str, step: i64) -> Result<bool, BackendError> {
    let n = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
        .bind(step)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

pub async fn replace_recovery_codes(tx: &mut Tx, user_id: &str, hashes: &[String]) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (id, user_id, code_hash) VALUES ($1, $2, $3)")
            .bind(super::new_id())
            .bind(user_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Marks an unused recovery code used; false if there is none with that hash.
pub async fn use_recovery_code(
    tx: &mut Tx,
    user_id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, BackendError> {
    let n =
        sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(to_db_time(now))
            .bind(user_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(n == 1)
}

// ---------------------------------------------------------------- sessions

pub async fn insert_session(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(to_db_time(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A live session and its user.
pub struct SessionRecord {
    pub user: UserRecord,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct SessionUserRow {
    created_at: String,
    last_seen_at: String,
    #[sqlx(flatten)]
    user: UserRow,
}

pub async fn session(pool: &AnyPool, token_hash: &str) -> Result<Option<SessionRecord>, BackendError> {
    let row: Option<SessionUserRow> = sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, \
         u.totp_secret, u.totp_pending, u.totp_last_step \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(SessionRecord {
            created_at: from_db_time(&r.created_at)?,
            last_seen_at: from_db_time(&r.last_seen_at)?,
            user: r.user.try_into()?,
        })
    })
    .transpose()
}

pub async fn touch_session(pool: &AnyPool, token_hash: &str, now: DateTime<Utc>) -> Result<(), BackendError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(to_db_time(now))
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_session(pool: &AnyPool, token_hash: &str) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// Ends every session of a user; returns how many there were.
pub async fn delete_sessions_of(tx: &mut Tx, user_id: &str) -> Result<u64, BackendError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?.rows_affected())
}

/// Ends every session of a user but `keep`.
pub async fn delete_other_sessions(tx: &mut Tx, user_id: &str, keep: &str) -> Result<u64, BackendError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Removes sessions past either timeout.
pub async fn delete_expired_sessions(
    pool: &AnyPool,
    idle_before: DateTime<Utc>,
    created_before: DateTime<Utc>,
) -> Result<u64, BackendError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(to_db_time(idle_before))
        .bind(to_db_time(created_before))
        .execute(pool)
        .await?
        .rows_affected())
}

// ------------------------------------------------------ sign-in failures

/// The failure counter of one key.
pub struct Failures {
    pub failures: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

pub async fn failures(pool: &AnyPool, key: &str) -> Result<Option<Failures>, BackendError> {
    let row: Option<(i64, Option<String>, String)> =
        sqlx::query_as("SELECT failures, locked_until, updated_at FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?;
    row.map(|(failures, locked, updated)| {
        Ok(Failures {
            failures,
            locked_until: super::opt_from_db_time(locked.as_deref())?,
            updated_at: from_db_time(&updated)?,
        })
    })
    .transpose()
}

pub async fn set_failures(
    pool: &AnyPool,
    key: &str,
    failures: i64,
    locked_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO sign_in_failures (key, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET failures = $2, locked_until = $3, updated_at = $4",
    )
    .bind(key)
    .bind(failures)
    .bind(super::opt_to_db_time(locked_until))
    .bind(to_db_time(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear_failures(pool: &AnyPool, key: &str) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1").bind(key).execute(pool).await?;
    Ok(())
}

/// Claims the first run; false if it was already done.
pub async fn claim_first_run(tx: &mut Tx, now: DateTime<Utc>) -> Result<bool, BackendError> {
    let n = sqlx::query("INSERT INTO first_run (id, done_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .bind(to_db_time(now))
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

// --------------------------------------------------------- memberships

/// Whether the user is a member of the incident (on the pool or in a transaction).
pub async fn is_member(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    incident_id: &str,
    user_id: &str,
) -> Result<bool, BackendError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM incident_members WHERE incident_id = $1 AND user_id = $2")
        .bind(incident_id)
        .bind(user_id)
        .fetch_one(executor)
        .await?;
    Ok(n > 0)
}

/// Adds a member; false if they already were one.
pub async fn add_member(
    tx: &mut Tx,
    incident_id: &str,
    user_id: &str,
    added_by: &str,
    now: DateTime<Utc>,
) -> Result<bool, BackendError> {
    let n = sqlx::query(
        "INSERT INTO incident_members (incident_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (incident_id, user_id) DO NOTHING",
    )
    .bind(incident_id)
    .bind(user_id)
    .bind(added_by)
    .bind(to_db_time(now))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn remove_member(tx: &mut Tx, incident_id: &str, user_id: &str) -> Result<bool, BackendError> {
    let n = sqlx::query("DELETE FROM incident_members WHERE incident_id = $1 AND user_id = $2")
        .bind(incident_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// An incident's members as (user id, display name, username), by name.
pub async fn members(pool: &AnyPool, incident_id: &str) -> Result<Vec<(String, String, String)>, BackendError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name, u.username FROM incident_members m JOIN users u ON u.id = m.user_id \
         WHERE m.incident_id = $1 ORDER BY u.display_name",
    )
    .bind(incident_id)
    .fetch_all(pool)
    .await?)
}

pub async fn set_restricted(tx: &mut Tx, incident_id: &str, restricted: bool) -> Result<(), BackendError> {
    sqlx::query("UPDATE incidents SET restricted = $1 WHERE id = $2")
        .bind(i64::from(restricted))
        .bind(incident_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
