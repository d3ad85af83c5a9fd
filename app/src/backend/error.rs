//! Errors of the server side, and their one-way mapping to the client-safe
//! [`AppError`]: unexpected errors are logged in full with a reference id and
//! only that id reaches the browser.

use crate::domain::FieldErrors;
use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("not signed in")]
    Unauthorized,
    #[error("too many failed attempts; retry after {0} s")]
    TooManyAttempts(u64),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("validation: {0}")]
    Validation(FieldErrors),
    #[error("phase gate: required items open: {0:?}")]
    PhaseGate(Vec<String>),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl BackendError {
    pub fn unexpected(what: impl std::fmt::Display) -> Self {
        BackendError::Unexpected(what.to_string())
    }
}

impl From<FieldErrors> for BackendError {
    fn from(e: FieldErrors) -> Self {
        BackendError::Validation(e)
    }
}

impl From<BackendError> for AppError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::Unauthorized => AppError::Unauthorized,
            BackendError::TooManyAttempts(retry_after_secs) => AppError::TooManyAttempts { retry_after_secs },
            BackendError::NotFound => AppError::NotFound,
            BackendError::Forbidden => AppError::Forbidden,
            BackendError::Conflict(msg) => AppError::Conflict(msg),
            BackendError::Validation(fields) => AppError::Validation(fields),
            BackendError::PhaseGate(open_items) => AppError::PhaseGate { open_items },
            other => {
                let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
                tracing::error!(%reference, error = %other, "unexpected error");
                AppError::Internal { reference }
            }
        }
    }
}
