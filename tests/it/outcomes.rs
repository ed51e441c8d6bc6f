//! Decisions and actions of a salon through the pages, on both databases: organisers and the
//! note-takers they name record them (members may not), mistakes are explained and store
//! nothing, owners see their open actions on /me, and the series' outcomes come as JSON.

use crate::common;

use common::room::{JENS, LARS, ORGANISER};
use common::*;

async fn note_takers_and_organisers_record_decisions_and_actions(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let salon = new_salon(&org, &[("series_id", &series.to_string())], true).await;
    let base = format!("/salons/{salon}/outcomes");
    let lars = app.signed_in(LARS).await;

    // A member who is not a note-taker may read but not record.
    assert_eq!(lars.get(&base).await.status(), 200);
    assert_eq!(
        lars.post_form(&format!("{base}/decisions"), &[("body", "Vi gør det")])
            .await
            .status(),
        403
    );
    // The organiser names Lars note-taker.
    assert_eq!(
        org.post_form(
            &format!("{base}/note-takers"),
            &[("email", "ukendt@bibliotek.example")]
        )
        .await
        .status(),
        422
    );
    assert_eq!(
        org.post_form(&format!("{base}/note-takers"), &[("email", LARS)])
            .await
            .status(),
        303
    );
    assert_eq!(
        lars.post_form(
            &format!("{base}/decisions"),
            &[("body", "Vi køber e-bøger ind sammen fra 2028.")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        lars.post_form(&format!("{base}/decisions"), &[("body", " ")])
            .await
            .status(),
        422
    );
    // A decision may say which theme of the series it settles.
    let r = lars
        .post_form(
            &format!("/series/{series}/themes"),
            &[("title", "Fælles indkøb")],
        )
        .await;
    let theme = location(&r).trim_start_matches("/themes/").to_string();
    assert_eq!(
        lars.post_form(
            &format!("{base}/decisions"),
            &[("body", "Indkøb samles"), ("theme", "999999")]
        )
        .await
        .status(),
        400
    );
    assert_eq!(
        lars.post_form(
            &format!("{base}/decisions"),
            &[("body", "Indkøb samles"), ("theme", &theme)]
        )
        .await
        .status(),
        303
    );
    let (_, page) = lars.get_text(&base).await;
    assert!(
        page.contains(&format!("href=\"/themes/{theme}\"")),
        "the decision links its theme"
    );
    db.execute("delete from decision where body = 'Indkøb samles'")
        .await;

    // Actions: mistakes first, nothing stored.
    let r = lars
        .post_form(
            &format!("{base}/actions"),
            &[("what", ""), ("due", "1. maj")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Skriv opgaven") && page.contains("år-måned-dag"));
    let r = lars
        .post_form(
            &format!("{base}/actions"),
            &[
                ("what", "Udkast til indkøbsaftale"),
                ("owner", "ingen@bibliotek.example"),
                ("due", "2027-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    // What was typed is kept; the owner is offered from a list, the date is a date field.
    let page = r.text().await.unwrap();
    assert!(
        page.contains("value=\"Udkast til indkøbsaftale\"")
            && page.contains("type=\"date\" id=\"due\" name=\"due\" value=\"2027-05-01\""),
        "{}",
        main_text(&page)
    );
    assert!(
        page.contains(&format!(
            "<option value=\"{JENS}\">Jens Riis (KOMBIT)</option>"
        )),
        "the owner list names the participants"
    );
    assert_eq!(db.count("select count(*) from action").await, 0);
    let fields = [
        ("what", "Udkast til indkøbsaftale"),
        ("owner", JENS),
        ("organisation", "KOMBIT"),
        ("due", "2027-05-01"),
    ];
    assert_eq!(
        lars.post_form(&format!("{base}/actions"), &fields)
            .await
            .status(),
        303
    );
    assert_eq!(
        org.post_form(
            &format!("{base}/actions"),
            &[("what", "Kortlæg licenser"), ("organisation", "KOMBIT")]
        )
        .await
        .status(),
        303
    );

    // Jens (KOMBIT) sees both open actions on /me: his own and his organisation's.
    let jens = app.signed_in(JENS).await;
    let (_, me) = jens.get_text("/me").await;
    assert!(
        me.contains("Udkast til indkøbsaftale") && me.contains("Kortlæg licenser"),
        "{}",
        main_text(&me)
    );
    assert!(me.contains("frist 01.05.2027"));
    // Done: no longer open.
    let id = db
        .count("select id from action where what = 'Udkast til indkøbsaftale'")
        .await;
    assert_eq!(
        jens.post_form(&format!("{base}/actions/{id}/done"), &[])
            .await
            .status(),
        403,
        "owners are not recorders"
    );
    assert_eq!(
        lars.post_form(&format!("{base}/actions/{id}/done"), &[])
            .await
            .status(),
        303
    );
    let (_, me) = jens.get_text("/me").await;
    assert!(!me.contains("Udkast til indkøbsaftale"));

    // The series' outcomes as JSON, for signed-in members.
    let json: serde_json::Value = jens
        .get(&format!("/api/v1/series/{series}/outcomes"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        json["decisions"][0]["body"],
        "Vi køber e-bøger ind sammen fra 2028."
    );
    let actions = json["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 2);
    assert!(
        actions
            .iter()
            .any(|a| a["what"] == "Udkast til indkøbsaftale"
                && a["status"] == "done"
                && a["due"] == "2027-05-01"
                && a["owner"] == "Jens Riis")
    );
    assert_eq!(
        app.client()
            .get(&format!("/api/v1/series/{series}/outcomes"))
            .await
            .status(),
        401
    );

    // The next salon of the series starts from the open actions of this one.
    let next = new_salon(
        &org,
        &[
            ("series_id", &series.to_string()),
            ("starts_at", "2027-04-10T09:00"),
            ("ends_at", "2027-04-10T12:00"),
        ],
        true,
    )
    .await;
    let (_, page) = app.client().get_text(&format!("/salons/{next}")).await;
    let text = main_text(&page);
    assert!(
        text.contains("Fra sidste gang")
            && text.contains("Kortlæg licenser")
            && !text.contains("Udkast til indkøbsaftale"),
        "{text}"
    );

    // The strategy board: for signed-in members, filtered by organisation, and as Markdown.
    assert_eq!(
        app.client()
            .get(&format!("/series/{series}/board"))
            .await
            .status(),
        303,
        "sign in first"
    );
    let (status, board) = jens.get_text(&format!("/series/{series}/board")).await;
    assert_eq!(status, 200);
    assert!(
        board.contains(&format!("<a href=\"/salons/{salon}\">")),
        "each decision names its salon (and date)"
    );
    let (_, front) = app.client().get_text("/").await;
    assert!(
        front.contains(&format!("href=\"/series/{series}/board\"")),
        "the front page leads to the board"
    );
    let text = main_text(&board);
    assert!(
        text.contains("Vi køber e-bøger ind sammen fra 2028.") && text.contains("Kortlæg licenser"),
        "{text}"
    );
    // "Who does what" follows the owner: Lars (KB) owns an action given to no organisation.
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/actions"),
            &[("what", "Lars skriver oplægget"), ("owner", LARS)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, kb) = jens
        .get_text(&format!("/series/{series}/board?org=KB"))
        .await;
    assert!(
        !main_text(&kb).contains("Kortlæg licenser"),
        "filtered by organisation"
    );
    assert!(
        main_text(&kb).contains("Lars skriver oplægget"),
        "KB's actions include those its people own: {}",
        main_text(&kb)
    );
    // The board is kept rendered, but a change shows at the next request.
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/decisions"),
            &[("body", "Tavlen viser det straks.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, board) = jens.get_text(&format!("/series/{series}/board")).await;
    assert!(
        main_text(&board).contains("Tavlen viser det straks."),
        "a new decision on the board at once"
    );
    let (_, board) = jens
        .get_text(&format!("/series/{series}/board?org=nonsense"))
        .await;
    assert!(
        !main_text(&board).contains("Kortlæg licenser"),
        "an unknown organisation filters everything out"
    );
    let (_, md) = jens.get_text(&format!("/series/{series}/board.md")).await;
    assert!(
        md.contains("- [x] Udkast til indkøbsaftale (Jens Riis, Kombit")
            || md.contains("- [x] Udkast til indkøbsaftale (Jens Riis,"),
        "{md}"
    );
    assert!(md.contains("- [ ] Kortlæg licenser"));
    app.stop().await;
}

async fn an_action_owner_is_reminded_once_before_the_due_date(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    let base = format!("/salons/{salon}/outcomes");
    let soon = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let later = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    for (what, owner, due) in [
        ("Udkast til aftale", JENS, soon.as_str()),
        ("Senere opgave", JENS, later.as_str()),
        ("Lars' opgave", LARS, ""),
    ] {
        let r = org
            .post_form(
                &format!("{base}/actions"),
                &[("what", what), ("owner", owner), ("due", due)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let mail = wait_for_mails_to(&sink.dir, JENS, 1).await.pop().unwrap();
    assert!(
        mail.header("Subject")
            .unwrap()
            .contains("Udkast til aftale"),
        "{:?}",
        mail.header("Subject")
    );
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
        "once (and the marker), also across a restart; not for the later action"
    );
    assert_eq!(
        mails_to(&sink.dir, LARS).len(),
        1,
        "no due date, no reminder (the marker only)"
    );
    again.stop().await;
    sink.stop().await;
}

async fn the_summary_goes_once_to_everyone_with_a_seat_after_the_salon(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (starts, ends) = from_now(60);
    let upcoming = new_salon(&org, &[("starts_at", &starts), ("ends_at", &ends)], true).await;
    let (starts, ends) = from_now(-180);
    let ended = new_salon(
        &org,
        &[
            ("title", "Salonen om indhold"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    app.answer_for(
        ended,
        app.person_id(LARS).await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    app.answer_for(
        ended,
        app.person_id(JENS).await,
        salon::domain::rsvp::Response::No,
    )
    .await;
    org.post_form(
        &format!("/salons/{ended}/outcomes/decisions"),
        &[("body", "Vi køber ind sammen.")],
    )
    .await;

    assert_eq!(
        org.post_form(&format!("/salons/{upcoming}/summary"), &[])
            .await
            .status(),
        409,
        "not before the end"
    );
    let lars = app.signed_in(LARS).await;
    assert_eq!(
        lars.post_form(&format!("/salons/{ended}/summary"), &[])
            .await
            .status(),
        403,
        "organisers only"
    );
    let (_, preview) = org.get_text(&format!("/salons/{ended}/summary")).await;
    assert!(preview.contains("Vi køber ind sammen."));
    // The organiser's own introduction: previewed, refused with control characters, sent.
    let intro = "Tak for i dag.\n\nNæste gang ses vi i Oslo.";
    let r = org
        .post_form(
            &format!("/salons/{ended}/summary"),
            &[("intro", intro), ("step", "preview")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Næste gang ses vi i Oslo.") && page.contains("<h2>Beslutninger</h2>"));
    let r = org
        .post_form(
            &format!("/salons/{ended}/summary"),
            &[("intro", "Tak\u{7}"), ("step", "send")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        org.post_form(&format!("/salons/{ended}/summary"), &[("intro", intro)])
            .await
            .status(),
        303
    );
    let mail = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    assert!(
        mail.text().contains("Næste gang ses vi i Oslo."),
        "{}",
        mail.text()
    );
    assert!(
        mail.html().contains("<li>Vi køber ind sammen.</li>"),
        "a real list in the HTML part: {}",
        mail.html()
    );
    assert!(
        mail.header("Subject")
            .unwrap()
            .starts_with("Opsummering: Salonen om indhold")
    );
    assert!(mail.text().contains("Vi køber ind sammen."));
    assert_eq!(
        org.post_form(&format!("/salons/{ended}/summary"), &[])
            .await
            .status(),
        409,
        "once"
    );
    mail_marker(&app.client(), &sink.dir, LARS).await;
    mail_marker(&app.client(), &sink.dir, JENS).await;
    assert_eq!(
        mails_to(&sink.dir, LARS).len(),
        2,
        "the summary once, and the marker"
    );
    assert_eq!(
        mails_to(&sink.dir, JENS).len(),
        1,
        "only people with a seat (the marker only)"
    );
    let (_, page) = app.client().get_text(&format!("/salons/{ended}")).await;
    assert!(
        page.contains("Opsummering")
            && page.contains("Vi køber ind sammen.")
            && page.contains("Næste gang ses vi i Oslo."),
        "it stays on the salon page, with its introduction"
    );
    app.stop().await;
    sink.stop().await;
}

async fn a_hidden_message_never_becomes_a_decision_or_a_theme(db: TestDb) {
    let (app, salon) = common::room::running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series = location(&r).trim_start_matches("/series/").to_string();
    db.execute(&format!(
        "update salon set series_id = {series} where id = {salon}"
    ))
    .await;
    assert_eq!(
        org.post_form(
            &format!("/salons/{salon}/outcomes/note-takers"),
            &[("email", LARS)]
        )
        .await
        .status(),
        303
    );
    let jens = app.signed_in(JENS).await;
    let lars = app.signed_in(LARS).await;
    let room = format!("/salons/{salon}/room/messages");
    assert_eq!(
        jens.post_form(&room, &[("body", "Skjult forslag"), ("client_id", "j-1")])
            .await
            .status(),
        303
    );
    assert_eq!(
        jens.post_form(&room, &[("body", "Synligt forslag"), ("client_id", "j-2")])
            .await
            .status(),
        303
    );
    let hidden = db
        .count("select id from message where client_id = 'j-1'")
        .await;
    let shown = db
        .count("select id from message where client_id = 'j-2'")
        .await;
    assert_eq!(
        org.post_form(&format!("{room}/{hidden}/hide"), &[])
            .await
            .status(),
        303
    );
    // The note-taker may not publish what the organiser hid, nor may the organiser by mistake.
    let r = lars
        .post_form(&format!("{room}/{hidden}/decision"), &[])
        .await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("En skjult besked kan ikke blive"),
        "the refusal says why"
    );
    assert_eq!(
        org.post_form(&format!("{room}/{hidden}/decision"), &[])
            .await
            .status(),
        400
    );
    assert_eq!(
        org.post_form(&format!("{room}/{hidden}/theme"), &[])
            .await
            .status(),
        400
    );
    assert_eq!(db.count("select count(*) from decision").await, 0);
    assert_eq!(db.count("select count(*) from theme").await, 0);
    // A message that is not hidden becomes one, so the refusal above was about hiding.
    assert_eq!(
        lars.post_form(&format!("{room}/{shown}/decision"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(db.count("select count(*) from decision").await, 1);
    let (_, outcomes) = app
        .client()
        .get_text(&format!("/salons/{salon}/outcomes"))
        .await;
    assert!(outcomes.contains("Synligt forslag") && !outcomes.contains("Skjult forslag"));
    app.stop().await;
}

async fn decisions_and_actions_are_corrected_or_withdrawn_on_the_record(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2028")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let salon = new_salon(&org, &[("series_id", &series.to_string())], true).await;
    let base = format!("/salons/{salon}/outcomes");
    let r = org
        .post_form(
            &format!("{base}/decisions"),
            &[("body", "Vi køb ind sammen.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let decision = db.count("select max(id) from decision").await;
    // An action that carries the decision out.
    let r = org
        .post_form(
            &format!("{base}/actions"),
            &[
                ("what", "Skriv udbuddet"),
                ("owner", JENS),
                ("due", "2027-06-01"),
                ("decision", &decision.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let action = db.count("select max(id) from action").await;
    let (_, page) = org.get_text(&base).await;
    assert!(
        main_text(&page).contains("følger op på: Vi køb ind sammen."),
        "{}",
        main_text(&page)
    );
    // A decision of another salon is refused.
    let other = new_salon(&org, &[], true).await;
    let r = org
        .post_form(
            &format!("/salons/{other}/outcomes/actions"),
            &[("what", "Noget"), ("decision", &decision.to_string())],
        )
        .await;
    assert_eq!(r.status(), 400);

    // Members may not correct; a wording that is empty is refused and changes nothing.
    let lars = app.signed_in(LARS).await;
    let reword = format!("{base}/decisions/{decision}/reword");
    assert_eq!(
        lars.post_form(&reword, &[("body", "Nej")]).await.status(),
        403
    );
    assert_eq!(
        org.post_form(&reword, &[("body", "  ")]).await.status(),
        400
    );
    assert_eq!(
        org.post_form(&reword, &[("body", "Vi køber ind sammen fra 2028.")])
            .await
            .status(),
        303
    );
    let (_, board) = org.get_text(&format!("/series/{series}/board")).await;
    assert!(board.contains("Vi køber ind sammen fra 2028."));
    // The action changes owner and date; its reminder is due again.
    let r = org
        .post_form(
            &format!("{base}/actions/{action}/change"),
            &[
                ("what", "Skriv udbuddet færdigt"),
                ("owner", LARS),
                ("due", "2027-07-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, me) = lars.get_text("/me").await;
    assert!(me.contains("Skriv udbuddet færdigt"), "Lars owns it now");
    // Withdrawn: kept on the outcomes page as withdrawn, gone from the board and from /me.
    assert_eq!(
        org.post_form(&format!("{base}/decisions/{decision}/withdraw"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        org.post_form(&format!("{base}/actions/{action}/withdraw"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        org.post_form(&format!("{base}/actions/{action}/withdraw"), &[])
            .await
            .status(),
        404,
        "once"
    );
    let (_, page) = org.get_text(&base).await;
    let text = main_text(&page);
    assert!(text.contains("trukket tilbage"), "{text}");
    let (_, board) = org.get_text(&format!("/series/{series}/board")).await;
    let board = main_text(&board);
    assert!(
        !board.contains("Vi køber ind sammen fra 2028.") && !board.contains("Skriv udbuddet"),
        "{board}"
    );
    let (_, me) = lars.get_text("/me").await;
    assert!(!me.contains("Skriv udbuddet færdigt"));
    // Every correction is on the audit trail.
    assert_eq!(
        db.count(
            "select count(*) from audit_event where kind in
             ('decision_reworded', 'decision_withdrawn', 'action_changed', 'action_withdrawn')"
        )
        .await,
        4
    );
    app.stop().await;
}

async fn a_theme_shows_the_decisions_and_actions_it_led_to_also_after_a_merge(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2029")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let salon = new_salon(&org, &[("series_id", &series.to_string())], true).await;
    let base = format!("/salons/{salon}/outcomes");
    let actions_before = db.count("select count(*) from action").await;
    let theme = |title: &'static str| {
        let org = &org;
        async move {
            let r = org
                .post_form(&format!("/series/{series}/themes"), &[("title", title)])
                .await;
            assert_eq!(r.status(), 303);
            location(&r)
                .trim_start_matches("/themes/")
                .parse::<i64>()
                .unwrap()
        }
    };
    let kept = theme("Fælles indkøb").await;
    let duplicate = theme("Fælles indkøb af e-bøger").await;
    // A decision settles the duplicate; one action serves it directly, one carries out the
    // decision, and one serves nothing.
    let r = org
        .post_form(
            &format!("{base}/decisions"),
            &[
                ("body", "Vi køber e-bøger ind sammen."),
                ("theme", &duplicate.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let decision = db.count("select max(id) from decision").await;
    for (what, link) in [
        ("Saml licenserne", ("theme", duplicate.to_string())),
        ("Skriv udbuddet", ("decision", decision.to_string())),
        ("Bestil kaffe", ("theme", String::new())),
    ] {
        let r = org
            .post_form(
                &format!("{base}/actions"),
                &[("what", what), ("owner", JENS), (link.0, &link.1)],
            )
            .await;
        assert_eq!(r.status(), 303, "{what}");
    }
    // A theme of another series is refused, and nothing is stored.
    let r = org
        .post_form(
            &format!(
                "/salons/{}/outcomes/actions",
                new_salon(&org, &[], true).await
            ),
            &[("what", "Noget"), ("theme", &kept.to_string())],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        db.count("select count(*) from action").await,
        3 + actions_before
    );

    let (_, page) = org.get_text(&base).await;
    assert!(
        main_text(&page).contains("tema: Fælles indkøb af e-bøger"),
        "{}",
        main_text(&page)
    );
    // Merged into the kept theme: what the duplicate led to is the kept theme's.
    let r = org
        .post_form(
            &format!("/themes/{duplicate}/merge"),
            &[("into", &kept.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars.get_text(&format!("/themes/{kept}")).await;
    let text = main_text(&page);
    let section = &text[text
        .find("Det er besluttet og sat i gang")
        .expect("the section")..];
    for expected in [
        "Vi køber e-bøger ind sammen.",
        "Saml licenserne",
        "Skriv udbuddet",
    ] {
        assert!(section.contains(expected), "{expected}: {section}");
    }
    assert!(!section.contains("Bestil kaffe"), "{section}");
    // Without signing in, no names: the section is not there.
    let (_, page) = app.client().get_text(&format!("/themes/{kept}")).await;
    assert!(!main_text(&page).contains("Det er besluttet"));
    app.stop().await;
}

both_backends!(
    a_theme_shows_the_decisions_and_actions_it_led_to_also_after_a_merge,
    decisions_and_actions_are_corrected_or_withdrawn_on_the_record,
    a_hidden_message_never_becomes_a_decision_or_a_theme,
    note_takers_and_organisers_record_decisions_and_actions,
    an_action_owner_is_reminded_once_before_the_due_date,
    the_summary_goes_once_to_everyone_with_a_seat_after_the_salon,
);
