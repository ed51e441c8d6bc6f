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
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc;

use super::bridge::{Note, What};
use super::order::{HOLD, Order};
use super::protocol::{self, Person};
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
    /// A round, theme, decision or action changed (`rooms::strategy`); `key` names the item,
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

#[derive(Default)]
struct PresenceState {
    /// When the last presence frame went out.
    sent_at: Option<Instant>,
    /// A frame is due at the end of the interval.
    scheduled: bool,
    /// This instance's people changed since the last frame (the other instances need to hear).
    local_changed: bool,
    /// What the last frame said, for the hello of people joining in between.
    last: Online,
}

/// What to do after a presence change, decided under the lock and done outside it.
enum Presence {
    Now(Online, Option<Online>),
    Later(Duration),
    Nothing,
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
        socket.sent_up_to(published);
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
                // relayed by `rooms::strategy` as what changed, not as the frame.
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

    /// Someone connected; returns who is online (for the hello) and announces the change.
    pub fn join(self: &Arc<Self>, room: RoomId, who: Person) -> Online {
        let (decision, seen) = self.with_room(room, |r| {
            r.online.entry(who.id).or_insert_with(|| (who.clone(), 0)).1 += 1;
            r.presence.local_changed = true;
            let decision = self.decide(r);
            // A small room is cheap to list afresh, so the newcomer sees themselves at once;
            // a large one answers with the last frame's list (the next frame follows shortly).
            let seen = match &decision {
                Presence::Now(everyone, _) => everyone.clone(),
                _ if r.online.len() <= PRESENCE_NAMES => merged(r),
                _ => r.presence.last.clone(),
            };
            (decision, seen)
        });
        self.act(room, decision);
        seen
    }

    /// A connection that attached and joined has gone.
    pub fn leave(self: &Arc<Self>, room: RoomId, person: PersonId) {
        let decision = self.with_room(room, |r| {
            r.attached = r.attached.saturating_sub(1);
            if let Some(entry) = r.online.get_mut(&person) {
                entry.1 -= 1;
                if entry.1 == 0 {
                    r.online.remove(&person);
                    r.presence.local_changed = true;
                    if r.online.is_empty() {
                        // Nobody here can fall behind: free the kept messages.
                        r.recent = Recent::default();
                    }
                    return self.decide(r);
                }
            }
            Presence::Nothing
        });
        self.act(room, decision);
    }

    /// Another instance's people in a room.
    pub fn remote_presence(self: &Arc<Self>, room: RoomId, instance: &str, online: Online) {
        let decision = self.with_room(room, |r| {
            if online.count == 0 {
                r.remote.remove(instance);
            } else {
                r.remote.insert(instance.to_string(), online);
            }
            self.decide(r)
        });
        self.act(room, decision);
    }

    /// Under the room's lock: send presence now, later, or leave it to a frame already due.
    fn decide(&self, r: &mut Room) -> Presence {
        if r.presence.scheduled {
            return Presence::Nothing;
        }
        let every = self.interval(r);
        match r.presence.sent_at {
            Some(at) if at.elapsed() < every => {
                r.presence.scheduled = true;
                Presence::Later(every - at.elapsed())
            }
            _ => Self::take_presence(r),
        }
    }

    fn interval(&self, r: &Room) -> Duration {
        let people = r.online.len() + r.remote.values().map(|o| o.count).sum::<usize>();
        (self.presence_every * (1 + (people / 1000) as u32)).min(Duration::from_secs(10))
    }

    /// Under the lock: the frame to send now, and this instance's people if they changed.
    fn take_presence(r: &mut Room) -> Presence {
        let everyone = merged(r);
        let local = r
            .presence
            .local_changed
            .then(|| capped(r.online.values().map(|(p, _)| p.clone()).collect()));
        r.presence = PresenceState {
            sent_at: Some(Instant::now()),
            scheduled: false,
            local_changed: false,
            last: everyone.clone(),
        };
        Presence::Now(everyone, local)
    }

    fn act(self: &Arc<Self>, room: RoomId, decision: Presence) {
        match decision {
            Presence::Nothing => {}
            Presence::Now(everyone, local) => {
                if let (Some(relay), Some(local)) = (self.relay.get(), local) {
                    let what = What::Presence {
                        online: local.people,
                        count: Some(local.count),
                    };
                    let _ = relay.send(Note {
                        i: self.instance.clone(),
                        room,
                        what,
                    });
                }
                self.publish_local(room, Event::Presence(protocol::presence(&everyone).into()));
            }
            Presence::Later(after) => {
                let hub = Arc::clone(self);
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let decision = hub.with_room(room, Self::take_presence);
                    hub.act(room, decision);
                });
            }
        }
    }
}

/// Everyone in the room on any instance, once each, sorted by name, capped.
fn merged(r: &Room) -> Online {
    let mut by_id: HashMap<PersonId, Person> =
        r.online.values().map(|(p, _)| (p.id, p.clone())).collect();
    // People another instance counted but did not name.
    let mut unnamed = 0;
    for other in r.remote.values() {
        unnamed += other.count.saturating_sub(other.people.len());
        for p in &other.people {
            by_id.entry(p.id).or_insert_with(|| p.clone());
        }
    }
    let mut online = capped(by_id.into_values().collect());
    online.count += unnamed;
    online
}

/// The first [`PRESENCE_NAMES`] people by name, and how many there are.
fn capped(mut people: Vec<Person>) -> Online {
    let count = people.len();
    let by_name = |a: &Person, b: &Person| a.name.cmp(&b.name).then(a.id.cmp(&b.id));
    if people.len() > PRESENCE_NAMES {
        people.select_nth_unstable_by(PRESENCE_NAMES, by_name);
        people.truncate(PRESENCE_NAMES);
    }
    people.sort_by(by_name);
    Online { people, count }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64) -> Person {
        Person {
            id: PersonId(id),
            name: format!("P{id:05}"),
            org: None,
        }
    }

    #[test]
    fn a_large_room_names_the_first_people_by_name_and_counts_everyone() {
        let online = capped((0..5000).rev().map(person).collect());
        assert_eq!(online.count, 5000);
        assert_eq!(online.people.len(), PRESENCE_NAMES);
        assert_eq!(online.people[0].id, PersonId(0));
        assert_eq!(
            online.people[PRESENCE_NAMES - 1].id,
            PersonId(PRESENCE_NAMES as i64 - 1)
        );
    }

    /// A hub, and room 1's events as its writer would get them.
    fn hub_and_events(presence_every: Duration) -> (Arc<Hub>, mpsc::UnboundedReceiver<Out>) {
        let hub = Arc::new(Hub::new(presence_every));
        // Someone attached (so the room stays), and the writer's end taken by the test.
        let rx = hub
            .with_room(RoomId(1), |r| {
                r.attached += 1;
                r.inbox.take()
            })
            .unwrap();
        (hub, rx)
    }

    fn message(hub: &Arc<Hub>, id: i64) {
        hub.publish_local(
            RoomId(1),
            Event::Message {
                id: MessageId(id),
                json: format!("m{id}").into(),
            },
        );
    }

    fn ids(rx: &mut mpsc::UnboundedReceiver<Out>) -> Vec<i64> {
        let mut ids = Vec::new();
        while let Ok(Out::Event {
            event: Event::Message { id, .. },
            ..
        }) = rx.try_recv()
        {
            ids.push(id.0);
        }
        ids
    }

    #[tokio::test]
    async fn a_message_waits_for_an_earlier_one_from_another_instance() {
        let (hub, mut rx) = hub_and_events(Duration::from_secs(1));
        message(&hub, 1);
        // 3 posted here before 2 arrived from elsewhere: 3 waits, then both go out in order.
        message(&hub, 3);
        assert_eq!(ids(&mut rx), vec![1]);
        message(&hub, 2);
        assert_eq!(ids(&mut rx), vec![2, 3]);
        // A repeat of an old one passes (connections skip what they have).
        message(&hub, 2);
        assert_eq!(ids(&mut rx), vec![2]);
    }

    #[tokio::test]
    async fn a_message_whose_predecessor_never_comes_goes_out_after_the_hold() {
        let (hub, mut rx) = hub_and_events(Duration::from_secs(1));
        message(&hub, 1);
        message(&hub, 3);
        message(&hub, 4);
        assert_eq!(ids(&mut rx), vec![1]);
        tokio::time::sleep(HOLD + Duration::from_millis(10)).await;
        assert_eq!(ids(&mut rx), vec![3, 4]);
        // The room goes on from there.
        message(&hub, 5);
        assert_eq!(ids(&mut rx), vec![5]);
    }

    #[tokio::test]
    async fn a_writer_too_far_behind_is_sent_no_more_until_it_catches_up() {
        let (hub, mut rx) = hub_and_events(Duration::from_secs(1));
        for id in 1..=(MAX_QUEUED as i64 + 100) {
            message(&hub, id);
        }
        // Every event counted (the catch-up reads up to there), only MAX_QUEUED queued.
        assert_eq!(hub.published(RoomId(1)), MAX_QUEUED as u64 + 100);
        let mut queued = 0;
        while rx.try_recv().is_ok() {
            queued += 1;
        }
        assert_eq!(queued, MAX_QUEUED);
    }

    #[tokio::test]
    async fn an_idle_room_is_let_go_and_a_busy_one_is_kept() {
        let hub = Arc::new(Hub::new(Duration::from_millis(10)));
        hub.publish_local(
            RoomId(7),
            Event::Message {
                id: MessageId(1),
                json: "m1".into(),
            },
        );
        assert_eq!(hub.live_rooms(), 0, "nobody there: nothing kept");
        hub.join(RoomId(8), person(1));
        assert_eq!(hub.live_rooms(), 1);
        hub.leave(RoomId(8), PersonId(1));
        // The presence frame saying so may be due a moment later; then the room goes.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(hub.live_rooms(), 0);
    }

    #[tokio::test]
    async fn joins_close_together_make_one_presence_frame_with_everyone() {
        let (hub, mut rx) = hub_and_events(Duration::from_millis(200));
        for id in 0..100 {
            hub.join(RoomId(1), person(id));
        }
        // The first join's frame at once, then one more with all hundred.
        let first = rx.recv().await.unwrap();
        let second = tokio::time::timeout(Duration::from_secs(2), rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            rx.try_recv(),
            Err(mpsc::error::TryRecvError::Empty)
        ));
        let count = |e: Out| match e {
            Out::Event {
                event: Event::Presence(json),
                ..
            } => serde_json::from_str::<serde_json::Value>(json.as_str()).unwrap()["count"]
                .as_u64()
                .unwrap(),
            _ => panic!("not a presence frame"),
        };
        assert_eq!(count(first), 1);
        assert_eq!(count(second), 100);
    }
}
