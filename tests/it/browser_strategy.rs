//! The strategy journey in real browsers (headless Chromium through chromedriver) against a real
//! `salon serve --demo` process and a real SMTP server, on both databases: a leader proposes a
//! theme for the series and another supports it; the organiser schedules it into the next
//! salon; in that salon's room the organiser opens a priority round, the ballot appears in both
//! leaders' rooms without a reload, one votes by mouse and the other by keyboard, and the
//! results appear live when the round closes; a room message is recorded as a decision and an
//! action is given to a leader, both appearing live; when the salon has ended the summary is
//! sent and arrives by mail; the salon after it shows the open action. Every new page is audited
//! with axe-core in all five languages.
//!
//! Screenshots go to `target/browser/strategy-<backend>/`.

use crate::common;

use common::browser::{
    self, Browser, Setup, audit_in_every_language, bodies, local_in, mark_page,
    page_was_not_reloaded, sign_in,
};
use common::*;
use fantoccini::key::Key;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const SOFIE: &str = "sofie.aa@ddf.example";
const THEME: &str = "Fælles lånerdata på tværs af kommuner";
const CONNECTED: &str = "Forbundet – her er nu";

async fn the_strategy_journey_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "strategy").await;
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("2-lars", &server.base, &shots, Setup::default()).await;
    let sofie = Browser::start("3-sofie", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    sign_in(&lars, LARS, &mail_dir).await;
    sign_in(&sofie, SOFIE, &mail_dir).await;

    // The next salon of the demo series: it starts in five minutes, so its room is open.
    let setup = Client::new(&server.base);
    setup.sign_in(ORGANISER, &mail_dir).await;
    let (starts, ends) = (local_in(5), local_in(120));
    let next = new_salon(
        &setup,
        &[
            ("title", "Digital salon: fælles data"),
            ("series_id", "1"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;

    // Lars proposes a theme for the series; Sofie supports it.
    lars.goto("/series/1/themes").await;
    lars.fill("#title", THEME).await;
    lars.fill(
        "#why",
        "Så vi kan se, hvad borgerne låner, uden at hver kommune bygger sit eget.",
    )
    .await;
    lars.click("main form[action='/series/1/themes'] button[type=submit]")
        .await;
    lars.wait_until("the new theme's page", || async {
        lars.path().await.starts_with("/themes/")
    })
    .await;
    let theme_path = lars.path().await;
    audit_in_every_language(&lars, "theme (leader)").await;
    sofie.goto(&theme_path).await;
    sofie
        .click(&format!(
            "form[action='{theme_path}/support'] button[type=submit]"
        ))
        .await;
    sofie
        .find(&format!("form[action='{theme_path}/withdraw']"))
        .await;
    assert!(
        sofie.main_text().await.contains("2 støtter"),
        "two supporters now"
    );

    // The organiser schedules it into the next salon.
    organiser.goto(&theme_path).await;
    organiser.select("#salon", &next.to_string()).await;
    organiser
        .click(&format!(
            "form[action='{theme_path}/schedule'] button[type=submit]"
        ))
        .await;
    organiser
        .wait_until("scheduled", || async {
            organiser
                .main_text()
                .await
                .contains("Digital salon: fælles data")
        })
        .await;

    // Both leaders take a seat at the next salon and open its room.
    for b in [&lars, &sofie] {
        b.goto(&format!("/salons/{next}")).await;
        b.click("#response-yes").await;
        b.click(&format!(
            "form[action='/salons/{next}/rsvp'] button[type=submit]"
        ))
        .await;
        b.find("[data-standing='yes']").await;
        b.goto(&format!("/salons/{next}/room")).await;
        b.wait_until("the room's connection", || async {
            b.texts("#connection")
                .await
                .first()
                .is_some_and(|t| t == CONNECTED)
        })
        .await;
        assert!(
            b.main_text().await.contains(THEME),
            "{}: the series' themes in the room's panel",
            b.name
        );
        mark_page(b).await;
    }

    // The organiser prepares a round (the scheduled theme is among the suggested options) and opens it.
    organiser.goto(&format!("/salons/{next}/rounds")).await;
    let suggested = organiser
        .find("#options")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        suggested.contains(THEME),
        "the scheduled theme is suggested: {suggested}"
    );
    organiser
        .fill("#question", "Hvad prioriterer vi først?")
        .await;
    organiser
        .fill("#options", &format!("{THEME}\nFælles e-bøger\nKompetencer"))
        .await;
    organiser
        .click(&format!(
            "main form[action='/salons/{next}/rounds'] button[type=submit]"
        ))
        .await;
    organiser
        .wait_until("the round's page", || async {
            organiser.path().await.contains("/rounds/")
        })
        .await;
    let round_path = organiser.path().await;
    let round: i64 = round_path.rsplit('/').next().unwrap().parse().unwrap();
    organiser
        .click(&format!(
            "form[action='{round_path}/open'] button[type=submit]"
        ))
        .await;
    organiser.find("form.ballot").await;

    // The ballot appears in both rooms without a reload.
    let ballot = format!("#round-{round} form.ballot");
    for b in [&lars, &sofie] {
        b.find(&format!("{ballot} fieldset legend")).await;
        assert!(
            page_was_not_reloaded(b).await,
            "{}: the ballot arrived live",
            b.name
        );
    }
    lars.screenshot("01-ballot-in-room").await;
    let inputs = format!("{ballot} input[type=number]");

    // Lars votes with the mouse: click each field, type, click the button.
    let fields = lars
        .client
        .find_all(fantoccini::Locator::Css(&inputs))
        .await
        .unwrap();
    assert_eq!(fields.len(), 3);
    for (field, points) in fields.iter().zip(["3", "2", "0"]) {
        field.click().await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(points).await.unwrap();
    }
    lars.click(&format!("{ballot} button[type=submit]")).await;
    lars.wait_until("the ballot saved", || async {
        lars.texts(&format!("{ballot} .ballot-status"))
            .await
            .first()
            .is_some_and(|t| t.starts_with("Dine point er gemt"))
    })
    .await;

    // Sofie votes with the keyboard alone: into the first field, Tab on, Enter on the button.
    let first = sofie.find(&inputs).await;
    first.send_keys(&Key::Backspace).await.unwrap();
    first.send_keys("1").await.unwrap();
    let mut focused = sofie.client.active_element().await.unwrap();
    for points in ["1", "3"] {
        focused.send_keys(&Key::Tab).await.unwrap();
        focused = sofie.client.active_element().await.unwrap();
        // Tab selects the field's "0"; Backspace clears it either way.
        focused.send_keys(&Key::Backspace).await.unwrap();
        focused.send_keys(points).await.unwrap();
    }
    focused.send_keys(&Key::Tab).await.unwrap();
    focused = sofie.client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("type").await.unwrap().as_deref(),
        Some("submit"),
        "Tab reaches the button"
    );
    focused.send_keys(&Key::Enter).await.unwrap();
    sofie
        .wait_until("the ballot saved", || async {
            sofie
                .texts(&format!("{ballot} .ballot-status"))
                .await
                .first()
                .is_some_and(|t| t.starts_with("Dine point er gemt"))
        })
        .await;
    assert!(
        page_was_not_reloaded(&sofie).await,
        "the ballot went over the websocket"
    );
    audit_in_every_language(&sofie, "room with a ballot").await;
    sofie.goto(&format!("/salons/{next}/room")).await;
    mark_page(&sofie).await;
    assert_eq!(
        db.count(&format!(
            "select cast(sum(points) as bigint) from ballot_point where round_id = {round}"
        ))
        .await,
        10
    );

    // Closed: the results appear in both rooms, live.
    organiser
        .click(&format!(
            "form[action='{round_path}/close'] button[type=submit]"
        ))
        .await;
    for b in [&lars, &sofie] {
        b.wait_until("the results", || async {
            !b.texts(&format!("#round-{round} table.results"))
                .await
                .is_empty()
        })
        .await;
        assert!(
            page_was_not_reloaded(b).await,
            "{}: the results arrived live",
            b.name
        );
        assert!(
            b.texts(&ballot).await.is_empty(),
            "{}: the ballot is gone",
            b.name
        );
    }
    let labels = lars
        .texts(&format!("#round-{round} table.results tbody th"))
        .await;
    let points = lars
        .texts(&format!("#round-{round} table.results tbody .points"))
        .await;
    assert_eq!(labels, [THEME, "Fælles e-bøger", "Kompetencer"]);
    assert_eq!(points, ["4", "3", "3"], "the totals of both ballots");
    lars.screenshot("02-results-in-room").await;
    audit_in_every_language(&lars, "room with results").await;
    lars.goto(&format!("/salons/{next}/room")).await;
    mark_page(&lars).await;

    // A message becomes a decision; an action goes to Sofie. Both appear in Lars's room live.
    let proposal = "Vi samler lånerdata i én fælles løsning fra 2028.";
    sofie.fill("#body", proposal).await;
    sofie.click("#post button[type=submit]").await;
    // Stored and sent before the organiser opens the room, so the page renders it with the
    // organiser's buttons (a message arriving live has none until the page is loaded again).
    lars.wait_until("Sofie's message", || async {
        bodies(&lars).await.iter().any(|t| t == proposal)
    })
    .await;
    organiser.goto(&format!("/salons/{next}/room")).await;
    organiser
        .wait_until("Sofie's message", || async {
            bodies(&organiser).await.iter().any(|t| t == proposal)
        })
        .await;
    // Recording opens the decision's wording (the message's text, kept as it is here).
    let message = format!(
        "//li[contains(@class,'message')][.//p[contains(@class,'body') and .='{proposal}']]"
    );
    organiser
        .click_xpath(&format!(
            "{message}//details[contains(@class,'record-decision')]/summary"
        ))
        .await;
    organiser
        .click_xpath(&format!(
            "{message}//form[contains(@action,'/decision')]//button"
        ))
        .await;
    lars.wait_until("the decision", || async {
        lars.texts("#decision-list li")
            .await
            .iter()
            .any(|t| t == proposal)
    })
    .await;
    organiser.goto(&format!("/salons/{next}/outcomes")).await;
    organiser.fill("#what", "Oplæg om fælles lånerdata").await;
    // The owner from the salon's participants; the due date in a date field.
    organiser.select("#owner", SOFIE).await;
    browser::set_datetime(
        &organiser,
        "due",
        &(chrono::Utc::now() + chrono::Duration::days(30))
            .format("%Y-%m-%d")
            .to_string(),
    )
    .await;
    organiser
        .click(&format!(
            "form[action='/salons/{next}/outcomes/actions'] button[type=submit]"
        ))
        .await;
    organiser.find("ul.actions-list li").await;
    lars.wait_until("the action", || async {
        lars.texts("#action-list li")
            .await
            .iter()
            .any(|t| t.contains("Oplæg om fælles lånerdata") && t.contains("Sofie Aagaard"))
    })
    .await;
    assert!(
        page_was_not_reloaded(&lars).await,
        "decision and action arrived live"
    );
    lars.screenshot("03-outcomes-in-room").await;

    // The salon ends; the organiser sends its summary, which arrives by mail.
    let now = chrono::Utc::now();
    db.move_salon(
        next,
        now - chrono::Duration::minutes(20),
        now - chrono::Duration::minutes(1),
    )
    .await;
    let before = mails_to(&mail_dir, LARS).len();
    organiser.goto(&format!("/salons/{next}/summary")).await;
    // The organiser writes an introduction and previews it before sending.
    let intro = "Kære alle, tak for en god eftermiddag.";
    organiser.fill("#intro", intro).await;
    organiser.click("button[name=step][value=preview]").await;
    organiser
        .wait_until("the preview with the introduction", || async {
            organiser
                .texts(".summary .summary-intro")
                .await
                .iter()
                .any(|t| t == intro)
        })
        .await;
    organiser.click("button[name=step][value=send]").await;
    let mails = wait_for_mails_to(&mail_dir, LARS, before + 1).await;
    let summary = mails.last().unwrap().text();
    assert!(summary.contains(intro), "{summary}");
    // The HTML part, as a mail program shows it: real headings, lists and a results table.
    let html = mails.last().unwrap().html();
    let file = std::fs::canonicalize(&shots)
        .unwrap()
        .join("summary-mail.html");
    std::fs::write(&file, &html).unwrap();
    organiser
        .client
        .goto(&format!("file://{}", file.display()))
        .await
        .unwrap();
    let shape = organiser
        .client
        .execute(
            "return [document.querySelectorAll('h2').length, document.querySelectorAll('ul li').length, document.querySelectorAll('table tbody tr').length];",
            vec![],
        )
        .await
        .unwrap();
    let counts: Vec<i64> = serde_json::from_value(shape).unwrap();
    assert!(
        counts[0] >= 3 && counts[1] >= 2 && counts[2] >= 2,
        "headings, list items, result rows: {counts:?}"
    );
    organiser.screenshot("05-summary-mail").await;
    assert!(
        summary.contains(proposal)
            && summary.contains("Oplæg om fælles lånerdata")
            && summary.contains("Hvad prioriterer vi først?"),
        "{summary}"
    );
    wait_for_mails_to(&mail_dir, SOFIE, 1).await;
    organiser.goto(&format!("/salons/{next}/summary")).await;
    audit_in_every_language(&organiser, "summary (sent, with its introduction)").await;
    organiser.goto("/series/1/board").await;
    assert!(
        organiser
            .main_text()
            .await
            .contains("Oplæg om fælles lånerdata"),
        "the action on the strategy board"
    );
    audit_in_every_language(&organiser, "strategy board").await;

    // The series' salon after it shows what is still open from last time.
    let upcoming: Vec<serde_json::Value> = setup.get("/api/v1/salons").await.json().await.unwrap();
    let following = upcoming
        .iter()
        .filter(|s| s["starts_at"].as_str().unwrap() > now.to_rfc3339().as_str())
        .min_by_key(|s| s["starts_at"].as_str().unwrap().to_string())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    sofie.goto(&format!("/salons/{following}")).await;
    let section = sofie
        .find("section[aria-labelledby='last-time']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        section.contains("Oplæg om fælles lånerdata"),
        "the open action from last time: {section}"
    );
    audit_in_every_language(&sofie, "salon page with last time").await;
    sofie.screenshot("04-from-last-time").await;

    for b in [organiser, lars, sofie] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(the_strategy_journey_in_real_browsers);
