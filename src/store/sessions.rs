//! Signed-in browsers. The cookie holds a 256-bit random id; the table holds its SHA-256.

use chrono::{DateTime, Duration, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;
use crate::domain::token;

/// How long a session lasts without signing in again.
pub const LIFETIME: Duration = Duration::days(30);

/// Create a session for `person_id`; returns the secret for the cookie.
pub async fn create(tx: &mut Tx, person_id: i64) -> Result<String, sqlx::Error> {
    let t = token::generate();
    let created = now();
    on_tx!(tx, |c| {
        sqlx::query("insert into session (id_hash, person_id, created_at, expires_at) values ($1, $2, $3, $4)")
            .bind(&t.hash)
            .bind(person_id)
            .bind(created)
            .bind(created + LIFETIME)
            .execute(c)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(t.secret)
}

/// Delete the session behind a cookie (sign-out, and the old id at sign-in).
pub async fn delete(tx: &mut Tx, secret: &str) -> Result<(), sqlx::Error> {
    let hash = token::hash(secret);
    on_tx!(tx, |c| sqlx::query("delete from session where id_hash = $1").bind(&hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Remove expired sessions (called by the housekeeping loop).
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let at = now();
    let done = on_pool!(db, |p| {
        sqlx::query("delete from session where expires_at <= $1").bind(at).execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(done)
}

/// The person behind a live session cookie, in one indexed query.
pub async fn person(db: &Db, secret: &str) -> Result<Option<crate::store::people::Person>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    let at: DateTime<Utc> = now();
    on_pool!(db, |p| {
        sqlx::query_as(
            "select p.* from session s join person p on p.id = s.person_id
             where s.id_hash = $1 and s.expires_at > $2",
        )
        .bind(&hash)
        .bind(at)
        .fetch_optional(p)
        .await
    })
}
