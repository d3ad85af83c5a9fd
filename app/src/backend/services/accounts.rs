//! Accounts: sign-in with throttling and the optional second factor,
//! sessions, the first-run administrator, user administration and a user's
//! own security settings. Every change appends to the audit log.

use super::audit;
use crate::backend::auth::{self, totp};
use crate::backend::context::RequestContext;
use crate::backend::db::{self, accounts::UserRecord, new_id};
use crate::backend::error::BackendError;
use crate::backend::state::AppState;
use crate::domain::access::{Action, CurrentUser, NewUser, NewUserForm, Role, UserSummary, check_password_length};
use crate::domain::{Code, FieldErrors};
use chrono::{DateTime, Duration, Utc};

/// After this many consecutive failures an account is locked, for 30 s at
/// first and twice as long after each further failure, up to 15 minutes.
pub const ACCOUNT_FAILURES_BEFORE_LOCK: i64 = 5;
/// The same per client address, higher because offices share addresses.
pub const IP_FAILURES_BEFORE_LOCK: i64 = 20;
const FIRST_LOCK_SECONDS: i64 = 30;
const LONGEST_LOCK_SECONDS: i64 = 15 * 60;
/// A failure counter untouched this long starts again from zero.
const FAILURES_FORGOTTEN_AFTER_HOURS: i64 = 1;
/// Sessions are written back at most this often (the idle timeout is this precise).
const TOUCH_EVERY_SECONDS: i64 = 60;

pub const WRONG_CREDENTIALS: &str = "The username or password is wrong.";

/// What a successful sign-in hands to the HTTP layer: the new session token
/// (for the cookie) and the user.
pub struct SignedIn {
    pub token: String,
    pub user: CurrentUser,
}

/// The lock on `key` still running at `now`, in whole seconds.
async fn locked_for(state: &AppState, key: &str, now: DateTime<Utc>) -> Result<Option<u64>, BackendError> {
    let Some(f) = db::accounts::failures(&state.db.pool, key).await? else { return Ok(None) };
    Ok(f.locked_until.filter(|until| *until > now).map(|until| (until - now).num_seconds().max(1) as u64))
}

/// Counts a failed attempt against both the account and the client address.
async fn count_failures(
    state: &AppState,
    account_key: &str,
    ip_key: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    count_failure(state, account_key, ACCOUNT_FAILURES_BEFORE_LOCK, now).await?;
    count_failure(state, ip_key, IP_FAILURES_BEFORE_LOCK, now).await
}

async fn count_failure(state: &AppState, key: &str, threshold: i64, now: DateTime<Utc>) -> Result<(), BackendError> {
    let pool = &state.db.pool;
    let previous = db::accounts::failures(pool, key)
        .await?
        .filter(|f| now - f.updated_at < Duration::hours(FAILURES_FORGOTTEN_AFTER_HOURS))
        .map_or(0, |f| f.failures);
    let failures = previous + 1;
    let locked_until = (failures >= threshold).then(|| {
        let doublings = u32::try_from((failures - threshold).min(10)).unwrap_or(10);
        let secs = (FIRST_LOCK_SECONDS * 2_i64.pow(doublings)).min(LONGEST_LOCK_SECONDS);
        now + Duration::seconds(secs)
    });
    db::accounts::set_failures(pool, key, failures, locked_until, now).await
}

/// Signs a user in. Checks the locks first (429 with the time left), then
/// the password (argon2id, also for unknown usernames so timing tells
/// nothing), then the second factor if the user has one. Every attempt is
/// logged and audited; failures count against the account and the address.
pub async fn sign_in(
    ctx: &RequestContext,
    username: &str,
    password: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, BackendError> {
    let state = &ctx.state;
    let username = username.trim().to_lowercase();
    if username.is_empty() || password.is_empty() {
        let mut errors = FieldErrors::new();
        if username.is_empty() {
            errors.add("username", "Enter your username.");
        }
        if password.is_empty() {
            errors.add("password", "Enter your password.");
        }
        return Err(errors.into());
    }
    let account_key = format!("account:{username}");
    let ip_key = format!("ip:{}", ctx.ip);
    for key in [&account_key, &ip_key] {
        if let Some(secs) = locked_for(state, key, now).await? {
            tracing::warn!(%username, ip = %ctx.ip, lock = %key, "sign-in refused: locked");
            audit_attempt(ctx, &username, "auth.sign_in_locked", &format!("locked for {secs} s ({key})"), now).await?;
            return Err(BackendError::TooManyAttempts(secs));
        }
    }
    let user = db::accounts::user_by_username(&state.db.pool, &username).await?;
    let password_ok =
        auth::verify_password(password.to_owned(), user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match user {
        Some(u) if password_ok && !u.disabled => u,
        _ => {
            count_failures(state, &account_key, &ip_key, now).await?;
            tracing::warn!(%username, ip = %ctx.ip, "sign-in failed: wrong username or password");
            audit_attempt(ctx, &username, "auth.sign_in_failed", "wrong username or password", now).await?;
            return Err(FieldErrors::single("password", WRONG_CREDENTIALS).into());
        }
    };
    let mut tx = state.db.begin().await?;
    if let Some(secret) = &user.totp_secret {
        let code = code.trim();
        if code.is_empty() {
            return Err(FieldErrors::single(
                "code",
                "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
            )
            .into());
        }
        let unix = u64::try_from(now.timestamp()).unwrap_or(0);
        let accepted = match totp::accept(secret, code, unix, user.totp_last_step)? {
            Some(step) => db::accounts::use_totp_step(&mut tx, &user.id, step).await?,
            None => db::accounts::use_recovery_code(&mut tx, &user.id, &auth::recovery_code_hash(code), now).await?,
        };
        if !accepted {
            drop(tx);
            count_failures(state, &account_key, &ip_key, now).await?;
            tracing::warn!(%username, ip = %ctx.ip, "sign-in failed: wrong second-factor code");
            audit_attempt(ctx, &username, "auth.sign_in_failed", "wrong or reused second-factor code", now).await?;
            return Err(FieldErrors::single("code", "That code is not valid, or it was already used.").into());
        }
    }
    // A new session id at every sign-in (ASVS 7.2.4); the one the browser
    // came with, if any, ends.
    if let Some(old) = &ctx.token_hash {
        db::accounts::delete_session(&state.db.pool, old).await?;
    }
    let token = auth::new_session_token()?;
    db::accounts::insert_session(&mut tx, &auth::sha256_hex(token.as_bytes()), &user.id, now).await?;
    let signed_in = RequestContext::as_user(state.clone(), user.current_user());
    audit(&mut tx, &signed_in, "auth.sign_in", &format!("user:{}", user.username), &format!("from {}", ctx.ip), now)
        .await?;
    tx.commit().await?;
    db::accounts::clear_failures(&state.db.pool, &account_key).await?;
    tracing::info!(username = %user.username, ip = %ctx.ip, "signed in");
    Ok(SignedIn { token, user: user.current_user() })
}

/// Audits a sign-in attempt that changed nothing else.
async fn audit_attempt(
    ctx: &RequestContext,
    username: &str,
    action: &str,
    summary: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let mut tx = ctx.db().begin().await?;
    db::audit::append(
        &mut tx,
        now,
        "anonymous",
        action,
        &format!("user:{username}"),
        &format!("{summary}, from {}", ctx.ip),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The user of a session token, if the session is live: the user is
/// enabled, it was used within `idle`, and it began within `absolute`.
/// Expired sessions are deleted; live ones are touched (at most once a minute).
pub async fn resolve_session(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(CurrentUser, String)>, BackendError> {
    let hash = auth::sha256_hex(token.as_bytes());
    let Some(session) = db::accounts::session(&state.db.pool, &hash).await? else { return Ok(None) };
    let expired = now - session.last_seen_at > state.auth.idle_timeout
        || now - session.created_at > state.auth.absolute_timeout
        || session.user.disabled;
    if expired {
        db::accounts::delete_session(&state.db.pool, &hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > Duration::seconds(TOUCH_EVERY_SECONDS) {
        db::accounts::touch_session(&state.db.pool, &hash, now).await?;
    }
    Ok(Some((session.user.current_user(), hash)))
}

pub async fn sign_out(ctx: &RequestContext, now: DateTime<Utc>) -> Result<(), BackendError> {
    let user = ctx.user()?.clone();
    if let Some(hash) = &ctx.token_hash {
        db::accounts::delete_session(&ctx.db().pool, hash).await?;
    }
    let mut tx = ctx.db().begin().await?;
    audit(&mut tx, ctx, "auth.sign_out", &format!("user:{}", user.username), "signed out", now).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the caller, this one included.
pub async fn sign_out_everywhere(ctx: &RequestContext, now: DateTime<Utc>) -> Result<u64, BackendError> {
    let user = ctx.user()?.clone();
    let mut tx = ctx.db().begin().await?;
    let ended = db::accounts::delete_sessions_of(&mut tx, &user.id).await?;
    audit(
        &mut tx,
        ctx,
        "auth.sign_out_everywhere",
        &format!("user:{}", user.username),
        &format!("{ended} sessions ended"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// Checks a new password against the length rules and the common list.
fn check_new_password(password: &str, field: &str) -> Result<(), BackendError> {
    check_password_length(password).map_err(|e| FieldErrors::single(field, e))?;
    if auth::is_common_password(password) {
        return Err(FieldErrors::single(
            field,
            "This password is on the list of the most common passwords. Choose another (a few unrelated words work well).",
        )
        .into());
    }
    Ok(())
}

async fn insert_user(ctx: &RequestContext, new: NewUser, now: DateTime<Utc>) -> Result<UserSummary, BackendError> {
    check_new_password(&new.password, "password")?;
    let hash = auth::hash_password(new.password.clone()).await?;
    let mut tx = ctx.db().begin().await?;
    let id = new_id();
    if !db::accounts::insert_user(&mut tx, &id, &new.username, &new.display_name, new.role, &hash, now).await? {
        return Err(FieldErrors::single("username", "This username is taken.").into());
    }
    db::accounts::claim_first_run(&mut tx, now).await?;
    audit(
        &mut tx,
        ctx,
        "user.created",
        &format!("user:{}", new.username),
        &format!("{} created as {}", new.display_name, new.role.label()),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(username = %new.username, role = %new.role.code(), "user created");
    Ok(UserSummary {
        id,
        username: new.username,
        display_name: new.display_name,
        role: new.role,
        disabled: false,
        totp_enabled: false,
    })
}

/// Whether the first-run page may still create the first administrator.
pub async fn needs_first_run(state: &AppState) -> Result<bool, BackendError> {
    Ok(db::accounts::count_users(&state.db.pool).await? == 0)
}

/// Creates the first administrator and signs them in; refused (409) once
/// any user exists.
pub async fn first_admin(
    ctx: &RequestContext,
    form: &NewUserForm,
    now: DateTime<Utc>,
) -> Result<SignedIn, BackendError> {
    if !needs_first_run(&ctx.state).await? {
        return Err(BackendError::Conflict("Firebreak is already set up. Sign in instead.".into()));
    }
    let new = form.parse(Some(Role::Admin))?;
    check_new_password(&new.password, "password")?;
    let hash = auth::hash_password(new.password.clone()).await?;
    let mut tx = ctx.db().begin().await?;
    // The primary key of `first_run` lets only one of two racing requests through.
    if !db::accounts::claim_first_run(&mut tx, now).await? {
        return Err(BackendError::Conflict("Firebreak is already set up. Sign in instead.".into()));
    }
    let id = new_id();
    if !db::accounts::insert_user(&mut tx, &id, &new.username, &new.display_name, Role::Admin, &hash, now).await? {
        return Err(BackendError::Conflict("Firebreak is already set up. Sign in instead.".into()));
    }
    let user = CurrentUser {
        id: id.clone(),
        username: new.username.clone(),
        display_name: new.display_name.clone(),
        role: Role::Admin,
        totp_enabled: false,
    };
    let token = auth::new_session_token()?;
    db::accounts::insert_session(&mut tx, &auth::sha256_hex(token.as_bytes()), &id, now).await?;
    let acting = RequestContext::as_user(ctx.state.clone(), user.clone());
    audit(
        &mut tx,
        &acting,
        "user.created",
        &format!("user:{}", new.username),
        "first administrator, on the first-run page",
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(username = %new.username, "first administrator created");
    Ok(SignedIn { token, user })
}

/// An admin (or the command line) creates an account.
pub async fn create_user(
    ctx: &RequestContext,
    form: &NewUserForm,
    now: DateTime<Utc>,
) -> Result<UserSummary, BackendError> {
    ctx.require(Action::ManageUsers)?;
    insert_user(ctx, form.parse(None)?, now).await
}

pub async fn list_users(ctx: &RequestContext) -> Result<Vec<UserSummary>, BackendError> {
    ctx.require(Action::ManageUsers)?;
    Ok(db::accounts::list_users(&ctx.db().pool).await?.iter().map(UserRecord::summary).collect())
}

/// An admin sets a new password for a user; their sessions end.
pub async fn reset_password(
    ctx: &RequestContext,
    user_id: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    ctx.require(Action::ManageUsers)?;
    check_new_password(password, "password")?;
    let hash = auth::hash_password(password.to_owned()).await?;
    let mut tx = ctx.db().begin().await?;
    let user = db::accounts::lock_user(&mut tx, user_id).await?;
    db::accounts::set_password_hash(&mut tx, &user.id, &hash, now).await?;
    let ended = db::accounts::delete_sessions_of(&mut tx, &user.id).await?;
    audit(
        &mut tx,
        ctx,
        "user.password_reset",
        &format!("user:{}", user.username),
        &format!("{ended} sessions ended"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses a change that would leave no enabled administrator.
async fn keep_an_admin(tx: &mut db::Tx, user: &UserRecord) -> Result<(), BackendError> {
    if user.role == Role::Admin && !user.disabled && db::accounts::count_enabled_admins(tx).await? <= 1 {
        return Err(BackendError::Conflict(
            "This is the last enabled administrator; make someone else admin first.".into(),
        ));
    }
    Ok(())
}

/// Disables (ending every session) or re-enables an account.
pub async fn set_disabled(
    ctx: &RequestContext,
    user_id: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<UserSummary, BackendError> {
    ctx.require(Action::ManageUsers)?;
    let mut tx = ctx.db().begin().await?;
    let mut user = db::accounts::lock_user(&mut tx, user_id).await?;
    if user.disabled == disabled {
        return Ok(user.summary());
    }
    if disabled {
        keep_an_admin(&mut tx, &user).await?;
    }
    db::accounts::set_disabled(&mut tx, &user.id, disabled, now).await?;
    let ended = if disabled { db::accounts::delete_sessions_of(&mut tx, &user.id).await? } else { 0 };
    let (action, summary) = if disabled {
        ("user.disabled", format!("disabled; {ended} sessions ended"))
    } else {
        ("user.enabled", "enabled".to_owned())
    };
    audit(&mut tx, ctx, action, &format!("user:{}", user.username), &summary, now).await?;
    tx.commit().await?;
    user.disabled = disabled;
    Ok(user.summary())
}

pub async fn set_role(
    ctx: &RequestContext,
    user_id: &str,
    role: &str,
    now: DateTime<Utc>,
) -> Result<UserSummary, BackendError> {
    ctx.require(Action::ManageUsers)?;
    let role =
        Role::from_code(role.trim()).ok_or_else(|| FieldErrors::single("role", "Choose a role from the list."))?;
    let mut tx = ctx.db().begin().await?;
    let mut user = db::accounts::lock_user(&mut tx, user_id).await?;
    if user.role == role {
        return Ok(user.summary());
    }
    if role != Role::Admin {
        keep_an_admin(&mut tx, &user).await?;
    }
    db::accounts::set_role(&mut tx, &user.id, role, now).await?;
    let summary = format!("role changed from {} to {}", user.role.label(), role.label());
    audit(&mut tx, ctx, "user.role_changed", &format!("user:{}", user.username), &summary, now).await?;
    tx.commit().await?;
    user.role = role;
    Ok(user.summary())
}

/// A user changes their own password; their other sessions end.
pub async fn change_password(
    ctx: &RequestContext,
    current: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), BackendError> {
    let me = ctx.user()?.clone();
    let record = db::accounts::user_by_id(&ctx.db().pool, &me.id).await?.ok_or(BackendError::Unauthorized)?;
    if !auth::verify_password(current.to_owned(), Some(record.password_hash.clone())).await? {
        return Err(FieldErrors::single("current", "This is not your current password.").into());
    }
    check_new_password(new, "new")?;
    let hash = auth::hash_password(new.to_owned()).await?;
    let mut tx = ctx.db().begin().await?;
    db::accounts::set_password_hash(&mut tx, &me.id, &hash, now).await?;
    // Every other session ends; the one the change was made from stays.
    let others = db::accounts::delete_other_sessions(&mut tx, &me.id, ctx.token_hash.as_deref().unwrap_or("")).await?;
    audit(
        &mut tx,
        ctx,
        "user.password_changed",
        &format!("user:{}", me.username),
        &format!("{others} other sessions ended"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The enrolment secret, as text and as a QR code.
pub struct TotpEnrolment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// Starts TOTP enrolment: a new secret waits for confirmation with a code.
pub async fn begin_totp(ctx: &RequestContext, now: DateTime<Utc>) -> Result<TotpEnrolment, BackendError> {
    let me = ctx.user()?.clone();
    let secret = totp::new_secret()?;
    let mut tx = ctx.db().begin().await?;
    let user = db::accounts::lock_user(&mut tx, &me.id).await?;
    if user.totp_secret.is_some() {
        return Err(BackendError::Conflict("Two-step sign-in is already on. Turn it off first to enrol again.".into()));
    }
    db::accounts::set_totp(&mut tx, &me.id, None, Some(&secret), now).await?;
    tx.commit().await?;
    let uri = totp::uri(&secret, &me.username);
    let qr_svg = totp::qr_svg(&uri)?;
    Ok(TotpEnrolment { secret, uri, qr_svg })
}

/// Confirms enrolment with a code from the app; returns the recovery codes,
/// shown once.
pub async fn confirm_totp(ctx: &RequestContext, code: &str, now: DateTime<Utc>) -> Result<Vec<String>, BackendError> {
    let me = ctx.user()?.clone();
    let mut tx = ctx.db().begin().await?;
    let user = db::accounts::lock_user(&mut tx, &me.id).await?;
    let Some(pending) = user.totp_pending.clone() else {
        return Err(BackendError::Conflict("Start enrolment first.".into()));
    };
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    let Some(step) = totp::accept(&pending, code, unix, user.totp_last_step)? else {
        return Err(FieldErrors::single(
            "code",
            "That code does not match. Check the time on your phone and try the next code.",
        )
        .into());
    };
    db::accounts::set_totp(&mut tx, &me.id, Some(&pending), None, now).await?;
    db::accounts::use_totp_step(&mut tx, &me.id, step).await?;
    let codes = auth::new_recovery_codes()?;
    let hashes: Vec<String> = codes.iter().map(|c| auth::recovery_code_hash(c)).collect();
    db::accounts::replace_recovery_codes(&mut tx, &me.id, &hashes).await?;
    audit(&mut tx, ctx, "user.totp_enabled", &format!("user:{}", me.username), "two-step sign-in turned on", now)
        .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns the second factor off, after checking the password.
pub async fn disable_totp(ctx: &RequestContext, password: &str, now: DateTime<Utc>) -> Result<(), BackendError> {
    let me = ctx.user()?.clone();
    let record = db::accounts::user_by_id(&ctx.db().pool, &me.id).await?.ok_or(BackendError::Unauthorized)?;
    if !auth::verify_password(password.to_owned(), Some(record.password_hash.clone())).await? {
        return Err(FieldErrors::single("password", "This is not your current password.").into());
    }
    let mut tx = ctx.db().begin().await?;
    db::accounts::set_totp(&mut tx, &me.id, None, None, now).await?;
    db::accounts::replace_recovery_codes(&mut tx, &me.id, &[]).await?;
    audit(&mut tx, ctx, "user.totp_disabled", &format!("user:{}", me.username), "two-step sign-in turned off", now)
        .await?;
    tx.commit().await?;
    Ok(())
}
