//! Calendar replies and bounces through the app's doors (`POST /inbound/mail`, `salon mail
//! ingest`), on both databases: an Accept / Maybe / Decline from Outlook (desktop and web),
//! Gmail, Apple Calendar and Thunderbird, as each sends it (tests/fixtures/inbound), becomes
//! the person's answer through the web's RSVP rules; every refusal (no token, unknown or revoked
//! token, another person as ATTENDEE, another salon's event, a cancelled salon, a message too
//! large) changes nothing; the same reply twice counts once; bounces mark the mail and the
//! address; auto-replies are set aside.

use crate::common;

use std::path::Path;

use common::inbound::{ReplyTo, calendar_of, invitation_calendar, reply, sequence_of, uuid};
use common::room::{LARS, ORGANISER};
use common::*;

const SECRET: &str = "a-long-shared-inbound-secret";

async fn app_with_inbound(db: &TestDb) -> TestApp {
    let mut settings = db.settings();
    settings.inbound_secret = Some(SECRET.into());
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    app
}

async fn post(app: &TestApp, raw: Vec<u8>) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(app.client().url("/inbound/mail"))
        .header("X-Salon-Inbound-Secret", SECRET)
        .body(raw)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

async fn answer_of(db: &TestDb, salon: i64, email: &str) -> String {
    let n = |r: &str| {
        format!(
            "select count(*) from rsvp r join person p on p.id = r.person_id where r.salon_id = {salon} and p.email = '{email}' and r.response = '{r}'"
        )
    };
    for r in ["yes", "maybe", "no"] {
        if db.count(&n(r)).await == 1 {
            return r.to_string();
        }
    }
    "none".to_string()
}

/// A published salon with Lars invited (his invitation in the outbox folder).
async fn invited(db: &TestDb, org: &Client, overrides: &[(&str, &str)]) -> i64 {
    let salon = new_salon(org, overrides, true).await;
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/invite"), &[("pasted", LARS)])
            .await
            .status(),
        303
    );
    wait_for_mails_to(&db.outbox_dir(), LARS, 1).await;
    salon
}

async fn each_calendar_client_answers_through_its_reply(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let (to, uid, _) = invitation_calendar(&db.outbox_dir(), LARS);
    let sequence = sequence_of(mails_to(&db.outbox_dir(), LARS).last().unwrap());
    assert!(
        to.starts_with("salon+i-") && to.len() > "salon+i-".len() + 26,
        "the ORGANIZER is the personal reply address: {to}"
    );
    let upper = LARS.to_uppercase();
    for (i, (client, partstat, attendee, expected)) in [
        (
            "outlook-desktop",
            "ACCEPTED",
            "Lars.Brandt@KB.example",
            "yes",
        ),
        ("outlook-web", "TENTATIVE", LARS, "maybe"),
        ("gmail", "DECLINED", LARS, "no"),
        ("apple", "ACCEPTED", LARS, "yes"),
        ("thunderbird", "DECLINED", upper.as_str(), "no"),
    ]
    .into_iter()
    .enumerate()
    {
        let dtstamp = format!("20261130T09{:02}00Z", 10 + i);
        let raw = reply(
            client,
            &ReplyTo {
                to: &to,
                from: LARS,
                uid: &uid,
                attendee,
                partstat,
                dtstamp: &dtstamp,
                sequence,
            },
        );
        let (status, body) = post(&app, raw).await;
        assert_eq!(status, 200, "{client}: {body}");
        assert_eq!(body["outcome"], "applied", "{client}: {body}");
        assert_eq!(
            answer_of(&db, salon, LARS).await,
            expected,
            "{client}'s {partstat}"
        );
    }
    // The Outlook comment reached the organiser by mail and shows on the participants page.
    let notes = wait_for_mails_to(&db.outbox_dir(), ORGANISER, 1).await;
    assert!(
        notes
            .iter()
            .any(|m| m.text().contains("tager en kollega med")),
        "the comment mailed to the organiser"
    );
    let (_, page) = org.get_text(&format!("/salons/{salon}/participants")).await;
    assert!(
        main_text(&page).contains("tager en kollega med"),
        "the comment on the participants page: {}",
        main_text(&page)
    );
    // The inbox lists what was done.
    let (_, inbox) = org.get_text("/admin/inbox").await;
    assert_eq!(inbox.matches("data-outcome=\"applied\"").count(), 5);
    assert!(
        !main_text(&page).contains("tidligere tidspunkt"),
        "answers to the current time are not flagged"
    );
    app.stop().await;
}

async fn refused_replies_change_nothing(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let other = new_salon(&org, &[("title", "En anden salon")], true).await;
    assert_eq!(
        org.post_form(&format!("/salons/{other}/invite"), &[("pasted", LARS)])
            .await
            .status(),
        303
    );
    let both = wait_for_mails_to(&db.outbox_dir(), LARS, 2).await;
    let (first_to, first_uid, _) = calendar_of(&both[0]);
    let (other_to, other_uid, _) = calendar_of(&both[1]);
    assert_ne!(first_to, other_to, "one reply address per salon");
    let good = |to: &str, uid: &str, attendee: &str, stamp: &str| {
        reply(
            "gmail",
            &ReplyTo {
                to,
                from: LARS,
                uid,
                attendee,
                partstat: "ACCEPTED",
                dtstamp: stamp,
                sequence: 0,
            },
        )
    };
    let jens = "jens.riis@kombit.example";
    for (raw, reason) in [
        (
            good(
                "salon@localhost.localdomain",
                &other_uid,
                LARS,
                "20261130T100000Z",
            ),
            "no_token",
        ),
        (
            good(
                "salon+i-aaaaaaaaaaaaaaaaaaaaaaaaaa@localhost.localdomain",
                &other_uid,
                LARS,
                "20261130T100000Z",
            ),
            "unknown_token",
        ),
        (
            good(&other_to, &other_uid, jens, "20261130T100000Z"),
            "attendee_mismatch",
        ),
        (
            good(&other_to, &first_uid, LARS, "20261130T100000Z"),
            "other_event",
        ),
    ] {
        let (status, body) = post(&app, raw).await;
        assert_eq!(status, 200);
        assert_eq!(body["detail"], reason, "{body}");
        assert_eq!(
            answer_of(&db, other, LARS).await,
            "none",
            "{reason} changed nothing"
        );
    }
    // Too large: refused with 413 at the door, or set aside when it fits the door but not the rules.
    let big = vec![b'x'; 5 * 1024 * 1024 + 10];
    let (status, body) = post(&app, big).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["detail"], "too_large");
    // A wrong secret, and none at all.
    let r = reqwest::Client::new()
        .post(app.client().url("/inbound/mail"))
        .header("X-Salon-Inbound-Secret", "wrong")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Revoked with the answer links: the reply changes nothing.
    let lars_id = app.person_id(LARS).await;
    assert_eq!(
        org.post_form(
            &format!("/salons/{other}/participants/{lars_id}/revoke-links"),
            &[]
        )
        .await
        .status(),
        303
    );
    let (_, body) = post(&app, good(&other_to, &other_uid, LARS, "20261130T100500Z")).await;
    assert_eq!(body["detail"], "revoked");
    assert_eq!(answer_of(&db, other, LARS).await, "none");
    // A cancelled salon takes no answers.
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/cancel"), &[])
            .await
            .status(),
        303
    );
    let (_, body) = post(&app, good(&first_to, &first_uid, LARS, "20261130T101000Z")).await;
    assert_eq!(body["detail"], "salon_cancelled", "{body}");
    assert_eq!(answer_of(&db, salon, LARS).await, "none");
    app.stop().await;
}

async fn the_same_reply_twice_counts_once_and_auto_replies_are_set_aside(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let (to, uid, _) = invitation_calendar(&db.outbox_dir(), LARS);
    let seq = sequence_of(mails_to(&db.outbox_dir(), LARS).last().unwrap());
    let raw = reply(
        "thunderbird",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: seq,
        },
    );
    let (_, first) = post(&app, raw.clone()).await;
    assert_eq!(first["outcome"], "applied");
    assert!(
        !first["detail"].as_str().unwrap().contains("old_time"),
        "{first}"
    );
    assert_eq!(
        post(&app, raw).await.1["detail"],
        "duplicate",
        "the same message again"
    );
    // The same reply in a new message (a client resending it), then an older one arriving late.
    let again = reply(
        "thunderbird",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: 0,
        },
    );
    assert_eq!(post(&app, again).await.1["detail"], "duplicate");
    let older = reply(
        "gmail",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "DECLINED",
            dtstamp: "20261130T080000Z",
            sequence: 0,
        },
    );
    assert_eq!(post(&app, older).await.1["detail"], "older_reply");
    assert_eq!(answer_of(&db, salon, LARS).await, "yes");
    // An out-of-office reply to the reply address: set aside, and nothing is sent back.
    let before = all_mails(&db.outbox_dir());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inbound");
    let ooo = std::fs::read_to_string(dir.join("out-of-office.eml"))
        .unwrap()
        .replace("{TO}", &to)
        .replace("{FROM}", LARS)
        .replace("{MESSAGE_ID}", "<ooo-1@mail.example>");
    assert_eq!(post(&app, ooo.into_bytes()).await.1["detail"], "auto_reply");
    mail_marker(&app.client(), &db.outbox_dir(), LARS).await;
    assert_eq!(
        all_mails(&db.outbox_dir()),
        before + 1,
        "no mail answers an auto-reply (the marker only)"
    );
    // A reply for the time before a change is applied, and the organisers see that.
    let (starts, ends) = ("2027-03-10T10:00", "2027-03-10T13:00");
    let form = salon_form(&[("starts_at", starts), ("ends_at", ends)]);
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/edit"), &form)
            .await
            .status(),
        303
    );
    let late = reply(
        "outlook-web",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "TENTATIVE",
            dtstamp: "20261130T110000Z",
            sequence: seq,
        },
    );
    let (_, body) = post(&app, late).await;
    assert_eq!(body["outcome"], "applied");
    assert!(
        body["detail"].as_str().unwrap().contains("old_time"),
        "{body}"
    );
    let (_, page) = org.get_text(&format!("/salons/{salon}/participants")).await;
    assert!(
        main_text(&page).contains("tidligere tidspunkt"),
        "the participants page says it answered the old time"
    );
    app.stop().await;
}

async fn a_reply_dated_in_the_far_future_does_not_freeze_later_answers(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let (to, uid, _) = invitation_calendar(&db.outbox_dir(), LARS);
    let seq = sequence_of(mails_to(&db.outbox_dir(), LARS).last().unwrap());
    let future = reply(
        "gmail",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "DECLINED",
            dtstamp: "99991231T235959Z",
            sequence: seq,
        },
    );
    assert_eq!(post(&app, future).await.1["outcome"], "applied");
    assert_eq!(answer_of(&db, salon, LARS).await, "no");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // Lars changes his mind a moment later, from a calendar with a right clock.
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let later = reply(
        "outlook-web",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: &stamp,
            sequence: seq,
        },
    );
    let (_, body) = post(&app, later).await;
    assert_eq!(body["outcome"], "applied", "{body}");
    assert_eq!(answer_of(&db, salon, LARS).await, "yes");
    app.stop().await;
}

async fn bounces_mark_the_mail_and_the_address(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let (to, _, original) = invitation_calendar(&db.outbox_dir(), LARS);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inbound");
    let fill = |name: &str, id: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .replace("{TO}", "salon@localhost.localdomain")
            .replace("{RCPT}", LARS)
            .replace("{ORIGINAL_ID}", id)
            .replace("{MESSAGE_ID}", &format!("<{}@mx.example>", uuid()))
            .replace('\n', "\r\n")
            .into_bytes()
    };
    // A bounce of a mail Salon never sent changes nothing.
    let (_, body) = post(
        &app,
        fill("bounce-rfc3464.eml", "not-ours@elsewhere.example"),
    )
    .await;
    assert_eq!(body["detail"], "bounce_unknown");
    assert_eq!(
        db.count("select count(*) from outbox where bounced_at is not null")
            .await,
        0
    );
    for fixture in ["bounce-rfc3464.eml", "bounce-qmail.eml"] {
        let (_, body) = post(&app, fill(fixture, &original)).await;
        assert_eq!(body["outcome"], "applied", "{fixture}: {body}");
        assert!(
            body["detail"].as_str().unwrap().starts_with("bounced 5."),
            "{fixture}: {body}"
        );
    }
    assert_eq!(db.count(&format!("select count(*) from outbox where bounced_at is not null and message_id = '<{original}>'")).await, 1);
    // Counted for the "bounces rising" alert; the unknown one is not ours and not counted.
    let (_, metrics) = app.client().get_text("/metrics").await;
    assert!(
        metrics.contains("salon_mail_bounces_total{kind=\"permanent\"} 2"),
        "{}",
        metrics
            .lines()
            .filter(|l| l.contains("bounce"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from person where mail_failing_at is not null and email = '{LARS}'"
        ))
        .await,
        1
    );
    let (_, outbox) = org.get_text("/admin/outbox").await;
    assert!(
        main_text(&outbox).contains("5.1.1"),
        "the bounce on /admin/outbox"
    );
    let (_, participants) = org.get_text(&format!("/salons/{salon}/participants")).await;
    assert!(
        participants.contains("data-mail-failing"),
        "the failing address on the participants page"
    );
    let admin = app.signed_in(salon::demo::ADMIN_EMAIL).await;
    let (_, people) = admin.get_text("/admin/people").await;
    assert_eq!(
        people.matches("data-mail-failing").count(),
        1,
        "and on /admin/people"
    );
    let _ = to;
    app.stop().await;
}

async fn a_calendar_answer_that_cannot_be_taken_is_explained_by_mail(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    // Full: Jens has the only seat, so Lars's Accept puts him on the waitlist, and he is told.
    let full = invited(&db, &org, &[("capacity", "1")]).await;
    app.answer_for(
        full,
        app.person_id("jens.riis@kombit.example").await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    let mail = mails_to(&db.outbox_dir(), LARS).pop().unwrap();
    let (to, uid, _) = calendar_of(&mail);
    let seq = sequence_of(&mail);
    let (_, body) = post(
        &app,
        reply(
            "outlook-desktop",
            &ReplyTo {
                to: &to,
                from: LARS,
                uid: &uid,
                attendee: LARS,
                partstat: "ACCEPTED",
                dtstamp: "20261130T090000Z",
                sequence: seq,
            },
        ),
    )
    .await;
    assert_eq!(body["outcome"], "applied", "{body}");
    let told = wait_for_mails_to(&db.outbox_dir(), LARS, 2).await;
    assert!(
        told.last()
            .unwrap()
            .text()
            .contains("ventelisten som nummer 1"),
        "{}",
        told.last().unwrap().text()
    );
    assert_eq!(db.count(&format!("select count(*) from rsvp where salon_id = {full} and response = 'yes' and waitlist_seq is not null")).await, 1);
    // Past the answer deadline: nothing changes, and he is told why.
    let closed = invited(
        &db,
        &org,
        &[
            ("title", "Lukket for svar"),
            ("rsvp_deadline", "2026-01-01T09:00"),
        ],
    )
    .await;
    let mails = wait_for_mails_to(&db.outbox_dir(), LARS, 3).await;
    let (to, uid, _) = calendar_of(mails.last().unwrap());
    let (_, body) = post(
        &app,
        reply(
            "gmail",
            &ReplyTo {
                to: &to,
                from: LARS,
                uid: &uid,
                attendee: LARS,
                partstat: "ACCEPTED",
                dtstamp: "20261130T091000Z",
                sequence: seq,
            },
        ),
    )
    .await;
    assert_eq!(body["detail"], "deadline_passed", "{body}");
    assert_eq!(answer_of(&db, closed, LARS).await, "none");
    let told = wait_for_mails_to(&db.outbox_dir(), LARS, 4).await;
    assert!(
        told.last()
            .unwrap()
            .text()
            .contains("Svarfristen er overskredet"),
        "{}",
        told.last().unwrap().text()
    );
    app.stop().await;
}

/// A failure at the last step of taking a reply in (recording the message): everything before
/// it (the answer, the reply's stamp, the waitlist mail) is undone with it, and the same message
/// delivered again is taken in once, with each mail queued once.
async fn a_reply_is_taken_in_whole_or_not_at_all(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let full = invited(&db, &org, &[("capacity", "1")]).await;
    app.answer_for(
        full,
        app.person_id("jens.riis@kombit.example").await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    let mail = mails_to(&db.outbox_dir(), LARS).pop().unwrap();
    let (to, uid, _) = calendar_of(&mail);
    let raw = reply(
        "outlook-desktop",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: sequence_of(&mail),
        },
    );
    let outbox_before = db.count("select count(*) from outbox").await;
    // The database refuses the record of the message (the step after the answer and its mail).
    if db.postgres {
        db.execute("create function refuse_inbound() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$").await;
        db.execute("create trigger refuse_inbound before insert on inbound_message for each row execute function refuse_inbound()").await;
    } else {
        db.execute("create trigger refuse_inbound before insert on inbound_message begin select raise(abort, 'refused for the test'); end").await;
    }
    let (status, _) = post(&app, raw.clone()).await;
    assert_eq!(status, 503, "the provider is told to deliver it again");
    assert_eq!(
        answer_of(&db, full, LARS).await,
        "none",
        "no answer without its record"
    );
    assert_eq!(
        db.count("select count(*) from outbox").await,
        outbox_before,
        "no mail without the answer (nor the note of its comment)"
    );
    assert_eq!(
        db.count("select count(*) from reply_address where last_dtstamp is not null")
            .await,
        0
    );
    // The fault goes; the provider delivers the same message again, and again.
    db.execute(if db.postgres {
        "drop trigger refuse_inbound on inbound_message"
    } else {
        "drop trigger refuse_inbound"
    })
    .await;
    let (_, body) = post(&app, raw.clone()).await;
    assert_eq!(body["outcome"], "applied", "{body}");
    assert_eq!(post(&app, raw).await.1["detail"], "duplicate");
    assert_eq!(db.count(&format!("select count(*) from rsvp where salon_id = {full} and response = 'yes' and waitlist_seq is not null")).await, 1);
    // The waitlist mail to Lars and the note of his comment to the organiser, once each.
    assert_eq!(
        db.count("select count(*) from outbox where kind = 'calendar_answer'")
            .await,
        1
    );
    assert_eq!(
        db.count("select count(*) from outbox where kind = 'calendar_note'")
            .await,
        1
    );
    assert_eq!(
        db.count("select count(*) from outbox").await,
        outbox_before + 2
    );
    assert_eq!(
        db.count("select count(*) from inbound_message where outcome = 'applied'")
            .await,
        1
    );
    app.stop().await;
}

async fn a_proposed_new_time_and_a_temporary_bounce_are_noted_not_acted_on(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let invitation = mails_to(&db.outbox_dir(), LARS).pop().unwrap();
    let (to, uid, original) = calendar_of(&invitation);
    // A COUNTER (Outlook's "Propose new time"): no answer recorded; the organiser hears of it.
    let counter = String::from_utf8(reply(
        "gmail",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "TENTATIVE",
            dtstamp: "20261130T090000Z",
            sequence: sequence_of(&invitation),
        },
    ))
    .unwrap()
    .replace("METHOD=REPLY", "METHOD=COUNTER");
    let ics = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inbound/thunderbird.ics"),
    )
    .unwrap()
    .replace("METHOD:REPLY", "METHOD:COUNTER")
    .replace("DTSTART:20270310T080000Z", "DTSTART:20270311T080000Z")
    .replace("{UID}", &uid)
    .replace("{ATTENDEE}", LARS)
    .replace("{PARTSTAT}", "TENTATIVE")
    .replace("{DTSTAMP}", "20261130T090000Z")
    .replace("{SEQUENCE}", &sequence_of(&invitation).to_string())
    .replace('\n', "\r\n");
    let message = format!(
        "From: {LARS}\r\nTo: {to}\r\nSubject: New time proposed\r\nMessage-ID: <counter-{}@mail.example>\r\nContent-Type: text/calendar; method=COUNTER; charset=utf-8\r\n\r\n{ics}",
        uuid()
    );
    let _ = counter;
    let (_, body) = post(&app, message.into_bytes()).await;
    assert_eq!(body["outcome"], "applied", "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("20270311T080000Z"),
        "{body}"
    );
    assert_eq!(
        answer_of(&db, salon, LARS).await,
        "none",
        "a proposal is not an answer"
    );
    let (_, page) = org.get_text(&format!("/salons/{salon}/participants")).await;
    assert!(
        main_text(&page).contains("Foreslog et andet tidspunkt"),
        "on the participants page"
    );
    wait_for_mails_to(&db.outbox_dir(), ORGANISER, 1).await;
    // A temporary failure (4.x.x) is noted; the mail and the address are not marked.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inbound");
    let delayed = std::fs::read_to_string(dir.join("bounce-rfc3464.eml"))
        .unwrap()
        .replace("Status: 5.1.1", "Status: 4.4.1")
        .replace("550 5.1.1", "451 4.4.1")
        .replace("{TO}", "salon@salon.example")
        .replace("{RCPT}", LARS)
        .replace("{ORIGINAL_ID}", &original)
        .replace("{MESSAGE_ID}", &format!("<{}@mx.example>", uuid()))
        .replace('\n', "\r\n");
    let (_, body) = post(&app, delayed.into_bytes()).await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("temporary 4.4.1"),
        "{body}"
    );
    assert_eq!(
        db.count("select count(*) from outbox where bounced_at is not null")
            .await,
        0
    );
    assert_eq!(
        db.count("select count(*) from person where mail_failing_at is not null")
            .await,
        0
    );
    app.stop().await;
}

/// `salon mail ingest` reads one message from stdin: exit 0 when handled, 75 when the database
/// cannot be reached (so the MTA tries again).
async fn the_pipe_takes_a_reply_and_asks_for_a_retry_without_a_database(db: TestDb) {
    let app = app_with_inbound(&db).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = invited(&db, &org, &[]).await;
    let (to, uid, _) = invitation_calendar(&db.outbox_dir(), LARS);
    let raw = reply(
        "outlook-desktop",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: 0,
        },
    );
    let run = |url: String, raw: Vec<u8>| async move {
        use tokio::io::AsyncWriteExt;
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_salon"))
            .args(["mail", "ingest"])
            .env("DATABASE_URL", url)
            .env("SALON_OUTBOX_DIR", std::env::temp_dir())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&raw).await.unwrap();
        drop(stdin);
        child.wait_with_output().await.unwrap()
    };
    // The pipe shares the installation's secret through the database, so the token checks out.
    let out = run(db.url.clone(), raw.clone()).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(answer_of(&db, salon, LARS).await, "yes");
    let out = run("postgres://salon@127.0.0.1:1/nowhere".into(), raw).await;
    assert_eq!(
        out.status.code(),
        Some(75),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.stop().await;
}

both_backends!(
    a_reply_is_taken_in_whole_or_not_at_all,
    a_reply_dated_in_the_far_future_does_not_freeze_later_answers,
    each_calendar_client_answers_through_its_reply,
    refused_replies_change_nothing,
    the_same_reply_twice_counts_once_and_auto_replies_are_set_aside,
    bounces_mark_the_mail_and_the_address,
    the_pipe_takes_a_reply_and_asks_for_a_retry_without_a_database,
    a_calendar_answer_that_cannot_be_taken_is_explained_by_mail,
    a_proposed_new_time_and_a_temporary_bounce_are_noted_not_acted_on,
);
