//! The key to the abbreviations, on both databases: organisers keep it (members may not, a bad
//! term is refused with the reason and stores nothing); a salon page marks the first
//! occurrence of each known abbreviation in its description and agenda with `<abbr title>` in
//! a link to the entry, never a second time, never inside a word ("KB" in "KBH") or in another
//! case, and never in the page's title or headings; the reader's language gives the wording.

use crate::common;

use common::room::{LARS, ORGANISER};
use common::*;

/// The `<abbr>` elements of the page's main part: (text, title).
fn abbrs(page: &str) -> Vec<(String, String)> {
    let main = page.split("<main").nth(1).unwrap_or_default();
    main.split("<abbr title=\"")
        .skip(1)
        .map(|rest| {
            let (title, rest) = rest.split_once('"').unwrap_or_default();
            let text = rest
                .trim_start_matches('>')
                .split("</abbr>")
                .next()
                .unwrap_or_default();
            (text.to_string(), title.to_string())
        })
        .collect()
}

async fn abbreviations_are_marked_once_per_page_in_the_readers_language(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let lars = app.signed_in(LARS).await;

    let entry = [
        ("term", "KL"),
        ("expansion", "Kommunernes Landsforening"),
        ("explanation", "De danske kommuners forening."),
        ("expansion_en", "Local Government Denmark"),
    ];
    assert_eq!(lars.post_form("/glossary", &entry).await.status(), 403);
    let r = org
        .post_form("/glossary", &[("term", "K L"), ("expansion", "")])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Én forkortelse: bogstaver og tal"),
        "{}",
        main_text(&page)
    );
    assert_eq!(db.count("select count(*) from glossary_entry").await, 0);
    let r = org.post_form("/glossary", &entry).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(
        org.post_form("/glossary", &entry).await.status(),
        422,
        "once"
    );

    // A salon whose texts name KL, KB (an organisation) and DDF more than once.
    let salon = new_salon(
        &org,
        &[
            ("title", "KL og KB om DDF"),
            (
                "description",
                "KL og KB mødes i KBH.\n\nKL betaler; kb og XKB er ikke KB. DDF og DDFs tilbud.",
            ),
            ("agenda", "Velkomst | KL\nOplæg fra DDF"),
        ],
        true,
    )
    .await;
    let (status, page) = lars.get_text(&format!("/salons/{salon}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        abbrs(&page),
        [
            ("KL".to_string(), "Kommunernes Landsforening".to_string()),
            ("KB".to_string(), "Det Kgl. Bibliotek".to_string()),
            ("DDF".to_string(), "Det Digitale Folkebibliotek".to_string()),
        ],
        "each once, in the order they come"
    );
    assert!(page.contains("<a class=\"abbr\" href=\"/glossary#g-KL\"><abbr"));
    // Not in the title or the heading.
    assert!(
        page.contains("<title>KL og KB om DDF"),
        "the title as written"
    );
    assert!(page.contains(">KL og KB om DDF</h1>"));
    // In English, the English wording.
    lars.post_form("/lang", &[("lang", "en")]).await;
    let (_, page) = lars.get_text(&format!("/salons/{salon}")).await;
    assert_eq!(abbrs(&page)[0].1, "Local Government Denmark");

    // A theme's why and its comments: KL marked once, the first time.
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let r = org
        .post_form(
            &format!("/series/{series}/themes"),
            &[
                ("title", "Fælles indkøb"),
                ("why", "KL forhandler for alle; KL betaler."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let theme = location(&r);
    let theme = theme.split('#').next().unwrap_or_default().to_string();
    let id = theme.trim_start_matches("/themes/").to_string();
    let r = org
        .post_form(
            &format!("/themes/{id}/comments"),
            &[("body", "Spørg KL og DBC.")],
        )
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let (_, page) = org.get_text(&format!("/themes/{id}")).await;
    let marked: Vec<String> = abbrs(&page).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        marked,
        ["KL", "DBC"],
        "KL once, in the why; DBC in the comment"
    );

    // The glossary page has the entry and the organisations' short names, each with its anchor.
    let (_, page) = app.client().get_text("/glossary").await;
    assert!(page.contains("id=\"g-KL\"") && page.contains("id=\"g-KOMBIT\""));
    let text = main_text(&page);
    assert!(
        text.contains("Kommunernes Landsforening")
            && text.contains("De danske kommuners forening.")
    );
}

/// Decisions on the outcomes page and messages in a room: the first "KB" on each page is
/// marked (the organisation's own short name), the second not, nor inside a web address.
async fn decisions_and_room_messages_mark_the_first_abbreviation(db: TestDb) {
    let (app, salon) = common::room::running_salon(&db, "64").await;
    let org = app.signed_in(ORGANISER).await;
    for body in ["KB samler tallene.", "KB og KOMBIT skriver sammen."] {
        let r = org
            .post_form(
                &format!("/salons/{salon}/outcomes/decisions"),
                &[("body", body)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let (_, page) = org.get_text(&format!("/salons/{salon}/outcomes")).await;
    let marked = abbrs(&page);
    assert_eq!(
        marked.iter().filter(|(t, _)| t == "KB").count(),
        1,
        "once on the page: {marked:?}"
    );
    assert!(
        marked.iter().all(|(_, title)| !title.is_empty()),
        "{marked:?}"
    );

    for (body, client) in [
        ("Se https://example.org/KB og spørg KB.", "c1"),
        ("KB igen, og KBH er ikke KB.", "c2"),
    ] {
        let r = org
            .post_form(
                &format!("/salons/{salon}/room/messages"),
                &[("body", body), ("client_id", client)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let (_, page) = org.get_text(&format!("/salons/{salon}/room")).await;
    let log = page.split("id=\"messages\"").nth(1).unwrap_or_default();
    let marked = abbrs(&format!("<main{log}"));
    assert_eq!(
        marked.iter().filter(|(t, _)| t == "KB").count(),
        1,
        "the first KB outside the link, once: {marked:?}"
    );
    assert!(
        log.contains("href=\"https://example.org/KB\""),
        "the link is left whole"
    );
    assert!(
        page.contains("data-glossary=\"[{"),
        "room.js gets the terms"
    );
    app.stop().await;
}

both_backends!(abbreviations_are_marked_once_per_page_in_the_readers_language);
both_backends!(decisions_and_room_messages_mark_the_first_abbreviation);
