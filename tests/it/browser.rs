//! The whole journey in real browsers (headless Chromium through chromedriver), against a real
//! `salon serve` process and a real SMTP server, on both databases: an organiser signs in from
//! the mail, creates, publishes and invites; two leaders answer from their invitation mail, meet
//! in the room, see each other's messages live, see a hidden message disappear and get what was
//! said while one of them was away. Every kind of page is audited with axe-core (WCAG 2.1 A and
//! AA) in Danish and in English. The same journey without JavaScript, as far as it goes.
//!
//! Screenshots of the key screens are written to `target/browser/<test>/`.

use crate::common;

use std::path::Path;

use common::browser::{
    self, Browser, Setup, audit_in_every_language, bodies, link_in_mail, local_in, mark_page,
    page_was_not_reloaded, set_datetime, sign_in,
};
use common::*;
use fantoccini::key::Key;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const JENS: &str = "jens.riis@kombit.example";

async fn the_whole_journey_in_real_browsers(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        mut server,
        shots,
    } = browser::demo_stage(&db, "journey").await;
    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;

    // The organiser signs in with the link from the mail that arrived.
    organiser.goto("/login").await;
    audit_in_every_language(&organiser, "sign-in").await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    organiser.screenshot("01-signed-in").await;

    // Creates a salon; the first try has the end before the start, and the form says so.
    let title = "Browserprøve: bibliotekernes fælles prioriteter";
    organiser.goto("/salons/new").await;
    organiser.fill("#title", title).await;
    set_datetime(&organiser, "starts_at", &local_in(10)).await;
    set_datetime(&organiser, "ends_at", &local_in(-60)).await;
    organiser
        .fill("#meeting_url", "https://meet.example.org/browser")
        .await;
    organiser.fill("#capacity", "10").await;
    organiser
        .click("main form[action='/salons/new'] button[type=submit]")
        .await;
    organiser.find(".error-summary").await;
    assert!(
        organiser
            .find("#ends_at[aria-invalid='true']")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    organiser.screenshot("02-form-with-errors").await;
    organiser.audit("organiser form with errors (da)").await;
    organiser.switch_language("en").await;
    // The switch reloads the empty form; make the same mistake in English.
    organiser.fill("#title", title).await;
    set_datetime(&organiser, "starts_at", &local_in(10)).await;
    set_datetime(&organiser, "ends_at", &local_in(-60)).await;
    organiser
        .click("main form[action='/salons/new'] button[type=submit]")
        .await;
    organiser.find(".error-summary").await;
    organiser.audit("organiser form with errors (en)").await;
    organiser.switch_language("da").await;
    // Now right.
    organiser.fill("#title", title).await;
    set_datetime(&organiser, "starts_at", &local_in(10)).await;
    set_datetime(&organiser, "ends_at", &local_in(130)).await;
    organiser
        .fill("#meeting_url", "https://meet.example.org/browser")
        .await;
    organiser.fill("#capacity", "10").await;
    organiser
        .click("main form[action='/salons/new'] button[type=submit]")
        .await;
    organiser
        .wait_until("the new salon's page", || async {
            organiser.path().await.contains("done=saved")
        })
        .await;
    let path = organiser.path().await;
    let salon: i64 = path
        .trim_start_matches("/salons/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // ... publishes it ...
    organiser
        .click(&format!(
            "form[action='/salons/{salon}/publish'] button[type=submit]"
        ))
        .await;
    organiser
        .wait_until("published", || async {
            organiser.path().await.contains("done=published")
        })
        .await;
    organiser.screenshot("03-published").await;
    audit_in_every_language(&organiser, "salon page (organiser)").await;

    // ... and invites two leaders.
    organiser.goto(&format!("/salons/{salon}/invite")).await;
    audit_in_every_language(&organiser, "invitation form").await;
    organiser.fill("#pasted", &format!("{LARS}\n{JENS}")).await;
    organiser
        .click(&format!(
            "main form[action='/salons/{salon}/invite'] button[type=submit]"
        ))
        .await;
    organiser
        .wait_until("the participants page", || async {
            organiser.path().await.contains("invited=2")
        })
        .await;
    organiser.screenshot("04-invited").await;
    audit_in_every_language(&organiser, "participants").await;
    organiser.goto("/admin/outbox").await;
    audit_in_every_language(&organiser, "outbox").await;
    // Themes of the demo series: the list with its form, then a theme with the organiser's tools.
    organiser.goto("/series/1/themes").await;
    audit_in_every_language(&organiser, "themes of a series").await;
    organiser.fill("#title", "Fælles digitalt indhold").await;
    organiser
        .click("main form[action='/series/1/themes'] button[type=submit]")
        .await;
    organiser
        .wait_until("the new theme's page", || async {
            organiser.path().await.starts_with("/themes/")
        })
        .await;
    audit_in_every_language(&organiser, "theme (organiser)").await;
    // A priority round on the new salon: the form, the ballot while open, the results after.
    organiser.goto(&format!("/salons/{salon}/rounds")).await;
    audit_in_every_language(&organiser, "priority rounds").await;
    organiser.fill("#question", "Hvad prioriterer vi?").await;
    organiser
        .fill("#options", "Fælles e-bøger\nKompetencer")
        .await;
    organiser
        .click(&format!(
            "main form[action='/salons/{salon}/rounds'] button[type=submit]"
        ))
        .await;
    organiser
        .wait_until("the round's page", || async {
            organiser.path().await.contains("/rounds/")
        })
        .await;
    let round_path = organiser.path().await;
    organiser
        .click(&format!(
            "form[action='{round_path}/open'] button[type=submit]"
        ))
        .await;
    organiser.find("form.ballot").await;
    audit_in_every_language(&organiser, "priority round (ballot)").await;
    organiser.fill("form.ballot input[type=number]", "2").await;
    organiser.click("form.ballot button[type=submit]").await;
    organiser
        .wait_until("the ballot cast", || async {
            organiser.path().await.contains("done=cast")
        })
        .await;
    organiser
        .click(&format!(
            "form[action='{round_path}/close'] button[type=submit]"
        ))
        .await;
    organiser.find("table.results").await;
    audit_in_every_language(&organiser, "priority round (results)").await;
    organiser.screenshot("04b-round-results").await;
    organiser.goto(&format!("/salons/{salon}/outcomes")).await;
    organiser
        .fill("#body", "Vi køber e-bøger ind sammen.")
        .await;
    organiser
        .click(&format!(
            "form[action='/salons/{salon}/outcomes/decisions'] button[type=submit]"
        ))
        .await;
    organiser.find("#decisions + ol li").await;
    audit_in_every_language(&organiser, "decisions and actions").await;
    organiser.goto(&format!("/salons/{salon}/summary")).await;
    audit_in_every_language(&organiser, "summary preview").await;
    organiser.goto("/series/1/board").await;
    audit_in_every_language(&organiser, "strategy board").await;

    // Each leader opens the answer link from their invitation and says yes.
    let lars = Browser::start("2-lars", &server.base, &shots, Setup::default()).await;
    let jens = Browser::start("3-jens", &server.base, &shots, Setup::default()).await;
    lars.goto("/").await;
    audit_in_every_language(&lars, "front page").await;
    lars.goto(&format!("/salons/{salon}")).await;
    audit_in_every_language(&lars, "salon page (not signed in)").await;
    for (b, email) in [(&lars, LARS), (&jens, JENS)] {
        wait_for_mails_to(&mail_dir, email, 1).await;
        b.goto(&link_in_mail(&mail_dir, email, "/rsvp/")).await;
        if email == LARS {
            b.screenshot("05-rsvp-page").await;
            audit_in_every_language(b, "answer page from the mail").await;
        }
        b.click("form.answer-buttons button[value='yes']").await;
        b.find("[data-standing='yes']").await;
        b.screenshot("06-answered-yes").await;
    }
    eventually("two yes answers stored", || async {
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {salon} and response = 'yes'"
        ))
        .await
            == 2
    })
    .await;

    // Both sign in (from the mail, like the organiser) and open the room.
    sign_in(&lars, LARS, &mail_dir).await;
    sign_in(&jens, JENS, &mail_dir).await;
    let online = "Forbundet – her er nu";
    for b in [&lars, &jens] {
        b.goto(&format!("/salons/{salon}/room")).await;
        b.wait_until("the room's connection", || async {
            b.texts("#connection")
                .await
                .first()
                .is_some_and(|t| t == online)
        })
        .await;
        mark_page(b).await;
    }

    // What Lars writes appears on Jens's screen without reloading.
    let hello = "Hej fra Lars: hvad prioriterer vi først?";
    lars.fill("#body", hello).await;
    lars.click("#post button[type=submit]").await;
    jens.wait_until("Lars's message", || async {
        bodies(&jens).await.iter().any(|t| t == hello)
    })
    .await;
    assert!(
        page_was_not_reloaded(&jens).await,
        "Jens's page was not reloaded"
    );
    // The live message's time is written as the server writes it: Copenhagen time, "09.05".
    let live_time = jens
        .texts("#messages li.message .meta time")
        .await
        .last()
        .cloned()
        .unwrap();
    let expected = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen);
    let close =
        [expected, expected - chrono::Duration::minutes(1)].map(|t| t.format("%H.%M").to_string());
    assert!(
        close.contains(&live_time),
        "time {live_time:?} in Danish and in the salon's zone ({close:?})"
    );
    assert!(
        page_was_not_reloaded(&lars).await,
        "posting did not reload Lars's page"
    );
    lars.screenshot("07-room-sent").await;
    jens.screenshot("07-room-received").await;

    // The organiser hides it: it disappears for both leaders.
    organiser.goto(&format!("/salons/{salon}/room")).await;
    organiser
        .wait_until("the message in the organiser's room", || async {
            bodies(&organiser).await.iter().any(|t| t == hello)
        })
        .await;
    let hide = format!(
        "//li[contains(@class,'message')][.//p[contains(@class,'body') and .='{hello}']]//form[contains(@action,'/hide')]//button"
    );
    organiser
        .client
        .find(fantoccini::Locator::XPath(&hide))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for b in [&lars, &jens] {
        b.wait_until("the hidden message to disappear", || async {
            !bodies(b).await.iter().any(|t| t == hello)
        })
        .await;
        assert!(
            page_was_not_reloaded(b).await,
            "{}: the hide arrived live",
            b.name
        );
    }
    jens.screenshot("08-after-hide").await;

    // Jens's connection drops (he leaves the page); what is said meanwhile is there when he is back.
    jens.goto("/").await;
    let while_away = ["Mens Jens var væk: første", "Mens Jens var væk: anden"];
    for text in while_away {
        lars.fill("#body", text).await;
        lars.click("#post button[type=submit]").await;
        lars.wait_until("the message sent", || async {
            bodies(&lars).await.iter().any(|t| t == text)
        })
        .await;
    }
    jens.client.back().await.unwrap();
    jens.wait_until("the messages sent while away, once each", || async {
        let shown = bodies(&jens).await;
        while_away
            .iter()
            .all(|t| shown.iter().filter(|s| s == t).count() == 1)
    })
    .await;
    jens.wait_until("the room live again", || async {
        jens.texts("#connection")
            .await
            .first()
            .is_some_and(|t| t == online)
    })
    .await;
    // And the room is live again after the drop.
    lars.fill("#body", "Velkommen tilbage").await;
    lars.click("#post button[type=submit]").await;
    jens.wait_until("a new message after the drop", || async {
        bodies(&jens).await.iter().any(|t| t == "Velkommen tilbage")
    })
    .await;
    assert!(
        !bodies(&jens).await.iter().any(|t| t == hello),
        "the hidden message stays hidden"
    );
    jens.screenshot("09-back-after-drop").await;

    // The server crashes and comes back: both pages reconnect by themselves, and what is posted
    // afterwards reaches Jens once, with nothing lost or repeated from before.
    let before_crash = bodies(&jens).await;
    server.crash_and_restart().await;
    for b in [&lars, &jens] {
        b.wait_until("the room live again after the restart", || async {
            b.texts("#connection")
                .await
                .first()
                .is_some_and(|t| t == online)
        })
        .await;
        assert!(
            page_was_not_reloaded(b).await,
            "{}: reconnected without a reload",
            b.name
        );
    }
    lars.fill("#body", "Efter genstarten").await;
    lars.click("#post button[type=submit]").await;
    jens.wait_until("the message after the restart", || async {
        bodies(&jens).await.iter().any(|t| t == "Efter genstarten")
    })
    .await;
    let after_crash = bodies(&jens).await;
    assert_eq!(
        after_crash[..before_crash.len()],
        before_crash[..],
        "nothing lost or repeated over the restart"
    );
    assert_eq!(after_crash.len(), before_crash.len() + 1);

    // Client ids that every JavaScript object already has as a property ("constructor") still
    // arrive live: room.js keeps its own pending sends in a Map, not a plain object.
    let peer = Client::new(&server.base);
    peer.sign_in(ORGANISER, &mail_dir).await;
    for (i, client_id) in ["constructor", "toString", "hasOwnProperty"]
        .into_iter()
        .enumerate()
    {
        let text = format!("Besked med et særligt id {i}");
        let r = peer
            .post_form(
                &format!("/salons/{salon}/room/messages"),
                &[("body", &text), ("client_id", client_id)],
            )
            .await;
        assert_eq!(r.status(), 303, "posted with client_id {client_id}");
        jens.wait_until("a message with a special client id, live", || async {
            bodies(&jens).await.iter().any(|t| t == &text)
        })
        .await;
    }
    assert!(
        page_was_not_reloaded(&jens).await,
        "the special ids arrived live"
    );

    // Jens answers with the keyboard alone: type, Tab past the question box to Send, Enter.
    let by_keyboard = "Tak, godt at være tilbage";
    jens.find("#body")
        .await
        .send_keys(by_keyboard)
        .await
        .unwrap();
    for key in [Key::Tab, Key::Tab] {
        jens.client
            .active_element()
            .await
            .unwrap()
            .send_keys(&key)
            .await
            .unwrap();
    }
    let focused = jens.client.active_element().await.unwrap();
    assert_eq!(
        focused.attr("type").await.unwrap().as_deref(),
        Some("submit"),
        "Tab reaches the Send button"
    );
    focused.send_keys(&Key::Enter).await.unwrap();
    lars.wait_until("Jens's message sent by keyboard", || async {
        bodies(&lars).await.iter().any(|t| t == by_keyboard)
    })
    .await;

    // A question for the Q&A list.
    let question = "Spørgsmål: hvem betaler for det fælles indhold?";
    lars.fill("#body", question).await;
    lars.click("#question").await;
    lars.click("#post button[type=submit]").await;
    jens.wait_until("the question", || async {
        bodies(&jens).await.iter().any(|t| t == question)
    })
    .await;
    jens.goto(&format!("/salons/{salon}/room")).await;
    assert!(
        jens.texts("#questions li")
            .await
            .iter()
            .any(|t| t.contains(question)),
        "the question is in the Q&A list"
    );

    // The room with messages and a question, for a participant and for the organiser (moderation buttons, the
    // hidden message marked), audited in both languages.
    audit_in_every_language(&jens, "room (participant)").await;
    organiser.goto(&format!("/salons/{salon}/room")).await;
    organiser.find("#messages li.message.hidden").await;
    organiser.screenshot("10-room-organiser").await;
    audit_in_every_language(&organiser, "room (organiser)").await;

    for b in [organiser, lars, jens] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

/// Without JavaScript: the answer page, sign-in and the room's plain forms still work.
async fn the_journey_without_javascript(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "no-javascript").await;
    // The organiser's set-up goes through HTTP; this test is about the leader's browser.
    let organiser = Client::new(&server.base);
    organiser.sign_in(ORGANISER, &mail_dir).await;
    let fields = [
        ("title", "Salon uden JavaScript"),
        ("time_zone", "Europe/Copenhagen"),
        ("starts_at", &local_in(10)),
        ("ends_at", &local_in(130)),
        ("mode", "online"),
        ("meeting_url", "https://meet.example.org/nojs"),
        ("capacity", "10"),
        ("registration", "invitation"),
    ];
    let r = organiser.post_form("/salons/new", &fields).await;
    let salon: i64 = location(&r)
        .trim_start_matches("/salons/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        organiser
            .post_form(&format!("/salons/{salon}/publish"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        organiser
            .post_form(&format!("/salons/{salon}/invite"), &[("pasted", LARS)])
            .await
            .status(),
        303
    );

    let lars = Browser::start(
        "lars-no-js",
        &server.base,
        &shots,
        Setup {
            javascript: false,
            ..Setup::default()
        },
    )
    .await;
    wait_for_mails_to(&mail_dir, LARS, 1).await;
    lars.goto(&link_in_mail(&mail_dir, LARS, "/rsvp/")).await;
    lars.click("form.answer-buttons button[value='yes']").await;
    lars.find("[data-standing='yes']").await;
    lars.screenshot("01-answered").await;
    sign_in(&lars, LARS, &mail_dir).await;
    lars.goto(&format!("/salons/{salon}/room")).await;
    // room.js does not run: the connection line stays empty and the form posts the page.
    assert!(
        lars.texts("#connection").await.iter().all(|t| t.is_empty()),
        "no script ran"
    );
    lars.fill("#body", "Skrevet uden JavaScript").await;
    lars.click("#post button[type=submit]").await;
    lars.wait_until("the message in the reloaded page", || async {
        bodies(&lars)
            .await
            .iter()
            .any(|t| t == "Skrevet uden JavaScript")
    })
    .await;
    assert!(
        lars.path().await.contains("/room"),
        "back in the room after posting"
    );
    lars.screenshot("02-posted").await;
    // Someone else's message is there on the next load.
    let other = another_participant_posts(&organiser, &server.base, &mail_dir, JENS, salon).await;
    lars.goto(&format!("/salons/{salon}/room")).await;
    assert!(
        bodies(&lars).await.iter().any(|t| t == &other),
        "the history is rendered on the server"
    );
    // (axe-core needs JavaScript; the same pages are audited in the journey above.)
    lars.close().await;
    server.stop().await;
    smtp.stop().await;
}

/// Another participant, through HTTP: invited, answers yes, posts with the plain form.
async fn another_participant_posts(
    organiser: &Client,
    base: &str,
    mail_dir: &Path,
    email: &str,
    salon: i64,
) -> String {
    let before = mails_to(mail_dir, email).len();
    assert_eq!(
        organiser
            .post_form(&format!("/salons/{salon}/invite"), &[("pasted", email)])
            .await
            .status(),
        303
    );
    wait_for_mails_to(mail_dir, email, before + 1).await;
    let link = link_in_mail(mail_dir, email, "/rsvp/");
    let token = link
        .split("/rsvp/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let peer = Client::new(base);
    assert_eq!(
        peer.post_form(&format!("/rsvp/{token}"), &[("response", "yes")])
            .await
            .status(),
        303
    );
    peer.sign_in(email, mail_dir).await;
    let text = format!("Hilsen fra {email}");
    let r = peer
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[("body", &text), ("client_id", "peer-1")],
        )
        .await;
    assert_eq!(r.status(), 303, "posted with the plain form");
    text
}

both_backends!(
    the_whole_journey_in_real_browsers,
    the_journey_without_javascript
);
