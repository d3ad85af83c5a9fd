//! The tamper-evident audit trail: every change appends a chained record,
//! and `firebreak audit verify` names the first record altered or removed.

use crate::helpers::{TestApp, new_incident};
use app::backend::db;
use app::backend::services::{audit_log, incidents as svc};
use app::domain::Phase;
use app::domain::audit::ChainStatus;
use std::process::Command;

/// Runs `firebreak audit verify` against the test's database.
fn verify_cli(app: &TestApp, extra: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args(["audit", "verify"])
        .args(extra)
        .env("FIREBREAK_DATABASE_URL", &app.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run firebreak");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn head_cli(app: &TestApp) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args(["audit", "head"])
        .env("FIREBREAK_DATABASE_URL", &app.url)
        .output()
        .expect("run firebreak");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// An app with some history: accounts, sign-ins, incidents, moves, notes.
async fn app_with_history() -> TestApp {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    for n in 0..3 {
        let i = svc::create(&ctx, new_incident(&format!("Audited {n}")), db::now()).await.unwrap();
        svc::move_phase(&ctx, &i.reference, Phase::Containment, None, None, db::now()).await.unwrap();
    }
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_audited_in_the_same_chain() {
    let app = app_with_history().await;
    let rows = db::audit::search(&app.state.db.pool, &Default::default(), 1000).await.unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    for expected in ["user.created", "auth.sign_in", "incident.created", "incident.phase_changed"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    let moved = rows.iter().find(|r| r.action == "incident.phase_changed").unwrap();
    assert!(moved.summary.contains("Identification") && moved.summary.contains("Containment"), "{}", moved.summary);
    assert!(moved.actor.starts_with("system"), "{}", moved.actor);
    match audit_log::verify(&app.state.db, None).await.unwrap() {
        ChainStatus::Intact { records, .. } => assert_eq!(records, rows.len() as i64),
        broken => panic!("{broken:?}"),
    }
    let (ok, text) = verify_cli(&app, &[]);
    assert!(ok, "{text}");
    assert!(text.contains("intact"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_record_breaks_the_chain_at_that_record() {
    let app = app_with_history().await;
    sqlx::query("UPDATE audit_log SET summary = 'nothing to see here' WHERE seq = 4")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (ok, text) = verify_cli(&app, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("record 4") && text.contains("altered"), "{text}");
    // Recomputing that record's hash does not help: the next record's link breaks.
    let row: (String, String, String, String, String, String) =
        sqlx::query_as("SELECT prev_hash, at, actor, action, object, summary FROM audit_log WHERE seq = 4")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let forged = db::audit::chain_hash(&row.0, 4, &row.1, &row.2, &row.3, &row.4, &row.5);
    sqlx::query("UPDATE audit_log SET hash = $1 WHERE seq = 4").bind(forged).execute(&app.state.db.pool).await.unwrap();
    let (ok, text) = verify_cli(&app, &[]);
    assert!(!ok);
    assert!(text.contains("record 5"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_record_in_the_middle_or_at_the_end_is_found() {
    let app = app_with_history().await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 3").execute(&app.state.db.pool).await.unwrap();
    let (ok, text) = verify_cli(&app, &[]);
    assert!(!ok);
    assert!(text.contains("record 3") && text.contains("deleted"), "{text}");

    let app = app_with_history().await;
    let (last,): (i64,) = sqlx::query_as("SELECT MAX(seq) FROM audit_log").fetch_one(&app.state.db.pool).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(last).execute(&app.state.db.pool).await.unwrap();
    let (ok, text) = verify_cli(&app, &[]);
    assert!(!ok);
    assert!(text.contains(&format!("record {last}")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_head_catches_a_rewritten_tail() {
    let app = app_with_history().await;
    let head = head_cli(&app);
    let (ok, text) = verify_cli(&app, &["--expect-head", &head]);
    assert!(ok, "{text}");
    // Someone with write access rewrites the last record and recomputes the
    // head: the chain alone looks intact, the exported head does not match.
    let (seq, _) = head.split_once(':').unwrap();
    let seq: i64 = seq.parse().unwrap();
    let row: (String, String, String, String, String) =
        sqlx::query_as("SELECT prev_hash, at, actor, action, object FROM audit_log WHERE seq = $1")
            .bind(seq)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let forged = db::audit::chain_hash(&row.0, seq, &row.1, &row.2, &row.3, &row.4, "rewritten");
    sqlx::query("UPDATE audit_log SET summary = 'rewritten', hash = $1 WHERE seq = $2")
        .bind(&forged)
        .bind(seq)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_head SET hash = $1").bind(&forged).execute(&app.state.db.pool).await.unwrap();
    let (ok, text) = verify_cli(&app, &[]);
    assert!(ok, "without the exported head the rewrite is invisible: {text}");
    let (ok, text) = verify_cli(&app, &["--expect-head", &head]);
    assert!(!ok);
    assert!(text.contains(&format!("record {seq}")) && text.contains("exported head"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_page_shows_the_log_and_the_chain_status() {
    let app = app_with_history().await;
    let (status, body) = app.call("audit_log", &[("query[action]", "incident.created")]).await;
    assert_eq!(status, http::StatusCode::OK, "{body}");
    let view: serde_json::Value = serde_json::from_str(&body).unwrap();
    let entries = view["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["action"] == "incident.created"));
    assert!(view["status"]["Intact"].is_object(), "{}", view["status"]);
    sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(&app.state.db.pool).await.unwrap();
    let (_, html) = app.get("/admin/audit").await;
    assert!(html.contains("BROKEN at record 2"), "{html}");
}
