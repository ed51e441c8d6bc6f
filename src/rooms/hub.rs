//! Per-room fan-out and presence, in this process (and, with PostgreSQL, relayed to the other
//! instances by `bridge`).
//!
//! Presence is coalesced: a join or leave sends a presence frame at once if none went out
//! recently, otherwise one frame goes out at the end of the interval with everything that
//! changed meanwhile. Without that, N people joining cost N frames to N people (O(N²): ten
//! thousand joins were fifty million frames). Frames name at most [`PRESENCE_NAMES`] people
//! and count the rest, so a frame stays a few kilobytes in a room of ten thousand.
//!
//! Each room has its own lock: the map of rooms is locked only to find (or add) a room, so a
//! busy room never holds up another. A room lives while anything is in it (a socket, someone
//! present here or on another instance, a presence frame due, a message held for order): when
//! it is idle it is let go, with its writer task (`salon_rooms_live` counts those in memory).
//!
//! What a room's writer has not taken yet is bounded ([`MAX_QUEUED`]): past it, events are not
//! queued (each is still counted and kept in `recent`), and the writer, seeing the gap in the
//! publish counts, sends every socket in the room to catch up (as a slow socket does), so
//! nothing is lost and memory stays bounded however fast a room is written to.
//!
//! Lock order (see also `rooms::socket`): a socket's lock, then a room's lock, then the map.
//! Nothing takes a socket's lock while it holds a room's, nor a room's while it holds the map.

use crate::ids::{MessageId, PersonId, RoomId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::bridge::{Note, What};
use super::order::{HOLD, Order};
use super::protocol::Person;
pub use super::recent::Change;
use super::recent::Recent;
use super::socket::Socket;
use super::writer::{self, Out};

/// How many people a presence frame names; the others are only counted.
pub const PRESENCE_NAMES: usize = 50;

/// The most events waiting for a room's writer; see the module doc.
pub const MAX_QUEUED: usize = 4096;

/// What goes out to a room's connections. Frames are encoded once; `Utf8Bytes` is
/// reference-counted, so every connection sends the same bytes without a copy.
#[derive(Debug, Clone)]
pub enum Event {
    /// A stored message; `json` is its frame.
    Message { id: MessageId, json: Utf8Bytes },
    /// A change to an earlier message (hidden: members drop it, organisers mark it; votes;
    /// answered): the same frame for everyone.
    Change {
        id: MessageId,
        kind: Change,
        json: Utf8Bytes,
    },
    /// Who is in the room.
    Presence(Utf8Bytes),
    /// A round, theme, decision or action changed (`rooms::notices`); `key` names the item,
    /// and the frame carries its whole state.
    Notice { key: Arc<str>, json: Utf8Bytes },
}

/// Who is in a room: the first [`PRESENCE_NAMES`] by name, and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Online {
    pub people: Vec<Person>,
    pub count: usize,
}

struct Room {
    /// Let go (idle): whoever finds it after that looks the room up again.
    gone: bool,
    /// Sockets attached to the room's writer (and not yet left).
    attached: usize,
    /// Events sent to the writer that it has not taken yet (shared with it).
    queued: Arc<AtomicUsize>,
    /// To the room's writer (`rooms::writer`), which writes each event to every socket here.
    out: mpsc::UnboundedSender<Out>,
    /// The writer's end, until the first connection starts the writer: before that, events
    /// are not sent (nobody would read them).
    inbox: Option<mpsc::UnboundedReceiver<Out>>,
    /// How many events were published here: a connection that catches up reads until this
    /// stops moving (see `Socket::go_live`).
    published: u64,
    /// Who is here on this instance: person -> (who, open connections).
    online: HashMap<PersonId, (Person, usize)>,
    /// Who is here on other instances, by instance id.
    remote: HashMap<String, Online>,
    presence: PresenceState,
    /// For connections that fell behind.
    recent: Recent,
    /// Held from storing a message until it is published; see [`Hub::posting`].
    posting: Arc<tokio::sync::Mutex<()>>,
    order: Order,
}

impl Room {
    fn new() -> Room {
        let (out, inbox) = mpsc::unbounded_channel();
        Room {
            gone: false,
            attached: 0,
            queued: Arc::new(AtomicUsize::new(0)),
            out,
            inbox: Some(inbox),
            published: 0,
            online: HashMap::new(),
            remote: HashMap::new(),
            presence: PresenceState::default(),
            recent: Recent::default(),
            posting: Arc::new(tokio::sync::Mutex::new(())),
            order: Order::default(),
        }
    }

    /// Nothing in it and nothing due: it can be let go (its writer ends with its channel).
    fn is_idle(&self) -> bool {
        self.attached == 0
            && self.online.is_empty()
            && self.remote.is_empty()
            && !self.presence.scheduled
            && self.order.is_empty()
    }
}

/// The rooms of this process. The std `Mutex`es (the map's, each room's) are never held across
/// an `.await`.
pub struct Hub {
    presence_every: Duration,
    instance: String,
    rooms: Mutex<HashMap<RoomId, Arc<Mutex<Room>>>>,
    /// Set when rooms are relayed between instances (PostgreSQL).
    relay: OnceLock<mpsc::UnboundedSender<Note>>,
}

impl Hub {
    /// `presence_every`: the shortest gap between two presence frames in a small room (larger
    /// rooms wait longer: one more interval per thousand people, at most ten seconds).
    pub fn new(presence_every: Duration) -> Hub {
        Hub {
            presence_every,
            instance: uuid::Uuid::new_v4().simple().to_string(),
            rooms: Mutex::new(HashMap::new()),
            relay: OnceLock::new(),
        }
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Relay this hub's events to other instances through `notes`.
    pub fn relay_to(&self, notes: mpsc::UnboundedSender<Note>) {
        let _ = self.relay.set(notes);
    }

    /// Run `f` under the room's own lock (the room is made if needed); afterwards an idle room
    /// is let go.
    fn with_room<T>(&self, room: RoomId, f: impl FnOnce(&mut Room) -> T) -> T {
        let cell = {
            let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
            let cell = rooms
                .entry(room)
                .or_insert_with(|| Arc::new(Mutex::new(Room::new())))
                .clone();
            metrics::gauge!("salon_rooms_live").set(rooms.len() as f64);
            cell
        };
        let mut r = cell.lock().unwrap_or_else(|e| e.into_inner());
        if r.gone {
            // Let go between the lookup and the lock: look it up again (the map has a fresh
            // room for it now, or makes one).
            drop(r);
            return self.with_room(room, f);
        }
        let out = f(&mut r);
        if r.is_idle() {
            r.gone = true;
            // Room, then map: the lock order (see the module doc).
            let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
            if rooms.get(&room).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                rooms.remove(&room);
            }
            metrics::gauge!("salon_rooms_live").set(rooms.len() as f64);
        }
        out
    }

    /// How many rooms this process holds in memory.
    pub fn live_rooms(&self) -> usize {
        self.rooms.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// This instance's turn to post in a room: taken before a message's id is allocated and
    /// released after it is published, so this instance publishes in id order. (The database
    /// serialises posts per room anyway; without this, two posts committed as 5 and 6 could be
    /// published as 6 and 5, and every connection would then read the gap from the database.)
    pub fn posting(&self, room: RoomId) -> Arc<tokio::sync::Mutex<()>> {
        self.with_room(room, |r| r.posting.clone())
    }

    /// A connection's socket joins the room's writer (started with the first). The socket is
    /// behind until its task has sent the history and calls `Socket::go_live`.
    pub fn attach(&self, room: RoomId, socket: &Arc<Socket>) {
        let published = self.with_room(room, |r| {
            if let Some(inbox) = r.inbox.take() {
                tokio::spawn(writer::run(inbox, r.queued.clone()));
            }
            r.attached += 1;
            let _ = r.out.send(Out::Join(Arc::downgrade(socket)));
            r.published
        });
        // What was published before is in the history and the page; what comes after reaches
        // the socket, live or in its catch-up. Set outside the room's lock (the lock order): the
        // socket is behind until its task, this one, lets it go live, so nothing is written to
        // it meanwhile.
        socket.starts_at(published);
    }

    /// How many events this room has published (see `Room::published`).
    pub fn published(&self, room: RoomId) -> u64 {
        self.with_room(room, |r| r.published)
    }

    /// Publish to this instance's connections and relay to the others.
    pub fn publish(self: &Arc<Self>, room: RoomId, event: Event) {
        if let Some(relay) = self.relay.get() {
            let what = match &event {
                Event::Message { id, .. } => Some(What::Message { id: *id }),
                Event::Change { id, kind, json } => Some(What::Change {
                    id: *id,
                    kind: *kind,
                    json: json.as_str().to_string(),
                }),
                // Each instance announces its own people (see `act`); strategy notices are
                // relayed by `usecases::announce` as what changed, not as the frame.
                Event::Presence(_) | Event::Notice { .. } => None,
            };
            if let Some(what) = what {
                let _ = relay.send(Note {
                    i: self.instance.clone(),
                    room,
                    what,
                });
            }
        }
        self.publish_local(room, event);
    }

    /// Publish to this instance's connections only (events relayed from elsewhere). A message
    /// whose predecessor has not been published yet waits for it (see [`Order`]).
    pub fn publish_local(self: &Arc<Self>, room: RoomId, event: Event) {
        let hold = self.with_room(room, |r| match event {
            Event::Message { id, json } => {
                let (ready, hold) = r.order.accept(id, json);
                for (id, json) in ready {
                    Self::send(r, Event::Message { id, json });
                }
                hold
            }
            other => {
                Self::send(r, other);
                None
            }
        });
        if let Some(hold) = hold {
            let hub = Arc::clone(self);
            tokio::spawn(async move {
                tokio::time::sleep(HOLD).await;
                hub.with_room(room, |r| {
                    let held = r.order.release(hold);
                    if !held.is_empty() {
                        tracing::debug!(%room, held = held.len(), "an earlier message did not arrive; sending the later ones");
                    }
                    for (id, json) in held {
                        Self::send(r, Event::Message { id, json });
                    }
                });
            });
        }
    }

    /// Under the room's lock: remember the event for catching up, count it, and hand it to the
    /// room's writer (under the lock, so the writer gets events in the order they were published).
    fn send(r: &mut Room, event: Event) {
        r.published += 1;
        let seq = r.published;
        match &event {
            Event::Message { id, json } => r.recent.message(*id, json),
            Event::Change { id, kind, json } => r.recent.change(seq, *id, *kind, json),
            Event::Presence(json) => r.recent.presence(seq, json),
            Event::Notice { key, json } => r.recent.notice(seq, key, json),
        }
        if r.inbox.is_none() {
            if r.queued.load(Ordering::Relaxed) >= MAX_QUEUED {
                // The writer is this far behind: the event is kept (`recent`) and counted, not
                // queued; the writer sees the gap and sends the sockets to catch up.
                metrics::counter!("salon_room_events_not_queued_total").increment(1);
                return;
            }
            r.queued.fetch_add(1, Ordering::Relaxed);
            let _ = r.out.send(Out::Event {
                seq: r.published,
                event,
                at: std::time::Instant::now(),
            });
        }
    }

    /// Someone is connected to the room on this instance. Strategy notices go only to such
    /// rooms (a series has many rooms, few of them live), without making an entry for the rest.
    pub fn is_live(&self, room: RoomId) -> bool {
        let cell = self
            .rooms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&room)
            .cloned();
        cell.is_some_and(|c| {
            !c.lock()
                .unwrap_or_else(|e| e.into_inner())
                .online
                .is_empty()
        })
    }

    /// Tell the other instances (if any) about something that happened in a room.
    pub fn relay(&self, room: RoomId, what: What) {
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(Note {
                i: self.instance.clone(),
                room,
                what,
            });
        }
    }

    /// The messages after `after` if this instance still has them all (else ask the database).
    pub fn messages_after(
        &self,
        room: RoomId,
        after: MessageId,
    ) -> Option<Vec<(MessageId, Utf8Bytes)>> {
        self.with_room(room, |r| r.recent.messages_after(after))
    }

    /// The changes and the last presence frame, for a connection that fell behind.
    /// The changes, notices and presence published after `since` (a publish count), and the
    /// count now: the frames hold everything up to it.
    pub fn replay_since(&self, room: RoomId, since: u64) -> (u64, Vec<Utf8Bytes>) {
        self.with_room(room, |r| (r.published, r.recent.replay_since(since)))
    }
}

mod presence;
use presence::PresenceState;

#[cfg(test)]
mod tests;
