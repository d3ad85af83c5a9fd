//! Stakeholder updates: draft → approve → send, delivery through a real SMTP
//! receiver on loopback, retries and failures, manual deliveries, and the
//! records that never change once sent.

use crate::helpers::{TestApp, new_incident};
use crate::smtp::{Mode, SmtpSink};
use app::backend::{db, services};
use app::domain::TimelineKind;
use app::domain::access::Role;
use app::domain::communication::{DeliveryStatus, UpdateState};
use chrono::Duration;
use http::StatusCode;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn add_stakeholder(app: &TestApp, audience: &str, name: &str, contact: &str) {
    let (status, body) = app
        .call(
            "add_stakeholder",
            &[("stakeholder[audience]", audience), ("stakeholder[name]", name), ("stakeholder[contact]", contact)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A complete draft for `audiences` at `tlp`.
fn draft<'a>(reference: &'a str, audiences: &[&'a str], tlp: &'a str) -> Vec<(String, String)> {
    let mut form = vec![
        ("reference".to_owned(), reference.to_owned()),
        ("update[tlp]".to_owned(), tlp.to_owned()),
        ("update[status_summary]".to_owned(), "Phishing mailbox isolated; no data taken.".to_owned()),
        ("update[impact]".to_owned(), "Mail is slow for the finance team.".to_owned()),
        ("update[actions_taken]".to_owned(), "Blocked the sender and reset two passwords.".to_owned()),
        ("update[next_steps]".to_owned(), "Sweep all mailboxes for the lure.".to_owned()),
    ];
    for a in audiences {
        form.push((format!("update[audiences][{a}]"), "on".to_owned()));
    }
    form
}

/// Drafts `form` as the admin, approves it and sends it.
async fn send_through(app: &TestApp, reference: &str, form: &[(String, String)]) {
    let (status, body) = app.call("save_update", &pairs(form)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = json(&body)["id"].as_str().unwrap().to_owned();
    for (endpoint, version) in [("approve_update", "1"), ("send_update", "2")] {
        let (status, body) =
            app.call(endpoint, &[("reference", reference), ("update_id", &id), ("version", version)]).await;
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
    }
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_is_drafted_approved_sent_and_delivered_over_smtp() {
    let mut app = TestApp::spawn().await;
    let sink = SmtpSink::start().await;
    app.use_mailer(&sink.url());
    add_stakeholder(&app, "executives", "Chief executive", "ceo@example.org").await;
    add_stakeholder(&app, "executives", "Finance director", "Mobile +44 7700 900123 (no email)").await;
    add_stakeholder(&app, "legal_dpo", "Data protection officer", "Dana Prot <DPO@Example.org>").await;
    add_stakeholder(&app, "customers", "Customer list", "customers@example.org").await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Payroll phish"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    app.create_user("responder", Role::Responder).await;
    app.create_user("commander", Role::Commander).await;
    let responder = app.sign_in("responder").await;
    let commander = app.sign_in("commander").await;

    // A responder drafts; the draft is not yet sendable.
    let form = draft(r, &["executives", "legal_dpo"], "amber");
    let (status, body) = app.call_as(Some(&responder), "save_update", &pairs(&form)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let saved = json(&body);
    let id = saved["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (saved["state"].as_str(), saved["number"].as_i64(), saved["version"].as_i64()),
        (Some("Draft"), Some(1), Some(1))
    );
    let send = |v: &str| {
        vec![("reference", r), ("update_id", id.as_str()), ("version", v)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>()
    };
    let (status, body) = app.call_as(Some(&responder), "send_update", &pairs(&send("1"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a draft is not sent before approval: {body}");
    assert!(body.contains("approve it first"), "{body}");

    // Only commanders and admins approve; a stale approval is refused.
    let (status, _) = app.call_as(Some(&responder), "approve_update", &pairs(&send("1"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call_as(Some(&commander), "approve_update", &pairs(&send("1"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["approved_by"].as_str(), Some("commander (test)"));
    let (status, body) = app.call_as(Some(&commander), "approve_update", &pairs(&send("1"))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("changed by someone else"), "{body}");

    // Sending queues one delivery per stakeholder of the chosen audiences
    // (not the customers), each carrying exactly the composed message.
    let (status, body) = app.call_as(Some(&responder), "send_update", &pairs(&send("2"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sent = json(&body);
    assert_eq!(sent["state"].as_str(), Some("Sent"));
    assert!(sent["next_update_at"].is_string(), "sending fixes when the next update is due: {body}");
    let listed = services::updates::list(&app.ctx(), &incident).await.unwrap();
    let deliveries = &listed[0].deliveries;
    assert_eq!(deliveries.len(), 3, "{deliveries:?}");
    let by_hand: Vec<_> = deliveries.iter().filter(|d| d.status == DeliveryStatus::ToTell).collect();
    assert_eq!(by_hand.len(), 1);
    assert_eq!(by_hand[0].recipient, "Finance director");
    assert!(deliveries.iter().any(|d| d.address == "dpo@example.org" && d.status == DeliveryStatus::Queued));

    // The worker hands them to the SMTP server, once.
    assert_eq!(services::updates::deliver_due(&app.state, db::now()).await.unwrap(), 2);
    let mut received = sink.received();
    received.sort_by(|a, b| a.to.cmp(&b.to));
    let to: Vec<_> = received.iter().map(|m| m.to.join(",")).collect();
    assert_eq!(to, ["ceo@example.org", "dpo@example.org"]);
    let message = &received[0].data;
    assert_eq!(received[0].from, "firebreak@example.org");
    assert!(message.contains(&format!("Subject: [TLP:AMBER] {r} update 1: Payroll phish")), "{message}");
    assert!(message.contains("Phishing mailbox isolated; no data taken."), "{message}");
    assert!(message.contains("Sweep all mailboxes for the lure."), "{message}");
    assert_eq!(services::updates::deliver_due(&app.state, db::now()).await.unwrap(), 0, "nothing is sent twice");
    assert_eq!(sink.received().len(), 2);
    let listed = services::updates::list(&app.ctx(), &incident).await.unwrap();
    let delivered = listed[0].deliveries.iter().filter(|d| d.status == DeliveryStatus::Delivered).count();
    assert_eq!(delivered, 2);

    // The finance director is told by phone, once.
    let told = [("reference", r), ("delivery_id", by_hand[0].id.as_str()), ("note", "Called at 14:05")];
    let (status, body) = app.call_as(Some(&responder), "mark_delivery_told", &told).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.call_as(Some(&responder), "mark_delivery_told", &told).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Every step is on the timeline.
    let (_, timeline) = services::incidents::get_with_timeline(&app.ctx(), r).await.unwrap();
    let said: Vec<&str> =
        timeline.iter().filter(|e| e.kind == TimelineKind::Communication).map(|e| e.body.as_str()).collect();
    for expected in [
        "Update 1 drafted",
        "Update 1 approved",
        "Update 1 sent",
        "delivered by email to Chief executive",
        "Finance director (Executives) told",
        "Called at 14:05",
    ] {
        assert!(said.iter().any(|s| s.contains(expected)), "{expected} missing from {said:#?}");
    }

    // A sent update is final, through the API and in the database itself.
    let mut edit = draft(r, &["executives"], "amber");
    edit.push(("update_id".into(), id.clone()));
    edit.push(("version".into(), "3".into()));
    let (status, body) = app.call_as(Some(&commander), "save_update", &pairs(&edit)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("cannot be changed"), "{body}");
    let pool = &app.state.db.pool;
    let changed = sqlx::query("UPDATE stakeholder_updates SET status_summary = 'rewritten' WHERE id = $1")
        .bind(&id)
        .execute(pool)
        .await;
    assert!(changed.is_err(), "the database refuses to rewrite a sent update");
    let removed = sqlx::query("DELETE FROM update_deliveries WHERE update_id = $1").bind(&id).execute(pool).await;
    assert!(removed.is_err(), "the database refuses to delete deliveries");
    let rewritten =
        sqlx::query("UPDATE update_deliveries SET body = 'other' WHERE update_id = $1").bind(&id).execute(pool).await;
    assert!(rewritten.is_err(), "the database refuses to change what was sent");

    // The page shows the update, its deliveries and when the next is due.
    let (status, body) = app.call_as(Some(&commander), "incident", &[("reference", r)]).await;
    assert_eq!(status, StatusCode::OK);
    let page = json(&body);
    let comms = &page["communications"];
    assert_eq!(comms["updates"][0]["update"]["state"].as_str(), Some("Sent"));
    assert_eq!(comms["due"]["first"].as_bool(), Some(false));
    assert_eq!(comms["may_approve"].as_bool(), Some(true));
    assert_eq!(comms["mail_enabled"].as_bool(), Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_deliveries_are_retried_then_given_up_and_can_be_queued_again() {
    let mut app = TestApp::spawn().await;
    let sink = SmtpSink::start().await;
    app.use_mailer(&sink.url());
    add_stakeholder(&app, "it_operations", "Service desk", "servicedesk@example.org").await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Outage"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    send_through(&app, r, &draft(r, &["it_operations"], "green")).await;
    let delivery = || async { services::updates::list(&app.ctx(), &incident).await.unwrap()[0].deliveries[0].clone() };

    // A deferral (4xx) is tried again later, not at once.
    sink.set_mode(Mode::Defer);
    assert_eq!(services::updates::deliver_due(&app.state, db::now()).await.unwrap(), 1);
    let d = delivery().await;
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Queued, 1));
    assert!(d.last_error.as_deref().unwrap_or_default().contains("deferred"), "{d:?}");
    assert_eq!(services::updates::deliver_due(&app.state, db::now()).await.unwrap(), 0, "it waits before retrying");

    // A permanent refusal (5xx) ends the tries and says so on the timeline.
    sink.set_mode(Mode::Reject);
    assert_eq!(services::updates::deliver_due(&app.state, db::now() + Duration::hours(1)).await.unwrap(), 1);
    let d = delivery().await;
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Failed, 2));
    assert!(d.last_error.as_deref().unwrap_or_default().contains("refused"), "{d:?}");
    let (_, timeline) = services::incidents::get_with_timeline(&app.ctx(), r).await.unwrap();
    assert!(timeline.iter().any(|e| e.body.contains("could not be delivered to Service desk")));
    assert_eq!(services::updates::deliver_due(&app.state, db::now() + Duration::days(1)).await.unwrap(), 0);

    // Someone fixes the mailbox and queues it again; it goes out.
    sink.set_mode(Mode::Accept);
    let retry = [("reference", r), ("delivery_id", d.id.as_str())];
    let (status, body) = app.call("retry_delivery", &retry).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.call("retry_delivery", &retry).await;
    assert_eq!(status, StatusCode::CONFLICT, "only a failed delivery is queued again");
    assert_eq!(services::updates::deliver_due(&app.state, db::now()).await.unwrap(), 1);
    assert_eq!(delivery().await.status, DeliveryStatus::Delivered);
    assert_eq!(sink.received().len(), 1);
    assert_eq!(sink.received()[0].to, ["servicedesk@example.org"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_mail_server_deliveries_wait_in_the_queue() {
    let app = TestApp::spawn().await;
    add_stakeholder(&app, "executives", "Board", "board@example.org").await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Queued"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    send_through(&app, r, &draft(r, &["executives"], "amber")).await;
    assert_eq!(services::updates::deliver_due(&app.state, db::now()).await.unwrap(), 0);
    let listed = services::updates::list(&app.ctx(), &incident).await.unwrap();
    assert_eq!(listed[0].deliveries[0].status, DeliveryStatus::Queued);
    let (_, body) = app.call("incident", &[("reference", r)]).await;
    assert_eq!(json(&body)["communications"]["mail_enabled"].as_bool(), Some(false), "the page can say why");
}

#[tokio::test]
async fn bad_update_input_gets_field_messages() {
    let app = TestApp::spawn().await;
    add_stakeholder(&app, "customers", "Customer list", "customers@example.org").await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Checks"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    let replace = |form: Vec<(String, String)>, key: &str, value: &str| {
        form.into_iter().map(|(k, v)| if k == key { (k, value.to_owned()) } else { (k, v) }).collect::<Vec<_>>()
    };
    // (form, the field its message names, what the message says)
    type Case<'a> = (Vec<(String, String)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (draft(r, &[], "amber"), "audiences", "at least one audience"),
        (draft(r, &["volcanoes"], "amber"), "audiences", "from the list"),
        (draft(r, &["customers"], "red"), "audiences", "TLP:RED"),
        (draft(r, &["press"], "green"), "audiences", "not for the public"),
        (draft(r, &["executives"], "purple"), "tlp", "TLP"),
        (replace(draft(r, &["executives"], "amber"), "update[status_summary]", "  "), "status_summary", ""),
        (replace(draft(r, &["executives"], "amber"), "update[next_steps]", &"x".repeat(5001)), "next_steps", ""),
    ];
    for (form, field, says) in &cases {
        let (status, body) = app.call("save_update", &pairs(form)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(body.contains(&format!("\"{field}\"")) && body.contains(says), "{field} / {says}: {body}");
    }
    let mut past = draft(r, &["executives"], "amber");
    past.push(("update[next_update_at]".into(), "2020-01-01T10:00".into()));
    let (status, body) = app.call("save_update", &pairs(&past)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("next_update_at") && body.contains("future"), "{body}");

    // Nobody in the directory for an audience: the send is refused with a
    // message on the audiences, and nothing is marked sent.
    let (status, body) = app.call("save_update", &pairs(&draft(r, &["regulators"], "amber"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = json(&body)["id"].as_str().unwrap().to_owned();
    let (status, _) = app.call("approve_update", &[("reference", r), ("update_id", &id), ("version", "1")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.call("send_update", &[("reference", r), ("update_id", &id), ("version", "2")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Regulators") && body.contains("stakeholder directory"), "{body}");
    let listed = services::updates::list(&app.ctx(), &incident).await.unwrap();
    assert_eq!(listed.iter().find(|u| u.update.id == id).unwrap().update.state, UpdateState::Approved);

    // Malformed versions and unknown ids are 4xx, never 500.
    let (status, _) = app.call("approve_update", &[("reference", r), ("update_id", &id), ("version", "two")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app.call("send_update", &[("reference", r), ("update_id", "nope"), ("version", "1")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn people_outside_a_restricted_incident_cannot_reach_its_updates() {
    let app = TestApp::spawn().await;
    let incident = services::incidents::create(&app.ctx(), new_incident("Secret"), db::now()).await.unwrap();
    let r = incident.reference.as_str();
    let (status, body) = app.call("save_update", &pairs(&draft(r, &["executives"], "amber"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = json(&body)["id"].as_str().unwrap().to_owned();
    let (status, _) = app.call("set_restricted", &[("reference", r), ("restricted", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    app.create_user("outsider", Role::Commander).await;
    let outsider = app.sign_in("outsider").await;
    let (status, _) =
        app.call_as(Some(&outsider), "approve_update", &[("reference", r), ("update_id", &id), ("version", "1")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call_as(Some(&outsider), "save_update", &pairs(&draft(r, &["executives"], "amber"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_board_flags_incidents_whose_stakeholder_update_is_overdue() {
    let app = TestApp::spawn().await;
    add_stakeholder(&app, "executives", "Board", "board@example.org").await;
    let quiet =
        services::incidents::create(&app.ctx(), new_incident("Quiet"), db::now() - Duration::days(5)).await.unwrap();
    let fresh = services::incidents::create(&app.ctx(), new_incident("Fresh"), db::now()).await.unwrap();
    let overdue = |body: &str| -> Vec<String> {
        let mut ids: Vec<String> =
            json(body)["updates_overdue"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        ids.sort();
        ids
    };
    let (status, body) = app.call("board", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(overdue(&body), vec![quiet.id.clone()], "{} is not yet due", fresh.reference);

    // An update sent with a next update time in the future clears the flag.
    let r = quiet.reference.as_str();
    let mut form = draft(r, &["executives"], "amber");
    form.push(("update[next_update_at]".into(), (db::now() + Duration::hours(3)).format("%Y-%m-%dT%H:%M").to_string()));
    send_through(&app, r, &form).await;
    let (_, body) = app.call("board", &[]).await;
    assert!(overdue(&body).is_empty(), "{body}");
}

#[tokio::test]
async fn the_status_board_puts_the_most_urgent_first_with_each_latest_update() {
    let app = TestApp::spawn().await;
    add_stakeholder(&app, "executives", "Board", "board@example.org").await;
    let ctx = app.ctx();
    let quiet = app::domain::IncidentForm { urgency: "low".into(), ..crate::helpers::form("Scanner noise") };
    let p3 = services::incidents::create(&ctx, quiet.parse_new(db::now()).unwrap(), db::now()).await.unwrap();
    let urgent =
        services::incidents::create(&ctx, new_incident("Ransom note"), db::now() - Duration::days(2)).await.unwrap();

    // One update sent on the P3 incident.
    let r = p3.reference.as_str();
    send_through(&app, r, &draft(r, &["executives"], "amber")).await;

    app.create_user("manager", Role::Manager).await;
    let manager = app.sign_in("manager").await;
    let (status, body) = app.call_as(Some(&manager), "status_board", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let board = json(&body);
    let rows = board["rows"].as_array().unwrap();
    let refs: Vec<&str> = rows.iter().map(|r| r["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, [urgent.reference.as_str(), p3.reference.as_str()], "most urgent first");
    assert!(urgent.priority < p3.priority, "{:?} vs {:?}", urgent.priority, p3.priority);
    assert!(rows[0]["latest_update"].is_null());
    assert_eq!(rows[0]["next_update"]["overdue"].as_bool(), Some(true), "two days without an update");
    assert_eq!(rows[1]["latest_update"]["number"].as_i64(), Some(1));
    assert_eq!(rows[1]["latest_update"]["status_summary"].as_str(), Some("Phishing mailbox isolated; no data taken."));
    assert_eq!(rows[1]["next_update"]["overdue"].as_bool(), Some(false));
    assert_eq!(rows[1]["next_update"]["first"].as_bool(), Some(false));
    assert!(rows[0]["regulatory_deadline"].is_null(), "no clock running yet");

    // A regulatory clock shows with its deadline.
    let trigger = (db::now() - Duration::hours(80)).format("%Y-%m-%dT%H:%M").to_string();
    let (status, body) = app
        .call(
            "start_clock",
            &[("reference", &urgent.reference), ("clock[regime]", "gdpr"), ("clock[trigger_at]", &trigger)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = app.call_as(Some(&manager), "status_board", &[]).await;
    assert_eq!(json(&body)["rows"][0]["regulatory_deadline"][1].as_bool(), Some(true), "{body}");

    // Staff see only what they reported or belong to; restricted incidents
    // stay hidden from everyone outside them.
    app.create_user("staff", Role::Staff).await;
    let staff = app.sign_in("staff").await;
    let (_, body) = app.call_as(Some(&staff), "status_board", &[]).await;
    assert!(json(&body)["rows"].as_array().unwrap().is_empty(), "{body}");
    let (status, _) = app.call("set_restricted", &[("reference", &urgent.reference), ("restricted", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = app.call_as(Some(&manager), "status_board", &[]).await;
    assert!(!body.contains("Ransom note"), "{body}");
}
