//! A leader's own data in a real browser (headless Chromium) against a real `salon serve`
//! process and a real SMTP server, on both databases: Lars writes in a running salon's room,
//! downloads his data from /me, and deletes his account by keyboard after confirming; Jens then
//! sees Lars's message as "Tidligere deltager"; an admin reads the audit trail. Audited with
//! axe-core in all five languages: /me, both deletion pages (fresh and not), the goodbye page,
//! /admin/audit, /privacy and /accessibility.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, backend, bodies, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const ADMIN: &str = salon::demo::ADMIN_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const JENS: &str = "jens.riis@kombit.example";

async fn a_leader_downloads_their_data_and_deletes_their_account(db: TestDb) {
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
            ("SALON_CONTROLLER", "Bibliotekernes Alliance, Aarhus"),
        ],
    )
    .await;
    let shots = browser::screenshot_dir(&format!("privacy-{}", backend(&db)));
    let setup = Client::new(&server.base);
    setup.sign_in(ORGANISER, &mail_dir).await;
    let (starts, ends) = from_now(-10);
    let salon = new_salon(
        &setup,
        &[
            ("title", "Salon om data"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    for email in [LARS, JENS] {
        let id = db
            .count(&format!("select id from person where email = '{email}'"))
            .await;
        let r = setup
            .post_form(
                &format!("/salons/{salon}/participants/{id}/answer"),
                &[("response", "yes")],
            )
            .await;
        assert_eq!(r.status(), 303, "the organiser records the answer");
    }

    // Lars writes in the room.
    let lars = Browser::start("1-lars", &server.base, &shots, Setup::default()).await;
    sign_in(&lars, LARS, &mail_dir).await;
    lars.goto(&format!("/salons/{salon}/room")).await;
    let said = "Mine data skal kunne hentes og slettes.";
    lars.fill("#body", said).await;
    lars.click("#post button[type=submit]").await;
    lars.wait_until("Lars's message", || async {
        bodies(&lars).await.iter().any(|t| t == said)
    })
    .await;

    // His data, fetched by the browser from the link on /me.
    lars.goto("/me").await;
    lars.screenshot("01-me").await;
    audit_in_every_language(&lars, "/me with my data").await;
    let href = lars
        .find("a[href='/me/export.json']")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let fetched = lars
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.json()).then(d => done(d.room_messages.map(m => m.body).concat([d.profile.email])));",
            vec![href.into()],
        )
        .await
        .unwrap();
    assert_eq!(
        fetched,
        serde_json::json!([said, LARS]),
        "the export holds his message and profile"
    );

    // Deleting: the link on /me, the page that says what happens, the box ticked by keyboard.
    lars.click("a[href='/me/delete']").await;
    lars.find("#confirm").await;
    lars.screenshot("02-delete").await;
    audit_in_every_language(&lars, "account deletion").await;
    let submit = lars
        .find("main form[action='/me/delete'] button[type=submit]")
        .await;
    submit.click().await.unwrap();
    lars.find("#confirm-error").await; // not ticked: the form says so and nothing happens
    lars.client
        .execute(
            "document.getElementById('confirm').focus(); return true;",
            vec![],
        )
        .await
        .unwrap();
    lars.client
        .active_element()
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    lars.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap(); // Enter submits the form
    lars.wait_until("the goodbye page", || async {
        lars.main_text().await.contains("Kontoen er slettet")
    })
    .await;
    lars.screenshot("03-deleted").await;
    lars.audit("goodbye page (da)").await;
    assert_eq!(
        db.count(&format!(
            "select count(*) from person where email = '{LARS}'"
        ))
        .await,
        0
    );

    // Jens sees the message, without a name; his own deletion asks for a fresh sign-in first.
    let jens = Browser::start("2-jens", &server.base, &shots, Setup::default()).await;
    sign_in(&jens, JENS, &mail_dir).await;
    jens.goto(&format!("/salons/{salon}/room")).await;
    let row = jens
        .texts("#messages li.message")
        .await
        .into_iter()
        .find(|t| t.contains(said))
        .unwrap();
    assert!(
        row.contains("Tidligere deltager") && !row.contains("Lars"),
        "{row}"
    );
    jens.screenshot("04-former-participant").await;
    db.set_time(
        "session",
        "created_at",
        chrono::Utc::now() - chrono::Duration::minutes(30),
        "true",
    )
    .await;
    jens.goto("/me/delete").await;
    assert!(jens.main_text().await.contains("logge ind igen"));
    audit_in_every_language(&jens, "deletion asking for a fresh sign-in").await;

    // The admin reads the trail; the statements are there for everyone.
    let admin = Browser::start("3-admin", &server.base, &shots, Setup::default()).await;
    sign_in(&admin, ADMIN, &mail_dir).await;
    admin.goto("/admin/audit").await;
    admin.find("tr[data-kind='account_deleted']").await;
    admin.screenshot("05-audit").await;
    audit_in_every_language(&admin, "audit trail").await;
    for path in ["/privacy", "/accessibility"] {
        admin.click(&format!("footer a[href='{path}']")).await;
        admin
            .wait_until(path, || async { admin.path().await == path })
            .await;
        audit_in_every_language(&admin, path).await;
    }
    assert!(admin.main_text().await.contains("Bibliotekernes Alliance"));

    for b in [lars, jens, admin] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(a_leader_downloads_their_data_and_deletes_their_account);
