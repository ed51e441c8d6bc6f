//! Who may enter a room, and when it may be written in.

use chrono::{DateTime, Duration, Utc};

use crate::domain::Role;
use crate::domain::salon::Status;
use crate::store::people::Person;
use crate::store::rooms::Room;
use crate::store::salons::Salon;
use crate::store::{Db, rsvps};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Not signed in (401).
    NotSignedIn,
    /// Signed in, but not registered for the salon (403).
    NotRegistered,
    /// No such salon or room, or a draft (404).
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before the room opens (a set time before the salon).
    NotYetOpen,
    Open,
    /// After the salon: a read-only archive.
    Archived,
}

#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub organiser: bool,
    pub phase: Phase,
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

/// People registered for the salon (yes with a seat, or maybe) and organisers may enter.
pub async fn check(db: &Db, user: Option<&Person>, salon: &Salon, room: &Room, now: DateTime<Utc>) -> Result<Result<Access, Denied>, sqlx::Error> {
    let Some(user) = user else { return Ok(Err(Denied::NotSignedIn)) };
    let organiser = user.role().at_least(Role::Organiser);
    if salon.status() == Status::Draft && !organiser {
        return Ok(Err(Denied::NotFound));
    }
    if !organiser {
        let registered = rsvps::of(db, salon.id, user.id).await?.is_some_and(|r| r.standing().is_registered());
        if !registered {
            return Ok(Err(Denied::NotRegistered));
        }
    }
    Ok(Ok(Access { organiser, phase: phase(salon, room, now) }))
}
