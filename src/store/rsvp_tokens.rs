//! Personal RSVP links from invitation mails (scoped to one person and one salon).

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;
use crate::domain::token;

pub async fn create(tx: &mut Tx, salon_id: i64, person_id: i64) -> Result<String, sqlx::Error> {
    let t = token::generate();
    on_tx!(tx, |c| {
        sqlx::query("insert into rsvp_token (token_hash, salon_id, person_id, created_at) values ($1, $2, $3, $4)")
            .bind(&t.hash)
            .bind(salon_id)
            .bind(person_id)
            .bind(now())
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(t.secret)
}

/// (salon id, person id) for a live link.
pub async fn resolve(db: &Db, secret: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    on_pool!(db, |p| {
        sqlx::query_as("select salon_id, person_id from rsvp_token where token_hash = $1 and revoked_at is null")
            .bind(&hash)
            .fetch_optional(p)
            .await
    })
}

/// Revoke every link a person has for a salon.
pub async fn revoke(tx: &mut Tx, salon_id: i64, person_id: i64) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("update rsvp_token set revoked_at = $1 where salon_id = $2 and person_id = $3 and revoked_at is null")
            .bind(now())
            .bind(salon_id)
            .bind(person_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })
}
