//! The lessons-learned review: filled in by staff who reported the incident
//! as well as responders, saved with optimistic concurrency, action items
//! with owners and due dates, and the gate it puts on closing (together with
//! any regulatory stage still owed).

use crate::helpers::{TestApp, new_incident, record_review};
use app::backend::{db, services};
use app::domain::Phase;
use app::domain::access::Role;
use http::StatusCode;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn the_reporter_fills_in_the_review_and_its_action_items() {
    let app = TestApp::spawn().await;
    app.create_user("reporter", Role::Staff).await;
    app.create_user("other", Role::Staff).await;
    app.create_user("manager", Role::Manager).await;
    let reporter = app.sign_in("reporter").await;
    let (status, body) = app
        .call_as(
            Some(&reporter),
            "create_incident",
            &[
                ("form[title]", "Laptop left on a train"),
                ("form[summary]", "Encrypted laptop lost on the 07:42"),
                ("form[classification]", "lost_device/lost"),
                ("form[functional_impact]", "low"),
                ("form[information_impact]", "none"),
                ("form[recoverability]", "regular"),
                ("form[urgency]", "low"),
                ("form[tlp]", "amber"),
                ("form[reporter]", "Sam"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r = json(&body)["reference"].as_str().unwrap().to_owned();
    let today = db::now().date_naive().to_string();
    let review = |version: &str, summary: &str| {
        vec![
            ("reference".to_owned(), r.clone()),
            ("version".to_owned(), version.to_owned()),
            ("lessons[summary]".to_owned(), summary.to_owned()),
            ("lessons[went_well]".to_owned(), "Reported within ten minutes.".to_owned()),
            ("lessons[review_held_on]".to_owned(), today.clone()),
        ]
    };
    let pairs = |v: &[(String, String)]| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let call = |cookie: String, endpoint: &'static str, form: Vec<(String, String)>| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call_as(Some(&cookie), endpoint, &form).await
        }
    };

    let (status, body) =
        call(reporter.clone(), "save_lessons", pairs(&review("0", "Lost, encrypted, wiped remotely."))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.trim(), "1");
    // A second writer who opened the empty form loses the race cleanly.
    let (status, body) = call(reporter.clone(), "save_lessons", pairs(&review("0", "Mine"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("Someone else saved this review"), "{body}");
    let (status, _) = call(reporter.clone(), "save_lessons", pairs(&review("1", "Lost, encrypted and wiped."))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = call(reporter.clone(), "save_lessons", pairs(&review("2", "  "))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"summary\""), "{body}");

    // Managers read it; other staff do not even learn it exists.
    let manager = app.sign_in("manager").await;
    let (status, _) = call(manager.clone(), "save_lessons", pairs(&review("2", "Nope"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call_as(Some(&manager), "lessons", &[("reference", &r)]).await;
    assert_eq!(status, StatusCode::OK);
    let page = json(&body);
    assert_eq!(page["lessons"]["summary"], "Lost, encrypted and wiped.");
    assert_eq!(page["lessons"]["version"], 2);
    assert_eq!(page["may_edit"], false);
    let other = app.sign_in("other").await;
    let (status, _) = app.call_as(Some(&other), "lessons", &[("reference", &r)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(other.clone(), "save_lessons", pairs(&review("2", "Sneaky"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Action items need an owner and a due date, and move through statuses.
    let item = |text: &str, owner: &str, due: &str| {
        vec![
            ("reference".to_owned(), r.clone()),
            ("item[text]".to_owned(), text.to_owned()),
            ("item[owner]".to_owned(), owner.to_owned()),
            ("item[due_on]".to_owned(), due.to_owned()),
        ]
    };
    let (status, body) = call(reporter.clone(), "add_action_item", item("Add travel guidance", "", "someday")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"owner\"") && body.contains("\"due_on\""), "{body}");
    let (status, body) =
        call(reporter.clone(), "add_action_item", item("Add travel guidance", "Security awareness", "2020-01-31"))
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();
    let (_, body) = app.call_as(Some(&reporter), "lessons", &[("reference", &r)]).await;
    let page = json(&body);
    assert_eq!(page["actions"][0]["status"], "Open");
    assert_eq!(page["may_edit"], true);
    let (_, body) = app.call_as(Some(&reporter), "incident", &[("reference", &r)]).await;
    let summary = &json(&body)["lessons"];
    assert_eq!((summary["recorded"].as_bool(), summary["overdue_actions"].as_u64()), (Some(true), Some(1)));
    let (status, _) = app
        .call_as(Some(&reporter), "set_action_status", &[("reference", &r), ("item_id", &id), ("status", "done")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call_as(Some(&reporter), "set_action_status", &[("reference", &r), ("item_id", &id), ("status", "finished")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, timeline) = services::incidents::get_with_timeline(&app.ctx(), &r).await.unwrap();
    let said: Vec<&str> =
        timeline.iter().filter(|e| e.kind == app::domain::TimelineKind::Lessons).map(|e| e.body.as_str()).collect();
    for expected in ["review started", "review updated", "Action item added: Add travel guidance", "Open → Done"] {
        assert!(said.iter().any(|s| s.contains(expected)), "{expected} missing from {said:#?}");
    }
}

#[tokio::test]
async fn closing_waits_for_the_review_and_every_regulatory_stage_owed() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let i = services::incidents::create(&ctx, new_incident("Customer list exposed"), db::now()).await.unwrap();
    let r = i.reference.as_str();
    for p in [Phase::Containment, Phase::Eradication, Phase::Recovery, Phase::LessonsLearned] {
        services::incidents::move_phase(&ctx, r, p, None, None, db::now()).await.unwrap();
    }
    let trigger = (db::now() - chrono::Duration::hours(2)).format("%Y-%m-%dT%H:%M").to_string();
    let (status, body) =
        app.call("start_clock", &[("reference", r), ("clock[regime]", "gdpr"), ("clock[trigger_at]", &trigger)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let clock = json(&body)["id"].as_str().unwrap().to_owned();

    let close = [("reference", r), ("to", "closed")];
    let (status, body) = app.call("move_incident", &close).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("Lessons learned: record the review"), "{body}");
    assert!(body.contains("Notify the supervisory authority"), "{body}");
    assert!(body.contains("Tell the data subjects"), "{body}");

    record_review(&ctx, r).await;
    let (status, body) = app.call("move_incident", &close).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(!body.contains("Lessons learned: record the review"), "{body}");
    for (stage, outcome, to) in [("authority", "submitted", "ICO"), ("data_subjects", "not_required", "")] {
        let (status, body) = app
            .call(
                "record_submission",
                &[
                    ("reference", r),
                    ("notification_id", &clock),
                    ("submission[stage]", stage),
                    ("submission[outcome]", outcome),
                    ("submission[submitted_at]", &db::now().format("%Y-%m-%dT%H:%M").to_string()),
                    ("submission[submitted_to]", to),
                    ("submission[summary]", "Done"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = app.call("move_incident", &close).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["phase"], "Closed");

    // The post-incident report, rendered on the server, holds it all.
    let (status, html) = app.get_as(Some(&app.admin_cookie), &format!("/incidents/{r}/report")).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "Post-incident report: ",
        "Customer list exposed",
        "Time to close (detected → closed)",
        "GDPR personal-data breach",
        "submitted to ICO",
        "Reviewed",
        "Lessons-learned review started",
    ] {
        assert!(html.contains(expected), "the report lacks {expected}");
    }
}

#[tokio::test]
async fn without_javascript_a_saved_review_returns_to_its_page() {
    let app = TestApp::spawn().await;
    let i = services::incidents::create(&app.ctx(), new_incident("Plain form"), db::now()).await.unwrap();
    let body = format!("reference={}&version=0&lessons%5Bsummary%5D=Saved+from+a+plain+form", i.reference);
    let req = http::Request::post("/api/save_lessons")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("cookie", &app.admin_cookie)
        .body(axum::body::Body::from(body))
        .unwrap();
    let (status, headers, _) = app.send_full(req).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers["location"], format!("/incidents/{}/lessons", i.reference));
    let (lessons, _) = services::lessons::get(&app.ctx(), &i).await.unwrap();
    assert_eq!(lessons.unwrap().summary, "Saved from a plain form");
}
