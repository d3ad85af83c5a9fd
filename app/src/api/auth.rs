//! Server functions for signing in and out, the first run, and a user's own
//! security settings. `sign_in`, `first_run_needed`, `create_first_admin`
//! and `current_user` are the only ones that answer callers who are not
//! signed in.

use crate::domain::CurrentUser;
use crate::domain::access::NewUserForm;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where to go after signing in: only a path on this site (no open redirect).
pub fn safe_next(next: &str) -> String {
    let next = next.trim();
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.contains("://") {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(feature = "ssr")]
fn set_cookie(value: &str) {
    use axum::http::{HeaderValue, header};
    if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(value)) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// The signed-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    use crate::backend::RequestContext;
    Ok(RequestContext::public()?.user)
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    username: String,
    password: String,
    #[server(default)] code: String,
    #[server(default)] next: String,
) -> Result<CurrentUser, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::public()?;
    let signed_in = services::accounts::sign_in(&ctx, &username, &password, &code, db::now()).await?;
    set_cookie(&ctx.state.auth.session_cookie(&signed_in.token));
    super::redirect_plain_form(&safe_next(&next));
    Ok(signed_in.user)
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    services::accounts::sign_out(&ctx, db::now()).await?;
    set_cookie(&ctx.state.auth.clear_cookie());
    super::redirect_plain_form("/sign-in");
    Ok(())
}

/// Ends every session of the caller, on every device.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let ended = services::accounts::sign_out_everywhere(&ctx, db::now()).await?;
    set_cookie(&ctx.state.auth.clear_cookie());
    super::redirect_plain_form("/sign-in");
    Ok(ended)
}

/// Whether no account exists yet (the first-run page is open).
#[server(endpoint = "first_run_needed")]
pub async fn first_run_needed() -> Result<bool, AppError> {
    use crate::backend::{RequestContext, services};
    let ctx = RequestContext::public()?;
    Ok(services::accounts::needs_first_run(&ctx.state).await?)
}

#[server(endpoint = "create_first_admin")]
pub async fn create_first_admin(user: NewUserForm) -> Result<CurrentUser, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::public()?;
    let signed_in = services::accounts::first_admin(&ctx, &user, db::now()).await?;
    set_cookie(&ctx.state.auth.session_cookie(&signed_in.token));
    super::redirect_plain_form("/");
    Ok(signed_in.user)
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::change_password(&ctx, &current, &new, db::now()).await?)
}

/// What the account page shows to enrol an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    pub secret: String,
    pub uri: String,
    /// A QR code of `uri`, as SVG markup generated on the server.
    pub qr_svg: String,
}

#[server(endpoint = "begin_totp")]
pub async fn begin_totp() -> Result<TotpSetup, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    let e = services::accounts::begin_totp(&ctx, db::now()).await?;
    Ok(TotpSetup { secret: e.secret, uri: e.uri, qr_svg: e.qr_svg })
}

/// Confirms enrolment; returns the recovery codes (shown once).
#[server(endpoint = "confirm_totp")]
pub async fn confirm_totp(code: String) -> Result<Vec<String>, AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::confirm_totp(&ctx, &code, db::now()).await?)
}

#[server(endpoint = "disable_totp")]
pub async fn disable_totp(password: String) -> Result<(), AppError> {
    use crate::backend::{RequestContext, db, services};
    let ctx = RequestContext::current()?;
    Ok(services::accounts::disable_totp(&ctx, &password, db::now()).await?)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/incidents/INC-2026-0001"), "/incidents/INC-2026-0001");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
