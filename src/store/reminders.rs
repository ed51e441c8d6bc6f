//! Reminders: exactly one per person and salon. Claiming is an insert into `reminder_sent`
//! (primary key salon + person) in the same transaction as the mail.

use chrono::{DateTime, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;

/// (salon id, person id) pairs due a reminder: published salons starting within `window`,
/// people with a seat, no reminder yet.
pub async fn due(db: &Db, until: DateTime<Utc>) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let at = now();
    on_pool!(db, |p| {
        sqlx::query_as(
            "select s.id, r.person_id from salon s
             join rsvp r on r.salon_id = s.id and r.response = 'yes' and r.waitlist_seq is null
             where s.status = 'published' and s.starts_at > $1 and s.starts_at <= $2
               and not exists (select 1 from reminder_sent m where m.salon_id = s.id and m.person_id = r.person_id)
             order by s.starts_at, s.id, r.person_id
             limit 500",
        )
        .bind(at)
        .bind(until)
        .fetch_all(p)
        .await
    })
}

/// Claim the reminder; false if someone (another instance, an earlier run) already has.
pub async fn claim(tx: &mut Tx, salon_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, |c| {
        sqlx::query("insert into reminder_sent (salon_id, person_id, sent_at) values ($1, $2, $3) on conflict do nothing")
            .bind(salon_id)
            .bind(person_id)
            .bind(now())
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}
