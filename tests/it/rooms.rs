//! Live rooms with real websocket clients (tokio-tungstenite), on both databases: order and
//! completeness with several senders, reconnect with after=, duplicate client_id, a lagging
//! client, who may enter, escaping, Q&A votes, moderation, the plain-form fallback and the
//! transcript.

use crate::common;

use std::collections::BTreeSet;

use common::room::*;
use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as Ws;

async fn several_senders_and_everyone_gets_every_message_in_order(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut watcher = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    let hello = next_of(&mut watcher, "hello").await;
    assert_eq!(hello["me"]["name"], "Mette Sekretariat");
    let mut senders = Vec::new();
    for email in [LARS, JENS, ORGANISER] {
        let mut s = connect(&app, salon, Some(email), None, None).await.unwrap();
        next_of(&mut s, "hello").await;
        senders.push((email, s));
    }
    let per_sender = 25;
    let mut tasks = Vec::new();
    for (email, mut s) in senders {
        tasks.push(tokio::spawn(async move {
            for i in 0..per_sender {
                send(
                    &mut s,
                    &format!("{email} #{i}"),
                    &format!("{}-{i}", email.split('@').next().unwrap().replace('.', "-")),
                )
                .await;
            }
            let got = collect(&mut s, 3 * per_sender).await;
            (email, got)
        }));
    }
    let all = collect(&mut watcher, 3 * per_sender).await;
    let order = ids(&all);
    assert_eq!(
        order,
        (1..=75).collect::<Vec<i64>>(),
        "ids rise strictly, none missing"
    );
    for task in tasks {
        let (email, got) = task.await.unwrap();
        assert_eq!(ids(&got), order, "{email} saw the same order");
        // Each sender's own messages arrive in the order sent.
        let mine: Vec<String> = got
            .iter()
            .filter(|m| m["body"].as_str().unwrap().starts_with(email))
            .map(|m| m["body"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            mine,
            (0..per_sender)
                .map(|i| format!("{email} #{i}"))
                .collect::<Vec<_>>()
        );
    }
    assert_eq!(db.count("select count(*) from message").await, 75);
    app.stop().await;
}

async fn a_reconnect_with_after_gets_exactly_the_missed_messages(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    for i in 0..5 {
        send(&mut jens, &format!("før {i}"), &format!("before-{i}")).await;
    }
    let seen = collect(&mut lars, 5).await;
    let last = seen.last().unwrap()["id"].as_i64().unwrap();
    lars.close(None).await.unwrap();
    for i in 0..7 {
        send(&mut jens, &format!("mens {i}"), &format!("while-{i}")).await;
    }
    collect(&mut jens, 12).await;
    let mut again = connect(&app, salon, Some(LARS), Some(last), None)
        .await
        .unwrap();
    let missed = collect(&mut again, 7).await;
    assert_eq!(ids(&missed), (last + 1..=last + 7).collect::<Vec<i64>>());
    assert_eq!(missed[0]["body"], "mens 0");
    // And live again afterwards, nothing twice.
    send(&mut jens, "efter", "after-1").await;
    let next = next_of(&mut again, "message").await;
    assert_eq!(next["id"], last + 8);
    // Without after=: the latest messages.
    let mut fresh = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let latest = collect(&mut fresh, 13).await;
    assert_eq!(ids(&latest), (1..=13).collect::<Vec<i64>>());
    app.stop().await;
}

async fn the_same_client_id_twice_is_one_message_and_both_senders_get_it(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut first = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut second = connect(&app, salon, Some(LARS), None, None).await.unwrap(); // Lars's phone
    send(&mut first, "hej", "c-1").await;
    send(&mut second, "hej", "c-1").await;
    send(&mut first, "hej", "c-1").await;
    let a = next_of(&mut first, "message").await;
    let b = next_of(&mut second, "message").await;
    assert_eq!(a["id"], b["id"]);
    assert_eq!(a["client_id"], "c-1");
    // A later message from the first socket: once it is back, its earlier resend was handled.
    send(&mut first, "efter", "c-2").await;
    while next_of(&mut first, "message").await["client_id"] != "c-2" {}
    assert_eq!(
        db.count("select count(*) from message").await,
        2,
        "c-1 once, and c-2"
    );
    app.stop().await;
}

async fn a_lagging_client_still_gets_every_message_and_every_hide(db: TestDb) {
    const PER_SENDER: i64 = 20;
    const ALL: i64 = 3 * PER_SENDER;
    // A broadcast buffer of 2 events: anyone not keeping up must resync from the database.
    let (app, salon) = running_salon(&db, "2").await;
    let mut slow = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    next_of(&mut slow, "hello").await;
    let padding = "x".repeat(200);
    let mut tasks = Vec::new();
    for (n, email) in [JENS, ORGANISER, JENS].into_iter().enumerate() {
        let mut s = connect(&app, salon, Some(email), None, None).await.unwrap();
        let padding = padding.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..PER_SENDER {
                send(&mut s, &format!("{n}-{i} {padding}"), &format!("s{n}-{i}")).await;
            }
            s
        }));
    }
    // Keep the senders' sockets open: closing a socket with unread frames resets it, and the
    // server would lose what it had not read yet.
    let mut senders = Vec::new();
    for t in tasks {
        senders.push(t.await.unwrap());
    }
    eventually("all stored", || async {
        db.count("select count(*) from message").await == ALL
    })
    .await;
    // The organiser hides message 7, then five more arrive: with a buffer of two events, the
    // hide leaves the buffer at once. (Whether this connection's task falls behind at that
    // moment depends on scheduling, as the kernel buffers what the client does not read yet;
    // what a connection that fell behind is sent again is unit-tested in `rooms::recent`.)
    let hide = json!({"type": "hide", "id": 7}).to_string();
    senders[1].send(Ws::Text(hide.into())).await.unwrap();
    eventually("7 hidden", || async {
        db.count("select count(*) from message where hidden and id = 7")
            .await
            == 1
    })
    .await;
    for i in 0..5 {
        send(&mut senders[0], &format!("late-{i}"), &format!("late-{i}")).await;
    }
    eventually("all stored", || async {
        db.count("select count(*) from message").await == ALL + 5
    })
    .await;
    // Only now does the slow client read: every message but the hidden one, none twice, and if
    // it had message 7 before the hide, it is told about the hide.
    let mut got: Vec<Value> = Vec::new();
    let mut saw_seven = false;
    let mut seven_hidden = false;
    tokio::time::timeout(DEADLINE, async {
        while (got.len() as i64) < ALL + 4 || (saw_seven && !seven_hidden) {
            let frame = slow.next().await.expect("open").expect("a frame");
            let Ws::Text(text) = frame else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            match v["type"].as_str() {
                Some("message") if v["id"] == 7 => saw_seven = true,
                Some("message") => {
                    assert!(
                        got.iter().all(|g| g["id"] != v["id"]),
                        "duplicate message {}",
                        v["id"]
                    );
                    got.push(v);
                }
                Some("hide") if v["id"] == 7 => seven_hidden = true,
                _ => {}
            }
        }
    })
    .await
    .expect("every message and the hide in time");
    let want: Vec<i64> = (1..=ALL + 5).filter(|id| *id != 7).collect();
    assert_eq!(ids(&got), want);
    let bodies: BTreeSet<String> = got
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(bodies.len() as i64, ALL + 4);
    let metrics = app.client().get_text("/metrics").await.1;
    eprintln!(
        "resyncs: {:?}",
        metrics
            .lines()
            .find(|l| l.starts_with("salon_room_resyncs_total"))
    );
    app.stop().await;
}

async fn only_registered_people_and_organisers_may_enter(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    assert_eq!(
        connect(&app, salon, None, None, None).await.err(),
        Some(401),
        "no cookie"
    );
    assert_eq!(
        connect(&app, salon, Some(LARS), None, Some("https://evil.example"))
            .await
            .err(),
        Some(403),
        "another site"
    );
    assert_eq!(
        connect(&app, salon, Some(SOFIE), None, None).await.err(),
        Some(403),
        "not registered"
    );
    assert_eq!(
        connect(&app, 999, Some(LARS), None, None).await.err(),
        Some(404)
    );
    assert!(
        connect(&app, salon, Some(ORGANISER), None, None)
            .await
            .is_ok()
    );
    // The page too.
    let sofie = app.signed_in(SOFIE).await;
    assert_eq!(
        sofie.get(&format!("/salons/{salon}/room")).await.status(),
        403
    );
    assert_eq!(
        app.client()
            .get(&format!("/salons/{salon}/room"))
            .await
            .status(),
        303
    );
    app.stop().await;
}

async fn html_comes_back_escaped_and_links_are_safe(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    let client_id = input_value(&page, "client_id").unwrap();
    // Without JavaScript: the plain form.
    let r = lars
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[
                (
                    "body",
                    "<script>alert(1)</script> se https://example.org/x?a=1&b=2. <b>fed</b>",
                ),
                ("client_id", &client_id),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    assert!(!page.contains("<script>alert(1)"), "never raw HTML");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&lt;b&gt;fed&lt;/b&gt;"));
    assert!(
        page.contains(
            r#"<a href="https://example.org/x?a=1&amp;b=2" rel="nofollow noopener noreferrer ugc">"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"role="log""#));
    // The same client_id again (a double click) is still one message.
    lars.post_form(
        &format!("/salons/{salon}/room/messages"),
        &[
            ("body", "<script>alert(1)</script>"),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(db.count("select count(*) from message").await, 1);
    // Too long, and empty: clear errors, nothing stored.
    let long = "x".repeat(2001);
    let r = lars
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[("body", &long), ("client_id", "c-long")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Beskeden er for lang"));
    let mut ws = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    send(&mut ws, "   ", "c-empty").await;
    let err = next_of(&mut ws, "error").await;
    assert_eq!(err["code"], "empty");
    assert_eq!(db.count("select count(*) from message").await, 1);
    app.stop().await;
}

async fn questions_are_voted_once_each_and_organisers_mark_them_answered(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    lars.send(Ws::Text(
        json!({"type": "send", "body": "Hvad koster det?", "client_id": "q-1", "question": true})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let q = next_of(&mut jens, "message").await;
    assert_eq!(q["question"], true);
    let id = q["id"].as_i64().unwrap();
    for _ in 0..3 {
        jens.send(Ws::Text(
            json!({"type": "vote", "id": id}).to_string().into(),
        ))
        .await
        .unwrap();
    }
    lars.send(Ws::Text(
        json!({"type": "vote", "id": id}).to_string().into(),
    ))
    .await
    .unwrap();
    let mut last_votes = 0;
    while last_votes < 2 {
        last_votes = next_of(&mut jens, "votes").await["votes"].as_i64().unwrap();
    }
    // A message from Jens after his votes: once it is back, every vote of his was handled.
    send(&mut jens, "efter stemmerne", "j-after").await;
    while next_of(&mut jens, "message").await["client_id"] != "j-after" {}
    assert_eq!(
        db.count("select count(*) from question_vote").await,
        2,
        "once per person"
    );
    // A member cannot mark it answered; an organiser can.
    jens.send(Ws::Text(
        json!({"type": "answer", "id": id}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_of(&mut jens, "error").await["code"], "not_organiser");
    let mut org = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    org.send(Ws::Text(
        json!({"type": "answer", "id": id}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_of(&mut lars, "answered").await["id"], id);
    let (_, page) = app
        .signed_in(LARS)
        .await
        .get_text(&format!("/salons/{salon}/room"))
        .await;
    assert!(page.contains("2 stemmer") && page.contains("Besvaret"));
    app.stop().await;
}

async fn a_hidden_message_disappears_for_members_but_not_for_organisers(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    send(&mut jens, "upassende", "bad-1").await;
    send(&mut jens, "fint", "ok-1").await;
    let got = collect(&mut lars, 2).await;
    let bad = got[0]["id"].as_i64().unwrap();
    let mut org = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    org.send(Ws::Text(
        json!({"type": "hide", "id": bad}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_eq!(
        next_of(&mut lars, "hide").await["id"],
        bad,
        "members' views update live"
    );
    // Members cannot hide.
    lars.send(Ws::Text(
        json!({"type": "hide", "id": bad + 1}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_of(&mut lars, "error").await["code"], "not_organiser");

    let member_page = app
        .signed_in(LARS)
        .await
        .get_text(&format!("/salons/{salon}/room"))
        .await
        .1;
    assert!(!member_page.contains("upassende") && member_page.contains("fint"));
    let organiser_page = app
        .signed_in(ORGANISER)
        .await
        .get_text(&format!("/salons/{salon}/room"))
        .await
        .1;
    assert!(organiser_page.contains("upassende") && organiser_page.contains("Skjult"));
    // A member reconnecting does not get it back; an organiser does, marked hidden.
    let mut again = connect(&app, salon, Some(LARS), Some(0), None)
        .await
        .unwrap();
    let history = collect(&mut again, 1).await;
    assert_eq!(history[0]["body"], "fint");
    let mut org2 = connect(&app, salon, Some(ORGANISER), Some(0), None)
        .await
        .unwrap();
    let all = collect(&mut org2, 2).await;
    assert_eq!(all[0]["hidden"], true);

    // Muting: Jens can no longer post in this room.
    let jens_id = db
        .count(&format!("select id from person where email = '{JENS}'"))
        .await;
    let org_http = app.signed_in(ORGANISER).await;
    assert_eq!(
        org_http
            .post_form(&format!("/salons/{salon}/room/mute/{jens_id}"), &[])
            .await
            .status(),
        303
    );
    send(&mut jens, "igen", "again-1").await;
    assert_eq!(next_of(&mut jens, "error").await["code"], "muted");
    app.stop().await;
}

async fn organisers_download_the_transcript(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    send(&mut lars, "Første indlæg, med komma", "t-1").await;
    lars.send(Ws::Text(
        json!({"type": "send", "body": "Et spørgsmål?", "client_id": "t-2", "question": true})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    collect(&mut lars, 2).await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .get(&format!("/salons/{salon}/room/transcript.md"))
        .await;
    assert_eq!(r.status(), 200);
    let md = r.text().await.unwrap();
    assert!(md.starts_with("# Salon i gang"));
    assert!(
        md.contains("**Lars Brandt** (Det Kgl. Bibliotek)")
            && md.contains("Første indlæg, med komma")
    );
    assert!(md.contains("1. Et spørgsmål? (0 stemmer)"));
    let (status, html) = org
        .get_text(&format!("/salons/{salon}/room/transcript.html"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Et spørgsmål?"));
    let member = app.signed_in(LARS).await;
    assert_eq!(
        member
            .get(&format!("/salons/{salon}/room/transcript.md"))
            .await
            .status(),
        403
    );
    app.stop().await;
}

async fn organisers_add_rooms_with_their_own_messages(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    // Lars is in the main room when the breakout starts: his socket is told.
    let mut watching = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    next_of(&mut watching, "hello").await;
    let r = org
        .post_form(
            &format!("/salons/{salon}/rooms"),
            &[("name", "Breakout: biblioteksdata")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let breakout: i64 = location(&r).rsplit('=').next().unwrap().parse().unwrap();
    let rooms = next_of(&mut watching, "rooms").await;
    assert_eq!(
        rooms["rooms"][1],
        json!({"id": breakout, "name": "Breakout: biblioteksdata"}),
        "{rooms}"
    );
    assert_eq!(rooms["rooms"][0]["name"], "", "the main room first");
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars
        .get_text(&format!("/salons/{salon}/room?room={breakout}"))
        .await;
    assert!(
        page.contains("Breakout: biblioteksdata") && page.contains("Salonens rum"),
        "both rooms are listed"
    );
    let client_id = input_value(&page, "client_id").unwrap();
    lars.post_form(
        &format!("/salons/{salon}/room/messages?room={breakout}"),
        &[("body", "kun i breakout"), ("client_id", &client_id)],
    )
    .await;
    assert!(
        !lars
            .get_text(&format!("/salons/{salon}/room"))
            .await
            .1
            .contains("kun i breakout"),
        "rooms keep their own messages"
    );
    assert!(
        lars.get_text(&format!("/salons/{salon}/room?room={breakout}"))
            .await
            .1
            .contains("kun i breakout")
    );
    assert_eq!(
        lars.post_form(&format!("/salons/{salon}/rooms"), &[("name", "Mit rum")])
            .await
            .status(),
        403,
        "members cannot add rooms"
    );
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/rooms"), &[("name", " ")])
            .await
            .status(),
        400
    );
    app.stop().await;
}

async fn organisers_move_the_agenda_on_from_the_room(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    // Give the salon an agenda without times: the clock marks no item.
    assert_eq!(
        db.count(&format!(
            "select count(*) from agenda_item where salon_id = {salon}"
        ))
        .await,
        0
    );
    for (i, title) in ["Velkomst", "Data", "Runden"].iter().enumerate() {
        db.execute(&format!(
            "insert into agenda_item (salon_id, position, title, note) values ({salon}, {i}, '{title}', '')"
        ))
        .await;
    }
    let mut lars_socket = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    next_of(&mut lars_socket, "hello").await;
    let lars = app.signed_in(LARS).await;
    let path = format!("/salons/{salon}/room/agenda");
    assert_eq!(
        lars.post_form(&path, &[("item", "1")]).await.status(),
        403,
        "members do not move the agenda"
    );
    for bad in ["3", "-1", "x"] {
        assert_eq!(
            org.post_form(&path, &[("item", bad)]).await.status(),
            400,
            "{bad}"
        );
    }
    assert_eq!(
        db.count("select count(*) from agenda_now").await,
        0,
        "nothing stored"
    );
    assert_eq!(org.post_form(&path, &[("item", "1")]).await.status(), 303);
    assert_eq!(next_of(&mut lars_socket, "agenda").await["current"], 1);
    let (_, page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    assert!(
        page.contains("aria-current=\"true\">Data"),
        "the reloaded page marks the same item"
    );
    // Back to the clock: no item has a time, so none is under way.
    assert_eq!(org.post_form(&path, &[("item", "")]).await.status(), 303);
    assert!(next_of(&mut lars_socket, "agenda").await["current"].is_null());
    app.stop().await;
}

/// The first message a reconnecting client is sent, after its hello, once Jens posts `probe`:
/// whatever comes first is what the server sent from the history.
async fn first_message_after(
    app: &TestApp,
    salon: i64,
    after: i64,
    jens: &mut Socket,
    probe: &str,
) -> Value {
    let mut lars = connect(app, salon, Some(LARS), Some(after), None)
        .await
        .unwrap();
    next_of(&mut lars, "hello").await;
    send(jens, probe, probe).await;
    let first = next_of(&mut lars, "message").await;
    // The probe stored and delivered before the next connection looks at the room.
    let mut last = first.clone();
    while last["client_id"] != probe {
        last = next_of(&mut lars, "message").await;
    }
    lars.close(None).await.unwrap();
    first
}

async fn a_client_that_has_seen_everything_is_sent_only_what_is_new(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    for i in 1..=5 {
        send(&mut jens, &format!("besked {i}"), &format!("m-{i}")).await;
    }
    collect(&mut jens, 5).await;
    // Seen everything (after = the last id): the next message is the first one sent.
    assert_eq!(
        first_message_after(&app, salon, 5, &mut jens, "p-6").await["id"],
        6
    );
    // One behind: that one, then the new.
    assert_eq!(
        first_message_after(&app, salon, 5, &mut jens, "p-7").await["id"],
        6
    );
    assert_eq!(
        first_message_after(&app, salon, 6, &mut jens, "p-8").await["id"],
        7
    );
    // Beyond the last id (a client that claims more): nothing old, and the room's next one.
    assert_eq!(
        first_message_after(&app, salon, 500, &mut jens, "p-9").await["id"],
        9
    );
    jens.close(None).await.unwrap();
    app.stop().await;

    // The same after a restart, when the server has nothing of the room in memory.
    let mut settings = db.settings();
    settings.room_rate = "1000".into();
    let app = TestApp::spawn_with(settings).await;
    let mut jens = connect(&app, salon, Some(JENS), Some(9), None)
        .await
        .unwrap();
    next_of(&mut jens, "hello").await;
    assert_eq!(
        first_message_after(&app, salon, 9, &mut jens, "p-10").await["id"],
        10
    );
    assert_eq!(
        first_message_after(&app, salon, 9, &mut jens, "p-11").await["id"],
        10
    );
    assert_eq!(
        first_message_after(&app, salon, 1000, &mut jens, "p-12").await["id"],
        12
    );
    // From 0: everything, once each, in order.
    let mut all = connect(&app, salon, Some(LARS), Some(0), None)
        .await
        .unwrap();
    assert_eq!(
        ids(&collect(&mut all, 12).await),
        (1..=12).collect::<Vec<i64>>()
    );
    send(&mut jens, "sidste", "p-13").await;
    assert_eq!(
        next_of(&mut all, "message").await["id"],
        13,
        "then live, nothing twice"
    );
    app.stop().await;
}

both_backends!(
    organisers_move_the_agenda_on_from_the_room,
    a_client_that_has_seen_everything_is_sent_only_what_is_new,
    organisers_add_rooms_with_their_own_messages,
    several_senders_and_everyone_gets_every_message_in_order,
    a_reconnect_with_after_gets_exactly_the_missed_messages,
    the_same_client_id_twice_is_one_message_and_both_senders_get_it,
    a_lagging_client_still_gets_every_message_and_every_hide,
    only_registered_people_and_organisers_may_enter,
    html_comes_back_escaped_and_links_are_safe,
    questions_are_voted_once_each_and_organisers_mark_them_answered,
    a_hidden_message_disappears_for_members_but_not_for_organisers,
    organisers_download_the_transcript,
);

/// Two `salon serve` processes on one PostgreSQL: a client on each, every message reaches both,
/// in the same order; presence spans both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_salon_serve_processes_on_one_postgres_share_the_room() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    // Set-up (people, a salon running now, Lars and Jens registered) by an app that then stops.
    let (setup, salon) = running_salon(&db, "256").await;
    let lars_session = setup.session_for(LARS).await;
    let jens_session = setup.session_for(JENS).await;
    setup.stop().await;
    let env = [("SALON_ROOM_RATE", "1000")];
    let a = ServeProcess::start(&db, &[], &env).await;
    let b = ServeProcess::start(&db, &[], &env).await;
    let mut lars = connect_to(&a.base, salon, Some(&lars_session), None, None)
        .await
        .unwrap();
    next_of(&mut lars, "hello").await;
    let mut jens = connect_to(&b.base, salon, Some(&jens_session), None, None)
        .await
        .unwrap();
    next_of(&mut jens, "hello").await;
    // Lars (on A) sees Jens (on B) arrive.
    loop {
        let p = next_of(&mut lars, "presence").await;
        let names: Vec<&str> = p["online"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect();
        if names.contains(&"Jens Riis") && names.contains(&"Lars Brandt") {
            break;
        }
    }
    let (mut lars_tx, mut lars_rx) = lars.split();
    let (mut jens_tx, mut jens_rx) = jens.split();
    let send_a = tokio::spawn(async move {
        for i in 0..20 {
            lars_tx
                .send(Ws::Text(
                    json!({"type": "send", "body": format!("A{i}"), "client_id": format!("a-{i}")})
                        .to_string()
                        .into(),
                ))
                .await
                .unwrap();
        }
        lars_tx
    });
    let send_b = tokio::spawn(async move {
        for i in 0..20 {
            jens_tx
                .send(Ws::Text(
                    json!({"type": "send", "body": format!("B{i}"), "client_id": format!("b-{i}")})
                        .to_string()
                        .into(),
                ))
                .await
                .unwrap();
        }
        jens_tx
    });
    async fn messages(rx: &mut futures_util::stream::SplitStream<Socket>, n: usize) -> Vec<i64> {
        let mut ids = Vec::new();
        while ids.len() < n {
            let frame = tokio::time::timeout(DEADLINE, rx.next())
                .await
                .expect("in time")
                .unwrap()
                .unwrap();
            if let Ws::Text(text) = frame {
                let v: Value = serde_json::from_str(&text).unwrap();
                if v["type"] == "message" {
                    let id = v["id"].as_i64().unwrap();
                    assert!(!ids.contains(&id), "duplicate {id}");
                    ids.push(id);
                }
            }
        }
        ids
    }
    let on_a = messages(&mut lars_rx, 40).await;
    let on_b = messages(&mut jens_rx, 40).await;
    let _keep = (send_a.await.unwrap(), send_b.await.unwrap());
    assert_eq!(on_a, (1..=40).collect::<Vec<i64>>());
    assert_eq!(on_a, on_b, "the same order on both instances");
    b.stop().await;
    a.stop().await;
}
