//! The database layer, the only place with SQL.
//!
//! One code path serves SQLite and PostgreSQL through sqlx's `Any` driver with
//! portable SQL: `$n` placeholders (which SQLite also accepts), TEXT ids (UUIDv7),
//! TEXT timestamps in one fixed-width UTC format (so they sort as text), and
//! BIGINT integers. Each backend has its own migration folder because DDL
//! details (triggers) differ; the schemas are kept equivalent.

pub mod accounts;
pub mod audit;
pub mod checklists;
pub mod evidence;
pub mod incidents;
pub mod indicators;
pub mod lessons;
pub mod playbooks;
pub mod preparation;
pub mod regulatory;
pub mod scope;
pub mod team;
pub mod timeline;
pub mod updates;

use super::error::BackendError;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type Tx = Transaction<'static, Any>;

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool plus the backend it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Adds `mode=rwc` to a SQLite URL so that the file is created on first start,
/// and creates its folder.
fn prepare_sqlite_url(url: &str) -> Result<String, BackendError> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    let path = rest.split('?').next().unwrap_or_default();
    if !path.is_empty()
        && path != ":memory:"
        && let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| BackendError::unexpected(format!("cannot create {}: {e}", parent.display())))?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, BackendError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            (Backend::Sqlite, prepare_sqlite_url(url)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(BackendError::unexpected("database URL must start with sqlite: or postgres://"));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the single writer;
                        // synchronous=FULL makes every commit durable before it
                        // is acknowledged; writers wait for each other up to 10 s.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, backend })
    }

    /// Applies pending migrations for this backend, then installs the
    /// built-in playbooks not stored yet (see [`playbooks::install`]).
    pub async fn migrate(&self) -> Result<(), BackendError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
        }
        let installed = playbooks::install(&self.pool, crate::domain::playbook::DEFAULT_PLAYBOOKS, now()).await?;
        if !installed.is_empty() {
            tracing::info!(playbooks = %installed.join(", "), "built-in playbooks installed");
        }
        Ok(())
    }

    pub async fn begin(&self) -> Result<Tx, BackendError> {
        Ok(self.pool.begin().await?)
    }
}

/// The one text format of stored timestamps: fixed width, UTC, microseconds.
pub fn to_db_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn opt_to_db_time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(to_db_time)
}

pub fn from_db_time(s: &str) -> Result<DateTime<Utc>, BackendError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| BackendError::unexpected(format!("bad stored time {s:?}: {e}")))
}

pub fn opt_from_db_time(s: Option<&str>) -> Result<Option<DateTime<Utc>>, BackendError> {
    s.map(from_db_time).transpose()
}

/// The current time at the precision the database keeps, so that values
/// read back compare equal to the ones written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Parses a stored enum code, treating an unknown one as corruption.
pub fn from_code<T: crate::domain::Code>(s: &str) -> Result<T, BackendError> {
    T::from_code(s).ok_or_else(|| BackendError::unexpected(format!("unknown stored code {s:?}")))
}
