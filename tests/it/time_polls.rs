//! Time polls, on both databases with a real SMTP server: an organiser offers two times on
//! either side of a DST change and asks a person, an organisation and a pasted address; each
//! gets a mail with the times in their own zone and language and no calendar entry; answers
//! come from the personal link without a session, can be changed, and a time or link that is
//! not the poll's changes nothing; the grid shows who can when by organisation, to the asked
//! and organisers only; the picked time becomes a draft salon at that time in the poll's zone
//! (08:00Z after the change, 10:00 on the salon's clock), whose invite page has the asked
//! ticked; after that no answer is taken. Refused polls say why and store nothing.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;

const AINO: &str = "aino.virtanen@kirjastot.example";
/// Denmark and Finland move to summer time on 28 March 2027.
const SLOTS: &str = "2027-03-26 10:00\n2027-03-29 10:00";

/// A series made by the organiser.
async fn new_series(org: &Client) -> i64 {
    let r = org
        .post_form(
            "/series/new",
            &[("title", "Vårens saloner"), ("description", "")],
        )
        .await;
    location(&r).trim_start_matches("/series/").parse().unwrap()
}

/// The personal link in a time poll mail.
fn link_in(mail: &Mail) -> String {
    let text = mail.text();
    let start = text.find("/timepolls/link/").expect("a personal link");
    let token: String = text[start + "/timepolls/link/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    format!("/timepolls/link/{token}")
}

async fn a_time_poll_answered_from_mail_links_becomes_a_draft_salon_across_dst(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    db.execute(&format!(
        "update person set time_zone = 'Europe/Helsinki', locale = 'fi' where email = '{AINO}'"
    ))
    .await;
    let org = app.signed_in(ORGANISER).await;
    let series = new_series(&org).await;
    let lars_id = app.person_id(LARS).await.to_string();
    let aino_id = app.person_id(AINO).await.to_string();
    let r = org
        .post_form(
            &format!("/series/{series}/timepolls"),
            &[
                ("title", "Salonen om data"),
                ("description", "Vi finder en dato."),
                ("time_zone", "Europe/Copenhagen"),
                ("minutes", "120"),
                ("slots", SLOTS),
                ("person", &lars_id),
                ("person", &aino_id),
                ("organisation", "KOMBIT"),
                ("pasted", "Nina Ny <nina@bibliotek.example>"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let poll = db.count("select max(id) from time_poll").await;
    assert_eq!(location(&r), format!("/timepolls/{poll}?done=created"));

    // Each asked gets one mail, in their language and zone, with no calendar entry.
    let lars_mail = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    assert_eq!(
        lars_mail.header("Subject").unwrap(),
        "Hvornår kan du? Salonen om data"
    );
    let text = lars_mail.text();
    assert!(
        text.contains("fredag 26. marts 2027 kl. 10.00–12.00 (Copenhagen)"),
        "{text}"
    );
    assert!(
        text.contains("mandag 29. marts 2027 kl. 10.00–12.00 (Copenhagen)"),
        "{text}"
    );
    assert!(text.contains("ingen kalenderinvitation"), "{text}");
    let raw = String::from_utf8_lossy(&lars_mail.raw).to_string();
    assert!(!raw.contains("text/calendar"), "no calendar entry yet");
    let aino_mail = wait_for_mails_to(&sink.dir, AINO, 1).await.pop().unwrap();
    let text = aino_mail.text();
    assert!(
        text.contains("11.00–13.00 (Helsinki)"),
        "her own zone: {text}"
    );
    assert!(
        text.contains("Milloin pääset?")
            || aino_mail
                .header("Subject")
                .unwrap()
                .contains("Milloin pääset?")
    );
    let jens_mail = wait_for_mails_to(&sink.dir, JENS, 1).await.pop().unwrap();
    wait_for_mails_to(&sink.dir, "nina@bibliotek.example", 1).await;

    // Lars answers from his link in a browser with no session, then changes his mind.
    let visitor = app.client();
    let lars_link = link_in(&lars_mail);
    let (status, page) = visitor.get_text(&lars_link).await;
    assert_eq!(status, 200);
    assert!(main_text(&page).contains("Hvem kan hvornår"));
    let slots: Vec<i64> = {
        let mut v = Vec::new();
        for n in 1..=2 {
            v.push(
                db.count(&format!(
                    "select id from time_slot where poll_id = {poll} order by starts_at limit 1 offset {}",
                    n - 1
                ))
                .await,
            );
        }
        v
    };
    let (s1, s2) = (format!("slot-{}", slots[0]), format!("slot-{}", slots[1]));
    let r = visitor
        .post_form(&lars_link, &[(s1.as_str(), "yes"), (s2.as_str(), "no")])
        .await;
    assert_eq!(r.status(), 303);
    let r = visitor
        .post_form(&lars_link, &[(s1.as_str(), "maybe"), (s2.as_str(), "yes")])
        .await;
    assert_eq!(r.status(), 303);
    let lars_answers = format!(
        "select count(*) from time_answer a join person p on p.id = a.person_id where p.email = '{LARS}'"
    );
    assert_eq!(db.count(&lars_answers).await, 2, "one answer per time");
    assert_eq!(
        db.count(&format!(
            "{lars_answers} and a.answer = 'yes' and a.slot_id = {}",
            slots[1]
        ))
        .await,
        1,
        "changed"
    );
    // A time of no poll of his, or a link that is not one, changes nothing.
    let r = visitor
        .post_form(&lars_link, &[("slot-999999", "yes")])
        .await;
    assert_eq!(r.status(), 422);
    let r = visitor
        .post_form(
            &format!("/timepolls/link/{}", "ab".repeat(32)),
            &[(s1.as_str(), "no")],
        )
        .await;
    assert_eq!(r.status(), 410);
    assert_eq!(db.count(&lars_answers).await, 2);
    let r = visitor
        .post_form(
            &link_in(&jens_mail),
            &[(s1.as_str(), "no"), (s2.as_str(), "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The grid, by organisation: for the organiser and the asked, not for others.
    let (_, grid) = org.get_text(&format!("/timepolls/{poll}")).await;
    let text = main_text(&grid);
    assert!(
        text.contains("KOMBIT") && text.contains("Det Kgl. Bibliotek"),
        "{text}"
    );
    assert!(text.contains("2 ja, 0 hvis nødvendigt"), "{text}");
    assert!(grid.contains("data-best"), "the best time is marked");
    let lars = app.signed_in(LARS).await;
    assert_eq!(lars.get(&format!("/timepolls/{poll}")).await.status(), 200);
    let sofie = app.signed_in(SOFIE).await;
    assert_eq!(sofie.get(&format!("/timepolls/{poll}")).await.status(), 404);
    assert_eq!(
        lars.post_form(
            &format!("/timepolls/{poll}/choose"),
            &[("slot", &slots[1].to_string())]
        )
        .await
        .status(),
        403,
        "organisers pick"
    );

    // The organiser picks the time after the change: a draft salon at 10:00 in Copenhagen.
    let r = org
        .post_form(
            &format!("/timepolls/{poll}/choose"),
            &[("slot", &slots[1].to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let salon = db.count("select max(id) from salon").await;
    assert_eq!(location(&r), format!("/salons/{salon}?done=saved"));
    assert_eq!(
        db.text(&format!("select status from salon where id = {salon}"))
            .await,
        "draft"
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from salon where id = {salon} and series_id = {series} and time_zone = 'Europe/Copenhagen' and title = 'Salonen om data'"
        ))
        .await,
        1
    );
    let (_, edit) = org.get_text(&format!("/salons/{salon}/edit")).await;
    assert_eq!(input_value(&edit, "starts_at").unwrap(), "2027-03-29T10:00");
    assert_eq!(input_value(&edit, "ends_at").unwrap(), "2027-03-29T12:00");
    let utc = if db.postgres {
        "to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI')"
    } else {
        "strftime('%Y-%m-%d %H:%M', starts_at)"
    };
    assert_eq!(
        db.text(&format!("select {utc} from salon where id = {salon}"))
            .await,
        "2027-03-29 08:00",
        "08:00Z after the change"
    );

    // Its invite page has the asked ticked, ready to invite.
    let (_, invite) = org.get_text(&format!("/salons/{salon}/invite")).await;
    for email in [LARS, JENS, AINO] {
        let id = app.person_id(email).await;
        assert!(
            invite.contains(&format!("value=\"{id}\" id=\"person-{id}\" checked")),
            "{email} ticked"
        );
    }

    // Decided: no more answers, no second pick.
    let r = visitor
        .post_form(&lars_link, &[(s1.as_str(), "no"), (s2.as_str(), "no")])
        .await;
    assert_eq!(r.status(), 409);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Tidspunktet er allerede valgt")
    );
    let r = org
        .post_form(
            &format!("/timepolls/{poll}/choose"),
            &[("slot", &slots[0].to_string())],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        db.count("select count(*) from salon where title = 'Salonen om data'")
            .await,
        1
    );
}

async fn refused_time_polls_say_why_and_store_nothing(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let series = new_series(&org).await;
    let before = db.count("select count(*) from time_poll").await;
    let lars_id = app.person_id(LARS).await.to_string();
    let path = format!("/series/{series}/timepolls");
    for (slots, who, message) in [
        (
            "2027-03-26 10:00",
            lars_id.as_str(),
            "Foreslå mindst 2 og højst 20 tidspunkter.",
        ),
        (
            "2020-03-26 10:00\n2027-03-26 10:00",
            lars_id.as_str(),
            "Et af tidspunkterne er allerede passeret.",
        ),
        (
            "2027-03-28 02:30\n2027-03-26 10:00",
            lars_id.as_str(),
            "findes ikke i tidszonen",
        ),
        (SLOTS, "", "Vælg hvem der skal spørges."),
    ] {
        let mut fields = vec![
            ("title", "Salonen"),
            ("time_zone", "Europe/Copenhagen"),
            ("minutes", "120"),
            ("slots", slots),
        ];
        if !who.is_empty() {
            fields.push(("person", who));
        }
        let r = org.post_form(&path, &fields).await;
        assert_eq!(r.status(), 422, "{slots}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{}", main_text(&page));
    }
    let lars = app.signed_in(LARS).await;
    let r = lars
        .post_form(
            &path,
            &[
                ("title", "x"),
                ("time_zone", "Europe/Copenhagen"),
                ("minutes", "60"),
                ("slots", SLOTS),
                ("person", &lars_id),
            ],
        )
        .await;
    assert_eq!(r.status(), 403, "organisers only");
    assert_eq!(db.count("select count(*) from time_poll").await, before);
    assert_eq!(
        db.count("select count(*) from outbox where kind = 'time_poll'")
            .await,
        0,
        "no mail"
    );
}

both_backends!(
    a_time_poll_answered_from_mail_links_becomes_a_draft_salon_across_dst,
    refused_time_polls_say_why_and_store_nothing
);
