//! Materials in real browsers (headless Chromium) against `salon serve --demo`, on both
//! databases: Lars, on his phone in the room of the salon running now, sees the demo's
//! pre-read in the panel; the organiser goes from the salon page to its materials, picks a ZIP
//! file in the real file chooser and is told that kind of file cannot be uploaded, then
//! uploads the day's slides, and they appear in Lars's panel without a reload. The materials
//! page is audited with axe-core in all five languages, the refusal in Danish; the room fits
//! the phone's width.
//!
//! Screenshots go to `target/browser/materials-<backend>/`.

use crate::common;

use common::browser::{
    self, Browser, Setup, audit_in_every_language, mark_page, page_was_not_reloaded, sign_in,
};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/materials/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

async fn materials_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "materials").await;
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("2-lars", &server.base, &shots, Setup::default()).await;
    lars.client.set_window_size(390, 844).await.unwrap();
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    sign_in(&lars, LARS, &mail_dir).await;
    let running = browser::demo_running_salon(&server.base).await;

    // Lars is in the room; the demo's pre-read is in the panel.
    lars.goto(&format!("/salons/{running}/room")).await;
    lars.wait_until("the room is connected", || async {
        lars.find("#connection")
            .await
            .text()
            .await
            .unwrap_or_default()
            != ""
    })
    .await;
    assert!(
        lars.texts("#room-materials li a")
            .await
            .contains(&"Forberedelse: dagens tre spørgsmål".to_string())
    );
    mark_page(&lars).await;

    // The organiser goes from the salon page to its materials.
    organiser.goto(&format!("/salons/{running}")).await;
    organiser
        .click(&format!("main a[href='/salons/{running}/materials']"))
        .await;
    audit_in_every_language(&organiser, "the materials page").await;

    // A ZIP file is refused, and the page says why.
    organiser
        .find("#file")
        .await
        .send_keys(&fixture("archive.zip"))
        .await
        .unwrap();
    organiser.select("#file-phase", "after").await;
    organiser.click("form[enctype] button[type=submit]").await;
    organiser
        .wait_until("the refusal", || async {
            organiser
                .main_text()
                .await
                .contains("Den slags fil kan ikke uploades.")
        })
        .await;
    organiser.screenshot("refused").await;
    organiser.audit("the refused upload (da)").await;

    // The slides go up.
    organiser
        .find("#file")
        .await
        .send_keys(&fixture("slides.pptx"))
        .await
        .unwrap();
    organiser.fill("#file-title", "Dagens dias").await;
    organiser.select("#file-phase", "after").await;
    organiser.click("form[enctype] button[type=submit]").await;
    organiser
        .wait_until("the upload is done", || async {
            organiser
                .main_text()
                .await
                .contains("Materialet er tilføjet.")
        })
        .await;
    assert!(organiser.main_text().await.contains("Dagens dias (PPTX"));

    // They reach Lars's panel live, under "From the salon".
    lars.wait_until("the slides in the panel", || async {
        lars.texts("#room-materials ul[data-phase='after'] li a")
            .await
            .contains(&"Dagens dias".to_string())
    })
    .await;
    assert!(page_was_not_reloaded(&lars).await);
    // The room fits the phone: its row of links to the parts wraps (it was 83 px too wide).
    assert_eq!(lars.sideways_scroll().await, 0, "no scrolling sideways");
    lars.screenshot("slides-in-the-panel").await;

    organiser.close().await;
    lars.close().await;
    server.stop().await;
    smtp.stop().await;
}

both_backends!(materials_in_real_browsers);
