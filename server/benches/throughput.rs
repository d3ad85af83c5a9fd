//! Firebreak's benchmark: how much each everyday operation costs relative to
//! a baseline measured in the same run on the same machine, because these
//! machines are too noisy for absolute figures to mean much.
//!
//! Run it with `scripts/bench.sh` (or `cargo bench -p firebreak --bench
//! throughput`). It prints one table per database: SQLite always (a fresh
//! file, with the production settings: WAL, synchronous=FULL), PostgreSQL too
//! when `FIREBREAK_BENCH_POSTGRES_URL` names a database it may create tables
//! in (it makes and drops its own database).
//!
//! Baselines:
//! - writes against one raw sqlx `INSERT` of a single row in its own
//!   committed transaction (the price of a durable commit);
//! - reads against one raw sqlx `SELECT` of every incident row;
//! - HTTP against serving a small static file through the same router and
//!   middleware (security headers, CSRF check, tracing).

use app::backend::db::{self, Db};
use app::backend::{AppState, AuthConfig, RequestContext, services};
use app::domain::access::{NewUserForm, Role};
use app::domain::{Code, IncidentForm, Phase, TimelineEntryForm};
use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::Connection;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// Incidents on the board while reads are measured.
const BOARD_SIZE: usize = 300;
/// Samples per measured operation.
const SAMPLES: usize = 200;
const PASSWORD: &str = "benchmark harbour violet staple";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let sqlite_dir = std::env::temp_dir().join(format!("firebreak-bench-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&sqlite_dir).expect("temp dir");
        let url = format!("sqlite://{}/bench.db", sqlite_dir.display());
        let result = run("SQLite (file, WAL, synchronous=FULL)", &url).await;
        let _ = std::fs::remove_dir_all(&sqlite_dir);
        result.expect("SQLite benchmark");

        if let Ok(admin_url) = std::env::var("FIREBREAK_BENCH_POSTGRES_URL")
            && !admin_url.is_empty()
        {
            let (url, name) = postgres_database(&admin_url).await;
            let result = run("PostgreSQL", &url).await;
            drop_postgres_database(&admin_url, &name).await;
            result.expect("PostgreSQL benchmark");
        } else {
            println!("\nPostgreSQL: not run (set FIREBREAK_BENCH_POSTGRES_URL=postgres://… to include it)");
        }
    });
}

/// One measured operation: its samples in microseconds.
struct Row {
    name: &'static str,
    baseline: &'static str,
    samples: Vec<f64>,
}

impl Row {
    fn median(&self) -> f64 {
        percentile(&self.samples, 0.5)
    }
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let idx = ((s.len() as f64 - 1.0) * p).round() as usize;
    s[idx.min(s.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

async fn run(label: &str, url: &str) -> anyhow::Result<()> {
    let database = Db::connect(url).await?;
    database.migrate().await?;
    let site = std::env::temp_dir().join(format!("firebreak-bench-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(site.join("pkg"))?;
    // About the size of a small stylesheet.
    std::fs::write(site.join("pkg/bench.css"), "body { margin: 0 }\n".repeat(200))?;
    let leptos_options = LeptosOptions::builder()
        .output_name("firebreak")
        .site_root(site.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let state = AppState { db: database.clone(), leptos_options, auth: AuthConfig::default(), mailer: None };
    let router = firebreak::router::build(state.clone());
    let system = RequestContext::system(state.clone(), "Benchmark");
    let admin = NewUserForm {
        username: "bench".into(),
        display_name: "Bench Admin".into(),
        role: Role::Admin.code().into(),
        password: PASSWORD.into(),
    };
    services::accounts::create_user(&system, &admin, db::now()).await?;
    let user = db::accounts::user_by_username(&database.pool, "bench").await?.expect("just created");
    let ctx = RequestContext::as_user(state.clone(), user.current_user());

    sqlx::query("CREATE TABLE bench_baseline (id TEXT PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)")
        .execute(&database.pool)
        .await?;

    let mut rows = Vec::new();

    // Writes.
    let mut samples = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES {
        let start = Instant::now();
        let mut tx = database.pool.begin().await?;
        sqlx::query("INSERT INTO bench_baseline (id, body, at) VALUES ($1, $2, $3)")
            .bind(db::new_id())
            .bind(format!("row {n}"))
            .bind(db::to_db_time(db::now()))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        samples.push(micros(start.elapsed()));
    }
    rows.push(Row { name: "raw sqlx INSERT, one row, committed", baseline: "", samples });

    let mut references = Vec::with_capacity(BOARD_SIZE);
    let mut samples = Vec::with_capacity(BOARD_SIZE);
    for n in 0..BOARD_SIZE {
        let new = incident_form(n).parse_new(db::now()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let start = Instant::now();
        let incident = services::incidents::create(&ctx, new, db::now()).await?;
        samples.push(micros(start.elapsed()));
        references.push(incident.reference);
    }
    rows.push(Row {
        name: "report an incident (reference, record, checklist, timeline, audit)",
        baseline: "insert",
        samples,
    });

    let mut samples = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES {
        let form = TimelineEntryForm { kind: "note".into(), body: format!("Observation {n}"), event_at: String::new() };
        let entry = form.parse(db::now()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let reference = &references[n % references.len()];
        let start = Instant::now();
        services::incidents::add_timeline_entry(&ctx, reference, entry, db::now()).await?;
        samples.push(micros(start.elapsed()));
    }
    rows.push(Row { name: "add a timeline note (lock, event, audit)", baseline: "insert", samples });

    let mut samples = Vec::with_capacity(SAMPLES);
    for reference in references.iter().take(SAMPLES) {
        let start = Instant::now();
        // Phishing playbooks gate Identification; the override reason is the
        // commander's everyday path through an open gate.
        let moved = services::incidents::move_phase(
            &ctx,
            reference,
            Phase::Containment,
            Some("Benchmark override"),
            None,
            db::now(),
        )
        .await;
        samples.push(micros(start.elapsed()));
        moved?;
    }
    rows.push(Row { name: "move an incident forward (gate, stamp, timeline, audit)", baseline: "insert", samples });

    // Reads.
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        let all: Vec<(String, String)> =
            sqlx::query_as("SELECT id, title FROM incidents").fetch_all(&database.pool).await?;
        samples.push(micros(start.elapsed()));
        assert_eq!(all.len(), BOARD_SIZE);
    }
    rows.push(Row { name: "raw sqlx SELECT of every incident", baseline: "", samples });

    let filter = db::incidents::IncidentFilter::default();
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        let board = services::incidents::board(&ctx, &filter).await?;
        samples.push(micros(start.elapsed()));
        assert_eq!(board.open.len(), BOARD_SIZE);
    }
    rows.push(Row { name: "load the board's data (incidents, progress, commanders)", baseline: "select", samples });

    let reference = references[0].clone();
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        let (_, timeline) = services::incidents::get_with_timeline(&ctx, &reference).await?;
        samples.push(micros(start.elapsed()));
        assert!(!timeline.is_empty());
    }
    rows.push(Row { name: "load one incident with its timeline", baseline: "select", samples });

    // HTTP through the real router.
    let cookie = sign_in(&router).await?;
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let req = Request::get("/pkg/bench.css").body(Body::empty())?;
        let start = Instant::now();
        let (status, _) = send(&router, req).await?;
        samples.push(micros(start.elapsed()));
        anyhow::ensure!(status == StatusCode::OK, "static file answered {status}");
    }
    rows.push(Row { name: "GET a static file", baseline: "", samples });

    for (name, path) in [
        ("GET the board page (server-rendered, signed in)", "/".to_owned()),
        ("GET an incident page (server-rendered)", format!("/incidents/{reference}")),
    ] {
        let mut samples = Vec::with_capacity(SAMPLES / 4);
        for _ in 0..SAMPLES / 4 {
            let req = Request::get(&path).header("cookie", &cookie).header("accept", "text/html").body(Body::empty())?;
            let start = Instant::now();
            let (status, body) = send(&router, req).await?;
            samples.push(micros(start.elapsed()));
            anyhow::ensure!(status == StatusCode::OK, "{path} answered {status}");
            anyhow::ensure!(body.contains(&reference), "{path} lacks the incident");
        }
        rows.push(Row { name, baseline: "static", samples });
    }

    print_table(label, &rows);
    let _ = std::fs::remove_dir_all(&site);
    database.pool.close().await;
    Ok(())
}

fn print_table(label: &str, rows: &[Row]) {
    let baseline_of = |key: &str| -> Option<f64> {
        let name = match key {
            "insert" => "raw sqlx INSERT, one row, committed",
            "select" => "raw sqlx SELECT of every incident",
            "static" => "GET a static file",
            _ => return None,
        };
        rows.iter().find(|r| r.name == name).map(Row::median)
    };
    println!("\n{label}: {BOARD_SIZE} incidents on the board");
    println!("| operation | samples | median µs | p95 µs | × baseline (median) |");
    println!("|---|---:|---:|---:|---:|");
    for row in rows {
        let ratio = match baseline_of(row.baseline) {
            Some(b) if b > 0.0 => format!("{:.1}× {}", row.median() / b, row.baseline),
            _ => "baseline".to_owned(),
        };
        println!(
            "| {} | {} | {:.0} | {:.0} | {} |",
            row.name,
            row.samples.len(),
            row.median(),
            percentile(&row.samples, 0.95),
            ratio
        );
    }
}

fn incident_form(n: usize) -> IncidentForm {
    let classification = ["fraud/phishing", "malicious_code/ransomware", "other/unclassified"][n % 3];
    IncidentForm {
        title: format!("Benchmark incident {n}"),
        summary: "Suspicious sign-ins from an unfamiliar network, reported by the service desk.".into(),
        classification: classification.into(),
        functional_impact: "medium".into(),
        information_impact: "none".into(),
        recoverability: "regular".into(),
        urgency: "medium".into(),
        tlp: "amber".into(),
        occurred_at: String::new(),
        detected_at: String::new(),
        acknowledged_at: String::new(),
        reporter: "Service desk".into(),
        commander: ["Alex Morgan", "Sam Patel", "Jo Chen"][n % 3].into(),
    }
}

async fn send(router: &axum::Router, req: Request<Body>) -> anyhow::Result<(StatusCode, String)> {
    let res = router.clone().oneshot(req).await?;
    let status = res.status();
    let bytes = res.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

async fn sign_in(router: &axum::Router) -> anyhow::Result<String> {
    let body = format!("username=bench&password={}", app::domain::url_encode(PASSWORD));
    let req = Request::post("/api/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(Body::from(body))?;
    let res = router.clone().oneshot(req).await?;
    anyhow::ensure!(res.status().is_success(), "sign-in answered {}", res.status());
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("firebreak_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .ok_or_else(|| anyhow::anyhow!("sign-in set no session cookie"))
}

async fn postgres_database(admin_url: &str) -> (String, String) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin_url).await.expect("connect to FIREBREAK_BENCH_POSTGRES_URL");
    let name = format!("firebreak_bench_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create benchmark database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL has a database path");
    let query = admin_url.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    (format!("{base}/{name}{query}"), name)
}

async fn drop_postgres_database(admin_url: &str, name: &str) {
    if let Ok(mut conn) = sqlx::AnyConnection::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
    }
}
