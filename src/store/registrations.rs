//! Registrations by people not yet known, pending their confirmation by mail (double opt-in).

use chrono::{DateTime, Duration, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;
use crate::domain::token;

/// A confirmation link is valid this long.
pub const LIFETIME: Duration = Duration::hours(48);

pub struct NewRegistration<'a> {
    pub salon_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub organisation: &'a str,
    pub title: &'a str,
    pub locale: &'a str,
}

pub async fn create(tx: &mut Tx, r: &NewRegistration<'_>) -> Result<String, sqlx::Error> {
    let t = token::generate();
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query(
            "insert into registration (token_hash, salon_id, email, name, organisation, title, locale, created_at, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&t.hash)
        .bind(r.salon_id)
        .bind(r.email)
        .bind(r.name)
        .bind(r.organisation)
        .bind(r.title)
        .bind(r.locale)
        .bind(at)
        .bind(at + LIFETIME)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(t.secret)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub salon_id: i64,
    pub email: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub locale: String,
}

pub async fn peek(db: &Db, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    let at: DateTime<Utc> = now();
    on_pool!(db, |p| {
        sqlx::query_as(
            "select salon_id, email, name, organisation, title, locale from registration
             where token_hash = $1 and used_at is null and expires_at > $2",
        )
        .bind(&hash)
        .bind(at)
        .fetch_optional(p)
        .await
    })
}

/// Use the link, once.
pub async fn consume(tx: &mut Tx, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query_as(
            "update registration set used_at = $1 where token_hash = $2 and used_at is null and expires_at > $1
             returning salon_id, email, name, organisation, title, locale",
        )
        .bind(at)
        .bind(&hash)
        .fetch_optional(c)
        .await
    })
}

/// Remove links that can no longer be used (confirmed, or past their 48 hours): the pending
/// name and address are kept no longer than the link lives. Called by housekeeping.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let at = now();
    on_pool!(db, |p| {
        sqlx::query("delete from registration where expires_at <= $1 or used_at is not null")
            .bind(at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })
}
