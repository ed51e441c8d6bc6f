//! Search in a real browser (headless Chromium) against `salon serve --demo`, on both
//! databases: Lars goes to the search from the site's navigation, types "investeringsplanen"
//! (the demo's decision says "investeringsplan"), finds the decision with the word marked,
//! and follows it to the salon's outcomes. The search page, empty and with results, is audited
//! with axe-core in all five languages.
//!
//! Screenshots go to `target/browser/search-<backend>/`.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, sign_in};
use common::*;

const LARS: &str = "lars.brandt@kb.example";

async fn a_search_finds_a_decision_by_an_inflected_word(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "search").await;
    let lars = Browser::start("lars", &server.base, &shots, Setup::default()).await;
    sign_in(&lars, LARS, &mail_dir).await;
    lars.goto("/").await;
    lars.click("nav a[href='/search']").await;
    audit_in_every_language(&lars, "the search page").await;

    lars.fill("#q", "investeringsplanen").await;
    lars.click("form[role=search] button[type=submit]").await;
    lars.wait_until("the results", || async {
        !lars.texts("ol.search-results > li").await.is_empty()
    })
    .await;
    let marked = lars
        .texts("ol.search-results > li[data-kind='decision'] mark")
        .await;
    assert_eq!(marked, ["investeringsplan"], "the word is marked");
    lars.screenshot("results").await;
    audit_in_every_language(&lars, "search results").await;

    lars.click("ol.search-results > li[data-kind='decision'] a")
        .await;
    lars.wait_until("the salon's outcomes", || async {
        lars.path().await.ends_with("/outcomes")
    })
    .await;
    assert!(
        lars.main_text()
            .await
            .contains("Den fælles investeringsplan tages op på salonen om prioritering.")
    );
    lars.close().await;
    server.stop().await;
    smtp.stop().await;
}

both_backends!(a_search_finds_a_decision_by_an_inflected_word);
