//! Rooms and their messages, questions, votes and mutes.
//!
//! Message ids rise strictly per room on both backends: each post locks its room row (a row
//! lock on PostgreSQL, `BEGIN IMMEDIATE` on SQLite) and takes `last_message_id + 1`, so ids
//! commit in the order they were given (PostgreSQL sequences can commit out of order).

use chrono::{DateTime, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Room {
    pub id: i64,
    pub salon_id: i64,
    /// Empty for the main room (shown translated).
    pub name: String,
    pub position: i64,
    pub opens_before_minutes: i64,
    pub last_message_id: i64,
    pub created_at: DateTime<Utc>,
}

/// A message as shown: with its author and votes.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Message {
    pub room_id: i64,
    pub id: i64,
    pub author_id: Option<i64>,
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

/// The salon's rooms, the main room first; the main room is created on first use.
pub async fn of_salon(db: &Db, salon_id: i64) -> Result<Vec<Room>, sqlx::Error> {
    let rooms: Vec<Room> = on_pool!(db, |p| {
        sqlx::query_as("select * from room where salon_id = $1 order by position, id").bind(salon_id).fetch_all(p).await
    })?;
    if !rooms.is_empty() {
        return Ok(rooms);
    }
    let mut tx = db.begin().await?;
    // Re-check under the write lock: two first visitors must not create two main rooms.
    let existing: Option<i64> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar("select id from room where salon_id = $1 limit 1").bind(salon_id).fetch_optional(c).await
    })?;
    if existing.is_none() {
        create(&mut tx, salon_id, "", 0).await?;
    }
    tx.commit().await?;
    on_pool!(db, |p| sqlx::query_as("select * from room where salon_id = $1 order by position, id").bind(salon_id).fetch_all(p).await)
}

pub async fn create(tx: &mut Tx, salon_id: i64, name: &str, position: i64) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "insert into room (salon_id, name, position, opens_before_minutes, last_message_id, created_at)
             values ($1, $2, $3, 30, 0, $4) returning id",
        )
        .bind(salon_id)
        .bind(name)
        .bind(position)
        .bind(now())
        .fetch_one(c)
        .await
    })
}

pub async fn get(db: &Db, salon_id: i64, room_id: i64) -> Result<Option<Room>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as("select * from room where id = $1 and salon_id = $2").bind(room_id).bind(salon_id).fetch_optional(p).await
    })
}

pub enum Posted {
    New(Message),
    /// The same client_id was posted before: that message, unchanged.
    Existing(Message),
}

/// Store a message (or find the earlier one with the same client_id).
pub async fn post(db: &Db, room_id: i64, author_id: i64, client_id: &str, body: &str, is_question: bool) -> Result<Posted, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Lock the room row first: everything after this is serialised per room.
    let last: i64 = match &mut tx {
        Tx::Sqlite(t) => sqlx::query_scalar("select last_message_id from room where id = $1").bind(room_id).fetch_one(&mut **t).await?,
        Tx::Postgres(t) => {
            sqlx::query_scalar("select last_message_id from room where id = $1 for update").bind(room_id).fetch_one(&mut **t).await?
        }
    };
    let earlier: Option<i64> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar("select id from message where room_id = $1 and author_id = $2 and client_id = $3")
            .bind(room_id)
            .bind(author_id)
            .bind(client_id)
            .fetch_optional(c)
            .await
    })?;
    if let Some(id) = earlier {
        drop(tx);
        let m = message(db, room_id, id).await?.ok_or(sqlx::Error::RowNotFound)?;
        return Ok(Posted::Existing(m));
    }
    let id = last + 1;
    on_tx!(&mut tx, |c| {
        sqlx::query("update room set last_message_id = $1 where id = $2").bind(id).bind(room_id).execute(c).await.map(|r| r.rows_affected())
    })?;
    on_tx!(&mut tx, |c| {
        sqlx::query(
            "insert into message (room_id, id, author_id, client_id, body, is_question, answered, hidden, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
        )
        .bind(room_id)
        .bind(id)
        .bind(author_id)
        .bind(client_id)
        .bind(body)
        .bind(is_question)
        .bind(false)
        .bind(now())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    tx.commit().await?;
    let m = message(db, room_id, id).await?.ok_or(sqlx::Error::RowNotFound)?;
    Ok(Posted::New(m))
}

pub async fn message(db: &Db, room_id: i64, id: i64) -> Result<Option<Message>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{MESSAGE} where m.room_id = $1 and m.id = $2")))
            .bind(room_id)
            .bind(id)
            .fetch_optional(p)
            .await
    })
}

/// Messages after `after` in id order (at most `limit`), or the latest `limit` when `after` is
/// None. Hidden messages only when `with_hidden` (organisers).
pub async fn history(db: &Db, room_id: i64, after: Option<i64>, limit: i64, with_hidden: bool) -> Result<Vec<Message>, sqlx::Error> {
    match after {
        Some(after) => on_pool!(db, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{MESSAGE} where m.room_id = $1 and m.id > $2 and (not m.hidden or $3) order by m.id limit $4"
            )))
            .bind(room_id)
            .bind(after)
            .bind(with_hidden)
            .bind(limit)
            .fetch_all(p)
            .await
        }),
        None => {
            let mut latest: Vec<Message> = on_pool!(db, |p| {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{MESSAGE} where m.room_id = $1 and (not m.hidden or $2) order by m.id desc limit $3"
                )))
                .bind(room_id)
                .bind(with_hidden)
                .bind(limit)
                .fetch_all(p)
                .await
            })?;
            latest.reverse();
            Ok(latest)
        }
    }
}

/// Questions, most votes first.
pub async fn questions(db: &Db, room_id: i64, with_hidden: bool) -> Result<Vec<Message>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select * from ({MESSAGE} where m.room_id = $1 and m.is_question and (not m.hidden or $2)) q
             order by q.answered, q.votes desc, q.id"
        )))
        .bind(room_id)
        .bind(with_hidden)
        .fetch_all(p)
        .await
    })
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
pub async fn vote(db: &Db, room_id: i64, message_id: i64, person_id: i64) -> Result<Option<Voted>, sqlx::Error> {
    let is_question: Option<bool> = on_pool!(db, |p| {
        sqlx::query_scalar("select is_question from message where room_id = $1 and id = $2 and not hidden")
            .bind(room_id)
            .bind(message_id)
            .fetch_optional(p)
            .await
    })?;
    if is_question != Some(true) {
        return Ok(None);
    }
    let inserted = on_pool!(db, |p| {
        sqlx::query(
            "insert into question_vote (room_id, message_id, person_id, created_at) values ($1, $2, $3, $4) on conflict do nothing",
        )
        .bind(room_id)
        .bind(message_id)
        .bind(person_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    let n: i64 = on_pool!(db, |p| {
        sqlx::query_scalar("select count(*) from question_vote where room_id = $1 and message_id = $2")
            .bind(room_id)
            .bind(message_id)
            .fetch_one(p)
            .await
    })?;
    Ok(Some(Voted { votes: n, new: inserted == 1 }))
}

/// Set a flag (hidden / answered); true when the message exists.
pub async fn set_hidden(db: &Db, room_id: i64, id: i64, hidden: bool) -> Result<bool, sqlx::Error> {
    let n = on_pool!(db, |p| {
        sqlx::query("update message set hidden = $1 where room_id = $2 and id = $3")
            .bind(hidden)
            .bind(room_id)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn set_answered(db: &Db, room_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let n = on_pool!(db, |p| {
        sqlx::query("update message set answered = $1 where room_id = $2 and id = $3 and is_question")
            .bind(true)
            .bind(room_id)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn mute(db: &Db, room_id: i64, person_id: i64) -> Result<(), sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query("insert into room_mute (room_id, person_id, created_at) values ($1, $2, $3) on conflict do nothing")
            .bind(room_id)
            .bind(person_id)
            .bind(now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn is_muted(db: &Db, room_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = on_pool!(db, |p| {
        sqlx::query_scalar("select count(*) from room_mute where room_id = $1 and person_id = $2")
            .bind(room_id)
            .bind(person_id)
            .fetch_one(p)
            .await
    })?;
    Ok(n > 0)
}
