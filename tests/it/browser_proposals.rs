//! Proposals with consent in real browsers (headless Chromium) against `salon serve --demo`, on
//! both databases: from the series page a leader finds the demo's open proposal and its block
//! with the reason; the organiser puts a new proposal; two leaders take stances with reasons
//! (a block without a reason is refused with the reason asked for, and then given); the
//! organiser closes it with an outcome, which shows as a decision of the salon. The list, a
//! proposal with its tally and the closing form are audited with axe-core in all five
//! languages, at a laptop's and a phone's width (the refused stance in Danish).
//!
//! Screenshots go to `target/browser/proposals-<backend>/`.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, set_datetime, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const JENS: &str = "jens.riis@kombit.example";
const PROPOSAL: &str = "Vi deler én licens til digitale aviser";
const OUTCOME: &str = "Vedtaget: sekretariatet forhandler én avislicens for alle.";

async fn proposals_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "proposals").await;
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("2-lars", &server.base, &shots, Setup::default()).await;
    // Lars is on his phone.
    lars.client.set_window_size(390, 844).await.unwrap();
    let jens = Browser::start("3-jens", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    sign_in(&lars, LARS, &mail_dir).await;
    sign_in(&jens, JENS, &mail_dir).await;

    // Lars finds the demo's proposal from the series page, with Jens' block and its reason.
    lars.goto("/series/1").await;
    lars.click("main a[href='/series/1/proposals']").await;
    lars.click("main ul.proposals a").await;
    let text = lars.main_text().await;
    assert!(
        text.contains("Blokerer") && text.contains("løber til 2029"),
        "the block and its reason: {text}"
    );
    lars.screenshot("demo-proposal").await;

    // The organiser puts a new proposal, to the salon running now.
    organiser.goto("/series/1/proposals").await;
    audit_in_every_language(&organiser, "the series' proposals").await;
    organiser.fill("#title", PROPOSAL).await;
    organiser
        .fill("#background", "Hver kommune køber i dag sine egne.")
        .await;
    set_datetime(&organiser, "closes_at", &browser::local_in(3 * 24 * 60)).await;
    organiser
        .click("main form[action='/series/1/proposals'] button[type=submit]")
        .await;
    organiser
        .wait_until("the new proposal's page", || async {
            organiser.path().await.starts_with("/proposals/")
        })
        .await;
    let page = organiser.path().await;

    // Lars agrees with a reason; Jens blocks, first without a reason.
    lars.goto(&page).await;
    lars.click("#choice-agree").await;
    lars.fill("#reason", "Det sparer os alle penge.").await;
    lars.click("form[action$='/stance'] button[type=submit]")
        .await;
    lars.wait_until("Lars' stance is shown", || async {
        lars.main_text().await.contains("Det sparer os alle penge.")
    })
    .await;
    jens.goto(&page).await;
    jens.click("#choice-block").await;
    jens.click("form[action$='/stance'] button[type=submit]")
        .await;
    jens.wait_until("the block is refused with the reason asked for", || async {
        jens.main_text()
            .await
            .contains("En blokering skal begrundes")
    })
    .await;
    // (At the form's POST address: audited in Danish; the other languages' page is below.)
    jens.audit("a stance refused").await;
    jens.click("#choice-block").await;
    jens.fill("#reason", "KOMBIT har en aftale til 2027.").await;
    jens.click("form[action$='/stance'] button[type=submit]")
        .await;
    jens.wait_until("Jens' block is shown", || async {
        jens.main_text()
            .await
            .contains("KOMBIT har en aftale til 2027.")
    })
    .await;
    let totals = jens.texts("tr[data-tally='all'] td").await;
    assert_eq!(
        totals,
        ["1", "0", "0", "1"],
        "agree, abstain, disagree, block"
    );
    audit_in_every_language(&lars, "a proposal with its tally (phone)").await;

    // The organiser closes it with an outcome: a decision of the salon running now.
    organiser.goto(&page).await;
    audit_in_every_language(&organiser, "a proposal with the closing form").await;
    organiser.fill("#outcome", OUTCOME).await;
    organiser
        .click("form[action$='/close'] button[type=submit]")
        .await;
    organiser
        .wait_until("the outcome is shown", || async {
            organiser.main_text().await.contains(OUTCOME)
        })
        .await;
    organiser.click("main a[href*='/outcomes#decision-']").await;
    organiser
        .wait_until("the decision on the salon's outcomes", || async {
            organiser.path().await.ends_with("/outcomes")
                && organiser.main_text().await.contains(OUTCOME)
        })
        .await;
    organiser.screenshot("decision").await;

    for b in [organiser, lars, jens] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(proposals_in_real_browsers);
