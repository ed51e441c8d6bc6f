//! What the retention job deletes (`usecases::retention`): each function removes what is due
//! at `at`, the moment the caller passes (so tests move time by passing a later moment).

use chrono::{DateTime, Duration, Utc};

use super::{Conn, execute};

/// Messages of rooms whose salon ended at least `keep` before `at` (their votes go with them);
/// in a working group's own room, which does not end, each message `keep` after it was written.
pub async fn room_messages(
    c: impl Into<Conn<'_>>,
    at: DateTime<Utc>,
    keep: Duration,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "delete from message where room_id in
           (select r.id from room r join salon s on s.id = r.salon_id where s.ends_at <= $1)
           or (created_at <= $1 and room_id in
           (select r.id from room r join salon s on s.id = r.salon_id where s.standing))",
        at - keep
    )
}

/// Bodies of mail sent (or given up) at least `keep` before `at`; the row and its state stay.
/// Mail still queued keeps its body, or it could not be sent.
pub async fn mail_bodies(
    c: impl Into<Conn<'_>>,
    at: DateTime<Utc>,
    keep: Duration,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "update outbox set body = $1, body_cleared_at = $2
         where body_cleared_at is null and status in ('sent', 'failed') and created_at <= $3",
        Vec::<u8>::new(),
        at,
        at - keep
    )
}

/// Sign-in links used or expired.
pub async fn sign_in_links(c: impl Into<Conn<'_>>, at: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "delete from login_token where used_at is not null or expires_at <= $1",
        at
    )
}

/// Registrations confirmed (the person exists now), and those never confirmed within `keep`.
pub async fn registrations(
    c: impl Into<Conn<'_>>,
    at: DateTime<Utc>,
    keep: Duration,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "delete from registration where used_at is not null or created_at <= $1",
        at - keep
    )
}

/// How long after its salon ends an answer link or reply address still does something (a late
/// calendar reply is still recognised and recorded as late).
pub const LINKS_AFTER_SALON: Duration = Duration::days(30);

/// Answer links revoked, or of salons over for [`LINKS_AFTER_SALON`].
pub async fn answer_links(c: impl Into<Conn<'_>>, at: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "delete from rsvp_token where revoked_at is not null
            or salon_id in (select id from salon where ends_at <= $1)",
        at - LINKS_AFTER_SALON
    )
}

/// Calendar reply addresses revoked, or of salons over for [`LINKS_AFTER_SALON`].
pub async fn reply_addresses(
    c: impl Into<Conn<'_>>,
    at: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "delete from reply_address where revoked_at is not null
            or salon_id in (select id from salon where ends_at <= $1)",
        at - LINKS_AFTER_SALON
    )
}

/// Feed links replaced by a newer one.
pub async fn feed_links(c: impl Into<Conn<'_>>) -> Result<u64, sqlx::Error> {
    execute!(c, "delete from feed_token where revoked_at is not null")
}

/// The record of inbound mail taken in (senders, subjects, what was done) older than `keep`.
pub async fn inbound_messages(
    c: impl Into<Conn<'_>>,
    at: DateTime<Utc>,
    keep: Duration,
) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "delete from inbound_message where received_at < $1",
        at - keep
    )
}
