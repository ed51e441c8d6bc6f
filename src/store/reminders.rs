//! Reminders: exactly one per person and salon. Claiming is an insert into `reminder_sent`
//! (primary key salon + person) in the same transaction as the mail.

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows};
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};

/// (salon, person) pairs due a reminder: published salons starting before `until`, people with
/// a seat, no reminder yet; soonest salon first, then by person.
pub async fn due(
    c: impl Into<Conn<'_>>,
    until: DateTime<Utc>,
) -> Result<Vec<(SalonId, PersonId)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select s.id, r.person_id from salon s
         join rsvp r on r.salon_id = s.id and r.response = 'yes' and r.waitlist_seq is null
         where s.status = 'published' and s.starts_at > $1 and s.starts_at <= $2
           and not exists (select 1 from reminder_sent m where m.salon_id = s.id and m.person_id = r.person_id)
         order by s.starts_at, s.id, r.person_id
         limit 500",
        now(),
        until
    )
}

/// Claim the reminder; false if someone (another instance, an earlier run) already has.
pub async fn claim(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    person_id: PersonId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "insert into reminder_sent (salon_id, person_id, sent_at) values ($1, $2, $3) on conflict do nothing",
        salon_id,
        person_id,
        now()
    )?;
    Ok(n == 1)
}
