//! Signing in and out: messages, throttling, sessions and their timeouts,
//! the second factor, and password rules.

use crate::helpers::{PASSWORD, TestApp, session_cookie};
use app::backend::auth::totp;
use app::backend::db;
use app::domain::access::Role;
use app::error::AppError;
use http::StatusCode;

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_gets_a_clear_message_and_no_session() {
    let app = TestApp::spawn().await;
    app.create_user("ann", Role::Responder).await;
    for (username, password) in [("ann", "not her password"), ("nobody", "whatever it is")] {
        let (status, headers, body) =
            app.call_full(None, "sign_in", &[("username", username), ("password", password)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_of(&body).field("password").as_deref(), Some("The username or password is wrong."));
        assert!(session_cookie(&headers).is_none());
    }
    let (status, body) = app.call_as(None, "sign_in", &[("username", ""), ("password", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = error_of(&body);
    assert!(e.field("username").is_some() && e.field("password").is_some());
    // Usernames are not case-sensitive.
    let (status, headers, _) = app.call_full(None, "sign_in", &[("username", " ANN "), ("password", PASSWORD)]).await;
    assert!(status.is_redirection() || status.is_success());
    let set_cookie: Vec<_> = headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(set_cookie.iter().any(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/")));
    // The token is 256 bits of hex; the database holds only its hash.
    let cookie = session_cookie(&headers).unwrap();
    let token = cookie.split_once('=').unwrap().1;
    assert_eq!(token.len(), 64);
    let stored: Vec<(String,)> =
        sqlx::query_as("SELECT token_hash FROM sessions").fetch_all(&app.state.db.pool).await.unwrap();
    assert!(stored.iter().all(|(h,)| h != token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account_with_429_and_retry_after() {
    let app = TestApp::spawn().await;
    app.create_user("bob", Role::Responder).await;
    for _ in 0..5 {
        let (status, _) = app.call_as(None, "sign_in", &[("username", "bob"), ("password", "guess guess guess")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Locked now: even the right password is refused until the lock ends.
    let (status, headers, body) = app.call_full(None, "sign_in", &[("username", "bob"), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    assert!(error_of(&body).to_string().contains("Too many failed attempts"));
    // Another account is not affected.
    assert!(!app.sign_in("admin").await.is_empty());
    // Every attempt is in the audit log.
    let audit = db::audit::search(&app.state.db.pool, &Default::default(), 100).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "auth.sign_in_failed" && a.object == "user:bob").count(), 5);
    assert!(audit.iter().any(|a| a.action == "auth.sign_in_locked"));
    // Once the lock has passed, the right password works and clears the count.
    sqlx::query("UPDATE sign_in_failures SET locked_until = $1")
        .bind(db::to_db_time(db::now() - chrono::Duration::seconds(1)))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert!(!app.sign_in("bob").await.is_empty());
    let left = db::accounts::failures(&app.state.db.pool, "account:bob").await.unwrap();
    assert!(left.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_on_sign_out_everywhere_disable_and_timeouts() {
    let app = TestApp::spawn().await;
    let carol = app.create_user("carol", Role::Commander).await;
    let laptop = app.sign_in("carol").await;
    let phone = app.sign_in("carol").await;
    assert_ne!(laptop, phone, "each sign-in gets a new session id");
    for c in [&laptop, &phone] {
        assert_eq!(app.call_as(Some(c), "board", &[]).await.0, StatusCode::OK);
    }
    // Sign out ends this session only.
    let (status, headers, _) = app.call_full(Some(&laptop), "sign_out", &[]).await;
    assert!(status.is_success() || status.is_redirection());
    assert!(headers.get_all("set-cookie").iter().any(|v| v.to_str().unwrap().contains("Max-Age=0")));
    assert_eq!(app.call_as(Some(&laptop), "board", &[]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call_as(Some(&phone), "board", &[]).await.0, StatusCode::OK);
    // Sign out everywhere ends them all.
    let tablet = app.sign_in("carol").await;
    app.call_as(Some(&tablet), "sign_out_everywhere", &[]).await;
    assert_eq!(app.call_as(Some(&phone), "board", &[]).await.0, StatusCode::UNAUTHORIZED);
    // Disabling a user ends their sessions and stops new ones.
    let desk = app.sign_in("carol").await;
    let (status, body) = app.call("set_user_disabled", &[("user_id", &carol.id), ("disabled", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call_as(Some(&desk), "board", &[]).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = app.call_as(None, "sign_in", &[("username", "carol"), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.call("set_user_disabled", &[("user_id", &carol.id), ("disabled", "false")]).await;

    // Idle timeout (30 minutes) and absolute timeout (12 hours).
    let idle = app.sign_in("carol").await;
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(db::to_db_time(db::now() - chrono::Duration::minutes(31)))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(app.call_as(Some(&idle), "board", &[]).await.0, StatusCode::UNAUTHORIZED);
    let old = app.sign_in("carol").await;
    sqlx::query("UPDATE sessions SET created_at = $1")
        .bind(db::to_db_time(db::now() - chrono::Duration::hours(13)))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(app.call_as(Some(&old), "board", &[]).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_admin_cannot_be_demoted_or_disabled() {
    let app = TestApp::spawn().await;
    let admin = db::accounts::user_by_username(&app.state.db.pool, "admin").await.unwrap().unwrap();
    let (status, _) = app.call("set_user_role", &[("user_id", &admin.id), ("role", "manager")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app.call("set_user_disabled", &[("user_id", &admin.id), ("disabled", "true")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_follow_length_rules_and_refuse_common_ones() {
    let app = TestApp::spawn().await;
    let user = |name: &str, pw: &str| {
        vec![
            ("user[username]", name.to_owned()),
            ("user[display_name]", name.to_owned()),
            ("user[role]", "staff".to_owned()),
            ("user[password]", pw.to_owned()),
        ]
    };
    let app = &app;
    let call = |form: Vec<(&'static str, String)>| async move {
        let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.call("create_user", &f).await
    };
    let (status, body) = call(user("short", "seven77")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&body).field("password").unwrap().contains("at least 8"));
    let (status, body) = call(user("common", "iloveyou2")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(error_of(&body).field("password").unwrap().contains("common"));
    let long = "a sentence that is much longer than sixty-four characters, spaces and all!";
    assert!(long.len() > 64);
    let (status, body) = call(user("longpw", long)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.call_as(None, "sign_in", &[("username", "longpw"), ("password", long)]).await;
    assert!(status.is_success() || status.is_redirection());
    let (status, body) = call(user("longpw", PASSWORD)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&body).field("username").unwrap().contains("taken"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_codes_work_once_and_recovery_codes_replace_them() {
    let app = TestApp::spawn().await;
    app.create_user("dana", Role::Responder).await;
    let cookie = app.sign_in("dana").await;
    let (status, body) = app.call_as(Some(&cookie), "begin_totp", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let setup: serde_json::Value = serde_json::from_str(&body).unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(setup["uri"].as_str().unwrap().starts_with("otpauth://totp/Firebreak:dana?secret="));
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));
    // A wrong code does not turn it on.
    let (status, _) = app.call_as(Some(&cookie), "confirm_totp", &[("code", "000000")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = totp::code_at(&secret, now).unwrap();
    let (status, body) = app.call_as(Some(&cookie), "confirm_totp", &[("code", &code)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let recovery: Vec<String> = serde_json::from_str(&body).unwrap();
    assert_eq!(recovery.len(), 10);

    // The password alone is no longer enough.
    let (status, body) = app.call_as(None, "sign_in", &[("username", "dana"), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&body).field("code").is_some());
    // The code used to confirm cannot be used again.
    let (status, _) =
        app.call_as(None, "sign_in", &[("username", "dana"), ("password", PASSWORD), ("code", &code)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a code works once");
    // The next step's code works, once.
    let next = totp::code_at(&secret, now + 30).unwrap();
    let (status, headers, body) =
        app.call_full(None, "sign_in", &[("username", "dana"), ("password", PASSWORD), ("code", &next)]).await;
    assert!(status.is_success() || status.is_redirection(), "{status} {body}");
    assert!(session_cookie(&headers).is_some());
    let (status, _) =
        app.call_as(None, "sign_in", &[("username", "dana"), ("password", PASSWORD), ("code", &next)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A recovery code works once, typed loosely.
    let loose = recovery[0].to_uppercase().replace('-', " ");
    let (status, _) =
        app.call_as(None, "sign_in", &[("username", "dana"), ("password", PASSWORD), ("code", &loose)]).await;
    assert!(status.is_success() || status.is_redirection());
    let (status, _) =
        app.call_as(None, "sign_in", &[("username", "dana"), ("password", PASSWORD), ("code", &recovery[0])]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_form_sign_in_redirects_to_next_but_never_off_site() {
    let app = TestApp::spawn().await;
    for (next, expected) in [("/indicators?kind=ip", "/indicators?kind=ip"), ("https://evil.example/", "/")] {
        let body = format!(
            "username=admin&password={}&next={}",
            PASSWORD.replace(' ', "+"),
            next.replace(':', "%3A").replace('/', "%2F").replace('?', "%3F").replace('=', "%3D")
        );
        let req = http::Request::post("/api/sign_in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .body(axum::body::Body::from(body))
            .unwrap();
        let (status, headers, _) = app.send_full(req).await;
        assert!(status.is_redirection(), "{status}");
        assert_eq!(headers["location"], expected);
        assert!(session_cookie(&headers).is_some());
    }
}
