//! The preparation area: the versioned plan, roster, stakeholders and
//! readiness, and the flags they raise on the board.

use crate::helpers::TestApp;
use app::domain::access::Role;
use http::StatusCode;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn board_alerts(app: &TestApp) -> Vec<String> {
    let (status, body) = app.call("board", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(json(&body)["alerts"].clone()).unwrap()
}

async fn publish(app: &TestApp, body: &str, approved: &str, next: &str) -> (StatusCode, String) {
    app.call(
        "publish_plan",
        &[
            ("plan[body]", body),
            ("plan[approver]", "CISO"),
            ("plan[approved_on]", approved),
            ("plan[next_review_on]", next),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_is_versioned_rendered_safely_and_its_overdue_review_flagged() {
    let app = TestApp::spawn().await;
    assert!(board_alerts(&app).await.iter().any(|a| a.contains("No incident response plan")));

    let (status, body) = publish(&app, "", "2026-01-01", "2025-01-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = json(&body);
    assert!(e.to_string().contains("body") && e.to_string().contains("after"), "{body}");

    let (status, body) =
        publish(&app, "# Plan v1\n\nCall the **CISO**.\n\n<script>alert(1)</script>", "2025-01-01", "2025-12-31").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "1"));
    let alerts = board_alerts(&app).await;
    assert!(alerts.iter().any(|a| a.contains("version 1") && a.contains("due for review on 2025-12-31")), "{alerts:?}");
    let (_, html) = app.get("/").await;
    assert!(html.contains("Preparation needs attention"), "the board header flags it");

    let (status, _) = publish(&app, "# Plan v2\n\n1. Triage\n2. Contain", "2026-11-01", "2027-11-01").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!board_alerts(&app).await.iter().any(|a| a.contains("review")));

    let (_, body) = app.call("preparation", &[]).await;
    let page = json(&body);
    assert_eq!(page["plan"]["plan"]["version"], 2);
    assert_eq!(page["plan"]["current"], true);
    assert!(page["plan"]["html"].as_str().unwrap().contains("<ol>"));
    assert_eq!(page["history"].as_array().unwrap().len(), 2);
    // The older version stays readable, and its script never reaches the page.
    let (_, body) = app.call("preparation", &[("version", "1")]).await;
    let old = json(&body);
    assert_eq!(old["plan"]["current"], false);
    let html = old["plan"]["html"].as_str().unwrap();
    assert!(html.contains("<strong>CISO</strong>") && !html.contains("<script"), "{html}");
    let (status, _) = app.call("preparation", &[("version", "9")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audit = app::backend::db::audit::search(&app.state.db.pool, &Default::default(), 50).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "preparation.plan_published").count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_readiness_items_are_flagged_until_verified() {
    let app = TestApp::spawn().await;
    let (status, body) = app
        .call("add_readiness_item", &[("item[name]", "Jump bag"), ("item[owner]", "Bo"), ("item[interval_days]", "0")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .call(
            "add_readiness_item",
            &[("item[name]", "Offline backups"), ("item[owner]", "Bo"), ("item[interval_days]", "30")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();
    let alerts = board_alerts(&app).await;
    assert!(alerts.iter().any(|a| a.contains("Offline backups")), "never verified is stale: {alerts:?}");
    let (status, _) = app.call("verify_readiness_item", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!board_alerts(&app).await.iter().any(|a| a.contains("Offline backups")));
    // Past its interval it is stale again.
    sqlx::query("UPDATE readiness_items SET last_verified_at = $1")
        .bind(app::backend::db::to_db_time(app::backend::db::now() - chrono::Duration::days(31)))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert!(board_alerts(&app).await.iter().any(|a| a.contains("Offline backups")));
    let (_, body) = app.call("preparation", &[]).await;
    assert_eq!(json(&body)["stale"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_and_stakeholders_are_listed_and_removable_by_commanders_only() {
    let app = TestApp::spawn().await;
    let (status, body) = app.call("add_roster_entry", &[("entry[name]", "Ann Lee"), ("entry[role]", "bogus")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("role") && body.contains("contact"), "{body}");
    let (status, body) = app
        .call(
            "add_roster_entry",
            &[
                ("entry[name]", "Ann Lee"),
                ("entry[role]", "communications_lead"),
                ("entry[contact]", "+44 20 7946 0001"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let roster_id: String = serde_json::from_str(&body).unwrap();
    let (status, _) = app
        .call(
            "add_stakeholder",
            &[
                ("stakeholder[audience]", "regulators"),
                ("stakeholder[name]", "ICO"),
                ("stakeholder[contact]", "0303 123 1113"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.create_user("reader", Role::Responder).await;
    let reader = app.sign_in("reader").await;
    let (status, body) = app.call_as(Some(&reader), "preparation", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let page = json(&body);
    assert_eq!(page["roster"][0]["name"], "Ann Lee");
    assert_eq!(page["stakeholders"][0]["name"], "ICO");
    assert_eq!(page["may_edit"], false);
    let (status, _) =
        app.call_as(Some(&reader), "remove_preparation_entry", &[("list", "roster"), ("id", &roster_id)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.call("remove_preparation_entry", &[("list", "roster"), ("id", &roster_id)]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = app.call("preparation", &[]).await;
    assert!(json(&body)["roster"].as_array().unwrap().is_empty());
    let (status, _) = app.call("remove_preparation_entry", &[("list", "roster"), ("id", &roster_id)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_publishers_never_share_a_version_and_never_get_a_500() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let mut tasks = Vec::new();
    for n in 0..8 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            publish(&app, &format!("# Plan from publisher {n}"), "2026-01-01", "2027-01-01").await
        }));
    }
    let mut versions = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::OK => versions.push(body.parse::<i64>().unwrap()),
            // Only PostgreSQL can lose the race; the loser is told plainly.
            StatusCode::CONFLICT => assert!(body.contains("at the same moment"), "{body}"),
            other => panic!("publish answered {other}: {body}"),
        }
    }
    versions.sort_unstable();
    let expected: Vec<i64> = (1..=versions.len() as i64).collect();
    assert_eq!(versions, expected, "published versions are distinct and consecutive");
    let (_, body) = app.call("preparation", &[]).await;
    assert_eq!(json(&body)["history"].as_array().unwrap().len(), versions.len(), "every acknowledged publish is kept");
}
