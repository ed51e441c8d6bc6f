//! A socket that stops reading, on both databases: while one person's client reads nothing
//! (its receive window shrunk to a few kilobytes, so the server's writes to it back up), the
//! others in the room still get every message as it is sent; when the stalled client reads
//! again it gets every message once, in order (from the catch-up path when it fell behind).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::room::{JENS, LARS, ORGANISER, Socket, collect, connect, ids};
use tokio_tungstenite::tungstenite::Message;
use common::*;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Messages sent while one client is stalled (about 2 KiB each): far more than a 4 KiB receive
/// window and the server's send buffer hold.
const MESSAGES: usize = 4000;

/// A client whose TCP receive buffer is a few kilobytes: when it stops reading, the server
/// cannot write to it for long.
async fn connect_small_window(app: &TestApp, salon: i64, email: &str) -> Socket {
    let session = app.session_for(email).await;
    let addr: std::net::SocketAddr = app.base.trim_start_matches("http://").parse().unwrap();
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let stream = tcp.connect(addr).await.unwrap();
    let mut request = format!("ws://{addr}/salons/{salon}/room/ws").into_client_request().unwrap();
    request.headers_mut().insert("cookie", format!("salon_session={session}").parse().unwrap());
    request.headers_mut().insert("origin", app.base.parse().unwrap());
    let (socket, _) = tokio_tungstenite::client_async(request, tokio_tungstenite::MaybeTlsStream::Plain(stream)).await.unwrap();
    socket
}

async fn a_stalled_socket_delays_nobody_and_still_gets_everything(db: TestDb) {
    let (app, salon) = common::room::running_salon_with(&db, "256", "100000").await;
    let mut stalled = connect_small_window(&app, salon, JENS).await;
    let mut reader = connect(&app, salon, Some(ORGANISER), None, None).await.unwrap();
    let sender = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    // Each message ~2 KiB: 8 MB in all, more than a 4 KiB receive window and the largest send
    // buffer the kernel grows to (4 MiB by default) hold.
    let padding = "x".repeat(1900);
    // The sender reads its own socket too (a client that reads nothing cannot send either:
    // its connection's task is busy writing to it).
    let (mut out, mut inbox) = futures_util::StreamExt::split(sender);
    let draining = tokio::spawn(async move { while futures_util::StreamExt::next(&mut inbox).await.is_some() {} });
    let sending = tokio::spawn(async move {
        for i in 0..MESSAGES {
            let frame = serde_json::json!({"type": "send", "body": format!("{i} {padding}"), "client_id": format!("m-{i}")}).to_string();
            futures_util::SinkExt::send(&mut out, Message::Text(frame.into())).await.unwrap();
        }
        out
    });
    // The reader gets all of them while Jens's client reads nothing at all.
    let got = collect(&mut reader, MESSAGES).await;
    let expected: Vec<i64> = (1..=MESSAGES as i64).collect();
    assert_eq!(ids(&got), expected, "the reader gets every message, in order, while another socket is stalled");
    let _out = sending.await.unwrap();
    // Now the stalled client reads: every message, once, in order.
    let late = collect(&mut stalled, MESSAGES).await;
    assert_eq!(ids(&late), expected, "the stalled socket ends with every message once, in order");
    for (i, m) in late.iter().enumerate() {
        assert!(m["body"].as_str().unwrap().starts_with(&format!("{i} ")), "message {} holds its own body", m["id"]);
    }
    // It really was held up: its connection fell behind the room's buffer and caught up.
    let (_, metrics) = app.client().get_text("/metrics").await;
    let resyncs: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("salon_room_resyncs_total "))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0.0);
    assert!(resyncs >= 1.0, "the stalled connection caught up from the database: {metrics}");
    draining.abort();
    app.stop().await;
}

both_backends!(a_stalled_socket_delays_nobody_and_still_gets_everything);
