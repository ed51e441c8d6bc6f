//! Room test clients: a salon running now with two people registered, websocket clients
//! (tokio-tungstenite) with a session cookie, and reading frames with a deadline.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as Ws;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::{DEADLINE, TestApp, TestDb, from_now, new_salon};

pub const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
pub const LARS: &str = "lars.brandt@kb.example";
pub const JENS: &str = "jens.riis@kombit.example";
pub const SOFIE: &str = "sofie.aa@ddf.example";

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An app with a salon running now; Lars and Jens have said yes. Returns the salon id.
pub async fn running_salon(db: &TestDb, buffer: &str) -> (TestApp, i64) {
    running_salon_with(db, buffer, "1000").await
}

/// The same, with a room rate limit of `rate` messages per second.
pub async fn running_salon_with(db: &TestDb, buffer: &str, rate: &str) -> (TestApp, i64) {
    let mut settings = db.settings();
    settings.room_rate = rate.into();
    settings.room_buffer = buffer.into();
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (starts, ends) = from_now(-10);
    let id = new_salon(
        &org,
        &[
            ("title", "Salon i gang"),
            ("starts_at", &starts),
            ("ends_at", &ends),
            ("meeting_url", "https://meet.example.org/x"),
        ],
        true,
    )
    .await;
    // Answer before the start is not possible now; record the answers as an organiser would.
    for email in [LARS, JENS] {
        app.answer_for(
            id,
            app.person_id(email).await,
            salon::domain::rsvp::Response::Yes,
        )
        .await;
    }
    (app, id)
}

pub async fn connect(
    app: &TestApp,
    salon: i64,
    email: Option<&str>,
    after: Option<i64>,
    origin: Option<&str>,
) -> Result<Socket, u16> {
    let session = match email {
        Some(email) => Some(app.session_for(email).await),
        None => None,
    };
    connect_to(&app.base, salon, session.as_deref(), after, origin).await
}

/// Connect to the room at `base` with a session id (or none).
pub async fn connect_to(
    base: &str,
    salon: i64,
    session: Option<&str>,
    after: Option<i64>,
    origin: Option<&str>,
) -> Result<Socket, u16> {
    let query = after.map(|a| format!("?after={a}")).unwrap_or_default();
    connect_url(
        base,
        &format!("/salons/{salon}/room/ws{query}"),
        session,
        origin,
    )
    .await
}

/// Connect to one of a salon's rooms (`?room=`) at `base`.
pub async fn connect_room(base: &str, salon: i64, room: i64, session: &str) -> Result<Socket, u16> {
    connect_url(
        base,
        &format!("/salons/{salon}/room/ws?room={room}"),
        Some(session),
        None,
    )
    .await
}

async fn connect_url(
    base: &str,
    path: &str,
    session: Option<&str>,
    origin: Option<&str>,
) -> Result<Socket, u16> {
    let url = format!("{}{path}", base.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    if let Some(session) = session {
        request.headers_mut().insert(
            "cookie",
            format!("salon_session={session}").parse().unwrap(),
        );
    }
    request
        .headers_mut()
        .insert("origin", origin.unwrap_or(base).parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        // No HTTP answer at all (the server is down or restarting): 0.
        Err(e) => {
            eprintln!("no websocket connection: {e}");
            Err(0)
        }
    }
}

/// The next frame of a given type (others are skipped), within the deadline.
pub async fn next_of(socket: &mut Socket, kind: &str) -> Value {
    tokio::time::timeout(DEADLINE, async {
        loop {
            match socket.next().await {
                Some(Ok(Ws::Text(text))) => {
                    let v: Value = serde_json::from_str(&text).unwrap();
                    if v["type"] == kind {
                        return v;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("socket ended: {other:?}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("a {kind} frame in time"))
}

/// Collect message frames until `n` distinct ids have arrived; fails on a duplicate.
pub async fn collect(socket: &mut Socket, n: usize) -> Vec<Value> {
    let mut got: Vec<Value> = Vec::new();
    while got.len() < n {
        let m = next_of(socket, "message").await;
        assert!(
            got.iter().all(|g| g["id"] != m["id"]),
            "duplicate message {}",
            m["id"]
        );
        got.push(m);
    }
    got
}

pub async fn send(socket: &mut Socket, body: &str, client_id: &str) {
    socket
        .send(Ws::Text(
            json!({"type": "send", "body": body, "client_id": client_id})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
}

pub fn ids(messages: &[Value]) -> Vec<i64> {
    messages.iter().map(|m| m["id"].as_i64().unwrap()).collect()
}
