//! Salon in the reader's language, on both databases: a Norwegian leader's invitation (with its
//! calendar text), reminder and sign-in mail arrive at the real SMTP server in Norwegian, a
//! Finnish leader's in Finnish, with dates written as each language writes them; a visitor's
//! browser language picks the page's (`nb-NO`, `nn`, `sv-FI`, `fi`), a stored preference wins
//! over it; no page or mail in any language shows a raw translation key; an organiser picks
//! the language of people invited by pasted address.

use crate::common;

use common::room::ORGANISER;
use common::*;

const INGRID: &str = "ingrid.solberg@bibliotek24.example";
const AINO: &str = "aino.virtanen@kirjastot.example";

/// The key of every text (from locales/app.yml), to look for in what people see.
fn all_keys() -> Vec<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/app.yml"),
    )
    .unwrap();
    text.lines()
        .filter(|l| {
            !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('_') && l.ends_with(':')
        })
        .map(|l| l.trim_end_matches(':').to_string())
        .collect()
}

/// The decoded text/calendar part of a mail.
fn calendar_text(part: &mailparse::ParsedMail<'_>) -> Option<String> {
    if part.ctype.mimetype == "text/calendar" {
        return part.get_body().ok().map(|b| b.replace("\r\n ", ""));
    }
    part.subparts.iter().find_map(calendar_text)
}

/// A raw key shows as element text or an attribute value.
fn raw_keys_in(text: &str, keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter(|k| {
            text.contains(&format!(">{k}<"))
                || text.contains(&format!("\"{k}\""))
                || text.contains(&format!(" {k}\n"))
        })
        .cloned()
        .collect()
}

async fn nordic_leaders_get_mail_in_their_own_language(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    // Wednesday 10 March 2027, 09.00 in Copenhagen.
    let salon = new_salon(
        &org,
        &[
            ("title", "Fælles indkøb af e-bøger"),
            ("registration", "invitation"),
        ],
        true,
    )
    .await;
    let ids = [app.person_id(INGRID).await, app.person_id(AINO).await];
    let fields: Vec<(&str, String)> = ids.iter().map(|id| ("person", id.to_string())).collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/invite"), &fields)
            .await
            .status(),
        303
    );

    let ingrid = wait_for_mails_to(&sink.dir, INGRID, 1).await.pop().unwrap();
    assert_eq!(
        ingrid.header("Subject").unwrap(),
        "Invitasjon: Fælles indkøb af e-bøger"
    );
    let text = ingrid.text();
    assert!(text.starts_with("Kjære Ingrid Solberg"), "{text}");
    assert!(
        text.contains("onsdag 10. mars 2027 kl. 09.00 (Copenhagen)")
            && text.contains("Svar med ett klikk"),
        "{text}"
    );
    let calendar = calendar_text(&ingrid.parsed()).expect("a text/calendar part");
    assert!(
        calendar.contains("Mer om salongen og svaret ditt"),
        "the calendar's DESCRIPTION is Norwegian too: {calendar}"
    );
    let aino = wait_for_mails_to(&sink.dir, AINO, 1).await.pop().unwrap();
    assert_eq!(
        aino.header("Subject").unwrap(),
        "Kutsu: Fælles indkøb af e-bøger"
    );
    let text = aino.text();
    assert!(text.starts_with("Hyvä Aino Virtanen"), "{text}");
    assert!(
        text.contains("keskiviikkona 10. maaliskuuta 2027 klo 9.00 (Copenhagen)")
            && text.contains("Vastaa yhdellä napsautuksella"),
        "{text}"
    );

    // Sign-in links.
    for (email, subject) in [
        (INGRID, "Din lenke for å logge inn i Salon"),
        (AINO, "Kirjautumislinkkisi Saloniin"),
    ] {
        assert_eq!(
            app.client()
                .post_form("/login", &[("email", email)])
                .await
                .status(),
            200
        );
        let mail = wait_for_mails_to(&sink.dir, email, 2).await.pop().unwrap();
        assert_eq!(mail.header("Subject").unwrap(), subject);
    }

    // Reminders before a salon that starts in two hours (a Saturday, say, in their words).
    let (starts, ends) = from_now(120);
    let soon = new_salon(
        &org,
        &[
            ("title", "Snart"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    for id in ids {
        app.answer_for(soon, id, salon::domain::rsvp::Response::Yes)
            .await;
    }
    let start = chrono::Utc::now() + chrono::Duration::minutes(120);
    let local = start.with_timezone(&chrono_tz::Europe::Copenhagen);
    let weekday = chrono::Datelike::weekday(&local).num_days_from_monday() as usize;
    let nb_days = [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
    ];
    let fi_days = [
        "maanantaina",
        "tiistaina",
        "keskiviikkona",
        "torstaina",
        "perjantaina",
        "lauantaina",
        "sunnuntaina",
    ];
    let reminder = wait_for_mails_to(&sink.dir, INGRID, 3).await.pop().unwrap();
    assert_eq!(reminder.header("Subject").unwrap(), "Påminnelse: Snart");
    let text = reminder.text();
    assert!(
        text.contains(&format!("Husk «Snart», {} ", nb_days[weekday]))
            && text.contains(&format!(" kl. {}", local.format("%H.%M"))),
        "{text}"
    );
    let reminder = wait_for_mails_to(&sink.dir, AINO, 3).await.pop().unwrap();
    assert_eq!(reminder.header("Subject").unwrap(), "Muistutus: Snart");
    let text = reminder.text();
    assert!(
        text.contains(fi_days[weekday])
            && text.contains(&format!(" klo {}", local.format("%-H.%M"))),
        "{text}"
    );

    // No mail shows a raw key.
    let keys = all_keys();
    for email in [INGRID, AINO] {
        for mail in mails_to(&sink.dir, email) {
            assert_eq!(
                raw_keys_in(&mail.text(), &keys),
                Vec::<String>::new(),
                "{}",
                mail.text()
            );
        }
    }
    app.stop().await;
    sink.stop().await;
}

async fn the_browser_language_picks_the_page_language(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let visitor = app.client();
    for (accept, lang, word) in [
        ("nb-NO,nb;q=0.9,en;q=0.5", "nb", "Kommende salonger"),
        ("nn", "nb", "Kommende salonger"),
        ("no", "nb", "Kommende salonger"),
        ("sv-FI,sv;q=0.9", "sv", "Kommande salonger"),
        ("fi", "fi", "Tulevat salongit"),
        ("en-GB", "en", "Upcoming salons"),
        ("de-DE", "da", "Kommende saloner"),
    ] {
        let r = visitor
            .http
            .get(visitor.url("/"))
            .header("accept-language", accept)
            .send()
            .await
            .unwrap();
        let page = r.text().await.unwrap();
        assert!(
            page.contains(&format!("<html lang=\"{lang}\">")) && page.contains(word),
            "{accept} -> {lang}"
        );
    }
    // The switch offers all five by their own names; a stored preference wins over the browser.
    let (_, page) = visitor.get_text("/").await;
    for name in ["Dansk", "Norsk", "Svenska", "Suomi", "English"] {
        assert!(
            page.contains(&format!(">{name}</button>")),
            "{name} in the switch"
        );
    }
    let aino = app.signed_in(AINO).await;
    let r = aino
        .http
        .get(aino.url("/"))
        .header("accept-language", "sv")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("<html lang=\"fi\">"));
    assert_eq!(
        aino.post_form("/me", &[("locale", "sv"), ("time_zone", "Europe/Helsinki")])
            .await
            .status(),
        303
    );
    assert!(aino.get_text("/me").await.1.contains("<html lang=\"sv\">"));
    assert_eq!(
        aino.post_form("/me", &[("locale", "xx"), ("time_zone", "Europe/Helsinki")])
            .await
            .status(),
        422
    );
    app.stop().await;
}

async fn no_page_shows_a_raw_key_in_any_language(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let admin = app.signed_in(salon::demo::ADMIN_EMAIL).await;
    let r = org.post_form("/series/new", &[("title", "Række")]).await;
    let series = location(&r).trim_start_matches("/series/").to_string();
    let (starts, ends) = from_now(-10);
    let salon = new_salon(
        &org,
        &[
            ("title", "Salon i gang"),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("series_id", &series),
        ],
        true,
    )
    .await;
    let pages = [
        "/".to_string(),
        "/past".into(),
        "/login".into(),
        "/privacy".into(),
        "/accessibility".into(),
        "/me".into(),
        "/organise".into(),
        "/salons/new".into(),
        format!("/salons/{salon}"),
        format!("/salons/{salon}/room"),
        format!("/salons/{salon}/invite"),
        format!("/salons/{salon}/participants"),
        format!("/salons/{salon}/rounds"),
        format!("/salons/{salon}/outcomes"),
        format!("/series/{series}"),
        format!("/series/{series}/themes"),
        format!("/series/{series}/board"),
        "/admin/outbox".into(),
        "/admin/inbox".into(),
        "/admin/people".into(),
        "/admin/audit".into(),
        "/no/such/page".into(),
    ];
    let keys = all_keys();
    for lang in ["da", "nb", "sv", "fi", "en"] {
        assert_eq!(
            admin
                .post_form("/lang", &[("lang", lang), ("next", "/")])
                .await
                .status(),
            303
        );
        for path in &pages {
            let (status, page) = admin.get_text(path).await;
            assert!(
                status == 200 || (status == 404 && path.starts_with("/no/")),
                "{path} in {lang}: {status}"
            );
            assert!(
                page.contains(&format!("<html lang=\"{lang}\">")),
                "{path} in {lang}"
            );
            assert_eq!(
                raw_keys_in(&page, &keys),
                Vec::<String>::new(),
                "{path} in {lang}"
            );
        }
        let (_, csv) = admin
            .get_text(&format!("/salons/{salon}/participants.csv"))
            .await;
        assert_eq!(
            raw_keys_in(&csv, &keys),
            Vec::<String>::new(),
            "participants CSV in {lang}"
        );
    }
    app.stop().await;
}

async fn organisers_pick_the_language_of_people_they_invite_by_address(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[("registration", "invitation")], true).await;
    let (_, form) = org.get_text(&format!("/salons/{salon}/invite")).await;
    assert!(
        form.contains("<option value=\"da\" lang=\"da\" selected>Dansk</option>"),
        "the organiser's own language first"
    );
    let r = org
        .post_form(
            &format!("/salons/{salon}/invite"),
            &[
                ("pasted", "Kari Nordmann <kari@bibliotek.example>"),
                ("new_locale", "nb"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count(
            "select count(*) from person where email = 'kari@bibliotek.example' and locale = 'nb'"
        )
        .await,
        1
    );
    let mail = wait_for_mails_to(&db.outbox_dir(), "kari@bibliotek.example", 1)
        .await
        .pop()
        .unwrap();
    assert!(mail.header("Subject").unwrap().starts_with("Invitasjon:"));
    // Nonsense keeps the organiser's language.
    let r = org
        .post_form(
            &format!("/salons/{salon}/invite"),
            &[
                ("pasted", "ny@bibliotek.example"),
                ("new_locale", "klingon"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count(
            "select count(*) from person where email = 'ny@bibliotek.example' and locale = 'da'"
        )
        .await,
        1
    );
    app.stop().await;
}

both_backends!(
    nordic_leaders_get_mail_in_their_own_language,
    the_browser_language_picks_the_page_language,
    no_page_shows_a_raw_key_in_any_language,
    organisers_pick_the_language_of_people_they_invite_by_address,
);
