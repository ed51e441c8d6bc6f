//! A room's messages: posting (one id after the other per room, under a row lock), the
//! history, questions and their votes, hiding and answering.

use super::*;

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
