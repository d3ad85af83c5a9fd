//! Spawning a fresh application per test.

use app::backend::db::{Backend, Db};
use app::backend::{AppState, RequestContext};
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
    _guard: Option<TempFile>,
}

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
        let (url, guard) = fresh_database().await;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let state = AppState { db, leptos_options: firebreak::config::leptos_options(([127, 0, 0, 1], 0).into()) };
        let router = firebreak::router::build(state.clone());
        Self { state, router, _guard: guard }
    }

    pub fn ctx(&self) -> RequestContext {
        RequestContext::system(self.state.clone(), "Tester")
    }

    /// POSTs a form to a server function and returns status and body.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let body = serde_urlencoded(form);
        let req = Request::post(format!("/api/{endpoint}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let req = Request::get(path).header("accept", "text/html").body(Body::empty()).expect("request");
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String) {
        let res = self.router.clone().oneshot(req).await.expect("router never fails");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
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
