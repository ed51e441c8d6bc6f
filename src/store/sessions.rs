//! Signed-in browsers. The cookie holds a 256-bit random id; the table holds its SHA-256.

use chrono::Duration;

use super::tokens;
use super::{Conn, execute, rows};
use crate::domain::time::now;
use crate::ids::PersonId;

/// How long a session lasts without signing in again.
pub const LIFETIME: Duration = Duration::days(30);

/// Create a session for `person_id`; returns the secret for the cookie.
pub async fn create(c: impl Into<Conn<'_>>, person_id: PersonId) -> Result<String, sqlx::Error> {
    let t = tokens::issue();
    let created = now();
    execute!(
        c,
        "insert into session (id_hash, person_id, created_at, expires_at) values ($1, $2, $3, $4)",
        &t.hash,
        person_id,
        created,
        created + LIFETIME
    )?;
    Ok(t.secret)
}

/// Delete the session behind a cookie (sign-out, and the old id at sign-in).
pub async fn delete(c: impl Into<Conn<'_>>, secret: &str) -> Result<(), sqlx::Error> {
    if let Some(hash) = tokens::lookup(secret) {
        execute!(c, "delete from session where id_hash = $1", &hash)?;
    }
    Ok(())
}

/// Remove expired sessions (called by the housekeeping loop).
pub async fn purge_expired(c: impl Into<Conn<'_>>) -> Result<u64, sqlx::Error> {
    execute!(c, "delete from session where expires_at <= $1", now())
}

/// The person behind a live session cookie, in one indexed query.
pub async fn person(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<crate::store::people::Person>, sqlx::Error> {
    let Some(hash) = tokens::lookup(secret) else { return Ok(None) };
    rows!(
        c,
        fetch_optional,
        "select p.* from session s join person p on p.id = s.person_id where s.id_hash = $1 and s.expires_at > $2",
        &hash,
        now()
    )
}
