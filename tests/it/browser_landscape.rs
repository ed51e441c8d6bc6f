//! The field's landscape in real browsers (headless Chromium) against `salon serve --demo`, on
//! both databases: the organiser adds a service with a renegotiation date from the form (first
//! with the end before the start, refused and said so), and names Sofie of the owning
//! organisation its steward; Sofie moves its end, and the item's history says she did; Lars
//! reads the roadmap on his phone, where the service is drawn and its dates are in the table,
//! and nothing scrolls sideways; the organisations' pages. The list, the form, an item, the
//! roadmap and the organisations' pages are audited with axe-core in all five languages.
//!
//! Screenshots go to `target/browser/landscape-<backend>/`.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, set_datetime, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const SOFIE: &str = "sofie.aa@ddf.example";
const SERVICE: &str = "Fælles formidlingsplatform";

async fn the_landscape_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "landscape").await;
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let sofie = Browser::start("2-sofie", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("3-lars", &server.base, &shots, Setup::default()).await;
    lars.client.set_window_size(390, 844).await.unwrap();
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    sign_in(&sofie, SOFIE, &mail_dir).await;
    sign_in(&lars, LARS, &mail_dir).await;

    // From the navigation to the landscape: the demo's items are there.
    organiser.goto("/").await;
    organiser.click("nav a[href='/landscape']").await;
    organiser
        .wait_until("the landscape", || async {
            organiser.main_text().await.contains("Brønden")
        })
        .await;
    audit_in_every_language(&organiser, "the landscape").await;
    organiser.click("main a[href='/landscape/new']").await;
    organiser
        .wait_until("the form", || async {
            organiser.path().await == "/landscape/new"
        })
        .await;
    audit_in_every_language(&organiser, "a new landscape item").await;
    organiser.fill("#name", SERVICE).await;
    organiser.fill("#abbreviation", "FFP").await;
    organiser.select("#kind", "service").await;
    organiser.select("#owner", "DDF").await;
    organiser
        .fill(
            "#description",
            "Bibliotekernes fælles platform til formidling af arrangementer.",
        )
        .await;
    organiser.click("#countries-DK").await;
    organiser.click("#users-KB").await;
    organiser.fill("#amount", "2.750.000").await;
    organiser.select("#currency", "DKK").await;
    set_datetime(&organiser, "starts_on", "2026-01-01").await;
    set_datetime(&organiser, "ends_on", "2025-12-31").await;
    set_datetime(&organiser, "renegotiate_on", "2028-03-01").await;
    organiser.click("main form button[type=submit]").await;
    organiser
        .wait_until("the end before the start is refused", || async {
            organiser
                .main_text()
                .await
                .contains("Slutdatoen ligger før startdatoen.")
        })
        .await;
    organiser.audit("a refused landscape item").await;
    // What was typed is kept; the end is put right.
    assert_eq!(
        organiser
            .find("#name")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default(),
        SERVICE
    );
    set_datetime(&organiser, "ends_on", "2028-12-31").await;
    organiser.click("main form button[type=submit]").await;
    organiser
        .wait_until("the new item's page", || async {
            organiser
                .main_text()
                .await
                .contains("2.750.000 DKK om året")
        })
        .await;
    let item = organiser.path().await;
    audit_in_every_language(&organiser, "a landscape item").await;

    // The organiser names Sofie (DDF) its steward.
    organiser
        .click(&format!("main a[href='{item}/edit']"))
        .await;
    organiser.click("#stewards input[type=checkbox]").await;
    organiser.click("main form button[type=submit]").await;
    organiser
        .wait_until("Sofie is its steward", || async {
            organiser.main_text().await.contains("Sofie Aagaard")
        })
        .await;

    // Sofie moves its end a year on; the history says she did.
    sofie.goto(&item).await;
    sofie.click(&format!("main a[href='{item}/edit']")).await;
    assert!(
        sofie
            .main_text()
            .await
            .contains("Du er ansvarlig for dette punkt"),
        "the steward's note"
    );
    set_datetime(&sofie, "ends_on", "2029-12-31").await;
    sofie.click("main form button[type=submit]").await;
    sofie
        .wait_until("Sofie's change is in the history", || async {
            sofie.main_text().await.contains("Sofie Aagaard: slut")
        })
        .await;
    sofie.screenshot("item-changed").await;

    // Lars reads the roadmap on his phone.
    lars.goto("/landscape").await;
    lars.click("main a[href='/landscape/roadmap']").await;
    lars.wait_until("the roadmap's table has the service", || async {
        lars.texts("#roadmap-table th a")
            .await
            .iter()
            .any(|t| t == &format!("{SERVICE} (FFP)"))
    })
    .await;
    let row = lars
        .texts(&format!(
            "#roadmap-table tr[data-item='{}'] td",
            item.trim_start_matches("/landscape/")
        ))
        .await;
    assert_eq!(row, ["DDF", "01.01.2026", "01.03.2028", "31.12.2029"]);
    assert_eq!(lars.sideways_scroll().await, 0, "no scrolling sideways");
    lars.screenshot("roadmap-phone").await;
    audit_in_every_language(&lars, "the roadmap (phone)").await;
    // An item whose texts name known abbreviations: the first of each is an <abbr> with its
    // expansion (read on hover and by screen readers) in a link to the key.
    lars.goto("/landscape?owner=KOMBIT").await;
    lars.click("main table a[href^='/landscape/']").await;
    lars.wait_until("an item with an abbreviation marked", || async {
        !lars.texts("main abbr[title]").await.is_empty()
    })
    .await;
    let abbr = lars.find("main abbr[title]").await;
    let title = abbr.attr("title").await.unwrap().unwrap_or_default();
    let text = abbr.text().await.unwrap_or_default();
    assert!(
        !title.is_empty() && title != text,
        "{text} stands for {title}"
    );
    lars.click("main a.abbr").await;
    lars.wait_until("the key to the abbreviations", || async {
        lars.path().await == "/glossary"
    })
    .await;
    audit_in_every_language(&lars, "the key to the abbreviations").await;
    lars.goto("/organisations").await;
    audit_in_every_language(&lars, "the organisations").await;
    lars.click("main a[href='/organisations/DDF']").await;
    lars.wait_until("DDF's page", || async {
        lars.main_text().await.contains(SERVICE)
    })
    .await;
    audit_in_every_language(&lars, "an organisation").await;

    for b in [organiser, sofie, lars] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(the_landscape_in_real_browsers);
