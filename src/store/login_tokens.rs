//! One-time sign-in links.

use chrono::{DateTime, Duration, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;
use crate::domain::token;

/// A sign-in link is valid this long.
pub const LIFETIME: Duration = Duration::minutes(15);

/// Create a link for `person_id`; returns the secret to put in the URL.
pub async fn create(tx: &mut Tx, person_id: i64, next_path: Option<&str>) -> Result<String, sqlx::Error> {
    let t = token::generate();
    let created = now();
    on_tx!(tx, |c| {
        sqlx::query(
            "insert into login_token (token_hash, person_id, next_path, created_at, expires_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(&t.hash)
        .bind(person_id)
        .bind(next_path)
        .bind(created)
        .bind(created + LIFETIME)
        .execute(c)
        .await.map(|r| r.rows_affected())
    })?;
    Ok(t.secret)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Pending {
    pub person_id: i64,
    pub next_path: Option<String>,
}

/// Look at a link without using it (the GET confirmation page).
pub async fn peek(db: &Db, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    let at: DateTime<Utc> = now();
    on_pool!(db, |p| {
        sqlx::query_as(
            "select person_id, next_path from login_token
             where token_hash = $1 and used_at is null and expires_at > $2",
        )
        .bind(&hash)
        .bind(at)
        .fetch_optional(p)
        .await
    })
}

/// Use a link: one atomic update, so two POSTs racing with the same link sign in at most once.
pub async fn consume(tx: &mut Tx, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query_as(
            "update login_token set used_at = $1
             where token_hash = $2 and used_at is null and expires_at > $1
             returning person_id, next_path",
        )
        .bind(at)
        .bind(&hash)
        .fetch_optional(c)
        .await
    })
}

/// Remove links that can no longer be used (called by the housekeeping loop).
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let at = now() - Duration::days(1);
    on_pool!(db, |p| {
        sqlx::query("delete from login_token where expires_at <= $1").bind(at).execute(p).await.map(|r| r.rows_affected())
    })
}
