//! The durable mail outbox.
//!
//! Rows are written by `enqueue` inside the transaction of the change that causes the mail, and
//! claimed by the worker in batches. A claim moves rows to 'sending' with a lock deadline; a
//! process that dies mid-send leaves them to be claimed again when the lock runs out, so mail is
//! delivered at least once (the stable Message-ID lets receivers drop a rare duplicate).
//! On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so instances never claim one row twice;
//! on SQLite the `BEGIN IMMEDIATE` transaction serialises claimers.

use chrono::{DateTime, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;

pub struct NewMail<'a> {
    pub message_id: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a [u8],
}

pub async fn enqueue(tx: &mut Tx, mail: &NewMail<'_>) -> Result<i64, sqlx::Error> {
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "insert into outbox (message_id, kind, recipient, subject, body, status, attempts, next_attempt_at, created_at)
             values ($1, $2, $3, $4, $5, 'queued', 0, $6, $6) returning id",
        )
        .bind(mail.message_id)
        .bind(mail.kind)
        .bind(mail.recipient)
        .bind(mail.subject)
        .bind(mail.body)
        .bind(at)
        .fetch_one(c)
        .await
    })
}

#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub body: Vec<u8>,
    /// Attempts including this one.
    pub attempts: i32,
}

/// Claim up to `limit` due rows until `lock_until`.
pub async fn claim(db: &Db, lock_until: DateTime<Utc>, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    let at = now();
    let mut tx = db.begin().await?;
    let rows = match &mut tx {
        Tx::Sqlite(t) => {
            sqlx::query_as(
                "update outbox set status = 'sending', attempts = attempts + 1, locked_until = $1
                 where id in (
                   select id from outbox
                   where (status = 'queued' and next_attempt_at <= $2)
                      or (status = 'sending' and locked_until <= $2)
                   order by id limit $3)
                 returning id, kind, recipient, body, attempts",
            )
            .bind(lock_until)
            .bind(at)
            .bind(limit)
            .fetch_all(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(
                "update outbox set status = 'sending', attempts = attempts + 1, locked_until = $1
                 where id in (
                   select id from outbox
                   where (status = 'queued' and next_attempt_at <= $2)
                      or (status = 'sending' and locked_until <= $2)
                   order by id limit $3
                   for update skip locked)
                 returning id, kind, recipient, body, attempts",
            )
            .bind(lock_until)
            .bind(at)
            .bind(limit)
            .fetch_all(&mut **t)
            .await?
        }
    };
    tx.commit().await?;
    let mut rows: Vec<Claimed> = rows;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Mark many rows sent in one statement (the worker's batches).
pub async fn mark_sent_many(db: &Db, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let at = now();
    match db {
        Db::Sqlite(p) => {
            let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
            sqlx::query(
                "update outbox set status = 'sent', sent_at = $1, locked_until = null, last_error = null
                 where id in (select value from json_each($2))",
            )
            .bind(at)
            .bind(list)
            .execute(p)
            .await?;
        }
        Db::Postgres(p) => {
            sqlx::query(
                "update outbox set status = 'sent', sent_at = $1, locked_until = null, last_error = null where id = any($2)",
            )
            .bind(at)
            .bind(ids)
            .execute(p)
            .await?;
        }
    }
    Ok(())
}

pub async fn mark_retry(db: &Db, id: i64, next_attempt_at: DateTime<Utc>, error: &str) -> Result<(), sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query(
            "update outbox set status = 'queued', next_attempt_at = $1, locked_until = null, last_error = $2 where id = $3",
        )
        .bind(next_attempt_at)
        .bind(error)
        .bind(id)
        .execute(p)
        .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn mark_failed(db: &Db, id: i64, error: &str) -> Result<(), sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query("update outbox set status = 'failed', locked_until = null, last_error = $1 where id = $2")
            .bind(error)
            .bind(id)
            .execute(p)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Rows not yet delivered or given up (queued or being sent): the outbox depth.
pub async fn depth(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_scalar("select count(*) from outbox where status in ('queued', 'sending')").fetch_one(p).await
    })
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn counts(db: &Db) -> Result<Counts, sqlx::Error> {
    let rows: Vec<(String, i64)> = on_pool!(db, |p| {
        sqlx::query_as("select status, count(*) from outbox group by status").fetch_all(p).await
    })?;
    let mut c = Counts::default();
    for (status, n) in rows {
        match status.as_str() {
            "queued" => c.queued = n,
            "sending" => c.sending = n,
            "sent" => c.sent = n,
            "failed" => c.failed = n,
            _ => {}
        }
    }
    Ok(c)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub message_id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The newest rows, failed ones first (they need the organiser's attention).
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select id, message_id, kind, recipient, subject, status, attempts, next_attempt_at,
                    last_error, created_at, sent_at
             from outbox
             order by case when status = 'failed' then 0 else 1 end, id desc
             limit $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await
    })
}
