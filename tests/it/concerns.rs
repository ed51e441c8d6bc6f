//! What themes, decisions and actions concern in the field's map, on both databases: the
//! organiser and the salon's note-taker name items and organisations (a member may not, an
//! unknown one is refused, and nothing is stored either way); the item's and the
//! organisation's pages list what the series have said, decided and set out to do about them
//! (signed-in readers; a draft salon's decision for organisers only); the board's landscape
//! section and its Markdown count them and give the next date.

use crate::common;

use common::room::{LARS, ORGANISER, SOFIE};
use common::*;

async fn add_item(org: &Client) -> i64 {
    let r = org
        .post_form(
            "/landscape",
            &[
                ("name", "E-bogsaftalen"),
                ("kind", "agreement"),
                ("owner", "DDF"),
                ("starts_on", "2024-01-01"),
                ("ends_on", "2029-12-31"),
                ("renegotiate_on", "2028-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    location(&r)
        .trim_start_matches("/landscape/")
        .parse()
        .unwrap()
}

async fn the_series_work_names_the_map_and_the_map_shows_it(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let lars = app.signed_in(LARS).await;
    let sofie = app.signed_in(SOFIE).await;
    let item = add_item(&org).await.to_string();
    let ddf = db
        .count("select id from organisation where short_name = 'DDF'")
        .await
        .to_string();
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let s = series.to_string();
    let salon = new_salon(&org, &[("series_id", &s)], true).await;
    let draft = new_salon(&org, &[("series_id", &s), ("title", "Kladde")], false).await;
    for (at, body) in [
        (salon, "Vi forhandler e-bøger i fællesskab."),
        (draft, "Et udkast til en beslutning."),
    ] {
        let r = org
            .post_form(
                &format!("/salons/{at}/outcomes/decisions"),
                &[("body", body)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let decision = db
        .count(&format!("select id from decision where salon_id = {salon}"))
        .await;
    let in_draft = db
        .count(&format!("select id from decision where salon_id = {draft}"))
        .await;
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/actions"),
            &[("what", "Kortlæg licenserne")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let action = db.count("select max(id) from action").await;
    let r = org
        .post_form(
            &format!("/series/{series}/themes"),
            &[("title", "Fælles digitalt indhold"), ("why", "")],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let theme = db.count("select max(id) from theme").await;

    // A member who takes no notes may not name anything; an unknown item is refused.
    let path = format!("/concerns/decision/{decision}");
    assert_eq!(lars.get(&path).await.status(), 403);
    let r = lars.post_form(&path, &[("items", item.as_str())]).await;
    assert_eq!(r.status(), 403);
    let r = org.post_form(&path, &[("items", "999999")]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Vælg blandt dem på listen.")
    );
    assert_eq!(db.count("select count(*) from decision_concern").await, 0);

    // The organiser names the item and DDF on the decision; Lars, once a note-taker, the
    // item on the action; the organiser on the theme and the draft's decision.
    let r = org
        .post_form(&path, &[("items", item.as_str()), ("organisations", &ddf)])
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with(&format!("#decision-{decision}")));
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/note-takers"),
            &[("email", LARS)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = lars
        .post_form(&format!("/concerns/action/{action}"), &[("items", &item)])
        .await;
    assert_eq!(r.status(), 303);
    for subject in [format!("theme/{theme}"), format!("decision/{in_draft}")] {
        let r = org
            .post_form(&format!("/concerns/{subject}"), &[("items", &item)])
            .await;
        assert_eq!(r.status(), 303);
    }
    // Sending the form again replaces what was named: one row per item, not two.
    let r = org
        .post_form(&path, &[("items", item.as_str()), ("organisations", &ddf)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(db.count("select count(*) from decision_concern").await, 3);

    // The outcomes page says what each concerns.
    let (_, page) = sofie.get_text(&format!("/salons/{salon}/outcomes")).await;
    let text = main_text(&page);
    assert!(
        text.contains("I feltet: E-bogsaftalen , Det Digitale Folkebibliotek (DDF)"),
        "{text}"
    );

    // The item's page: what was said and decided, for signed-in readers; the draft's
    // decision for organisers only.
    let (_, page) = sofie.get_text(&format!("/landscape/{item}")).await;
    let text = main_text(&page);
    for want in [
        "Hvad serierne har sagt og besluttet om dette",
        "Fælles digitalt indhold",
        "Vi forhandler e-bøger i fællesskab.",
        "Kortlæg licenserne",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(!text.contains("Et udkast til en beslutning."), "{text}");
    let (_, page) = org.get_text(&format!("/landscape/{item}")).await;
    assert!(main_text(&page).contains("Et udkast til en beslutning."));
    let (_, page) = app.client().get_text(&format!("/landscape/{item}")).await;
    assert!(!main_text(&page).contains("Vi forhandler e-bøger"));
    // DDF's page has the decision that names it.
    let (_, page) = sofie.get_text("/organisations/DDF").await;
    assert!(main_text(&page).contains("Vi forhandler e-bøger i fællesskab."));

    // The board counts what names the item and gives its next date.
    let (_, board) = sofie.get_text(&format!("/series/{series}/board")).await;
    let text = main_text(&board);
    assert!(
        text.contains("E-bogsaftalen 1 1 1 0 genforhandles 01.03.2028"),
        "{text}"
    );
    let (_, md) = sofie.get_text(&format!("/series/{series}/board.md")).await;
    assert!(
        md.contains("- E-bogsaftalen: 1 tema, 1 beslutning, 1 opgave, 0 arbejdsgrupper; genforhandles 01.03.2028"),
        "{md}"
    );
    let (_, board) = org.get_text(&format!("/series/{series}/board")).await;
    assert!(
        main_text(&board).contains("E-bogsaftalen 1 2 1 0"),
        "organisers count the draft's decision too"
    );
    app.stop().await;
}

both_backends!(the_series_work_names_the_map_and_the_map_shows_it);
