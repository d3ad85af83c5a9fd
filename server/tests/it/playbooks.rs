//! Playbooks stored in the database and edited by admins, and each incident's
//! response team picked from the roster.

use crate::helpers::{TestApp, form, phishing_form};
use app::backend::db;
use app::backend::services::{incidents as svc, playbooks};
use app::domain::access::Role;
use app::domain::playbook::{DEFAULT_PLAYBOOKS, FALLBACK_KEY, working_phases};
use app::domain::{Phase, TimelineKind};
use http::StatusCode;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn built_in_playbooks_are_installed_once_and_cover_every_phase() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let stored = playbooks::list(&ctx).await.unwrap();
    assert_eq!(stored.len(), DEFAULT_PLAYBOOKS.len());
    for template in DEFAULT_PLAYBOOKS {
        let p = stored.iter().find(|p| p.key == template.key).unwrap_or_else(|| panic!("{} missing", template.key));
        assert_eq!(p.items.len(), template.items.len(), "{}", p.key);
        for phase in working_phases() {
            assert!(p.items_for(phase).any(|i| i.required), "{} has no required item in {phase}", p.key);
        }
    }
    // An admin's edit survives the next start: built-ins are installed only when missing.
    let (status, body) = app
        .call(
            "add_playbook_item",
            &[
                ("key", "phishing"),
                ("item[phase]", "recovery"),
                ("item[text]", "Re-enable the quarantined mailboxes"),
                ("item[owner]", "technical_lead"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.state.db.migrate().await.unwrap();
    let again = playbooks::list(&ctx).await.unwrap();
    assert_eq!(again.len(), stored.len());
    let phishing = again.iter().find(|p| p.key == "phishing").unwrap();
    let before = stored.iter().find(|p| p.key == "phishing").unwrap();
    assert_eq!(phishing.items.len(), before.items.len() + 1);
    assert_eq!(phishing.version, before.version + 1);
    assert!(phishing.items_for(Phase::Recovery).any(|i| i.text == "Re-enable the quarantined mailboxes"));
}

#[tokio::test]
async fn playbook_edits_reach_new_incidents_but_never_existing_checklists() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let before = svc::create(&ctx, phishing_form("Before the edit").parse_new(now).unwrap(), now).await.unwrap();
    let old_items = svc::checklist(&ctx, &before).await.unwrap();

    let phishing = playbooks::get(&ctx, "phishing").await.unwrap();
    let first = phishing.items_for(Phase::Containment).next().unwrap().clone();
    let id = first.id.clone();
    let save = [
        ("key", "phishing"),
        ("id", id.as_str()),
        ("op", "save"),
        ("item[phase]", "containment"),
        ("item[text]", "Pull the message from every mailbox with the mail provider's purge tool"),
        ("item[owner]", "technical_lead"),
        ("item[required]", "on"),
    ];
    let (status, body) = app.call("change_playbook_item", &save).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call(
            "add_playbook_item",
            &[
                ("key", "phishing"),
                ("item[phase]", "containment"),
                ("item[text]", "Tell the service desk which subject line to watch for"),
                ("item[owner]", "communications_lead"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The incident classified before the edit keeps its checklist as it was.
    assert_eq!(svc::checklist(&ctx, &before).await.unwrap(), old_items);

    let after = svc::create(&ctx, phishing_form("After the edit").parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &after).await.unwrap();
    let containment: Vec<_> = items.iter().filter(|i| i.phase == Phase::Containment).collect();
    assert_eq!(containment[0].text, "Pull the message from every mailbox with the mail provider's purge tool");
    let added = items.iter().find(|i| i.text == "Tell the service desk which subject line to watch for").unwrap();
    assert!(!added.required, "an unticked box makes the item optional");
    assert!(!items.iter().any(|i| i.text == first.text));

    // Moving and removing items.
    let second = playbooks::get(&ctx, "phishing").await.unwrap().items_for(Phase::Containment).nth(1).unwrap().clone();
    let (status, body) =
        app.call("change_playbook_item", &[("key", "phishing"), ("id", &second.id), ("op", "up")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let p = playbooks::get(&ctx, "phishing").await.unwrap();
    let order: Vec<&str> = p.items_for(Phase::Containment).map(|i| i.id.as_str()).collect();
    assert_eq!(&order[..2], &[second.id.as_str(), id.as_str()]);
    let (status, body) = app.call("change_playbook_item", &[("key", "phishing"), ("id", &id), ("op", "remove")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let p = playbooks::get(&ctx, "phishing").await.unwrap();
    assert!(!p.items.iter().any(|i| i.id == id));
    assert_eq!(p.version, phishing.version + 4);

    // Every change is in the audit log.
    let (status, body) = app.call("audit_log", &[]).await;
    assert_eq!(status, StatusCode::OK);
    for action in ["playbook.item_save", "playbook.item_added", "playbook.item_up", "playbook.item_remove"] {
        assert!(body.contains(action), "{action} not audited");
    }
}

#[tokio::test]
async fn a_new_playbook_takes_over_its_classification_until_it_is_retired() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let create = [
        ("playbook[key]", "exposed_systems"),
        ("playbook[name]", "Exposed vulnerable systems"),
        ("playbook[description]", "A scan or a researcher found something we run wide open."),
        ("playbook[applies_to]", "vulnerable\nvulnerable"),
        ("copy_from", FALLBACK_KEY),
    ];
    let (status, body) = app.call("create_playbook", &create).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created = playbooks::get(&ctx, "exposed_systems").await.unwrap();
    assert_eq!(created.applies_to, ["vulnerable"], "duplicates dropped");
    let generic = playbooks::get(&ctx, FALLBACK_KEY).await.unwrap();
    assert_eq!(created.items.len(), generic.items.len(), "items copied");

    let mut f = form("Open RDP on the internet");
    f.classification = "vulnerable/vulnerable_system".into();
    let i = svc::create(&ctx, f.parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &i).await.unwrap();
    assert!(!items.is_empty() && items.iter().all(|it| it.playbook.as_deref() == Some("exposed_systems")));

    // Two playbooks may not claim the same classification.
    let clash = [
        ("playbook[key]", "second_phish"),
        ("playbook[name]", "Second phishing"),
        ("playbook[applies_to]", "fraud/phishing"),
    ];
    let (status, body) = app.call("create_playbook", &clash).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("applies_to") && body.contains("Phishing"), "{body}");

    // Retired: the generic playbook takes over for new incidents.
    let (status, body) = app.call("set_playbook_retired", &[("key", "exposed_systems"), ("retired", "true")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut f = form("Open SMB on the internet");
    f.classification = "vulnerable/vulnerable_system".into();
    let j = svc::create(&ctx, f.parse_new(now).unwrap(), now).await.unwrap();
    let items = svc::checklist(&ctx, &j).await.unwrap();
    assert!(!items.is_empty() && items.iter().all(|it| it.playbook.as_deref() == Some(FALLBACK_KEY)));
    // The first incident keeps what it had.
    assert!(svc::checklist(&ctx, &i).await.unwrap().iter().all(|it| it.playbook.as_deref() == Some("exposed_systems")));

    // The generic playbook cannot be retired.
    let (status, body) = app.call("set_playbook_retired", &[("key", FALLBACK_KEY), ("retired", "true")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(!playbooks::get(&ctx, FALLBACK_KEY).await.unwrap().retired);
}

#[tokio::test]
async fn bad_playbook_input_gets_field_messages_and_only_admins_edit() {
    let app = TestApp::spawn().await;
    // (server function, form, the field its message names)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            "create_playbook",
            &[("playbook[key]", "Bad Key!"), ("playbook[name]", "X"), ("playbook[applies_to]", "vulnerable")],
            "key",
        ),
        (
            "create_playbook",
            &[("playbook[key]", "ok_key"), ("playbook[name]", " "), ("playbook[applies_to]", "vulnerable")],
            "name",
        ),
        (
            "create_playbook",
            &[("playbook[key]", "ok_key"), ("playbook[name]", "X"), ("playbook[applies_to]", "volcanoes")],
            "applies_to",
        ),
        (
            "create_playbook",
            &[("playbook[key]", "ok_key"), ("playbook[name]", "X"), ("playbook[applies_to]", "")],
            "applies_to",
        ),
        (
            "create_playbook",
            &[("playbook[key]", "phishing"), ("playbook[name]", "X"), ("playbook[applies_to]", "vulnerable")],
            "key",
        ),
        (
            "update_playbook",
            &[("key", "generic"), ("version", "1"), ("playbook[name]", "G"), ("playbook[applies_to]", "fraud")],
            "applies_to",
        ),
        (
            "add_playbook_item",
            &[("key", "phishing"), ("item[phase]", "closed"), ("item[text]", "x"), ("item[owner]", "scribe")],
            "phase",
        ),
        (
            "add_playbook_item",
            &[("key", "phishing"), ("item[phase]", "recovery"), ("item[text]", ""), ("item[owner]", "scribe")],
            "text",
        ),
        (
            "add_playbook_item",
            &[("key", "phishing"), ("item[phase]", "recovery"), ("item[text]", "x"), ("item[owner]", "king")],
            "owner",
        ),
    ];
    for (endpoint, args, field) in cases {
        let (status, body) = app.call(endpoint, args).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint} {args:?}: {body}");
        assert!(body.contains(&format!("\"{field}\"")), "{endpoint} {args:?} should name {field}: {body}");
    }
    let unknown = playbooks::get(&app.ctx(), "unknown_key").await;
    assert!(unknown.is_err());
    let (status, _) = app.call("playbook", &[("key", "unknown_key")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A stale header edit is refused, not silently applied.
    let version = playbooks::get(&app.ctx(), "phishing").await.unwrap().version;
    let edit = |v: String| {
        vec![
            ("key".to_owned(), "phishing".to_owned()),
            ("version".to_owned(), v),
            ("playbook[name]".to_owned(), "Phishing and BEC".to_owned()),
            ("playbook[applies_to]".to_owned(), "fraud/phishing\nfraud/bec".to_owned()),
        ]
    };
    let first = edit(version.to_string());
    let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.call("update_playbook", &first).await.0, StatusCode::OK);
    let (status, body) = app.call("update_playbook", &first).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("changed by someone else"), "{body}");
    let p = playbooks::get(&app.ctx(), "phishing").await.unwrap();
    assert_eq!((p.name.as_str(), p.applies_to.len()), ("Phishing and BEC", 2));

    // Commanders read playbooks but do not change them.
    app.create_user("ic", Role::Commander).await;
    let cookie = app.sign_in("ic").await;
    let (status, body) = app.call_as(Some(&cookie), "playbooks", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["may_edit"], false);
    let (status, _) = app
        .call_as(
            Some(&cookie),
            "add_playbook_item",
            &[("key", "phishing"), ("item[phase]", "recovery"), ("item[text]", "x"), ("item[owner]", "scribe")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(playbooks::get(&app.ctx(), "phishing").await.unwrap().version, p.version);
}

#[tokio::test]
async fn roles_are_assigned_from_the_roster_on_the_timeline() {
    let app = TestApp::spawn().await;
    let ctx = app.ctx();
    let now = db::now();
    let i = svc::create(&ctx, form("Team test").parse_new(now).unwrap(), now).await.unwrap();
    let mut ids = Vec::new();
    for (name, role) in [("Ann Lee", "technical_lead"), ("Bo Chen", "incident_commander")] {
        let (status, body) = app
            .call(
                "add_roster_entry",
                &[("entry[name]", name), ("entry[role]", role), ("entry[contact]", "+44 20 7946 0000")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        ids.push(json(&body).as_str().unwrap().to_owned());
    }
    let r = i.reference.as_str();
    let app = &app;
    let assign = |role: &'static str, person: String| async move {
        app.call("assign_incident_role", &[("reference", r), ("role", role), ("person", &person)]).await
    };
    assert_eq!(assign("technical_lead", ids[0].clone()).await.0, StatusCode::OK);
    // The same assignment again records nothing new.
    assert_eq!(assign("technical_lead", ids[0].clone()).await.0, StatusCode::OK);
    assert_eq!(assign("incident_commander", ids[1].clone()).await.0, StatusCode::OK);

    let (status, body) = app.call("incident", &[("reference", r)]).await;
    assert_eq!(status, StatusCode::OK);
    let page = json(&body);
    let team = page["team"].as_array().unwrap();
    assert_eq!(team.len(), 2);
    assert!(team.iter().any(|a| a["role"] == "TechnicalLead" && a["name"] == "Ann Lee"), "{team:?}");
    assert_eq!(page["incident"]["commander"], "Bo Chen", "the commander field follows the role");
    assert_eq!(page["roster"].as_array().unwrap().len(), 2);
    let (_, timeline) = svc::get_with_timeline(&ctx, r).await.unwrap();
    let team_events: Vec<&str> =
        timeline.iter().filter(|e| e.kind == TimelineKind::Team).map(|e| e.body.as_str()).collect();
    assert_eq!(team_events.len(), 2, "{team_events:?}");
    assert!(team_events.contains(&"Technical lead assigned: Ann Lee."));
    assert!(team_events.contains(&"Incident commander changed from Alex to Bo Chen."));

    // Unassigning, and a person not on the roster.
    assert_eq!(assign("technical_lead", String::new()).await.0, StatusCode::OK);
    let (status, body) = assign("scribe", "not-a-roster-id".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"person\""), "{body}");
    let (status, _) = assign("chief_wizard", ids[0].clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, timeline) = svc::get_with_timeline(&ctx, r).await.unwrap();
    assert!(timeline.iter().any(|e| e.body == "Technical lead unassigned (was Ann Lee)."));
    let (_, team_now) = svc::team(&ctx, &svc::get_with_timeline(&ctx, r).await.unwrap().0).await.unwrap();
    assert_eq!(team_now.len(), 2, "the roster is unchanged");

    // Managers follow the incident but cannot assign roles.
    app.create_user("boss", Role::Manager).await;
    let cookie = app.sign_in("boss").await;
    let (status, _) = app
        .call_as(Some(&cookie), "assign_incident_role", &[("reference", r), ("role", "scribe"), ("person", &ids[0])])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
