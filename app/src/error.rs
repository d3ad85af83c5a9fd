//! The one error type that crosses the wire. It carries nothing internal: an
//! unexpected failure is logged on the server and the browser gets only a
//! reference id to quote.

use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Errors a server function can return. Each variant documents its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 401: the caller is not signed in.
    #[error("Please sign in.")]
    Unauthorized,
    /// 403: the caller may not do this.
    #[error("You are not allowed to do this.")]
    Forbidden,
    /// 404: no such record (or one the caller may not know exists).
    #[error("Not found.")]
    NotFound,
    /// 422: the input is invalid; one message per field.
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    /// 409: the record changed since the caller read it, or the move is not
    /// allowed from its current state.
    #[error("{0}")]
    Conflict(String),
    /// 409: a forward phase move was refused because these required
    /// checklist items of the current phase are still open.
    #[error("Required items of this phase are still open: {}. Complete them, or override with a reason.", .open_items.join("; "))]
    PhaseGate { open_items: Vec<String> },
    /// 429: too many failed sign-ins; try again after this many seconds.
    #[error("Too many failed attempts. Try again in {}.", wait_text(*.retry_after_secs))]
    TooManyAttempts { retry_after_secs: u64 },
    /// 400: the request itself was malformed (not a form a page sends).
    #[error("The request was malformed.")]
    BadRequest,
    /// 500: something unexpected; details are in the server log under `reference`.
    #[error("Something went wrong on our side. Quote reference {reference} when reporting it.")]
    Internal { reference: String },
}

/// The message shown when an edit loses an optimistic-concurrency race.
pub const STALE_EDIT_MESSAGE: &str = "This incident was changed by someone else after you opened it. Reload the page to see their changes, then try again.";

/// The message shown when a stakeholder update changed since the caller read it.
pub const STALE_UPDATE_MESSAGE: &str = "This update was changed by someone else after you opened it. Reload the page to see the current text, then try again.";

fn wait_text(secs: u64) -> String {
    match secs {
        0..=1 => "a second".into(),
        2..=59 => format!("{secs} seconds"),
        60..=119 => "a minute".into(),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

impl AppError {
    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::PhaseGate { .. } => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::BadRequest => 400,
            AppError::Internal { .. } => 500,
        }
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(FieldErrors::single(field, message))
    }

    /// The message for one form field, if this is a validation error about it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.get(name).map(str::to_owned),
            _ => None,
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Validation(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Framework errors: argument decoding failures are the caller's fault
    /// (400); anything else is reported as internal without its text, which
    /// can describe server internals.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::Internal { reference: "network".into() }
            }
            _ => AppError::Internal { reference: "framework".into() },
        }
    }
}
