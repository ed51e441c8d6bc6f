//! Per-room fan-out and presence, in this process (and, with PostgreSQL, relayed to the other
//! instances by `bridge`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{broadcast, mpsc};

use super::bridge::{Note, What};
use super::protocol::{self, Person};

/// What goes out to a room's connections. Frames are encoded once; `Utf8Bytes` is
/// reference-counted, so every connection sends the same bytes without a copy.
#[derive(Debug, Clone)]
pub enum Event {
    /// A stored message; `json` is its frame.
    Message { id: i64, json: Utf8Bytes },
    /// Moderation and Q&A updates, presence: the same frame for everyone.
    Frame(Utf8Bytes),
    /// Hidden: members drop it, organisers mark it.
    Hide { id: i64, json: Utf8Bytes },
}

struct Room {
    tx: broadcast::Sender<Event>,
    /// Who is here on this instance: person -> (who, open connections).
    online: HashMap<i64, (Person, usize)>,
    /// Who is here on other instances, by instance id.
    remote: HashMap<String, Vec<Person>>,
}

/// The rooms of this process. The std `Mutex` guards only map updates and is never held across
/// an `.await`.
pub struct Hub {
    capacity: usize,
    instance: String,
    rooms: Mutex<HashMap<i64, Room>>,
    /// Set when rooms are relayed between instances (PostgreSQL).
    relay: OnceLock<mpsc::UnboundedSender<Note>>,
}

impl Hub {
    /// `capacity`: how many events a slow receiver may fall behind before it must resync.
    pub fn new(capacity: usize) -> Hub {
        Hub {
            capacity: capacity.max(1),
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

    fn with_room<T>(&self, room: i64, f: impl FnOnce(&mut Room) -> T) -> T {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        let capacity = self.capacity;
        let entry = rooms
            .entry(room)
            .or_insert_with(|| Room { tx: broadcast::channel(capacity).0, online: HashMap::new(), remote: HashMap::new() });
        f(entry)
    }

    pub fn subscribe(&self, room: i64) -> broadcast::Receiver<Event> {
        self.with_room(room, |r| r.tx.subscribe())
    }

    /// Publish to this instance's connections and relay to the others.
    pub fn publish(&self, room: i64, event: Event) {
        if let Some(relay) = self.relay.get() {
            let what = match &event {
                Event::Message { id, .. } => What::Message { id: *id },
                Event::Frame(json) => What::Frame { json: json.as_str().to_string() },
                Event::Hide { id, .. } => What::Hide { id: *id },
            };
            let _ = relay.send(Note { i: self.instance.clone(), room, what });
        }
        self.publish_local(room, event);
    }

    /// Publish to this instance's connections only (events relayed from elsewhere).
    pub fn publish_local(&self, room: i64, event: Event) {
        self.with_room(room, |r| {
            // No receivers is fine: nobody is connected here.
            let _ = r.tx.send(event);
        });
    }

    /// Someone connected; returns who is online now (on every instance) and announces it.
    pub fn join(&self, room: i64, who: Person) -> Vec<Person> {
        self.with_room(room, |r| {
            r.online.entry(who.id).or_insert_with(|| (who.clone(), 0)).1 += 1;
        });
        self.presence_changed(room)
    }

    pub fn leave(&self, room: i64, person: i64) {
        self.with_room(room, |r| {
            if let Some(entry) = r.online.get_mut(&person) {
                entry.1 -= 1;
                if entry.1 == 0 {
                    r.online.remove(&person);
                }
            }
        });
        self.presence_changed(room);
    }

    /// Another instance's people in a room.
    pub fn remote_presence(&self, room: i64, instance: &str, online: Vec<Person>) {
        let everyone = self.with_room(room, |r| {
            if online.is_empty() {
                r.remote.remove(instance);
            } else {
                r.remote.insert(instance.to_string(), online);
            }
            merged(r)
        });
        self.publish_local(room, Event::Frame(protocol::presence(&everyone).into()));
    }

    fn presence_changed(&self, room: i64) -> Vec<Person> {
        let (local, everyone) = self.with_room(room, |r| (r.online.values().map(|(p, _)| p.clone()).collect::<Vec<_>>(), merged(r)));
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(Note { i: self.instance.clone(), room, what: What::Presence { online: local } });
        }
        self.publish_local(room, Event::Frame(protocol::presence(&everyone).into()));
        everyone
    }
}

/// Everyone in the room on any instance, once each, sorted by name.
fn merged(r: &Room) -> Vec<Person> {
    let mut by_id: HashMap<i64, Person> = r.online.values().map(|(p, _)| (p.id, p.clone())).collect();
    for people in r.remote.values() {
        for p in people {
            by_id.entry(p.id).or_insert_with(|| p.clone());
        }
    }
    let mut people: Vec<Person> = by_id.into_values().collect();
    people.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    people
}
