//! Reply addresses (`mail::reply_address`): the hash of each (salon, person) token, whether it
//! was revoked, and the last calendar reply applied through it.

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows};
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReplyAddress {
    pub salon_id: SalonId,
    pub person_id: PersonId,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_dtstamp: Option<DateTime<Utc>>,
    pub last_partstat: Option<String>,
}

fn hash(token: &str) -> String {
    crate::domain::token::hash(token)
}

/// Remember a token handed out in a mail (once per salon and person).
pub async fn register(
    c: impl Into<Conn<'_>>,
    token: &str,
    salon: SalonId,
    person: PersonId,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "insert into reply_address (token_hash, salon_id, person_id, created_at) values ($1, $2, $3, $4) on conflict do nothing",
        hash(token),
        salon,
        person,
        now()
    )?;
    Ok(())
}

pub async fn find(
    c: impl Into<Conn<'_>>,
    token: &str,
) -> Result<Option<ReplyAddress>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select salon_id, person_id, revoked_at, last_dtstamp, last_partstat from reply_address where token_hash = $1",
        hash(token)
    )
}

/// Replies through this person's address for the salon change nothing from now on (with their
/// answer links, from the participants page).
pub async fn revoke(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    person: PersonId,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "update reply_address set revoked_at = $1 where salon_id = $2 and person_id = $3 and revoked_at is null",
        now(),
        salon,
        person
    )
}

/// Record the reply just applied.
pub async fn applied(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    person: PersonId,
    dtstamp: DateTime<Utc>,
    partstat: &str,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update reply_address set last_dtstamp = $1, last_partstat = $2 where salon_id = $3 and person_id = $4",
        dtstamp,
        partstat,
        salon,
        person
    )?;
    Ok(())
}
