//! Personal calendar feed links. Renewing makes a new link and revokes the old ones.

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;
use crate::domain::token;

pub async fn renew(tx: &mut Tx, person_id: i64) -> Result<String, sqlx::Error> {
    let t = token::generate();
    let at = now();
    on_tx!(tx, |c| {
        sqlx::query("update feed_token set revoked_at = $1 where person_id = $2 and revoked_at is null")
            .bind(at)
            .bind(person_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    on_tx!(tx, |c| {
        sqlx::query("insert into feed_token (token_hash, person_id, created_at) values ($1, $2, $3)")
            .bind(&t.hash)
            .bind(person_id)
            .bind(at)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(t.secret)
}

pub async fn person(db: &Db, secret: &str) -> Result<Option<i64>, sqlx::Error> {
    if !token::looks_valid(secret) {
        return Ok(None);
    }
    let hash = token::hash(secret);
    on_pool!(db, |p| {
        sqlx::query_scalar("select person_id from feed_token where token_hash = $1 and revoked_at is null")
            .bind(&hash)
            .fetch_optional(p)
            .await
    })
}

pub async fn has_live(db: &Db, person_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = on_pool!(db, |p| {
        sqlx::query_scalar("select count(*) from feed_token where person_id = $1 and revoked_at is null")
            .bind(person_id)
            .fetch_one(p)
            .await
    })?;
    Ok(n > 0)
}
