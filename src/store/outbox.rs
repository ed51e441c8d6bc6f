//! The durable mail outbox.
//!
//! Rows are written by `enqueue` inside the transaction of the change that causes the mail, and
//! claimed by the worker in batches. A claim moves rows to 'sending' with a lock deadline; a
//! process that dies mid-send leaves them to be claimed again when the lock runs out, so mail is
//! delivered at least once (the stable Message-ID lets receivers drop a rare duplicate).
//! On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so instances never claim one row twice;
//! on SQLite the `BEGIN IMMEDIATE` transaction serialises claimers.

use chrono::{DateTime, Utc};

use super::{Conn, Db, execute, on_conn, rows, values};
use crate::domain::time::now;
use crate::ids::OutboxId;

pub struct NewMail<'a> {
    pub message_id: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a [u8],
}

pub async fn enqueue(c: impl Into<Conn<'_>>, mail: &NewMail<'_>) -> Result<OutboxId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into outbox (message_id, kind, recipient, subject, body, status, attempts, next_attempt_at, created_at)
         values ($1, $2, $3, $4, $5, 'queued', 0, $6, $6) returning id",
        mail.message_id,
        mail.kind,
        mail.recipient,
        mail.subject,
        mail.body,
        now()
    )
}

#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: OutboxId,
    pub kind: String,
    pub recipient: String,
    pub body: Vec<u8>,
    /// Attempts including this one.
    pub attempts: i32,
}

/// Claim up to `limit` due rows until `lock_until`.
pub async fn claim(
    db: &Db,
    lock_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut rows: Vec<Claimed> = rows!(
        &mut tx,
        fetch_all,
        dialect "update outbox set status = 'sending', attempts = attempts + 1, locked_until = $1
         where id in (
           select id from outbox
           where (status = 'queued' and next_attempt_at <= $2)
              or (status = 'sending' and locked_until <= $2)
           order by id limit $3
           {skip_locked})
         returning id, kind, recipient, body, attempts",
        lock_until,
        now(),
        limit
    )?;
    tx.commit().await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Mark many rows sent in one statement (the worker's batches). The id list is a JSON array
/// on SQLite and an array parameter on PostgreSQL: the one place the two need other SQL.
pub async fn mark_sent_many(c: impl Into<Conn<'_>>, ids: &[OutboxId]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let at = now();
    let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let list = serde_json::to_string(&raw).unwrap_or_else(|_| "[]".into());
    on_conn!(c, |c|
        sqlx::query(
            "update outbox set status = 'sent', sent_at = $1, locked_until = null, last_error = null
             where id in (select value from json_each($2))",
        )
        .bind(at)
        .bind(&list)
        .execute(c)
        .await
        .map(|r| r.rows_affected()),
        sqlx::query("update outbox set status = 'sent', sent_at = $1, locked_until = null, last_error = null where id = any($2)")
            .bind(at)
            .bind(&raw)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}

pub async fn mark_retry(
    c: impl Into<Conn<'_>>,
    id: OutboxId,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update outbox set status = 'queued', next_attempt_at = $1, locked_until = null, last_error = $2 where id = $3",
        next_attempt_at,
        error,
        id
    )?;
    Ok(())
}

pub async fn mark_failed(
    c: impl Into<Conn<'_>>,
    id: OutboxId,
    error: &str,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update outbox set status = 'failed', locked_until = null, last_error = $1 where id = $2",
        error,
        id
    )?;
    Ok(())
}

/// Rows not yet delivered or given up (queued or being sent): the outbox depth.
pub async fn depth(c: impl Into<Conn<'_>>) -> Result<i64, sqlx::Error> {
    Ok(queue(c).await?.depth)
}

/// The mail waiting to go: how much, and since when the oldest waits.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Queue {
    pub depth: i64,
    pub oldest: Option<DateTime<Utc>>,
}

impl Queue {
    /// Publish it on /metrics: `salon_outbox_depth` and `salon_outbox_oldest_age_seconds`
    /// (0 with nothing waiting), what the "mail is stuck" alert watches.
    pub fn publish(&self) {
        metrics::gauge!("salon_outbox_depth").set(self.depth as f64);
        let age = self
            .oldest
            .map(|at| (now() - at).num_milliseconds().max(0) as f64 / 1000.0)
            .unwrap_or(0.0);
        metrics::gauge!("salon_outbox_oldest_age_seconds").set(age);
    }
}

pub async fn queue(c: impl Into<Conn<'_>>) -> Result<Queue, sqlx::Error> {
    rows!(
        c,
        fetch_one,
        "select count(*) as depth, min(created_at) as oldest from outbox where status in ('queued', 'sending')"
    )
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn counts(c: impl Into<Conn<'_>>) -> Result<Counts, sqlx::Error> {
    let rows: Vec<(String, i64)> = rows!(
        c,
        fetch_all,
        "select status, count(*) from outbox group by status"
    )?;
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
    pub id: OutboxId,
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
    /// A permanent bounce came back for it (the status and diagnostic).
    pub bounce: Option<String>,
}

/// The newest rows, failed ones first (they need the organiser's attention).
pub async fn recent(c: impl Into<Conn<'_>>, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select id, message_id, kind, recipient, subject, status, attempts, next_attempt_at,
                last_error, created_at, sent_at, bounce
         from outbox
         order by case when status = 'failed' then 0 else 1 end, id desc
         limit $1",
        limit
    )
}
