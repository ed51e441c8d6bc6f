//! Retention: what Salon keeps no longer than needed, deleted by one job (hourly, on one
//! instance at a time through a lease). Periods are settings (`config::privacy::Retention`,
//! defaults in README); [`run`] takes the moment to judge by, so tests move time by passing a
//! later moment instead of sleeping.

use chrono::{DateTime, Utc};

use crate::config::privacy::Retention;
use crate::store::{Db, audit, retention, sessions};

/// What one run deleted or cleared, per kind (also counted in `/metrics` as
/// `salon_retention_deleted_total{what}`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub room_messages: u64,
    pub mail_bodies: u64,
    pub sessions: u64,
    pub sign_in_links: u64,
    pub registrations: u64,
    pub answer_links: u64,
    pub reply_addresses: u64,
    pub feed_links: u64,
    pub inbound_messages: u64,
    pub audit_events: u64,
}

impl Counts {
    fn each(&self) -> [(&'static str, u64); 10] {
        [
            ("room_messages", self.room_messages),
            ("mail_bodies", self.mail_bodies),
            ("sessions", self.sessions),
            ("sign_in_links", self.sign_in_links),
            ("registrations", self.registrations),
            ("answer_links", self.answer_links),
            ("reply_addresses", self.reply_addresses),
            ("feed_links", self.feed_links),
            ("inbound_messages", self.inbound_messages),
            ("audit_events", self.audit_events),
        ]
    }
}

/// Delete everything due at `at`. Each kind is its own statement: one that fails is logged and
/// counted, and the others still run.
pub async fn run(db: &Db, r: &Retention, at: DateTime<Utc>) -> Counts {
    let n = Counts {
        room_messages: step(
            "room_messages",
            retention::room_messages(db, at, r.room).await,
        ),
        mail_bodies: step(
            "mail_bodies",
            retention::mail_bodies(db, at, r.mail_body).await,
        ),
        sessions: step("sessions", sessions::purge_expired(db, at).await),
        sign_in_links: step("sign_in_links", retention::sign_in_links(db, at).await),
        registrations: step(
            "registrations",
            retention::registrations(db, at, r.registration).await,
        ),
        answer_links: step("answer_links", retention::answer_links(db, at).await),
        reply_addresses: step("reply_addresses", retention::reply_addresses(db, at).await),
        feed_links: step("feed_links", retention::feed_links(db).await),
        inbound_messages: step(
            "inbound_messages",
            retention::inbound_messages(db, at, r.inbound).await,
        ),
        audit_events: step("audit_events", audit::purge_before(db, at - r.audit).await),
    };
    for (what, count) in n.each() {
        // Incremented by zero too, so every series is on /metrics from the first run.
        metrics::counter!("salon_retention_deleted_total", "what" => what).increment(count);
    }
    if n != Counts::default() {
        tracing::info!(?n, "retention: deleted what is kept no longer");
    }
    n
}

fn step(what: &'static str, done: Result<u64, sqlx::Error>) -> u64 {
    done.unwrap_or_else(|e| {
        crate::background::row_failed("retention", what, e);
        0
    })
}
