//! Rights on an open websocket, and what one person may cost a room (security review, issue
//! 12): signing out, a withdrawn answer and a cancelled salon take effect on a socket that is
//! already open; a repeated vote publishes nothing and every kind of frame counts against the
//! rate limit; the replay after `after=0` is complete however long the room; connections per
//! person are capped; a draft's room is not found (and not created) for a visitor.

use crate::common;

use common::room::*;
use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as Ws;

/// The next error frame, skipping others.
async fn next_error(socket: &mut Socket) -> String {
    next_of(socket, "error").await["code"]
        .as_str()
        .unwrap()
        .to_string()
}

/// True when the server closes the socket (with policy violation, 1008) within the deadline.
async fn closed_for_policy(socket: &mut Socket) -> bool {
    tokio::time::timeout(DEADLINE, async {
        loop {
            match socket.next().await {
                Some(Ok(Ws::Close(Some(frame)))) => return u16::from(frame.code) == 1008,
                Some(Ok(Ws::Close(None))) | None | Some(Err(_)) => return false,
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .unwrap_or(false)
}

async fn signing_out_ends_the_rights_of_an_open_socket(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let session = app.session_for(LARS).await;
    let mut lars = connect_to(&app.base, salon, Some(&session), None, None)
        .await
        .unwrap();
    next_of(&mut lars, "hello").await;
    send(&mut lars, "før", "before-1").await;
    next_of(&mut lars, "message").await;

    // The same browser signs out over HTTP while the socket stays open.
    let browser = Client::with_session(&app.base, &session);
    assert_eq!(browser.post_form("/logout", &[]).await.status(), 303);
    send(&mut lars, "efter", "after-1").await;
    assert_eq!(next_error(&mut lars).await, "signed_out");
    assert!(closed_for_policy(&mut lars).await, "the socket is closed");
    assert_eq!(
        db.count("select count(*) from message").await,
        1,
        "nothing posted after sign-out"
    );
    assert_eq!(
        connect_to(&app.base, salon, Some(&session), None, None)
            .await
            .err(),
        Some(401)
    );
    app.stop().await;
}

async fn a_withdrawn_answer_and_a_cancelled_salon_take_effect_at_once(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    next_of(&mut lars, "hello").await;

    // Jens's answer becomes "no" (the organiser records it for him): his socket may not post.
    app.answer_for(
        salon,
        app.person_id(JENS).await,
        salon::domain::rsvp::Response::No,
    )
    .await;
    send(&mut jens, "stadig her?", "j-1").await;
    assert_eq!(next_error(&mut jens).await, "not_registered");
    assert!(closed_for_policy(&mut jens).await);

    // The salon is cancelled: the room is a read-only archive for the socket already open.
    let org = app.signed_in(ORGANISER).await;
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/cancel"), &[])
            .await
            .status(),
        303
    );
    send(&mut lars, "efter aflysningen", "l-1").await;
    assert_eq!(next_error(&mut lars).await, "not_open");
    assert_eq!(db.count("select count(*) from message").await, 0);
    app.stop().await;
}

async fn a_repeated_vote_publishes_nothing(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut watcher = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    next_of(&mut watcher, "hello").await;
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    lars.send(Ws::Text(
        json!({"type": "send", "body": "Hvad koster det?", "client_id": "q-1", "question": true})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let question = next_of(&mut watcher, "message").await["id"]
        .as_i64()
        .unwrap();
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;
    for _ in 0..15 {
        jens.send(Ws::Text(
            json!({"type": "vote", "id": question}).to_string().into(),
        ))
        .await
        .unwrap();
    }
    send(&mut jens, "færdig", "done-1").await;
    // Everything Jens did reaches the watcher in order: count the votes frames before "færdig".
    let mut votes_frames = 0;
    loop {
        let frame = tokio::time::timeout(DEADLINE, watcher.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let Ws::Text(text) = frame else { continue };
        let v: Value = serde_json::from_str(&text).unwrap();
        if v["type"] == "votes" {
            votes_frames += 1;
            assert_eq!(v["votes"], 1);
        }
        if v["type"] == "message" && v["body"] == "færdig" {
            break;
        }
    }
    assert_eq!(votes_frames, 1, "fifteen identical votes are one change");
    app.stop().await;
}

async fn every_kind_of_frame_counts_against_the_rate_limit(db: TestDb) {
    let (app, salon) = running_salon_with(&db, "256", "1").await;
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;
    // A burst of 4 (four times the rate), then refusals: votes and frames not understood alike.
    for i in 0..6 {
        let frame = if i % 2 == 0 {
            json!({"type": "vote", "id": 999}).to_string()
        } else {
            "not json".to_string()
        };
        jens.send(Ws::Text(frame.into())).await.unwrap();
    }
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(next_error(&mut jens).await);
    }
    assert!(
        codes.iter().filter(|c| *c == "rate_limited").count() >= 2,
        "{codes:?}"
    );
    assert!(
        codes.contains(&"no_such_message".to_string()) && codes.contains(&"bad_frame".to_string()),
        "{codes:?}"
    );
    app.stop().await;
}

async fn a_replay_from_the_start_is_complete_and_paged(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    // A long room: more messages than one page (200), stored directly.
    let room = salon::store::rooms::of_salon_creating_main(&app.app.db, salon::ids::SalonId(salon))
        .await
        .unwrap()[0]
        .id;
    let lars = app.person_id(LARS).await;
    let n = 450;
    for i in 1..=n {
        salon::store::rooms::post(
            &app.app.db,
            room,
            lars,
            &format!("seed-{i}"),
            &format!("besked {i}"),
            false,
        )
        .await
        .unwrap();
    }
    let mut replay = connect(&app, salon, Some(JENS), Some(0), None)
        .await
        .unwrap();
    let got = collect(&mut replay, n as usize).await;
    assert_eq!(
        ids(&got),
        (1..=n).collect::<Vec<i64>>(),
        "every message, in order, once"
    );
    app.stop().await;
}

async fn connections_per_person_are_capped(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let session = app.session_for(LARS).await;
    let mut open = Vec::new();
    for _ in 0..salon::rooms::slots::PER_PERSON {
        let mut s = connect_to(&app.base, salon, Some(&session), None, None)
            .await
            .unwrap();
        next_of(&mut s, "hello").await;
        open.push(s);
    }
    assert_eq!(
        connect_to(&app.base, salon, Some(&session), None, None)
            .await
            .err(),
        Some(429)
    );
    // Someone else is not affected, and a closed connection gives its place back.
    assert!(connect(&app, salon, Some(JENS), None, None).await.is_ok());
    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    eventually("a place given back", || async {
        app.app.room_slots.held_by(app.person_id(LARS).await) < salon::rooms::slots::PER_PERSON
    })
    .await;
    assert!(
        connect_to(&app.base, salon, Some(&session), None, None)
            .await
            .is_ok()
    );
    app.stop().await;
}

async fn a_drafts_room_is_not_found_and_not_created_for_a_visitor(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let draft = new_salon(&org, &[("title", "Kladde")], false).await;
    let visitor = app.client();
    let missing = visitor
        .get(&format!("/salons/{}/room", draft + 1000))
        .await
        .status();
    assert_eq!(missing, 404);
    assert_eq!(
        visitor.get(&format!("/salons/{draft}/room")).await.status(),
        missing,
        "a draft answers as a missing salon"
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from room where salon_id = {draft}"
        ))
        .await,
        0,
        "no room row made"
    );
    let lars = app.signed_in(LARS).await;
    assert_eq!(
        lars.get(&format!("/salons/{draft}/room")).await.status(),
        404
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from room where salon_id = {draft}"
        ))
        .await,
        0
    );
    app.stop().await;
}

async fn a_latecomer_is_told_why_and_shown_the_way_in(db: TestDb) {
    let (app, online) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let (starts, ends) = from_now(-10);
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
    let late = app.signed_in("birgitte.noergaard@cb.example").await;
    // Inviting to a salon under way says what the invited can still do.
    let (_, invite) = org.get_text(&format!("/salons/{online}/invite")).await;
    assert!(
        invite.contains("Salonen er i gang nu."),
        "{}",
        main_text(&invite)
    );
    let (_, invite) = org.get_text(&format!("/salons/{in_person}/invite")).await;
    assert!(
        invite.contains("svarfristen er overskredet"),
        "{}",
        main_text(&invite)
    );

    // The online salon runs and takes answers: the room explains and offers the way in.
    let (status, page) = late.get_text(&format!("/salons/{online}/room")).await;
    assert_eq!(status, 403);
    assert!(
        page.contains("Du er ikke tilmeldt endnu") && page.contains("Sig ja og gå ind"),
        "{}",
        main_text(&page)
    );
    let r = late
        .post_form(
            &format!("/salons/{online}/rsvp"),
            &[("response", "yes"), ("then", "room")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/salons/{online}/room"));
    assert_eq!(
        late.get(&format!("/salons/{online}/room")).await.status(),
        200
    );

    // The in-person salon closed its answers at the start: why, and whom to ask; no button.
    let (status, page) = late.get_text(&format!("/salons/{in_person}/room")).await;
    assert_eq!(status, 403);
    let text = main_text(&page);
    assert!(
        !page.contains("Sig ja og gå ind") && text.contains("Skriv til arrangørerne"),
        "{text}"
    );
    let r = late
        .post_form(
            &format!("/salons/{in_person}/rsvp"),
            &[("response", "yes"), ("then", "room")],
        )
        .await;
    assert_eq!(r.status(), 409, "answers closed at the start");
    assert_eq!(
        db.count(&format!(
            "select count(*) from rsvp where salon_id = {in_person} and response is not null"
        ))
        .await,
        0
    );
    app.stop().await;
}

/// The session a response sets, from its Set-Cookie header.
fn session_set_by(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("salon_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .filter(|v| !v.is_empty())
}

async fn the_invitation_link_lets_a_member_into_the_running_room_and_nowhere_else(db: TestDb) {
    const BIRGITTE: &str = "birgitte.noergaard@cb.example";
    let (app, online) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    let birgitte = app.person_id(BIRGITTE).await.to_string();
    let organiser = app.person_id(ORGANISER).await.to_string();
    for who in [&birgitte, &organiser] {
        let r = org
            .post_form(&format!("/salons/{online}/invite"), &[("person", who)])
            .await;
        assert_eq!(r.status(), 303);
    }
    let token_of = |email: &str| {
        let link = common::browser::link_in_mail(&db.outbox_dir(), email, "/rsvp/");
        link.split("/rsvp/")
            .nth(1)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string()
    };
    wait_for_mails_to(&db.outbox_dir(), BIRGITTE, 1).await;
    let token = token_of(BIRGITTE);

    // Not registered yet: the door sends her back to the answer page, and no session starts.
    let browser = app.client();
    let r = browser.post_form(&format!("/rsvp/{token}/room"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/rsvp/{token}"));
    assert!(session_set_by(&r).is_none());
    // Yes, then in: three steps from the mail, no sign-in mail.
    let r = browser
        .post_form(&format!("/rsvp/{token}"), &[("response", "yes")])
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = browser.get_text(&format!("/rsvp/{token}?done=1")).await;
    assert!(
        page.contains(&format!("action=\"/rsvp/{token}/room\"")),
        "{}",
        main_text(&page)
    );
    let r = browser.post_form(&format!("/rsvp/{token}/room"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/salons/{online}/room"));
    let pass = session_set_by(&r).expect("a session for the room");
    let (status, room) = browser.get_text(&format!("/salons/{online}/room")).await;
    assert_eq!(status, 200);
    assert!(room.contains("Birgitte"), "{}", main_text(&room));
    // The room's socket takes it, and she can speak.
    let mut socket = connect_to(&app.base, online, Some(&pass), None, None)
        .await
        .expect("the socket opens with the pass");
    next_of(&mut socket, "hello").await;
    send(&mut socket, "Undskyld, jeg er sent på den", "late-1").await;
    let m = next_of(&mut socket, "message").await;
    assert_eq!(m["body"], "Undskyld, jeg er sent på den");

    // Anywhere else the pass is nobody: not /me, not the export, not another salon's room.
    let r = browser.get("/me").await;
    assert_eq!(r.status(), 303, "to the sign-in page");
    assert!(location(&r).starts_with("/login"));
    assert_eq!(browser.get("/me/export.json").await.status(), 303);
    let other_salon = online + 1000;
    assert!(
        connect_to(&app.base, other_salon, Some(&pass), None, None)
            .await
            .is_err()
    );
    // One session, for this salon only.
    assert_eq!(
        db.count(&format!(
            "select count(*) from session where salon_id = {online} and person_id = {birgitte}"
        ))
        .await,
        1
    );

    // An organiser's link does not sign them in: they are sent to sign in by mail.
    wait_for_mails_to(&db.outbox_dir(), ORGANISER, 1).await;
    let organiser_token = token_of(ORGANISER);
    let stranger = app.client();
    stranger
        .post_form(&format!("/rsvp/{organiser_token}"), &[("response", "yes")])
        .await;
    let r = stranger
        .post_form(&format!("/rsvp/{organiser_token}/room"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/login"), "{}", location(&r));
    assert!(session_set_by(&r).is_none());
    // A link that is not one: gone, and no session.
    let r = stranger.post_form("/rsvp/not-a-token/room", &[]).await;
    assert_eq!(r.status(), 410);
    assert_eq!(
        db.count("select count(*) from session where salon_id is not null")
            .await,
        1
    );
    // Signing out ends the pass.
    let r = browser.post_form("/logout", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count("select count(*) from session where salon_id is not null")
            .await,
        0
    );
    app.stop().await;
}

both_backends!(
    the_invitation_link_lets_a_member_into_the_running_room_and_nowhere_else,
    a_latecomer_is_told_why_and_shown_the_way_in,
    signing_out_ends_the_rights_of_an_open_socket,
    a_withdrawn_answer_and_a_cancelled_salon_take_effect_at_once,
    a_repeated_vote_publishes_nothing,
    every_kind_of_frame_counts_against_the_rate_limit,
    a_replay_from_the_start_is_complete_and_paged,
    connections_per_person_are_capped,
    a_drafts_room_is_not_found_and_not_created_for_a_visitor,
);
