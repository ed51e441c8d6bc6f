//! Data protection through the pages, on both databases: a leader's export holds every kind
//! of data Salon keeps about them and no secret or other person's address; deleting an account
//! needs a fresh sign-in, frees the seat for the waitlist, keeps the messages as "Tidligere
//! deltager" and leaves the address in no table; sessions end everywhere on request and at
//! their configured lifetimes; the statements are built from the configuration.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};

const ADMIN: &str = salon::demo::ADMIN_EMAIL;
use common::*;
use salon::domain::rsvp::Response::Yes;
use serde_json::Value;

/// A series with a salon running now; Lars and Jens have a seat. (app, organiser, series, salon)
async fn running_series_salon(app: &TestApp) -> (Client, i64, i64) {
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let (starts, ends) = from_now(-10);
    let salon = new_salon(
        &org,
        &[
            ("title", "Salon i gang"),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("series_id", &series.to_string()),
        ],
        true,
    )
    .await;
    for email in [LARS, JENS] {
        app.answer_for(salon, app.person_id(email).await, Yes).await;
    }
    (org, series, salon)
}

async fn a_leader_downloads_everything_salon_holds_about_them(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.retention_ran().await;
    app.load_demo().await;
    let (org, series, salon) = running_series_salon(&app).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;

    // One of each kind of data: a message and a vote, a theme, support and a comment, a ballot,
    // a decision and an action, a registration, an invitation (links, mail), a feed link.
    let room = format!("/salons/{salon}/room/messages");
    assert_eq!(
        lars.post_form(
            &room,
            &[
                ("body", "Lars siger noget vigtigt"),
                ("client_id", "lars-1")
            ]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        jens.post_form(
            &room,
            &[
                ("body", "Jens spørger om budgettet?"),
                ("client_id", "jens-1"),
                ("question", "on")
            ]
        )
        .await
        .status(),
        303
    );
    let question = db
        .count("select id from message where client_id = 'jens-1'")
        .await;
    assert_eq!(
        lars.post_form(
            &format!("/salons/{salon}/room/messages/{question}/vote"),
            &[]
        )
        .await
        .status(),
        303
    );
    let r = lars
        .post_form(
            &format!("/series/{series}/themes"),
            &[("title", "Lars' tema om e-bøger"), ("why", "Fordi")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = jens
        .post_form(
            &format!("/series/{series}/themes"),
            &[("title", "Jens' tema om data"), ("why", "")],
        )
        .await;
    let jens_theme = location(&r).trim_start_matches("/themes/").to_string();
    assert_eq!(
        lars.post_form(&format!("/themes/{jens_theme}/support"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        lars.post_form(
            &format!("/themes/{jens_theme}/comments"),
            &[("body", "Lars kommenterer")]
        )
        .await
        .status(),
        303
    );
    let r = org
        .post_form(
            &format!("/salons/{salon}/rounds"),
            &[
                ("question", "Hvad først?"),
                ("options", "E-bøger\nData"),
                ("points_per_person", "5"),
                ("max_per_option", "3"),
            ],
        )
        .await;
    let round = location(&r);
    assert_eq!(
        org.post_form(&format!("{round}/open"), &[]).await.status(),
        303
    );
    let option = db.count(&format!("select min(o.id) from round_option o join round r on r.id = o.round_id where r.salon_id = {salon}")).await;
    assert_eq!(
        lars.post_form(
            &format!("{round}/ballot"),
            &[(&format!("option-{option}"), "3")]
        )
        .await
        .status(),
        303
    );
    let outcomes = format!("/salons/{salon}/outcomes");
    assert_eq!(
        org.post_form(&format!("{outcomes}/note-takers"), &[("email", LARS)])
            .await
            .status(),
        303
    );
    assert_eq!(
        lars.post_form(
            &format!("{outcomes}/decisions"),
            &[("body", "Lars noterer en beslutning")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.post_form(
            &format!("{outcomes}/actions"),
            &[("what", "Lars' opgave"), ("owner", LARS)]
        )
        .await
        .status(),
        303
    );
    let open = new_salon(&org, &[("title", "Åben salon")], true).await;
    assert_eq!(
        app.client()
            .post_form(
                &format!("/salons/{open}/register"),
                &[("name", "Lars Brandt"), ("email", LARS)]
            )
            .await
            .status(),
        303
    );
    let invited = new_salon(
        &org,
        &[("title", "Inviteret salon"), ("registration", "invitation")],
        true,
    )
    .await;
    let lars_id = app.person_id(LARS).await;
    assert_eq!(
        org.post_form(
            &format!("/salons/{invited}/invite"),
            &[("person", &lars_id.to_string())]
        )
        .await
        .status(),
        303
    );
    // A stance with its reason on the organiser's proposal.
    let closes = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let r = org
        .post_form(
            &format!("/series/{series}/proposals"),
            &[("title", "Fælles e-bøger fra 2028"), ("closes_at", &closes)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        lars.post_form(
            &format!("{}/stance", location(&r)),
            &[
                ("choice", "block"),
                ("reason", "Lars' grund til at blokere")
            ]
        )
        .await
        .status(),
        303
    );
    // In the running salon's room: present.
    let mut socket = common::room::connect(&app, salon, Some(LARS), None, None)
        .await
        .unwrap();
    common::room::next_of(&mut socket, "hello").await;
    // An answer in the organiser's poll.
    let r = org
        .post_form(
            &format!("/series/{series}/polls"),
            &[
                ("question", "Hvad tager vi op først?"),
                ("kind", "single"),
                ("options", "Lars' valgmulighed\nEn anden"),
                ("closes_at", &closes),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let poll = location(&r);
    let option = db
        .count("select min(id) from poll_option where label = 'Lars'' valgmulighed'")
        .await;
    assert_eq!(
        lars.post_form(
            &format!("{poll}/answer"),
            &[("option", option.to_string().as_str())]
        )
        .await
        .status(),
        303
    );
    let feed_page = lars.post_form("/me/feed", &[]).await.text().await.unwrap();
    let feed_secret = feed_page
        .split("/feeds/")
        .nth(1)
        .unwrap()
        .split(".ics")
        .next()
        .unwrap()
        .to_string();
    eventually("the invitation is sent", || async {
        db.count("select count(*) from outbox where status = 'sent' and kind = 'invitation'")
            .await
            == 1
    })
    .await;

    let r = lars.get("/me/export.json").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let text = r.text().await.unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let has = |section: &str, needle: &str| doc[section].to_string().contains(needle);
    assert_eq!(doc["profile"]["email"], LARS);
    assert_eq!(doc["profile"]["organisation"], "KB");
    assert!(
        has("rsvps", "Salon i gang") && has("rsvps", "Inviteret salon"),
        "answers and invitations: {}",
        doc["rsvps"]
    );
    assert_eq!(
        doc["registrations"][0]["salon_id"], open,
        "the registration: {}",
        doc["registrations"]
    );
    assert!(has("room_messages", "Lars siger noget vigtigt"));
    assert_eq!(doc["question_votes"][0]["message_id"], question);
    assert!(has("themes_proposed", "Lars' tema om e-bøger"));
    assert!(has("themes_supported", "Jens' tema om data"));
    assert!(has("theme_comments", "Lars kommenterer"));
    assert!(has("ballots", "E-bøger") && doc["ballots"][0]["points"] == 3);
    assert!(has("stances", "Lars' grund til at blokere") && doc["stances"][0]["choice"] == "block");
    assert!(has("poll_answers", "Lars' valgmulighed") && doc["poll_answers"][0]["value"] == 1);
    assert_eq!(
        doc["attendance"][0]["how"], "room",
        "in the running salon's room: {}",
        doc["attendance"]
    );
    assert_eq!(doc["note_taker_for"][0]["salon_id"], salon);
    assert!(has("decisions_recorded", "Lars noterer en beslutning"));
    assert!(has("actions", "Lars' opgave"));
    assert!(
        doc["answer_links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["salon_id"] == invited),
        "answer-link metadata: {}",
        doc["answer_links"]
    );
    assert!(
        doc["calendar_reply_addresses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["salon_id"] == invited)
    );
    assert_eq!(doc["feed_links"].as_array().unwrap().len(), 1);
    assert!(
        !doc["sessions"].as_array().unwrap().is_empty()
            && !doc["sign_in_links"].as_array().unwrap().is_empty()
    );
    assert!(
        doc["mails_to_you"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "invitation" && m["status"] == "sent"),
        "{}",
        doc["mails_to_you"]
    );
    // No secrets, no mail bodies (they hold links), no one else's address.
    assert!(!text.contains(&feed_secret), "the feed secret");
    assert!(
        !text.contains("token_hash")
            && !text.contains("id_hash")
            && !text.contains("/rsvp/")
            && !text.contains("/login/")
    );
    for other in [JENS, ORGANISER, SOFIE, ADMIN] {
        assert!(!text.contains(other), "{other} is in Lars's export");
    }

    // Admins can export for someone who asks by mail; members cannot; both are on the trail.
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(
        org.get(&format!("/admin/people/{lars_id}/export.json"))
            .await
            .status(),
        403,
        "organisers are not admins"
    );
    let r = admin
        .get(&format!("/admin/people/{lars_id}/export.json"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["profile"]["email"], LARS);
    assert_eq!(
        jens.get(&format!("/admin/people/{lars_id}/export.json"))
            .await
            .status(),
        403
    );
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'data_exported' and subject_person_id = {lars_id}")).await, 2);
    app.stop().await;
}

async fn deleting_an_account_frees_the_seat_and_leaves_no_trace(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let (org, _, running) = running_series_salon(&app).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;
    let room = format!("/salons/{running}/room/messages");
    assert_eq!(
        lars.post_form(
            &room,
            &[("body", "Et indlæg til referatet"), ("client_id", "lars-1")]
        )
        .await
        .status(),
        303
    );
    // A coming salon with one seat: Lars has it, Jens waits.
    let full = new_salon(&org, &[("title", "Fuld salon"), ("capacity", "1")], true).await;
    let lars_id = app.person_id(LARS).await;
    assert_eq!(
        org.post_form(
            &format!("/salons/{full}/invite"),
            &[("person", &lars_id.to_string())]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        lars.post_form(&format!("/salons/{full}/rsvp"), &[("response", "yes")])
            .await
            .status(),
        303
    );
    assert_eq!(
        jens.post_form(&format!("/salons/{full}/rsvp"), &[("response", "yes")])
            .await
            .status(),
        303
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {full} and waitlist_seq is not null"
        ))
        .await,
        1
    );

    // A sign-in older than 15 minutes must sign in again: the page says so, the deletion is refused.
    db.set_time(
        "session",
        "created_at",
        chrono::Utc::now() - chrono::Duration::minutes(20),
        &format!("person_id = {lars_id}"),
    )
    .await;
    let (status, page) = lars.get_text("/me/delete").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("logge ind igen")
            && page.contains("action=\"/login\"")
            && !page.contains("name=\"confirm\""),
        "{}",
        main_text(&page)
    );
    assert_eq!(
        lars.post_form("/me/delete", &[("confirm", "yes")])
            .await
            .status(),
        403
    );
    assert_eq!(
        db.count(&format!("select count(*) from person where id = {lars_id}"))
            .await,
        1
    );

    // A bounce of a mail to him, as the inbox records it (its detail names the address).
    let bounce = salon::store::inbound::Taken {
        message_id: Some("<bounce-1@mail.example>"),
        source: "http",
        sender: "MAILER-DAEMON@mail.example",
        subject: "Undelivered Mail Returned to Sender",
        outcome: "applied",
        detail: &format!("bounced 5.1.1 {LARS}"),
        salon: None,
        person: None,
        comment: "",
    };
    salon::store::inbound::record(&app.app.db, &bounce)
        .await
        .unwrap();
    let before = db.columns_holding(LARS).await;
    assert!(
        before.iter().any(|c| c.starts_with("person.email"))
            && before.iter().any(|c| c.starts_with("outbox.")),
        "{before:?}"
    );
    assert!(
        before
            .iter()
            .any(|c| c.starts_with("inbound_message.detail")),
        "{before:?}"
    );
    // Freshly signed in: the box must be ticked, then the account goes.
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars.get_text("/me/delete").await;
    assert!(
        page.contains("name=\"confirm\"") && page.contains("Tidligere deltager"),
        "{}",
        main_text(&page)
    );
    let r = lars.post_form("/me/delete", &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Sæt flueben"));
    let r = lars.post_form("/me/delete", &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("salon_session=;")),
        "the browser is signed out"
    );
    assert!(r.text().await.unwrap().contains("Kontoen er slettet"));
    assert_eq!(lars.get("/me").await.status(), 303, "no session is left");

    // Jens has the seat now, and was told by mail.
    assert_eq!(db.count(&format!("select count(*) from rsvp where salon_id = {full} and response = 'yes' and waitlist_seq is null")).await, 1);
    let jens_id = app.person_id(JENS).await;
    assert_eq!(db.count(&format!("select count(*) from rsvp where salon_id = {full} and person_id = {jens_id} and waitlist_seq is null")).await, 1);
    wait_for_mails_to(&db.outbox_dir(), JENS, 1).await;
    // The message stays, as a former participant's, in the room and the transcript.
    let (_, page) = jens.get_text(&format!("/salons/{running}/room")).await;
    assert!(
        page.contains("Et indlæg til referatet")
            && page.contains("Tidligere deltager")
            && !page.contains("Lars Brandt"),
        "{}",
        main_text(&page)
    );
    let (_, md) = org
        .get_text(&format!("/salons/{running}/room/transcript.md"))
        .await;
    assert!(
        md.contains("Tidligere deltager")
            && md.contains("Et indlæg til referatet")
            && !md.contains("Lars Brandt"),
        "{md}"
    );
    // The address is in no table, no column, no mail body.
    assert_eq!(db.columns_holding(LARS).await, Vec::<String>::new());
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'account_deleted' and actor_id = {lars_id} and actor_name = ''")).await, 1);
    app.stop().await;
}

async fn admins_delete_for_someone_who_asks_and_sessions_end_everywhere(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let sofie_id = app.person_id(SOFIE).await;
    let first = app.signed_in(SOFIE).await;
    let second = app.signed_in(SOFIE).await;
    assert_eq!(first.get("/me").await.status(), 200);
    // Sign out everywhere: the other browser is signed out too.
    let r = first.post_form("/me/sessions/end", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(second.get("/me").await.status(), 303);
    assert_eq!(
        db.count(&format!(
            "select count(*) from session where person_id = {sofie_id}"
        ))
        .await,
        0
    );

    // A member may not delete someone else; an admin may, after confirming.
    let jens = app.signed_in(JENS).await;
    assert_eq!(
        jens.get(&format!("/admin/people/{sofie_id}/delete"))
            .await
            .status(),
        403
    );
    assert_eq!(
        jens.post_form(
            &format!("/admin/people/{sofie_id}/delete"),
            &[("confirm", "yes")]
        )
        .await
        .status(),
        403
    );
    let admin = app.signed_in(ADMIN).await;
    let (_, page) = admin
        .get_text(&format!("/admin/people/{sofie_id}/delete"))
        .await;
    assert!(page.contains("Sofie") && page.contains("name=\"confirm\""));
    assert_eq!(
        admin
            .post_form("/admin/people/999999/delete", &[("confirm", "yes")])
            .await
            .status(),
        404
    );
    let r = admin
        .post_form(
            &format!("/admin/people/{sofie_id}/delete"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(location(&r), "/admin/people?deleted=1");
    assert_eq!(db.columns_holding(SOFIE).await, Vec::<String>::new());
    let admin_id = app.person_id(ADMIN).await;
    assert_eq!(
        db.count(&format!("select count(*) from audit_event where kind = 'account_deleted' and actor_id = {admin_id} and subject_person_id = {sofie_id} and subject_name = ''")).await,
        1
    );
    app.stop().await;
}

async fn sessions_last_as_configured_and_https_gets_hsts(db: TestDb) {
    let mut settings = db.settings();
    settings.privacy.session_days = "10".into();
    settings.privacy.session_idle_days = "2".into();
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    let lars = app.signed_in(LARS).await;
    let now = chrono::Utc::now();
    // A new session ends after the idle time unless used.
    assert_eq!(
        db.count_before(
            "session",
            "expires_at",
            now + chrono::Duration::days(2) + chrono::Duration::minutes(1)
        )
        .await,
        1
    );
    assert_eq!(
        db.count_before(
            "session",
            "expires_at",
            now + chrono::Duration::days(2) - chrono::Duration::minutes(1)
        )
        .await,
        0
    );
    // Used after a while, it moves on, but never past the absolute end.
    db.set_time(
        "session",
        "last_seen_at",
        now - chrono::Duration::days(1),
        "true",
    )
    .await;
    db.set_time(
        "session",
        "created_at",
        now - chrono::Duration::days(9),
        "true",
    )
    .await;
    assert_eq!(lars.get("/me").await.status(), 200);
    assert_eq!(
        db.count_before(
            "session",
            "expires_at",
            now + chrono::Duration::days(1) + chrono::Duration::minutes(1)
        )
        .await,
        1,
        "capped at 10 days"
    );
    // Past its end, it is gone.
    db.set_time(
        "session",
        "expires_at",
        now - chrono::Duration::minutes(1),
        "true",
    )
    .await;
    assert_eq!(lars.get("/me").await.status(), 303);
    let r = app.client().get("/privacy").await;
    assert!(
        r.headers().get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
    app.stop().await;

    let mut settings = db.settings();
    settings.base_url = Some("https://salon.example.org".into());
    let app = TestApp::spawn_with(settings).await;
    let r = reqwest::get(format!("http://{}/privacy", app.app.config.addr))
        .await
        .unwrap();
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
    app.stop().await;
}

async fn the_statements_come_from_the_configuration(db: TestDb) {
    let mut settings = db.settings();
    settings.privacy.controller = Some("Bibliotekernes Alliance, Søndergade 1, 8000 Aarhus".into());
    settings.privacy.dpo = Some("Dorte DPO, dpo@alliance.example".into());
    settings.privacy.processors =
        Some("Postfirma ApS: sender posten; Hosting A/S: driver serveren".into());
    settings.privacy.retention_room_days = "90".into();
    settings.privacy.accessibility_contact = Some("web@alliance.example".into());
    let app = TestApp::spawn_with(settings).await;
    let c = app.client();
    let (status, page) = c.get_text("/privacy").await;
    assert_eq!(status, 200);
    for expected in [
        "Privatlivspolitik",
        "Bibliotekernes Alliance, Søndergade 1",
        "Dorte DPO",
        "Postfirma ApS: sender posten",
        "Hosting A/S",
        "90 dage",
        "30 dage",
        "730 dage",
        "salon@salon.example",
        "Datatilsynet",
    ] {
        assert!(
            page.contains(expected),
            "{expected} on /privacy: {}",
            main_text(&page)
        );
    }
    let (_, page) = c.get_text("/accessibility").await;
    for expected in [
        "Tilgængelighedserklæring",
        "Overholdelsesstatus",
        "Håndhævelsesprocedure",
        "Digitaliseringsstyrelsen",
        "mailto:web@alliance.example",
        "Bibliotekernes Alliance",
    ] {
        assert!(
            page.contains(expected),
            "{expected} on /accessibility: {}",
            main_text(&page)
        );
    }
    // In English for an English browser, and linked from every page's footer.
    let r = c
        .http
        .get(c.url("/accessibility"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Compliance status"));
    let (_, front) = c.get_text("/").await;
    assert!(front.contains("href=\"/privacy\"") && front.contains("href=\"/accessibility\""));
    app.stop().await;
    // A statement fact with a line break is a configuration error naming the setting.
    let mut settings = db.settings();
    settings.privacy.controller = Some("To\nlinjer".into());
    let err = salon::config::Config::from_settings(&settings)
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("SALON_CONTROLLER"), "{err}");
}

both_backends!(
    a_leader_downloads_everything_salon_holds_about_them,
    deleting_an_account_frees_the_seat_and_leaves_no_trace,
    admins_delete_for_someone_who_asks_and_sessions_end_everywhere,
    sessions_last_as_configured_and_https_gets_hsts,
    the_statements_come_from_the_configuration,
);
