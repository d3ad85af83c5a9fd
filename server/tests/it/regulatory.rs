//! Regulatory clocks: started from a trigger time, deadlines per stage
//! (hours, business days with the holiday calendar, chained stages),
//! submissions recorded append-only, flags on the board, and the regimes and
//! calendar kept by admins.

use crate::helpers::{TestApp, new_incident};
use app::backend::{db, services};
use app::domain::access::Role;
use chrono::{Duration, Timelike};
use http::StatusCode;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn minutes(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// The incident page's regulatory section.
async fn regulatory(app: &TestApp, reference: &str) -> Value {
    let (status, body) = app.call("incident", &[("reference", reference)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    json(&body)["regulatory"].clone()
}

#[tokio::test]
async fn a_gdpr_clock_runs_from_awareness_and_submissions_are_kept_for_good() {
    let app = TestApp::spawn().await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Payroll leak"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    app.create_user("responder", Role::Responder).await;
    let responder = app.sign_in("responder").await;

    // Awareness 80 hours ago: the authority's 72 hours have run out.
    let aware = (db::now() - Duration::hours(80)).with_second(0).unwrap().with_nanosecond(0).unwrap();
    let start = [("reference", r), ("clock[regime]", "gdpr"), ("clock[trigger_at]", &minutes(aware))];
    let (status, body) = app.call_as(Some(&responder), "start_clock", &start).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let clock_id = json(&body)["id"].as_str().unwrap().to_owned();
    let (status, body) = app.call_as(Some(&responder), "start_clock", &start).await;
    assert_eq!(status, StatusCode::CONFLICT, "one clock per regime: {body}");

    let section = regulatory(&app, r).await;
    let stages = &section["clocks"][0]["stages"];
    assert_eq!(stages[0][0]["key"], "authority");
    let due = &stages[0][1]["Due"];
    assert_eq!(due["overdue"], true, "{section}");
    let due_at: chrono::DateTime<chrono::Utc> = due["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(due_at, aware + Duration::hours(72));
    assert_eq!(stages[1][1], "Open", "Art. 34 runs without a fixed period");
    let available: Vec<&str> =
        section["available"].as_array().unwrap().iter().map(|a| a[0].as_str().unwrap()).collect();
    assert!(!available.contains(&"gdpr") && available.contains(&"nis2"), "{available:?}");

    // The board flags the passed deadline.
    let (_, board) = app.call("board", &[]).await;
    let flag = &json(&board)["deadlines"][&incident.id];
    assert_eq!(flag[1], true, "{board}");

    // The authority is notified now, late; the data subjects are assessed.
    let submit = |stage: &'static str, outcome: &'static str, to: &'static str, summary: &'static str| {
        vec![
            ("reference", r.to_owned()),
            ("notification_id", clock_id.clone()),
            ("submission[stage]", stage.to_owned()),
            ("submission[outcome]", outcome.to_owned()),
            ("submission[submitted_at]", minutes(db::now())),
            ("submission[submitted_to]", to.to_owned()),
            ("submission[reference]", if to.is_empty() { String::new() } else { "IC-2026-1234".to_owned() }),
            ("submission[summary]", summary.to_owned()),
        ]
    };
    let as_pairs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let form = as_pairs(&submit("authority", "submitted", "ICO", "Initial notification; more to follow."));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call_as(Some(&responder), "record_submission", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let form = as_pairs(&submit("data_subjects", "not_required", "", "Encrypted laptop: no high risk to people."));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call_as(Some(&responder), "record_submission", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let section = regulatory(&app, r).await;
    let stages = &section["clocks"][0]["stages"];
    assert_eq!(stages[0][1]["Submitted"]["late"], true, "{section}");
    assert_eq!(stages[1][1]["NotRequired"]["reason"], "Encrypted laptop: no high risk to people.");
    assert_eq!(section["clocks"][0]["notification"]["submissions"].as_array().unwrap().len(), 2);
    let (_, board) = app.call("board", &[]).await;
    assert!(json(&board)["deadlines"].get(&incident.id).is_none(), "nothing left running: {board}");

    let (_, timeline) = services::incidents::get_with_timeline(&app.ctx(), r).await.unwrap();
    let said: Vec<&str> =
        timeline.iter().filter(|e| e.kind == app::domain::TimelineKind::Regulatory).map(|e| e.body.as_str()).collect();
    assert!(
        said.iter().any(|s| s.contains("clock started") && s.contains("Notify the supervisory authority")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|s| s.contains("submitted to ICO") && s.contains("IC-2026-1234") && s.contains("after the deadline")),
        "{said:#?}"
    );
    assert!(said.iter().any(|s| s.contains("not required") && s.contains("Encrypted laptop")), "{said:#?}");

    // The record is append-only, down to the database.
    let pool = &app.state.db.pool;
    assert!(sqlx::query("UPDATE regulatory_submissions SET summary = 'x'").execute(pool).await.is_err());
    assert!(sqlx::query("DELETE FROM regulatory_submissions").execute(pool).await.is_err());
    assert!(sqlx::query("UPDATE regulatory_notifications SET trigger_at = 'x'").execute(pool).await.is_err());
    assert!(sqlx::query("DELETE FROM regulatory_notifications").execute(pool).await.is_err());
}

#[tokio::test]
async fn business_day_deadlines_skip_weekends_and_the_holiday_calendar() {
    let app = TestApp::spawn().await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Material breach"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    let (status, body) =
        app.call("add_holiday", &[("holiday[date]", "2026-11-26"), ("holiday[name]", "Thanksgiving")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Determined on Wednesday 25 November 10:00: Fri 27, Mon 30, Tue 1, Wed 2.
    let start = [("reference", r), ("clock[regime]", "sec_8k"), ("clock[trigger_at]", "2026-11-25T10:00")];
    let (status, body) = app.call("start_clock", &start).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let section = regulatory(&app, r).await;
    let stage = &section["clocks"][0]["stages"][0][1];
    let due = stage.get("Due").unwrap_or_else(|| panic!("{stage}"));
    assert_eq!(
        due["due_at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap(),
        "2026-12-02T10:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    );

    // A submission before the trigger, or in the future, is refused next to its field.
    let (_, page) = app.call("incident", &[("reference", r)]).await;
    let clock_id = json(&page)["regulatory"]["clocks"][0]["notification"]["id"].as_str().unwrap().to_owned();
    for (at, says) in [("2026-11-20T10:00", "before the clock"), ("2099-01-01T10:00", "future")] {
        let (status, body) = app
            .call(
                "record_submission",
                &[
                    ("reference", r),
                    ("notification_id", &clock_id),
                    ("submission[stage]", "form_8k"),
                    ("submission[outcome]", "submitted"),
                    ("submission[submitted_at]", at),
                    ("submission[submitted_to]", "SEC EDGAR"),
                    ("submission[summary]", "Form 8-K"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("submitted_at") && body.contains(says), "{body}");
    }
    let (status, body) = app
        .call(
            "record_submission",
            &[
                ("reference", r),
                ("notification_id", &clock_id),
                ("submission[stage]", "no_such_stage"),
                ("submission[outcome]", "submitted"),
                ("submission[submitted_at]", "2026-11-30T10:00"),
                ("submission[submitted_to]", "SEC EDGAR"),
                ("submission[summary]", "Form 8-K"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"stage\""), "{body}");
    let (status, body) = app
        .call(
            "start_clock",
            &[("reference", r), ("clock[regime]", "volcano"), ("clock[trigger_at]", "2026-11-25T10:00")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"regime\""), "{body}");
}

#[tokio::test]
async fn admins_keep_their_own_regimes_and_the_calendar() {
    let app = TestApp::spawn().await;
    let regime = [
        ("regime[key]", "acme_contract"),
        ("regime[name]", "ACME contract notice"),
        ("regime[trigger]", "Confirmed incident touching ACME data"),
        (
            "regime[stages]",
            "Tell ACME's security desk; 24h; Scope and contact\nWritten report; 10bd after 1; Root cause",
        ),
    ];
    app.create_user("ic", Role::Commander).await;
    let ic = app.sign_in("ic").await;
    let (status, _) = app.call_as(Some(&ic), "create_regime", &regime).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only admins add regimes");
    let (status, body) = app.call("create_regime", &regime).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call("create_regime", &regime).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"key\""), "{body}");
    let mut builtin = regime;
    builtin[0].1 = "gdpr";
    let (status, body) = app.call("create_regime", &builtin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut bad = regime;
    bad[0].1 = "other_contract";
    bad[3].1 = "Tell them; next week; x";
    let (status, body) = app.call("create_regime", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"stages\"") && body.contains("Stage 1"), "{body}");

    // Everyone reads the list; the commander can start the new regime.
    let (status, body) = app.call_as(Some(&ic), "regulatory", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let page = json(&body);
    assert_eq!(page["may_edit"], false);
    let keys: Vec<&str> =
        page["regimes"].as_array().unwrap().iter().map(|e| e["regime"]["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["gdpr", "nis2", "dora", "sec_8k", "hipaa", "acme_contract"]);
    let incident = services::incidents::create(&app.ctx(), new_incident("ACME data"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    let trigger = minutes(db::now() - Duration::hours(1));
    let (status, body) = app
        .call_as(
            Some(&ic),
            "start_clock",
            &[("reference", r), ("clock[regime]", "acme_contract"), ("clock[trigger_at]", &trigger)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let section = regulatory(&app, r).await;
    assert_eq!(section["clocks"][0]["stages"][1][1]["Waiting"]["after"], "Tell ACME's security desk");

    // A retired regime can no longer be started (running clocks keep going).
    let (status, _) = app.call("set_regime_retired", &[("key", "acme_contract"), ("retired", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    let other = services::incidents::create(&app.ctx(), new_incident("Later"), db::now()).await.unwrap();
    let (status, _) = app
        .call(
            "start_clock",
            &[("reference", &other.reference), ("clock[regime]", "acme_contract"), ("clock[trigger_at]", &trigger)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(regulatory(&app, r).await["clocks"].as_array().unwrap().len(), 1);
    let (status, _) = app.call("set_regime_retired", &[("key", "gdpr"), ("retired", "true")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "built-in regimes stay");

    // The calendar.
    let holiday = [("holiday[date]", "2026-12-25"), ("holiday[name]", "Christmas Day")];
    assert_eq!(app.call("add_holiday", &holiday).await.0, StatusCode::OK);
    let (status, body) = app.call("add_holiday", &holiday).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"date\""), "{body}");
    let (status, body) = app.call("add_holiday", &[("holiday[date]", "25/12/2026"), ("holiday[name]", "X")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.call("remove_holiday", &[("date", "2026-12-25")]).await.0, StatusCode::OK);
    assert_eq!(app.call("remove_holiday", &[("date", "2026-12-25")]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call("remove_holiday", &[("date", "someday")]).await.0, StatusCode::BAD_REQUEST);

    // Every change is in the audit log.
    let (_, audit) = app.call("audit_log", &[]).await;
    for action in [
        "regulatory.regime_created",
        "regulatory.regime_retired",
        "regulatory.holiday_added",
        "regulatory.holiday_removed",
        "incident.regulatory",
    ] {
        assert!(audit.contains(action), "{action} missing");
    }
}
