//! Playbook checklists and phase gates on the real database.

use crate::helpers::{TestApp, form, phishing_form};
use app::backend::db::{self, incidents::IncidentFilter};
use app::backend::error::BackendError;
use app::backend::services::incidents as svc;
use app::domain::{ChecklistItemForm, IncidentChanges, Phase, TimelineKind};
use http::StatusCode;

#[tokio::test]
async fn classifying_an_incident_brings_its_playbook_checklist() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, phishing_form("Phish").parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &i).await.unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|item| item.playbook.as_deref() == Some("phishing")));
    for phase in [Phase::Identification, Phase::Containment, Phase::Eradication, Phase::Recovery, Phase::LessonsLearned]
    {
        assert!(items.iter().any(|item| item.phase == phase && item.required), "no required item in {phase}");
    }
    let (_, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    assert!(timeline.iter().any(|e| e.kind == TimelineKind::Checklist && e.body.contains("Phishing playbook")));

    let unclassified = svc::create(&ctx, form("Unknown").parse_new(now).unwrap(), now).await.unwrap();
    assert!(svc::checklist(&ctx, &unclassified).await.unwrap().is_empty());
}

#[tokio::test]
async fn reclassifying_swaps_the_open_playbook_items_and_keeps_done_ones() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, phishing_form("Was phishing").parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &i).await.unwrap();
    let done = &items[0];
    svc::set_item_done(&ctx, &i.reference, &done.id, true, "", now).await.unwrap();
    let mut f = form("Was phishing");
    f.classification = "malicious_code/ransomware".into();
    let changes = IncidentChanges { fields: f.parse_fields(now).unwrap(), expected_version: 1 };
    svc::update(&ctx, &i.reference, changes, now).await.unwrap();
    let after = svc::checklist(&ctx, &i).await.unwrap();
    assert!(after.iter().any(|item| item.id == done.id && item.is_done()), "done items stay");
    assert!(
        after
            .iter()
            .filter(|item| item.id != done.id)
            .all(|item| item.playbook.as_deref() == Some("ransomware_malware"))
    );
}

#[tokio::test]
async fn open_required_items_block_a_forward_move_until_done_or_overridden() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, phishing_form("Gated").parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &i).await.unwrap();
    let required: Vec<_> = items.iter().filter(|x| x.phase == Phase::Identification && x.required).collect();

    let err = svc::move_phase(&ctx, &i.reference, Phase::Containment, None, None, now).await.unwrap_err();
    match err {
        BackendError::PhaseGate(open) => {
            assert_eq!(open, required.iter().map(|x| x.text.clone()).collect::<Vec<_>>());
        }
        other => panic!("expected the gate, got {other:?}"),
    }

    // Completing every required item opens the gate.
    for item in &required {
        svc::set_item_done(&ctx, &i.reference, &item.id, true, "checked", now).await.unwrap();
    }
    let moved = svc::move_phase(&ctx, &i.reference, Phase::Containment, None, None, now).await.unwrap();
    assert_eq!(moved.phase, Phase::Containment);

    // The next gate is overridden with a reason, which the timeline keeps.
    let moved = svc::move_phase(&ctx, &i.reference, Phase::Eradication, Some("Commander accepts the risk"), None, now)
        .await
        .unwrap();
    assert_eq!(moved.phase, Phase::Eradication);
    let (_, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    let phase_event = timeline.iter().find(|e| e.kind == TimelineKind::PhaseChanged).unwrap();
    assert!(phase_event.body.contains("overriding open required items"), "{}", phase_event.body);
    assert!(phase_event.body.contains("Commander accepts the risk"));
    let ticks = timeline
        .iter()
        .filter(|e| e.kind == TimelineKind::Checklist && e.body.starts_with("Checklist item done"))
        .count();
    assert_eq!(ticks, required.len(), "every tick is on the timeline");
}

#[tokio::test]
async fn the_board_shows_current_phase_progress_and_overdue_items() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, phishing_form("Progress").parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &i).await.unwrap();
    let in_phase = items.iter().filter(|x| x.phase == Phase::Identification).count() as u32;
    let board = svc::board(&ctx, &IncidentFilter::default()).await.unwrap();
    let p = board.progress[&i.id];
    assert_eq!((p.done, p.total, p.overdue), (0, in_phase, 0));

    let first = items.iter().find(|x| x.phase == Phase::Identification).unwrap();
    svc::set_item_done(&ctx, &i.reference, &first.id, true, "", now).await.unwrap();
    let late = ChecklistItemForm {
        phase: "identification".into(),
        text: "Call the bank".into(),
        required: String::new(),
        owner: "Sam".into(),
        due_at: (now - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string(),
    };
    svc::add_item(&ctx, &i.reference, late.parse().unwrap(), now).await.unwrap();
    let p = svc::board(&ctx, &IncidentFilter::default()).await.unwrap().progress[&i.id];
    assert_eq!((p.done, p.total, p.overdue), (1, in_phase + 1, 1));
}

#[tokio::test]
async fn unticking_reopens_an_item_and_ticking_twice_records_once() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, phishing_form("Toggle").parse_new(now).unwrap(), now).await.unwrap();
    let item = svc::checklist(&ctx, &i).await.unwrap().remove(0);
    let done = svc::set_item_done(&ctx, &i.reference, &item.id, true, "first", now).await.unwrap();
    assert_eq!(done.done_by.as_deref(), Some("Tester"));
    svc::set_item_done(&ctx, &i.reference, &item.id, true, "again", now).await.unwrap();
    let reopened = svc::set_item_done(&ctx, &i.reference, &item.id, false, "", now).await.unwrap();
    assert!(!reopened.is_done());
    let (_, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    let bodies: Vec<_> = timeline.iter().filter(|e| e.body.contains(&item.text)).map(|e| e.body.clone()).collect();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
}

#[tokio::test]
async fn checklist_endpoints_validate_input_and_hide_other_incidents_items() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let a = svc::create(&ctx, phishing_form("A").parse_new(now).unwrap(), now).await.unwrap();
    let b = svc::create(&ctx, phishing_form("B").parse_new(now).unwrap(), now).await.unwrap();
    let item_of_a = svc::checklist(&ctx, &a).await.unwrap().remove(0);
    let (status, _) = app
        .call("set_checklist_item", &[("reference", &b.reference), ("item_id", &item_of_a.id), ("done", "true")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an item is only reachable through its own incident");
    let (status, _) = app
        .call("set_checklist_item", &[("reference", &a.reference), ("item_id", &item_of_a.id), ("done", "maybe")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .call("add_checklist_item", &[("reference", &a.reference), ("item[phase]", "closed"), ("item[text]", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.call("move_incident", &[("reference", &a.reference), ("to", "containment")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("PhaseGate"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_items_owner_due_time_and_note_can_be_changed_and_the_change_is_on_the_timeline() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let i = svc::create(&ctx, phishing_form("Edit items").parse_new(db::now()).unwrap(), db::now()).await.unwrap();
    let item = svc::checklist(&ctx, &i).await.unwrap().into_iter().find(|x| x.phase == Phase::Identification).unwrap();
    let (status, body) = app
        .call(
            "edit_checklist_item",
            &[("reference", &i.reference), ("item_id", &item.id), ("edit[due_at]", "next tuesday")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("due_at"), "{body}");
    let (status, body) = app
        .call(
            "edit_checklist_item",
            &[
                ("reference", &i.reference),
                ("item_id", &item.id),
                ("edit[owner]", "Sam Okafor"),
                ("edit[due_at]", "2020-01-01T09:00"),
                ("edit[note]", "Waiting for the mail logs"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored = svc::checklist(&ctx, &i).await.unwrap().into_iter().find(|x| x.id == item.id).unwrap();
    assert_eq!(stored.owner.as_deref(), Some("Sam Okafor"));
    assert_eq!(stored.note, "Waiting for the mail logs");
    assert!(stored.is_overdue(db::now()));
    let board = svc::board(&ctx, &Default::default()).await.unwrap();
    assert_eq!(board.progress[&i.id].overdue, 1);
    let (_, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    assert!(
        timeline
            .iter()
            .any(|e| e.body.contains("owner none → Sam Okafor") && e.body.contains("Waiting for the mail logs"))
    );
    // The same edit again changes nothing and records nothing.
    let before = timeline.len();
    app.call(
        "edit_checklist_item",
        &[
            ("reference", &i.reference),
            ("item_id", &item.id),
            ("edit[owner]", "Sam Okafor"),
            ("edit[due_at]", "2020-01-01T09:00"),
            ("edit[note]", "Waiting for the mail logs"),
        ],
    )
    .await;
    assert_eq!(svc::get_with_timeline(&ctx, &i.reference).await.unwrap().1.len(), before);
}
