//! Series, salons and RSVPs through HTTP on both databases: the organiser's forms and their
//! rules, the public pages, answers, capacity under concurrency, the waitlist and its mail,
//! open registration with double opt-in, participants and CSV, and the JSON API.

use crate::common;

use common::*;
use salon::domain::Role;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const MEMBER: &str = "lars.brandt@kb.example";

fn salon_fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "Digitalt indhold: hvad tilbyder vi borgerne?"),
        (
            "description",
            "Vi taler om det digitale tilbud.\n\nAndet afsnit.",
        ),
        ("series_id", ""),
        ("time_zone", "Europe/Copenhagen"),
        ("starts_at", "2027-03-10T09:00"),
        ("ends_at", "2027-03-10T12:30"),
        ("mode", "online"),
        ("address", ""),
        ("meeting_url", "https://meet.example.org/salon-2"),
        ("capacity", ""),
        ("rsvp_deadline", ""),
        ("registration", "open"),
        ("agenda", "9.00 Velkomst | kaffe\n9.15 Oplæg\nDiskussion"),
    ];
    for (k, v) in overrides {
        if let Some(f) = fields.iter_mut().find(|(fk, _)| fk == k) {
            f.1 = v;
        }
    }
    fields
}

/// Create (and optionally publish) a salon as the organiser; returns its id.
async fn create_salon(organiser: &Client, overrides: &[(&str, &str)], publish: bool) -> i64 {
    let r = organiser
        .post_form("/salons/new", &salon_fields(overrides))
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let loc = location(&r);
    let id: i64 = loc
        .trim_start_matches("/salons/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    if publish {
        let r = organiser
            .post_form(&format!("/salons/{id}/publish"), &[])
            .await;
        assert_eq!(r.status(), 303);
    }
    id
}

async fn demo_app(db: &TestDb) -> TestApp {
    let app = TestApp::spawn(db).await;
    app.load_demo().await;
    app
}

async fn revision(db: &TestDb, id: i64) -> i64 {
    db.count(&format!("select revision from salon where id = {id}"))
        .await
}

async fn organiser_creates_edits_publishes_cancels_and_duplicates(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[], false).await;

    // A draft is the organisers' only.
    let (status, page) = org.get_text(&format!("/salons/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Kladde"));
    assert_eq!(
        app.client().get(&format!("/salons/{id}")).await.status(),
        404
    );
    let (_, front) = app.client().get_text("/").await;
    assert!(!front.contains("Digitalt indhold"));
    assert_eq!(revision(&db, id).await, 0);

    org.post_form(&format!("/salons/{id}/publish"), &[]).await;
    assert_eq!(revision(&db, id).await, 1, "publishing raises the revision");
    let (_, front) = app.client().get_text("/").await;
    assert!(front.contains("Digitalt indhold"));
    let (status, page) = app.client().get_text(&format!("/salons/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Velkomst") && page.contains("kaffe") && page.contains("09.15"),
        "agenda shown"
    );

    // The edit form shows what is stored; a title change keeps the revision, a new time raises it.
    let (_, form) = org.get_text(&format!("/salons/{id}/edit")).await;
    assert_eq!(
        input_value(&form, "starts_at").as_deref(),
        Some("2027-03-10T09:00")
    );
    let r = org
        .post_form(
            &format!("/salons/{id}/edit"),
            &salon_fields(&[("title", "Nyt navn")]),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(revision(&db, id).await, 1);
    let r = org
        .post_form(
            &format!("/salons/{id}/edit"),
            &salon_fields(&[("title", "Nyt navn"), ("starts_at", "2027-03-10T10:00")]),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        revision(&db, id).await,
        2,
        "moving the salon raises the revision"
    );

    org.post_form(&format!("/salons/{id}/cancel"), &[]).await;
    assert_eq!(revision(&db, id).await, 3);
    let (_, page) = app.client().get_text(&format!("/salons/{id}")).await;
    assert!(page.contains("Denne salon er aflyst"));
    let r = org.post_form(&format!("/salons/{id}/publish"), &[]).await;
    assert_eq!(r.status(), 400, "a cancelled salon is not published again");

    let r = org.post_form(&format!("/salons/{id}/duplicate"), &[]).await;
    assert_eq!(r.status(), 303);
    let copy = location(&r);
    assert!(copy.ends_with("/edit"));
    let (_, form) = org.get_text(&copy).await;
    assert_eq!(
        input_value(&form, "title").as_deref(),
        Some("Nyt navn (kopi)")
    );
    assert_eq!(
        db.count("select count(*) from salon where status = 'draft'")
            .await,
        1
    );
    app.stop().await;
}

async fn every_rule_has_a_clear_error_and_the_form_keeps_what_was_typed(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("title", "  ")], "Skriv en titel."),
        (
            &[("ends_at", "2027-03-10T08:00")],
            "Slutningen skal ligge efter starten.",
        ),
        (
            &[("rsvp_deadline", "2027-03-11T08:00")],
            "Svarfristen skal ligge, før salonen slutter.",
        ),
        (&[("capacity", "0")], "Antal pladser skal være et helt tal"),
        (
            &[("capacity", "mange")],
            "Antal pladser skal være et helt tal",
        ),
        (
            &[("meeting_url", "not a url")],
            "Mødelinket skal være en webadresse",
        ),
        (
            &[("mode", "hybrid")],
            "Skriv adressen for det fysiske møde.",
        ),
        (
            &[
                ("starts_at", "2027-03-28T02:30"),
                ("ends_at", "2027-03-28T05:00"),
            ],
            "Det klokkeslæt findes ikke",
        ),
        (&[("starts_at", "i morgen")], "Skriv dato og klokkeslæt"),
        (
            &[("agenda", "9.00 Velkomst\n25.00 For sent")],
            "Programmet, linje 2",
        ),
        (&[("time_zone", "Mars/Olympus")], "Vælg en tidszone"),
        (&[("series_id", "999")], "Vælg en af samtalerækkerne"),
    ];
    for (overrides, message) in cases {
        let r = org.post_form("/salons/new", &salon_fields(overrides)).await;
        assert_eq!(r.status(), 422, "{overrides:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{overrides:?} should say {message}");
        assert!(page.contains("aria-invalid=\"true\""));
        assert_eq!(
            input_value(&page, "meeting_url").as_deref(),
            Some(salon_fields(overrides)[8].1),
            "typed values are kept"
        );
    }
    assert_eq!(
        db.count("select count(*) from salon").await,
        0,
        "nothing was created"
    );

    // Capacity below the seats already taken.
    let id = create_salon(&org, &[("capacity", "5")], true).await;
    for i in 0..3 {
        let email = format!("leder{i}@kb.example");
        app.add_person(&email, &format!("Leder {i}"), Role::Member)
            .await;
        let c = app.signed_in(&email).await;
        assert_eq!(
            c.post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
                .await
                .status(),
            303
        );
    }
    let r = org
        .post_form(
            &format!("/salons/{id}/edit"),
            &salon_fields(&[("capacity", "2")]),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Vælg mindst så mange pladser")
    );

    // In English for an English reader.
    org.post_form("/lang", &[("lang", "en")]).await;
    let r = org
        .post_form(
            "/salons/new",
            &salon_fields(&[("ends_at", "2027-03-10T08:00")]),
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("The end must be after the start.")
    );
    app.stop().await;
}

async fn members_cannot_organise_or_see_hidden_answers(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[], true).await;
    let member = app.signed_in(MEMBER).await;
    for path in [
        "/organise",
        "/salons/new",
        &format!("/salons/{id}/edit"),
        &format!("/salons/{id}/participants"),
        &format!("/salons/{id}/participants.csv"),
    ] {
        assert_eq!(member.get(path).await.status(), 403, "{path}");
    }
    for path in [
        format!("/salons/{id}/publish"),
        format!("/salons/{id}/cancel"),
        format!("/salons/{id}/duplicate"),
        format!("/salons/{id}/edit"),
    ] {
        assert_eq!(
            member.post_form(&path, &salon_fields(&[])).await.status(),
            403,
            "{path}"
        );
    }
    assert_eq!(db.count("select count(*) from salon").await, 1);

    // Birgitte answers yes without being listed; Jens answers yes and wants to be listed.
    let hidden = app.signed_in("birgitte.noergaard@cb.example").await;
    hidden
        .post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
        .await;
    let shown = app.signed_in("jens.riis@kombit.example").await;
    shown
        .post_form(
            &format!("/salons/{id}/rsvp"),
            &[("response", "yes"), ("show_in_list", "on")],
        )
        .await;
    let (_, page) = member.get_text(&format!("/salons/{id}")).await;
    assert!(page.contains("Jens Riis"));
    assert!(
        !page.contains("Birgitte"),
        "a hidden answer is not shown to members"
    );
    let (_, page) = org.get_text(&format!("/salons/{id}/participants")).await;
    assert!(
        page.contains("Birgitte Nørgaard") && page.contains("Jens Riis"),
        "organisers see everyone"
    );
    app.stop().await;
}

async fn the_meeting_link_is_shown_only_to_registered_people(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[("capacity", "1")], true).await;
    let link = "https://meet.example.org/salon-2";
    let path = format!("/salons/{id}");
    assert!(
        !app.client().get_text(&path).await.1.contains(link),
        "not for visitors"
    );
    let member = app.signed_in(MEMBER).await;
    assert!(
        !member.get_text(&path).await.1.contains(link),
        "not before answering"
    );
    member
        .post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
        .await;
    assert!(
        member.get_text(&path).await.1.contains(link),
        "registered: shown"
    );
    let waiting = app.signed_in("jens.riis@kombit.example").await;
    waiting
        .post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
        .await;
    let page = waiting.get_text(&path).await.1;
    assert!(
        page.contains("Du er på ventelisten") && !page.contains(link),
        "waitlisted: not shown"
    );
    let api = app
        .client()
        .get_text(&format!("/api/v1/salons/{id}"))
        .await
        .1;
    assert!(!api.contains(link), "never in the API");
    assert!(
        org.get_text(&path).await.1.contains(link),
        "organisers see it"
    );
    app.stop().await;
}

async fn answers_change_until_the_deadline_and_a_freed_seat_goes_to_the_first_in_line(db: TestDb) {
    let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[("capacity", "1")], true).await;
    let rsvp = format!("/salons/{id}/rsvp");

    let lars = app.signed_in(MEMBER).await;
    let jens = app.signed_in("jens.riis@kombit.example").await;
    let sofie = app.signed_in("sofie.aa@ddf.example").await;
    lars.post_form(&rsvp, &[("response", "yes")]).await;
    jens.post_form(&rsvp, &[("response", "yes")]).await;
    sofie.post_form(&rsvp, &[("response", "yes")]).await;
    assert!(
        jens.get_text(&format!("/salons/{id}"))
            .await
            .1
            .contains("data-standing=\"waitlist\"")
    );

    // Saying yes again keeps one's place; maybe and back to yes joins the end of the line.
    jens.post_form(&rsvp, &[("response", "yes")]).await;
    // Lars declines: Jens (first in line) gets the seat, and a mail.
    lars.post_form(&rsvp, &[("response", "no")]).await;
    assert!(
        jens.get_text(&format!("/salons/{id}"))
            .await
            .1
            .contains("data-standing=\"yes\"")
    );
    assert!(
        sofie
            .get_text(&format!("/salons/{id}"))
            .await
            .1
            .contains("data-standing=\"waitlist\"")
    );
    let mail = wait_for_mails_to(&sink.dir, "jens.riis@kombit.example", 1)
        .await
        .pop()
        .unwrap();
    assert!(
        mail.header("Subject")
            .unwrap()
            .starts_with("Der er plads til dig")
    );
    assert!(mail.text().contains(&format!("{}/salons/{id}", app.base)));
    assert!(mails_to(&sink.dir, "sofie.aa@ddf.example").is_empty());

    // A larger capacity seats the rest of the line at once.
    let r = org
        .post_form(
            &format!("/salons/{id}/edit"),
            &salon_fields(&[("capacity", "5")]),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        sofie
            .get_text(&format!("/salons/{id}"))
            .await
            .1
            .contains("data-standing=\"yes\"")
    );
    wait_for_mails_to(&sink.dir, "sofie.aa@ddf.example", 1).await;

    // After the deadline nothing changes.
    db.execute(&format!(
        "update salon set rsvp_deadline = {} where id = {id}",
        if db.postgres {
            "now() - interval '1 minute'"
        } else {
            "'2020-01-01T00:00:00+00:00'"
        }
    ))
    .await;
    let r = sofie.post_form(&rsvp, &[("response", "no")]).await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Svarfristen er overskredet")
    );
    assert!(
        sofie
            .get_text(&format!("/salons/{id}"))
            .await
            .1
            .contains("data-standing=\"yes\"")
    );
    // A bad answer is a clear error.
    let r = jens.post_form(&rsvp, &[("response", "perhaps")]).await;
    assert_eq!(r.status(), 422);
    app.stop().await;
    sink.stop().await;
}

async fn fifty_yes_at_once_to_ten_seats_gives_ten_seats_and_forty_in_line(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[("capacity", "10")], true).await;
    let mut clients = Vec::new();
    for i in 0..50 {
        let email = format!("leder{i:02}@bibliotek.example");
        app.add_person(&email, &format!("Leder {i:02}"), Role::Member)
            .await;
        clients.push(app.signed_in(&email).await);
    }
    let path = format!("/salons/{id}/rsvp");
    let answers = clients
        .iter()
        .map(|c| c.post_form(&path, &[("response", "yes")]));
    let statuses: Vec<u16> = futures_util::future::join_all(answers)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");

    assert_eq!(db.count(&format!("select count(*) from rsvp where salon_id = {id} and response = 'yes' and waitlist_seq is null")).await, 10);
    assert_eq!(
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {id} and waitlist_seq is not null"
        ))
        .await,
        40
    );
    // The line is numbered 1..40 with no gaps or ties: one place per person, in answer order.
    assert_eq!(
        db.count(&format!(
            "select count(distinct waitlist_seq) from rsvp where salon_id = {id}"
        ))
        .await,
        40
    );
    assert_eq!(
        db.count(&format!(
            "select min(waitlist_seq) from rsvp where salon_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        db.count(&format!(
            "select max(waitlist_seq) from rsvp where salon_id = {id}"
        ))
        .await,
        40
    );
    let (_, page) = org.get_text(&format!("/salons/{id}/participants")).await;
    assert!(
        page.contains("data-count=\"yes\">10<") && page.contains("data-count=\"waitlist\">40<")
    );
    app.stop().await;
}

async fn times_show_in_the_salons_zone_across_a_dst_change_and_in_the_readers(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    // The day before and the day of the switch to summer time in Copenhagen (28 March 2027).
    let winter = create_salon(
        &org,
        &[
            ("starts_at", "2027-03-27T10:00"),
            ("ends_at", "2027-03-27T13:00"),
        ],
        true,
    )
    .await;
    let summer = create_salon(
        &org,
        &[
            ("starts_at", "2027-03-28T10:00"),
            ("ends_at", "2027-03-28T13:00"),
        ],
        true,
    )
    .await;
    let (_, w) = app.client().get_text(&format!("/salons/{winter}")).await;
    let (_, s) = app.client().get_text(&format!("/salons/{summer}")).await;
    assert!(
        w.contains("datetime=\"2027-03-27T09:00:00+00:00\"")
            && w.contains("lørdag 27. marts 2027 kl. 10.00"),
        "{w}"
    );
    assert!(
        s.contains("datetime=\"2027-03-28T08:00:00+00:00\"")
            && s.contains("søndag 28. marts 2027 kl. 10.00"),
        "{s}"
    );
    assert!(!s.contains("I din tidszone"));

    // Aino reads Finnish, in Helsinki time (an hour ahead all year); in English it reads the
    // English way.
    db.execute("update person set time_zone = 'Europe/Helsinki' where email = 'aino.virtanen@kirjastot.example'").await;
    let aino = app.signed_in("aino.virtanen@kirjastot.example").await;
    let (_, s) = aino.get_text(&format!("/salons/{summer}")).await;
    assert!(s.contains("Omalla aikavyöhykkeelläsi (Helsinki):"), "{s}");
    assert!(
        s.contains("sunnuntaina 28. maaliskuuta 2027 klo 11.00")
            && s.contains("<span class=\"agenda-time\">9.00</span>"),
        "{s}"
    );
    db.execute("update person set locale = 'en' where email = 'aino.virtanen@kirjastot.example'")
        .await;
    let (_, s) = aino.get_text(&format!("/salons/{summer}")).await;
    assert!(s.contains("In your time zone (Helsinki):"), "{s}");
    assert!(s.contains("Sunday 28 March 2027, 11:00"));
    app.stop().await;
}

async fn someone_new_registers_for_an_open_salon_by_confirming_a_mail(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[("registration", "open")], true).await;
    let invite_only = create_salon(&org, &[("registration", "invitation")], true).await;
    let visitor = app.client();
    let email = "ny.leder@bibliotek.example";

    // Mistakes come back in the form.
    let r = visitor
        .post_form(
            &format!("/salons/{id}/register"),
            &[("name", ""), ("email", "nope"), ("organisation", "KB")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Skriv et navn.") && page.contains("Skriv en gyldig e-mailadresse"));
    // Invitation-only salons take no registrations.
    let r = visitor
        .post_form(
            &format!("/salons/{invite_only}/register"),
            &[("name", "Ny"), ("email", email)],
        )
        .await;
    assert_eq!(r.status(), 409);

    let r = visitor
        .post_form(
            &format!("/salons/{id}/register"),
            &[
                ("name", "Ny Leder"),
                ("email", email),
                ("organisation", "KB"),
                ("title", "Chef"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count(&format!(
            "select count(*) from person where email = '{email}'"
        ))
        .await,
        0,
        "not before confirming"
    );
    let mail = wait_for_mails_to(&db.outbox_dir(), email, 1)
        .await
        .pop()
        .unwrap();
    assert!(
        mail.header("Subject")
            .unwrap()
            .starts_with("Bekræft din tilmelding")
    );
    let link = sign_in_link(&mail);
    let path = link.strip_prefix(&app.base).unwrap();
    let (status, _) = visitor.get_text(path).await;
    assert_eq!(status, 200);
    assert_eq!(
        db.count(&format!(
            "select count(*) from person where email = '{email}'"
        ))
        .await,
        0,
        "GET changes nothing"
    );
    let r = visitor.post_form(path, &[]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = visitor.get_text(&format!("/salons/{id}")).await;
    assert!(
        page.contains("data-standing=\"yes\"") && page.contains("Ny Leder"),
        "registered and signed in"
    );
    assert_eq!(db.count(&format!("select count(*) from person p join organisation o on o.id = p.organisation_id where p.email = '{email}' and o.short_name = 'KB'")).await, 1);
    assert_eq!(
        visitor.post_form(path, &[]).await.status(),
        410,
        "the link works once"
    );
    app.stop().await;
}

async fn organisers_export_participants_for_excel(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = create_salon(&org, &[("capacity", "1")], true).await;
    let birgitte = app.signed_in("birgitte.noergaard@cb.example").await;
    birgitte
        .post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
        .await;
    let lars = app.signed_in(MEMBER).await;
    lars.post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
        .await;
    let r = org.get(&format!("/salons/{id}/participants.csv")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "UTF-8 byte order mark for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("\"Navn\",\"E-mailadresse\""));
    assert!(lines[1].contains("\"Birgitte Nørgaard\"") && lines[1].contains("\"Ja\""));
    assert!(lines[2].contains("\"Lars Brandt\"") && lines[2].contains("\"Venteliste\",\"1\""));
    let (_, page) = org.get_text(&format!("/salons/{id}/participants")).await;
    assert!(
        page.contains("Centralbibliotekerne"),
        "represented organisations are listed"
    );
    app.stop().await;
}

async fn the_json_api_lists_published_salons(db: TestDb) {
    let app = demo_app(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let published = create_salon(&org, &[("title", "Offentlig")], true).await;
    let draft = create_salon(&org, &[("title", "Hemmelig kladde")], false).await;
    let list: serde_json::Value = app
        .client()
        .get("/api/v1/salons")
        .await
        .json()
        .await
        .unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], published);
    assert_eq!(items[0]["starts_at"], "2027-03-10T08:00:00+00:00");
    assert_eq!(items[0]["status"], "published");
    assert_eq!(items[0]["url"], format!("{}/salons/{published}", app.base));
    let one: serde_json::Value = app
        .client()
        .get(&format!("/api/v1/salons/{published}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["agenda"][0]["start_time"], "09:00");
    assert!(one.get("meeting_url").is_none());
    let r = app.client().get(&format!("/api/v1/salons/{draft}")).await;
    assert_eq!(r.status(), 404);
    let err: serde_json::Value = r.json().await.unwrap();
    assert_eq!(err["error"]["code"], "not_found");
    assert_eq!(app.client().get("/api/v1/salons/abc").await.status(), 404);
    app.stop().await;
}

both_backends!(
    organiser_creates_edits_publishes_cancels_and_duplicates,
    every_rule_has_a_clear_error_and_the_form_keeps_what_was_typed,
    members_cannot_organise_or_see_hidden_answers,
    the_meeting_link_is_shown_only_to_registered_people,
    answers_change_until_the_deadline_and_a_freed_seat_goes_to_the_first_in_line,
    fifty_yes_at_once_to_ten_seats_gives_ten_seats_and_forty_in_line,
    times_show_in_the_salons_zone_across_a_dst_change_and_in_the_readers,
    someone_new_registers_for_an_open_salon_by_confirming_a_mail,
    organisers_export_participants_for_excel,
    the_json_api_lists_published_salons,
);
