//! The salon as a live meeting, in real browsers (headless Chromium) against a real
//! `salon serve --demo` process and a real SMTP server, on both databases.
//!
//! 1. A message (and a question) that arrives live is the same markup, with the same controls,
//!    as the one a reload shows: for an organiser, a note-taker and a member; a hidden message
//!    too, for the organiser who keeps seeing it.
//! 2. The organiser runs the salon from the room without one reload: posts arrive with their
//!    controls, a message is hidden, one becomes a theme and one a decision (worded before it is
//!    saved), a question asked by one leader is voted up by another, a round is opened, voted
//!    by keyboard and by mouse and closed, a breakout room starts and the others see it. Every new
//!    state is audited with axe-core in all five languages, at 1280x1000 and at 390x844.
//!
//! Screenshots go to `target/browser/live-<backend>/`.

use crate::common;

use common::browser::{
    self, Browser, Setup, audit_in_every_language, mark_page, page_was_not_reloaded, sign_in,
};
use common::*;
use fantoccini::key::Key;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const SOFIE: &str = "sofie.aa@ddf.example";
const JENS: &str = "jens.riis@kombit.example";

/// An element as a comparable value: tag, attributes sorted, children (adjacent text merged).
const SHAPE: &str = r#"
    function shape(node) {
        if (node.nodeType === 3) return node.textContent;
        var attrs = Array.from(node.attributes).map(function (a) { return [a.name, a.value]; });
        attrs.sort(function (a, b) { return a[0] < b[0] ? -1 : 1; });
        var kids = [];
        node.childNodes.forEach(function (c) {
            if (c.nodeType === 8) return;
            var s = shape(c);
            if (typeof s === "string" && typeof kids[kids.length - 1] === "string") kids[kids.length - 1] += s;
            else kids.push(s);
        });
        return { tag: node.tagName, attrs: attrs, kids: kids.filter(function (k) { return k !== ""; }) };
    }
    var el = document.querySelector(arguments[0]);
    return el ? JSON.stringify(shape(el)) : null;
"#;

async fn shape_of(b: &Browser, css: &str) -> String {
    let v = b.client.execute(SHAPE, vec![css.into()]).await.unwrap();
    v.as_str()
        .unwrap_or_else(|| panic!("{css} is on the page"))
        .to_string()
}

/// A running salon of the demo series with Lars, Sofie and Jens registered, Sofie its
/// note-taker; returns the salon's id and the organiser's HTTP client.
async fn running_series_salon(
    server: &ServeProcess,
    db: &TestDb,
    mail_dir: &std::path::Path,
) -> (i64, Client) {
    let setup = Client::new(&server.base);
    setup.sign_in(ORGANISER, mail_dir).await;
    let (starts, ends) = from_now(-10);
    let salon = new_salon(
        &setup,
        &[
            ("title", "Digital salon: live"),
            ("series_id", "1"),
            // No times: the clock marks no item, the organiser moves the agenda on.
            ("agenda", "Velkomst\nFælles data\nPrioritering"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    for email in [LARS, SOFIE, JENS] {
        let id = db
            .count(&format!("select id from person where email = '{email}'"))
            .await;
        let r = setup
            .post_form(
                &format!("/salons/{salon}/participants/{id}/answer"),
                &[("response", "yes")],
            )
            .await;
        assert_eq!(r.status(), 303, "the organiser records the answer");
    }
    let r = setup
        .post_form(
            &format!("/salons/{salon}/outcomes/note-takers"),
            &[("email", SOFIE)],
        )
        .await;
    assert_eq!(r.status(), 303, "Sofie takes notes");
    (salon, setup)
}

async fn a_live_message_is_the_message_a_reload_shows_for_every_role(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "live-equal").await;
    let (salon, _setup) = running_series_salon(&server, &db, &mail_dir).await;
    let room = format!("/salons/{salon}/room");

    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let sofie = Browser::start("2-note-taker", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("3-member", &server.base, &shots, Setup::default()).await;
    let roles = [
        ("organiser", &organiser),
        ("note-taker", &sofie),
        ("member", &lars),
    ];
    for ((_, b), email) in roles.iter().zip([ORGANISER, SOFIE, LARS]) {
        sign_in(b, email, &mail_dir).await;
        b.goto(&room).await;
        b.find("#connection").await;
        b.wait_until("the room is connected", || async {
            b.find("#connection").await.text().await.unwrap_or_default() != ""
        })
        .await;
    }

    // Jens posts a question with a link and two lines, and an ordinary message, by the plain form.
    let jens = Client::new(&server.base);
    jens.sign_in(JENS, &mail_dir).await;
    let question = "Hvad gør vi med https://example.org/data?\nOg hvem betaler?";
    for (body, client_id, q) in [
        (question, "jens-q", "on"),
        ("Vi bør dele erfaringer, ikke kun data.", "jens-m", ""),
    ] {
        let mut fields = vec![("body", body), ("client_id", client_id)];
        if !q.is_empty() {
            fields.push(("question", q));
        }
        let r = jens.post_form(&format!("{room}/messages"), &fields).await;
        assert_eq!(r.status(), 303, "Jens posts");
    }
    let ids: Vec<i64> = {
        let q = db
            .count("select id from message where client_id = 'jens-q'")
            .await;
        let m = db
            .count("select id from message where client_id = 'jens-m'")
            .await;
        vec![q, m]
    };

    // The organiser hides the ordinary message while everyone watches.
    organiser
        .wait_until("the messages arrived for the organiser", || async {
            organiser.texts(&format!("#m{} .body", ids[1])).await.len() == 1
        })
        .await;
    organiser
        .click(&format!("#m{} form[action*='/hide'] button", ids[1]))
        .await;
    organiser
        .wait_until("the hidden message is marked", || async {
            organiser
                .texts(&format!("#m{}.hidden [data-part=hidden]", ids[1]))
                .await
                .len()
                == 1
        })
        .await;

    for (role, b) in roles {
        let q = format!("#m{}", ids[0]);
        let qa = format!("#questions li[data-id='{}']", ids[0]);
        b.wait_until("the question in the log and in Q&A", || async {
            b.texts(&q).await.len() == 1 && b.texts(&qa).await.len() == 1
        })
        .await;
        let mut live = vec![shape_of(b, &q).await, shape_of(b, &qa).await];
        if role == "organiser" {
            live.push(shape_of(b, &format!("#m{}", ids[1])).await);
        } else {
            b.wait_until("the hidden message is gone", || async {
                b.texts(&format!("#m{}", ids[1])).await.is_empty()
            })
            .await;
        }
        assert!(page_was_not_reloaded_yet(b).await, "{role}: arrived live");
        b.screenshot(&format!("{role}-live")).await;
        b.goto(&room).await;
        let mut reloaded = vec![shape_of(b, &q).await, shape_of(b, &qa).await];
        if role == "organiser" {
            reloaded.push(shape_of(b, &format!("#m{}", ids[1])).await);
        }
        for (l, r) in live.iter().zip(&reloaded) {
            assert_eq!(l, r, "{role}: the live item is the reloaded one");
        }
        let controls = b
            .texts(&format!(
                "#m{} .message-tools form, #m{} .message-tools summary",
                ids[0], ids[0]
            ))
            .await
            .len();
        let expected = match role {
            // Forms and the decision's summary: hide, theme, decision (summary and form), mute.
            "organiser" => 5,
            "note-taker" => 2, // the decision's summary and form
            _ => 0,
        };
        assert_eq!(controls, expected, "{role}: the controls of the role");
    }

    for b in [organiser, sofie, lars] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

/// The page has not been loaded again since the browser opened the room (no mark is set: the
/// first load is the only one, so the history is empty of these messages).
async fn page_was_not_reloaded_yet(b: &Browser) -> bool {
    let v = b
        .client
        .execute(
            "return performance.getEntriesByType('navigation').length === 1 && !!document.getElementById('message-template');",
            vec![],
        )
        .await
        .unwrap();
    v == serde_json::json!(true)
}

async fn the_organiser_runs_the_salon_from_the_room(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "live").await;
    let (salon, setup) = running_series_salon(&server, &db, &mail_dir).await;
    let room = format!("/salons/{salon}/room");
    // A draft round, to be opened from the room.
    let r = setup
        .post_form(
            &format!("/salons/{salon}/rounds"),
            &[
                ("question", "Hvad tager vi først?"),
                ("options", "Fælles data\nFælles indkøb\nFælles kompetencer"),
                ("points_per_person", "5"),
                ("max_per_option", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "the draft round");

    let organiser = Browser::start("1-organiser", &server.base, &shots, Setup::default()).await;
    let lars = Browser::start("2-lars", &server.base, &shots, Setup::default()).await;
    let sofie = Browser::start("3-sofie", &server.base, &shots, Setup::default()).await;
    for (b, email) in [(&organiser, ORGANISER), (&lars, LARS), (&sofie, SOFIE)] {
        sign_in(b, email, &mail_dir).await;
        b.goto(&room).await;
        b.wait_until("connected", || async {
            b.find("#connection").await.text().await.unwrap_or_default() != ""
        })
        .await;
        mark_page(b).await;
    }

    // Posts arrive with their controls.
    for (b, text, q) in [
        (&lars, "Skal vi ikke starte med data?", false),
        (&sofie, "Dette skal skjules.", false),
        (&lars, "Fælles lånerdata på tværs af kommuner", false),
        (&lars, "Hvem ejer de fælles data?", true),
    ] {
        b.fill("#body", text).await;
        if q {
            b.click("#question").await;
        }
        b.click("#post button[type=submit]").await;
        organiser
            .wait_until("the post reaches the organiser with its controls", || async {
                let found = organiser
                    .texts("#messages li.message")
                    .await
                    .iter()
                    .any(|t| t.contains(text));
                found
                    && organiser
                        .texts("#messages li.message:last-child .message-tools form[action*='/hide']")
                        .await
                        .len()
                        == 1
            })
            .await;
    }
    let id_of = |text: &'static str| {
        let db = &db;
        async move {
            db.count(&format!("select id from message where body = '{text}'"))
                .await
        }
    };
    let hide = id_of("Dette skal skjules.").await;
    let theme = id_of("Fælles lånerdata på tværs af kommuner").await;
    let decision = id_of("Skal vi ikke starte med data?").await;
    let question = id_of("Hvem ejer de fælles data?").await;

    // Hidden: gone for the others.
    organiser
        .click(&format!("#m{hide} form[action*='/hide'] button"))
        .await;
    lars.wait_until("the hidden message is gone", || async {
        lars.texts(&format!("#m{hide}")).await.is_empty()
    })
    .await;
    // A theme: it appears in the panel's themes.
    organiser
        .click(&format!("#m{theme} form[action*='/theme'] button"))
        .await;
    sofie
        .wait_until("the new theme in Sofie's panel", || async {
            sofie
                .texts("#theme-list li")
                .await
                .iter()
                .any(|t| t.contains("Fælles lånerdata på tværs af kommuner"))
        })
        .await;
    // A decision, worded before it is saved.
    organiser
        .click(&format!("#m{decision} .record-decision summary"))
        .await;
    let wording = format!("#record-{decision}");
    organiser.find(&wording).await.clear().await.unwrap();
    organiser
        .fill(&wording, "Vi starter med fælles data.")
        .await;
    organiser
        .click(&format!(
            "#m{decision} .record-decision button[type=submit]"
        ))
        .await;
    lars.wait_until("the worded decision in Lars's panel", || async {
        lars.texts("#decision-list li")
            .await
            .iter()
            .any(|t| t == "Vi starter med fælles data.")
    })
    .await;
    // Lars's question, voted up by Sofie: Lars sees the vote.
    sofie
        .click(&format!(
            "#questions li[data-id='{question}'] form.vote button"
        ))
        .await;
    lars.wait_until("one vote", || async {
        lars.texts(&format!("#questions li[data-id='{question}'] .votes"))
            .await
            .first()
            .is_some_and(|t| t == "1 stemme")
    })
    .await;
    organiser
        .click(&format!(
            "#questions li[data-id='{question}'] form[action*='/answered'] button"
        ))
        .await;
    sofie
        .wait_until("answered", || async {
            sofie
                .texts(&format!(
                    "#questions li.answered[data-id='{question}'] .badge"
                ))
                .await
                .len()
                == 1
        })
        .await;
    organiser.screenshot("01-moderated").await;

    // The round: opened from the panel, announced, voted by keyboard and by mouse, closed.
    organiser.click(".run-round[data-step=open] button").await;
    lars.wait_until("the ballot and the news", || async {
        !lars.texts("form.ballot").await.is_empty()
            && lars
                .texts("#room-news")
                .await
                .first()
                .is_some_and(|t| t.contains("Hvad tager vi først?"))
    })
    .await;
    lars.screenshot("02-round-open").await;
    let first = lars.find("form.ballot input[type=number]").await;
    first.click().await.unwrap();
    first.send_keys(&Key::Backspace).await.unwrap();
    first.send_keys("3").await.unwrap();
    first.send_keys(&Key::Enter).await.unwrap();
    sofie.find("form.ballot input[type=number]").await;
    sofie
        .fill("form.ballot .field-inline:nth-of-type(2) input", "5")
        .await;
    sofie.click("form.ballot button[type=submit]").await;
    for b in [&lars, &sofie] {
        b.wait_until("the ballot is saved", || async {
            b.texts(".ballot-status")
                .await
                .first()
                .is_some_and(|t| !t.is_empty() && t != "…")
        })
        .await;
    }
    // The ballot says what is left to spread, as the numbers change.
    assert_eq!(
        lars.texts("form.ballot .points-left").await,
        ["Du har 2 point tilbage."]
    );
    assert_eq!(
        sofie.texts("form.ballot .points-left").await,
        ["Du har 0 point tilbage."]
    );
    organiser.click(".run-round[data-step=close] button").await;
    lars.wait_until("the results", || async {
        lars.texts(".round-results .points").await == ["3", "5", "0"]
    })
    .await;

    // The agenda moves on from the organiser's panel.
    for step in 0..2 {
        organiser
            .click(".agenda-controls form:first-child button")
            .await;
        lars.wait_until("the agenda moved", || async {
            lars.texts("#room-agenda-list li[aria-current=true]")
                .await
                .len()
                == 1
                && lars
                    .texts("#room-agenda-list li.current")
                    .await
                    .first()
                    .is_some_and(|t| t.contains(["Velkomst", "Fælles data"][step]))
        })
        .await;
    }

    // The video meeting is one click away in the room's header.
    assert_eq!(
        lars.find(".video-link a")
            .await
            .attr("href")
            .await
            .unwrap()
            .as_deref(),
        Some("https://meet.example.org/salon")
    );

    // A breakout room: the others see it.
    organiser.fill("#room-name", "Gruppe A").await;
    organiser
        .click(&format!(
            "form[action='/salons/{salon}/rooms'] button[type=submit]"
        ))
        .await;
    sofie
        .wait_until("the breakout room", || async {
            sofie
                .texts("#room-nav a")
                .await
                .iter()
                .any(|t| t == "Gruppe A")
        })
        .await;
    sofie.screenshot("03-breakout").await;

    for b in [&organiser, &lars, &sofie] {
        assert!(
            page_was_not_reloaded(b).await,
            "the whole salon without a reload"
        );
    }
    audit_in_every_language(&organiser, "the room run by its organiser").await;
    audit_in_every_language(&lars, "the room after a round").await;
    for b in [&organiser, &lars] {
        b.client.set_window_size(390, 844).await.unwrap();
        b.goto(&room).await;
        audit_in_every_language(b, "the room on a phone").await;
    }
    lars.screenshot("04-phone").await;

    for b in [organiser, lars, sofie] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(
    a_live_message_is_the_message_a_reload_shows_for_every_role,
    the_organiser_runs_the_salon_from_the_room
);
