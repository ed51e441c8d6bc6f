//! Search, on both databases: it never returns what the reader may not see (a hidden message,
//! a withdrawn decision, anything of a draft salon, a room the reader may not enter, proposals
//! for a visitor), it finds words of all five languages in inflected forms (PostgreSQL by its
//! Snowball stemmers; SQLite by the query's stems as prefixes, and Porter for English) with the
//! matching words marked, a title outranks a passing mention, the filters hold, and a query
//! with nothing to search for is refused with a message.

use crate::common;

use common::room::{LARS, ORGANISER, SOFIE, running_salon};
use common::*;

/// The text of the results: (kind, heading and snippet) in order.
async fn results(who: &Client, q: &str, extra: &str) -> Vec<(String, String)> {
    let path = format!("/search?q={}{extra}", urlencoded(q));
    let (status, page) = who.get_text(&path).await;
    assert_eq!(status, 200, "{path}");
    let doc = scraper::Html::parse_document(&page);
    let li = scraper::Selector::parse("ol.search-results > li").unwrap();
    doc.select(&li)
        .map(|e| {
            (
                e.value().attr("data-kind").unwrap_or("").to_string(),
                e.text().collect::<String>(),
            )
        })
        .collect()
}

fn urlencoded(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn post(who: &Client, salon: i64, body: &str, client_id: &str) {
    let r = who
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[("body", body), ("client_id", client_id)],
        )
        .await;
    assert_eq!(r.status(), 303, "{body}");
}

async fn decide(org: &Client, salon: i64, body: &str) {
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/decisions"),
            &[("body", body)],
        )
        .await;
    assert_eq!(r.status(), 303, "{body}");
}

async fn search_never_returns_what_the_reader_may_not_see(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let lars = app.signed_in(LARS).await;
    let sofie = app.signed_in(SOFIE).await;
    // Lars's room: one message kept, one hidden by the organiser.
    post(&lars, salon, "Vi bør dele licenserne til e-bøger", "l-1").await;
    post(&lars, salon, "Hemmelig licens til pressen", "l-2").await;
    let hidden = db
        .count("select id from message where client_id = 'l-2'")
        .await;
    org.post_form(&format!("/salons/{salon}/room/messages/{hidden}/hide"), &[])
        .await;
    // Another running salon where only Sofie has a seat: its room is not Lars's.
    let (starts, ends) = from_now(-5);
    let other = new_salon(
        &org,
        &[
            ("title", "Anden salon"),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("meeting_url", "https://meet.example.org/y"),
        ],
        true,
    )
    .await;
    app.answer_for(
        other,
        app.person_id(SOFIE).await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    post(&sofie, other, "Licens i det fremmede rum", "s-1").await;
    // A draft salon, a withdrawn decision, a proposal.
    new_salon(&org, &[("title", "Kladde om licenser")], false).await;
    decide(&org, salon, "Licensen forhandles af sekretariatet").await;
    decide(&org, salon, "Licenser trukket tilbage").await;
    let withdrawn = db
        .count("select id from decision where body = 'Licenser trukket tilbage'")
        .await;
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/decisions/{withdrawn}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);

    let texts = |r: &[(String, String)]| {
        r.iter()
            .map(|(_, t)| t.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Lars: his room's kept message and the decision; nothing hidden, foreign or draft.
    let seen = texts(&results(&lars, "licens", "").await);
    assert!(seen.contains("dele licenserne til e-bøger"), "{seen}");
    assert!(seen.contains("forhandles af sekretariatet"), "{seen}");
    for never in ["Hemmelig", "fremmede rum", "Kladde om", "trukket tilbage"] {
        assert!(!seen.contains(never), "Lars must not see {never}: {seen}");
    }
    // A visitor: the decision (the salon's outcomes are public), no room at all.
    let seen = texts(&results(&app.client(), "licens", "").await);
    assert!(seen.contains("forhandles af sekretariatet"), "{seen}");
    assert!(
        !seen.contains("e-bøger") && !seen.contains("fremmede"),
        "{seen}"
    );
    // Sofie sees her own room, not Lars's.
    let seen = texts(&results(&sofie, "licens", "").await);
    assert!(
        seen.contains("fremmede rum") && !seen.contains("e-bøger"),
        "{seen}"
    );
    // The organiser sees both rooms, but never a hidden message, a withdrawn decision or a
    // draft.
    let seen = texts(&results(&org, "licens", "").await);
    assert!(
        seen.contains("fremmede rum") && seen.contains("e-bøger"),
        "{seen}"
    );
    for never in ["Hemmelig", "Kladde om", "trukket tilbage"] {
        assert!(!seen.contains(never), "never {never}: {seen}");
    }
    // The filter by kind.
    let only = results(&org, "licens", "&kind=decision").await;
    assert!(
        !only.is_empty() && only.iter().all(|(k, _)| k == "decision"),
        "{only:?}"
    );
}

async fn search_finds_inflected_words_in_five_languages(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[("title", "Salonen om indhold")], true).await;
    // One decision per language, each to be found by another form of one of its words.
    let cases = [
        (
            "Bibliotekerne deler licenserne fra 2028",
            "biblioteket",
            "Bibliotekerne",
        ),
        ("Vi skal forhandle avtalene sammen", "avtale", "avtalene"),
        (
            "Kommunernas avtal förnyas nästa år",
            "kommunerna",
            "Kommunernas",
        ),
        (
            "Kirjastojen yhteinen hankinta jatkuu",
            "kirjasto",
            "Kirjastojen",
        ),
        (
            "The libraries negotiated new licences",
            "negotiating",
            "negotiated",
        ),
        (
            "Beslutning om fælles indkøb",
            "beslutningerne",
            "Beslutning",
        ),
    ];
    for (text, _, _) in cases {
        decide(&org, salon, text).await;
    }
    let visitor = app.client();
    for (text, query, marked) in cases {
        let (_, page) = visitor
            .get_text(&format!("/search?q={}", urlencoded(query)))
            .await;
        assert!(
            main_text(&page).contains(&text[text.find(' ').unwrap() + 1..]),
            "{query} finds {text}: {}",
            main_text(&page)
        );
        assert!(
            page.contains(&format!("<mark>{marked}</mark>")),
            "{query} marks {marked}"
        );
    }
    // Two words: both must be there.
    let seen = results(&visitor, "fælles indkøb", "").await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let seen = results(&visitor, "fælles licenser", "").await;
    assert!(seen.is_empty(), "no decision has both: {seen:?}");

    // A title outranks a passing mention.
    decide(
        &org,
        salon,
        "Vi talte om mange emner: økonomi, styring, aftaler, indhold, formidling, datadeling og meget mere, som vi tager op igen",
    )
    .await;
    let token = org.csrf().await;
    let part = reqwest::multipart::Part::bytes(b"noter".to_vec()).file_name("noter.txt");
    let form = reqwest::multipart::Form::new()
        .text("file-title", "Datadeling i praksis")
        .text("file-phase", "before")
        .part("file", part);
    let r = org
        .http
        .post(org.url(&format!("/salons/{salon}/materials/file?csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let seen = results(&visitor, "datadeling", "").await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].0, "material", "the title first: {seen:?}");

    // Nothing to search for.
    for bad in ["\"*()", &"ord ".repeat(60)] {
        let r = visitor.get(&format!("/search?q={}", urlencoded(bad))).await;
        assert_eq!(r.status(), 422, "{bad}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Skriv mindst ét ord") || page.contains("højst have 200 tegn"),
            "{}",
            main_text(&page)
        );
    }
    // The series filter: a series with none of it finds nothing.
    let r = org
        .post_form(
            "/series/new",
            &[("title", "Tom serie"), ("description", "")],
        )
        .await;
    let empty: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    assert!(
        results(&visitor, "beslutning", &format!("&series={empty}"))
            .await
            .is_empty()
    );
}

both_backends!(
    search_never_returns_what_the_reader_may_not_see,
    search_finds_inflected_words_in_five_languages
);
