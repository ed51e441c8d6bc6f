//! Proposals with consent in real browsers (headless Chromium) against `salon serve --demo`, on
//! both databases: from the series page a leader finds the demo's open proposal and its block
//! with the reason; the organiser puts a new proposal to the salon running now, and it appears
//! live in the room of Lars (on his phone) and Sofie; Lars takes a stance from the room's panel
//! and Sofie's tally moves without a reload; Jens blocks from the proposal's page (first
//! without a reason, refused with the reason asked for, then with it) and the block reaches
//! the room live; the organiser closes it with an outcome, which shows in the room and as a
//! decision of the salon. A ranked poll put to the same salon appears live in Sofie's room,
//! takes Lars' answer from its page and Sofie's from the form room.js built, and its Borda
//! scores move in place. The list, a
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
const SOFIE: &str = "sofie.aa@ddf.example";
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
    let sofie = Browser::start("4-sofie", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    sign_in(&lars, LARS, &mail_dir).await;
    sign_in(&jens, JENS, &mail_dir).await;
    sign_in(&sofie, SOFIE, &mail_dir).await;
    // The demo's salon running now, where Lars and Sofie have a seat.
    let running = browser::demo_running_salon(&server.base).await;

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

    // Lars and Sofie are in the running salon's room.
    for b in [&lars, &sofie] {
        b.goto(&format!("/salons/{running}/room")).await;
        b.wait_until("the room is connected", || async {
            b.find("#connection").await.text().await.unwrap_or_default() != ""
        })
        .await;
    }

    // The organiser puts a new proposal to the salon running now.
    organiser.goto("/series/1/proposals").await;
    audit_in_every_language(&organiser, "the series' proposals").await;
    organiser.fill("#title", PROPOSAL).await;
    organiser
        .fill("#background", "Hver kommune køber i dag sine egne.")
        .await;
    set_datetime(&organiser, "closes_at", &browser::local_in(3 * 24 * 60)).await;
    organiser.select("#salon", &running.to_string()).await;
    organiser
        .click("main form[action='/series/1/proposals'] button[type=submit]")
        .await;
    organiser
        .wait_until("the new proposal's page", || async {
            organiser.path().await.starts_with("/proposals/")
        })
        .await;
    let page = organiser.path().await;
    let id = page.trim_start_matches("/proposals/").to_string();

    // It appears in both rooms without a reload, said once in the news.
    for b in [&lars, &sofie] {
        b.wait_until("the proposal arrives in the room", || async {
            b.texts("#room-proposals h3 a")
                .await
                .iter()
                .any(|t| t == PROPOSAL)
        })
        .await;
        let news = b.find("#room-news").await.text().await.unwrap_or_default();
        assert!(news.contains(PROPOSAL), "the news: {news}");
    }
    audit_in_every_language(&sofie, "a room with a proposal").await;
    browser::mark_page(&sofie).await;

    // Lars agrees from the room's panel on his phone; Sofie's tally moves live.
    lars.click(&format!("#p{id}-choice-agree")).await;
    lars.fill(&format!("#p{id}-reason"), "Det sparer os alle penge.")
        .await;
    lars.click(&format!("#proposal-{id} form.stance button[type=submit]"))
        .await;
    sofie
        .wait_until("Lars' stance reaches Sofie's room", || async {
            sofie
                .main_text()
                .await
                .contains("Det sparer os alle penge.")
        })
        .await;
    assert!(
        browser::page_was_not_reloaded(&sofie).await,
        "live, not a reload"
    );
    lars.screenshot("room-stance").await;

    // Jens blocks from the proposal's page, first without a reason.
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
    sofie
        .wait_until("the block reaches the room", || async {
            sofie
                .texts(&format!("#proposal-{id} td[data-choice='block']"))
                .await
                == ["1"]
        })
        .await;
    audit_in_every_language(&jens, "a proposal with its tally").await;

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
    // The rooms show the outcome and the decision live.
    sofie
        .wait_until("the outcome and the decision in the room", || async {
            let text = sofie.main_text().await;
            sofie
                .texts("#decision-list li")
                .await
                .iter()
                .any(|t| t == OUTCOME)
                && text.contains("Forslaget er afgjort")
        })
        .await;
    assert!(
        browser::page_was_not_reloaded(&sofie).await,
        "live, not a reload"
    );
    sofie.screenshot("room-outcome").await;

    // Polls: the demo's closed ranked-choice poll with its Borda scores, on the phone.
    lars.goto("/series/1").await;
    lars.click("main a[href='/series/1/polls']").await;
    lars.click("main ul.proposals a").await;
    let first = lars.texts("table.poll-results tbody th").await;
    assert_eq!(
        first.first().map(String::as_str),
        Some("Fælles digitalt indhold"),
        "the demo poll's winner"
    );
    audit_in_every_language(&lars, "a closed ranked-choice poll (phone)").await;
    // The organiser puts a ranked poll to the salon running now; it appears in Sofie's room
    // without a reload. Lars ranks two options on the poll's page and the scores show.
    browser::mark_page(&sofie).await;
    organiser.goto("/series/1/polls").await;
    audit_in_every_language(&organiser, "the series' polls").await;
    organiser
        .fill("#question", "Hvor holder vi kickoff næste gang?")
        .await;
    organiser.select("#kind", "ranked").await;
    organiser.fill("#options", "Aarhus\nOslo\nStockholm").await;
    set_datetime(&organiser, "closes_at", &browser::local_in(2 * 24 * 60)).await;
    organiser.select("#salon", &running.to_string()).await;
    organiser
        .click("main form[action='/series/1/polls'] button[type=submit]")
        .await;
    organiser
        .wait_until("the new poll's page", || async {
            organiser.path().await.starts_with("/polls/")
        })
        .await;
    let poll = organiser.path().await;
    audit_in_every_language(&organiser, "an open poll with the closing form").await;
    lars.goto(&poll).await;
    let selects = lars.texts(".answer-options label").await;
    assert_eq!(selects, ["Aarhus", "Oslo", "Stockholm"]);
    let ids: Vec<String> = {
        let mut out = Vec::new();
        for e in lars
            .client
            .find_all(fantoccini::Locator::Css(".answer-options select"))
            .await
            .unwrap()
        {
            out.push(e.attr("id").await.unwrap().unwrap_or_default());
        }
        out
    };
    lars.select(&format!("#{}", ids[1]), "1").await;
    lars.select(&format!("#{}", ids[0]), "2").await;
    lars.click("form[action$='/answer'] button[type=submit]")
        .await;
    lars.wait_until("the scores show", || async {
        lars.texts("table.poll-results td[data-total]").await == ["2", "1", "0"]
    })
    .await;
    lars.screenshot("poll-answered").await;

    // Sofie's room built the poll from its frames: the news said so, and Lars' scores are in
    // her panel.
    let poll_id = poll.trim_start_matches("/polls/").to_string();
    let totals = format!("#poll-{poll_id} td[data-total]");
    sofie
        .wait_until("the poll and Lars' scores reach Sofie's room", || async {
            sofie.texts(&totals).await == ["2", "1", "0"]
        })
        .await;
    assert!(
        browser::page_was_not_reloaded(&sofie).await,
        "live, not a reload"
    );
    // She ranks Stockholm first in the form room.js built; the totals move in place.
    let places = format!("#poll-{poll_id} .answer-options select");
    let mut selects = Vec::new();
    for e in sofie
        .client
        .find_all(fantoccini::Locator::Css(&places))
        .await
        .unwrap()
    {
        selects.push(e.attr("id").await.unwrap().unwrap_or_default());
    }
    assert_eq!(selects, ids, "the same fields as the poll's page");
    sofie.select(&format!("#{}", ids[2]), "1").await;
    sofie
        .click(&format!(
            "#poll-{poll_id} form.poll-answer button[type=submit]"
        ))
        .await;
    sofie
        .wait_until("Sofie's answer counts, said in the news", || async {
            sofie.texts(&totals).await == ["2", "2", "1"]
                && sofie
                    .find("#room-news")
                    .await
                    .text()
                    .await
                    .unwrap_or_default()
                    .contains("Dit svar er gemt")
        })
        .await;
    assert!(
        browser::page_was_not_reloaded(&sofie).await,
        "answered in the background"
    );
    audit_in_every_language(&sofie, "a room with a poll").await;
    sofie.screenshot("room-poll").await;

    for b in [organiser, lars, jens, sofie] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(proposals_in_real_browsers);
