//! Personal calendar feed links (`/feeds/{token}.ics`): one live link per person, renewable
//! (the old one stops working), stored hashed (see `tokens`).

use super::tokens;
use super::{Conn, Db, execute, values};
use crate::domain::time::now;
use crate::ids::PersonId;

/// A new link for `person_id`; the old one is revoked in the same transaction. Returns the
/// secret.
pub async fn renew(db: &Db, person_id: PersonId) -> Result<String, sqlx::Error> {
    let mut tx = db.begin().await?;
    let t = tokens::issue();
    let at = now();
    execute!(
        &mut tx,
        "update feed_token set revoked_at = $1 where person_id = $2 and revoked_at is null",
        at,
        person_id
    )?;
    execute!(
        &mut tx,
        "insert into feed_token (token_hash, person_id, created_at) values ($1, $2, $3)",
        &t.hash,
        person_id,
        at
    )?;
    tx.commit().await?;
    Ok(t.secret)
}

/// Whose live link this is.
pub async fn person(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<PersonId>, sqlx::Error> {
    let Some(hash) = tokens::lookup(secret) else {
        return Ok(None);
    };
    values!(
        c,
        fetch_optional,
        "select person_id from feed_token where token_hash = $1 and revoked_at is null",
        &hash
    )
}

pub async fn has_live(c: impl Into<Conn<'_>>, person_id: PersonId) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from feed_token where person_id = $1 and revoked_at is null",
        person_id
    )?;
    Ok(n > 0)
}
