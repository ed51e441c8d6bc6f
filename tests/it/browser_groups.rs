//! Working groups in real browsers (headless Chromium) against `salon serve --demo`, on both
//! databases: the organiser turns a decision on the board into a working group (Sofie its
//! coordinator, Lars a member), Sofie posts a status update on the group's page, and Lars sees
//! it on the next salon's page under "Fra arbejdsgrupperne"; in the group's own room Sofie's
//! message reaches Lars live with its first known abbreviation marked as a reload marks it.
//! The group form, the group's page, the series' groups, the form naming what a theme
//! concerns in the field's map and the group's room are audited with axe-core (the first four
//! in all five languages).
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

const CHAT: &str = "Jeg har spurgt DDF, og DDF svarer i morgen igen.";

/// The last message's body as the page has it.
async fn body_html(b: &Browser) -> String {
    let v = b
        .client
        .execute(
            "var l = document.querySelectorAll('#messages li.message .body'); return l.length ? l[l.length - 1].innerHTML : '';",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or_default().to_string()
}

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

    // What a theme of the series concerns in the field's map: the organiser adds BibStat.
    organiser.goto(&format!("{series}/themes")).await;
    organiser.click("main a[href^='/themes/']").await;
    organiser.click("main a[href^='/concerns/theme/']").await;
    audit_in_every_language(&organiser, "what a theme concerns").await;
    organiser
        .click_xpath("//label[normalize-space()='BibStat']")
        .await;
    organiser.click("main form button[type=submit]").await;
    organiser
        .wait_until("the theme names BibStat", || async {
            organiser.path().await.starts_with("/themes/")
                && organiser
                    .texts("main .concerns a")
                    .await
                    .iter()
                    .any(|t| t == "BibStat")
        })
        .await;

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

    // The group's own room: Sofie writes, Lars sees it live, the first "DDF" on the page
    // marked as the key's abbreviation; a reload shows the same markup.
    sofie.goto(&group).await;
    sofie.click("main a[href$='/room']").await;
    let room = sofie.path().await;
    lars.goto(&room).await;
    lars.find("#messages").await;
    browser::mark_page(&lars).await;
    sofie.find("#post").await;
    sofie.fill("#body", CHAT).await;
    sofie.click("#post button[type=submit]").await;
    lars.wait_until("Sofie's message, live", || async {
        lars.texts("#messages li.message .body")
            .await
            .iter()
            .any(|t| t.contains("igen"))
    })
    .await;
    assert!(
        browser::page_was_not_reloaded(&lars).await,
        "it arrived live"
    );
    let live = body_html(&lars).await;
    assert_eq!(
        live.matches("<abbr").count(),
        1,
        "DDF marked once, live: {live}"
    );
    assert!(live.contains("href=\"/glossary#"), "{live}");
    lars.goto(&room).await;
    assert_eq!(body_html(&lars).await, live, "a reload shows the same");
    lars.audit("the group's room").await;

    for b in [organiser, sofie, lars] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(working_groups_in_real_browsers);
