//! Reading the reply mailbox over IMAP, against a real Dovecot (scripts/test starts one), on
//! both databases: a calendar reply delivered into the mailbox (IMAP APPEND) becomes the
//! person's answer and the message moves to `Processed`; with two instances on one PostgreSQL
//! database, each message is taken in exactly once.

use crate::common;

use common::inbound::{
    ReplyTo, calendar_of, imap_count, imap_port, imap_session, imap_url, reply, sequence_of, uuid,
};
use common::room::{LARS, ORGANISER};
use common::*;

async fn app_reading(db: &TestDb, port: u16, user: &str) -> TestApp {
    let mut settings = db.settings();
    settings.imap_url = Some(imap_url(port, user));
    settings.imap_poll_secs = "1".into();
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    app
}

async fn answer_of(db: &TestDb, salon: i64, email: &str) -> String {
    let q = |r: &str| {
        format!(
            "select count(*) from rsvp r join person p on p.id = r.person_id where r.salon_id = {salon} and p.email = '{email}' and r.response = '{r}'"
        )
    };
    for r in ["yes", "maybe", "no"] {
        if db.count(&q(r)).await == 1 {
            return r.to_string();
        }
    }
    "none".into()
}

async fn a_reply_in_the_mailbox_becomes_an_answer_and_moves_to_processed(db: TestDb) {
    let Some(port) = imap_port() else { return };
    let user = format!("salon-{}", uuid());
    let app = app_reading(&db, port, &user).await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/invite"), &[("pasted", LARS)])
            .await
            .status(),
        303
    );
    let invitation = wait_for_mails_to(&db.outbox_dir(), LARS, 1)
        .await
        .pop()
        .unwrap();
    let (to, uid, _) = calendar_of(&invitation);
    let raw = reply(
        "gmail",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: sequence_of(&invitation),
        },
    );

    // Delivered into the mailbox, as the mail server would.
    let mut session = imap_session(port, &user).await;
    session.append("INBOX", None, None, &raw).await.unwrap();
    let _ = session.logout().await;

    eventually("the answer from the mailbox", || async {
        answer_of(&db, salon, LARS).await == "yes"
    })
    .await;
    eventually("the message moved to Processed", || async {
        imap_count(port, &user, "INBOX").await == 0
            && imap_count(port, &user, "Processed").await == 1
    })
    .await;
    assert_eq!(
        db.count(
            "select count(*) from inbound_message where source = 'imap' and outcome = 'applied'"
        )
        .await,
        1
    );
    // And the organiser sees the yes on the participants page.
    let (_, page) = org.get_text(&format!("/salons/{salon}/participants")).await;
    assert!(
        page.contains("data-standing=\"yes\""),
        "Lars's yes on the participants page"
    );
    app.stop().await;
}

/// The process's peak resident memory so far (VmHWM), in bytes. nextest runs each test in a
/// process of its own, so this is the test's and its app's.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    kb * 1024
}

/// Twelve mails of 6 MB (over the 5 MB taken in) ahead of a real reply: each is recorded as too
/// large and moved aside without being fetched, and the reply behind them is taken in. The
/// app's peak memory grows by less than two of them (fetched a batch at a time, as before,
/// they were 72 MB at once, and twice that with their copies).
async fn large_mails_are_set_aside_unread(db: TestDb) {
    let Some(port) = imap_port() else { return };
    let user = format!("salon-{}", uuid());
    let mut session = imap_session(port, &user).await;
    let mut big = b"From: someone@example.org\r\nTo: salon@salon.example\r\nSubject: Stor fil\r\nContent-Type: text/plain\r\n\r\n".to_vec();
    while big.len() < 6 * 1024 * 1024 {
        big.extend_from_slice(&[b'x'; 76]);
        big.extend_from_slice(b"\r\n");
    }
    for _ in 0..12 {
        session.append("INBOX", None, None, &big).await.unwrap();
    }
    drop(big);
    let app = {
        let mut settings = db.settings();
        settings.imap_poll_secs = "1".into();
        TestApp::spawn_with(settings).await
    };
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/invite"), &[("pasted", LARS)])
            .await
            .status(),
        303
    );
    let invitation = wait_for_mails_to(&db.outbox_dir(), LARS, 1)
        .await
        .pop()
        .unwrap();
    let (to, uid, _) = calendar_of(&invitation);
    let raw = reply(
        "gmail",
        &ReplyTo {
            to: &to,
            from: LARS,
            uid: &uid,
            attendee: LARS,
            partstat: "ACCEPTED",
            dtstamp: "20261130T090000Z",
            sequence: sequence_of(&invitation),
        },
    );
    session.append("INBOX", None, None, &raw).await.unwrap();
    let _ = session.logout().await;
    app.stop().await;

    // Now an instance reads the mailbox.
    let before = peak_memory();
    let app = app_reading(&db, port, &user).await;
    eventually("the reply behind the large mails", || async {
        answer_of(&db, salon, LARS).await == "yes"
    })
    .await;
    eventually("every message moved to Processed", || async {
        imap_count(port, &user, "INBOX").await == 0
            && imap_count(port, &user, "Processed").await == 13
    })
    .await;
    assert_eq!(
        db.count("select count(*) from inbound_message where detail = 'too_large'")
            .await,
        12
    );
    let grown = peak_memory().saturating_sub(before);
    assert!(
        grown < 12 * 1024 * 1024,
        "peak memory grew by {} MB",
        grown / (1024 * 1024)
    );
    app.stop().await;
}

/// The `salon_inbound_total` counters of an instance's /metrics, summed.
async fn inbound_counted(base: &str) -> (u64, u64) {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (mut all, mut duplicates) = (0, 0);
    for line in text
        .lines()
        .filter(|l| l.starts_with("salon_inbound_total"))
    {
        let n: u64 = line.rsplit(' ').next().unwrap().parse::<f64>().unwrap() as u64;
        all += n;
        if line.contains("duplicate") {
            duplicates += n;
        }
    }
    (all, duplicates)
}

/// Two instances read the same mailbox: a lease lets one read at a time, so each of 20
/// messages is taken in once (no instance even sees one as a duplicate).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_take_each_message_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let Some(port) = imap_port() else { return };
    let user = format!("salon-{}", uuid());
    let app = app_reading(&db, port, &user).await;
    let other = ServeProcess::start(
        &db,
        &[],
        &[
            ("SALON_IMAP_URL", &imap_url(port, &user)),
            ("SALON_IMAP_POLL_SECS", "1"),
        ],
    )
    .await;
    let mut session = imap_session(port, &user).await;
    for i in 0..20 {
        let raw = format!(
            "From: someone{i}@example.org\r\nTo: salon+i-aaaaaaaaaaaaaaaaaaaaaaaaaa@salon.example\r\nSubject: note {i}\r\nMessage-ID: <two-{i}-{}@example.org>\r\n\r\nHello\r\n",
            uuid()
        );
        session
            .append("INBOX", None, None, raw.as_bytes())
            .await
            .unwrap();
    }
    let _ = session.logout().await;
    eventually("all 20 taken in", || async {
        db.count("select count(*) from inbound_message").await == 20
            && imap_count(port, &user, "INBOX").await == 0
    })
    .await;
    let (a, a_dup) = inbound_counted(&app.base).await;
    let (b, b_dup) = inbound_counted(&other.base).await;
    assert_eq!(
        (a + b, a_dup + b_dup),
        (20, 0),
        "taken in once each: {a} + {b}"
    );
    assert_eq!(imap_count(port, &user, "Processed").await, 20);
    other.stop().await;
    app.stop().await;
}

/// imaps:// and STARTTLS against Dovecot with a certificate from a private CA: both connect
/// and sign in when the CA is trusted (`SALON_IMAP_CA_FILE`), and neither does without it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_starttls_check_the_servers_certificate() {
    let Some(port) = imap_port() else { return };
    let tls_port: u16 = std::env::var("SALON_TEST_IMAPS_PORT")
        .unwrap()
        .parse()
        .unwrap();
    let ca = std::path::PathBuf::from(std::env::var("SALON_TEST_IMAP_CA").unwrap());
    let user = format!("tls-{}", uuid());
    for url in [
        format!("imaps://{user}:secret@127.0.0.1:{tls_port}/INBOX"),
        format!("imap://{user}:secret@127.0.0.1:{port}/INBOX?tls=starttls"),
    ] {
        let config =
            salon::config::imap::ImapConfig::parse(&url, None, std::time::Duration::from_secs(1))
                .unwrap();
        let refused = salon::mail::imap::connect(&config).await;
        assert!(refused.is_err(), "{url}: an unknown CA is refused");
        let trusted = salon::config::imap::ImapConfig {
            ca_file: Some(ca.clone()),
            ..config
        };
        let mut session = salon::mail::imap::connect(&trusted)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e:#}"));
        assert_eq!(session.select("INBOX").await.unwrap().exists, 0, "{url}");
        session.logout().await.unwrap();
    }
}

/// XOAUTH2 (Microsoft 365, Google): the token comes from `SALON_IMAP_OAUTH2_TOKEN_CMD` and is
/// sent in the SASL form those servers take; the test Dovecot checks it like a password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xoauth2_signs_in_with_the_token_the_command_prints() {
    let Some(port) = imap_port() else { return };
    let url = format!("imap://oauth-{}@127.0.0.1:{port}/INBOX?tls=none", uuid());
    for (cmd, works) in [
        ("printf 'secret\\n'", true),
        ("echo expired-token", false),
        ("exit 3", false),
    ] {
        let config = salon::config::imap::ImapConfig::parse(
            &url,
            Some(cmd.into()),
            std::time::Duration::from_secs(1),
        )
        .unwrap();
        let result = salon::mail::imap::connect(&config).await;
        assert_eq!(result.is_ok(), works, "{cmd}: {:?}", result.err());
    }
}

both_backends!(
    large_mails_are_set_aside_unread,
    a_reply_in_the_mailbox_becomes_an_answer_and_moves_to_processed
);
