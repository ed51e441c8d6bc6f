//! What people do in a room, shared by the websocket (`web::room::frames`) and the plain HTML
//! forms (`web::room`): every action is checked here, stored, then published to the room. The per-person rate limit
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

/// Why a room action was rejected (nothing changed) (`room.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
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

impl Rejected {
    pub fn code(self) -> &'static str {
        match self {
            Rejected::Empty => "empty",
            Rejected::TooLong => "too_long",
            Rejected::Control => "control",
            Rejected::BadClientId => "bad_client_id",
            Rejected::RateLimited => "rate_limited",
            Rejected::Muted => "muted",
            Rejected::NotOpen => "not_open",
            Rejected::NotOrganiser => "not_organiser",
            Rejected::NoSuchMessage => "no_such_message",
        }
    }
}

impl Rejected {
    /// The translation key of the reason, for pages and error frames.
    pub fn message_key(self) -> &'static str {
        match self {
            Rejected::Empty => "room.error.empty",
            Rejected::TooLong => "room.error.too_long",
            Rejected::Control => "room.error.control",
            Rejected::BadClientId => "room.error.bad_client_id",
            Rejected::RateLimited => "room.error.rate_limited",
            Rejected::Muted => "room.error.muted",
            Rejected::NotOpen => "room.error.not_open",
            Rejected::NotOrganiser => "room.error.not_organiser",
            Rejected::NoSuchMessage => "room.error.no_such_message",
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
) -> Result<Result<Message, Rejected>, sqlx::Error> {
    let body = match crate::domain::text::multiline(body, MAX_BODY, true) {
        Ok(b) => b,
        Err(TextError::Empty) => return Ok(Err(Rejected::Empty)),
        Err(TextError::TooLong) => return Ok(Err(Rejected::TooLong)),
        Err(TextError::Control) => return Ok(Err(Rejected::Control)),
    };
    let body = body.as_str();
    if client_id.is_empty()
        || client_id.len() > 64
        || !client_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Ok(Err(Rejected::BadClientId));
    }
    if access.phase != Phase::Open {
        return Ok(Err(Rejected::NotOpen));
    }
    if access.muted {
        return Ok(Err(Rejected::Muted));
    }
    let turn = app.hub.posting(room.id);
    let _turn = turn.lock().await;
    match rooms::post(&app.db, room.id, author, client_id, body, question).await? {
        Posted::New(m) => {
            app.generations.room_changed();
            app.hub.publish(
                room.id,
                Event::Message {
                    id: m.id,
                    json: protocol::message(&m).into(),
                },
            );
            metrics::counter!("salon_room_messages_total").increment(1);
            Ok(Ok(m))
        }
        Posted::Existing(m) => Ok(Ok(m)),
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
) -> Result<Result<i64, Rejected>, sqlx::Error> {
    if access.phase != Phase::Open {
        return Ok(Err(Rejected::NotOpen));
    }
    match rooms::vote(&app.db, room.id, id, person).await? {
        Some(v) => {
            if v.new {
                app.generations.room_changed();
                app.hub.publish(
                    room.id,
                    Event::Change {
                        id,
                        kind: Change::Votes,
                        json: protocol::votes(id, v.votes).into(),
                    },
                );
            }
            Ok(Ok(v.votes))
        }
        None => Ok(Err(Rejected::NoSuchMessage)),
    }
}

/// Hide a message (organisers), on the audit trail with its author as the subject.
pub async fn hide(
    app: &App,
    room: &Room,
    access: Access,
    by: audit::Named<'_>,
    id: MessageId,
) -> Result<Result<(), Rejected>, sqlx::Error> {
    if !access.organiser {
        return Ok(Err(Rejected::NotOrganiser));
    }
    let mut tx = app.db.begin().await?;
    if !rooms::set_hidden(&mut tx, room.id, id, true).await? {
        return Ok(Err(Rejected::NoSuchMessage));
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
    app.generations.room_changed();
    app.hub.publish(
        room.id,
        Event::Change {
            id,
            kind: Change::Hidden,
            json: protocol::hide(id).into(),
        },
    );
    Ok(Ok(()))
}

/// Mute a person in a room (organisers), on the audit trail.
pub async fn mute(
    app: &App,
    room: &Room,
    access: Access,
    by: audit::Named<'_>,
    person: PersonId,
) -> Result<Result<(), Rejected>, sqlx::Error> {
    if !access.organiser {
        return Ok(Err(Rejected::NotOrganiser));
    }
    let mut tx = app.db.begin().await?;
    let Some(subject) = crate::store::people::by_id(&mut tx, person).await? else {
        return Ok(Err(Rejected::NoSuchMessage));
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
    app.generations.room_changed();
    Ok(Ok(()))
}

/// Mark a question answered (organisers).
pub async fn mark_answered(
    app: &App,
    room: &Room,
    access: Access,
    id: MessageId,
) -> Result<Result<(), Rejected>, sqlx::Error> {
    if !access.organiser {
        return Ok(Err(Rejected::NotOrganiser));
    }
    if !rooms::set_answered(&app.db, room.id, id).await? {
        return Ok(Err(Rejected::NoSuchMessage));
    }
    app.generations.room_changed();
    app.hub.publish(
        room.id,
        Event::Change {
            id,
            kind: Change::Answered,
            json: protocol::answered(id).into(),
        },
    );
    Ok(Ok(()))
}

/// Add a room to the salon (a breakout; organisers, checked by the caller), and show it in
/// every room of the salon at once.
pub async fn add_room(
    app: &crate::app::SharedApp,
    salon: crate::ids::SalonId,
    name: &str,
) -> Result<crate::ids::RoomId, sqlx::Error> {
    let position = rooms::of_salon_creating_main(&app.db, salon).await?.len() as i64;
    let room = rooms::create(&app.db, salon, name, position).await?;
    crate::usecases::announce::announce(app, crate::rooms::notices::About::Rooms(salon)).await;
    Ok(room)
}

/// Move the salon's agenda to item `position` (organisers, checked by the caller; None: back to
/// the clock), live in every room of the salon.
pub async fn move_agenda(
    app: &crate::app::SharedApp,
    salon: crate::ids::SalonId,
    position: Option<i64>,
) -> Result<(), sqlx::Error> {
    crate::store::agenda_now::set(&app.db, salon, position).await?;
    crate::usecases::announce::announce(app, crate::rooms::notices::About::Agenda(salon)).await;
    Ok(())
}
