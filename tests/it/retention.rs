//! Retention, on both databases: the job deletes exactly what is due at the moment it is given
//! (time moves by passing a later moment, not by sleeping): room messages a configured number
//! of days after their salon, sent mail bodies after 30 days (the rows stay), used and expired
//! links and sessions, registrations never confirmed after 7 days, the audit trail after two
//! years. The room page says when its messages go; `/metrics` counts what went.

use crate::common;

use chrono::{Duration, Utc};
use common::room::{JENS, LARS, ORGANISER};
use common::*;
use salon::domain::rsvp::Response::Yes;
use salon::usecases::retention::{Counts, run};

async fn retention_deletes_exactly_what_is_due(db: TestDb) {
    let mut settings = db.settings();
    settings.privacy.retention_room_days = "100".into();
    let app = TestApp::spawn_with(settings).await;
    app.retention_ran().await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let policy = app.app.config.privacy.retention;
    let now = Utc::now();

    // Two salons with a message each: one ended 150 days ago, one ended 50 days ago.
    let mut salons = Vec::new();
    for (title, ended_days_ago) in [("Gammel salon", 150), ("Nyere salon", 50)] {
        let (starts, ends) = from_now(-10);
        let id = new_salon(
            &org,
            &[("title", title), ("starts_at", &starts), ("ends_at", &ends)],
            true,
        )
        .await;
        app.answer_for(id, app.person_id(LARS).await, Yes).await;
        let lars = app.signed_in(LARS).await;
        assert_eq!(
            lars.post_form(
                &format!("/salons/{id}/room/messages"),
                &[("body", title), ("client_id", "m-1")]
            )
            .await
            .status(),
            303
        );
        let end = now - Duration::days(ended_days_ago);
        db.move_salon(id, end - Duration::hours(2), end).await;
        salons.push(id);
    }
    let (old, newer) = (salons[0], salons[1]);
    let (_, page) = org.get_text(&format!("/salons/{newer}/room")).await;
    assert!(
        page.contains("slettes")
            && page.contains("100 dage efter salonen")
            && page.contains("Hent referatet"),
        "{}",
        main_text(&page)
    );

    // A registration never confirmed (its mail is sent now), a sign-in link not used, a live
    // and an expired session.
    let visitor = app.client();
    let open = new_salon(&org, &[("title", "Åben")], true).await;
    assert_eq!(
        visitor
            .post_form(
                &format!("/salons/{open}/register"),
                &[("name", "Ny Leder"), ("email", "ny@bib.example")]
            )
            .await
            .status(),
        303
    );
    eventually("the outbox is sent", || async {
        db.count("select count(*) from outbox where status <> 'sent'")
            .await
            == 0
    })
    .await;
    let sent = db.count("select count(*) from outbox").await;
    assert!(sent > 0);
    let jens_id = app.person_id(JENS).await;
    let mut tx = app.app.db.begin().await.unwrap();
    salon::store::login_tokens::create(&mut tx, jens_id, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let jens = app.signed_in(JENS).await;
    db.set_time(
        "session",
        "expires_at",
        now - Duration::minutes(1),
        &format!("person_id = {}", app.person_id(ORGANISER).await),
    )
    .await;
    assert_eq!(jens.get("/me/export.json").await.status(), 200); // an audit row
    let sessions = db.count("select count(*) from session").await;
    let used_links = db
        .count("select count(*) from login_token where used_at is not null")
        .await;
    assert!(
        used_links >= 3
            && db
                .count("select count(*) from login_token where used_at is null")
                .await
                == 1
    );

    // A calendar reply taken in now (its record on /admin/inbox names the sender).
    let taken = salon::store::inbound::Taken {
        message_id: Some("<svar-1@mail.example>"),
        source: "http",
        sender: "lars.brandt@kb.example",
        subject: "Accepteret: Gammel salon",
        outcome: "applied",
        detail: "yes (accepted)",
        salon: None,
        person: None,
        comment: "",
    };
    salon::store::inbound::record(&app.app.db, &taken)
        .await
        .unwrap();

    // Now: the old salon's message, the expired session, the used sign-in links go.
    let first = run(&app.app.db, &policy, Utc::now()).await;
    assert_eq!(first.room_messages, 1);
    assert_eq!(first.sessions, 1);
    assert_eq!(first.sign_in_links as i64, used_links);
    assert_eq!(
        (first.mail_bodies, first.registrations, first.audit_events),
        (0, 0, 0)
    );
    assert_eq!(db.count(&format!("select count(*) from message m join room r on r.id = m.room_id where r.salon_id = {old}")).await, 0);
    assert_eq!(db.count(&format!("select count(*) from message m join room r on r.id = m.room_id where r.salon_id = {newer}")).await, 1);
    assert_eq!(db.count("select count(*) from session").await, sessions - 1);
    assert_eq!(jens.get("/me").await.status(), 200, "a live session stays");
    // Run again at once: nothing more is due.
    assert_eq!(
        run(&app.app.db, &policy, Utc::now()).await,
        Counts::default()
    );

    // Six days on: the registration is still young, the unused sign-in link (15 minutes) long
    // expired. Eight days on, the registration goes.
    let week = run(&app.app.db, &policy, Utc::now() + Duration::days(6)).await;
    assert_eq!((week.registrations, week.sign_in_links), (0, 1));
    assert_eq!(
        run(&app.app.db, &policy, Utc::now() + Duration::days(8))
            .await
            .registrations,
        1
    );
    eventually("the outbox is sent", || async {
        db.count("select count(*) from outbox where status <> 'sent'")
            .await
            == 0
    })
    .await;
    // 31 days on: sent mail keeps its row and state, not its body; sessions have ended too.
    let month = run(&app.app.db, &policy, Utc::now() + Duration::days(31)).await;
    assert_eq!(
        month.mail_bodies as i64,
        db.count("select count(*) from outbox").await
    );
    assert!(month.mail_bodies as i64 >= sent);
    assert_eq!(
        db.count("select count(*) from outbox where body_cleared_at is null")
            .await,
        0
    );
    assert_eq!(
        db.count("select count(*) from outbox where status = 'sent'")
            .await,
        db.count("select count(*) from outbox").await
    );
    assert_eq!(db.count("select count(*) from session").await, 0);
    // 60 days on, the newer salon's 100 days are over too.
    assert_eq!(
        run(&app.app.db, &policy, Utc::now() + Duration::days(60))
            .await
            .room_messages,
        1
    );
    // 90 days on, the record of inbound mail goes.
    assert_eq!(
        run(&app.app.db, &policy, Utc::now() + Duration::days(89))
            .await
            .inbound_messages,
        0
    );
    assert_eq!(
        run(&app.app.db, &policy, Utc::now() + Duration::days(91))
            .await
            .inbound_messages,
        1
    );
    assert_eq!(db.count("select count(*) from inbound_message").await, 0);
    // Two years on, the audit trail goes.
    let audit = db.count("select count(*) from audit_event").await;
    assert!(audit >= 1);
    assert_eq!(
        run(&app.app.db, &policy, Utc::now() + Duration::days(729))
            .await
            .audit_events,
        0
    );
    assert_eq!(
        run(&app.app.db, &policy, Utc::now() + Duration::days(731))
            .await
            .audit_events as i64,
        audit
    );

    // The background job ran at start and counts in /metrics.
    let (_, metrics) = app.client().get_text("/metrics").await;
    assert!(
        metrics.contains("salon_retention_deleted_total{what=\"room_messages\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("salon_retention_deleted_total{what=\"inbound_messages\"}"));
    let (_, privacy) = app.client().get_text("/privacy").await;
    assert!(
        privacy.contains("returmeldinger") && privacy.contains("90 dage"),
        "the privacy statement says how long"
    );
    app.stop().await;
}

both_backends!(retention_deletes_exactly_what_is_due);
