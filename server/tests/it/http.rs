//! Server functions and pages through the real router.

use crate::helpers::TestApp;
use app::backend::db;
use app::backend::services::incidents as svc;
use app::error::AppError;
use http::StatusCode;

fn valid_create_form(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("form[title]", title),
        ("form[summary]", "Users got a fake payroll mail"),
        ("form[classification]", "fraud/phishing"),
        ("form[functional_impact]", "low"),
        ("form[information_impact]", "none"),
        ("form[recoverability]", "regular"),
        ("form[urgency]", "high"),
        ("form[tlp]", "amber"),
        ("form[occurred_at]", ""),
        ("form[detected_at]", "2026-01-02T09:00"),
        ("form[reporter]", "Dana"),
        ("form[commander]", ""),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_incident_over_http_stores_it() {
    let app = TestApp::spawn().await;
    let (status, body) = app.call("create_incident", &valid_create_form("Over HTTP")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let reference = created["reference"].as_str().unwrap();
    let (stored, _) = svc::get_with_timeline(&app.ctx(), reference).await.unwrap();
    assert_eq!(stored.title, "Over HTTP");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_gets_422_with_a_message_per_field() {
    let app = TestApp::spawn().await;
    let mut form = valid_create_form(" ");
    form.retain(|(k, _)| *k != "form[urgency]");
    form.push(("form[urgency]", "whenever"));
    let (status, body) = app.call("create_incident", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let err: AppError = serde_json::from_str(&body).unwrap();
    assert_eq!(err.field("title").as_deref(), Some("Title is required."));
    assert!(err.field("urgency").is_some());
    assert!(err.field("tlp").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_gets_400_not_500() {
    let app = TestApp::spawn().await;
    let (status, body) = app.call("create_incident", &[("nonsense", "1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = app.call("update_incident", &[("reference", "INC-1"), ("version", "not-a-number")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_incident_gets_404() {
    let app = TestApp::spawn().await;
    let (status, body) = app.call("incident", &[("reference", "INC-1999-0001")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = app.get("/incidents/INC-1999-0001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_update_gets_409_with_the_conflict_message() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), crate::helpers::new_incident("Race"), db::now()).await.unwrap();
    let mut form = valid_create_form("Newer title");
    form.push(("reference", &i.reference));
    form.push(("version", "1"));
    let (status, body) = app.call("update_incident", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call("update_incident", &form).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let err: AppError = serde_json::from_str(&body).unwrap();
    assert!(err.to_string().contains("changed by someone else"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_over_http_validates_the_phase_and_the_reason() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), crate::helpers::new_incident("Move"), db::now()).await.unwrap();
    let (status, _) = app.call("move_incident", &[("reference", &i.reference), ("to", "nowhere")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app.call("move_incident", &[("reference", &i.reference), ("to", "eradication")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) =
        app.call("move_incident", &[("reference", &i.reference), ("to", "containment"), ("version", "1")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.call("move_incident", &[("reference", &i.reference), ("to", "identification")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(serde_json::from_str::<AppError>(&body).unwrap().field("reason").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_html_form_post_is_redirected_back_not_answered_with_an_error_page() {
    let app = TestApp::spawn().await;
    let body = "form%5Btitle%5D=&form%5Bclassification%5D=fraud%2Fphishing";
    let req = http::Request::post("/api/create_incident")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", "http://127.0.0.1:3000/incidents/new")
        .header("cookie", &app.admin_cookie)
        .body(axum::body::Body::from(body))
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("http://127.0.0.1:3000/incidents/new?") && location.contains("__err="), "{location}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_renders_on_the_server_with_every_column_and_card() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), crate::helpers::new_incident("Server rendered card"), db::now()).await.unwrap();
    let (status, html) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    for column in ["Identification", "Containment", "Eradication", "Recovery", "Lessons learned", "Closed"] {
        assert!(html.contains(column), "missing column {column}");
    }
    assert!(html.contains(&i.reference));
    assert!(html.contains("Server rendered card"));
    let (status, html) = app.get("/?priority=P4").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Server rendered card"), "filters apply on the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_incident_page_renders_its_timeline_on_the_server() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), crate::helpers::new_incident("Page"), db::now()).await.unwrap();
    let (status, html) = app.get(&format!("/incidents/{}", i.reference)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Incident reported by Dana"));
    assert!(html.contains("Move to Containment"));
}
