//! Answers from the calendar, seen in a real browser (headless Chromium) against a real `salon
//! serve` process and a real SMTP server, on both databases: the organiser invites a leader and
//! a mistyped address with the invitation form; the leader's invitation (as it arrived at the
//! SMTP server) is answered by an Outlook REPLY mail posted to `/inbound/mail`, and the other
//! invitation bounces; the organiser's participants page shows the yes and the failing address,
//! and the inbox lists both. Audited with axe-core in all five languages.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, backend, sign_in};
use common::inbound::{ReplyTo, calendar_of, reply, sequence_of, uuid};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const MISTYPED: &str = "lars.brandt@kb-example.invalid";
const SECRET: &str = "browser-inbound-secret-0123456789";

async fn a_calendar_answer_and_a_bounce_in_the_organisers_browser(db: TestDb) {
    if !browser::available() {
        return;
    }
    let mail_dir = db.dir.path().join("mail");
    std::fs::create_dir_all(&mail_dir).unwrap();
    let smtp = SmtpSink::start(&mail_dir).await;
    let server = ServeProcess::start(
        &db,
        &["--demo"],
        &[
            ("SALON_SMTP_URL", &smtp.url()),
            ("SALON_INBOUND_SECRET", SECRET),
        ],
    )
    .await;
    let shots = browser::screenshot_dir(&format!("inbound-{}", backend(&db)));
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    let setup = Client::new(&server.base);
    setup.sign_in(ORGANISER, &mail_dir).await;
    let salon = new_salon(&setup, &[("title", "Svar fra kalenderen")], true).await;

    // Invited with the form, as an organiser does.
    organiser.goto(&format!("/salons/{salon}/invite")).await;
    organiser
        .fill("#pasted", &format!("{LARS}\n{MISTYPED}"))
        .await;
    organiser
        .click(&format!(
            "main form[action='/salons/{salon}/invite'] button[type=submit]"
        ))
        .await;
    organiser
        .wait_until("the participants page", || async {
            organiser.path().await.contains("invited=2")
        })
        .await;
    let lars_mail = wait_for_mails_to(&mail_dir, LARS, 1).await.pop().unwrap();
    let (to, uid, _) = calendar_of(&lars_mail);
    let other = wait_for_mails_to(&mail_dir, MISTYPED, 1)
        .await
        .pop()
        .unwrap();
    let (_, _, bounced_id) = calendar_of(&other);

    // Lars presses Accept in Outlook; the other invitation comes back.
    let http = reqwest::Client::new();
    let post = |raw: Vec<u8>| {
        http.post(format!("{}/inbound/mail", server.base))
            .header("X-Salon-Inbound-Secret", SECRET)
            .body(raw)
            .send()
    };
    let accept = reply(
        "outlook-desktop",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: sequence_of(&lars_mail),
        },
    );
    let r: serde_json::Value = post(accept).await.unwrap().json().await.unwrap();
    assert_eq!(r["outcome"], "applied", "{r}");
    let bounce = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/inbound/bounce-rfc3464.eml"),
    )
    .unwrap()
    .replace("{TO}", "salon@salon.example")
    .replace("{RCPT}", MISTYPED)
    .replace("{ORIGINAL_ID}", &bounced_id)
    .replace("{MESSAGE_ID}", &format!("<{}@mx.example>", uuid()))
    .replace('\n', "\r\n");
    let r: serde_json::Value = post(bounce.into_bytes())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["outcome"], "applied", "{r}");

    // The organiser sees both on the participants page.
    organiser
        .goto(&format!("/salons/{salon}/participants"))
        .await;
    let rows = organiser.texts("tbody tr").await;
    let lars_row = rows
        .iter()
        .find(|r| r.contains("Lars Brandt") && !r.contains("kb-example"))
        .unwrap();
    assert!(lars_row.contains("Ja"), "Lars's yes: {lars_row}");
    assert!(
        lars_row.contains("tager en kollega med"),
        "his note from Outlook: {lars_row}"
    );
    organiser.find("[data-mail-failing]").await;
    organiser.screenshot("01-participants").await;
    audit_in_every_language(
        &organiser,
        "participants with a calendar answer and a bounce",
    )
    .await;
    organiser.goto("/admin/inbox").await;
    assert_eq!(organiser.texts("tr[data-outcome='applied']").await.len(), 2);
    organiser.screenshot("02-inbox").await;
    audit_in_every_language(&organiser, "inbox").await;
    organiser.goto("/admin/outbox").await;
    organiser.find("[data-bounced]").await;
    audit_in_every_language(&organiser, "outbox with a bounce").await;

    organiser.close().await;
    server.stop().await;
    smtp.stop().await;
}

both_backends!(a_calendar_answer_and_a_bounce_in_the_organisers_browser);
