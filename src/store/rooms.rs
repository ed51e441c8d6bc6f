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

/// A room and whether one person is muted in it.
#[derive(Debug, sqlx::FromRow)]
pub struct RoomFor {
    #[sqlx(flatten)]
    pub room: Room,
    pub muted: bool,
}

/// The salon's rooms as `person` enters them (the main room first, made on first use), each
/// with whether they are muted there: one query on every page load.
pub async fn of_salon_for(
    db: &Db,
    salon_id: SalonId,
    person: PersonId,
) -> Result<Vec<RoomFor>, sqlx::Error> {
    let sql = "select m.*, exists (select 1 from room_mute u where u.room_id = m.id and u.person_id = $2) as muted
               from room m where m.salon_id = $1 order by m.position, m.id";
    let rooms: Vec<RoomFor> = rows!(db, fetch_all, sql, salon_id, person)?;
    if !rooms.is_empty() {
        return Ok(rooms);
    }
    of_salon_creating_main(db, salon_id).await?;
    rows!(db, fetch_all, sql, salon_id, person)
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

mod messages;
pub use messages::*;

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
    pub note_taker: bool,
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
                coalesce(r.response, case when s.standing and exists (select 1 from group_member g
                    where g.group_id = s.group_id and g.person_id = $3) then 'yes' end) as rsvp_response,
                r.waitlist_seq as rsvp_waitlist_seq,
                (select m.opens_before_minutes from room m where m.id = $4 and m.salon_id = s.id) as room_opens_before,
                exists (select 1 from room_mute u where u.room_id = $4 and u.person_id = $3) as muted,
                exists (select 1 from note_taker n where n.salon_id = s.id and n.person_id = $3) as note_taker
         from salon s left join rsvp r on r.salon_id = s.id and r.person_id = $3
         where s.id = $5",
        &session_hash,
        now(),
        person_id,
        room_id,
        salon_id
    )
}

/// A salon as someone entering its rooms sees it, in one query: the salon, their answer (in a
/// working group's standing room, a member's is "yes") and whether they take its notes (the room page's door runs it for every page load).
#[derive(Debug, sqlx::FromRow)]
pub struct Entry {
    #[sqlx(flatten)]
    pub salon: super::salons::Salon,
    pub rsvp_response: Option<String>,
    pub rsvp_waitlist_seq: Option<i64>,
    pub note_taker: bool,
}

/// One row of `entry_with_rooms`: the entry, and one of the salon's rooms (all `None` when it
/// has none yet).
#[derive(sqlx::FromRow)]
struct EntryRoomRow {
    #[sqlx(flatten)]
    entry: Entry,
    room_id: Option<RoomId>,
    room_name: Option<String>,
    room_position: Option<i64>,
    room_opens_before: Option<i64>,
    room_last_message_id: Option<MessageId>,
    room_created_at: Option<DateTime<Utc>>,
    room_muted: bool,
}

/// The door of every room page in one query: the entry (salon, answer, note-taking) and the
/// salon's rooms in order, each with whether the person is muted there (empty when no room
/// was made yet: `of_salon_for` makes the main room once someone is let in). `None`: no such
/// salon.
pub async fn entry_with_rooms(
    db: &Db,
    salon_id: SalonId,
    person_id: PersonId,
) -> Result<Option<(Entry, Vec<RoomFor>)>, sqlx::Error> {
    let rows: Vec<EntryRoomRow> = rows!(
        db,
        fetch_all,
        "select s.*, r.waitlist_seq as rsvp_waitlist_seq,
                coalesce(r.response, case when s.standing and exists (select 1 from group_member g
                    where g.group_id = s.group_id and g.person_id = $2) then 'yes' end) as rsvp_response,
                exists (select 1 from note_taker n where n.salon_id = s.id and n.person_id = $2) as note_taker,
                m.id as room_id, m.name as room_name, m.position as room_position,
                m.opens_before_minutes as room_opens_before, m.last_message_id as room_last_message_id,
                m.created_at as room_created_at,
                exists (select 1 from room_mute u where u.room_id = m.id and u.person_id = $2) as room_muted
         from salon s left join rsvp r on r.salon_id = s.id and r.person_id = $2
              left join room m on m.salon_id = s.id
         where s.id = $1
         order by m.position, m.id",
        salon_id,
        person_id
    )?;
    let mut rooms = Vec::with_capacity(rows.len());
    let mut entry = None;
    for row in rows {
        if let (Some(id), Some(name), Some(position), Some(opens), Some(last), Some(created)) = (
            row.room_id,
            row.room_name,
            row.room_position,
            row.room_opens_before,
            row.room_last_message_id,
            row.room_created_at,
        ) {
            rooms.push(RoomFor {
                room: Room {
                    id,
                    salon_id,
                    name,
                    position,
                    opens_before_minutes: opens,
                    last_message_id: last,
                    created_at: created,
                },
                muted: row.room_muted,
            });
        }
        entry.get_or_insert(row.entry);
    }
    Ok(entry.map(|e| (e, rooms)))
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
