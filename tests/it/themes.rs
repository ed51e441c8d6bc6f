//! Themes of a series through the pages, on both databases: proposing (with clear errors),
//! support once per person and withdrawn, comments, merging duplicates (support and comments
//! move over, a supporter of both counts once), scheduling into a salon of the series (shown
//! on its page), and moving a theme on to concluded with a conclusion.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;

/// A series (made by the organiser) and its id.
async fn series(org: &Client) -> i64 {
    let r = org
        .post_form(
            "/series/new",
            &[("title", "Samtalesaloner 2027"), ("description", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    location(&r).trim_start_matches("/series/").parse().unwrap()
}

/// Propose a theme as `who`; the theme's id.
async fn propose(who: &Client, series: i64, title: &str) -> i64 {
    let r = who
        .post_form(
            &format!("/series/{series}/themes"),
            &[("title", title), ("why", "Fordi vi deler budgettet.")],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    location(&r).trim_start_matches("/themes/").parse().unwrap()
}

async fn support_count(db: &TestDb, theme: i64) -> i64 {
    db.count(&format!(
        "select count(*) from theme_support where theme_id = {theme}"
    ))
    .await
}

async fn support_is_once_per_person_and_can_be_withdrawn(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;

    // Mistakes are explained and store nothing.
    let r = lars
        .post_form(
            &format!("/series/{s}/themes"),
            &[("title", ""), ("why", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Skriv temaet."));
    let r = lars
        .post_form(
            &format!("/series/{s}/themes"),
            &[("title", "To\nlinjer"), ("why", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(db.count("select count(*) from theme").await, 0);
    // Visitors are sent to sign in.
    assert_eq!(
        app.client()
            .post_form(&format!("/series/{s}/themes"), &[("title", "X")])
            .await
            .status(),
        303
    );
    assert_eq!(db.count("select count(*) from theme").await, 0);

    let digital = propose(&lars, s, "Fælles digitalt indhold").await;
    let other = propose(&jens, s, "Kompetencer i bibliotekerne").await;
    assert_eq!(
        support_count(&db, digital).await,
        1,
        "the proposer supports it"
    );
    for _ in 0..2 {
        assert_eq!(
            jens.post_form(&format!("/themes/{digital}/support"), &[])
                .await
                .status(),
            303
        );
    }
    assert_eq!(support_count(&db, digital).await, 2, "once per person");
    // Listed by support.
    let (_, page) = app.client().get_text(&format!("/series/{s}/themes")).await;
    let first = page.find("Fælles digitalt indhold").unwrap();
    let second = page.find("Kompetencer i bibliotekerne").unwrap();
    assert!(first < second, "most supported first");
    assert!(page.contains("2 støtter"));
    assert_eq!(
        jens.post_form(&format!("/themes/{digital}/withdraw"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(support_count(&db, digital).await, 1);
    assert_eq!(support_count(&db, other).await, 1);
    // The JSON list, for signed-in members only.
    let r = jens.get(&format!("/api/v1/series/{s}/themes")).await;
    assert_eq!(r.status(), 200);
    let list: serde_json::Value = r.json().await.unwrap();
    assert_eq!(list[0]["title"], "Fælles digitalt indhold");
    assert_eq!(list[0]["state"], "proposed");
    assert_eq!(list[0]["support"], 1);
    assert_eq!(
        app.client()
            .get(&format!("/api/v1/series/{s}/themes"))
            .await
            .status(),
        401
    );
    app.stop().await;
}

async fn merging_keeps_supporters_and_comments(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    let (lars, jens, sofie) = (
        app.signed_in(LARS).await,
        app.signed_in(JENS).await,
        app.signed_in(SOFIE).await,
    );
    let a = propose(&lars, s, "E-bøger til alle").await;
    jens.post_form(&format!("/themes/{a}/support"), &[]).await;
    let b = propose(&jens, s, "E-bøger for alle borgere").await;
    sofie.post_form(&format!("/themes/{b}/support"), &[]).await;
    let r = sofie
        .post_form(
            &format!("/themes/{b}/comments"),
            &[("body", "Samme som det andet tema?")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        sofie
            .post_form(&format!("/themes/{b}/comments"), &[("body", "  ")])
            .await
            .status(),
        422
    );

    // Only organisers merge.
    assert_eq!(
        lars.post_form(&format!("/themes/{b}/merge"), &[("into", &a.to_string())])
            .await
            .status(),
        403
    );
    let r = org
        .post_form(&format!("/themes/{b}/merge"), &[("into", &a.to_string())])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/themes/{a}"));
    assert_eq!(
        support_count(&db, a).await,
        3,
        "Lars, Jens (once, though he supported both) and Sofie"
    );
    assert_eq!(support_count(&db, b).await, 0);
    let (_, page) = app.client().get_text(&format!("/themes/{a}")).await;
    assert!(
        page.contains("Samme som det andet tema?"),
        "the comment moved over"
    );
    let r = app.client().get(&format!("/themes/{b}")).await;
    assert_eq!(
        (r.status().as_u16(), location(&r)),
        (303, format!("/themes/{a}")),
        "the duplicate leads to the theme"
    );
    let (_, list) = app.client().get_text(&format!("/series/{s}/themes")).await;
    assert!(
        !list.contains("E-bøger for alle borgere"),
        "the duplicate is no longer listed"
    );
    app.stop().await;
}

async fn a_theme_is_scheduled_into_a_salon_and_concluded(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    let salon = new_salon(&org, &[("series_id", &s.to_string())], true).await;
    let elsewhere = new_salon(&org, &[("title", "Uden række")], true).await;
    let lars = app.signed_in(LARS).await;
    let theme = propose(&lars, s, "Fælles investering i det digitale").await;

    assert_eq!(
        lars.post_form(
            &format!("/themes/{theme}/schedule"),
            &[("salon", &salon.to_string())]
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        org.post_form(
            &format!("/themes/{theme}/schedule"),
            &[("salon", &elsewhere.to_string())]
        )
        .await
        .status(),
        400,
        "only salons of the series"
    );
    assert_eq!(
        org.post_form(
            &format!("/themes/{theme}/schedule"),
            &[("salon", &salon.to_string())]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from theme where id = {theme} and state = 'scheduled'"
        ))
        .await,
        1
    );
    let (_, page) = app.client().get_text(&format!("/salons/{salon}")).await;
    assert!(
        page.contains("Fælles investering i det digitale"),
        "the salon page shows its themes"
    );
    // A priority round on the salon starts with its themes as options.
    let (_, form) = org.get_text(&format!("/salons/{salon}/rounds")).await;
    assert!(
        form.contains("Fælles investering i det digitale</textarea>"),
        "the theme is a suggested option"
    );

    // Concluding needs a conclusion.
    let r = org
        .post_form(
            &format!("/themes/{theme}/state"),
            &[("state", "concluded"), ("conclusion", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Skriv en kort konklusion"));
    let r = org
        .post_form(
            &format!("/themes/{theme}/state"),
            &[
                ("state", "concluded"),
                ("conclusion", "Vi køber ind sammen fra 2028."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, concluded) = app
        .client()
        .get_text(&format!("/series/{s}/themes?state=concluded"))
        .await;
    assert!(concluded.contains("Fælles investering i det digitale"));
    let (_, proposed) = app
        .client()
        .get_text(&format!("/series/{s}/themes?state=proposed"))
        .await;
    assert!(
        !proposed.contains("Fælles investering i det digitale"),
        "filtered by state"
    );
    let (_, page) = app.client().get_text(&format!("/themes/{theme}")).await;
    assert!(page.contains("Vi køber ind sammen fra 2028."));
    app.stop().await;
}

async fn an_organiser_turns_a_room_message_into_a_theme(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    let (starts, ends) = from_now(-10);
    // An agenda whose first item began at the start: the room marks it as under way.
    let agenda = format!("{} Velkomst\n23.59 Afslutning", &starts[11..16]);
    let salon = new_salon(
        &org,
        &[
            ("series_id", &s.to_string()),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("agenda", &agenda),
        ],
        true,
    )
    .await;
    app.answer_for(
        salon,
        app.person_id(LARS).await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    let doc = scraper::Html::parse_document(&page);
    let current: Vec<String> = doc
        .select(&scraper::Selector::parse(".room-agenda li[aria-current]").unwrap())
        .map(|e| e.text().collect())
        .collect();
    // (Around midnight the salon spans two days and no item is "now" by the clock.)
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%d")
        .to_string();
    if starts.starts_with(&today) {
        assert_eq!(current.len(), 1, "{current:?}");
        assert!(current[0].contains("Velkomst"), "{current:?}");
    }
    let client_id = input_value(&page, "client_id").unwrap();
    let r = lars
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[
                (
                    "body",
                    "Fælles lånerkort i hele Norden\nSå borgerne kan låne overalt.",
                ),
                ("client_id", &client_id),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mid = db.count("select max(id) from message").await;
    assert_eq!(
        lars.post_form(&format!("/salons/{salon}/room/messages/{mid}/theme"), &[])
            .await
            .status(),
        403,
        "organisers only"
    );
    let r = org
        .post_form(&format!("/salons/{salon}/room/messages/{mid}/theme"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, theme) = app.client().get_text(&location(&r)).await;
    assert!(
        theme.contains("<h1>Fælles lånerkort i hele Norden</h1>") && theme.contains("Lars Brandt"),
        "{}",
        main_text(&theme)
    );
    assert_eq!(
        db.count("select count(*) from theme_support").await,
        1,
        "the author supports it"
    );
    app.stop().await;
}

async fn a_draft_salons_strategy_work_is_seen_by_organisers_only(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    let salon = new_salon(
        &org,
        &[
            ("series_id", &s.to_string()),
            ("title", "Hemmelig forberedelse"),
        ],
        true,
    )
    .await;
    let lars = app.signed_in(LARS).await;
    let theme = propose(&lars, s, "Fælles licenser").await;
    assert_eq!(
        org.post_form(
            &format!("/themes/{theme}/schedule"),
            &[("salon", &salon.to_string())]
        )
        .await
        .status(),
        303
    );
    let outcomes = format!("/salons/{salon}/outcomes");
    assert_eq!(
        org.post_form(
            &format!("{outcomes}/decisions"),
            &[("body", "Kladdebeslutning om licenser")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.post_form(
            &format!("{outcomes}/actions"),
            &[("what", "Kladdeopgave om licenser")]
        )
        .await
        .status(),
        303
    );
    let r = org
        .post_form(
            &format!("/salons/{salon}/rounds"),
            &[
                ("question", "Kladderunde om licenser"),
                ("options", "A\nB"),
                ("points_per_person", "3"),
                ("max_per_option", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let round = location(&r);
    assert_eq!(
        org.post_form(&format!("{round}/open"), &[]).await.status(),
        303
    );
    assert_eq!(
        org.post_form(&format!("{round}/close"), &[]).await.status(),
        303
    );
    // The salon is a draft again (an organiser's preparation; the board is first shown to Lars
    // after this, so no cached page of the published salon is in the way).
    db.execute(&format!(
        "update salon set status = 'draft' where id = {salon}"
    ))
    .await;
    assert_eq!(lars.get(&format!("/salons/{salon}")).await.status(), 404);
    let secrets = [
        "Hemmelig forberedelse",
        "Kladdebeslutning",
        "Kladdeopgave",
        "Kladderunde",
    ];
    let pages = [
        format!("/themes/{theme}"),
        format!("/series/{s}/board"),
        format!("/series/{s}/board.md"),
        format!("/api/v1/series/{s}/outcomes"),
    ];
    for path in &pages {
        let (status, body) = lars.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        for secret in secrets {
            assert!(
                !body.contains(secret),
                "{path} shows {secret} of a draft to a member"
            );
        }
        assert!(
            !body.contains(&format!("/salons/{salon}\"")),
            "{path} links the draft"
        );
    }
    let api: serde_json::Value = lars
        .get(&format!("/api/v1/series/{s}/themes"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        api[0]["salons"],
        serde_json::json!([]),
        "the themes API lists no draft: {api}"
    );
    let (_, anonymous) = app.client().get_text(&format!("/themes/{theme}")).await;
    assert!(!anonymous.contains("Hemmelig forberedelse"));
    // Organisers still see their draft's work where the series is shown.
    let (_, board) = org.get_text(&format!("/series/{s}/board")).await;
    assert!(
        board.contains("Kladdebeslutning om licenser") && board.contains("Kladderunde om licenser")
    );
    let api: serde_json::Value = org
        .get(&format!("/api/v1/series/{s}/themes"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api[0]["salons"], serde_json::json!([salon]));
    let (_, theme_page) = org.get_text(&format!("/themes/{theme}")).await;
    assert!(theme_page.contains("Hemmelig forberedelse"));
    app.stop().await;
}

async fn clicks_and_writings_on_themes_are_limited_per_person_and_the_rooms_get_few_frames(
    db: TestDb,
) {
    let (app, salon) = common::room::running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    db.execute(&format!(
        "update salon set series_id = {s} where id = {salon}"
    ))
    .await;
    let sofie = app.signed_in(SOFIE).await;
    let theme = propose(&sofie, s, "Fælles licenser").await;
    // Lars listens in the salon's room (the series' rooms get every theme's frames).
    let mut lars = common::room::connect(&app, salon, Some(LARS), None, None)
        .await
        .unwrap();
    common::room::next_of(&mut lars, "hello").await;
    // Jens clicks support and withdraw 21 times in a row: 21 changes, each stored.
    let jens = app.signed_in(JENS).await;
    for i in 0..21 {
        let action = if i % 2 == 0 { "support" } else { "withdraw" };
        assert_eq!(
            jens.post_form(&format!("/themes/{theme}/{action}"), &[])
                .await
                .status(),
            303,
            "click {i}"
        );
    }
    assert_eq!(support_count(&db, theme).await, 2, "Sofie and Jens");
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    // A reword is announced at once: once its frame is there, every support frame is too.
    assert_eq!(
        org.post_form(
            &format!("/themes/{theme}/reword"),
            &[("reword-title", "Fælles licensaftaler"), ("reword-why", "")]
        )
        .await
        .status(),
        303
    );
    let mut support_frames = Vec::new();
    loop {
        let frame = common::room::next_of(&mut lars, "theme").await;
        if frame["theme"]["title"] == "Fælles licensaftaler" {
            assert_eq!(frame["theme"]["support"], 2);
            break;
        }
        support_frames.push(frame["theme"]["support"].as_i64().unwrap());
    }
    assert!(
        !support_frames.is_empty() && support_frames.len() <= 4,
        "21 clicks came as {} frames: {support_frames:?}",
        support_frames.len()
    );
    assert_eq!(
        support_frames.last(),
        Some(&2),
        "the last one carries the state after every click"
    );

    // Past the limit (a burst of 30 clicks), a click is refused in the person's language and
    // changes nothing.
    let mut refused = 0;
    for i in 0..30 {
        let action = if i % 2 == 0 { "withdraw" } else { "support" };
        let r = jens
            .post_form(&format!("/themes/{theme}/{action}"), &[])
            .await;
        if r.status() == 429 {
            refused += 1;
            assert!(
                r.text()
                    .await
                    .unwrap()
                    .contains("Du har prøvet mange gange")
            );
        }
    }
    assert!(
        refused >= 15,
        "{refused} of 30 clicks refused after 21 (a burst of 30, then one a second)"
    );
    // Writings: ten comments and proposals in a burst, then one every 20 seconds.
    let mut accepted = 0;
    for i in 0..14 {
        let r = sofie
            .post_form(
                &format!("/themes/{theme}/comments"),
                &[("body", &format!("Kommentar {i}"))],
            )
            .await;
        match r.status().as_u16() {
            303 => accepted += 1,
            429 => {}
            other => panic!("comment {i}: {other}"),
        }
    }
    assert_eq!(
        accepted, 9,
        "ten writings in a burst: her theme and nine comments"
    );
    assert_eq!(db.count("select count(*) from theme_comment").await, 9);
    let r = sofie
        .post_form(
            &format!("/series/{s}/themes"),
            &[("title", "Endnu et tema"), ("why", "")],
        )
        .await;
    assert_eq!(r.status(), 429, "proposals share the allowance");
    app.stop().await;
}

async fn long_lists_of_themes_and_comments_come_in_pages(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let s = series(&org).await;
    let lars = app.signed_in(LARS).await;
    let theme = propose(&lars, s, "Fælles licenser").await;
    // Made long directly (the limits above keep a person from doing it through the pages).
    let lars_id = app.person_id(LARS).await;
    for i in 0..120 {
        db.execute(&format!("insert into theme_comment (theme_id, author_id, body, created_at) values ({theme}, {lars_id}, 'Kommentar nummer {i:03}', '2026-12-01 10:00:00+00:00')")).await;
    }
    for i in 0..130 {
        db.execute(&format!("insert into theme (series_id, title, why, organisation_id, proposed_by, state, conclusion, created_at) values ({s}, 'Tema nummer {i:03}', '', null, {lars_id}, 'proposed', '', '2026-12-01 10:00:00+00:00')")).await;
    }
    let visitor = app.client();
    let (status, first) = visitor.get_text(&format!("/themes/{theme}")).await;
    assert_eq!(status, 200);
    assert!(
        first.contains("Kommentar nummer 000")
            && first.contains("Kommentar nummer 049")
            && !first.contains("Kommentar nummer 050")
    );
    assert!(
        first.contains("Side 1 af 3")
            && first.contains(&format!("/themes/{theme}?page=2#comments"))
    );
    let (_, last) = visitor.get_text(&format!("/themes/{theme}?page=3")).await;
    assert!(
        last.contains("Kommentar nummer 119")
            && !last.contains("Kommentar nummer 099")
            && last.contains("Side 3 af 3")
    );
    let (status, beyond) = visitor
        .get_text(&format!("/themes/{theme}?page=999999999999999999999"))
        .await;
    assert_eq!(
        status, 200,
        "a page number past anything shows the first page"
    );
    assert!(beyond.contains("Kommentar nummer 000"));
    // The series' list: 131 themes, 50 to a page.
    let (_, list) = visitor.get_text(&format!("/series/{s}/themes")).await;
    assert_eq!(list.matches("href=\"/themes/").count(), 50);
    assert!(list.contains("Side 1 af 3"));
    let (_, list3) = visitor
        .get_text(&format!("/series/{s}/themes?page=3"))
        .await;
    assert_eq!(list3.matches("href=\"/themes/").count(), 31);
    // The API: 100 to a page, the next page in a Link header.
    let r = lars.get(&format!("/api/v1/series/{s}/themes")).await;
    let link = r
        .headers()
        .get("link")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let page1: serde_json::Value = r.json().await.unwrap();
    assert_eq!(page1.as_array().unwrap().len(), 100);
    assert!(
        link.contains(&format!("/api/v1/series/{s}/themes?page=2>; rel=\"next\"")),
        "{link}"
    );
    let page2: serde_json::Value = lars
        .get(&format!("/api/v1/series/{s}/themes?page=2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page2.as_array().unwrap().len(), 31);
    app.stop().await;
}

both_backends!(
    clicks_and_writings_on_themes_are_limited_per_person_and_the_rooms_get_few_frames,
    long_lists_of_themes_and_comments_come_in_pages,
    a_draft_salons_strategy_work_is_seen_by_organisers_only,
    an_organiser_turns_a_room_message_into_a_theme,
    support_is_once_per_person_and_can_be_withdrawn,
    merging_keeps_supporters_and_comments,
    a_theme_is_scheduled_into_a_salon_and_concluded,
);
