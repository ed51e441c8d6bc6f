//! The mail outbox against a real SMTP server process: delivery, retries while the server is
//! down, permanent failures shown to organisers, and a restart with mail still queued.

use crate::common;

use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const MEMBER: &str = "lars.brandt@kb.example";

async fn status_of(db: &TestDb, id: i64) -> String {
    // Counting by status keeps the helper on one integer query for both backends.
    for status in ["queued", "sending", "sent", "failed"] {
        if db
            .count(&format!(
                "select count(*) from outbox where id = {id} and status = '{status}'"
            ))
            .await
            == 1
        {
            return status.to_string();
        }
    }
    "missing".into()
}

async fn mail_is_delivered_to_the_smtp_server_with_a_stable_message_id(db: TestDb) {
    let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    app.client().post_form("/login", &[("email", MEMBER)]).await;
    let mail = wait_for_mails_to(&sink.dir, MEMBER, 1).await.pop().unwrap();
    eventually("row marked sent", || async {
        status_of(&db, 1).await == "sent"
    })
    .await;

    let message_id = mail.header("Message-ID").unwrap();
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@salon.example>"),
        "{message_id}"
    );
    let stored = db
        .count(&format!(
            "select count(*) from outbox where message_id = '{message_id}'"
        ))
        .await;
    assert_eq!(
        stored, 1,
        "the Message-ID that arrived is the one stored with the row"
    );
    assert_eq!(
        mail.header("From").as_deref(),
        Some("Salon <salon@salon.example>")
    );
    let parsed = mail.parsed();
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative");
    let types: Vec<_> = parsed
        .subparts
        .iter()
        .map(|p| p.ctype.mimetype.clone())
        .collect();
    assert_eq!(types, ["text/plain", "text/html"]);
    // The envelope went to the recipient alone.
    let rcpt = std::fs::read_to_string(mail.path.with_extension("rcpt")).unwrap();
    assert_eq!(rcpt.trim(), MEMBER);
    app.stop().await;
    sink.stop().await;
}

async fn mail_waits_while_the_server_is_down_and_goes_when_it_is_back(db: TestDb) {
    let port = free_port();
    let mut settings = db.settings();
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    app.client().post_form("/login", &[("email", MEMBER)]).await;

    // Nobody listens: the worker retries with back-off and records why.
    eventually("three attempts", || async {
        db.count("select cast(attempts as bigint) from outbox where id = 1")
            .await
            >= 3
    })
    .await;
    // The oldest waiting mail's age is on /metrics (the "mail stuck" alert watches it).
    eventually("the queue's age on /metrics", || async {
        let (_, metrics) = app.client().get_text("/metrics").await;
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("salon_outbox_oldest_age_seconds "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .is_some_and(|age| age > 0.0)
    })
    .await;
    // Between attempts the row waits as 'queued' (during one it is briefly 'sending').
    eventually("the row waits in the queue", || async {
        status_of(&db, 1).await == "queued"
    })
    .await;
    let organiser = app.client();
    // The organiser's view shows the error (signing in needs mail, so use a CLI-style link).
    let link = {
        let mut tx = app.app.db.begin().await.unwrap();
        let person = salon::store::people::by_email(
            &app.app.db,
            &salon::domain::Email::parse(ORGANISER).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        let secret = salon::store::login_tokens::create(&mut tx, person.id, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        format!("/login/{secret}")
    };
    assert_eq!(organiser.post_form(&link, &[]).await.status(), 303);
    // The row is briefly 'sending' during each attempt; look when it waits in the queue.
    let started = tokio::time::Instant::now();
    let page = loop {
        assert!(
            started.elapsed() < DEADLINE,
            "the outbox page never showed the row waiting"
        );
        let (_, page) = organiser.get_text("/admin/outbox").await;
        if page.contains("data-status=\"queued\"") {
            break page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(page.contains("data-status=\"queued\""), "{page}");
    assert!(
        page.to_lowercase().contains("connection refused"),
        "the reason is shown: {page}"
    );

    // The server comes up on that port: the mail goes, once.
    let sink = SmtpSink::start_on(port, &db.dir.path().join("smtp")).await;
    wait_for_mails_to(&sink.dir, MEMBER, 1).await;
    eventually("row marked sent", || async {
        status_of(&db, 1).await == "sent"
    })
    .await;
    mail_marker(&app.client(), &sink.dir, MEMBER).await;
    assert_eq!(
        mails_to(&sink.dir, MEMBER).len(),
        2,
        "delivered exactly once (and the marker after it)"
    );
    app.stop().await;
    sink.stop().await;
}

async fn a_permanent_rejection_is_marked_failed_and_shown(db: TestDb) {
    let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    // An admin adds someone whose mailbox the server refuses (550).
    let mut tx = app.app.db.begin().await.unwrap();
    salon::store::people::create(
        &mut tx,
        &salon::store::people::NewPerson {
            email: &salon::domain::Email::parse("reject.me@kb.example").unwrap(),
            name: "Afvist Adresse",
            title: None,
            role: salon::domain::Role::Member,
            locale: salon::i18n::Locale::Da,
            organisation_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    app.client()
        .post_form("/login", &[("email", "reject.me@kb.example")])
        .await;
    eventually("row marked failed", || async {
        status_of(&db, 1).await == "failed"
    })
    .await;
    assert_eq!(
        db.count("select cast(attempts as bigint) from outbox where id = 1")
            .await,
        1,
        "a 5xx is not retried"
    );

    let organiser = app.client();
    organiser.sign_in(ORGANISER, &sink.dir).await;
    let (_, page) = organiser.get_text("/admin/outbox").await;
    assert!(page.contains("data-status=\"failed\""));
    assert!(page.contains("550"), "the server's answer is shown: {page}");
    assert!(page.contains("Mislykkedes"));
    app.stop().await;
    sink.stop().await;
}

async fn a_row_that_cannot_be_sent_does_not_hold_up_the_next(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    // A stored row whose recipient is no address (written before addresses were checked, or
    // by hand), queued first; then an ordinary sign-in mail.
    let mut tx = app.app.db.begin().await.unwrap();
    let bad = salon::mail::compose::Composed {
        kind: "sign_in",
        message_id: "<bad@salon.example>".into(),
        recipient: "no address at all".into(),
        subject: "x".into(),
        body: b"Subject: x\r\n\r\nx\r\n".to_vec(),
    };
    let bad_id = salon::mail::queue(&mut tx, &bad).await.unwrap();
    tx.commit().await.unwrap();
    app.client().post_form("/login", &[("email", MEMBER)]).await;
    wait_for_mails_to(&sink.dir, MEMBER, 1).await;
    eventually("the bad row marked failed", || async {
        status_of(&db, bad_id.0).await == "failed"
    })
    .await;
    // The mail reaches the server a moment before its row is marked sent.
    eventually("the sign-in mail marked sent", || async {
        db.count("select count(*) from outbox where status = 'sent'")
            .await
            == 1
    })
    .await;
    app.stop().await;
    sink.stop().await;
}

async fn queued_mail_survives_a_restart(db: TestDb) {
    let port = free_port();
    let mut settings = db.settings();
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let first = TestApp::spawn_with(settings.clone()).await;
    first.load_demo().await;
    first
        .client()
        .post_form("/login", &[("email", MEMBER)])
        .await;
    first
        .client()
        .post_form("/login", &[("email", ORGANISER)])
        .await;
    eventually("first attempts failed", || async {
        db.count("select count(*) from outbox where attempts >= 1 and status = 'queued'")
            .await
            == 2
    })
    .await;
    first.stop().await;

    // The server comes up; a new process starts on the same database.
    let sink = SmtpSink::start_on(port, &db.dir.path().join("smtp")).await;
    let second = TestApp::spawn_with(settings).await;
    wait_for_mails_to(&sink.dir, MEMBER, 1).await;
    wait_for_mails_to(&sink.dir, ORGANISER, 1).await;
    eventually("both rows sent", || async {
        db.count("select count(*) from outbox where status = 'sent'")
            .await
            == 2
    })
    .await;
    assert_eq!(all_mails(&sink.dir), 2, "each mail exactly once");
    second.stop().await;
    sink.stop().await;
}

async fn without_smtp_mail_is_written_as_eml_files(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    app.client()
        .post_form("/login", &[("email", ORGANISER)])
        .await;
    let mail = wait_for_mails_to(&db.outbox_dir(), ORGANISER, 1)
        .await
        .pop()
        .unwrap();
    let name = mail.path.file_name().unwrap().to_string_lossy().to_string();
    assert_eq!(name, format!("000001-sign_in-{ORGANISER}.eml"));
    assert!(sign_in_link(&mail).starts_with(&app.base));
    eventually("row marked sent", || async {
        status_of(&db, 1).await == "sent"
    })
    .await;
    app.stop().await;
}

async fn metrics_and_health_answer(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let c = app.client();
    let (status, body) = c.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    c.get("/").await;
    let (status, metrics) = c.get_text("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("salon_http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/\""));
    assert!(metrics.contains("salon_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("salon_outbox_depth"));
    assert!(
        metrics.contains("salon_outbox_oldest_age_seconds 0"),
        "nothing waits"
    );
    app.stop().await;
}

both_backends!(
    mail_is_delivered_to_the_smtp_server_with_a_stable_message_id,
    mail_waits_while_the_server_is_down_and_goes_when_it_is_back,
    a_permanent_rejection_is_marked_failed_and_shown,
    a_row_that_cannot_be_sent_does_not_hold_up_the_next,
    queued_mail_survives_a_restart,
    without_smtp_mail_is_written_as_eml_files,
    metrics_and_health_answer,
);
