//! Spawning a fresh application per test.

use app::backend::db::{self, Backend, Db};
use app::backend::{AppState, AuthConfig, RequestContext, services};
use app::domain::Code;
use app::domain::access::{NewUserForm, Role, UserSummary};
use app::domain::{IncidentForm, NewIncident};
use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::Connection;
use tower::ServiceExt;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    /// The session cookie of the admin every test starts with (`admin`).
    pub admin_cookie: String,
    /// The database URL, for running the `firebreak` binary against it.
    pub url: String,
    _guard: Option<TempFile>,
}

/// The password every test account gets.
pub const PASSWORD: &str = "violet staple engine harbour";

/// Removes a test's SQLite files when dropped.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// Which backend this test run uses.
pub fn backend() -> Backend {
    if std::env::var("FIREBREAK_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

async fn fresh_database() -> (String, Option<TempFile>) {
    let id = uuid::Uuid::new_v4().simple().to_string();
    match backend() {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("firebreak-test-{id}.db"));
            (format!("sqlite://{}", path.display()), Some(TempFile(path)))
        }
        Backend::Postgres => {
            sqlx::any::install_default_drivers();
            let admin = std::env::var("FIREBREAK_TEST_POSTGRES_URL").expect("checked above");
            let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect to PostgreSQL admin URL");
            let name = format!("firebreak_test_{id}");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("URL has a database path");
            let query = admin.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
            (format!("{base}/{name}{query}"), None)
        }
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        let mut app = Self::spawn_empty().await;
        app.create_user("admin", Role::Admin).await;
        app.admin_cookie = app.sign_in("admin").await;
        app
    }

    /// A fresh application with no accounts at all (first run).
    pub async fn spawn_empty() -> Self {
        let (url, guard) = fresh_database().await;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let state = AppState {
            db,
            leptos_options: firebreak::config::leptos_options(([127, 0, 0, 1], 0).into()),
            auth: AuthConfig::default(),
            mailer: None,
        };
        let router = firebreak::router::build(state.clone());
        Self { state, router, admin_cookie: String::new(), url, _guard: guard }
    }

    /// Sends stakeholder email through the SMTP server at `url`.
    pub fn use_mailer(&mut self, url: &str) {
        let mailer = app::backend::mail::Mailer::new(url, "Firebreak <firebreak@example.org>").expect("mailer");
        self.state.mailer = Some(std::sync::Arc::new(mailer));
        self.router = firebreak::router::build(self.state.clone());
    }

    /// The command line's context (admin rights, no account).
    pub fn ctx(&self) -> RequestContext {
        RequestContext::system(self.state.clone(), "Tester")
    }

    /// Creates an account named `username` with `role` and [`PASSWORD`].
    pub async fn create_user(&self, username: &str, role: Role) -> UserSummary {
        let form = NewUserForm {
            username: username.into(),
            display_name: format!("{username} (test)"),
            role: role.code().into(),
            password: PASSWORD.into(),
        };
        services::accounts::create_user(&self.ctx(), &form, db::now()).await.expect("create user")
    }

    /// A context acting as an existing account.
    pub async fn ctx_as(&self, username: &str) -> RequestContext {
        let user = db::accounts::user_by_username(&self.state.db.pool, username).await.unwrap().expect("user");
        RequestContext::as_user(self.state.clone(), user.current_user())
    }

    /// Signs in over HTTP and returns the `Cookie` header value.
    pub async fn sign_in(&self, username: &str) -> String {
        let (status, headers, body) =
            self.call_full(None, "sign_in", &[("username", username), ("password", PASSWORD)]).await;
        assert!(status.is_success() || status.is_redirection(), "sign in as {username}: {status} {body}");
        session_cookie(&headers).expect("sign-in sets the session cookie")
    }

    /// POSTs a form to a server function as the admin; returns status and body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let (status, _, body) = self.call_full(Some(&self.admin_cookie), endpoint, form).await;
        (status, body)
    }

    /// POSTs a form to a server function with `cookie` (none: anonymous).
    pub async fn call_as(&self, cookie: Option<&str>, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let (status, _, body) = self.call_full(cookie, endpoint, form).await;
        (status, body)
    }

    pub async fn call_full(
        &self,
        cookie: Option<&str>,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, http::HeaderMap, String) {
        let body = serde_urlencoded(form);
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        self.send_full(req.body(Body::from(body)).expect("request")).await
    }

    /// GETs a page as the admin.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        self.get_as(Some(&self.admin_cookie.clone()), path).await
    }

    pub async fn get_as(&self, cookie: Option<&str>, path: &str) -> (StatusCode, String) {
        let mut req = Request::get(path).header("accept", "text/html");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    pub async fn send_full(&self, req: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
        let res = self.router.clone().oneshot(req).await.expect("router never fails");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, headers, String::from_utf8_lossy(&bytes).into_owned())
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String) {
        let res = self.router.clone().oneshot(req).await.expect("router never fails");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The `name=value` of the session cookie a response sets, if any.
pub fn session_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with("firebreak_session=") && !v.contains("Max-Age=0"))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .next()
}

fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A valid new-incident form with the given title, not yet classified (so it
/// has no checklist and no phase gates).
pub fn form(title: &str) -> IncidentForm {
    IncidentForm {
        title: title.into(),
        summary: "Something happened".into(),
        classification: "other/unclassified".into(),
        functional_impact: "low".into(),
        information_impact: "none".into(),
        recoverability: "regular".into(),
        urgency: "high".into(),
        tlp: "amber".into(),
        occurred_at: "2026-01-02T08:00".into(),
        detected_at: "2026-01-02T09:00".into(),
        acknowledged_at: String::new(),
        reporter: "Dana".into(),
        commander: "Alex".into(),
    }
}

/// The same form, classified as phishing (which brings the phishing playbook).
pub fn phishing_form(title: &str) -> IncidentForm {
    IncidentForm { classification: "fraud/phishing".into(), ..form(title) }
}

pub fn new_incident(title: &str) -> NewIncident {
    form(title).parse_new(app::backend::db::now()).expect("valid form")
}

/// Records a complete lessons-learned review, which closing waits for.
pub async fn record_review(ctx: &RequestContext, reference: &str) {
    let form = app::domain::lessons::LessonsForm {
        summary: "Reviewed".into(),
        review_held_on: app::backend::db::now().date_naive().to_string(),
        ..Default::default()
    };
    let draft = form.parse(app::backend::db::now().date_naive()).expect("valid review");
    services::lessons::save(ctx, reference, draft, 0, app::backend::db::now()).await.expect("review saved");
}
