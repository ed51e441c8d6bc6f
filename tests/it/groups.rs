//! Working groups through the pages, the API and the mail that arrives, on both databases: an
//! organiser turns a decision into a group of existing people with a coordinator among them;
//! members (nobody else) post status updates and deliverables, and the next salon shows them
//! under "Fra arbejdsgrupperne", as do the board, its Markdown and the JSON; a group's meeting
//! is invited to its members only; a due deliverable reminds the coordinator once, also across
//! a restart; the group's own room lets its members in (and their materials), and is in no
//! list; deleting an account keeps its updates with no author.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;
use serde_json::Value;

/// A series with a salon running now (its decision) and the next salon in three weeks.
async fn series_with_a_decision(org: &Client) -> (i64, i64, i64, String) {
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let s = series.to_string();
    let (starts, ends) = from_now(-30);
    let now_salon = new_salon(
        org,
        &[
            ("series_id", &s),
            ("title", "Salonen nu"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    let (starts, ends) = from_now(60 * 24 * 21);
    let next = new_salon(
        org,
        &[
            ("series_id", &s),
            ("title", "Næste salon"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    let r = org
        .post_form(
            &format!("/salons/{now_salon}/outcomes/decisions"),
            &[("body", "Vi forhandler e-bøger i fællesskab fra 2028.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, board) = org.get_text(&format!("/series/{series}/board")).await;
    let link = board
        .split("href=\"")
        .find(|h| h.starts_with(&format!("/series/{series}/groups/new?decision=")))
        .map(|h| h.split('"').next().unwrap().replace("&amp;", "&"))
        .expect("the board offers a group for the decision");
    (series, now_salon, next, link)
}

/// Owned form fields as `post_form` takes them.
fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn groups(db: &TestDb) -> i64 {
    db.count("select count(*) from working_group").await
}

async fn a_decision_becomes_a_group_and_the_next_salon_hears_from_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let lars = app.signed_in(LARS).await;
    let sofie = app.signed_in(SOFIE).await;
    let (series, _, next, from_decision) = series_with_a_decision(&org).await;

    // The form starts from the decision: its words are the mandate.
    let (status, form) = org.get_text(&from_decision).await;
    assert_eq!(status, 200);
    assert!(form.contains("Vi forhandler e-bøger i fællesskab fra 2028."));
    let decision = input_value(&form, "decision").expect("the decision rides along");

    let jens_id = app.person_id(JENS).await.to_string();
    let lars_id = app.person_id(LARS).await.to_string();
    let sofie_id = app.person_id(SOFIE).await.to_string();
    let ddf = db
        .count("select id from organisation where short_name = 'DDF'")
        .await
        .to_string();
    let path = format!("/series/{series}/groups");
    let group: Vec<(&str, String)> = vec![
        ("name", "Fælles e-bogsaftale".into()),
        (
            "mandate",
            "Et udkast til kravspecifikation inden næste salon.".into(),
        ),
        ("decision", decision.clone()),
        ("members", jens_id.clone()),
        ("members", lars_id.clone()),
        ("organisations", ddf.clone()),
        ("coordinator", String::new()),
    ];
    let with = |k: &'static str, v: &str| -> Vec<(&'static str, String)> {
        let mut f = group.clone();
        f.retain(|(x, _)| *x != k);
        f.push((k, v.to_string()));
        f
    };
    // A member may not set one up.
    let r = lars
        .post_form(&path, &pairs(&with("coordinator", &jens_id)))
        .await;
    assert_eq!(r.status(), 403);
    // The coordinator must be a member; members must exist; nothing is stored meanwhile.
    let r = org
        .post_form(&path, &pairs(&with("coordinator", &sofie_id)))
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Tovholderen skal være et af medlemmerne.")
    );
    let mut ghost = with("coordinator", &jens_id);
    ghost.push(("members", "999999".into()));
    let r = org.post_form(&path, &pairs(&ghost)).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Vælg blandt dem på listen.")
    );
    let r = org
        .post_form(&path, &pairs(&with("name", "Navn\u{0}med NUL")))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(groups(&db).await, 0);

    let r = org
        .post_form(&path, &pairs(&with("coordinator", &jens_id)))
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let g = location(&r);
    assert!(g.starts_with("/groups/"), "{g}");
    // The same name again in the series is refused in words.
    let r = org
        .post_form(&path, &pairs(&with("coordinator", &jens_id)))
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("allerede en arbejdsgruppe")
    );
    assert_eq!(groups(&db).await, 1);
    assert_eq!(
        db.count("select count(*) from working_group where decision_id is not null")
            .await,
        1
    );
    assert_eq!(
        db.count("select count(*) from audit_event where kind = 'group_created'")
            .await,
        1
    );

    // Sofie is no member: her update and her deliverable are refused and nothing is stored.
    let update = [
        ("status", "at_risk"),
        ("body", "Vi mangler licenstal fra to lande."),
    ];
    let r = sofie.post_form(&format!("{g}/updates"), &update).await;
    assert_eq!(r.status(), 403);
    assert_eq!(db.count("select count(*) from group_update").await, 0);
    // Lars is: his update is kept, with him as the author.
    let r = lars.post_form(&format!("{g}/updates"), &update).await;
    assert_eq!(r.status(), 303);
    let r = lars
        .post_form(&format!("{g}/updates"), &[("status", "fine"), ("body", "")])
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(db.count("select count(*) from group_update").await, 1);

    let due = (chrono::Utc::now() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let deliverable = |link: &str| -> Vec<(&'static str, String)> {
        vec![
            ("title", "Udkast til kravspecifikation".into()),
            ("due_on", due.clone()),
            ("state", "in_progress".into()),
            ("link", link.into()),
            ("note", String::new()),
        ]
    };
    let r = sofie
        .post_form(&format!("{g}/deliverables"), &pairs(&deliverable("")))
        .await;
    assert_eq!(r.status(), 403);
    let r = lars
        .post_form(
            &format!("{g}/deliverables"),
            &pairs(&deliverable("javascript:alert(1)")),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("https://"));
    assert_eq!(db.count("select count(*) from deliverable").await, 0);
    let r = lars
        .post_form(
            &format!("{g}/deliverables"),
            &pairs(&deliverable("https://docs.example.org/kravspec")),
        )
        .await;
    assert_eq!(r.status(), 303);

    // The group's page: mandate, decision, members, update, deliverable.
    let (status, page) = sofie.get_text(&g).await;
    assert_eq!(status, 200);
    let text = main_text(&page);
    for want in [
        "Et udkast til kravspecifikation inden næste salon.",
        "Vi forhandler e-bøger i fællesskab fra 2028.",
        "Jens Riis",
        "Lars Brandt",
        "I fare",
        "Vi mangler licenstal fra to lande.",
        "Udkast til kravspecifikation",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(
        !page.contains(&format!("action=\"{g}/updates\"")),
        "no form for a non-member"
    );
    assert_eq!(app.client().get(&g).await.status(), 303, "members only");

    // The next salon hears from the group (signed-in readers).
    let (_, page) = sofie.get_text(&format!("/salons/{next}")).await;
    let text = main_text(&page);
    assert!(text.contains("Fra arbejdsgrupperne"), "{text}");
    assert!(
        text.contains("Vi mangler licenstal fra to lande."),
        "{text}"
    );
    assert!(text.contains("Udkast til kravspecifikation"), "{text}");
    let (_, page) = app.client().get_text(&format!("/salons/{next}")).await;
    assert!(!main_text(&page).contains("Fra arbejdsgrupperne"));

    // The board, its Markdown and the JSON list the group with how it stands.
    let (_, board) = sofie.get_text(&format!("/series/{series}/board")).await;
    let text = main_text(&board);
    assert!(text.contains("Fælles e-bogsaftale I fare"), "{text}");
    let (_, md) = sofie.get_text(&format!("/series/{series}/board.md")).await;
    assert!(
        md.contains("## Arbejdsgrupper\n\n- Fælles e-bogsaftale (I fare; Tovholder: Jens Riis)\n  - [ ] Udkast til kravspecifikation"),
        "{md}"
    );
    let api = format!("/api/v1/series/{series}/groups");
    assert_eq!(app.client().get(&api).await.status(), 401);
    let json: Value = sofie.get(&api).await.json().await.unwrap();
    let first = &json[0];
    assert_eq!(first["name"], "Fælles e-bogsaftale");
    assert_eq!(first["coordinator"], "Jens Riis");
    assert_eq!(first["status"], "at_risk");
    assert_eq!(first["members"].as_array().unwrap().len(), 2);
    assert_eq!(first["deliverables"][0]["state"], "in_progress");
    assert_eq!(first["deliverables"][0]["due_on"], due.as_str());
    assert_eq!(first["organisations"][0], "DDF");
    // The organisation's page names the group whose work concerns it.
    let (_, page) = sofie.get_text("/organisations/DDF").await;
    assert!(main_text(&page).contains("Fælles e-bogsaftale"));
    app.stop().await;
}

/// A group of Jens (coordinator) and Lars in a new series; its page's path.
async fn a_group(app: &TestApp, org: &Client) -> (i64, String) {
    let r = org
        .post_form("/series/new", &[("title", "Arbejdsgruppernes serie")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let jens = app.person_id(JENS).await.to_string();
    let lars = app.person_id(LARS).await.to_string();
    let r = org
        .post_form(
            &format!("/series/{series}/groups"),
            &[
                ("name", "Investeringsplan"),
                ("members", &jens),
                ("members", &lars),
                ("coordinator", &jens),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    (series, location(&r))
}

async fn a_groups_meeting_is_invited_to_its_members_only(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (series, g) = a_group(&app, &org).await;
    let meeting = new_salon(
        &org,
        &[("series_id", &series.to_string()), ("title", "Gruppemøde")],
        true,
    )
    .await;
    let r = org
        .post_form(&format!("{g}/meetings"), &[("salon", &meeting.to_string())])
        .await;
    assert_eq!(r.status(), 303);
    // The invitation page ticks the members and says only they are invited.
    let (_, page) = org.get_text(&format!("/salons/{meeting}/invite")).await;
    assert!(
        page.contains("kun gruppens medlemmer"),
        "{}",
        main_text(&page)
    );
    // Sofie is ticked as well (by hand): she gets nothing, Jens gets the invitation.
    let (jens, sofie) = (
        app.person_id(JENS).await.to_string(),
        app.person_id(SOFIE).await.to_string(),
    );
    let r = org
        .post_form(
            &format!("/salons/{meeting}/invite"),
            &[("person", &jens), ("person", &sofie)],
        )
        .await;
    assert!(
        r.status().is_success() || r.status() == 303,
        "{}",
        r.status()
    );
    let mail = wait_for_mails_to(&sink.dir, JENS, 1).await.pop().unwrap();
    assert!(mail.header("Subject").unwrap().contains("Gruppemøde"));
    // The group page's button invites the rest of the members: Lars, not Jens again.
    let r = org
        .post_form(&format!("{g}/meetings/{meeting}/invite"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("invited=1"), "{}", location(&r));
    wait_for_mails_to(&sink.dir, LARS, 1).await;
    mail_marker(&app.client(), &sink.dir, SOFIE).await;
    mail_marker(&app.client(), &sink.dir, JENS).await;
    assert_eq!(mails_to(&sink.dir, SOFIE).len(), 1, "the marker only");
    assert_eq!(
        mails_to(&sink.dir, JENS).len(),
        2,
        "one invitation, the marker"
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {meeting}"
        ))
        .await,
        2
    );
    // The meeting is on the group's page; a member may not make salons meetings.
    let (_, page) = org.get_text(&g).await;
    assert!(main_text(&page).contains("Gruppemøde"));
    let lars = app.signed_in(LARS).await;
    let r = lars
        .post_form(&format!("{g}/meetings"), &[("salon", &meeting.to_string())])
        .await;
    assert_eq!(r.status(), 403);
    app.stop().await;
    sink.stop().await;
}

async fn a_due_deliverable_reminds_the_coordinator_once(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (_, g) = a_group(&app, &org).await;
    let day = |n: i64| {
        (chrono::Utc::now() + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (soon, later) = (day(1), day(30));
    for (title, due, state) in [
        ("Udkast til planen", soon.as_str(), "in_progress"),
        ("Allerede leveret", soon.as_str(), "delivered"),
        ("Senere leverance", later.as_str(), "not_started"),
    ] {
        let r = org
            .post_form(
                &format!("{g}/deliverables"),
                &[("title", title), ("due_on", due), ("state", state)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let mail = wait_for_mails_to(&sink.dir, JENS, 1).await.pop().unwrap();
    assert!(
        mail.header("Subject")
            .unwrap()
            .contains("Udkast til planen"),
        "{:?}",
        mail.header("Subject")
    );
    assert!(mail.text().contains("Investeringsplan"), "{}", mail.text());
    rounds_pass(&app.client(), "reminders", 2).await;
    app.stop().await;
    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    let again = TestApp::spawn_with(settings).await;
    rounds_pass(&again.client(), "reminders", 2).await;
    mail_marker(&again.client(), &sink.dir, JENS).await;
    mail_marker(&again.client(), &sink.dir, LARS).await;
    assert_eq!(
        mails_to(&sink.dir, JENS).len(),
        2,
        "once (and the marker), also across a restart; not for the delivered or the later one"
    );
    assert_eq!(
        mails_to(&sink.dir, LARS).len(),
        1,
        "members are not reminded"
    );
    again.stop().await;
    sink.stop().await;
}

async fn the_groups_room_is_its_members_and_never_listed(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (series, g) = a_group(&app, &org).await;
    let (_, page) = org.get_text(&g).await;
    let room = page
        .split("href=\"")
        .find(|h| h.starts_with("/salons/") && h.contains("/room\""))
        .map(|h| h.split('"').next().unwrap().to_string())
        .expect("a link to the group's room");
    let jens = app.signed_in(JENS).await;
    let sofie = app.signed_in(SOFIE).await;
    let (status, page) = jens.get_text(&room).await;
    assert_eq!(status, 200);
    assert!(
        main_text(&page).contains("Rummet er åbent"),
        "{}",
        main_text(&page)
    );
    assert_eq!(sofie.get(&room).await.status(), 403);
    let salon = room
        .trim_start_matches("/salons/")
        .trim_end_matches("/room");
    let r = jens
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[("body", "Hej gruppe"), ("client_id", "c1")],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let (_, page) = jens.get_text(&room).await;
    assert!(main_text(&page).contains("Hej gruppe"));
    // Members add the group's materials; others may read them but not add; visitors see
    // nothing of the room at all.
    let link = [
        ("title", "Udkast til planen"),
        ("url", "https://docs.example.org/plan"),
        ("phase", "before"),
    ];
    let materials = format!("/salons/{salon}/materials");
    assert_eq!(
        jens.post_form(&format!("{materials}/link"), &link)
            .await
            .status(),
        303
    );
    assert_eq!(
        sofie
            .post_form(&format!("{materials}/link"), &link)
            .await
            .status(),
        403
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from material where salon_id = {salon}"
        ))
        .await,
        1
    );
    let (_, page) = sofie.get_text(&materials).await;
    assert!(main_text(&page).contains("Udkast til planen"));
    assert_eq!(app.client().get(&materials).await.status(), 404);
    assert_eq!(
        app.client()
            .get(&format!("/salons/{salon}.ics"))
            .await
            .status(),
        404
    );
    // Its salon is the group's page, and is in no list or feed.
    let r = jens.get(&format!("/salons/{salon}")).await;
    assert_eq!(location(&r), g);
    let api: Value = app
        .client()
        .get("/api/v1/salons")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !api.to_string().contains("Investeringsplan"),
        "not in the API: {api}"
    );
    let (_, page) = jens.get_text(&format!("/series/{series}")).await;
    assert!(!main_text(&page).contains("Investeringsplan"));
    let (_, ics) = app.client().get_text("/calendar.ics").await;
    assert!(!ics.contains("Investeringsplan"));
    app.stop().await;
}

async fn a_deleted_account_leaves_its_updates_without_an_author(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (_, g) = a_group(&app, &org).await;
    let lars = app.signed_in(LARS).await;
    let r = lars
        .post_form(
            &format!("{g}/updates"),
            &[
                ("status", "blocked"),
                ("body", "Vi venter på tal fra kommunerne."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let export: Value = lars.get("/me/export.json").await.json().await.unwrap();
    assert_eq!(
        export["group_updates"][0]["body"],
        "Vi venter på tal fra kommunerne."
    );
    assert_eq!(export["group_memberships"][0]["name"], "Investeringsplan");
    let r = lars.post_form("/me/delete", &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        db.count("select count(*) from group_update where author_id is null")
            .await,
        1
    );
    assert_eq!(
        db.count("select count(*) from group_member").await,
        1,
        "Jens alone"
    );
    let (_, page) = org.get_text(&g).await;
    let text = main_text(&page);
    assert!(text.contains("Vi venter på tal fra kommunerne."), "{text}");
    assert!(text.contains("Tidligere deltager"), "{text}");
    assert!(!text.contains("Lars Brandt"), "{text}");
    app.stop().await;
}

both_backends!(a_decision_becomes_a_group_and_the_next_salon_hears_from_it);
both_backends!(a_groups_meeting_is_invited_to_its_members_only);
both_backends!(a_due_deliverable_reminds_the_coordinator_once);
both_backends!(the_groups_room_is_its_members_and_never_listed);
both_backends!(a_deleted_account_leaves_its_updates_without_an_author);
