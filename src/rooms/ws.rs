//! The websocket endpoint `/salons/{id}/room/ws?after=LAST_SEEN_ID[&room=ROOM]`.
//!
//! Checked at the upgrade: a session (else 401), the Origin (another site: 403), the right to
//! enter (403). Then: hello, the missed messages from the database, and live events. Every
//! frame the client sends is checked again (`actions`).

use std::time::Duration;

use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use serde::Deserialize;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::access::{self, Access, Denied};
use super::actions::{self, Outcome};
use super::hub::Event;
use super::protocol::{self, ClientFrame, Person};
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::store::rooms::{self, Room};
use crate::store::{organisations, salons};
use crate::web::context::Ctx;

#[derive(Deserialize, Default)]
pub struct WsQuery {
    after: Option<i64>,
    room: Option<i64>,
}

/// How many messages a connection without `after` gets first.
const LATEST: i64 = 50;

pub async fn upgrade(
    State(app): State<SharedApp>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<WsQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers always send Origin on a websocket handshake; another site's is refused.
    if let Some(origin) = headers.get(header::ORIGIN)
        && origin.to_str().ok() != Some(app.config.origin().as_str()) {
            return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
        }
    let Some(user) = ctx.user.clone() else { return (StatusCode::UNAUTHORIZED, "sign in first").into_response() };
    let found = match resolve(&app, &id, q.room).await {
        Ok(Some(found)) => found,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such room").into_response(),
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    let (salon, room) = found;
    let access = match access::check(&app.db, Some(&user), &salon, &room, now()).await {
        Ok(Ok(a)) => a,
        Ok(Err(Denied::NotSignedIn)) => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Ok(Err(Denied::NotRegistered)) => return (StatusCode::FORBIDDEN, "not registered for this salon").into_response(),
        Ok(Err(Denied::NotFound)) => return (StatusCode::NOT_FOUND, "no such room").into_response(),
        Err(e) => return crate::error::AppError::from(e).into_response(),
    };
    let org = match user.organisation_id {
        Some(oid) => organisations::by_id(&app.db, oid).await.ok().flatten().map(|o| o.name),
        None => None,
    };
    let me = Person { id: user.id, name: user.name.clone(), org };
    // Small buffers: a room connection carries short frames, and tungstenite's defaults
    // (128 KiB each way) would cost a quarter of a megabyte per person. The read buffer is
    // also zero-filled up to its size before every read attempt, so small is cheaper too.
    ws.max_message_size(16 * 1024)
        .read_buffer_size(1024)
        .write_buffer_size(4 * 1024)
        .on_upgrade(move |socket| run(app, socket, room, access, me, q.after))
}

/// The salon and the requested room (the main room by default), or None.
pub async fn resolve(app: &SharedApp, id: &str, room: Option<i64>) -> Result<Option<(salons::Salon, Room)>, sqlx::Error> {
    let Some(salon_id) = id.parse::<i64>().ok() else { return Ok(None) };
    let Some(salon) = salons::get(&app.db, salon_id).await? else { return Ok(None) };
    let all = rooms::of_salon(&app.db, salon.id).await?;
    let room = match room {
        Some(r) => all.into_iter().find(|x| x.id == r),
        None => all.into_iter().next(),
    };
    Ok(room.map(|r| (salon, r)))
}

async fn run(app: SharedApp, mut socket: WebSocket, room: Room, access: Access, me: Person, after: Option<i64>) {
    // Subscribe before reading the history, so nothing falls between the two.
    let mut events = app.hub.subscribe(room.id);
    let online = app.hub.join(room.id, me.clone());
    metrics::gauge!("salon_room_connections").increment(1.0);
    let mut connection = Connection { app: app.clone(), room: room.clone(), access, me: me.clone(), last: after.unwrap_or(0) };

    let mut ok = socket.send(WsMessage::Text(protocol::hello(room.id, &me, &online).into())).await.is_ok();
    if ok {
        let backlog = match after {
            Some(a) => Box::pin(rooms::history(&app.db, room.id, Some(a), 10_000, access.organiser)).await,
            None => Box::pin(rooms::history(&app.db, room.id, None, LATEST, access.organiser)).await,
        };
        match backlog {
            Ok(messages) => {
                for m in messages {
                    if socket.feed(WsMessage::Text(protocol::message(&m).into())).await.is_err() {
                        ok = false;
                        break;
                    }
                    connection.last = connection.last.max(m.id);
                }
                ok = ok && socket.flush().await.is_ok();
            }
            Err(e) => {
                tracing::warn!(error = %e, "room history failed");
                ok = false;
            }
        }
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
                    for reply in Box::pin(connection.handle(&text)).await {
                        if socket.send(WsMessage::Text(reply)).await.is_err() {
                            ok = false;
                        }
                    }
                }
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {} // pings are answered by axum; binary frames are ignored
            },
            event = events.recv() => {
                // Take everything already waiting, then write it with one flush.
                let mut frames = match connection.frames_for(event).await {
                    Some(f) => f,
                    None => break,
                };
                loop {
                    let more = match events.try_recv() {
                        Ok(e) => Ok(e),
                        Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Closed) => Err(RecvError::Closed),
                    };
                    match connection.frames_for(more).await {
                        Some(f) => frames.extend(f),
                        None => break,
                    }
                    if frames.len() >= 256 {
                        break;
                    }
                }
                for json in frames {
                    if socket.feed(WsMessage::Text(json)).await.is_err() {
                        ok = false;
                        break;
                    }
                }
                if ok && socket.flush().await.is_err() {
                    ok = false;
                }
            }
            _ = ping.tick() => {
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
    app.hub.leave(room.id, me.id);
    metrics::gauge!("salon_room_connections").decrement(1.0);
}

struct Connection {
    app: SharedApp,
    room: Room,
    access: Access,
    me: Person,
    /// The highest message id this client has.
    last: i64,
}

impl Connection {
    /// The frames one hub event means for this connection; None when the room is gone.
    async fn frames_for(&mut self, event: Result<Event, RecvError>) -> Option<Vec<Utf8Bytes>> {
        Some(match event {
            Ok(Event::Message { id, json }) => {
                if id <= self.last {
                    Vec::new()
                } else if id == self.last + 1 {
                    self.last = id;
                    vec![json]
                } else {
                    // A gap: an earlier message was published after this one (by another
                    // instance). Both are committed (ids are allocated under the room lock).
                    Box::pin(self.catch_up()).await
                }
            }
            Ok(Event::Change { json, .. }) | Ok(Event::Presence(json)) => vec![json],
            // Too slow to keep up: catch up rather than skip. The missed messages, then every
            // change and the presence again (they are not in the message history).
            Err(RecvError::Lagged(missed)) => {
                metrics::counter!("salon_room_resyncs_total").increment(1);
                tracing::debug!(missed, "room receiver lagged; catching up");
                let mut frames = Box::pin(self.catch_up()).await;
                frames.extend(self.app.hub.replay(self.room.id));
                frames
            }
            Err(RecvError::Closed) => return None,
        })
    }

    /// Every message after `last`, in order: from the hub's recent messages if it still has
    /// them all, else from the database.
    async fn catch_up(&mut self) -> Vec<Utf8Bytes> {
        if let Some(kept) = self.app.hub.messages_after(self.room.id, self.last) {
            return kept
                .into_iter()
                .map(|(id, json)| {
                    self.last = self.last.max(id);
                    json
                })
                .collect();
        }
        metrics::counter!("salon_room_history_reads_total").increment(1);
        match rooms::history(&self.app.db, self.room.id, Some(self.last), 10_000, self.access.organiser).await {
            Ok(messages) => messages
                .into_iter()
                .map(|m| {
                    self.last = self.last.max(m.id);
                    Utf8Bytes::from(protocol::message(&m))
                })
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "room catch-up failed");
                Vec::new()
            }
        }
    }

    /// Frames to send back to this client only (errors, and a duplicate's stored copy).
    async fn handle(&mut self, text: &str) -> Vec<Utf8Bytes> {
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(_) => return vec![protocol::error("bad_frame", "frame not understood").into()],
        };
        let app = &self.app;
        let result = match frame {
            ClientFrame::Send { body, client_id, question } => {
                match actions::post(app, &self.room, self.access, self.me.id, &client_id, &body, question).await {
                    Ok(Outcome::Done(m)) if m.id <= self.last => {
                        // Already delivered (a resend): send the stored copy so the sender sees it.
                        return vec![protocol::message(&m).into()];
                    }
                    Ok(Outcome::Done(_)) => Ok(None),
                    Ok(Outcome::Refused(r)) => Ok(Some(r)),
                    Err(e) => Err(e),
                }
            }
            ClientFrame::Vote { id } => refused(actions::vote(app, &self.room, self.access, self.me.id, id).await),
            ClientFrame::Hide { id } => refused(actions::hide(app, &self.room, self.access, id).await),
            ClientFrame::Answer { id } => refused(actions::answer(app, &self.room, self.access, id).await),
        };
        match result {
            Ok(None) => Vec::new(),
            Ok(Some(r)) => vec![protocol::error(r.code(), &rust_i18n::t!(format!("room.error.{}", r.code()), locale = "en")).into()],
            Err(e) => {
                tracing::warn!(error = %e, "room action failed");
                vec![protocol::error("internal", "something went wrong; try again").into()]
            }
        }
    }
}

fn refused<T>(r: Result<Outcome<T>, sqlx::Error>) -> Result<Option<actions::Refused>, sqlx::Error> {
    r.map(|o| match o {
        Outcome::Done(_) => None,
        Outcome::Refused(r) => Some(r),
    })
}
