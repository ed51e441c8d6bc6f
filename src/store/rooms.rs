//! Rooms and their messages, questions, votes and mutes.
//!
//! Message ids rise strictly per room on both backends: each post locks its room row (a row
//! lock on PostgreSQL, `BEGIN IMMEDIATE` on SQLite) and takes `last_message_id + 1`, so ids
//! commit in the order they were given (PostgreSQL sequences can commit out of order).

use chrono::{DateTime, Utc};

use super::{Conn, Db, execute, rows, values};
use crate::domain::time::now;
use crate::ids::{MessageId, PersonId, RoomId, SalonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Room {
    pub id: RoomId,
    pub salon_id: SalonId,
    /// Empty for the main room (shown translated).
    pub name: String,
    pub position: i64,
    pub opens_before_minutes: i64,
    pub last_message_id: MessageId,
    pub created_at: DateTime<Utc>,
}

/// A message as shown: with its author and votes.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Message {
    pub room_id: RoomId,
    pub id: MessageId,
    pub author_id: Option<PersonId>,
    pub author_name: Option<String>,
    pub author_org: Option<String>,
    pub client_id: String,
    pub body: String,
    pub is_question: bool,
    pub answered: bool,
    pub hidden: bool,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
}

const MESSAGE: &str = "select m.room_id, m.id, m.author_id, p.name as author_name, o.name as author_org, m.client_id,
        m.body, m.is_question, m.answered, m.hidden,
        (select count(*) from question_vote v where v.room_id = m.room_id and v.message_id = m.id) as votes,
        m.created_at
    from message m left join person p on p.id = m.author_id left join organisation o on o.id = p.organisation_id";

/// The salon's rooms, the main room first; the main room is created on first use (callers
/// check access first: `rooms::access::enter`).
pub async fn of_salon_creating_main(db: &Db, salon_id: SalonId) -> Result<Vec<Room>, sqlx::Error> {
    let rooms: Vec<Room> = rows!(
        db,
        fetch_all,
        "select * from room where salon_id = $1 order by position, id",
        salon_id
    )?;
    if !rooms.is_empty() {
        return Ok(rooms);
    }
    let mut tx = db.begin().await?;
    // Re-check under the write lock: two first visitors must not create two main rooms.
    let existing: Option<RoomId> = values!(
        &mut tx,
        fetch_optional,
        "select id from room where salon_id = $1 limit 1",
        salon_id
    )?;
    if existing.is_none() {
        create(&mut tx, salon_id, "", 0).await?;
    }
    tx.commit().await?;
    rows!(
        db,
        fetch_all,
        "select * from room where salon_id = $1 order by position, id",
        salon_id
    )
}

/// The ids of a salon's rooms (none made).
pub async fn ids_of_salon(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
) -> Result<Vec<RoomId>, sqlx::Error> {
    values!(
        c,
        fetch_all,
        "select id from room where salon_id = $1",
        salon_id
    )
}

/// The ids of the rooms of every salon in a series.
pub async fn ids_of_series(
    c: impl Into<Conn<'_>>,
    series_id: crate::ids::SeriesId,
) -> Result<Vec<RoomId>, sqlx::Error> {
    values!(
        c,
        fetch_all,
        "select r.id from room r join salon s on s.id = r.salon_id where s.series_id = $1",
        series_id
    )
}

pub async fn create(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    name: &str,
    position: i64,
) -> Result<RoomId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into room (salon_id, name, position, opens_before_minutes, last_message_id, created_at)
         values ($1, $2, $3, 30, 0, $4) returning id",
        salon_id,
        name,
        position,
        now()
    )
}

pub async fn get(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    room_id: RoomId,
) -> Result<Option<Room>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from room where id = $1 and salon_id = $2",
        room_id,
        salon_id
    )
}

pub enum Posted {
    New(Message),
    /// The same client_id was posted before: that message, unchanged.
    Existing(Message),
}

/// Store a message (or find the earlier one with the same client_id). Four statements in one
/// transaction (each a round trip to the database, which for SQLite is a hop to its thread): the
/// room row takes the next id (the update locks it: ids commit in order), the insert stands
/// back for an earlier message with the same client_id (then nothing is kept), and the message
/// is read back as shown (author, organisation) before the commit.
pub async fn post(
    db: &Db,
    room_id: RoomId,
    author_id: PersonId,
    client_id: &str,
    body: &str,
    is_question: bool,
) -> Result<Posted, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: MessageId = values!(
        &mut tx,
        fetch_one,
        "update room set last_message_id = last_message_id + 1 where id = $1 returning last_message_id",
        room_id
    )?;
    let stored: Option<MessageId> = values!(
        &mut tx,
        fetch_optional,
        "insert into message (room_id, id, author_id, client_id, body, is_question, answered, hidden, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7, $8)
         on conflict (room_id, author_id, client_id) do nothing
         returning id",
        room_id,
        id,
        author_id,
        client_id,
        body,
        is_question,
        false,
        now()
    )?;
    if stored.is_none() {
        // A resend: dropping the transaction rolls it back, and the id taken above with it.
        drop(tx);
        let earlier: MessageId = values!(
            db,
            fetch_one,
            "select id from message where room_id = $1 and author_id = $2 and client_id = $3",
            room_id,
            author_id,
            client_id
        )?;
        let m = message(db, room_id, earlier)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        return Ok(Posted::Existing(m));
    }
    let m = message(&mut tx, room_id, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Posted::New(m))
}

pub async fn message(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    id: MessageId,
) -> Result<Option<Message>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{MESSAGE} where m.room_id = $1 and m.id = $2")),
        room_id,
        id
    )
}

/// Messages after `after` in id order (at most `limit`), or the latest `limit` when `after` is
/// None. Hidden messages only when `with_hidden` (organisers).
pub async fn history(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    after: Option<MessageId>,
    limit: i64,
    with_hidden: bool,
) -> Result<Vec<Message>, sqlx::Error> {
    match after {
        Some(after) => {
            let sql = format!(
                "{MESSAGE} where m.room_id = $1 and m.id > $2 and (not m.hidden or $3) order by m.id limit $4"
            );
            rows!(
                c,
                fetch_all,
                sqlx::AssertSqlSafe(sql),
                room_id,
                after,
                with_hidden,
                limit
            )
        }
        None => {
            let sql = format!(
                "{MESSAGE} where m.room_id = $1 and (not m.hidden or $2) order by m.id desc limit $3"
            );
            let mut latest: Vec<Message> = rows!(
                c,
                fetch_all,
                sqlx::AssertSqlSafe(sql),
                room_id,
                with_hidden,
                limit
            )?;
            latest.reverse();
            Ok(latest)
        }
    }
}

/// Questions, most votes first.
pub async fn questions(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    with_hidden: bool,
) -> Result<Vec<Message>, sqlx::Error> {
    let sql = format!(
        "select * from ({MESSAGE} where m.room_id = $1 and m.is_question and (not m.hidden or $2)) q
         order by q.answered, q.votes desc, q.id"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), room_id, with_hidden)
}

/// What a vote did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voted {
    /// The question's votes after it.
    pub votes: i64,
    /// False when this person had voted already (nothing changed, nothing to publish).
    pub new: bool,
}

/// One vote per person and question.
pub async fn vote(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    message_id: MessageId,
    person_id: PersonId,
) -> Result<Option<Voted>, sqlx::Error> {
    let mut c = c.into();
    let is_question: Option<bool> = values!(
        c.reborrow(),
        fetch_optional,
        "select is_question from message where room_id = $1 and id = $2 and not hidden",
        room_id,
        message_id
    )?;
    if is_question != Some(true) {
        return Ok(None);
    }
    let inserted = execute!(
        c.reborrow(),
        "insert into question_vote (room_id, message_id, person_id, created_at) values ($1, $2, $3, $4) on conflict do nothing",
        room_id,
        message_id,
        person_id,
        now()
    )?;
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from question_vote where room_id = $1 and message_id = $2",
        room_id,
        message_id
    )?;
    Ok(Some(Voted {
        votes: n,
        new: inserted == 1,
    }))
}

/// Set a flag (hidden / answered); true when the message exists.
pub async fn set_hidden(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    id: MessageId,
    hidden: bool,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "update message set hidden = $1 where room_id = $2 and id = $3",
        hidden,
        room_id,
        id
    )?;
    Ok(n == 1)
}

pub async fn set_answered(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    id: MessageId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "update message set answered = $1 where room_id = $2 and id = $3 and is_question",
        true,
        room_id,
        id
    )?;
    Ok(n == 1)
}

pub async fn mute(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    person_id: PersonId,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "insert into room_mute (room_id, person_id, created_at) values ($1, $2, $3) on conflict do nothing",
        room_id,
        person_id,
        now()
    )?;
    Ok(())
}

pub async fn is_muted(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    person_id: PersonId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from room_mute where room_id = $1 and person_id = $2",
        room_id,
        person_id
    )?;
    Ok(n > 0)
}

/// What the rights of an open room socket rest on, read in one query, since every action on a
/// socket is checked against the rights as they are now: the salon as it is, and for the person
/// behind the session their role (None when the session has ended or is someone else's), their
/// answer, whether the room is still there (its opening time) and whether they are muted in it.
#[derive(Debug, sqlx::FromRow)]
pub struct Rights {
    #[sqlx(flatten)]
    pub salon: super::salons::Salon,
    pub viewer_role: Option<String>,
    pub rsvp_response: Option<String>,
    pub rsvp_waitlist_seq: Option<i64>,
    pub room_opens_before: Option<i64>,
    pub muted: bool,
}

/// The [`Rights`] of the session with cookie `session_secret` held by `person_id` in a room of
/// a salon; None when the salon is gone.
pub async fn rights(
    c: impl Into<Conn<'_>>,
    session_secret: &str,
    person_id: PersonId,
    salon_id: SalonId,
    room_id: RoomId,
) -> Result<Option<Rights>, sqlx::Error> {
    // Not a well-formed secret: no session has this (empty) hash.
    let session_hash = super::tokens::lookup(session_secret).unwrap_or_default();
    rows!(
        c,
        fetch_optional,
        "select s.*,
                (select p.role from session x join person p on p.id = x.person_id
                 where x.id_hash = $1 and x.expires_at > $2 and p.id = $3) as viewer_role,
                r.response as rsvp_response, r.waitlist_seq as rsvp_waitlist_seq,
                (select m.opens_before_minutes from room m where m.id = $4 and m.salon_id = s.id) as room_opens_before,
                exists (select 1 from room_mute u where u.room_id = $4 and u.person_id = $3) as muted
         from salon s left join rsvp r on r.salon_id = s.id and r.person_id = $3
         where s.id = $5",
        &session_hash,
        now(),
        person_id,
        room_id,
        salon_id
    )
}

/// Who wrote a message (None when the author's account was deleted).
pub async fn author(
    c: impl Into<Conn<'_>>,
    room_id: RoomId,
    id: MessageId,
) -> Result<Option<(PersonId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select p.id, p.name from message m join person p on p.id = m.author_id where m.room_id = $1 and m.id = $2",
        room_id,
        id
    )
}
