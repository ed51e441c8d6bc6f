//! What people do in a room, shared by the websocket and the plain HTML forms: every action is
//! checked here, stored, then published to the room. The per-person rate limit
//! ([`within_limit`]) is the caller's first step.

use crate::app::App;
use crate::domain::audit::Kind;
use crate::domain::text::TextError;
use crate::ids::{MessageId, PersonId};
use crate::rooms::access::{Access, Phase};
use crate::rooms::hub::{Change, Event};
use crate::rooms::protocol;
use crate::store::audit;
use crate::store::rooms::{self, Message, Posted, Room};

/// The longest message, in characters.
pub const MAX_BODY: usize = 2000;

/// Why an action was refused (`room.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLong,
    Control,
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
            Refused::Control => "control",
            Refused::BadClientId => "bad_client_id",
            Refused::RateLimited => "rate_limited",
            Refused::Muted => "muted",
            Refused::NotOpen => "not_open",
            Refused::NotOrganiser => "not_organiser",
            Refused::NoSuchMessage => "no_such_message",
        }
    }
}

impl Refused {
    /// The translation key of the reason, for pages and error frames.
    pub fn message_key(self) -> &'static str {
        match self {
            Refused::Empty => "room.error.empty",
            Refused::TooLong => "room.error.too_long",
            Refused::Control => "room.error.control",
            Refused::BadClientId => "room.error.bad_client_id",
            Refused::RateLimited => "room.error.rate_limited",
            Refused::Muted => "room.error.muted",
            Refused::NotOpen => "room.error.not_open",
            Refused::NotOrganiser => "room.error.not_organiser",
            Refused::NoSuchMessage => "room.error.no_such_message",
        }
    }
}

pub enum Outcome<T> {
    Done(T),
    Refused(Refused),
}

impl<T> Outcome<T> {
    /// Why it was refused, or None when it was done.
    pub fn refusal(&self) -> Option<Refused> {
        match self {
            Outcome::Done(_) => None,
            Outcome::Refused(r) => Some(*r),
        }
    }
}

/// Post a message. A repeated client_id returns the stored message without a second copy.
pub async fn post(
    app: &App,
    room: &Room,
    access: Access,
    author: PersonId,
    client_id: &str,
    body: &str,
    question: bool,
) -> Result<Outcome<Message>, sqlx::Error> {
    let body = match crate::domain::text::multiline(body, MAX_BODY, true) {
        Ok(b) => b,
        Err(TextError::Empty) => return Ok(Outcome::Refused(Refused::Empty)),
        Err(TextError::TooLong) => return Ok(Outcome::Refused(Refused::TooLong)),
        Err(TextError::Control) => return Ok(Outcome::Refused(Refused::Control)),
    };
    let body = body.as_str();
    if client_id.is_empty()
        || client_id.len() > 64
        || !client_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Ok(Outcome::Refused(Refused::BadClientId));
    }
    if access.phase != Phase::Open {
        return Ok(Outcome::Refused(Refused::NotOpen));
    }
    if access.muted {
        return Ok(Outcome::Refused(Refused::Muted));
    }
    let turn = app.hub.posting(room.id);
    let _turn = turn.lock().await;
    match rooms::post(&app.db, room.id, author, client_id, body, question).await? {
        Posted::New(m) => {
            app.hub.publish(
                room.id,
                Event::Message {
                    id: m.id,
                    json: protocol::message(&m).into(),
                },
            );
            metrics::counter!("salon_room_messages_total").increment(1);
            Ok(Outcome::Done(m))
        }
        Posted::Existing(m) => Ok(Outcome::Done(m)),
    }
}

/// Every action counts against the person's limit (`SALON_ROOM_RATE`): posts, votes and
/// moderation alike, and on the websocket every frame, understood or not, so no kind of frame
/// can flood a room or the database. Callers check it once per request or frame, before any
/// database work.
pub fn within_limit(app: &App, person: PersonId) -> bool {
    app.limits.room_messages.check_key(&person).is_ok()
}

/// Vote a question up, once per person. A repeated vote changes nothing and publishes nothing.
pub async fn vote(
    app: &App,
    room: &Room,
    access: Access,
    person: PersonId,
    id: MessageId,
) -> Result<Outcome<i64>, sqlx::Error> {
    if access.phase != Phase::Open {
        return Ok(Outcome::Refused(Refused::NotOpen));
    }
    match rooms::vote(&app.db, room.id, id, person).await? {
        Some(v) => {
            if v.new {
                app.hub.publish(
                    room.id,
                    Event::Change {
                        id,
                        kind: Change::Votes,
                        json: protocol::votes(id, v.votes).into(),
                    },
                );
            }
            Ok(Outcome::Done(v.votes))
        }
        None => Ok(Outcome::Refused(Refused::NoSuchMessage)),
    }
}

/// Hide a message (organisers), on the audit trail with its author as the subject.
pub async fn hide(
    app: &App,
    room: &Room,
    access: Access,
    by: audit::Named<'_>,
    id: MessageId,
) -> Result<Outcome<()>, sqlx::Error> {
    if !access.organiser {
        return Ok(Outcome::Refused(Refused::NotOrganiser));
    }
    let mut tx = app.db.begin().await?;
    if !rooms::set_hidden(&mut tx, room.id, id, true).await? {
        return Ok(Outcome::Refused(Refused::NoSuchMessage));
    }
    let author = rooms::author(&mut tx, room.id, id).await?;
    let event = audit::Event {
        actor: by,
        kind: Kind::MessageHidden,
        subject: author
            .as_ref()
            .map(|(id, name)| audit::Named { id: *id, name }),
        salon: Some(room.salon_id),
        detail: &format!("room {} message {}", room.id, id),
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    app.hub.publish(
        room.id,
        Event::Change {
            id,
            kind: Change::Hidden,
            json: protocol::hide(id).into(),
        },
    );
    Ok(Outcome::Done(()))
}

/// Mute a person in a room (organisers), on the audit trail.
pub async fn mute(
    app: &App,
    room: &Room,
    access: Access,
    by: audit::Named<'_>,
    person: PersonId,
) -> Result<Outcome<()>, sqlx::Error> {
    if !access.organiser {
        return Ok(Outcome::Refused(Refused::NotOrganiser));
    }
    let mut tx = app.db.begin().await?;
    let Some(subject) = crate::store::people::by_id(&mut tx, person).await? else {
        return Ok(Outcome::Refused(Refused::NoSuchMessage));
    };
    rooms::mute(&mut tx, room.id, person).await?;
    let event = audit::Event {
        actor: by,
        kind: Kind::PersonMuted,
        subject: Some((&subject).into()),
        salon: Some(room.salon_id),
        detail: &format!("room {}", room.id),
    };
    audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(Outcome::Done(()))
}

pub async fn answer(
    app: &App,
    room: &Room,
    access: Access,
    id: MessageId,
) -> Result<Outcome<()>, sqlx::Error> {
    if !access.organiser {
        return Ok(Outcome::Refused(Refused::NotOrganiser));
    }
    if !rooms::set_answered(&app.db, room.id, id).await? {
        return Ok(Outcome::Refused(Refused::NoSuchMessage));
    }
    app.hub.publish(
        room.id,
        Event::Change {
            id,
            kind: Change::Answered,
            json: protocol::answered(id).into(),
        },
    );
    Ok(Outcome::Done(()))
}
