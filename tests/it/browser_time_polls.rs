//! A time poll in real browsers (headless Chromium) against `salon serve --demo` with a real
//! SMTP server, on both databases: the organiser offers three times from the series page's
//! form and asks three organisations; Lars, Jens and Sofie each open the link in their mail in
//! a browser that has never signed in (Sofie on her phone) and answer; the organiser sees the
//! grid with the three answers, picks the best time, and lands on the draft salon at that
//! time. The series' list with the form, the grid and the personal link's page are audited
//! with axe-core in all five languages.
//!
//! Screenshots go to `target/browser/timepolls-<backend>/`.

use chrono::{Duration, Utc};

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, link_in_mail, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LEADERS: [(&str, &str); 3] = [
    ("lars.brandt@kb.example", "KB"),
    ("jens.riis@kombit.example", "KOMBIT"),
    ("sofie.aa@ddf.example", "DDF"),
];
const TITLE: &str = "Salon om fælles licenser";

/// "YYYY-MM-DD 10:00" in Copenhagen, `days` from now.
fn at_ten(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%d 10:00")
        .to_string()
}

async fn a_time_poll_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "timepolls").await;
    let organiser = Browser::start("0-organiser", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;

    // From the series page to its time polls; the demo's poll is listed.
    organiser.goto("/series/1").await;
    organiser.click("main a[href='/series/1/timepolls']").await;
    assert!(organiser.main_text().await.contains("Salon 4"));
    audit_in_every_language(&organiser, "the series' time polls").await;

    organiser.fill("#title", TITLE).await;
    organiser.fill("#minutes", "150").await;
    let slots = [at_ten(30), at_ten(31), at_ten(37)].join("\n");
    organiser.fill("#slots", &slots).await;
    for (_, org) in LEADERS {
        organiser.click(&format!("#org-{org}")).await;
    }
    organiser
        .click("form[action='/series/1/timepolls'] button[type=submit]")
        .await;
    organiser
        .wait_until("the poll is sent", || async {
            organiser
                .main_text()
                .await
                .contains("Tidsafstemningen er sendt.")
        })
        .await;
    let poll_path = organiser.path().await;

    // Three leaders answer from their mail, never signed in.
    let answers = [
        ["yes", "maybe", "no"],
        ["no", "yes", "yes"],
        ["maybe", "yes", "no"],
    ];
    for (n, ((email, _), mine)) in LEADERS.iter().zip(answers).enumerate() {
        wait_for_mails_to(&mail_dir, email, 1).await;
        let link = link_in_mail(&mail_dir, email, "/timepolls/link/");
        let leader = Browser::start(
            &format!("{}-leader", n + 1),
            &server.base,
            &shots,
            Setup::default(),
        )
        .await;
        if n == 2 {
            leader.client.set_window_size(390, 844).await.unwrap();
        }
        leader.goto(link.trim_start_matches(&server.base)).await;
        if n == 0 {
            audit_in_every_language(&leader, "a time poll from the mail").await;
        }
        for (i, a) in mine.iter().enumerate() {
            leader
                .click(&format!(
                    "form.stacked fieldset:nth-of-type({}) input[value='{a}']",
                    i + 1
                ))
                .await;
        }
        leader.click("form.stacked button[type=submit]").await;
        leader
            .wait_until("the answers are saved", || async {
                leader.main_text().await.contains("Dine svar er gemt.")
            })
            .await;
        if n == 2 {
            assert_eq!(leader.sideways_scroll().await, 0, "fits the phone");
            leader.screenshot("answered-on-a-phone").await;
        }
        leader.close().await;
    }

    // The organiser sees who can when and picks the best time: the second (two yes, one if
    // need be).
    organiser.goto(&poll_path).await;
    let yes = organiser.texts("tbody td[data-answer='yes']").await;
    assert_eq!(yes.len(), 4, "four yes in the grid");
    assert_eq!(
        organiser.texts("tfoot td[data-best]").await,
        ["2 ja, 1 hvis nødvendigt\nBedst"]
    );
    organiser.screenshot("grid").await;
    audit_in_every_language(&organiser, "a time poll's grid").await;
    organiser
        .click("form[action$='/choose'] button[type=submit]")
        .await;
    organiser
        .wait_until("the draft salon", || async {
            organiser.path().await.starts_with("/salons/")
        })
        .await;
    let text = organiser.main_text().await;
    assert!(text.contains(TITLE), "{text}");
    let second = (Utc::now() + Duration::days(31)).with_timezone(&chrono_tz::Europe::Copenhagen);
    let day = salon::i18n::timefmt::date(&second, "da");
    assert!(
        text.contains(&format!("{day} kl. 10.00–12.30")),
        "the picked day, {day}, at 10:00 for 150 minutes: {text}"
    );
    organiser.screenshot("draft-salon").await;

    organiser.close().await;
    server.stop().await;
    smtp.stop().await;
}

both_backends!(a_time_poll_in_real_browsers);
