//! Several instances on one PostgreSQL: room traffic is relayed with LISTEN/NOTIFY, so people
//! connected to different instances are in one room, presence included.
//!
//! Every hub event is also sent as a NOTIFY on `salon_rooms` (in publish order, by one task),
//! tagged with this instance's id; every instance LISTENs and republishes what other instances
//! sent to its own connections. A message travels as its id only (a NOTIFY payload is limited to
//! 8000 bytes): the receiving instance reads it from the database, where it was committed before
//! it was announced. Receivers still check ids for gaps and resync from the database, so a
//! notification lost while the listener reconnects is filled in by the next message.

use crate::ids::{MessageId, RoomId};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::hub::{Change, Event, Hub, Online};
use super::protocol::{self, Person};
use crate::store::{Db, rooms};

pub const CHANNEL: &str = "salon_rooms";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    /// The sending instance.
    pub i: String,
    pub room: RoomId,
    #[serde(flatten)]
    pub what: What,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum What {
    /// A new message: read it from the database.
    #[serde(rename = "m")]
    Message { id: MessageId },
    /// A change to a message (hidden, votes, answered): a frame everyone gets as is.
    #[serde(rename = "c")]
    Change {
        id: MessageId,
        kind: Change,
        json: String,
    },
    /// This instance's people in the room: the first names (a NOTIFY payload is limited to
    /// 8000 bytes) and how many in all.
    #[serde(rename = "p")]
    Presence {
        online: Vec<Person>,
        #[serde(default)]
        count: Option<usize>,
    },
    /// A round, theme, decision or action changed: the receiver builds the frame from the
    /// database (the frame itself can exceed a NOTIFY payload).
    #[serde(rename = "s")]
    Strategy { about: super::notices::About },
}

/// Sends this instance's notes, in order.
pub fn start_sender(
    pool: PgPool,
    mut notes: mpsc::UnboundedReceiver<Note>,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let note = tokio::select! {
                n = notes.recv() => match n { Some(n) => n, None => break },
                _ = shutdown.cancelled() => break,
            };
            let payload = serde_json::to_string(&note).unwrap_or_default();
            if let Err(e) = crate::store::pg_notify(&pool, CHANNEL, &payload).await {
                tracing::warn!(error = %e, "room NOTIFY failed");
            }
        }
    })
}

/// Receives the other instances' notes and republishes them locally. `listening` is told once
/// the LISTEN is in place (or has failed), so the server can wait for it before it lets people
/// into rooms: a note sent before would not reach them. `strategy_changes` and `room_changes`:
/// the strategy pages' and the room pages' cache generations (`App::generations`), moved by
/// other instances' changes too.
pub fn start_listener(
    db: Db,
    pool: PgPool,
    hub: Arc<Hub>,
    strategy_changes: Arc<AtomicU64>,
    room_changes: Arc<AtomicU64>,
    shutdown: CancellationToken,
    listening: tokio::sync::oneshot::Sender<()>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::error!(error = %e, "room LISTEN could not connect; rooms stay local to this instance");
                return;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::error!(error = %e, "room LISTEN failed; rooms stay local to this instance");
            return;
        }
        let _ = listening.send(());
        loop {
            let notification = tokio::select! {
                n = listener.recv() => n,
                _ = shutdown.cancelled() => break,
            };
            let notification = match notification {
                Ok(n) => n,
                Err(e) => {
                    // sqlx reconnects on the next recv; receivers fill any gap from the database.
                    tracing::warn!(error = %e, "room LISTEN interrupted; reconnecting");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    continue;
                }
            };
            let note = match serde_json::from_str::<Note>(notification.payload()) {
                Ok(n) => n,
                Err(e) => {
                    crate::background::row_failed("rooms bridge", "a notification", e);
                    continue;
                }
            };
            if note.i == hub.instance() {
                continue;
            }
            if !matches!(note.what, What::Presence { .. }) {
                room_changes.fetch_add(1, Ordering::Relaxed);
            }
            republish(&db, &hub, &strategy_changes, note).await;
        }
    })
}

/// Another instance's note, published here: a message read from the database (the note
/// carries only its id), a change as it came, a strategy change rebuilt from the database,
/// presence merged with this instance's.
async fn republish(db: &Db, hub: &Arc<Hub>, strategy_changes: &AtomicU64, note: Note) {
    match note.what {
        What::Message { id } => match rooms::message(db, note.room, id).await {
            Ok(Some(m)) => hub.publish_local(
                note.room,
                Event::Message {
                    id,
                    json: protocol::message(&m).into(),
                },
            ),
            Ok(None) => {}
            Err(e) => crate::background::row_failed(
                "rooms bridge",
                format!("room {} message {id}", note.room),
                e,
            ),
        },
        What::Change { id, kind, json } => hub.publish_local(
            note.room,
            Event::Change {
                id,
                kind,
                json: json.into(),
            },
        ),
        What::Strategy { about } => {
            if about.changes_pages() {
                strategy_changes.fetch_add(1, Ordering::Relaxed);
            }
            super::notices::publish_here(db, hub, about).await
        }
        What::Presence { online, count } => {
            let count = count.unwrap_or(online.len());
            hub.remote_presence(
                note.room,
                &note.i,
                Online {
                    people: online,
                    count,
                },
            )
        }
    }
}
