//! A salon's summary: sent exactly once, with the organiser's introduction.

use chrono::{DateTime, Utc};

use super::{Conn, execute, values};
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};

/// Claim a salon's summary (sent exactly once, with the organiser's introduction); false if it
/// was sent already.
pub async fn claim_summary(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    by: PersonId,
    intro: &str,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "insert into salon_summary (salon_id, sent_by, sent_at, intro) values ($1, $2, $3, $4) on conflict do nothing",
        salon,
        by,
        now(),
        intro
    )? == 1)
}

/// The introduction the summary was sent with ("" if none, or not sent).
pub async fn summary_intro(c: impl Into<Conn<'_>>, salon: SalonId) -> Result<String, sqlx::Error> {
    let intro: Option<String> = values!(
        c,
        fetch_optional,
        "select intro from salon_summary where salon_id = $1",
        salon
    )?;
    Ok(intro.unwrap_or_default())
}

/// When the salon's summary was sent, if it was.
pub async fn summary_sent_at(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    values!(
        c,
        fetch_optional,
        "select sent_at from salon_summary where salon_id = $1",
        salon
    )
}
