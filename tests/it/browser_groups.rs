//! Working groups in real browsers (headless Chromium) against `salon serve --demo`, on both
//! databases: the organiser turns a decision on the board into a working group (Sofie its
//! coordinator, Lars a member), Sofie posts a status update on the group's page, and Lars sees
//! it on the next salon's page under "Fra arbejdsgrupperne". The group form, the group's page
//! and the series' groups are audited with axe-core in all five languages.
//!
//! Screenshots go to `target/browser/groups-<backend>/`.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const SOFIE: &str = "sofie.aa@ddf.example";
const GROUP: &str = "Formidlingsgruppen";
const UPDATE: &str = "Vi har samlet fem kommuners erfaringer og mangler kun Norge.";

async fn working_groups_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "groups").await;
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let sofie = Browser::start("2-sofie", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("3-lars", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    sign_in(&sofie, SOFIE, &mail_dir).await;
    sign_in(&lars, LARS, &mail_dir).await;

    // From the running salon to its series' board, and a decision there to a new group.
    let running = browser::demo_running_salon(&server.base).await;
    organiser.goto(&format!("/salons/{running}")).await;
    organiser.click("main p.kicker a").await;
    let series = organiser.path().await;
    organiser
        .click(&format!("main a[href='{series}/board']"))
        .await;
    organiser
        .click("main a[href*='/groups/new?decision=']")
        .await;
    organiser
        .wait_until("the group form, from the decision", || async {
            organiser
                .path()
                .await
                .starts_with(&format!("{series}/groups/new?decision="))
        })
        .await;
    audit_in_every_language(&organiser, "a new working group").await;
    organiser.fill("#name", GROUP).await;
    organiser
        .click_xpath("//label[normalize-space()='Sofie Aagaard (DDF)']")
        .await;
    organiser
        .click_xpath("//label[normalize-space()='Lars Brandt (KB)']")
        .await;
    organiser
        .click_xpath("//select[@id='coordinator']/option[normalize-space()='Sofie Aagaard (DDF)']")
        .await;
    organiser.click("main form button[type=submit]").await;
    organiser
        .wait_until("the group's page", || async {
            organiser.path().await.starts_with("/groups/")
                && organiser.main_text().await.contains(GROUP)
        })
        .await;
    let group = organiser.path().await;
    let text = organiser.main_text().await;
    assert!(
        text.contains("Nedsat for at føre beslutningen ud i livet"),
        "the decision it carries out: {text}"
    );
    audit_in_every_language(&organiser, "a working group").await;

    // Sofie finds it among the series' groups and says how it stands.
    sofie.goto(&format!("{series}/groups")).await;
    audit_in_every_language(&sofie, "the series' working groups").await;
    sofie
        .click_xpath(&format!("//main//a[normalize-space()='{GROUP}']"))
        .await;
    sofie
        .wait_until("the group's page", || async { sofie.path().await == group })
        .await;
    sofie.select("#status", "at_risk").await;
    sofie.fill("#body", UPDATE).await;
    sofie
        .click("main form[action$='/updates'] button[type=submit]")
        .await;
    sofie
        .wait_until("her update on the page", || async {
            sofie.main_text().await.contains(UPDATE)
        })
        .await;
    sofie.screenshot("update-posted").await;

    // Lars opens the next salon: the group reports there.
    lars.goto(&series).await;
    lars.click_xpath("//main//a[contains(., 'Digitalt indhold og funktioner')]")
        .await;
    lars.wait_until("the next salon hears from the group", || async {
        let text = lars.main_text().await;
        text.contains("Fra arbejdsgrupperne") && text.contains(UPDATE)
    })
    .await;
    lars.screenshot("next-salon").await;
    lars.audit("the next salon with the groups' reports").await;

    for b in [organiser, sofie, lars] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(working_groups_in_real_browsers);
