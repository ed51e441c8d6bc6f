//! Invitations and calendars through HTTP and a real SMTP server, on both databases: the MIME
//! structure Outlook, Gmail and Thunderbird need, ORGANIZER/ATTENDEE, updates and
//! cancellations, RSVP by link without a session, reminders exactly once, feeds with ETag, and
//! the .ics import.

use crate::common;

use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const BIRGITTE: &str = "birgitte.noergaard@cb.example";

fn fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("title", "Digitalt indhold, tjenester; og borgerne"),
        (
            "description",
            "Første afsnit.\n\nAndet afsnit, med komma; og semikolon.",
        ),
        ("series_id", ""),
        ("time_zone", "Europe/Copenhagen"),
        ("starts_at", "2027-03-10T09:00"),
        ("ends_at", "2027-03-10T12:30"),
        ("mode", "hybrid"),
        ("address", "Det Kgl. Bibliotek, København"),
        ("meeting_url", "https://meet.example.org/salon"),
        ("capacity", ""),
        ("rsvp_deadline", ""),
        ("registration", "invitation"),
        ("agenda", "9.00 Velkomst\n9.30 Samtale"),
    ];
    for (k, v) in overrides {
        if let Some(x) = f.iter_mut().find(|(fk, _)| fk == k) {
            x.1 = v;
        }
    }
    f
}

async fn app_with_sink(db: &TestDb) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    // The sender's name is the alliance's, from configuration.
    settings.mail_from = "Den Digitale Alliance <salon@salon.example>".into();
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    (app, sink)
}

async fn published(org: &Client, overrides: &[(&str, &str)]) -> i64 {
    let r = org.post_form("/salons/new", &fields(overrides)).await;
    assert_eq!(r.status(), 303);
    let id: i64 = location(&r)
        .trim_start_matches("/salons/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        org.post_form(&format!("/salons/{id}/publish"), &[])
            .await
            .status(),
        303
    );
    id
}

/// The iCalendar part of a mail, parsed with the `ical` crate.
fn calendar_of(mail: &Mail) -> (String, ical::parser::ical::component::IcalCalendar) {
    fn find(p: &mailparse::ParsedMail<'_>) -> Option<String> {
        if p.ctype.mimetype == "text/calendar" {
            return p.get_body().ok();
        }
        p.subparts.iter().find_map(find)
    }
    let text = find(&mail.parsed()).expect("a text/calendar part");
    let cal = ical::IcalParser::new(text.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    (text, cal)
}

fn prop(props: &[ical::property::Property], name: &str) -> Option<String> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

fn props<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Vec<&'a ical::property::Property> {
    props.iter().filter(|p| p.name == name).collect()
}

async fn the_invitation_is_a_real_meeting_request(db: TestDb) {
    let (app, sink) = app_with_sink(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = published(&org, &[]).await;

    // Bad pasted addresses are listed back, and nothing is sent.
    let r = org
        .post_form(
            &format!("/salons/{id}/invite"),
            &[
                ("person", "3"),
                ("pasted", "ny@bibliotek.example\nikke en adresse"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("ikke en adresse") && page.contains("nothing has been sent")
            || page.contains("sendes intet"),
        "{page}"
    );
    assert_eq!(db.count("select count(*) from outbox").await, 0);
    assert_eq!(db.count("select count(*) from rsvp").await, 0);

    // Lars by name, all of Centralbibliotekerne (Birgitte), and a new address; with a note.
    let lars_id = db
        .count(&format!("select id from person where email = '{LARS}'"))
        .await
        .to_string();
    let note = "Kære alle,\nvi glæder os til at se jer.\n\nHilsen sekretariatet <3";
    let choice = [
        ("person", lars_id.as_str()),
        ("organisation", "CB"),
        ("pasted", "Ny Leder <ny@bibliotek.example>"),
        ("note", note),
    ];
    // The preview shows the note in the mail and sends nothing.
    let mut previewing = choice.to_vec();
    previewing.push(("step", "preview"));
    let r = org
        .post_form(&format!("/salons/{id}/invite"), &previewing)
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("&gt; vi glæder os til at se jer.")
            && page.contains("Hilsen sekretariatet &lt;3"),
        "{page}"
    );
    // A note with a control character is refused, named, and nothing is sent.
    let mut bad = choice.to_vec();
    bad[3] = ("note", "Hej\u{7}");
    let r = org.post_form(&format!("/salons/{id}/invite"), &bad).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Den personlige hilsen"));
    assert_eq!(db.count("select count(*) from outbox").await, 0);
    assert_eq!(db.count("select count(*) from rsvp").await, 0);

    let r = org
        .post_form(&format!("/salons/{id}/invite"), &choice)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let mail = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    // From the alliance by name; the organiser's note first, then what, where, what about and
    // the agenda, in both parts.
    assert_eq!(
        mail.header("From").as_deref(),
        Some("\"Den Digitale Alliance\" <salon@salon.example>")
    );
    let text = mail.text();
    let order = [
        "En hilsen fra",
        "> Kære alle,",
        "> Hilsen sekretariatet <3",
        "Du er inviteret til",
        "https://meet.example.org/salon",
        "Første afsnit.",
        "Andet afsnit, med komma; og semikolon.",
        "Program:",
        "  - 09:00 Velkomst",
        "  - 09:30 Samtale",
        "/rsvp/",
    ];
    let mut from = 0;
    for part in order {
        let at = text[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} after byte {from} in:\n{text}"));
        from += at + part.len();
    }
    let html = mail.html();
    assert!(
        html.contains("<blockquote")
            && html.contains("vi glæder os til at se jer.")
            && html.contains("Hilsen sekretariatet &lt;3")
            && html.contains("<li>09:30 Samtale</li>")
            && html.contains("<p>Første afsnit.</p>"),
        "{html}"
    );
    wait_for_mails_to(&sink.dir, BIRGITTE, 1).await;
    wait_for_mails_to(&sink.dir, "ny@bibliotek.example", 1).await;
    assert_eq!(
        db.count(
            "select count(*) from person where email = 'ny@bibliotek.example' and name = 'Ny Leder'"
        )
        .await,
        1
    );

    // multipart/mixed [ multipart/alternative [ text/plain, text/html, text/calendar ], invite.ics ]
    let parsed = mail.parsed();
    assert_eq!(parsed.ctype.mimetype, "multipart/mixed");
    assert_eq!(parsed.subparts.len(), 2);
    let alt = &parsed.subparts[0];
    assert_eq!(alt.ctype.mimetype, "multipart/alternative");
    let types: Vec<_> = alt
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.clone())
        .collect();
    assert_eq!(types, ["text/plain", "text/html", "text/calendar"]);
    assert_eq!(
        alt.subparts[2]
            .ctype
            .params
            .get("method")
            .map(String::as_str),
        Some("REQUEST")
    );
    let attachment = &parsed.subparts[1];
    assert_eq!(attachment.ctype.mimetype, "application/ics");
    let disposition = attachment.get_content_disposition();
    assert_eq!(
        disposition.params.get("filename").map(String::as_str),
        Some("invite.ics")
    );
    assert_eq!(attachment.ctype.charset.to_lowercase(), "utf-8");
    assert_eq!(
        attachment.get_body_raw().unwrap(),
        alt.subparts[2].get_body_raw().unwrap(),
        "the attachment is the same invite"
    );
    assert!(
        String::from_utf8(attachment.get_body_raw().unwrap())
            .unwrap()
            .contains("København")
    );

    let (text, cal) = calendar_of(&mail);
    assert_eq!(
        prop(&cal.properties, "METHOD").as_deref(),
        Some("REQUEST"),
        "METHOD in VCALENDAR matches the MIME header"
    );
    let event = &cal.events[0];
    assert_eq!(
        prop(&event.properties, "UID"),
        Some(format!("salon-{id}@127.0.0.1"))
    );
    assert_eq!(prop(&event.properties, "SEQUENCE").as_deref(), Some("1"));
    assert_eq!(
        prop(&event.properties, "DTSTART").as_deref(),
        Some("20270310T080000Z")
    );
    assert_eq!(
        prop(&event.properties, "DTEND").as_deref(),
        Some("20270310T113000Z")
    );
    assert!(prop(&event.properties, "DTSTAMP").unwrap().ends_with('Z'));
    assert_eq!(
        prop(&event.properties, "SUMMARY").as_deref(),
        Some("Digitalt indhold\\, tjenester\\; og borgerne")
    );
    assert_eq!(
        prop(&event.properties, "STATUS").as_deref(),
        Some("CONFIRMED")
    );
    // The ORGANIZER is the recipient's own reply address (the sender's mailbox, sub-addressed),
    // so the calendar's own Accept comes back identifying them.
    let organizer = prop(&event.properties, "ORGANIZER").unwrap();
    let token = organizer
        .strip_prefix("mailto:salon+i-")
        .and_then(|t| t.strip_suffix("@salon.example"))
        .unwrap_or_else(|| panic!("{organizer}"));
    assert!(
        token.len() == 26
            && token
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)),
        "{organizer}"
    );
    let attendees = props(&event.properties, "ATTENDEE");
    assert_eq!(attendees.len(), 1, "the recipient alone");
    assert_eq!(
        attendees[0].value.as_deref(),
        Some(format!("mailto:{LARS}").as_str())
    );
    let params = attendees[0].params.clone().unwrap();
    assert!(params.iter().any(|(k, v)| k == "RSVP" && v == &["TRUE"]));
    assert!(
        params
            .iter()
            .any(|(k, v)| k == "PARTSTAT" && v == &["NEEDS-ACTION"])
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "folded: {line}");
    }
    // No other person's address anywhere in Lars's mail.
    let raw = String::from_utf8_lossy(&mail.raw).to_lowercase();
    assert!(!raw.contains(BIRGITTE) && !raw.contains("ny@bibliotek.example"));
    assert!(mail.text().contains("/rsvp/"), "personal answer links");

    // Inviting again sends no second mail to the already invited.
    org.post_form(&format!("/salons/{id}/invite"), &[("person", &lars_id)])
        .await;
    mail_marker(&app.client(), &sink.dir, LARS).await;
    assert_eq!(
        mails_to(&sink.dir, LARS).len(),
        2,
        "the invitation and the marker, no second invitation"
    );
    app.stop().await;
    sink.stop().await;
}

async fn answering_from_the_mail_needs_no_sign_in_and_a_get_changes_nothing(db: TestDb) {
    let (app, sink) = app_with_sink(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = published(&org, &[]).await;
    let lars_id = db
        .count(&format!("select id from person where email = '{LARS}'"))
        .await
        .to_string();
    org.post_form(&format!("/salons/{id}/invite"), &[("person", &lars_id)])
        .await;
    let mail = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    let text = mail.text();
    let yes = text
        .split_whitespace()
        .find(|w| w.contains("/rsvp/") && w.ends_with("?answer=yes"))
        .unwrap()
        .to_string();
    let path = yes.strip_prefix(&app.base).unwrap();

    let browser = app.client(); // no session at all
    for _ in 0..2 {
        let (status, page) = browser.get_text(path).await;
        assert_eq!(status, 200);
        assert!(page.contains("Ja, jeg deltager"));
        assert!(
            page.contains("value=\"yes\" aria-pressed=\"false\""),
            "no answer given yet"
        );
    }
    assert_eq!(
        db.count("select count(*) from rsvp where response is not null")
            .await,
        0,
        "GET changes nothing"
    );
    let form_path = path.split('?').next().unwrap();
    let r = browser.post_form(form_path, &[("response", "yes")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {id} and response = 'yes'"
        ))
        .await,
        1
    );
    let (_, page) = browser.get_text(&location(&r)).await;
    assert!(page.contains("data-standing=\"yes\""));
    assert!(
        page.contains("value=\"yes\" aria-pressed=\"true\""),
        "the answer given is the pressed button"
    );
    // The participants page counts the invitation (answered now) and shows when, the organiser's
    // way (in their language and zone, not as UTC).
    let (_, participants) = org.get_text(&format!("/salons/{id}/participants")).await;
    assert!(
        participants.contains("data-count=\"invitations\">1<")
            && participants.contains("data-count=\"invited\">0<")
            && !participants.contains(" UTC<"),
        "{}",
        main_text(&participants)
    );
    // The yes is confirmed by mail: the calendar entry again, accepted, with the video link,
    // and the room's address.
    let confirmation = wait_for_mails_to(&sink.dir, LARS, 2).await.pop().unwrap();
    assert!(
        confirmation
            .header("Subject")
            .unwrap()
            .starts_with("Du er tilmeldt"),
        "{:?}",
        confirmation.header("Subject")
    );
    let (_, cal) = calendar_of(&confirmation);
    let event = &cal.events[0];
    assert_eq!(
        prop(&event.properties, "URL").as_deref(),
        Some("https://meet.example.org/salon")
    );
    let attendee = props(&event.properties, "ATTENDEE")[0]
        .params
        .clone()
        .unwrap();
    assert!(
        attendee
            .iter()
            .any(|(k, v)| k == "PARTSTAT" && v == &["ACCEPTED"]),
        "{attendee:?}"
    );
    assert!(
        confirmation.text().contains(&format!("/salons/{id}/room")),
        "{}",
        confirmation.text()
    );
    assert!(
        !page.contains("Logget ind som"),
        "answering did not sign anyone in"
    );
    // The organiser revokes Lars's links: the link stops working.
    let r = org
        .post_form(
            &format!("/salons/{id}/participants/{lars_id}/revoke-links"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(browser.get(path).await.status(), 410);
    assert_eq!(
        browser
            .post_form(form_path, &[("response", "no")])
            .await
            .status(),
        410
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {id} and response = 'yes'"
        ))
        .await,
        1,
        "unchanged"
    );
    // A made-up link is refused.
    assert_eq!(
        browser
            .get(&format!("/rsvp/{}", "0".repeat(64)))
            .await
            .status(),
        410
    );
    assert_eq!(
        browser
            .post_form(&format!("/rsvp/{}", "0".repeat(64)), &[("response", "yes")])
            .await
            .status(),
        410
    );
    app.stop().await;
    sink.stop().await;
}

async fn an_update_keeps_the_uid_and_raises_sequence_and_a_cancellation_cancels(db: TestDb) {
    let (app, sink) = app_with_sink(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let id = published(&org, &[]).await;
    org.post_form(
        &format!("/salons/{id}/invite"),
        &[("organisation", "KB"), ("organisation", "CB")],
    )
    .await;
    wait_for_mails_to(&sink.dir, LARS, 1).await;
    wait_for_mails_to(&sink.dir, BIRGITTE, 1).await;
    // Birgitte declines: she gets no update.
    let birgitte = app.signed_in(BIRGITTE).await;
    birgitte
        .post_form(&format!("/salons/{id}/rsvp"), &[("response", "no")])
        .await;

    let r = org
        .post_form(
            &format!("/salons/{id}/edit"),
            &fields(&[
                ("starts_at", "2027-03-10T10:00"),
                ("ends_at", "2027-03-10T13:00"),
            ]),
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = org.get_text(&format!("/salons/{id}")).await;
    assert!(page.contains("Send opdatering til de inviterede"));
    assert_eq!(
        org.post_form(&format!("/salons/{id}/notify"), &[])
            .await
            .status(),
        303
    );
    let update = wait_for_mails_to(&sink.dir, LARS, 2).await.pop().unwrap();
    let (_, cal) = calendar_of(&update);
    assert_eq!(prop(&cal.properties, "METHOD").as_deref(), Some("REQUEST"));
    let e = &cal.events[0].properties;
    assert_eq!(prop(e, "UID"), Some(format!("salon-{id}@127.0.0.1")));
    assert_eq!(prop(e, "SEQUENCE").as_deref(), Some("2"));
    assert_eq!(prop(e, "DTSTART").as_deref(), Some("20270310T090000Z"));
    assert!(update.header("Subject").unwrap().starts_with("Ændret"));
    mail_marker(&app.client(), &sink.dir, BIRGITTE).await;
    assert_eq!(
        mails_to(&sink.dir, BIRGITTE).len(),
        2,
        "who declined gets no update (the invitation and the marker)"
    );

    org.post_form(&format!("/salons/{id}/cancel"), &[]).await;
    org.post_form(&format!("/salons/{id}/notify"), &[]).await;
    let cancel = wait_for_mails_to(&sink.dir, LARS, 3).await.pop().unwrap();
    let parsed = cancel.parsed();
    assert_eq!(
        parsed.subparts[0].subparts[2]
            .ctype
            .params
            .get("method")
            .map(String::as_str),
        Some("CANCEL")
    );
    let (_, cal) = calendar_of(&cancel);
    assert_eq!(prop(&cal.properties, "METHOD").as_deref(), Some("CANCEL"));
    let e = &cal.events[0].properties;
    assert_eq!(prop(e, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(prop(e, "SEQUENCE").as_deref(), Some("3"));
    assert_eq!(prop(e, "UID"), Some(format!("salon-{id}@127.0.0.1")));
    app.stop().await;
    sink.stop().await;
}

async fn reminders_go_once_also_across_a_restart(db: TestDb) {
    let (app, sink) = app_with_sink(&db).await;
    let org = app.signed_in(ORGANISER).await;
    // A salon in three hours: inside the 24-hour reminder window.
    let tz = chrono_tz::Europe::Copenhagen;
    let start = (chrono::Utc::now() + chrono::Duration::hours(3)).with_timezone(&tz);
    let starts = start.format("%Y-%m-%dT%H:%M").to_string();
    let ends = (start + chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let id = published(
        &org,
        &[
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("registration", "open"),
        ],
    )
    .await;
    let lars = app.signed_in(LARS).await;
    lars.post_form(&format!("/salons/{id}/rsvp"), &[("response", "yes")])
        .await;
    let birgitte = app.signed_in(BIRGITTE).await;
    birgitte
        .post_form(&format!("/salons/{id}/rsvp"), &[("response", "no")])
        .await;

    // Lars's yes is confirmed by mail; then comes the reminder.
    let mails = wait_for_mails_to(&sink.dir, LARS, 2).await;
    let subjects: Vec<String> = mails.iter().map(|m| m.header("Subject").unwrap()).collect();
    assert!(subjects[0].starts_with("Du er tilmeldt"), "{subjects:?}");
    let reminder = &mails[1];
    assert!(subjects[1].starts_with("Påmindelse"), "{subjects:?}");
    assert!(reminder.text().contains("https://meet.example.org/salon"));
    rounds_pass(&app.client(), "reminders", 2).await;
    mail_marker(&app.client(), &sink.dir, "sekretariat@salon.example").await; // what the rounds queued is sent
    assert_eq!(mails_to(&sink.dir, LARS).len(), 2);
    app.stop().await;

    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    let again = TestApp::spawn_with(settings).await;
    rounds_pass(&again.client(), "reminders", 2).await;
    mail_marker(&again.client(), &sink.dir, "sekretariat@salon.example").await;
    assert_eq!(
        mails_to(&sink.dir, LARS).len(),
        2,
        "no second reminder after a restart"
    );
    assert!(
        mails_to(&sink.dir, BIRGITTE).is_empty(),
        "no reminder for a no"
    );
    assert_eq!(db.count("select count(*) from reminder_sent").await, 1);
    again.stop().await;
    sink.stop().await;
}

async fn feeds_validate_and_answer_304_when_unchanged(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let a = published(&org, &[("title", "Første")]).await;
    let b = published(&org, &[("title", "Anden"), ("registration", "open")]).await;
    let draft = {
        let r = org
            .post_form("/salons/new", &fields(&[("title", "Kladde")]))
            .await;
        location(&r)
            .trim_start_matches("/salons/")
            .split('?')
            .next()
            .unwrap()
            .to_string()
    };

    let c = app.client();
    let r = c.get("/calendar.ics").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let body = r.text().await.unwrap();
    let cal = ical::IcalParser::new(body.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(prop(&cal.properties, "METHOD").as_deref(), Some("PUBLISH"));
    assert!(prop(&cal.properties, "REFRESH-INTERVAL").is_some());
    assert_eq!(cal.events.len(), 2, "published only");
    assert!(!body.contains("ATTENDEE"), "no attendees in feeds");
    assert!(!body.contains("Kladde"));
    let r = c
        .http
        .get(c.url("/calendar.ics"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let r2 = c.get("/calendar.ics").await;
    assert_eq!(
        r2.headers()["etag"].to_str().unwrap(),
        etag,
        "an unchanged feed has the same ETag"
    );

    let one = c.get_text(&format!("/salons/{a}.ics")).await;
    assert_eq!(one.0, 200);
    assert!(one.1.contains("SUMMARY:Første"));
    assert_eq!(c.get(&format!("/salons/{draft}.ics")).await.status(), 404);

    // A person's own feed: what they said yes or maybe to.
    let lars = app.signed_in(LARS).await;
    lars.post_form(&format!("/salons/{b}/rsvp"), &[("response", "maybe")])
        .await;
    let page = lars.post_form("/me/feed", &[]).await.text().await.unwrap();
    let start = page.find("/feeds/").unwrap();
    let feed_path = page[start..].split(['<', '"']).next().unwrap().to_string();
    let (status, feed) = c.get_text(&feed_path).await;
    assert_eq!(status, 200);
    assert!(feed.contains("SUMMARY:Anden") && !feed.contains("SUMMARY:Første"));
    assert!(feed.contains("STATUS:TENTATIVE"), "a maybe is tentative");
    assert!(!feed.contains("ATTENDEE"));
    // Renewing revokes the old link.
    lars.post_form("/me/feed", &[]).await;
    assert_eq!(c.get(&feed_path).await.status(), 404);
    // Add-to-calendar links on the salon page.
    let (_, page) = c.get_text(&format!("/salons/{a}")).await;
    assert!(
        page.contains(&format!("/salons/{a}.ics"))
            && page.contains("webcal://")
            && page.contains("calendar.google.com")
    );
    app.stop().await;
}

async fn an_ics_import_creates_drafts_or_explains_which_line_is_wrong(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let token = org.csrf().await;
    let upload = |bytes: Vec<u8>, token: String| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("salons.ics");
        let form = reqwest::multipart::Form::new().part("file", part);
        org.http
            .post(org.url(&format!("/salons/import?csrf={token}")))
            .multipart(form)
            .send()
    };
    let broken = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Salon\r\nDTSTART:2027-03-10 10:00\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = upload(broken.as_bytes().to_vec(), token.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Linje 5") && page.contains("tidspunktet kan ikke læses"),
        "{page}"
    );
    assert_eq!(
        db.count("select count(*) from salon").await,
        0,
        "nothing created"
    );
    // Without the CSRF token: refused.
    let r = upload(broken.as_bytes().to_vec(), "nope".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n\
        BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Kickoff i Aarhus\r\nDTSTART;TZID=Europe/Copenhagen:20270410T100000\r\nDTEND;TZID=Europe/Copenhagen:20270410T160000\r\nLOCATION:Dokk1\\, Aarhus\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Online opfølgning\r\nDTSTART:20270420T070000Z\r\nDURATION:PT3H\r\nURL:https://meet.example.org/x\r\nEND:VEVENT\r\n\
        END:VCALENDAR\r\n";
    let r = upload(good.as_bytes().to_vec(), token).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count("select count(*) from salon where status = 'draft'")
            .await,
        2
    );
    assert_eq!(
        db.count(
            "select count(*) from salon where address = 'Dokk1, Aarhus' and mode = 'in_person'"
        )
        .await,
        1
    );
    assert_eq!(
        db.count("select count(*) from salon where meeting_url = 'https://meet.example.org/x'")
            .await,
        1
    );
    app.stop().await;
}

/// What Python's `icalendar` (the library many calendar tools use) and Mozilla's ical.js (what
/// Thunderbird's calendar is built on) read from an iCalendar text: the first event's LOCATION,
/// URL and DESCRIPTION, one per line, as JSON.
fn read_by_other_parsers(ics: &str) -> Vec<serde_json::Value> {
    use std::io::Write;
    let python = std::env::var("SALON_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
ev = next(c for c in cal.walk("VEVENT"))
print(json.dumps({k: str(ev.get(k, "")) for k in ["LOCATION", "URL", "DESCRIPTION", "CONFERENCE"]}))
"#;
    let node = r#"
const ICAL = require(process.argv[1] + "/node_modules/ical.js/dist/ical.es5.cjs");
let text = require("fs").readFileSync(0, "utf8");
const ev = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent");
const get = (k) => String(ev.getFirstPropertyValue(k) || "");
console.log(JSON.stringify({LOCATION: get("location"), URL: get("url"), DESCRIPTION: get("description"), CONFERENCE: get("conference")}));
"#;
    let browser_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    let mut out = Vec::new();
    for (program, args) in [
        (python.as_str(), vec!["-c", script]),
        ("node", vec!["-e", node, browser_dir]),
    ] {
        let mut child = std::process::Command::new(program)
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(ics.as_bytes())
            .unwrap();
        let done = child.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "{program} reads the calendar: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        out.push(serde_json::from_slice(&done.stdout).unwrap());
    }
    out
}

async fn the_video_link_is_in_the_invitations_calendar_entry(db: TestDb) {
    let (app, sink) = app_with_sink(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let link = "https://meet.example.org/salon-7";
    let id = published(
        &org,
        &[("mode", "online"), ("address", ""), ("meeting_url", link)],
    )
    .await;
    let lars_id = db
        .count(&format!("select id from person where email = '{LARS}'"))
        .await
        .to_string();
    let r = org
        .post_form(&format!("/salons/{id}/invite"), &[("person", &lars_id)])
        .await;
    assert_eq!(r.status(), 303);
    let mail = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    let (text, cal) = calendar_of(&mail);
    let event = &cal.events[0];
    assert_eq!(prop(&event.properties, "LOCATION").as_deref(), Some(link));
    assert_eq!(prop(&event.properties, "URL").as_deref(), Some(link));
    assert!(
        prop(&event.properties, "DESCRIPTION")
            .unwrap()
            .starts_with(&format!("Deltag i videomødet: {link}")),
        "the link opens the description"
    );
    let conference = props(&event.properties, "CONFERENCE");
    assert_eq!(conference.len(), 1);
    assert_eq!(conference[0].value.as_deref(), Some(link));
    assert!(
        mail.text().contains(link),
        "the mail's text names the link too"
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "folded: {line}");
    }
    for read in read_by_other_parsers(&text) {
        assert_eq!(read["LOCATION"], link, "{read}");
        assert_eq!(read["URL"], link, "{read}");
        assert_eq!(read["CONFERENCE"], link, "{read}");
        assert!(
            read["DESCRIPTION"].as_str().unwrap().contains(link),
            "{read}"
        );
    }

    // The public feed keeps it hidden.
    let (status, feed) = app.client().get_text(&format!("/salons/{id}.ics")).await;
    assert_eq!(status, 200);
    assert!(
        feed.contains("LOCATION:Online") && !feed.contains(link),
        "{feed}"
    );
    app.stop().await;
    sink.stop().await;
}

both_backends!(
    the_video_link_is_in_the_invitations_calendar_entry,
    the_invitation_is_a_real_meeting_request,
    answering_from_the_mail_needs_no_sign_in_and_a_get_changes_nothing,
    an_update_keeps_the_uid_and_raises_sequence_and_a_cancellation_cancels,
    reminders_go_once_also_across_a_restart,
    feeds_validate_and_answer_304_when_unchanged,
    an_ics_import_creates_drafts_or_explains_which_line_is_wrong,
);
