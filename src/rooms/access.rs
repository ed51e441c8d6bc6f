//! Who may enter a room, and when it may be written in: one place for the room page, the plain
//! forms and the websocket (their doors are `web::room`), at the door and again for every action
//! on an open socket.
//!
//! The order of the checks matters: a draft is "not found" for everyone but organisers (an
//! anonymous visitor must not learn that it exists, so "sign in" comes after it), and the main
//! room row is created only once the caller is let in.

use crate::ids::{PersonId, RoomId, SalonId};
use chrono::{DateTime, Duration, Utc};

use crate::domain::Role;
use crate::domain::rsvp::Standing;
use crate::domain::salon::Status;
use crate::store::people::Person;
use crate::store::rooms::{self, Room};
use crate::store::salons::{self, Salon};
use crate::store::{Db, rsvps};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Not signed in, or the session has ended (401).
    NotSignedIn,
    /// Signed in, but not registered for the salon (403).
    NotRegistered,
    /// No such salon or room, or a draft (404).
    NotFound,
}

impl Denied {
    /// Stable code for a websocket error frame (`room.error.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Denied::NotSignedIn => "signed_out",
            Denied::NotRegistered => "not_registered",
            Denied::NotFound => "gone",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before the room opens (a set time before the salon).
    NotYetOpen,
    Open,
    /// After the salon, or the salon was cancelled: a read-only archive.
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub organiser: bool,
    pub phase: Phase,
    /// Muted in this room by an organiser (never for organisers: they may always write).
    pub muted: bool,
    /// Named note-taker of the salon: records decisions from the room.
    pub note_taker: bool,
}

pub fn phase(salon: &Salon, room: &Room, now: DateTime<Utc>) -> Phase {
    if salon.status() == Status::Cancelled || now >= salon.ends_at {
        Phase::Archived
    } else if now < salon.starts_at - Duration::minutes(room.opens_before_minutes) {
        Phase::NotYetOpen
    } else {
        Phase::Open
    }
}

/// May `user` enter the salon's rooms at all? Returns whether they enter as an organiser.
/// People registered for the salon (yes with a seat, or maybe) and organisers may; in a
/// working group's standing room, its members (`store::rooms` reads the same in its queries).
pub async fn admitted(
    db: &Db,
    user: Option<&Person>,
    salon: &Salon,
) -> Result<Result<bool, Denied>, sqlx::Error> {
    let Some(user) = user else {
        return Ok(decide(None, salon, None));
    };
    let standing = if user.role().at_least(Role::Organiser) {
        None
    } else if let (true, Some(g)) = (salon.standing, salon.group_id) {
        // A working group's own room: its members are in as if they had said yes.
        crate::store::groups::is_member(db, g, user.id)
            .await?
            .then(|| Standing::from_row(Some("yes"), None))
    } else {
        rsvps::of(db, salon.id, user.id)
            .await?
            .map(|r| r.standing())
    };
    Ok(decide(Some(user.role()), salon, standing))
}

/// The rule behind [`admitted`] and [`recheck`]: the role of the person (None: not signed in)
/// and their answer to the salon decide; Ok(whether they enter as an organiser).
fn decide(role: Option<Role>, salon: &Salon, standing: Option<Standing>) -> Result<bool, Denied> {
    if !salon.status().visible_to(role) {
        return Err(Denied::NotFound);
    }
    let organiser = role.is_some_and(|r| r.at_least(Role::Organiser));
    if role.is_none() {
        return Err(Denied::NotSignedIn);
    }
    if !organiser && !standing.is_some_and(Standing::is_registered) {
        return Err(Denied::NotRegistered);
    }
    Ok(organiser)
}

/// The salon (its id as typed in the URL), the requested room (the main room by default) and
/// the caller's access; the main room is created on first entry, after access is granted.
pub async fn enter(
    db: &Db,
    user: Option<&Person>,
    salon_id: &str,
    room: Option<RoomId>,
    now: DateTime<Utc>,
) -> Result<Result<(Salon, Room, Access), Denied>, sqlx::Error> {
    let Some(salon_id) = salon_id.parse::<SalonId>().ok() else {
        return Ok(Err(Denied::NotFound));
    };
    // The salon, the person's answer, note-taking and the rooms in one query (a visitor: the
    // salon alone).
    let (salon, standing, note_taker, rooms) = match user {
        Some(u) => match rooms::entry_with_rooms(db, salon_id, u.id).await? {
            Some((e, rooms)) => {
                let standing = e
                    .rsvp_response
                    .is_some()
                    .then(|| Standing::from_row(e.rsvp_response.as_deref(), e.rsvp_waitlist_seq));
                (e.salon, standing, e.note_taker, rooms)
            }
            None => return Ok(Err(Denied::NotFound)),
        },
        None => match salons::get(db, salon_id).await? {
            Some(s) => (s, None, false, Vec::new()),
            None => return Ok(Err(Denied::NotFound)),
        },
    };
    let organiser = match decide(user.map(|u| u.role()), &salon, standing) {
        Ok(o) => o,
        Err(d) => return Ok(Err(d)),
    };
    let Some(user) = user else {
        // `decide` lets no visitor in; this is not reached.
        return Ok(Err(Denied::NotSignedIn));
    };
    // The first one let in makes the main room.
    let all = if rooms.is_empty() {
        rooms::of_salon_for(db, salon.id, user.id).await?
    } else {
        rooms
    };
    let found = match room {
        Some(r) => all.into_iter().find(|x| x.room.id == r),
        None => all.into_iter().next(),
    };
    let Some(found) = found else {
        return Ok(Err(Denied::NotFound));
    };
    let room = found.room;
    let muted = found.muted && !organiser;
    let access = Access {
        organiser,
        phase: phase(&salon, &room, now),
        muted,
        note_taker,
    };
    Ok(Ok((salon, room, access)))
}

/// The rights of an open socket now: its session still live, the person still admitted (role
/// and answer as they are now), the salon and room still there, the room's phase, and whether
/// the person is muted. Rights change while a socket is open (sign-out, a withdrawn answer, a
/// cancelled salon, a mute), so every action is checked against this, not against what held at
/// the upgrade: one query (`rooms::rights`), as it runs for every frame a client sends.
pub async fn recheck(
    db: &Db,
    session_secret: &str,
    person_id: PersonId,
    room: &Room,
    now: DateTime<Utc>,
) -> Result<Result<Access, Denied>, sqlx::Error> {
    let Some(rights) = rooms::rights(db, session_secret, person_id, room.salon_id, room.id).await?
    else {
        return Ok(Err(Denied::NotFound));
    };
    // A session ended (or someone else's) is "signed out" first, whatever else holds.
    let Some(role) = rights.viewer_role.as_deref().map(Role::stored) else {
        return Ok(Err(Denied::NotSignedIn));
    };
    let role = Some(role);
    let standing = rights
        .rsvp_response
        .is_some()
        .then(|| Standing::from_row(rights.rsvp_response.as_deref(), rights.rsvp_waitlist_seq));
    let organiser = match decide(role, &rights.salon, standing) {
        Ok(o) => o,
        Err(d) => return Ok(Err(d)),
    };
    let Some(opens_before_minutes) = rights.room_opens_before else {
        return Ok(Err(Denied::NotFound));
    };
    let room = Room {
        opens_before_minutes,
        ..room.clone()
    };
    Ok(Ok(Access {
        organiser,
        phase: phase(&rights.salon, &room, now),
        muted: rights.muted && !organiser,
        note_taker: rights.note_taker,
    }))
}
