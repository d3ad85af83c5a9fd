//! Indicators of compromise on the real database.

use crate::helpers::{TestApp, new_incident};
use app::backend::db;
use app::backend::services::incidents as svc;
use app::backend::services::indicators;
use app::domain::{IndicatorForm, IndicatorKind, TimelineKind};
use app::error::AppError;
use http::StatusCode;

fn ip(value: &str) -> IndicatorForm {
    IndicatorForm { kind: "ip".into(), value: value.into(), ..Default::default() }
}

#[tokio::test]
async fn the_same_indicator_on_two_incidents_is_found_by_the_cross_incident_search() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let a = svc::create(&ctx, new_incident("First"), now).await.unwrap();
    let b = svc::create(&ctx, new_incident("Second"), now).await.unwrap();
    let c = svc::create(&ctx, new_incident("Unrelated"), now).await.unwrap();
    indicators::add(&ctx, &a.reference, ip("203.0.113.7").parse().unwrap(), now).await.unwrap();
    // Defanged input normalises to the same value.
    indicators::add(&ctx, &b.reference, ip("203[.]0[.]113[.]7").parse().unwrap(), now).await.unwrap();
    indicators::add(&ctx, &c.reference, ip("198.51.100.1").parse().unwrap(), now).await.unwrap();

    let found = indicators::search(&ctx, IndicatorKind::Ip, "203.0.113.7").await.unwrap();
    let refs: Vec<_> = found.iter().map(|s| s.reference.clone()).collect();
    assert_eq!(refs, vec![a.reference.clone(), b.reference.clone()]);

    let listed = indicators::list(&ctx, &a).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1, vec![b.reference.clone()], "the incident page links the other sighting");

    // Over HTTP, with a differently written value.
    let (status, body) = app.call("search_indicators", &[("kind", "ip"), ("value", " 203.0.113.7 ")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&a.reference) && body.contains(&b.reference) && !body.contains(&c.reference));
}

#[tokio::test]
async fn recording_an_indicator_twice_widens_its_window_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, new_incident("Dupes"), now).await.unwrap();
    let mut first = ip("203.0.113.7");
    first.first_seen = "2026-03-02T10:00".into();
    first.last_seen = "2026-03-02T11:00".into();
    indicators::add(&ctx, &i.reference, first.parse().unwrap(), now).await.unwrap();
    let mut again = ip("203.0.113.7");
    again.first_seen = "2026-03-01T09:00".into();
    indicators::add(&ctx, &i.reference, again.parse().unwrap(), now).await.unwrap();
    let listed = indicators::list(&ctx, &i).await.unwrap();
    assert_eq!(listed.len(), 1);
    let stored = &listed[0].0;
    assert_eq!(stored.first_seen.unwrap().format("%d %H").to_string(), "01 09");
    assert_eq!(stored.last_seen.unwrap().format("%d %H").to_string(), "02 11");
    let (_, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    assert_eq!(timeline.iter().filter(|e| e.kind == TimelineKind::Indicator).count(), 2);
}

#[tokio::test]
async fn malformed_indicators_get_422_with_a_message_on_the_value_field() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), new_incident("Bad IOC"), db::now()).await.unwrap();
    for (kind, value) in [("ip", "999.1.1.1"), ("domain", "localhost"), ("hash", "abc"), ("url", "no-scheme.example")] {
        let (status, body) = app
            .call(
                "add_indicator",
                &[("reference", &i.reference), ("indicator[kind]", kind), ("indicator[value]", value)],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{kind} {value}: {body}");
        let err: AppError = serde_json::from_str(&body).unwrap();
        assert!(err.field("value").is_some(), "{kind} {value}: {body}");
    }
    let (status, _) = app.call("search_indicators", &[("kind", "ip"), ("value", "not an ip")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(indicators::list(&app.ctx(), &i).await.unwrap().is_empty());
}
