//! Joining late, in real browsers (headless Chromium) against a real `salon serve --demo`
//! process and a real SMTP server, on both databases.
//!
//! 1. A leader who never answered is invited to a salon that is running and is in its room
//!    within three clicks from the invitation mail (its "yes" link, the yes button, "Gå ind i
//!    rummet"), without a sign-in mail, and can speak there; the mail said it is running, the
//!    answer page shows the video link.
//! 2. A signed-in leader without a seat meets the room's refusal, which says why and lets them
//!    say yes and go in; where answers closed at the start, the refusal and the answer page say
//!    so and show no button that cannot work.
//! 3. The organiser's corrections of the record (the folds to reword or withdraw a decision
//!    and to change or withdraw an action), opened.
//!
//! Every state is audited with axe-core in all five languages, at 1280x1000 and 390x844.
//! Screenshots go to `target/browser/latecomer-<backend>/`.

use crate::common;

use common::browser::{self, Browser, Setup, audit_in_every_language, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const SOFIE: &str = "sofie.aa@ddf.example";
const BIRGITTE: &str = "birgitte.noergaard@cb.example";
const VIDEO: &str = "https://meet.example.org/kom-sent";

/// Audit the page as it is, in every language, on a laptop and on a phone.
async fn audit_both_sizes(b: &Browser, what: &str) {
    audit_in_every_language(b, what).await;
    b.client.set_window_size(390, 844).await.unwrap();
    audit_in_every_language(b, &format!("{what}, on a phone")).await;
    b.client.set_window_size(1280, 1000).await.unwrap();
}

/// Invite one person by the organiser's form; their invitation mail, once it has arrived.
async fn invite(
    org: &Client,
    db: &TestDb,
    mail_dir: &std::path::Path,
    salon: i64,
    email: &str,
) -> Mail {
    let id = db
        .count(&format!("select id from person where email = '{email}'"))
        .await;
    let r = org
        .post_form(
            &format!("/salons/{salon}/invite"),
            &[("person", &id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303, "{email} invited");
    wait_for_mails_to(mail_dir, email, 1)
        .await
        .into_iter()
        .find(|m| m.text().contains("/rsvp/"))
        .expect("the invitation")
}

fn yes_link(mail: &Mail) -> String {
    let text = mail.text();
    text.split_whitespace()
        .find(|w| w.contains("/rsvp/") && w.ends_with("?answer=yes"))
        .unwrap_or_else(|| panic!("a yes link in: {text}"))
        .to_string()
}

async fn a_leader_who_never_answered_joins_the_running_salon_from_the_invitation(db: TestDb) {
    if !browser::available() {
        return;
    }
    let browser::DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    } = browser::demo_stage(&db, "latecomer").await;
    let org = Client::new(&server.base);
    org.sign_in(ORGANISER, &mail_dir).await;
    let (starts, ends) = from_now(-10);
    let online = new_salon(
        &org,
        &[
            ("title", "Digital salon: kom sent"),
            ("series_id", "1"),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("meeting_url", VIDEO),
        ],
        true,
    )
    .await;

    // 1. Birgitte never answered anything: invited now, the mail says it is happening.
    let mail = invite(&org, &db, &mail_dir, online, BIRGITTE).await;
    assert!(mail.text().contains("er i gang nu"), "{}", mail.text());
    let birgitte = Browser::start("1-latecomer", &server.base, &shots, Setup::default()).await;
    let mut clicks = 0;
    birgitte.goto(&yes_link(&mail)).await;
    clicks += 1;
    let yes = "form.answer-buttons button[value='yes']";
    birgitte.find(yes).await;
    birgitte.screenshot("01-answer-page").await;
    audit_both_sizes(&birgitte, "the answer page of a running salon").await;
    birgitte.click(yes).await;
    clicks += 1;
    birgitte.find("form.join button[type=submit]").await;
    let video = birgitte.find(".video-link a").await;
    assert_eq!(video.attr("href").await.unwrap().as_deref(), Some(VIDEO));
    birgitte.screenshot("02-registered").await;
    audit_both_sizes(&birgitte, "the answer page, registered, the room open").await;
    birgitte.click("form.join button[type=submit]").await;
    clicks += 1;
    let room = format!("/salons/{online}/room");
    birgitte
        .wait_until("the room's page, after the third click", || async {
            birgitte.path().await == room
        })
        .await;
    assert!(clicks <= 3, "in the room within three clicks");
    birgitte
        .wait_until("the room is connected", || async {
            birgitte
                .find("#connection")
                .await
                .text()
                .await
                .unwrap_or_default()
                != ""
        })
        .await;
    birgitte.fill("#body", "Undskyld, jeg kommer sent.").await;
    birgitte.click("#post button[type=submit]").await;
    birgitte
        .wait_until("her message is in the room", || async {
            browser::bodies(&birgitte)
                .await
                .iter()
                .any(|b| b == "Undskyld, jeg kommer sent.")
        })
        .await;
    birgitte.screenshot("03-in-the-room").await;
    // The room's header has the video link too.
    let header_video = birgitte
        .find("header .video-link a, .video-link a.button")
        .await;
    assert_eq!(
        header_video.attr("href").await.unwrap().as_deref(),
        Some(VIDEO)
    );
    audit_both_sizes(&birgitte, "the room, entered from the invitation").await;

    // 2. Lars is signed in but has no seat: the refusal says why and lets him in.
    let lars = Browser::start("2-no-seat", &server.base, &shots, Setup::default()).await;
    sign_in(&lars, LARS, &mail_dir).await;
    lars.goto(&format!("/salons/{online}/room")).await;
    let say_yes = "main form[action='/salons/{online}/rsvp'] button[type=submit]";
    let say_yes = say_yes.replace("{online}", &online.to_string());
    let say_yes = say_yes.as_str();
    lars.find(say_yes).await;
    lars.screenshot("04-refused-answers-open").await;
    audit_both_sizes(&lars, "the room's refusal, answers open").await;
    lars.click(say_yes).await;
    lars.find("#body").await;
    lars.wait_until("the room's page", || async {
        lars.path().await == format!("/salons/{online}/room")
    })
    .await;

    // Where answers closed at the start (in person), nothing offers what cannot work.
    let in_person = new_salon(
        &org,
        &[
            ("title", "Salon i Aarhus"),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("mode", "in_person"),
            ("meeting_url", ""),
            ("address", "Dokk1, Aarhus"),
        ],
        true,
    )
    .await;
    lars.goto(&format!("/salons/{in_person}/room")).await;
    assert!(
        lars.main_text().await.contains("Skriv til arrangørerne"),
        "{}",
        lars.main_text().await
    );
    assert!(
        lars.texts("main form[action$='/rsvp'] button")
            .await
            .is_empty()
    );
    audit_both_sizes(&lars, "the room's refusal, answers closed").await;
    let mail = invite(&org, &db, &mail_dir, in_person, SOFIE).await;
    birgitte.goto(&yes_link(&mail)).await;
    birgitte.find("main p.notice").await;
    assert!(
        birgitte.texts("form.answer-buttons").await.is_empty(),
        "no answer buttons once answers closed"
    );
    birgitte.screenshot("05-answers-closed").await;
    audit_both_sizes(&birgitte, "the answer page, answers closed").await;

    // 3. The organiser's corrections of the record, opened.
    let base = format!("/salons/{online}/outcomes");
    let r = org
        .post_form(
            &format!("{base}/decisions"),
            &[("body", "Vi tager det op igen næste gang.")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = org
        .post_form(
            &format!("{base}/actions"),
            &[("what", "Send referatet"), ("owner", LARS)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let organiser = Browser::start("3-organiser", &server.base, &shots, Setup::default()).await;
    sign_in(&organiser, ORGANISER, &mail_dir).await;
    organiser.goto(&base).await;
    let opened = organiser
        .client
        .execute(
            "const folds = document.querySelectorAll('main details');
             folds.forEach(d => d.open = true);
             return folds.length;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        opened.as_u64().unwrap_or(0) >= 2,
        "folds to correct the decision and the action: {opened}"
    );
    organiser.screenshot("06-corrections-open").await;
    // A language switch reloads the page: the folds are opened again in each language.
    for lang in ["da", "nb", "sv", "fi", "en"] {
        if lang != "da" {
            organiser.switch_language(lang).await;
        }
        for (w, h) in [(1280, 1000), (390, 844)] {
            organiser.client.set_window_size(w, h).await.unwrap();
            organiser
                .client
                .execute(
                    "document.querySelectorAll('main details').forEach(d => d.open = true); return true;",
                    vec![],
                )
                .await
                .unwrap();
            organiser
                .audit(&format!("the corrections, opened ({lang}, {w}px)"))
                .await;
        }
        organiser.client.set_window_size(1280, 1000).await.unwrap();
    }
    organiser.switch_language("da").await;

    for b in [birgitte, lars, organiser] {
        b.close().await;
    }
    server.stop().await;
    smtp.stop().await;
}

both_backends!(a_leader_who_never_answered_joins_the_running_salon_from_the_invitation);
