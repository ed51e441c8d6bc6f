//! A socket that stops reading, on both databases: while one person's client reads nothing
//! (its receive window shrunk to a few kilobytes, so the server's writes to it back up), the
//! others in the room still get every message as it is sent; when the stalled client reads
//! again it gets every message once, in order (from the catch-up path when it fell behind).
//! And a client that sends without reading its answers: the server stops reading it once its
//! answers back up, so they cannot pile up in the server's memory, and the room goes on; a
//! client that pings without reading is held to the rate limit and has one pong waiting.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, Socket, collect, connect, ids};
use common::*;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Messages sent while one client is stalled (about 2 KiB each): far more than a 4 KiB receive
/// window and the server's send buffer hold.
const MESSAGES: usize = 4000;

/// A client whose TCP receive buffer is a few kilobytes: when it stops reading, the server
/// cannot write to it for long.
async fn connect_small_window(app: &TestApp, salon: i64, email: &str) -> Socket {
    connect_small_buffers(app, salon, email, None).await
}

/// As [`connect_small_window`], and with a send buffer of `send` bytes.
async fn connect_small_buffers(
    app: &TestApp,
    salon: i64,
    email: &str,
    send: Option<u32>,
) -> Socket {
    let session = app.session_for(email).await;
    let addr: std::net::SocketAddr = app.base.trim_start_matches("http://").parse().unwrap();
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    if let Some(send) = send {
        tcp.set_send_buffer_size(send).unwrap();
    }
    let stream = tcp.connect(addr).await.unwrap();
    let mut request = format!("ws://{addr}/salons/{salon}/room/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "cookie",
        format!("salon_session={session}").parse().unwrap(),
    );
    request
        .headers_mut()
        .insert("origin", app.base.parse().unwrap());
    let (socket, _) =
        tokio_tungstenite::client_async(request, tokio_tungstenite::MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    socket
}

async fn a_stalled_socket_delays_nobody_and_still_gets_everything(db: TestDb) {
    let (app, salon) = common::room::running_salon_with(&db, "256", "100000").await;
    let mut stalled = connect_small_window(&app, salon, JENS).await;
    let mut reader = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    let sender = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    // Each message ~2 KiB: 8 MB in all, more than a 4 KiB receive window and the largest send
    // buffer the kernel grows to (4 MiB by default) hold.
    let padding = "x".repeat(1900);
    // The sender reads its own socket too (a client that reads nothing cannot send either:
    // its connection's task is busy writing to it).
    let (mut out, mut inbox) = futures_util::StreamExt::split(sender);
    let draining =
        tokio::spawn(
            async move { while futures_util::StreamExt::next(&mut inbox).await.is_some() {} },
        );
    let sending = tokio::spawn(async move {
        for i in 0..MESSAGES {
            let frame = serde_json::json!({"type": "send", "body": format!("{i} {padding}"), "client_id": format!("m-{i}")}).to_string();
            futures_util::SinkExt::send(&mut out, Message::Text(frame.into()))
                .await
                .unwrap();
        }
        out
    });
    // The reader gets all of them while Jens's client reads nothing at all.
    let got = collect(&mut reader, MESSAGES).await;
    let expected: Vec<i64> = (1..=MESSAGES as i64).collect();
    assert_eq!(
        ids(&got),
        expected,
        "the reader gets every message, in order, while another socket is stalled"
    );
    let _out = sending.await.unwrap();
    // Now the stalled client reads: every message, once, in order.
    let late = collect(&mut stalled, MESSAGES).await;
    assert_eq!(
        ids(&late),
        expected,
        "the stalled socket ends with every message once, in order"
    );
    for (i, m) in late.iter().enumerate() {
        assert!(
            m["body"].as_str().unwrap().starts_with(&format!("{i} ")),
            "message {} holds its own body",
            m["id"]
        );
    }
    // It really was held up: its connection fell behind the room's buffer and caught up.
    let (_, metrics) = app.client().get_text("/metrics").await;
    let resyncs: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("salon_room_resyncs_total "))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0.0);
    assert!(
        resyncs >= 1.0,
        "the stalled connection caught up from the database: {metrics}"
    );
    draining.abort();
    app.stop().await;
}

both_backends!(a_stalled_socket_delays_nobody_and_still_gets_everything);

/// How many frames a flooding client had sent when it was slowed to at most `trickle` frames
/// in two seconds (0: stopped), within two minutes.
async fn slowed_to(sent: &std::sync::atomic::AtomicUsize, trickle: usize) -> usize {
    let mut last = usize::MAX;
    tokio::time::timeout(std::time::Duration::from_secs(120), async {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            let now = sent.load(std::sync::atomic::Ordering::Relaxed);
            if now.saturating_sub(last) <= trickle && now >= last {
                return now;
            }
            last = now;
        }
    })
    .await
    .expect("the flooding client was slowed down")
}

/// Frames the flooding client tries to send (1 KiB each, 100 MB in all): far more than the
/// kernel's buffers between it and the server hold once the server stops reading (the answers
/// are small, about 100 bytes, so the server's send buffer takes many before they back up: on
/// this machine the flood stops after about 38,000).
const FLOOD: usize = 100_000;

async fn a_client_that_sends_without_reading_is_read_no_further_and_holds_up_nobody(db: TestDb) {
    let (app, salon) = common::room::running_salon_with(&db, "16", "1000000").await;
    let flooder = connect_small_buffers(&app, salon, JENS, Some(4096)).await;
    let mut reader = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let (mut out, mut answers) = futures_util::StreamExt::split(flooder);
    // A frame the server does not understand, again and again: each is answered with an error
    // frame, which the client does not read.
    let frame = serde_json::json!({"type": "nonsense", "padding": "x".repeat(1000)}).to_string();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = sent.clone();
    let flooding = tokio::spawn(async move {
        for _ in 0..FLOOD {
            futures_util::SinkExt::send(&mut out, Message::Text(frame.clone().into()))
                .await
                .unwrap();
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        out
    });
    // The flooding stops: the server reads no more of its frames once the answers back up, and
    // the kernel's buffers between them fill. (Were the server still reading, all 100,000 would
    // go, and as many answers would wait in the server's memory.)
    let settled = slowed_to(&sent, 0).await;
    eprintln!("flooding stopped after {settled} frames");
    assert!(
        settled < FLOOD / 2,
        "the server stopped reading the flooding client after {settled} of {FLOOD} frames"
    );
    // Meanwhile the room goes on: Lars's message reaches the organiser.
    common::room::send(&mut lars, "still here", "lars-1").await;
    let got = collect(&mut reader, 1).await;
    assert_eq!(got[0]["body"], "still here");
    // Once the flooding client reads, it gets its answers, and the server reads it again: every
    // frame is answered.
    let mut errors = 0;
    tokio::time::timeout(std::time::Duration::from_secs(120), async {
        while errors < FLOOD {
            match futures_util::StreamExt::next(&mut answers).await {
                Some(Ok(Message::Text(text))) => {
                    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
                    if m["type"] == "error" {
                        assert_eq!(m["code"], "bad_frame");
                        errors += 1;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("the flooding client's socket ended: {other:?}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("every frame answered: {errors} of {FLOOD}"));
    let _out = tokio::time::timeout(std::time::Duration::from_secs(60), flooding)
        .await
        .expect("all frames sent once it reads")
        .unwrap();
    app.stop().await;
}

both_backends!(a_client_that_sends_without_reading_is_read_no_further_and_holds_up_nobody);

/// Control and binary frames the flooding client tries to send (6 to 22 bytes each): far more
/// than the kernel's buffers between it and the server hold once the server stops reading.
const PINGS: usize = 300_000;

async fn a_client_that_pings_without_reading_is_held_to_the_limit_and_has_one_pong_waiting(
    db: TestDb,
) {
    // Two frames a second (bursts of eight): pings, pongs and binary frames count like messages.
    let (app, salon) = common::room::running_salon_with(&db, "16", "2").await;
    let flooder = connect_small_buffers(&app, salon, JENS, Some(4096)).await;
    let mut reader = connect(&app, salon, Some(ORGANISER), None, None)
        .await
        .unwrap();
    let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    let (mut out, mut answers) = futures_util::StreamExt::split(flooder);
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = sent.clone();
    let flooding = tokio::spawn(async move {
        for i in 0..PINGS {
            let frame = match i % 3 {
                0 => Message::Ping(Vec::new().into()),
                1 => Message::Pong(Vec::new().into()),
                _ => Message::Binary(vec![7u8; 16].into()),
            };
            if futures_util::SinkExt::send(&mut out, frame).await.is_err() {
                break;
            }
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    // The flooding (all but) stops: the server reads a few frames a second, and the kernel's
    // buffers between them fill. (Were it reading every frame, all 300,000 would go, and as many
    // pongs would wait in the server's memory.)
    let settled = slowed_to(&sent, PINGS / 100).await;
    eprintln!("flooding slowed after {settled} frames");
    assert!(
        settled < PINGS / 2,
        "the server stopped reading the flooding client after {settled} of {PINGS} frames"
    );
    // Meanwhile the room goes on.
    common::room::send(&mut lars, "still here", "lars-1").await;
    let got = collect(&mut reader, 1).await;
    assert_eq!(got[0]["body"], "still here");
    // What waits for the flooding client: its hello, presence, the room's message, and at most
    // a pong per ping the limit let through (a few a second), never one per ping sent.
    let mut pongs = 0;
    let mut message = false;
    let _ = tokio::time::timeout(std::time::Duration::from_secs(3), async {
        while let Some(Ok(frame)) = futures_util::StreamExt::next(&mut answers).await {
            match frame {
                Message::Pong(_) => pongs += 1,
                Message::Text(text) => message |= text.contains("still here"),
                _ => {}
            }
        }
    })
    .await;
    assert!(
        message,
        "the flooding client still gets the room's messages"
    );
    eprintln!("pongs received: {pongs} for {settled} frames sent");
    assert!(
        pongs < 100,
        "{pongs} pongs for {settled} frames: one per ping let through at most"
    );
    flooding.abort();
    app.stop().await;
}

both_backends!(a_client_that_pings_without_reading_is_held_to_the_limit_and_has_one_pong_waiting);
