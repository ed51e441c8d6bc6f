//! A proposal put to a running salon, live in its room, on both databases: it appears in the
//! panel of every socket when it is put; a stance taken from the room's plain form returns to
//! the room and reaches the others as a new tally with the reason; hidden results send only
//! how many took a stance; closing sends the outcome with the decision. Polls put to the salon
//! live the same way: a `poll` frame on put, on answers (with the counted results unless they
//! are hidden) and on close.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, Socket, connect, next_of};
use common::*;
use serde_json::Value;

/// A series with a salon running now in it, where Lars and Jens have a seat: (app, salon).
async fn running_series_salon(db: &TestDb) -> (TestApp, Client, i64, i64) {
    let app = TestApp::spawn(db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let (starts, ends) = from_now(-10);
    let salon = new_salon(
        &org,
        &[
            ("title", "Salon i gang"),
            ("series_id", &series.to_string()),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    for email in [LARS, JENS] {
        app.answer_for(
            salon,
            app.person_id(email).await,
            salon::domain::rsvp::Response::Yes,
        )
        .await;
    }
    (app, org, series, salon)
}

/// The next `proposal` frame about `id` for which `wanted` holds.
async fn proposal_frame(socket: &mut Socket, id: i64, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let f = next_of(socket, "proposal").await;
        if f["proposal"]["id"] == id && wanted(&f["proposal"]) {
            return f["proposal"].clone();
        }
    }
}

async fn put(org: &Client, series: i64, salon: i64, title: &str, hide: bool) -> i64 {
    let closes = (chrono::Utc::now() + chrono::Duration::hours(3))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let salon = salon.to_string();
    let mut fields = vec![
        ("title", title),
        ("closes_at", closes.as_str()),
        ("salon", salon.as_str()),
    ];
    if hide {
        fields.push(("hide_results", "on"));
    }
    let r = org
        .post_form(&format!("/series/{series}/proposals"), &fields)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    location(&r)
        .trim_start_matches("/proposals/")
        .parse()
        .unwrap()
}

async fn a_proposal_put_to_a_running_salon_is_live_in_its_room(db: TestDb) {
    let (app, org, series, salon) = running_series_salon(&db).await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut lars, "hello").await;
    next_of(&mut jens, "hello").await;
    let lars_http = app.signed_in(LARS).await;
    let jens_http = app.signed_in(JENS).await;

    // Put to the salon: every room of it hears, with the tally at zero.
    let p = put(&org, series, salon, "Vi deler én avislicens", false).await;
    for socket in [&mut lars, &mut jens] {
        let f = proposal_frame(socket, p, |_| true).await;
        assert_eq!(f["state"], "open");
        assert_eq!(f["title"], "Vi deler én avislicens");
        assert_eq!(f["stances"], 0);
        assert_eq!(f["tally"]["agree"], 0, "{f}");
    }
    // The room page has it in the panel, with the stance form returning to the room.
    let room = db
        .count(&format!(
            "select min(id) from room where salon_id = {salon}"
        ))
        .await;
    let (status, page) = jens_http.get_text(&format!("/salons/{salon}/room")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("id=\"proposal-{p}\"")),
        "{}",
        main_text(&page)
    );
    assert!(page.contains(&format!("action=\"/proposals/{p}/stance\"")));

    // Lars takes a stance from the room's form: back to the room, and Jens sees it live.
    let r = lars_http
        .post_form(
            &format!("/proposals/{p}/stance"),
            &[
                ("choice", "disagree"),
                ("reason", "Vi har lige forhandlet selv."),
                ("room", &room.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/salons/{salon}/room?room={room}#proposal-{p}")
    );
    let f = proposal_frame(&mut jens, p, |f| f["stances"] == 1).await;
    assert_eq!(f["tally"]["disagree"], 1, "{f}");
    assert_eq!(f["stance_list"][0]["name"], "Lars Brandt");
    assert_eq!(
        f["stance_list"][0]["reason"],
        "Vi har lige forhandlet selv."
    );
    // His reload shows his stance chosen in the panel's form.
    let (_, page) = lars_http.get_text(&format!("/salons/{salon}/room")).await;
    assert!(
        page.contains(&format!(
            "id=\"p{p}-choice-disagree\" value=\"disagree\" checked"
        )),
        "{}",
        main_text(&page)
    );

    // Hidden results: only how many, never who or what.
    let hidden = put(&org, series, salon, "Et hemmeligt forslag", true).await;
    proposal_frame(&mut jens, hidden, |_| true).await;
    let r = lars_http
        .post_form(
            &format!("/proposals/{hidden}/stance"),
            &[("choice", "block"), ("reason", "Hemmelig grund")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let f = proposal_frame(&mut jens, hidden, |f| f["stances"] == 1).await;
    assert!(f["tally"].is_null() && f["stance_list"].is_null(), "{f}");
    assert!(!f.to_string().contains("Hemmelig grund"));

    // Closed by the organiser: the outcome and the decision arrive in the room.
    let r = org
        .post_form(
            &format!("/proposals/{p}/close"),
            &[
                ("outcome", "Ikke vedtaget i år."),
                ("salon", &salon.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // (The decision is announced first, then the proposal.)
    let decision = next_of(&mut lars, "decision").await;
    assert_eq!(decision["decision"]["body"], "Ikke vedtaget i år.");
    let f = proposal_frame(&mut lars, p, |f| f["state"] == "closed").await;
    assert_eq!(f["outcome"], "Ikke vedtaget i år.");
    assert_eq!(decision["decision"]["id"], f["decision_id"]);
}

both_backends!(a_proposal_put_to_a_running_salon_is_live_in_its_room);

/// The next `poll` frame about `id` for which `wanted` holds.
async fn poll_frame(socket: &mut Socket, id: i64, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let f = next_of(socket, "poll").await;
        if f["poll"]["id"] == id && wanted(&f["poll"]) {
            return f["poll"].clone();
        }
    }
}

/// Put a poll (to the salon, or to the series when `salon` is None): its id and its options'.
async fn put_poll(
    org: &Client,
    db: &TestDb,
    series: i64,
    salon: Option<i64>,
    kind: &str,
    hide: bool,
) -> (i64, Vec<i64>) {
    let closes = (chrono::Utc::now() + chrono::Duration::hours(3))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let salon = salon.map(|s| s.to_string()).unwrap_or_default();
    let mut fields = vec![
        ("question", "Hvor holder vi kickoff?"),
        ("kind", kind),
        ("options", "Aarhus\nOslo\nStockholm"),
        ("max_score", "5"),
        ("closes_at", closes.as_str()),
        ("salon", salon.as_str()),
    ];
    if hide {
        fields.push(("hide_results", "on"));
    }
    let r = org
        .post_form(&format!("/series/{series}/polls"), &fields)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id: i64 = location(&r).trim_start_matches("/polls/").parse().unwrap();
    let first = db
        .count(&format!(
            "select min(id) from poll_option where poll_id = {id}"
        ))
        .await;
    (id, (first..first + 3).collect())
}

async fn a_poll_put_to_a_running_salon_is_live_in_its_room(db: TestDb) {
    let (app, org, series, salon) = running_series_salon(&db).await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut lars, "hello").await;
    next_of(&mut jens, "hello").await;
    let lars_http = app.signed_in(LARS).await;
    let room = db
        .count(&format!(
            "select min(id) from room where salon_id = {salon}"
        ))
        .await;

    // A poll put to the series only is not the room's; the one put to the salon is, with its
    // options and the totals at zero (the first poll frame to arrive is the salon's).
    let (series_poll, _) = put_poll(&org, &db, series, None, "single", false).await;
    let (p, options) = put_poll(&org, &db, series, Some(salon), "ranked", false).await;
    for socket in [&mut lars, &mut jens] {
        let f = next_of(socket, "poll").await["poll"].clone();
        assert_eq!(f["id"], p, "not the series' poll {series_poll}: {f}");
        assert_eq!(f["state"], "open");
        assert_eq!(f["kind"], "ranked");
        assert_eq!(f["voters"], 0);
        let labels: Vec<&str> = f["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels, ["Aarhus", "Oslo", "Stockholm"]);
        assert_eq!(f["results"][0]["total"], 0, "{f}");
    }
    // The room page has it in the panel, its answer form returning to the room.
    let (status, page) = lars_http.get_text(&format!("/salons/{salon}/room")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("id=\"poll-{p}\"")),
        "{}",
        main_text(&page)
    );
    assert!(page.contains(&format!("action=\"/polls/{p}/answer\"")));
    assert!(!page.contains(&format!("id=\"poll-{series_poll}\"")));

    // Lars ranks Oslo first and Aarhus second from the room: back to the room, and Jens sees
    // the Borda scores (2, 1, 0) live.
    let r = lars_http
        .post_form(
            &format!("/polls/{p}/answer"),
            &[
                (&*format!("option-{}", options[1]), "1"),
                (&*format!("option-{}", options[0]), "2"),
                ("room", &room.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(
        location(&r),
        format!("/salons/{salon}/room?room={room}#poll-{p}")
    );
    let f = poll_frame(&mut jens, p, |f| f["voters"] == 1).await;
    let totals: Vec<(i64, i64)> = f["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["option"].as_i64().unwrap(), r["total"].as_i64().unwrap()))
        .collect();
    assert_eq!(totals, [(options[1], 2), (options[0], 1), (options[2], 0)]);
    // His reload shows his places chosen in the panel's form.
    let (_, page) = lars_http.get_text(&format!("/salons/{salon}/room")).await;
    let oslo = page
        .split(&format!("id=\"o{}\"", options[1]))
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        oslo.contains("value=\"1\" selected"),
        "Oslo's place: {oslo}"
    );

    // Hidden results: only how many answered.
    let (hidden, h_options) = put_poll(&org, &db, series, Some(salon), "score", true).await;
    poll_frame(&mut jens, hidden, |_| true).await;
    let r = lars_http
        .post_form(
            &format!("/polls/{hidden}/answer"),
            &[(&*format!("option-{}", h_options[2]), "5")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let f = poll_frame(&mut jens, hidden, |f| f["voters"] == 1).await;
    assert!(f["results"].is_null(), "{f}");

    // Closed with an outcome: the decision, then the closed poll with it.
    let r = org
        .post_form(
            &format!("/polls/{p}/close"),
            &[
                ("outcome", "Kickoff i Oslo."),
                ("salon", &salon.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let decision = next_of(&mut lars, "decision").await;
    assert_eq!(decision["decision"]["body"], "Kickoff i Oslo.");
    let f = poll_frame(&mut lars, p, |f| f["state"] == "closed").await;
    assert_eq!(f["outcome"], "Kickoff i Oslo.");
    assert_eq!(decision["decision"]["id"], f["decision_id"]);
    // Closed, the panel has no answer form for it.
    let (_, page) = lars_http.get_text(&format!("/salons/{salon}/room")).await;
    assert!(page.contains(&format!("id=\"poll-{p}\"")));
    assert!(!page.contains(&format!("action=\"/polls/{p}/answer\"")));
}

both_backends!(a_poll_put_to_a_running_salon_is_live_in_its_room);
