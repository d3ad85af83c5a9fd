//! Who may do what: every server function against the role table, callers
//! who are not signed in, and need-to-know on restricted incidents (IDOR).

use crate::helpers::{TestApp, new_incident};
use app::backend::db;
use app::backend::services::{self, incidents as svc};
use app::domain::Code;
use app::domain::access::Role;
use app::domain::{IndicatorForm, Phase};
use http::StatusCode;
use std::collections::BTreeMap;

/// Server functions that answer callers who are not signed in.
const PUBLIC: &[&str] = &["/api/sign_in", "/api/current_user", "/api/first_run_needed", "/api/create_first_admin"];

fn registered() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    paths.sort();
    paths.dedup();
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_who_are_not_signed_in_get_401_or_the_sign_in_page() {
    let app = TestApp::spawn().await;
    let i = svc::create(&app.ctx(), new_incident("Hidden"), db::now()).await.unwrap();
    for path in registered() {
        let endpoint = path.trim_start_matches("/api/");
        let (status, body) = app.call_as(None, endpoint, &[("reference", &i.reference)]).await;
        if PUBLIC.contains(&path.as_str()) {
            assert_ne!(status, StatusCode::UNAUTHORIZED, "{path} is public");
        } else {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} answered {status}: {body}");
            assert!(!body.contains("Hidden"), "{path} leaked data");
        }
    }
    for page in [
        "/",
        "/incidents/new",
        &format!("/incidents/{}", i.reference),
        "/indicators",
        "/admin/users",
        "/admin/audit",
        "/account",
    ] {
        let req = http::Request::get(page).body(axum::body::Body::empty()).unwrap();
        let (status, headers, body) = app.send_full(req).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        let location = headers["location"].to_str().unwrap();
        assert!(location.starts_with("/sign-in"), "{page} → {location}");
        assert!(!body.contains("Hidden"));
    }
    let (status, html) = app.get_as(None, "/sign-in").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sign in"));
    // A forged or expired cookie is no better than none, and is cleared.
    let (status, headers, _) = app.call_full(Some("firebreak_session=0123abcd"), "board", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get_all("set-cookie").iter().any(|v| v.to_str().unwrap().contains("Max-Age=0")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_any_account_exists_every_page_leads_to_the_first_run_page() {
    let app = TestApp::spawn_empty().await;
    let req = http::Request::get("/").body(axum::body::Body::empty()).unwrap();
    let (status, headers, _) = app.send_full(req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/setup");
    let (status, body) = app.call_as(None, "first_run_needed", &[]).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "true"));
    let form =
        [("user[username]", "Founder"), ("user[display_name]", "Founding Admin"), ("user[password]", "password1")];
    let (status, body) = app.call_as(None, "create_first_admin", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a common password is refused: {body}");
    assert!(body.contains("common"), "{body}");
    let form = [
        ("user[username]", "Founder"),
        ("user[display_name]", "Founding Admin"),
        ("user[password]", crate::helpers::PASSWORD),
    ];
    let (status, headers, body) = app.call_full(None, "create_first_admin", &form).await;
    assert!(status.is_success() || status.is_redirection(), "{status} {body}");
    let cookie = crate::helpers::session_cookie(&headers).expect("signed in at once");
    let (status, body) = app.call_as(Some(&cookie), "list_users", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"founder\"") && body.contains("\"Admin\""), "{body}");
    // The page closes once an account exists.
    let form =
        [("user[username]", "second"), ("user[display_name]", "Second"), ("user[password]", crate::helpers::PASSWORD)];
    let (status, _) = app.call_as(None, "create_first_admin", &form).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(db::accounts::count_users(&app.state.db.pool).await.unwrap(), 1);
}

/// Which roles may call each server function (the rest get 403). Functions
/// every signed-in user may call list all five roles.
fn role_table() -> BTreeMap<&'static str, &'static [Role]> {
    use Role::*;
    const ALL: &[Role] = &[Admin, Commander, Responder, Manager, Staff];
    const WORKERS: &[Role] = &[Admin, Commander, Responder];
    BTreeMap::from([
        ("/api/add_affected_item", WORKERS),
        ("/api/add_checklist_item", WORKERS),
        ("/api/add_evidence", WORKERS),
        ("/api/add_indicator", WORKERS),
        ("/api/add_member", &[Admin, Commander][..]),
        ("/api/add_timeline_entry", WORKERS),
        ("/api/audit_log", &[Admin][..]),
        ("/api/begin_totp", ALL),
        ("/api/board", ALL),
        ("/api/change_password", ALL),
        ("/api/confirm_totp", ALL),
        ("/api/create_first_admin", ALL),
        ("/api/create_incident", &[Admin, Commander, Responder, Staff][..]),
        ("/api/create_user", &[Admin][..]),
        ("/api/current_user", ALL),
        ("/api/disable_totp", ALL),
        ("/api/first_run_needed", ALL),
        ("/api/hand_over_evidence", WORKERS),
        ("/api/incident", ALL),
        ("/api/list_users", &[Admin][..]),
        ("/api/move_incident", WORKERS),
        ("/api/remove_member", &[Admin, Commander][..]),
        ("/api/reset_password", &[Admin][..]),
        ("/api/search_indicators", &[Admin, Commander, Responder, Manager][..]),
        ("/api/set_checklist_item", WORKERS),
        ("/api/set_containment_state", WORKERS),
        ("/api/set_restricted", &[Admin, Commander][..]),
        ("/api/set_user_disabled", &[Admin][..]),
        ("/api/set_user_role", &[Admin][..]),
        ("/api/sign_in", ALL),
        ("/api/sign_out", ALL),
        ("/api/sign_out_everywhere", ALL),
        ("/api/update_incident", WORKERS),
        ("/api/edit_checklist_item", WORKERS),
        ("/api/preparation", ALL),
        ("/api/publish_plan", &[Admin, Commander][..]),
        ("/api/add_roster_entry", &[Admin, Commander][..]),
        ("/api/add_stakeholder", &[Admin, Commander][..]),
        ("/api/add_readiness_item", &[Admin, Commander][..]),
        ("/api/verify_readiness_item", &[Admin, Commander][..]),
        ("/api/remove_preparation_entry", &[Admin, Commander][..]),
        ("/api/playbooks", ALL),
        ("/api/playbook", ALL),
        ("/api/create_playbook", &[Admin][..]),
        ("/api/update_playbook", &[Admin][..]),
        ("/api/set_playbook_retired", &[Admin][..]),
        ("/api/add_playbook_item", &[Admin][..]),
        ("/api/change_playbook_item", &[Admin][..]),
        ("/api/assign_incident_role", WORKERS),
        ("/api/save_update", WORKERS),
        ("/api/approve_update", &[Admin, Commander][..]),
        ("/api/send_update", WORKERS),
        ("/api/mark_delivery_told", WORKERS),
        ("/api/retry_delivery", WORKERS),
        ("/api/status_board", ALL),
        ("/api/regulatory", ALL),
        ("/api/create_regime", &[Admin][..]),
        ("/api/set_regime_retired", &[Admin][..]),
        ("/api/add_holiday", &[Admin][..]),
        ("/api/remove_holiday", &[Admin][..]),
        ("/api/start_clock", WORKERS),
        ("/api/record_submission", WORKERS),
        ("/api/lessons", ALL),
        ("/api/save_lessons", &[Admin, Commander, Responder, Staff][..]),
        ("/api/add_action_item", &[Admin, Commander, Responder, Staff][..]),
        ("/api/set_action_status", &[Admin, Commander, Responder, Staff][..]),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_follows_the_role_table() {
    let app = TestApp::spawn().await;
    let table = role_table();
    let listed: Vec<String> = table.keys().map(|k| k.to_string()).collect();
    assert_eq!(registered(), listed, "a server function is missing from the role table");

    // Something to act on: an incident with a checklist item, evidence, an
    // affected item; and an account to administer.
    let ctx = app.ctx();
    let i = svc::create(&ctx, new_incident("Table"), db::now()).await.unwrap();
    let r = i.reference.clone();
    let item = svc::add_item(
        &ctx,
        &r,
        app::domain::ChecklistItemForm { phase: "identification".into(), text: "Check".into(), ..Default::default() }
            .parse()
            .unwrap(),
        db::now(),
    )
    .await
    .unwrap();
    let ev = app
        .call(
            "add_evidence",
            &[
                ("reference", &r),
                ("evidence[item]", "Disk"),
                ("evidence[collected_by]", "Ann"),
                ("evidence[collected_at]", "2026-01-02T10:00"),
                ("evidence[location]", "Safe"),
            ],
        )
        .await;
    assert_eq!(ev.0, StatusCode::OK, "{}", ev.1);
    let evidence_id = serde_json::from_str::<serde_json::Value>(&ev.1).unwrap()["id"].as_str().unwrap().to_owned();
    let scope = app
        .call("add_affected_item", &[("reference", &r), ("affected[kind]", "asset"), ("affected[name]", "srv-1")])
        .await;
    assert_eq!(scope.0, StatusCode::OK, "{}", scope.1);
    let scope_id = serde_json::from_str::<serde_json::Value>(&scope.1).unwrap()["id"].as_str().unwrap().to_owned();
    let target = app.create_user("target", Role::Responder).await;

    let mut failures = Vec::new();
    for role in Role::ALL {
        let username = format!("as-{}", app::domain::Code::code(*role));
        app.create_user(&username, *role).await;
        for (path, allowed) in &table {
            let endpoint = path.trim_start_matches("/api/");
            // Each call gets its own session, so sign-outs do not end the next call's.
            let cookie = app.sign_in(&username).await;
            let args = args_for(endpoint, &r, &item.id, &evidence_id, &scope_id, &target.id);
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = app.call_as(Some(&cookie), endpoint, &args).await;
            let may = allowed.contains(role);
            let refused = status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED;
            if may == refused {
                failures.push(format!("{role:?} {path}: {status} {body}"));
            }
            if !may && body.contains("Table") {
                failures.push(format!("{role:?} {path} leaked the incident: {body}"));
            }
        }
    }
    assert!(failures.is_empty(), "role table violations:\n{}", failures.join("\n"));
}

/// Plausible arguments for each server function.
fn args_for(
    endpoint: &str,
    r: &str,
    item: &str,
    evidence: &str,
    scope: &str,
    user: &str,
) -> Vec<(&'static str, String)> {
    let s = |v: &str| v.to_owned();
    match endpoint {
        "add_affected_item" => {
            vec![("reference", s(r)), ("affected[kind]", s("service")), ("affected[name]", s("Mail"))]
        }
        "add_checklist_item" => {
            vec![("reference", s(r)), ("item[phase]", s("containment")), ("item[text]", s("Isolate"))]
        }
        "add_evidence" => vec![
            ("reference", s(r)),
            ("evidence[item]", s("Log")),
            ("evidence[collected_by]", s("Bo")),
            ("evidence[collected_at]", s("2026-01-02T10:00")),
            ("evidence[location]", s("Vault")),
        ],
        "add_indicator" => {
            vec![("reference", s(r)), ("indicator[kind]", s("ip")), ("indicator[value]", s("192.0.2.7"))]
        }
        "add_member" => vec![("reference", s(r)), ("username", s("target"))],
        "remove_member" => vec![("reference", s(r)), ("user_id", s(user))],
        "add_timeline_entry" => vec![("reference", s(r)), ("entry[kind]", s("note")), ("entry[body]", s("Noted"))],
        "audit_log" | "board" | "status_board" | "regulatory" => vec![],
        "create_regime" => vec![
            ("regime[key]", s("table_regime")),
            ("regime[name]", s("Table regime")),
            ("regime[trigger]", s("Anything")),
            ("regime[stages]", s("Tell them; 24h; Everything")),
        ],
        "lessons" => vec![("reference", s(r))],
        "save_lessons" => vec![("reference", s(r)), ("version", s("999")), ("lessons[summary]", s("Reviewed"))],
        "add_action_item" => vec![
            ("reference", s(r)),
            ("item[text]", s("Enable MFA")),
            ("item[owner]", s("IT")),
            ("item[due_on]", s("2027-01-01")),
        ],
        "set_action_status" => vec![("reference", s(r)), ("item_id", s("no-such-item")), ("status", s("done"))],
        "set_regime_retired" => vec![("key", s("no_such_regime")), ("retired", s("true"))],
        "add_holiday" => vec![("holiday[date]", s("2026-12-25")), ("holiday[name]", s("Christmas Day"))],
        "remove_holiday" => vec![("date", s("2030-01-01"))],
        "start_clock" => {
            vec![("reference", s(r)), ("clock[regime]", s("gdpr")), ("clock[trigger_at]", s("2026-01-02T10:00"))]
        }
        "record_submission" => vec![
            ("reference", s(r)),
            ("notification_id", s("no-such-clock")),
            ("submission[stage]", s("authority")),
            ("submission[outcome]", s("submitted")),
            ("submission[submitted_at]", s("2026-01-03T10:00")),
            ("submission[submitted_to]", s("ICO")),
            ("submission[summary]", s("Initial")),
        ],
        "change_password" => vec![("current", s("wrong password here")), ("new", s("another long passphrase"))],
        "confirm_totp" => vec![("code", s("000000"))],
        "disable_totp" => vec![("password", s("wrong password here"))],
        "create_first_admin" | "create_user" => vec![
            ("user[username]", format!("new{}", &item[item.len() - 6..])),
            ("user[display_name]", s("New")),
            ("user[role]", s("staff")),
            ("user[password]", s("yet another long passphrase")),
        ],
        "create_incident" => vec![
            ("form[title]", s("Reported")),
            ("form[classification]", s("other/unclassified")),
            ("form[functional_impact]", s("low")),
            ("form[information_impact]", s("none")),
            ("form[recoverability]", s("regular")),
            ("form[urgency]", s("low")),
            ("form[tlp]", s("amber")),
            ("form[reporter]", s("Me")),
        ],
        "hand_over_evidence" => vec![
            ("reference", s(r)),
            ("evidence_id", s(evidence)),
            ("handover[from_person]", s("Nobody")),
            ("handover[to_person]", s("Lab")),
            ("handover[purpose]", s("x")),
        ],
        "incident" => vec![("reference", s(r))],
        "preparation" => vec![],
        "edit_checklist_item" => vec![("reference", s(r)), ("item_id", s(item)), ("edit[owner]", s("Sam"))],
        "publish_plan" => vec![
            ("plan[body]", s("# Plan")),
            ("plan[approver]", s("CISO")),
            ("plan[approved_on]", s("2026-01-01")),
            ("plan[next_review_on]", s("2027-01-01")),
        ],
        "add_roster_entry" => {
            vec![("entry[name]", s("Ann")), ("entry[role]", s("scribe")), ("entry[contact]", s("+44 20 7946 0000"))]
        }
        "add_stakeholder" => vec![
            ("stakeholder[audience]", s("executives")),
            ("stakeholder[name]", s("Board")),
            ("stakeholder[contact]", s("board@example.org")),
        ],
        "add_readiness_item" => {
            vec![("item[name]", s("Jump bag")), ("item[owner]", s("Bo")), ("item[interval_days]", s("30"))]
        }
        "verify_readiness_item" => vec![("id", s("no-such-item"))],
        "remove_preparation_entry" => vec![("list", s("roster")), ("id", s("no-such-entry"))],
        "move_incident" => vec![("reference", s(r)), ("to", s("recovery"))],
        "playbooks" => vec![],
        "playbook" => vec![("key", s("generic"))],
        "create_playbook" => vec![
            ("playbook[key]", s("table_check")),
            ("playbook[name]", s("Table check")),
            ("playbook[applies_to]", s("other/unclassified")),
        ],
        "update_playbook" => vec![
            ("key", s("generic")),
            ("version", s("999")),
            ("playbook[name]", s("Generic")),
            ("playbook[applies_to]", s("")),
        ],
        "set_playbook_retired" => vec![("key", s("no_such_playbook")), ("retired", s("true"))],
        "add_playbook_item" => vec![
            ("key", s("no_such_playbook")),
            ("item[phase]", s("containment")),
            ("item[text]", s("Isolate")),
            ("item[owner]", s("technical_lead")),
        ],
        "change_playbook_item" => vec![("key", s("no_such_playbook")), ("id", s("no-such-item")), ("op", s("up"))],
        "assign_incident_role" => vec![("reference", s(r)), ("role", s("scribe")), ("person", s(""))],
        "save_update" => vec![
            ("reference", s(r)),
            ("update[audiences][executives]", s("on")),
            ("update[tlp]", s("amber")),
            ("update[status_summary]", s("Contained")),
            ("update[impact]", s("Mail down")),
            ("update[actions_taken]", s("Isolated")),
            ("update[next_steps]", s("Restore")),
        ],
        "approve_update" | "send_update" => {
            vec![("reference", s(r)), ("update_id", s("no-such-update")), ("version", s("1"))]
        }
        "mark_delivery_told" | "retry_delivery" => vec![("reference", s(r)), ("delivery_id", s("no-such-delivery"))],
        "reset_password" => vec![("user_id", s(user)), ("password", s("a fresh long passphrase"))],
        "search_indicators" => vec![("kind", s("ip")), ("value", s("192.0.2.7"))],
        "set_checklist_item" => vec![("reference", s(r)), ("item_id", s(item)), ("done", s("true"))],
        "set_containment_state" => vec![("reference", s(r)), ("item_id", s(scope)), ("to", s("isolated"))],
        "set_restricted" => vec![("reference", s(r)), ("restricted", s("false"))],
        "set_user_disabled" => vec![("user_id", s(user)), ("disabled", s("false"))],
        "set_user_role" => vec![("user_id", s(user)), ("role", s("responder"))],
        "sign_in" => vec![("username", s("target")), ("password", s(crate::helpers::PASSWORD))],
        "update_incident" => vec![
            ("reference", s(r)),
            ("version", s("999")),
            ("form[title]", s("Changed")),
            ("form[classification]", s("other/unclassified")),
            ("form[functional_impact]", s("low")),
            ("form[information_impact]", s("none")),
            ("form[recoverability]", s("regular")),
            ("form[urgency]", s("low")),
            ("form[tlp]", s("amber")),
            ("form[reporter]", s("Me")),
        ],
        _ => vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_incidents_are_invisible_to_non_members_everywhere() {
    let app = TestApp::spawn().await;
    app.create_user("investigator", Role::Responder).await;
    app.create_user("bystander", Role::Responder).await;
    app.create_user("boss", Role::Manager).await;
    app.create_user("clerk", Role::Staff).await;
    let ctx = app.ctx();
    let secret = svc::create(&ctx, new_incident("Insider case Zeta"), db::now()).await.unwrap();
    let open = svc::create(&ctx, new_incident("Ordinary outage"), db::now()).await.unwrap();
    let ioc = IndicatorForm { kind: "ip".into(), value: "198.51.100.23".into(), ..Default::default() };
    for reference in [&secret.reference, &open.reference] {
        services::indicators::add(&ctx, reference, ioc.parse().unwrap(), db::now()).await.unwrap();
    }
    let r = secret.reference.as_str();
    let (status, _) = app.call("set_restricted", &[("reference", r), ("restricted", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.call("add_member", &[("reference", r), ("username", "investigator")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    for outsider in ["bystander", "boss", "clerk"] {
        let cookie = app.sign_in(outsider).await;
        let (status, body) = app.call_as(Some(&cookie), "incident", &[("reference", r)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{outsider} read it by reference: {body}");
        let (status, board) = app.call_as(Some(&cookie), "board", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!board.contains(r) && !board.contains("Zeta"), "{outsider} sees it on the board");
        assert!(!board.contains(&secret.id), "{outsider} sees its id (progress map)");
        let (_, html) = app.get_as(Some(&cookie), "/").await;
        assert!(!html.contains("Zeta"), "{outsider} sees it on the board page");
        let (_, html) = app.get_as(Some(&cookie), &format!("/incidents/{r}")).await;
        assert!(!html.contains("Zeta"), "{outsider} sees its page");
        for page in ["report", "lessons"] {
            let (status, html) = app.get_as(Some(&cookie), &format!("/incidents/{r}/{page}")).await;
            assert!(!html.contains("Zeta"), "{outsider} sees its {page} page");
            assert_eq!(status, StatusCode::NOT_FOUND, "{outsider} {page}");
        }
        let (_, found) =
            app.call_as(Some(&cookie), "search_indicators", &[("kind", "ip"), ("value", "198.51.100.23")]).await;
        assert!(!found.contains(r), "{outsider} finds it by indicator: {found}");
        let (status, _) = app
            .call_as(
                Some(&cookie),
                "add_timeline_entry",
                &[("reference", r), ("entry[kind]", "note"), ("entry[body]", "x")],
            )
            .await;
        assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{outsider} wrote to it: {status}");
    }
    // The open incident's page no longer says it shares the indicator with the secret one.
    let cookie = app.sign_in("bystander").await;
    let (_, page) = app.call_as(Some(&cookie), "incident", &[("reference", &open.reference)]).await;
    assert!(page.contains("Ordinary outage") && !page.contains(r), "{page}");
    // The board's count of open incidents excludes it.
    let board = svc::board(&app.ctx_as("bystander").await, &Default::default()).await.unwrap();
    assert_eq!(board.open.len(), 1);
    let board = svc::board(&app.ctx_as("admin").await, &Default::default()).await.unwrap();
    assert_eq!(board.open.len(), 2);

    // The member sees and works on it.
    let cookie = app.sign_in("investigator").await;
    let (status, body) = app.call_as(Some(&cookie), "incident", &[("reference", r)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let move_ok =
        svc::move_phase(&app.ctx_as("investigator").await, r, Phase::Containment, None, None, db::now()).await;
    assert!(move_ok.is_ok(), "{move_ok:?}");

    // Membership changes are on the timeline and in the audit log.
    let (_, timeline) = svc::get_with_timeline(&ctx, r).await.unwrap();
    assert!(timeline.iter().any(|e| e.body.contains("investigator") && e.body.contains("added")));
    assert!(timeline.iter().any(|e| e.body.contains("restricted")));
    let audit = db::audit::search(&app.state.db.pool, &Default::default(), 100).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "incident.access" && a.object == r && a.summary.contains("investigator")));

    // Removing the member takes their access away.
    let investigator = db::accounts::user_by_username(&app.state.db.pool, "investigator").await.unwrap().unwrap();
    let (status, _) = app.call("remove_member", &[("reference", r), ("user_id", &investigator.id)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.call_as(Some(&cookie), "incident", &[("reference", r)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_what_they_reported_and_managers_change_nothing() {
    let app = TestApp::spawn().await;
    app.create_user("clerk", Role::Staff).await;
    app.create_user("boss", Role::Manager).await;
    let others = svc::create(&app.ctx(), new_incident("Someone else's report"), db::now()).await.unwrap();
    let clerk = app.ctx_as("clerk").await;
    let mine = svc::create(&clerk, new_incident("Suspicious mail I got"), db::now()).await.unwrap();
    let board = svc::board(&clerk, &Default::default()).await.unwrap();
    let refs: Vec<_> = board.open.iter().map(|i| i.reference.as_str()).collect();
    assert_eq!(refs, [mine.reference.as_str()]);
    assert!(svc::get_with_timeline(&clerk, &others.reference).await.is_err());
    assert!(svc::get_with_timeline(&clerk, &mine.reference).await.is_ok());
    // Staff report, but do not work the incident, even their own.
    let err = svc::move_phase(&clerk, &mine.reference, Phase::Containment, None, None, db::now()).await.unwrap_err();
    assert!(matches!(err, app::backend::BackendError::Forbidden), "{err:?}");

    let boss = app.ctx_as("boss").await;
    assert_eq!(svc::board(&boss, &Default::default()).await.unwrap().open.len(), 2);
    let err = svc::create(&boss, new_incident("Manager report"), db::now()).await.unwrap_err();
    assert!(matches!(err, app::backend::BackendError::Forbidden));
    let err = svc::move_phase(&boss, &others.reference, Phase::Containment, None, None, db::now()).await.unwrap_err();
    assert!(matches!(err, app::backend::BackendError::Forbidden));
}
