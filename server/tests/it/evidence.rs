//! Evidence and chain of custody on the real database, and the guarantee that
//! no server function can rewrite the custody log.

use crate::helpers::{TestApp, new_incident};
use app::backend::db;
use app::backend::services::evidence;
use app::backend::services::incidents as svc;
use app::domain::evidence::{EvidenceForm, HandoverForm};
use app::error::AppError;
use http::StatusCode;

fn laptop() -> EvidenceForm {
    EvidenceForm {
        item: "Laptop disk image".into(),
        description: "Full image of the CFO's laptop".into(),
        collected_by: "Ann".into(),
        collected_at: String::new(),
        location: "Evidence safe 2".into(),
        sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into(),
    }
}

fn handover(from: &str, to: &str) -> HandoverForm {
    HandoverForm {
        from_person: from.into(),
        to_person: to.into(),
        handed_at: String::new(),
        purpose: "Analysis".into(),
    }
}

#[tokio::test]
async fn hand_overs_extend_the_chain_from_the_current_holder_only() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, new_incident("Evidence"), now).await.unwrap();
    let item = evidence::add(&ctx, &i.reference, laptop().parse(now).unwrap(), now).await.unwrap();
    evidence::hand_over(&ctx, &i.reference, &item.id, &handover("Ann", "Forensics lab"), db::now()).await.unwrap();
    let err = evidence::hand_over(&ctx, &i.reference, &item.id, &handover("Ann", "Bob"), db::now()).await.unwrap_err();
    assert!(format!("{err:?}").contains("held by Forensics lab"), "{err:?}");
    evidence::hand_over(&ctx, &i.reference, &item.id, &handover("forensics lab", "Legal"), db::now()).await.unwrap();
    let listed = evidence::list(&ctx, &i).await.unwrap();
    assert_eq!(listed.len(), 1);
    let (stored, chain) = &listed[0];
    assert_eq!(stored.sha256.as_deref(), Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    let hops: Vec<_> = chain.iter().map(|c| (c.from_person.as_str(), c.to_person.as_str())).collect();
    assert_eq!(hops, vec![("Ann", "Forensics lab"), ("forensics lab", "Legal")]);
}

#[tokio::test]
async fn the_database_refuses_to_alter_or_delete_custody_entries() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, new_incident("Custody"), now).await.unwrap();
    let item = evidence::add(&ctx, &i.reference, laptop().parse(now).unwrap(), now).await.unwrap();
    evidence::hand_over(&ctx, &i.reference, &item.id, &handover("Ann", "Lab"), db::now()).await.unwrap();
    let pool = &app.state.db.pool;
    let update = sqlx::query("UPDATE custody_entries SET to_person = 'Mallory' WHERE evidence_id = $1")
        .bind(&item.id)
        .execute(pool)
        .await;
    assert!(update.is_err(), "update must be refused");
    let delete = sqlx::query("DELETE FROM custody_entries WHERE evidence_id = $1").bind(&item.id).execute(pool).await;
    assert!(delete.is_err(), "delete must be refused");
    assert_eq!(evidence::list(&ctx, &i).await.unwrap()[0].1[0].to_person, "Lab");
}

#[tokio::test]
async fn evidence_endpoints_validate_and_keep_items_to_their_incident() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let a = svc::create(&ctx, new_incident("A"), now).await.unwrap();
    let b = svc::create(&ctx, new_incident("B"), now).await.unwrap();
    let (status, body) = app
        .call(
            "add_evidence",
            &[
                ("reference", &a.reference),
                ("evidence[item]", "USB stick"),
                ("evidence[collected_by]", "Ann"),
                ("evidence[location]", "Safe"),
                ("evidence[sha256]", "not-a-hash"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(serde_json::from_str::<AppError>(&body).unwrap().field("sha256").is_some());
    let item = evidence::add(&ctx, &a.reference, laptop().parse(now).unwrap(), now).await.unwrap();
    let (status, _) = app
        .call(
            "hand_over_evidence",
            &[
                ("reference", &b.reference),
                ("evidence_id", &item.id),
                ("handover[from_person]", "Ann"),
                ("handover[to_person]", "Lab"),
                ("handover[purpose]", "x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "evidence is only reachable through its own incident");
}

/// Every server function, with what it may change. A new server function
/// fails this test until it is added here, which is the moment to decide its
/// authorisation (issue 3) and whether it touches append-only records.
const SERVER_FUNCTIONS: &[(&str, &str)] = &[
    ("/api/add_affected_item", "adds an affected asset or service"),
    ("/api/add_checklist_item", "appends a checklist item"),
    ("/api/add_evidence", "appends an evidence item"),
    ("/api/add_indicator", "adds or widens an indicator"),
    ("/api/add_timeline_entry", "appends a timeline event"),
    ("/api/add_member", "adds a member to an incident"),
    ("/api/audit_log", "reads"),
    ("/api/begin_totp", "starts two-step enrolment"),
    ("/api/board", "reads"),
    ("/api/change_password", "changes the caller's password"),
    ("/api/confirm_totp", "turns two-step sign-in on"),
    ("/api/create_first_admin", "creates the first account"),
    ("/api/create_incident", "creates an incident"),
    ("/api/create_user", "creates an account"),
    ("/api/current_user", "reads"),
    ("/api/disable_totp", "turns two-step sign-in off"),
    ("/api/first_run_needed", "reads"),
    ("/api/hand_over_evidence", "appends a custody entry"),
    ("/api/incident", "reads"),
    ("/api/list_users", "reads"),
    ("/api/move_incident", "changes an incident's phase"),
    ("/api/remove_member", "removes a member from an incident"),
    ("/api/reset_password", "resets a user's password"),
    ("/api/search_indicators", "reads"),
    ("/api/set_checklist_item", "ticks or unticks a checklist item"),
    ("/api/set_containment_state", "changes an affected item's containment state"),
    ("/api/set_restricted", "restricts an incident or lifts it"),
    ("/api/set_user_disabled", "disables or enables an account"),
    ("/api/set_user_role", "changes an account's role"),
    ("/api/sign_in", "creates a session"),
    ("/api/sign_out", "ends a session"),
    ("/api/sign_out_everywhere", "ends the caller's sessions"),
    ("/api/update_incident", "edits an incident's fields"),
    ("/api/edit_checklist_item", "changes a checklist item's owner, due time or note"),
    ("/api/preparation", "reads"),
    ("/api/publish_plan", "adds a plan version"),
    ("/api/add_roster_entry", "adds a roster entry"),
    ("/api/add_stakeholder", "adds a stakeholder"),
    ("/api/add_readiness_item", "adds a readiness item"),
    ("/api/verify_readiness_item", "stamps a readiness item verified"),
    ("/api/remove_preparation_entry", "removes a roster entry, stakeholder or readiness item"),
    ("/api/playbooks", "reads"),
    ("/api/playbook", "reads"),
    ("/api/create_playbook", "creates a playbook"),
    ("/api/update_playbook", "edits a playbook's name, description and classifications"),
    ("/api/set_playbook_retired", "retires a playbook or brings it back"),
    ("/api/add_playbook_item", "adds a playbook item"),
    ("/api/change_playbook_item", "edits, moves or removes a playbook item"),
    ("/api/assign_incident_role", "assigns an IR role on an incident"),
    ("/api/save_update", "drafts or edits an unsent stakeholder update"),
    ("/api/approve_update", "approves a stakeholder update"),
    ("/api/send_update", "sends a stakeholder update and queues its deliveries"),
    ("/api/mark_delivery_told", "records that a recipient was told"),
    ("/api/retry_delivery", "queues a failed delivery again"),
    ("/api/status_board", "reads"),
    ("/api/regulatory", "reads"),
    ("/api/create_regime", "adds a notification regime"),
    ("/api/set_regime_retired", "retires a regime or brings it back"),
    ("/api/add_holiday", "adds a calendar holiday"),
    ("/api/remove_holiday", "removes a calendar holiday"),
    ("/api/start_clock", "starts a regulatory clock"),
    ("/api/record_submission", "appends a regulatory submission"),
    ("/api/lessons", "reads"),
    ("/api/save_lessons", "writes the lessons-learned review"),
    ("/api/add_action_item", "adds a lessons-learned action item"),
    ("/api/set_action_status", "changes an action item's status"),
];

#[test]
fn every_server_function_is_listed_and_none_can_edit_or_delete_custody_entries() {
    let mut registered: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect();
    registered.sort();
    registered.dedup();
    let mut listed: Vec<String> = SERVER_FUNCTIONS.iter().map(|(path, _)| path.to_string()).collect();
    listed.sort();
    assert_eq!(registered, listed, "server functions changed: update SERVER_FUNCTIONS");
    let custody_writers: Vec<_> = SERVER_FUNCTIONS.iter().filter(|(_, does)| does.contains("custody")).collect();
    assert_eq!(custody_writers, vec![&("/api/hand_over_evidence", "appends a custody entry")]);
}
