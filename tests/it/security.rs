//! The security review's findings (issue 12), each through the public surface on both
//! databases: control characters in names and texts, a bad stored row that must not stop the
//! reminders for everyone, `next=` after sign-in, `/metrics` labels, a registration link for a
//! known address, and absurd durations in an `.ics` import. (Rooms: tests/room_rights.rs.)

use crate::common;

use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const ADMIN: &str = "admin@salon.example";
const LARS: &str = "lars.brandt@kb.example";

async fn published(org: &Client, overrides: &[(&str, &str)]) -> i64 {
    new_salon(org, overrides, true).await
}

async fn line_breaks_in_names_and_titles_are_refused_at_every_door(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let id = published(&org, &[]).await;
    let people_before = db.count("select count(*) from person").await;

    // Registering anonymously with a header injection in the name: a clear error, nothing stored.
    let visitor = app.client();
    for name in ["Ny\r\nBcc: x@evil.example", "Ny\tLeder", "Ny\u{202E}Leder"] {
        let r = visitor
            .post_form(
                &format!("/salons/{id}/register"),
                &[("name", name), ("email", "ny@bibliotek.example")],
            )
            .await;
        assert_eq!(r.status(), 422, "{name:?}");
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("må ikke indeholde linjeskift eller kontroltegn")
        );
    }
    let r = visitor
        .post_form(
            &format!("/salons/{id}/register"),
            &[
                ("name", "Ny Leder"),
                ("email", "ny@bibliotek.example"),
                ("title", "Chef\nBcc"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(db.count("select count(*) from registration").await, 0);

    // The admin form, the salon form, the series form, a room's name.
    let admin = app.signed_in(ADMIN).await;
    let r = admin
        .post_form(
            "/admin/people",
            &[
                ("email", "x@kb.example"),
                ("name", "X\nY"),
                ("role", "member"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = org
        .post_form(
            "/salons/new",
            &salon_form(&[("title", "Titel\r\nX-Header: 1")]),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("kontroltegn"));
    let r = org
        .post_form(
            "/salons/new",
            &salon_form(&[("description", "Tekst\u{1b}[31m rød")]),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = org
        .post_form(
            "/salons/new",
            &salon_form(&[("description", "Første linje\r\nAnden linje")]),
        )
        .await;
    assert_eq!(r.status(), 303, "line breaks are fine in a description");
    assert_eq!(
        org.post_form("/series/new", &[("title", "Serie\nto")])
            .await
            .status(),
        422
    );
    assert_eq!(db.count("select count(*) from person").await, people_before);

    // Pasted invitations with old Mac line ends (a lone CR): two people, each with a clean name.
    let r = org
        .post_form(
            &format!("/salons/{id}/invite"),
            &[(
                "pasted",
                "Åse Berg <aase@bibliotek.example>\rPer Holm <per@bibliotek.example>",
            )],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(
        db.count("select count(*) from person where name in ('Åse Berg', 'Per Holm')")
            .await,
        2
    );
    app.stop().await;
}

async fn a_bad_stored_row_does_not_stop_the_reminders(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    // Two salons soon; the earlier one's reminders are handled first in each round.
    let mut salons = Vec::new();
    for hours in [2, 3] {
        let (starts, ends) = from_now(hours * 60);
        salons.push(published(&org, &[("starts_at", &starts), ("ends_at", &ends)]).await);
    }
    // Rows stored before the checks existed (or by hand): a name with a line break, and an
    // address that is no address, both for the earlier salon; Lars for the later one.
    let crlf = app
        .add_person(
            "crlf@bibliotek.example",
            "Gammel\r\nBcc: evil@evil.example",
            salon::domain::Role::Member,
        )
        .await;
    let broken = app
        .add_person(
            "broken@bibliotek.example",
            "Forkert Adresse",
            salon::domain::Role::Member,
        )
        .await;
    db.execute(&format!(
        "update person set email = 'no address at all' where id = {broken}"
    ))
    .await;
    let lars = app.person_id(LARS).await;
    for (salon_id, person) in [(salons[0], crlf), (salons[0], broken), (salons[1], lars)] {
        app.answer_for(salon_id, person, salon::domain::rsvp::Response::Yes)
            .await;
    }

    let reminder = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    assert!(
        reminder
            .header("Subject")
            .unwrap()
            .starts_with("Påmindelse")
    );
    let old = wait_for_mails_to(&sink.dir, "crlf@bibliotek.example", 1)
        .await
        .pop()
        .unwrap();
    let to = old.header("To").unwrap();
    assert!(
        to.contains("Gammel") && !to.contains('\n') && !to.contains('\r'),
        "{to:?}"
    );
    assert!(old.header("Bcc").is_none());
    let metrics = app.client().get_text("/metrics").await.1;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("salon_background_failures_total{task=\"reminders\"}")),
        "the failed row is counted"
    );
    // The unsendable row is claimed once, not retried every round.
    assert_eq!(
        db.count(&format!(
            "select count(*) from reminder_sent where person_id = {broken}"
        ))
        .await,
        1
    );
    app.stop().await;
    sink.stop().await;
}

async fn next_after_sign_in_never_leaves_the_site(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    // One person per case: sign-in links are limited per address.
    for (email, next, expected) in [
        (LARS, "/\t/evil.example/x", "/"),
        ("jens.riis@kombit.example", "/\u{1}x", "/"),
        ("sofie.aa@ddf.example", "//evil.example", "/"),
        (
            "birgitte.noergaard@cb.example",
            "/salons/1?x=1#rsvp",
            "/salons/1?x=1#rsvp",
        ),
    ] {
        let c = app.client();
        assert_eq!(
            c.post_form("/login", &[("email", email), ("next", next)])
                .await
                .status(),
            200
        );
        let mail = wait_for_mails_to(&db.outbox_dir(), email, 1)
            .await
            .pop()
            .unwrap();
        let path = sign_in_link(&mail)
            .strip_prefix(&app.base)
            .unwrap()
            .to_string();
        let r = c.post_form(&path, &[]).await;
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(location(&r), expected, "{next:?}");
    }
    app.stop().await;
}

async fn dot_segments_in_next_never_make_a_protocol_relative_redirect(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let c = app.client();
    for next in [
        "/.//evil.example/x",
        "/..//evil.example/x",
        "/%2e//evil.example/x",
        "/a/../..//evil.example/x",
        "/%2E%2E//evil.example",
    ] {
        let r = c
            .post_form("/lang", &[("lang", "en"), ("next", next)])
            .await;
        assert_eq!(r.status(), 303, "{next}");
        assert_eq!(location(&r), "/", "{next}");
    }
    // A path with dot segments that stays on the site is kept, resolved.
    let r = c
        .post_form("/lang", &[("lang", "en"), ("next", "/a/../past")])
        .await;
    assert_eq!(location(&r), "/past");
    app.stop().await;
}

/// Register for salon `id` as a browser at `ip` (behind the trusted proxy).
async fn register_from(c: &Client, ip: &str, id: i64, name: &str, email: &str) -> u16 {
    let csrf = c.csrf().await;
    let fields = [("name", name), ("email", email), ("csrf", csrf.as_str())];
    let r = c
        .http
        .post(c.url(&format!("/salons/{id}/register")))
        .header("x-forwarded-for", ip)
        .form(&fields)
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

async fn registration_mail_names_nobody_and_strangers_cannot_be_mailed_at_volume(db: TestDb) {
    let mut settings = db.settings();
    settings.trust_proxy = "true".into();
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let id = published(&org, &[("registration", "open")]).await;
    let visitor = app.client();
    // A phishing sentence as the name, a victim's address: the victim's mail does not carry it.
    let bait = "Din konto er spærret – log ind på https://evil.example/kb straks";
    assert_eq!(
        register_from(&visitor, "192.0.2.1", id, bait, "offer@bibliotek.example").await,
        303
    );
    let mail = wait_for_mails_to(&db.outbox_dir(), "offer@bibliotek.example", 1)
        .await
        .pop()
        .unwrap();
    let raw = String::from_utf8_lossy(&mail.raw).to_string();
    assert!(
        !raw.contains("evil.example") && !mail.text().contains("spærret"),
        "the typed name is nowhere in the mail"
    );
    assert!(mail.text().starts_with("Goddag"), "{}", mail.text());
    assert_eq!(mail.header("To").unwrap().trim(), "offer@bibliotek.example");
    // One IPv6 subscriber (a /64) with many addresses: limited as one client.
    let mut limited = 0;
    for n in 1..=14 {
        if register_from(
            &visitor,
            &format!("2001:db8:7:7::{n:x}"),
            id,
            "Ny Leder",
            &format!("v6-{n}@bibliotek.example"),
        )
        .await
            == 429
        {
            limited += 1;
        }
    }
    assert!(
        (4..=5).contains(&limited),
        "{limited} of 14 refused: a burst of 10 per /64"
    );
    // Many networks: mail to unconfirmed addresses is capped for the whole installation.
    let mut capped = 0;
    for n in 1..=60 {
        if register_from(
            &visitor,
            &format!("2001:db8:{n:x}::1"),
            id,
            "Ny Leder",
            &format!("net-{n}@bibliotek.example"),
        )
        .await
            == 429
        {
            capped += 1;
        }
    }
    let sent = db
        .count("select count(*) from outbox where kind = 'confirm_registration'")
        .await;
    assert!(
        capped > 0 && (50..=52).contains(&sent),
        "{sent} confirmation mails, {capped} registrations held back"
    );
    assert!(
        app.client()
            .get_text("/metrics")
            .await
            .1
            .contains("salon_registration_mail_capped_total")
    );
    app.stop().await;
}

async fn invented_http_methods_share_one_metrics_label(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let c = app.client();
    for method in ["FOO1", "FOO2", "BREW"] {
        c.http
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                c.url("/"),
            )
            .send()
            .await
            .unwrap();
    }
    let metrics = c.get_text("/metrics").await.1;
    assert!(
        !metrics.contains("FOO1") && !metrics.contains("BREW"),
        "no label per invented method"
    );
    assert!(metrics.contains("method=\"other\""));
    app.stop().await;
}

async fn a_registration_link_for_a_known_address_answers_but_does_not_sign_in(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let id = published(&org, &[]).await;
    let visitor = app.client();
    // Someone registers with the admin's address: the link must not be a way to sign in as them.
    let r = visitor
        .post_form(
            &format!("/salons/{id}/register"),
            &[("name", "Hvem som helst"), ("email", ADMIN)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mail = wait_for_mails_to(&db.outbox_dir(), ADMIN, 1)
        .await
        .pop()
        .unwrap();
    let path = sign_in_link(&mail)
        .strip_prefix(&app.base)
        .unwrap()
        .to_string();
    let r = visitor.post_form(&path, &[]).await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("salon_session=")),
        "no session"
    );
    assert_eq!(
        visitor.get("/admin/people").await.status(),
        303,
        "still not signed in (sent to sign-in)"
    );
    assert_eq!(
        db.count(&format!("select count(*) from rsvp r join person p on p.id = r.person_id where r.salon_id = {id} and p.email = '{ADMIN}' and r.response = 'yes'")).await,
        1,
        "the answer is recorded"
    );
    // Used and expired registrations are purged by housekeeping (it runs at start).
    app.stop().await;
    let app = TestApp::spawn(&db).await;
    eventually("used registrations purged", || async {
        db.count("select count(*) from registration").await == 0
    })
    .await;
    app.stop().await;
}

async fn absurd_durations_in_an_import_get_a_line_numbered_error(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    for duration in ["P9999999999999W", "P99999999D", "PT99999999999999999999H"] {
        let file = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Salon\r\nDTSTART:20270310T090000Z\r\nDURATION:{duration}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let r = org.upload_ics(file.into_bytes()).await;
        assert_eq!(r.status(), 422, "{duration}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Linje 6") && page.contains("varigheden"),
            "{page}"
        );
    }
    assert_eq!(db.count("select count(*) from salon").await, 0);
    app.stop().await;
}

both_backends!(
    line_breaks_in_names_and_titles_are_refused_at_every_door,
    a_bad_stored_row_does_not_stop_the_reminders,
    next_after_sign_in_never_leaves_the_site,
    dot_segments_in_next_never_make_a_protocol_relative_redirect,
    registration_mail_names_nobody_and_strangers_cannot_be_mailed_at_volume,
    invented_http_methods_share_one_metrics_label,
    a_registration_link_for_a_known_address_answers_but_does_not_sign_in,
    absurd_durations_in_an_import_get_a_line_numbered_error,
);
