//! Personal answer links (`/rsvp/{token}`) in invitation mails: scoped to one person and one
//! salon, stored hashed, valid until an organiser revokes them (see `tokens`).

use super::tokens;
use super::{Conn, execute, rows};
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};

pub async fn create(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    person_id: PersonId,
) -> Result<String, sqlx::Error> {
    let t = tokens::issue();
    execute!(
        c,
        "insert into rsvp_token (token_hash, salon_id, person_id, created_at) values ($1, $2, $3, $4)",
        &t.hash,
        salon_id,
        person_id,
        now()
    )?;
    Ok(t.secret)
}

/// The salon and person a live link answers for.
pub async fn resolve(
    c: impl Into<Conn<'_>>,
    secret: &str,
) -> Result<Option<(SalonId, PersonId)>, sqlx::Error> {
    let Some(hash) = tokens::lookup(secret) else {
        return Ok(None);
    };
    rows!(
        c,
        fetch_optional,
        "select salon_id, person_id from rsvp_token where token_hash = $1 and revoked_at is null",
        &hash
    )
}

/// Revoke every live link of a person for a salon; returns how many.
pub async fn revoke(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    person_id: PersonId,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "update rsvp_token set revoked_at = $1 where salon_id = $2 and person_id = $3 and revoked_at is null",
        now(),
        salon_id,
        person_id
    )
}
