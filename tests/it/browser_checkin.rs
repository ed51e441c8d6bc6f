//! The check-in at the door in a real browser (headless Chromium) on a phone's screen (390 x
//! 844), against `salon serve --demo`, on both databases: the organiser opens the demo
//! kickoff's check-in (two weeks ago in the demo, where three were checked in at the door),
//! finds Jens, who came late, by name and checks him in with one tap, and the page says so;
//! the series' participation counts Lars at two salons. Audited with axe-core in all five
//! languages.
//!
//! Screenshots go to `target/browser/checkin-<backend>/`.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;

async fn the_kickoffs_check_in_on_a_phone(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "checkin").await;
    let organiser = Browser::start("organiser", &server.base, &shots, Setup::default()).await;
    organiser.client.set_window_size(390, 844).await.unwrap();
    sign_in(&organiser, ORGANISER, &mail_dir).await;

    // The kickoff is the demo's first salon; its participants page leads to the check-in.
    organiser.goto("/salons/1/participants").await;
    organiser.click("main a[href='/salons/1/checkin']").await;
    audit_in_every_language(&organiser, "the check-in").await;
    // The demo's three who were checked in as they arrived.
    let mut door = organiser.texts("li[data-present='door'] strong").await;
    door.sort();
    assert_eq!(door, ["Birgitte Nørgaard", "Ingrid Solberg", "Lars Brandt"]);
    organiser.fill("#q", "jens").await;
    organiser
        .click("form[role=search] button[type=submit]")
        .await;
    organiser
        .wait_until("Jens is found", || async {
            organiser.main_text().await.contains("Tjek Jens Riis ind")
        })
        .await;
    organiser
        .click("li[data-person] form button[type=submit]")
        .await;
    organiser
        .wait_until("Jens is checked in", || async {
            organiser
                .main_text()
                .await
                .contains("Jens Riis er tjekket ind.")
        })
        .await;
    assert!(
        organiser
            .texts("li[data-present='door'] strong")
            .await
            .contains(&"Jens Riis".to_string()),
        "Jens among those at the door"
    );
    organiser.screenshot("checked-in").await;
    // Nothing is wider than the phone (WCAG 1.4.10: no scrolling sideways).
    assert_eq!(
        organiser.sideways_scroll().await,
        0,
        "no scrolling sideways"
    );
    audit_in_every_language(&organiser, "the check-in after a tap").await;
    // The series' participation: Lars twice (the kickoff's door, the running salon's room).
    organiser.goto("/series/1").await;
    organiser.click("main a[href='/series/1/attendance']").await;
    organiser
        .wait_until("the participation table", || async {
            organiser
                .texts("table td[data-total]")
                .await
                .contains(&"2".to_string())
        })
        .await;
    audit_in_every_language(&organiser, "the series' participation").await;

    organiser.close().await;
    server.stop().await;
    smtp.stop().await;
}

both_backends!(the_kickoffs_check_in_on_a_phone);
