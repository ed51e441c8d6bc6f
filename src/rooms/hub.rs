//! Per-room fan-out and presence, in this process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use super::protocol::{self, Person};

/// What goes out to a room's connections.
#[derive(Debug, Clone)]
pub enum Event {
    /// A stored message; `json` is its frame, encoded once.
    Message { id: i64, json: Arc<str> },
    /// Moderation and Q&A updates, presence: the same frame for everyone.
    Frame(Arc<str>),
    /// Hidden: members drop it, organisers mark it.
    Hide { id: i64, json: Arc<str> },
}

struct Room {
    tx: broadcast::Sender<Event>,
    /// Who is here: person -> (who, open connections).
    online: HashMap<i64, (Person, usize)>,
}

/// The rooms of this process. The std `Mutex` guards only map updates and is never held across
/// an `.await`.
pub struct Hub {
    capacity: usize,
    rooms: Mutex<HashMap<i64, Room>>,
}

impl Hub {
    /// `capacity`: how many events a slow receiver may fall behind before it must resync.
    pub fn new(capacity: usize) -> Hub {
        Hub { capacity: capacity.max(1), rooms: Mutex::new(HashMap::new()) }
    }

    fn with_room<T>(&self, room: i64, f: impl FnOnce(&mut Room) -> T) -> T {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        let capacity = self.capacity;
        let entry = rooms.entry(room).or_insert_with(|| Room { tx: broadcast::channel(capacity).0, online: HashMap::new() });
        f(entry)
    }

    pub fn subscribe(&self, room: i64) -> broadcast::Receiver<Event> {
        self.with_room(room, |r| r.tx.subscribe())
    }

    pub fn publish(&self, room: i64, event: Event) {
        self.with_room(room, |r| {
            // No receivers is fine: nobody is connected.
            let _ = r.tx.send(event);
        });
    }

    /// Someone connected; returns who is online now and announces it.
    pub fn join(&self, room: i64, who: Person) -> Vec<Person> {
        let online = self.with_room(room, |r| {
            r.online.entry(who.id).or_insert_with(|| (who.clone(), 0)).1 += 1;
            list(&r.online)
        });
        self.publish(room, Event::Frame(protocol::presence(&online).into()));
        online
    }

    pub fn leave(&self, room: i64, person: i64) {
        let online = self.with_room(room, |r| {
            if let Some(entry) = r.online.get_mut(&person) {
                entry.1 -= 1;
                if entry.1 == 0 {
                    r.online.remove(&person);
                }
            }
            list(&r.online)
        });
        self.publish(room, Event::Frame(protocol::presence(&online).into()));
    }
}

fn list(online: &HashMap<i64, (Person, usize)>) -> Vec<Person> {
    let mut people: Vec<Person> = online.values().map(|(p, _)| p.clone()).collect();
    people.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    people
}
