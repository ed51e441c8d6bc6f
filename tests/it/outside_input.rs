//! No panic and no 500 from outside input (issue 12): property tests feed random and mutated
//! input through the real handlers of a running app (form fields, websocket frames, `.ics`
//! uploads, cookies and headers). Whatever comes in, the answer is a 2xx/3xx/4xx, the server
//! keeps answering, and a refusal stores nothing.
//!
//! Each property runs a bounded number of cases against one app per database (the cases share
//! it; a refusal must leave the counts unchanged, which is what is checked).

use crate::common;

use common::room::*;
use common::*;
use futures_util::{SinkExt, StreamExt};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use tokio_tungstenite::tungstenite::Message as Ws;

/// Cases per property: enough to reach the odd corners, few enough for the suite's time.
/// `SALON_PROPTEST_CASES` raises it for a deeper run by hand.
fn cases() -> u32 {
    std::env::var("SALON_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

/// Text as people and attackers type it: Nordic letters, control characters, bidi marks,
/// quotes and markup, very long runs.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[a-zæøåÅØÆ \\r\\n\\t\\x00\\x1b\\u{202e}\"'<>&;:,@/\\\\%]{0,60}",
        Just("x".repeat(5000)),
        Just("Mette\r\nBcc: evil@evil.example".to_string()),
        Just("%00%0d%0a".to_string()),
    ]
}

/// Run an async check for each case from inside the test's runtime.
fn run_cases<S, F, Fut>(strategy: S, check: F)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    F: Fn(S::Value) -> Fut,
    Fut: std::future::Future<Output = Result<(), TestCaseError>>,
{
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(RunnerConfig {
        cases: cases(),
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let result = tokio::task::block_in_place(|| {
        runner.run(&strategy, |value| handle.block_on(check(value)))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn acceptable(status: u16) -> Result<(), TestCaseError> {
    prop_assert!(status < 500, "status {}", status);
    Ok(())
}

async fn random_form_fields_never_break_a_handler(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let id = new_salon(&org, &[("title", "Åben salon")], true)
        .await
        .to_string();
    let visitor = app.client();

    // Registration by anyone.
    run_cases(
        (nasty_text(), nasty_text(), nasty_text(), nasty_text()),
        |(name, email, title, organisation)| {
            let (visitor, db, id) = (&visitor, &db, &id);
            async move {
                let before = db.count("select count(*) from registration").await;
                let r = visitor
                    .post_form(
                        &format!("/salons/{id}/register"),
                        &[
                            ("name", &name),
                            ("email", &email),
                            ("title", &title),
                            ("organisation", &organisation),
                        ],
                    )
                    .await;
                let status = r.status().as_u16();
                acceptable(status)?;
                if status != 303 {
                    prop_assert_eq!(
                        db.count("select count(*) from registration").await,
                        before,
                        "a refusal stores nothing"
                    );
                }
                Ok(())
            }
        },
    );

    // The organiser's salon form, every field at once.
    let fields = [
        "title",
        "description",
        "series_id",
        "time_zone",
        "starts_at",
        "ends_at",
        "mode",
        "address",
        "meeting_url",
        "capacity",
        "rsvp_deadline",
        "registration",
        "agenda",
    ];
    run_cases(
        proptest::collection::vec(nasty_text(), fields.len()),
        |values| {
            let (org, db) = (&org, &db);
            async move {
                let before = db.count("select count(*) from salon").await;
                let form: Vec<(&str, &str)> = fields
                    .iter()
                    .copied()
                    .zip(values.iter().map(String::as_str))
                    .collect();
                let r = org.post_form("/salons/new", &form).await;
                let status = r.status().as_u16();
                acceptable(status)?;
                if status != 303 {
                    prop_assert_eq!(db.count("select count(*) from salon").await, before);
                }
                Ok(())
            }
        },
    );

    // Every other form, with any text in every field, as someone allowed to use it.
    let admin = app.signed_in("admin@salon.example").await;
    let member = app.signed_in(LARS).await;
    let lars = app.person_id(LARS).await;
    let forms: Vec<(&Client, String, Vec<&str>)> = vec![
        (&member, "/me".into(), vec!["locale", "time_zone"]),
        (&member, "/lang".into(), vec!["lang", "next"]),
        (
            &member,
            format!("/salons/{id}/rsvp"),
            vec!["response", "show_in_list"],
        ),
        (
            &member,
            format!("/salons/{id}/room/messages"),
            vec!["body", "client_id", "question"],
        ),
        (
            &org,
            format!("/salons/{id}/invite"),
            vec!["pasted", "organisations", "people"],
        ),
        (
            &org,
            format!("/salons/{id}/edit"),
            vec!["title", "starts_at", "ends_at", "capacity", "agenda"],
        ),
        (&org, "/series/new".into(), vec!["title", "description"]),
        (&org, format!("/salons/{id}/rooms"), vec!["name"]),
        (
            &admin,
            "/admin/people".into(),
            vec!["email", "name", "role", "organisation"],
        ),
        (&admin, format!("/admin/people/{lars}/role"), vec!["role"]),
        (
            &org,
            format!("/salons/{id}/participants/{lars}/answer"),
            vec!["response"],
        ),
    ];
    run_cases(
        (0..forms.len(), proptest::collection::vec(nasty_text(), 5)),
        |(which, values)| {
            let (client, path, names) = &forms[which];
            async move {
                let fields: Vec<(&str, &str)> = names
                    .iter()
                    .copied()
                    .zip(values.iter().map(String::as_str))
                    .collect();
                acceptable(client.post_form(path, &fields).await.status().as_u16())
            }
        },
    );

    // The audit trail's filters, with anything in them.
    run_cases((nasty_text(), nasty_text()), |(person, kind)| {
        let admin = &admin;
        async move {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("person", &person)
                .append_pair("kind", &kind)
                .finish();
            acceptable(
                admin
                    .get(&format!("/admin/audit?{query}"))
                    .await
                    .status()
                    .as_u16(),
            )?;
            acceptable(
                admin
                    .get(&format!("/admin/audit.csv?{query}"))
                    .await
                    .status()
                    .as_u16(),
            )
        }
    });

    // Sign-in requests with any address and any next=.
    run_cases((nasty_text(), nasty_text()), |(email, next)| {
        let visitor = &visitor;
        async move {
            acceptable(
                visitor
                    .post_form("/login", &[("email", &email), ("next", &next)])
                    .await
                    .status()
                    .as_u16(),
            )
        }
    });
    app.stop().await;
}

async fn random_cookies_and_headers_never_break_a_page(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let header_text = "[ -~\\t]{0,80}";
    run_cases(
        (
            header_text,
            header_text,
            header_text,
            prop_oneof![Just("/"), Just("/login"), Just("/salons/1"), Just("/me")],
        ),
        |(cookie, lang, origin, path)| {
            let (http, base) = (&http, &app.base);
            async move {
                let mut request = http.get(format!("{base}{path}"));
                for (name, value) in [
                    (
                        "cookie",
                        format!("salon_session={cookie}; salon_lang={lang}; salon_csrf={cookie}"),
                    ),
                    ("accept-language", lang.clone()),
                    ("origin", origin.clone()),
                ] {
                    if let Ok(v) = reqwest::header::HeaderValue::from_str(&value) {
                        request = request.header(name, v);
                    }
                }
                acceptable(request.send().await.unwrap().status().as_u16())
            }
        },
    );
    assert_eq!(app.client().get_text("/healthz").await.1, "ok");
    app.stop().await;
}

async fn random_ics_uploads_are_imported_or_refused_never_a_500(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let valid = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Kickoff\r\nDTSTART;TZID=Europe/Copenhagen:20270410T100000\r\nDURATION:PT6H\r\nLOCATION:Dokk1\\, Aarhus\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    // Mutations of a valid file: bytes replaced, inserted, lines cut.
    let mutated = (proptest::collection::vec((0..valid.len(), any::<u8>(), any::<bool>()), 1..8))
        .prop_map(move |edits| {
            let mut bytes = valid.as_bytes().to_vec();
            for (at, byte, insert) in edits {
                let at = at.min(bytes.len().saturating_sub(1));
                if insert {
                    bytes.insert(at, byte)
                } else {
                    bytes[at] = byte
                }
            }
            bytes
        });
    let digits = "[0-9]{1,25}".prop_map(|n| format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:X\r\nDTSTART:{n}T090000Z\r\nDURATION:P{n}W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").into_bytes());
    run_cases(prop_oneof![mutated, digits], |bytes| {
        let (org, db) = (&org, &db);
        async move {
            let before = db.count("select count(*) from salon").await;
            let r = org.upload_ics(bytes).await;
            let status = r.status().as_u16();
            acceptable(status)?;
            if status != 303 {
                prop_assert_eq!(db.count("select count(*) from salon").await, before);
            }
            Ok(())
        }
    });
    app.stop().await;
}

/// Inbound mail (issue 11): a real reply to a real invitation (its token and UID), mutated, and
/// random bytes, through `POST /inbound/mail` and the whole ingest path: never a 5xx.
async fn random_inbound_mail_is_taken_in_or_set_aside_never_a_500(db: TestDb) {
    let mut settings = db.settings();
    settings.inbound_secret = Some("outside-input-inbound-secret".into());
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    assert_eq!(
        org.post_form(&format!("/salons/{salon}/invite"), &[("pasted", LARS)])
            .await
            .status(),
        303
    );
    let invitation = wait_for_mails_to(&db.outbox_dir(), LARS, 1)
        .await
        .pop()
        .unwrap();
    let (to, uid, _) = common::inbound::calendar_of(&invitation);
    let sequence = common::inbound::sequence_of(&invitation);
    let clients = [
        "outlook-desktop",
        "outlook-web",
        "gmail",
        "apple",
        "thunderbird",
    ];
    let replies: Vec<Vec<u8>> = clients
        .iter()
        .map(|c| {
            common::inbound::reply(
                c,
                &common::inbound::ReplyTo {
                    to: &to,
                    from: LARS,
                    uid: &uid,
                    attendee: LARS,
                    partstat: "ACCEPTED",
                    dtstamp: "20261130T090000Z",
                    sequence,
                },
            )
        })
        .collect();
    let mutated = (
        0..replies.len(),
        proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..12),
    )
        .prop_map(move |(which, edits)| {
            let mut bytes = replies[which].clone();
            for (at, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = at % bytes.len();
                match kind {
                    0 => bytes[at] = byte,
                    1 => bytes.truncate(at),
                    _ => bytes.insert(at, byte),
                }
            }
            bytes
        });
    let http = reqwest::Client::new();
    run_cases(
        prop_oneof![mutated, proptest::collection::vec(any::<u8>(), 0..600)],
        |bytes| {
            let (http, app) = (&http, &app);
            async move {
                let r = http
                    .post(app.client().url("/inbound/mail"))
                    .header("X-Salon-Inbound-Secret", "outside-input-inbound-secret")
                    .body(bytes)
                    .send()
                    .await
                    .unwrap();
                acceptable(r.status().as_u16())
            }
        },
    );
    app.stop().await;
}

async fn random_websocket_frames_get_an_error_and_the_socket_lives_on(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let mut socket = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    next_of(&mut socket, "hello").await;
    let frames = prop_oneof![
        ".{0,200}",
        (nasty_text(), nasty_text(), any::<bool>()).prop_map(|(body, id, q)| {
            serde_json::json!({"type": "send", "body": body, "client_id": id, "question": q})
                .to_string()
        }),
        any::<i64>().prop_map(|id| serde_json::json!({"type": "vote", "id": id}).to_string()),
        any::<i64>().prop_map(|id| serde_json::json!({"type": "hide", "id": id}).to_string()),
        "[a-z]{1,8}".prop_map(|t| format!("{{\"type\":\"{t}\",\"id\":\"x\"}}")),
    ];
    let socket = tokio::sync::Mutex::new(socket);
    run_cases(frames, |frame| {
        let socket = &socket;
        async move {
            let mut s = socket.lock().await;
            s.send(Ws::Text(frame.into())).await.unwrap();
            Ok(())
        }
    });
    // Still answering: a valid message after all that is stored and comes back.
    let mut s = socket.into_inner();
    send(&mut s, "stadig her", "still-here").await;
    loop {
        let frame = tokio::time::timeout(DEADLINE, s.next())
            .await
            .expect("the socket still answers")
            .unwrap()
            .unwrap();
        if let Ws::Text(t) = frame
            && t.contains("stadig her")
        {
            break;
        }
    }
    app.stop().await;
}

/// Random acts on a series' themes by one member, far more than the per-person limits allow:
/// each is done (303), refused for its text (422) or for its rate (429); a refusal stores
/// nothing, and the limits do refuse.
async fn random_theme_acts_are_limited_and_refusals_store_nothing(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Række"), ("description", "")])
        .await;
    let series = location(&r).trim_start_matches("/series/").to_string();
    let r = org
        .post_form(
            &format!("/series/{series}/themes"),
            &[("title", "Et tema"), ("why", "")],
        )
        .await;
    let theme = location(&r).trim_start_matches("/themes/").to_string();
    let member = app.signed_in(LARS).await;
    // Acts done, by kind: writings (proposals, comments) and clicks (support, withdraw).
    let done = [
        std::sync::atomic::AtomicU64::new(0),
        std::sync::atomic::AtomicU64::new(0),
    ];
    let started = std::time::Instant::now();
    let acts = (0..4usize, nasty_text(), nasty_text());
    run_cases(acts, |(act, a, b)| {
        let (member, db, series, theme, done) = (&member, &db, &series, &theme, &done);
        async move {
            let stored =
                "select (select count(*) from theme) + (select count(*) from theme_comment)";
            let before = db.count(stored).await;
            let r = match act {
                0 => {
                    member
                        .post_form(
                            &format!("/series/{series}/themes"),
                            &[("title", &a), ("why", &b)],
                        )
                        .await
                }
                1 => {
                    member
                        .post_form(&format!("/themes/{theme}/comments"), &[("body", &a)])
                        .await
                }
                2 => {
                    member
                        .post_form(&format!("/themes/{theme}/support"), &[])
                        .await
                }
                _ => {
                    member
                        .post_form(&format!("/themes/{theme}/withdraw"), &[])
                        .await
                }
            };
            let status = r.status().as_u16();
            prop_assert!(matches!(status, 303 | 422 | 429), "status {}", status);
            if status == 303 {
                done[act / 2].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            if status != 303 {
                prop_assert_eq!(db.count(stored).await, before, "a refusal stores nothing");
            }
            Ok(())
        }
    });
    // The limits held: a burst of 10 writings and 30 clicks, then one per 20 s and one per s.
    let secs = started.elapsed().as_secs() + 1;
    let [writings, clicks] = done.map(|n| n.into_inner());
    assert!(
        writings <= 10 + secs / 20 + 1,
        "{writings} writings in {secs} s"
    );
    assert!(clicks <= 30 + secs, "{clicks} clicks in {secs} s");
    app.stop().await;
}

/// Control and binary frames in any order and size, with text between them, on a room whose
/// limit is two frames a second: the server never fails, a socket is closed only with a close
/// frame of its own or the client's, and the room goes on for everyone.
async fn random_control_frames_never_break_a_room(db: TestDb) {
    let (app, salon) = common::room::running_salon_with(&db, "16", "2").await;
    let frame = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..=125).prop_map(|p| Ws::Ping(p.into())),
        proptest::collection::vec(any::<u8>(), 0..=125).prop_map(|p| Ws::Pong(p.into())),
        proptest::collection::vec(any::<u8>(), 0..20_000).prop_map(|p| Ws::Binary(p.into())),
        nasty_text().prop_map(|t| Ws::Text(t.into())),
        (1000u16..5000, "[a-z ]{0,40}").prop_map(|(code, reason)| Ws::Close(Some(
            tokio_tungstenite::tungstenite::protocol::CloseFrame {
                code: code.into(),
                reason: reason.into()
            }
        ))),
    ];
    run_cases(proptest::collection::vec(frame, 1..40), |frames| {
        let app = &app;
        async move {
            // (Eight connections a person: one closed a moment ago may still hold its place.)
            let mut tries = 0;
            let mut s = loop {
                match connect(app, salon, Some(LARS), None, None).await {
                    Ok(s) => break s,
                    Err(429) if tries < 100 => {
                        tries += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    Err(status) => return Err(TestCaseError::fail(format!("connect: {status}"))),
                }
            };
            next_of(&mut s, "hello").await;
            for f in frames {
                if s.send(f).await.is_err() {
                    break; // the socket was closed (by either side): what follows is not sent
                }
            }
            // Whatever it got, the socket ends cleanly from here on.
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), s.close(None)).await;
            Ok(())
        }
    });
    // The room goes on: a message from someone else (a limit of their own) is stored and
    // comes back.
    let mut jens = connect(&app, salon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;
    send(&mut jens, "stadig her", "still-here").await;
    while next_of(&mut jens, "message").await["client_id"] != "still-here" {}
    app.stop().await;
}

both_backends!(
    random_theme_acts_are_limited_and_refusals_store_nothing,
    random_control_frames_never_break_a_room,
    random_form_fields_never_break_a_handler,
    random_cookies_and_headers_never_break_a_page,
    random_ics_uploads_are_imported_or_refused_never_a_500,
    random_websocket_frames_get_an_error_and_the_socket_lives_on,
    random_inbound_mail_is_taken_in_or_set_aside_never_a_500,
);
