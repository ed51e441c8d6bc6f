//! A room's presence: who is here, on this instance and the others, and when a presence frame
//! goes out (coalesced; see the `hub` module doc).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Event, Hub, Online, PRESENCE_NAMES, Room};
use crate::ids::{PersonId, RoomId};
use crate::rooms::bridge::{Note, What};
use crate::rooms::protocol::{self, Person};
use crate::rooms::recent::Recent;

#[derive(Default)]
pub(super) struct PresenceState {
    /// When the last presence frame went out.
    pub(super) sent_at: Option<Instant>,
    /// A frame is due at the end of the interval.
    pub(super) scheduled: bool,
    /// This instance's people changed since the last frame (the other instances need to hear).
    pub(super) local_changed: bool,
    /// What the last frame said, for the hello of people joining in between.
    pub(super) last: Online,
}

/// What to do after a presence change, decided under the lock and done outside it.
pub(super) enum Presence {
    Now(Online, Option<Online>),
    Later(Duration),
    Nothing,
}

impl Hub {
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
pub(super) fn merged(r: &Room) -> Online {
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
pub(super) fn capped(mut people: Vec<Person>) -> Online {
    let count = people.len();
    let by_name = |a: &Person, b: &Person| a.name.cmp(&b.name).then(a.id.cmp(&b.id));
    if people.len() > PRESENCE_NAMES {
        people.select_nth_unstable_by(PRESENCE_NAMES, by_name);
        people.truncate(PRESENCE_NAMES);
    }
    people.sort_by(by_name);
    Online { people, count }
}
