//! Strategy work live in the room, over real websocket connections on both databases: a round
//! opened by the organiser reaches everyone's room with its ballot; a ballot sent over the
//! socket is checked (each refusal names the round and stores nothing) and confirmed to the
//! voter alone; results stay hidden until closing (or arrive live when so chosen) and arrive
//! frozen at closing; themes, decisions (also from a room message) and actions appear as they
//! are recorded. With PostgreSQL, a round opened on one instance reaches a room on another.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, Socket, connect, connect_to, next_of, running_salon};
use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as Ws;

/// A draft round on the salon with three options; returns its page path, id and option ids.
async fn prepare_round(
    org: &Client,
    app: &TestApp,
    salon: i64,
    live: bool,
) -> (String, i64, Vec<i64>) {
    let mut fields = vec![
        ("question", "Hvad prioriterer vi?"),
        ("options", "Fælles e-bøger\nKompetencer\nData"),
        ("points_per_person", "5"),
        ("max_per_option", "3"),
    ];
    if live {
        fields.push(("live_results", "on"));
    }
    let r = org
        .post_form(&format!("/salons/{salon}/rounds"), &fields)
        .await;
    assert_eq!(r.status(), 303);
    let path = location(&r);
    let round: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let db = &app.app.db;
    let options = salon::store::rounds::options(db, salon::ids::RoundId(round))
        .await
        .unwrap()
        .iter()
        .map(|o| o.id.0)
        .collect();
    (path, round, options)
}

async fn ballot(socket: &mut Socket, round: i64, points: Value) {
    socket
        .send(Ws::Text(
            json!({"type": "ballot", "round": round, "points": points})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
}

/// The next frame of any of these types.
async fn next_of_any(socket: &mut Socket, kinds: &[&str]) -> Value {
    tokio::time::timeout(DEADLINE, async {
        loop {
            if let Some(Ok(Ws::Text(text))) = socket.next().await {
                let v: Value = serde_json::from_str(&text).unwrap();
                if kinds.iter().any(|k| v["type"] == *k) {
                    return v;
                }
            }
        }
    })
    .await
    .expect("a frame in time")
}

/// Results hidden: the round's frames count the ballots until `n` have voted, and never carry
/// points or voters.
async fn counted_without_points(socket: &mut Socket, n: i64) {
    loop {
        let frame = next_of(socket, "round_results").await;
        let round = &frame["round"];
        assert!(round.get("voters").is_none(), "{frame}");
        assert!(
            round["options"]
                .as_array()
                .unwrap()
                .iter()
                .all(|o| o.get("points").is_none()),
            "no points while the results are hidden: {frame}"
        );
        if round["ballots"] == n {
            return;
        }
    }
}

async fn ballots(db: &TestDb, round: i64) -> i64 {
    db.count(&format!(
        "select count(*) from ballot_point where round_id = {round}"
    ))
    .await
}

async fn a_round_opens_takes_ballots_and_closes_live_in_the_room(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let (path, round, options) = prepare_round(&org, &app, salon, false).await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut lars, "hello").await;
    next_of(&mut jens, "hello").await;

    // Opened by the organiser's button: both rooms get the ballot, without any points.
    assert_eq!(
        org.post_form(&format!("{path}/open"), &[]).await.status(),
        303
    );
    for socket in [&mut lars, &mut jens] {
        let opened = next_of(socket, "round_opened").await;
        assert_eq!(opened["round"]["id"], round);
        assert_eq!(opened["round"]["question"], "Hvad prioriterer vi?");
        assert_eq!(opened["round"]["points_per_person"], 5);
        assert_eq!(opened["round"]["options"].as_array().unwrap().len(), 3);
        assert!(
            opened["round"]["options"][0].get("points").is_none(),
            "no points while hidden"
        );
        assert!(opened["round"].get("voters").is_none());
    }

    // Refused ballots: each error frame names the round and its reason; nothing is stored.
    let (a, b, c) = (
        options[0].to_string(),
        options[1].to_string(),
        options[2].to_string(),
    );
    for (points, code) in [
        (json!({&a: 3, &b: 3}), "over_total"),
        (json!({&a: 4}), "over_max"),
        (json!({"999999": 1}), "unknown_option"),
        (json!({"nonsense": 1}), "unknown_option"),
        (json!({&a: 2.5}), "not_a_number"),
        (json!({&a: -1}), "not_a_number"),
        (json!({&a: [1]}), "not_a_number"),
    ] {
        ballot(&mut lars, round, points).await;
        let refused = next_of(&mut lars, "error").await;
        assert_eq!(refused["code"], code);
        assert_eq!(refused["round"], round);
        assert!(!refused["message"].as_str().unwrap().is_empty());
    }
    ballot(&mut lars, round + 1000, json!({&a: 1})).await;
    assert_eq!(next_of(&mut lars, "error").await["code"], "no_such_round");
    assert_eq!(
        ballots(&db, round).await,
        0,
        "nothing stored from a refused ballot"
    );

    // A good ballot: confirmed to the voter, changed later; the others see no totals yet.
    ballot(&mut lars, round, json!({&a: 3, &b: 2})).await;
    let accepted = next_of(&mut lars, "ballot_accepted").await;
    assert_eq!(accepted["round"], round);
    assert_eq!(accepted["points"], json!({&a: 3, &b: 2}));
    ballot(&mut lars, round, json!({&a: 1, &c: "3"})).await;
    assert_eq!(
        next_of(&mut lars, "ballot_accepted").await["points"],
        json!({&a: 1, &c: 3})
    );
    ballot(&mut jens, round, json!({&a: 3, &b: 0, &c: 2})).await;
    assert_eq!(
        next_of(&mut jens, "ballot_accepted").await["points"],
        json!({&a: 3, &c: 2})
    );
    // Results hidden: the room learns how many have voted, never the points.
    counted_without_points(&mut lars, 2).await;

    // Closed: everyone gets the frozen results.
    assert_eq!(
        org.post_form(&format!("{path}/close"), &[]).await.status(),
        303
    );
    for socket in [&mut lars, &mut jens] {
        let closed = next_of(socket, "round_closed").await;
        assert_eq!(closed["round"]["state"], "closed");
        assert_eq!(closed["round"]["voters"], 2);
        let points: Vec<i64> = closed["round"]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["points"].as_i64().unwrap())
            .collect();
        assert_eq!(points, vec![4, 0, 5]);
        let orgs = closed["round"]["organisations"].as_array().unwrap();
        assert_eq!(
            orgs.len(),
            2,
            "Lars's and Jens's organisations took part: {orgs:?}"
        );
    }
    ballot(&mut lars, round, json!({&b: 1})).await;
    assert_eq!(next_of(&mut lars, "error").await["code"], "not_open");
    assert_eq!(
        ballots(&db, round).await,
        4,
        "the closed round's ballots are as they were"
    );

    // The room page shows the results without JavaScript too.
    let (_, html) = app
        .signed_in(LARS)
        .await
        .get_text(&format!("/salons/{salon}/room"))
        .await;
    assert!(
        html.contains(&format!("id=\"round-{round}\"")) && html.contains("class=\"results\""),
        "results in the room page"
    );
    app.stop().await;
}

async fn live_results_arrive_while_the_round_is_open(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let (path, round, options) = prepare_round(&org, &app, salon, true).await;
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;
    assert_eq!(
        org.post_form(&format!("{path}/open"), &[]).await.status(),
        303
    );
    let opened = next_of(&mut jens, "round_opened").await;
    assert_eq!(
        opened["round"]["voters"], 0,
        "live results show from the start"
    );
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    for n in 1..=3 {
        ballot(&mut lars, round, json!({options[1].to_string(): n})).await;
        next_of(&mut lars, "ballot_accepted").await;
    }
    // The totals arrive once the ballots settle (coalesced), with the last ballot counted.
    let results = loop {
        let r = next_of(&mut jens, "round_results").await;
        if r["round"]["options"][1]["points"] == 3 {
            break r;
        }
    };
    assert_eq!(results["round"]["voters"], 1);
    assert_eq!(results["round"]["state"], "open");
    app.stop().await;
}

async fn themes_decisions_and_actions_appear_in_the_room(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    // A series made by the organiser; the running salon is put in it (set-up), so the series'
    // themes show in its room.
    let r = org
        .post_form(
            "/series/new",
            &[("title", "Samtalesaloner 2027"), ("description", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    db.execute(&format!(
        "update salon set series_id = {series} where id = {salon}"
    ))
    .await;
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;

    let lars = app.signed_in(LARS).await;
    let r = lars
        .post_form(
            &format!("/series/{series}/themes"),
            &[
                ("title", "Fælles kompetenceløft"),
                ("why", "Alle skal kunne det samme"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let theme: i64 = location(&r).rsplit('/').next().unwrap().parse().unwrap();
    let proposed = next_of(&mut jens, "theme").await;
    assert_eq!(proposed["theme"]["id"], theme);
    assert_eq!(proposed["theme"]["title"], "Fælles kompetenceløft");
    assert_eq!(proposed["theme"]["support"], 1);
    assert_eq!(
        app.signed_in(JENS)
            .await
            .post_form(&format!("/themes/{theme}/support"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(next_of(&mut jens, "theme").await["theme"]["support"], 2);

    // A message becomes a decision, linked to it.
    let mut lars_socket = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    common::room::send(
        &mut lars_socket,
        "Vi deler kursusmaterialet fra 1. marts.",
        "c-1",
    )
    .await;
    let message = next_of(&mut jens, "message").await;
    let mid = message["id"].as_i64().unwrap();
    let r = org
        .post_form(
            &format!("/salons/{salon}/room/messages/{mid}/decision"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let decision = next_of(&mut jens, "decision").await;
    assert_eq!(
        decision["decision"]["body"],
        "Vi deler kursusmaterialet fra 1. marts."
    );
    assert_eq!(decision["decision"]["message_id"], mid);
    // A leader who is not a note-taker cannot.
    assert_eq!(
        lars.post_form(
            &format!("/salons/{salon}/room/messages/{mid}/decision"),
            &[]
        )
        .await
        .status(),
        403
    );

    // An action, then marked done.
    let r = org
        .post_form(
            &format!("/salons/{salon}/outcomes/actions"),
            &[
                ("what", "Saml kursusmaterialet"),
                ("owner", LARS),
                ("due", "2027-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let action = next_of(&mut jens, "action").await;
    assert_eq!(action["action"]["what"], "Saml kursusmaterialet");
    assert_eq!(action["action"]["owner"], "Lars Brandt");
    assert_eq!(action["action"]["due"], "2027-03-01");
    assert_eq!(action["action"]["status"], "open");
    let id = action["action"]["id"].as_i64().unwrap();
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/outcomes/actions/{id}/done"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        next_of(&mut jens, "action").await["action"]["status"],
        "done"
    );
    app.stop().await;
}

/// Two instances on one PostgreSQL (this test's app and a `salon serve` process): a round
/// opened through one reaches a room connected to the other, and a ballot cast there counts.
/// PostgreSQL only: several instances are what it is for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_opened_on_one_instance_reaches_a_room_on_another() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let (path, round, options) = prepare_round(&org, &app, salon, false).await;
    let other = ServeProcess::start(&db, &[], &[]).await;
    let session = app.session_for(LARS).await;
    let mut lars = connect_to(&other.base, salon, Some(&session), None, None)
        .await
        .unwrap();
    next_of(&mut lars, "hello").await;
    assert_eq!(
        org.post_form(&format!("{path}/open"), &[]).await.status(),
        303
    );
    assert_eq!(
        next_of(&mut lars, "round_opened").await["round"]["id"],
        round
    );
    ballot(&mut lars, round, json!({options[0].to_string(): 2})).await;
    next_of(&mut lars, "ballot_accepted").await;
    assert_eq!(
        org.post_form(&format!("{path}/close"), &[]).await.status(),
        303
    );
    let closed = next_of_any(&mut lars, &["round_closed"]).await;
    assert_eq!(closed["round"]["options"][0]["points"], 2);
    other.stop().await;
    app.stop().await;
}

both_backends!(
    a_round_opens_takes_ballots_and_closes_live_in_the_room,
    live_results_arrive_while_the_round_is_open,
    themes_decisions_and_actions_appear_in_the_room,
);
