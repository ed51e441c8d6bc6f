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
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use futures_util::SinkExt;
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::access::{self, Access, Denied};
use super::actions::{self, Outcome, Refused};
use super::hub::Event;
use super::protocol::{self, ClientFrame, Person};
use super::slots::Slot;
use super::strategy;
use crate::usecases::{self, rounds::Cast};
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::store::rooms::{self, Room};
use crate::store::{organisations, sessions};

#[derive(Deserialize, Default)]
pub struct WsQuery {
    after: Option<MessageId>,
    room: Option<RoomId>,
}

/// How many messages a connection without `after` gets first.
const LATEST: i64 = 50;

/// Stored messages are read and sent in pages of this many: a client asking for everything
/// (`after=0`) in a long room gets it all, without the server holding it all at once.
const PAGE: i64 = 200;

/// An idle socket's rights are checked again after this long (every action checks at once).
const RECHECK_IDLE: Duration = Duration::from_secs(60);

/// The session cookie's name (the web layer sets it; see `web::cookies`).
const SESSION_COOKIE: &str = "salon_session";

pub async fn upgrade(
    State(app): State<SharedApp>,
    jar: CookieJar,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<WsQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers always send Origin on a websocket handshake; another site's is refused.
    if let Some(origin) = headers.get(header::ORIGIN)
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
        Ok(Err(Denied::NotSignedIn)) => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Ok(Err(Denied::NotRegistered)) => return (StatusCode::FORBIDDEN, "not registered for this salon").into_response(),
        Ok(Err(Denied::NotFound)) => return (StatusCode::NOT_FOUND, "no such room").into_response(),
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    let Some(slot) = app.room_slots.take(user.id) else {
        return (StatusCode::TOO_MANY_REQUESTS, "too many open room connections").into_response();
    };
    let org = match user.organisation_id {
        Some(oid) => organisations::by_id(&app.db, oid).await.ok().flatten().map(|o| o.name),
        None => None,
    };
    let me = Person { id: user.id, name: user.name.clone(), org };
    let connection = Connection {
        app: app.clone(),
        room,
        access,
        me,
        last: q.after.unwrap_or_default(),
        session,
        locale: user.locale().code(),
        checked_at: Instant::now(),
        behind: false,
        _slot: slot,
    };
    // Small buffers: a room connection carries short frames, and tungstenite's defaults
    // (128 KiB each way) would cost a quarter of a megabyte per person. The read buffer is
    // also zero-filled up to its size before every read attempt, so small is cheaper too.
    ws.max_message_size(16 * 1024)
        .read_buffer_size(1024)
        .write_buffer_size(4 * 1024)
        .on_upgrade(move |socket| run(socket, connection, q.after))
}

async fn run(mut socket: WebSocket, mut connection: Connection, after: Option<MessageId>) {
    let app = connection.app.clone();
    let room_id = connection.room.id;
    let me = connection.me.clone();
    // Subscribe before reading the history, so nothing falls between the two.
    let mut events = app.hub.subscribe(room_id);
    let online = app.hub.join(room_id, me.clone());
    metrics::gauge!("salon_room_connections").increment(1.0);

    let mut ok = socket.send(WsMessage::Text(protocol::hello(room_id, &me, &online).into())).await.is_ok();
    if ok {
        ok = match after {
            Some(_) => Box::pin(connection.send_stored(&mut socket)).await,
            None => Box::pin(connection.send_latest(&mut socket)).await,
        };
    }
    let mut ping = tokio::time::interval(Duration::from_secs(25));
    ping.tick().await;
    // Made once: a fresh `cancelled()` per turn of the loop would lock the token's shared
    // waiter list twice per delivery, for every connection.
    let shutdown = app.shutdown.cancelled();
    tokio::pin!(shutdown);
    // One socket, not split into halves: only the `recv` branch borrows it while waiting, and
    // each branch's body runs after the others are dropped (no lock per poll, as split needs).
    while ok {
        tokio::select! {
            frame = socket.recv() => match frame {
                Some(Ok(WsMessage::Text(text))) => {
                    // Boxed, like every database call here: an async fn's state is as large as its
                    // largest await, and sqlx's futures are kilobytes; kept inline, they would
                    // make every idle connection's task that large.
                    let reply = Box::pin(connection.handle(&text)).await;
                    for frame in reply.frames {
                        if socket.send(WsMessage::Text(frame)).await.is_err() {
                            ok = false;
                        }
                    }
                    if let Some(denied) = reply.close {
                        close(&mut socket, denied).await;
                        break;
                    }
                }
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {} // pings are answered by axum; binary frames are ignored
            },
            event = events.recv() => {
                ok = Box::pin(connection.deliver(&mut socket, &mut events, event)).await;
            }
            _ = ping.tick() => {
                if connection.checked_at.elapsed() >= RECHECK_IDLE
                    && let Err(denied) = Box::pin(connection.recheck()).await
                {
                    let frame = connection.error_frame(denied.code());
                    let _ = socket.send(WsMessage::Text(frame)).await;
                    close(&mut socket, denied).await;
                    break;
                }
                if socket.send(WsMessage::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            _ = &mut shutdown => {
                let _ = socket.send(WsMessage::Close(None)).await;
                break;
            }
        }
    }
    app.hub.leave(room_id, me.id);
    metrics::gauge!("salon_room_connections").decrement(1.0);
}

/// Close a socket whose rights are gone (policy violation: the client should not reconnect
/// blindly; room.js shows the error frame sent before it).
async fn close(socket: &mut WebSocket, denied: Denied) {
    let frame = CloseFrame { code: close_code::POLICY, reason: Utf8Bytes::from_static(denied.code()) };
    let _ = socket.send(WsMessage::Close(Some(frame))).await;
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
    /// The highest message id this client has.
    last: MessageId,
    /// The session cookie this socket was opened with: signing out ends the socket's rights too.
    session: String,
    /// The person's language, for error frames.
    locale: &'static str,
    /// When the rights were last read from the database.
    checked_at: Instant,
    /// Behind by more than the hub keeps: the next step is to send from the database.
    behind: bool,
    /// This connection's place among the person's connections.
    _slot: Slot,
}

impl Connection {
    /// Write one hub event and everything already waiting behind it, with one flush; then, if
    /// the connection fell further behind than the hub keeps, the rest from the database.
    /// False when the socket is gone or the room closed.
    async fn deliver(&mut self, socket: &mut WebSocket, events: &mut broadcast::Receiver<Event>, first: Result<Event, RecvError>) -> bool {
        let Some(mut frames) = self.frames_for(first).await else { return false };
        loop {
            let more = match events.try_recv() {
                Ok(e) => Ok(e),
                Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => Err(RecvError::Closed),
            };
            match self.frames_for(more).await {
                Some(f) => frames.extend(f),
                None => return false,
            }
            if frames.len() >= 256 {
                break;
            }
        }
        for json in frames {
            if socket.feed(WsMessage::Text(json)).await.is_err() {
                return false;
            }
        }
        if socket.flush().await.is_err() {
            return false;
        }
        // Older messages than the hub keeps: from the database, page by page.
        if self.behind {
            return Box::pin(self.send_stored(socket)).await;
        }
        true
    }

    /// The latest messages (a first connection without `after`).
    async fn send_latest(&mut self, socket: &mut WebSocket) -> bool {
        match rooms::history(&self.app.db, self.room.id, None, LATEST, self.access.organiser).await {
            Ok(messages) => {
                for m in messages {
                    if socket.feed(WsMessage::Text(protocol::message(&m).into())).await.is_err() {
                        return false;
                    }
                    self.last = self.last.max(m.id);
                }
                socket.flush().await.is_ok()
            }
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room.id, "room history failed");
                false
            }
        }
    }

    /// Every stored message after `last`, in order, a page at a time.
    async fn send_stored(&mut self, socket: &mut WebSocket) -> bool {
        self.behind = false;
        loop {
            metrics::counter!("salon_room_history_reads_total").increment(1);
            let page = match rooms::history(&self.app.db, self.room.id, Some(self.last), PAGE, self.access.organiser).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = %e, room = %self.room.id, "room history failed");
                    return false;
                }
            };
            let full = page.len() as i64 == PAGE;
            for m in page {
                if socket.feed(WsMessage::Text(protocol::message(&m).into())).await.is_err() {
                    return false;
                }
                self.last = self.last.max(m.id);
            }
            if socket.flush().await.is_err() {
                return false;
            }
            if !full {
                return true;
            }
        }
    }

    /// The frames one hub event means for this connection; None when the room is gone.
    async fn frames_for(&mut self, event: Result<Event, RecvError>) -> Option<Vec<Utf8Bytes>> {
        Some(match event {
            // Behind: the database pass after this batch sends it, in order.
            Ok(Event::Message { .. }) if self.behind => Vec::new(),
            Ok(Event::Message { id, json }) => {
                if id <= self.last {
                    Vec::new()
                } else if id == self.last.next() {
                    self.last = id;
                    vec![json]
                } else {
                    // A gap: an earlier message was published after this one (by another
                    // instance). Both are committed (ids are allocated under the room lock).
                    self.catch_up()
                }
            }
            Ok(Event::Change { json, .. }) | Ok(Event::Presence(json)) | Ok(Event::Notice { json, .. }) => vec![json],
            // Too slow to keep up: catch up rather than skip. The missed messages, then every
            // change and the presence again (they are not in the message history).
            Err(RecvError::Lagged(missed)) => {
                metrics::counter!("salon_room_resyncs_total").increment(1);
                tracing::debug!(missed, "room receiver lagged; catching up");
                let mut frames = self.catch_up();
                frames.extend(self.app.hub.replay(self.room.id));
                frames
            }
            Err(RecvError::Closed) => return None,
        })
    }

    /// Every message after `last`, in order, from the hub's recent messages if it still has
    /// them all; otherwise none now and `behind` set, so the database pass sends them.
    fn catch_up(&mut self) -> Vec<Utf8Bytes> {
        match self.app.hub.messages_after(self.room.id, self.last) {
            Some(kept) => kept
                .into_iter()
                .map(|(id, json)| {
                    self.last = self.last.max(id);
                    json
                })
                .collect(),
            None => {
                self.behind = true;
                Vec::new()
            }
        }
    }

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
    async fn handle(&mut self, text: &str) -> Reply {
        // Every frame counts, understood or not, before any database work.
        if !actions::within_limit(&self.app, self.me.id) {
            return self.refused(Refused::RateLimited);
        }
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(_) => return Reply { frames: vec![self.error_frame("bad_frame")], close: None },
        };
        if let Err(denied) = self.recheck().await {
            return Reply { frames: vec![self.error_frame(denied.code())], close: Some(denied) };
        }
        let app = &self.app;
        let result = match frame {
            ClientFrame::Send { body, client_id, question } => {
                match actions::post(app, &self.room, self.access, self.me.id, &client_id, &body, question).await {
                    Ok(Outcome::Done(m)) if m.id <= self.last => {
                        // Already delivered (a resend): send the stored copy so the sender sees it.
                        return Reply { frames: vec![protocol::message(&m).into()], close: None };
                    }
                    Ok(o) => Ok(o.refusal()),
                    Err(e) => Err(e),
                }
            }
            ClientFrame::Vote { id } => actions::vote(app, &self.room, self.access, self.me.id, id).await.map(|o| o.refusal()),
            ClientFrame::Hide { id } => actions::hide(app, &self.room, self.access, crate::store::audit::Named { id: self.me.id, name: &self.me.name }, id).await.map(|o| o.refusal()),
            ClientFrame::Answer { id } => actions::answer(app, &self.room, self.access, id).await.map(|o| o.refusal()),
            ClientFrame::Ballot { round, points } => return Box::pin(self.ballot(round, points)).await,
        };
        match result {
            Ok(None) => Reply::default(),
            Ok(Some(r)) => self.refused(r),
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room.id, "room action failed");
                Reply { frames: vec![self.error_frame("internal")], close: None }
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
        let frame = match usecases::rounds::cast(&self.app, self.room.salon_id, round, self.me.id, &given).await {
            Ok(Cast::Accepted(stored)) => strategy::ballot_accepted(round, &stored),
            Ok(Cast::Refused(code)) => {
                let message = rust_i18n::t!(format!("round.error.{code}"), locale = self.locale);
                protocol::round_error(round, code, &message)
            }
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room.id, "ballot failed");
                return Reply { frames: vec![self.error_frame("internal")], close: None };
            }
        };
        Reply { frames: vec![frame.into()], close: None }
    }

    fn refused(&self, r: Refused) -> Reply {
        Reply { frames: vec![self.error_frame(r.code())], close: None }
    }
}
