//! What people do in a room, shared by the websocket and the plain HTML forms: every action is
//! checked here, stored, then published to the room.

use crate::app::App;
use crate::rooms::access::{Access, Phase};
use crate::rooms::hub::{Change, Event};
use crate::rooms::protocol;
use crate::store::rooms::{self, Message, Posted, Room};

/// The longest message, in characters.
pub const MAX_BODY: usize = 2000;

/// Why an action was refused (`room.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLong,
    BadClientId,
    RateLimited,
    Muted,
    NotOpen,
    NotOrganiser,
    NoSuchMessage,
}

impl Refused {
    pub fn code(self) -> &'static str {
        match self {
            Refused::Empty => "empty",
            Refused::TooLong => "too_long",
            Refused::BadClientId => "bad_client_id",
            Refused::RateLimited => "rate_limited",
            Refused::Muted => "muted",
            Refused::NotOpen => "not_open",
            Refused::NotOrganiser => "not_organiser",
            Refused::NoSuchMessage => "no_such_message",
        }
    }
}

pub enum Outcome<T> {
    Done(T),
    Refused(Refused),
}

/// Post a message. A repeated client_id returns the stored message without a second copy.
pub async fn post(app: &App, room: &Room, access: Access, author: i64, client_id: &str, body: &str, question: bool) -> Result<Outcome<Message>, sqlx::Error> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(Outcome::Refused(Refused::Empty));
    }
    if body.chars().count() > MAX_BODY {
        return Ok(Outcome::Refused(Refused::TooLong));
    }
    if client_id.is_empty() || client_id.len() > 64 || !client_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Ok(Outcome::Refused(Refused::BadClientId));
    }
    if access.phase != Phase::Open {
        return Ok(Outcome::Refused(Refused::NotOpen));
    }
    if !access.organiser && rooms::is_muted(&app.db, room.id, author).await? {
        return Ok(Outcome::Refused(Refused::Muted));
    }
    if app.limits.room_messages.check_key(&author).is_err() {
        return Ok(Outcome::Refused(Refused::RateLimited));
    }
    let turn = app.hub.posting(room.id);
    let _turn = turn.lock().await;
    match rooms::post(&app.db, room.id, author, client_id, body, question).await? {
        Posted::New(m) => {
            app.hub.publish(room.id, Event::Message { id: m.id, json: protocol::message(&m).into() });
            metrics::counter!("salon_room_messages_total").increment(1);
            Ok(Outcome::Done(m))
        }
        Posted::Existing(m) => Ok(Outcome::Done(m)),
    }
}

pub async fn vote(app: &App, room: &Room, access: Access, person: i64, id: i64) -> Result<Outcome<i64>, sqlx::Error> {
    if access.phase != Phase::Open {
        return Ok(Outcome::Refused(Refused::NotOpen));
    }
    match rooms::vote(&app.db, room.id, id, person).await? {
        Some(n) => {
            app.hub.publish(room.id, Event::Change { id, kind: Change::Votes, json: protocol::votes(id, n).into() });
            Ok(Outcome::Done(n))
        }
        None => Ok(Outcome::Refused(Refused::NoSuchMessage)),
    }
}

pub async fn hide(app: &App, room: &Room, access: Access, id: i64) -> Result<Outcome<()>, sqlx::Error> {
    if !access.organiser {
        return Ok(Outcome::Refused(Refused::NotOrganiser));
    }
    if !rooms::set_hidden(&app.db, room.id, id, true).await? {
        return Ok(Outcome::Refused(Refused::NoSuchMessage));
    }
    app.hub.publish(room.id, Event::Change { id, kind: Change::Hidden, json: protocol::hide(id).into() });
    Ok(Outcome::Done(()))
}

pub async fn answer(app: &App, room: &Room, access: Access, id: i64) -> Result<Outcome<()>, sqlx::Error> {
    if !access.organiser {
        return Ok(Outcome::Refused(Refused::NotOrganiser));
    }
    if !rooms::set_answered(&app.db, room.id, id).await? {
        return Ok(Outcome::Refused(Refused::NoSuchMessage));
    }
    app.hub.publish(room.id, Event::Change { id, kind: Change::Answered, json: protocol::answered(id).into() });
    Ok(Outcome::Done(()))
}
