//! Affected assets and services with their containment states.

use crate::helpers::{TestApp, new_incident};
use app::backend::db;
use app::backend::services::incidents as svc;
use app::backend::services::scope;
use app::domain::TimelineKind;
use app::domain::scope::{AffectedItemForm, ContainmentState};
use http::StatusCode;

#[tokio::test]
async fn containment_states_move_one_step_forward_or_back_with_a_note_on_the_timeline() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, new_incident("Scope"), now).await.unwrap();
    let form = AffectedItemForm { kind: "asset".into(), name: "FS-FIN-02".into(), description: String::new() };
    let item = scope::add(&ctx, &i.reference, form.parse().unwrap(), now).await.unwrap();
    assert_eq!(item.state, ContainmentState::Identified);
    let item = scope::change_state(&ctx, &i.reference, &item.id, ContainmentState::Isolated, "", now).await.unwrap();
    assert_eq!(item.state, ContainmentState::Isolated);
    let skip = scope::change_state(&ctx, &i.reference, &item.id, ContainmentState::Verified, "", now).await;
    assert!(skip.is_err());
    let no_note = scope::change_state(&ctx, &i.reference, &item.id, ContainmentState::Identified, "", now).await;
    assert!(no_note.is_err());
    scope::change_state(&ctx, &i.reference, &item.id, ContainmentState::Identified, "Still beaconing", now)
        .await
        .unwrap();
    let listed = scope::list(&ctx, &i).await.unwrap();
    assert_eq!(listed[0].state, ContainmentState::Identified);
    let (_, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    let bodies: Vec<_> = timeline.iter().filter(|e| e.kind == TimelineKind::Scope).map(|e| e.body.clone()).collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert!(bodies[0].contains("Still beaconing"));
}

#[tokio::test]
async fn scope_endpoints_validate_and_keep_items_to_their_incident() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let a = svc::create(&ctx, new_incident("A"), now).await.unwrap();
    let b = svc::create(&ctx, new_incident("B"), now).await.unwrap();
    let (status, _) = app
        .call("add_affected_item", &[("reference", &a.reference), ("affected[kind]", "asset"), ("affected[name]", " ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = AffectedItemForm { kind: "service".into(), name: "Payroll".into(), description: String::new() };
    let item = scope::add(&ctx, &a.reference, form.parse().unwrap(), now).await.unwrap();
    let (status, _) = app
        .call("set_containment_state", &[("reference", &b.reference), ("item_id", &item.id), ("to", "isolated")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call("set_containment_state", &[("reference", &a.reference), ("item_id", &item.id), ("to", "verified")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
