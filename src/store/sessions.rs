//! Signed-in browsers. The cookie holds a 256-bit random id; the table holds its SHA-256.
//!
//! `expires_at` is when the session ends if nothing more happens: the sooner of its absolute
//! end (`SALON_SESSION_DAYS` after sign-in) and its idle end (`SALON_SESSION_IDLE_DAYS` after
//! the last request). Requests move it on (`touch`, at most every few minutes), so every lookup
//! is one indexed comparison and needs no settings.

use chrono::{DateTime, Utc};

use super::tokens;
use super::{Conn, execute, rows};
pub use crate::config::privacy::Lifetimes;
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};
use crate::store::people::Person;

/// Create a session for `person_id`; returns the secret for the cookie.
pub async fn create(
    c: impl Into<Conn<'_>>,
    person_id: PersonId,
    lifetimes: Lifetimes,
) -> Result<String, sqlx::Error> {
    let t = tokens::issue();
    let created = now();
    execute!(
        c,
        "insert into session (id_hash, person_id, created_at, expires_at, last_seen_at) values ($1, $2, $3, $4, $3)",
        &t.hash,
        person_id,
        created,
        lifetimes.end(created, created)
    )?;
    Ok(t.secret)
}

/// A session from an invitation's link: good for `salon`'s pages and room only, ending at
/// `until` whatever happens (`touch` leaves it alone).
pub async fn create_for_salon(
    c: impl Into<Conn<'_>>,
    person_id: PersonId,
    salon: SalonId,
    until: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let t = tokens::issue();
    let created = now();
    execute!(
        c,
        "insert into session (id_hash, person_id, created_at, expires_at, last_seen_at, salon_id) values ($1, $2, $3, $4, $3, $5)",
        &t.hash,
        person_id,
        created,
        until,
        salon
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

/// End every session of a person ("sign out everywhere", account deletion).
pub async fn delete_all(c: impl Into<Conn<'_>>, person_id: PersonId) -> Result<u64, sqlx::Error> {
    execute!(c, "delete from session where person_id = $1", person_id)
}

/// Remove sessions that ended before `at` (the retention job).
pub async fn purge_expired(c: impl Into<Conn<'_>>, at: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    execute!(c, "delete from session where expires_at <= $1", at)
}

/// The person behind a live session cookie, in one indexed query.
pub async fn person(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<Person>, sqlx::Error> {
    Ok(signed_in(c, secret).await?.map(|s| s.person))
}

/// A live session: who, and since when.
#[derive(Debug, sqlx::FromRow)]
pub struct Signed {
    #[sqlx(flatten)]
    pub person: Person,
    /// When this browser signed in (a fresh sign-in is asked for before deleting an account).
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    /// A room pass (`create_for_salon`): the one salon it is good for.
    pub pass_for: Option<SalonId>,
}

pub async fn signed_in(
    c: impl Into<Conn<'_>>,
    secret: &str,
) -> Result<Option<Signed>, sqlx::Error> {
    let Some(hash) = tokens::lookup(secret) else {
        return Ok(None);
    };
    rows!(
        c,
        fetch_optional,
        "select p.*, s.created_at as signed_in_at, s.last_seen_at, s.salon_id as pass_for from session s join person p on p.id = s.person_id
         where s.id_hash = $1 and s.expires_at > $2",
        &hash,
        now()
    )
}

/// Note a request on the session: its idle end moves on (never past its absolute end).
pub async fn touch(
    c: impl Into<Conn<'_>>,
    secret: &str,
    signed_in_at: DateTime<Utc>,
    lifetimes: Lifetimes,
) -> Result<(), sqlx::Error> {
    let Some(hash) = tokens::lookup(secret) else {
        return Ok(());
    };
    let at = now();
    execute!(
        c,
        "update session set last_seen_at = $1, expires_at = $2 where id_hash = $3 and salon_id is null",
        at,
        lifetimes.end(signed_in_at, at),
        &hash
    )?;
    Ok(())
}
