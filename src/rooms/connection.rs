//! The websocket endpoint `/salons/{id}/room/ws?after=LAST_SEEN_ID[&room=ROOM]`.
//!
//! Checked at the upgrade: the Origin (another site: 403), a session (else 401), the right to
//! enter (403; a draft or a missing salon 404), and a free connection slot for the person (429).
//! Then: hello, the missed messages from the database (in pages), and live events. Rights can
//! change while the socket is open, so every frame the client sends counts against the
//! person's rate limit and is checked against the rights as they are now (`access::recheck`),
//! and so is an idle socket once a minute; when they are gone the socket is told why and closed.

use crate::ids::{MessageId, RoomId, RoundId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use bytes::Bytes;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{
    self, protocol::Role, protocol::WebSocketConfig, protocol::frame::coding::CloseCode,
};

use super::access::{self, Access, Denied};
use super::actions::{self, Outcome, Refused};
use super::catchup::Feed;
use super::protocol::{self, ClientFrame, Person};
use super::slots::Slot;
use super::socket::{Socket, Wire};
use super::strategy;
use super::wire;
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::store::rooms::Room;
use crate::store::{organisations, sessions};
use crate::usecases::{self, rounds::Cast};

#[derive(Deserialize, Default)]
pub struct WsQuery {
    after: Option<MessageId>,
    room: Option<RoomId>,
}

/// How long a socket is given to take its close frame when the server stops.
const CLOSE_WITHIN: Duration = Duration::from_secs(2);

/// An idle socket's rights are checked again after this long (every action checks at once).
const RECHECK_IDLE: Duration = Duration::from_secs(60);

/// The session cookie's name (the web layer sets it; see `web::cookies`).
const SESSION_COOKIE: &str = "salon_session";

pub async fn upgrade(
    State(app): State<SharedApp>,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(q): Query<WsQuery>,
    mut request: Request,
) -> Response {
    let accept = match wire::accept_key(request.method(), request.headers()) {
        Ok(key) => key,
        Err(refusal) => return refusal.into_response(),
    };
    // Browsers always send Origin on a websocket handshake; another site's is refused.
    if let Some(origin) = request.headers().get(header::ORIGIN)
        && origin.to_str().ok() != Some(app.config.origin().as_str())
    {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    let Some(session) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    let user = match sessions::person(&app.db, &session).await {
        Ok(Some(u)) => u,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    let (room, access) = match access::enter(&app.db, Some(&user), &id, q.room, now()).await {
        Ok(Ok((_, room, access))) => (room, access),
        Ok(Err(Denied::NotSignedIn)) => {
            return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
        }
        Ok(Err(Denied::NotRegistered)) => {
            return (StatusCode::FORBIDDEN, "not registered for this salon").into_response();
        }
        Ok(Err(Denied::NotFound)) => {
            return (StatusCode::NOT_FOUND, "no such room").into_response();
        }
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    let Some(upgrading) = request
        .extensions_mut()
        .remove::<hyper::upgrade::OnUpgrade>()
    else {
        return (
            StatusCode::UPGRADE_REQUIRED,
            "this connection cannot be upgraded",
        )
            .into_response();
    };
    let Some(slot) = app.room_slots.take(user.id) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many open room connections",
        )
            .into_response();
    };
    let org = match user.organisation_id {
        Some(oid) => organisations::by_id(&app.db, oid)
            .await
            .ok()
            .flatten()
            .map(|o| o.name),
        None => None,
    };
    let me = Person {
        id: user.id,
        name: user.name.clone(),
        org,
    };
    let connection = Connection {
        app: app.clone(),
        room,
        access,
        me,
        session,
        locale: user.locale().code(),
        checked_at: Instant::now(),
        _slot: slot,
    };
    // Tracked, not detached: a graceful stop waits for every socket to close (`crate::run`).
    app.socket_tasks.spawn(async move {
        let upgraded = match upgrading.await {
            Ok(u) => u,
            Err(e) => return tracing::debug!(error = %e, "websocket upgrade failed"),
        };
        // The socket itself (`server::serve` serves plain TCP connections): the room writer
        // writes to it directly.
        match upgraded.downcast::<TokioIo<TcpStream>>() {
            Ok(parts) => {
                // A copy of what the client sent past the handshake (usually nothing): the
                // original is a view into hyper's read buffer, and would keep all of it alive
                // for as long as the socket is open.
                let early = Bytes::copy_from_slice(&parts.read_buf);
                drop(parts.read_buf);
                run(parts.io.into_inner(), early, connection, q.after).await
            }
            Err(_) => {
                tracing::error!("a websocket upgrade on a connection that is not a TCP stream")
            }
        }
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(axum::body::Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Client frames are short: a message is at most a few kilobytes of text.
fn read_config() -> WebSocketConfig {
    // Small buffers: tungstenite's defaults (128 KiB each way) would cost a quarter of a
    // megabyte per person; the read buffer is also allocated up front. It writes only pongs
    // and the answer to a close (to the socket's queue, at once).
    WebSocketConfig::default()
        .read_buffer_size(1024)
        .write_buffer_size(0)
        .max_message_size(Some(16 * 1024))
        .max_frame_size(Some(16 * 1024))
}

async fn run(stream: TcpStream, early: Bytes, connection: Connection, after: Option<MessageId>) {
    let app = connection.app.clone();
    let room_id = connection.room.id;
    let me = connection.me.clone();
    let socket = Arc::new(Socket::new(stream, app.config.room_buffer));
    let mut client = tungstenite::WebSocket::from_raw_socket(
        Wire {
            socket: socket.clone(),
            early,
        },
        Role::Server,
        Some(read_config()),
    );
    // Into the room's writer first (it leaves the socket alone until it goes live), so nothing
    // published falls between the history read and the live frames.
    app.hub.attach(room_id, &socket);
    let online = app.hub.join(room_id, me.clone());
    metrics::gauge!("salon_room_connections").increment(1.0);
    let mut live = Live {
        connection,
        socket: socket.clone(),
    };

    let hello = wire::text(&protocol::hello(room_id, &me, &online));
    let mut ok = socket.send([hello]).await.is_ok();
    if ok {
        ok = match after {
            // The room as read at the door: every message up to its last id was committed then.
            Some(after) => {
                Box::pin(
                    live.feed()
                        .stored(after, live.connection.room.last_message_id),
                )
                .await
            }
            None => Box::pin(live.feed().latest(live.connection.room.last_message_id)).await,
        };
    }
    if ok {
        ok = Box::pin(live.feed().catch_up()).await;
    }
    let mut ping = tokio::time::interval(Duration::from_secs(25));
    ping.tick().await;
    // Made once: a fresh `cancelled()` per turn of the loop would lock the token's shared
    // waiter list twice per turn.
    let shutdown = app.shutdown.cancelled();
    tokio::pin!(shutdown);
    let paused = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(paused);
    let mut pausing = false;
    while ok {
        let queued = socket.has_queued();
        // A client that sends without reading would make its own replies pile up here: its
        // frames wait (in the kernel) until the socket has drained.
        let backlogged = socket.backlogged();
        tokio::select! {
            ready = socket.readable(), if !backlogged && !pausing => {
                if ready.is_err() {
                    break;
                }
                match Box::pin(live.read_frames(&mut client)).await {
                    Read::More => {}
                    Read::Paused => {
                        paused.as_mut().reset(tokio::time::Instant::now() + PAUSE);
                        pausing = true;
                    }
                    Read::Closed => {
                        let _ = socket.drain().await;
                        break;
                    }
                }
            }
            _ = &mut paused, if pausing => {
                pausing = false;
            }
            ready = socket.writable(), if queued => {
                ok = ready.is_ok() && socket.write_queued().is_ok();
            }
            _ = socket.woken() => {
                if socket.is_behind() {
                    ok = Box::pin(live.feed().catch_up()).await;
                }
            }
            _ = ping.tick() => {
                if live.connection.checked_at.elapsed() >= RECHECK_IDLE
                    && let Err(denied) = Box::pin(live.connection.recheck()).await
                {
                    let frame = live.connection.error_frame(denied.code());
                    let _ = socket.send([wire::text(&frame), wire::close(CloseCode::Policy, denied.code())]).await;
                    break;
                }
                socket.push([wire::ping()]);
                ok = socket.write_queued().is_ok();
            }
            _ = &mut shutdown => {
                // A client that reads nothing does not hold up the stop.
                let _ = tokio::time::timeout(CLOSE_WITHIN, say_goodbye(&socket, &mut client)).await;
                break;
            }
        }
    }
    app.hub.leave(room_id, me.id);
    metrics::gauge!("salon_room_connections").decrement(1.0);
}

/// The server is stopping: send close 1001 ("going away"), then read and drop what the client
/// still sends until its own close frame (the close handshake). Closing the socket with the
/// client's frames unread would make the kernel reset the connection, and a reset can reach
/// the client before our close frame and destroy it.
async fn say_goodbye(
    socket: &Socket,
    client: &mut tungstenite::WebSocket<Wire>,
) -> std::io::Result<()> {
    socket.send([wire::close(CloseCode::Away, "")]).await?;
    loop {
        match client.read() {
            Ok(tungstenite::Message::Close(_)) => return Ok(()),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                socket.readable().await?
            }
            Err(_) => return Ok(()),
        }
    }
}

/// What reading the client's frames came to.
enum Read {
    More,
    /// Over the rate limit: read nothing more for a while ([`PAUSE`]).
    Paused,
    Closed,
}

/// How long a socket over its rate limit is not read from (a frame over the limit that is not
/// a message has no answer to carry the refusal).
const PAUSE: Duration = Duration::from_millis(250);

/// A connection and its socket, once the socket is open.
struct Live {
    connection: Connection,
    socket: Arc<Socket>,
}

impl Live {
    /// Every frame the client has sent so far, each answered; then what tungstenite answers
    /// itself (pongs) is written too.
    async fn read_frames(&mut self, client: &mut tungstenite::WebSocket<Wire>) -> Read {
        loop {
            // A client that never stops sending would keep this loop from the stop signal.
            if self.connection.app.shutdown.is_cancelled() {
                break;
            }
            match client.read() {
                Ok(tungstenite::Message::Text(text)) => {
                    // Boxed, like every database call here: an async fn's state is as large as
                    // its largest await, and sqlx's futures are kilobytes; kept inline, they
                    // would make every idle connection's task that large.
                    let reply =
                        Box::pin(self.connection.handle(text.as_str(), self.socket.last())).await;
                    self.socket.push(reply.frames.iter().map(|f| wire::text(f)));
                    if let Some(denied) = reply.close {
                        self.socket
                            .push([wire::close(CloseCode::Policy, denied.code())]);
                        return Read::Closed;
                    }
                    if self.socket.backlogged() {
                        // The rest waits until the socket drains (the socket stays readable:
                        // what is unread has not been asked for yet).
                        break;
                    }
                }
                Ok(tungstenite::Message::Close(_)) => {
                    // tungstenite queued its answer; writing it is the caller's drain.
                    let _ = client.flush();
                    return Read::Closed;
                }
                Ok(_) => {
                    // Pings (tungstenite queues the pong; one waits at most, `Socket::push_pong`),
                    // pongs and binary frames count against the person's limit like a message:
                    // past it, the rest waits in the kernel (and the client's own buffers).
                    if !actions::within_limit(&self.connection.app, self.connection.me.id) {
                        let _ = client.flush();
                        return if self.socket.write_queued().is_err() {
                            Read::Closed
                        } else {
                            Read::Paused
                        };
                    }
                    if self.socket.backlogged() {
                        break;
                    }
                }
                Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    break;
                }
                Err(_) => return Read::Closed, // gone, or not speaking the protocol
            }
        }
        let _ = client.flush();
        if self.socket.write_queued().is_err() {
            return Read::Closed;
        }
        Read::More
    }

    fn feed(&self) -> Feed<'_> {
        let c = &self.connection;
        Feed {
            app: &c.app,
            socket: &self.socket,
            room: c.room.id,
            organiser: c.access.organiser,
        }
    }
}

/// What to send back to the client after one of its frames, and whether to close.
#[derive(Default)]
struct Reply {
    frames: Vec<Utf8Bytes>,
    close: Option<Denied>,
}

struct Connection {
    app: SharedApp,
    room: Room,
    access: Access,
    me: Person,
    /// The session cookie this socket was opened with: signing out ends the socket's rights too.
    session: String,
    /// The person's language, for error frames.
    locale: &'static str,
    /// When the rights were last read from the database.
    checked_at: Instant,
    /// This connection's place among the person's connections.
    _slot: Slot,
}

impl Connection {
    fn error_frame(&self, code: &str) -> Utf8Bytes {
        let message = rust_i18n::t!(format!("room.error.{code}"), locale = self.locale);
        protocol::error(code, &message).into()
    }

    /// Read the rights again; `Err` when they are gone (the socket is then closed).
    async fn recheck(&mut self) -> Result<(), Denied> {
        match access::recheck(&self.app.db, &self.session, self.me.id, &self.room, now()).await {
            Ok(Ok(access)) => {
                self.access = access;
                self.checked_at = Instant::now();
                Ok(())
            }
            Ok(Err(denied)) => Err(denied),
            Err(e) => {
                // The database is unreachable: the action that follows fails on it too; keep
                // the socket (staying exposes nothing new) and check again next time.
                tracing::warn!(error = %e, "room rights check failed");
                Ok(())
            }
        }
    }

    /// The reply to one client frame (errors, and a duplicate's stored copy).
    /// `delivered`: the highest message id the client has been sent.
    async fn handle(&mut self, text: &str, delivered: MessageId) -> Reply {
        let read_at = Instant::now();
        // Every frame counts, understood or not, before any database work.
        if !actions::within_limit(&self.app, self.me.id) {
            return self.refused(Refused::RateLimited);
        }
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(_) => {
                return Reply {
                    frames: vec![self.error_frame("bad_frame")],
                    close: None,
                };
            }
        };
        if let Err(denied) = self.recheck().await {
            return Reply {
                frames: vec![self.error_frame(denied.code())],
                close: Some(denied),
            };
        }
        let app = &self.app;
        let result = match frame {
            ClientFrame::Send {
                body,
                client_id,
                question,
            } => {
                match actions::post(
                    app,
                    &self.room,
                    self.access,
                    self.me.id,
                    &client_id,
                    &body,
                    question,
                )
                .await
                {
                    // A resend of a message this socket has been sent already (room.js sends what
                    // was not confirmed again on reconnect, before the catch-up has arrived):
                    // nothing more to send; a copy would reach the client twice.
                    Ok(Outcome::Done(m)) if m.id <= delivered => return Reply::default(),
                    Ok(o) => {
                        if o.refusal().is_none() {
                            // Read, checked, stored and published: the server's part before the
                            // room's writer (salon_room_fanout_duration_seconds) takes over.
                            metrics::histogram!("salon_room_post_duration_seconds")
                                .record(read_at.elapsed().as_secs_f64());
                        }
                        Ok(o.refusal())
                    }
                    Err(e) => Err(e),
                }
            }
            ClientFrame::Vote { id } => actions::vote(app, &self.room, self.access, self.me.id, id)
                .await
                .map(|o| o.refusal()),
            ClientFrame::Hide { id } => actions::hide(
                app,
                &self.room,
                self.access,
                crate::store::audit::Named {
                    id: self.me.id,
                    name: &self.me.name,
                },
                id,
            )
            .await
            .map(|o| o.refusal()),
            ClientFrame::Answer { id } => actions::answer(app, &self.room, self.access, id)
                .await
                .map(|o| o.refusal()),
            ClientFrame::Ballot { round, points } => {
                return Box::pin(self.ballot(round, points)).await;
            }
        };
        match result {
            Ok(None) => Reply::default(),
            Ok(Some(r)) => self.refused(r),
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room.id, "room action failed");
                Reply {
                    frames: vec![self.error_frame("internal")],
                    close: None,
                }
            }
        }
    }

    /// A ballot in one of the salon's priority rounds: the stored ballot back to the voter, or
    /// why it was refused (nothing stored).
    async fn ballot(&self, round: RoundId, points: HashMap<String, serde_json::Value>) -> Reply {
        let given: Vec<(String, String)> = points
            .into_iter()
            .map(|(option, n)| {
                let n = match n {
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::String(s) => s,
                    _ => "-".to_string(), // not a number: refused as such
                };
                (option, n)
            })
            .collect();
        let frame =
            match usecases::rounds::cast(&self.app, self.room.salon_id, round, self.me.id, &given)
                .await
            {
                Ok(Cast::Accepted(stored)) => strategy::ballot_accepted(round, &stored),
                Ok(Cast::Refused(code)) => {
                    let message =
                        rust_i18n::t!(format!("round.error.{code}"), locale = self.locale);
                    protocol::round_error(round, code, &message)
                }
                Err(e) => {
                    tracing::warn!(error = %e, room = %self.room.id, "ballot failed");
                    return Reply {
                        frames: vec![self.error_frame("internal")],
                        close: None,
                    };
                }
            };
        Reply {
            frames: vec![frame.into()],
            close: None,
        }
    }

    fn refused(&self, r: Refused) -> Reply {
        Reply {
            frames: vec![self.error_frame(r.code())],
            close: None,
        }
    }
}
