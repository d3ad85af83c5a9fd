//! Services and repositories on the real database.

use crate::helpers::{TestApp, form, new_incident};
use app::backend::db::{self, incidents::IncidentFilter};
use app::backend::error::BackendError;
use app::backend::services::incidents as svc;
use app::domain::{IncidentChanges, Phase, TimelineEntryForm, TimelineKind};
use chrono::{Datelike, Duration};
use std::collections::HashSet;

#[tokio::test]
async fn references_are_sequential_within_a_year() {
    let app = TestApp::spawn().await;
    let now = db::now();
    let a = svc::create(&app.ctx(), new_incident("First"), now).await.unwrap();
    let b = svc::create(&app.ctx(), new_incident("Second"), now).await.unwrap();
    assert_eq!(a.reference, format!("INC-{}-0001", now.year()));
    assert_eq!(b.reference, format!("INC-{}-0002", now.year()));
    assert_eq!(a.phase, Phase::Identification);
    assert_eq!(a.version, 1);
}

#[tokio::test]
async fn concurrent_creation_never_hands_out_a_reference_twice() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for n in 0..16 {
        let ctx = app.ctx();
        tasks.push(tokio::spawn(
            async move { svc::create(&ctx, new_incident(&format!("Parallel {n}")), db::now()).await },
        ));
    }
    let mut refs = HashSet::new();
    for t in tasks {
        refs.insert(t.await.unwrap().unwrap().reference);
    }
    assert_eq!(refs.len(), 16);
    let year = db::now().year();
    for n in 1..=16 {
        assert!(refs.contains(&format!("INC-{year}-{n:04}")), "missing number {n}");
    }
}

#[tokio::test]
async fn creation_writes_its_timeline_event_in_the_same_transaction() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), new_incident("Created"), db::now()).await.unwrap();
    let (_, timeline) = svc::get_with_timeline(&app.ctx(), &i.reference).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].kind, TimelineKind::Created);
    assert_eq!(timeline[0].author, "Tester");
}

#[tokio::test]
async fn phase_moves_stamp_and_clear_milestones_and_keep_the_history() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let t0 = db::now();
    let i = svc::create(&ctx, new_incident("Ransomware"), t0).await.unwrap();
    let r = i.reference.clone();
    let i = svc::move_phase(&ctx, &r, Phase::Containment, None, Some(1), t0 + Duration::minutes(1)).await.unwrap();
    assert_eq!(i.phase, Phase::Containment);
    assert_eq!(i.milestones.contained_at, None);
    let t2 = t0 + Duration::minutes(2);
    let i = svc::move_phase(&ctx, &r, Phase::Eradication, None, None, t2).await.unwrap();
    assert_eq!(i.milestones.contained_at, Some(t2));
    let i = svc::move_phase(&ctx, &r, Phase::Containment, Some("Reinfected host"), None, t0 + Duration::minutes(3))
        .await
        .unwrap();
    assert_eq!(i.phase, Phase::Containment);
    assert_eq!(i.milestones.contained_at, None, "moving back clears the reopened milestone");
    let (stored, timeline) = svc::get_with_timeline(&ctx, &r).await.unwrap();
    assert_eq!(stored, i, "what was returned is what was stored");
    let phase_events: Vec<_> = timeline.iter().filter(|e| e.kind == TimelineKind::PhaseChanged).collect();
    assert_eq!(phase_events.len(), 3);
    assert!(
        phase_events[0].body.contains("Reinfected host"),
        "newest first, with the reason: {}",
        phase_events[0].body
    );
    assert!(phase_events[1].body.contains("Contained time stamped"));
}

#[tokio::test]
async fn skipping_a_phase_or_moving_back_without_reason_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let i = svc::create(&ctx, new_incident("Skip"), db::now()).await.unwrap();
    let err = svc::move_phase(&ctx, &i.reference, Phase::Recovery, None, None, db::now()).await.unwrap_err();
    assert!(matches!(err, BackendError::Conflict(_)), "{err:?}");
    svc::move_phase(&ctx, &i.reference, Phase::Containment, None, None, db::now()).await.unwrap();
    let err =
        svc::move_phase(&ctx, &i.reference, Phase::Identification, Some("  "), None, db::now()).await.unwrap_err();
    match err {
        BackendError::Validation(e) => assert!(e.get("reason").is_some()),
        other => panic!("expected a validation error, got {other:?}"),
    }
    let (stored, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    assert_eq!(stored.phase, Phase::Containment);
    assert_eq!(stored.version, 2);
    assert_eq!(timeline.len(), 2);
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_the_newer_edit_survives() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let i = svc::create(&ctx, new_incident("Original"), db::now()).await.unwrap();
    let now = db::now();
    let first = IncidentChanges { fields: form("Edited by Ann").parse_fields(now).unwrap(), expected_version: 1 };
    let stale = IncidentChanges { fields: form("Edited by Bob").parse_fields(now).unwrap(), expected_version: 1 };
    let updated = svc::update(&ctx, &i.reference, first, now).await.unwrap();
    assert_eq!(updated.version, 2);
    let err = svc::update(&ctx, &i.reference, stale, now).await.unwrap_err();
    assert!(matches!(err, BackendError::Conflict(ref m) if m.contains("changed by someone else")), "{err:?}");
    let (stored, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    assert_eq!(stored.title, "Edited by Ann");
    let changes: Vec<_> = timeline.iter().filter(|e| e.kind == TimelineKind::FieldChanged).collect();
    assert_eq!(changes.len(), 1);
    assert!(changes[0].body.contains("Original") && changes[0].body.contains("Edited by Ann"));
}

#[tokio::test]
async fn an_edit_that_changes_nothing_keeps_the_version() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let i = svc::create(&ctx, new_incident("Same"), db::now()).await.unwrap();
    let same = IncidentChanges { fields: form("Same").parse_fields(db::now()).unwrap(), expected_version: 1 };
    assert_eq!(svc::update(&ctx, &i.reference, same, db::now()).await.unwrap().version, 1);
}

#[tokio::test]
async fn a_backdated_note_is_ordered_by_when_it_happened() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, new_incident("Notes"), now).await.unwrap();
    let back = (now - Duration::hours(30)).format("%Y-%m-%dT%H:%M").to_string();
    let entry = TimelineEntryForm { kind: "note".into(), body: "Attacker logged in".into(), event_at: back };
    let e = svc::add_timeline_entry(&ctx, &i.reference, entry.parse(now).unwrap(), now).await.unwrap();
    assert!(e.event_at < e.recorded_at);
    let (stored, timeline) = svc::get_with_timeline(&ctx, &i.reference).await.unwrap();
    assert_eq!(timeline.last().unwrap().body, "Attacker logged in", "oldest event time last");
    assert_eq!(stored.version, 1, "notes do not make open edits stale");
}

#[tokio::test]
async fn the_database_refuses_to_alter_or_delete_timeline_events() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), new_incident("Immutable"), db::now()).await.unwrap();
    let pool = &app.state.db.pool;
    let update = sqlx::query("UPDATE timeline_events SET body = 'rewritten' WHERE incident_id = $1")
        .bind(&i.id)
        .execute(pool)
        .await;
    assert!(update.is_err(), "update must be refused");
    let delete = sqlx::query("DELETE FROM timeline_events WHERE incident_id = $1").bind(&i.id).execute(pool).await;
    assert!(delete.is_err(), "delete must be refused");
    let (_, timeline) = svc::get_with_timeline(&app.ctx(), &i.reference).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_ne!(timeline[0].body, "rewritten");
}

#[tokio::test]
async fn the_board_filters_by_text_priority_classification_and_commander() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let mut f = form("Phishing at HR");
    f.classification = "fraud/phishing".into();
    f.commander = "Ann".into();
    svc::create(&ctx, f.parse_new(now).unwrap(), now).await.unwrap();
    let mut f = form("Ransomware 100%_done");
    f.classification = "malicious_code/ransomware".into();
    f.functional_impact = "high".into();
    f.recoverability = "extended".into();
    f.commander = "Bob".into();
    let ransomware = svc::create(&ctx, f.parse_new(now).unwrap(), now).await.unwrap();
    let all = svc::board(&ctx, &IncidentFilter::default()).await.unwrap();
    assert_eq!(all.open.len(), 2);
    assert_eq!(all.open[0].reference, ransomware.reference, "most urgent first");
    assert_eq!(all.commanders, vec!["Ann".to_string(), "Bob".to_string()]);
    let by = |filter: IncidentFilter| {
        let ctx = ctx.clone();
        async move { svc::board(&ctx, &filter).await.unwrap().open.into_iter().map(|i| i.title).collect::<Vec<_>>() }
    };
    assert_eq!(by(IncidentFilter { text: Some("phish".into()), ..Default::default() }).await, vec!["Phishing at HR"]);
    assert_eq!(
        by(IncidentFilter { text: Some("100%_".into()), ..Default::default() }).await,
        vec!["Ransomware 100%_done"]
    );
    assert_eq!(by(IncidentFilter { text: Some("0%x".into()), ..Default::default() }).await, Vec::<String>::new());
    assert_eq!(
        by(IncidentFilter { priority: Some("P1".into()), ..Default::default() }).await,
        vec!["Ransomware 100%_done"]
    );
    assert_eq!(
        by(IncidentFilter { category: Some("fraud".into()), ..Default::default() }).await,
        vec!["Phishing at HR"]
    );
    assert_eq!(
        by(IncidentFilter { commander: Some("Bob".into()), ..Default::default() }).await,
        vec!["Ransomware 100%_done"]
    );
}

#[tokio::test]
async fn closed_incidents_are_listed_apart_and_limited() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let i = svc::create(&ctx, new_incident("Done"), db::now()).await.unwrap();
    for p in [Phase::Containment, Phase::Eradication, Phase::Recovery, Phase::LessonsLearned, Phase::Closed] {
        if p == Phase::Closed {
            crate::helpers::record_review(&ctx, &i.reference).await;
        }
        svc::move_phase(&ctx, &i.reference, p, None, None, db::now()).await.unwrap();
    }
    let board = svc::board(&ctx, &IncidentFilter::default()).await.unwrap();
    assert!(board.open.is_empty());
    assert_eq!(board.closed_total, 1);
    assert!(board.closed[0].milestones.closed_at.is_some());
    assert!(board.closed[0].milestones.recovered_at.is_some());
}

#[tokio::test]
async fn demo_data_spreads_a_dozen_incidents_over_every_phase_once() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    assert_eq!(app::backend::demo::seed(&ctx, db::now()).await.unwrap(), 12);
    assert_eq!(app::backend::demo::seed(&ctx, db::now()).await.unwrap(), 0, "seeding twice adds nothing");
    let board = svc::board(&ctx, &IncidentFilter::default()).await.unwrap();
    let phases: HashSet<Phase> = board.open.iter().chain(board.closed.iter()).map(|i| i.phase).collect();
    assert_eq!(phases.len(), 6, "every phase has incidents: {phases:?}");
    let eradication = board.open.iter().find(|i| i.phase == Phase::Eradication).unwrap();
    assert!(eradication.milestones.contained_at.is_some());
    // The demo team is on the roster and holds roles on the incidents.
    let (team, roster) = svc::team(&ctx, eradication).await.unwrap();
    assert_eq!(roster.len(), 7);
    let commander = team.iter().find(|a| a.role == app::domain::playbook::IrRole::IncidentCommander).unwrap();
    assert_eq!(Some(&commander.name), eradication.commander.as_ref());
    assert!(team.iter().any(|a| a.role == app::domain::playbook::IrRole::TechnicalLead));
    // Incidents past triage have sent a stakeholder update to the demo directory.
    let sent = app::backend::services::updates::list(&ctx, eradication).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].update.state, app::domain::communication::UpdateState::Sent);
    assert_eq!(sent[0].deliveries.len(), 2, "the executives and the service desk");
    let triage = board.open.iter().find(|i| i.phase == Phase::Identification).unwrap();
    assert!(app::backend::services::updates::list(&ctx, triage).await.unwrap().is_empty());
    // Personal-data breaches run the GDPR clock; the closed one notified the
    // authority and documented why the data subjects were not told.
    let breaches: Vec<_> = board
        .open
        .iter()
        .chain(board.closed.iter())
        .filter(|i| i.information_impact == app::domain::InformationImpact::PrivacyBreach)
        .collect();
    assert_eq!(breaches.len(), 3);
    for i in breaches {
        let clocks = app::backend::services::regulatory::for_incident(&ctx, i, db::now()).await.unwrap();
        assert_eq!(clocks.len(), 1, "{}", i.title);
        let notified = clocks[0].0.submissions.len();
        if i.phase.index() >= Phase::LessonsLearned.index() {
            assert_eq!(notified, 2, "{}", i.title);
        } else {
            assert_eq!(notified, 0, "{}", i.title);
        }
    }
}

#[tokio::test]
async fn migrating_twice_is_harmless() {
    let app = TestApp::spawn().await;
    app.state.db.migrate().await.unwrap();
    svc::create(&app.ctx(), new_incident("After"), db::now()).await.unwrap();
}
