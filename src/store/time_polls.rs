//! Time polls: the poll and its offered times, the people asked (each with a personal answer
//! link, hashed at rest like the RSVP links), and their answers per time.

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows, tokens, values};
use crate::domain::time::now;
use crate::domain::time_poll::{Answer, TimePollText};
use crate::ids::{PersonId, SalonId, SeriesId, TimePollId, TimeSlotId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimePoll {
    pub id: TimePollId,
    pub series_id: SeriesId,
    pub title: String,
    pub description: String,
    pub time_zone: String,
    pub minutes: i64,
    pub created_by: Option<PersonId>,
    pub created_at: DateTime<Utc>,
    pub chosen_slot: Option<TimeSlotId>,
    pub salon_id: Option<SalonId>,
}

impl TimePoll {
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Copenhagen)
    }
}

const POLL: &str = "select id, series_id, title, description, time_zone, minutes, created_by, created_at, chosen_slot, salon_id from time_poll";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Slot {
    pub id: TimeSlotId,
    pub starts_at: DateTime<Utc>,
}

/// A person asked, with their organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitee {
    pub person_id: PersonId,
    pub name: String,
    pub organisation: Option<String>,
}

/// Create a poll with its times, inside the caller's transaction.
pub async fn create(
    tx: &mut super::Tx,
    series: SeriesId,
    p: &TimePollText,
    by: PersonId,
) -> Result<TimePollId, sqlx::Error> {
    let id: TimePollId = values!(
        &mut *tx,
        fetch_one,
        "insert into time_poll (series_id, title, description, time_zone, minutes, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        series,
        &p.title,
        &p.description,
        p.time_zone.name(),
        p.minutes,
        by,
        now()
    )?;
    for at in &p.slots {
        execute!(
            &mut *tx,
            "insert into time_slot (poll_id, starts_at) values ($1, $2)",
            id,
            at
        )?;
    }
    Ok(id)
}

/// Ask a person, once: their personal link's secret, or None when they were asked before.
pub async fn invite(
    tx: &mut super::Tx,
    poll: TimePollId,
    person: PersonId,
) -> Result<Option<String>, sqlx::Error> {
    let t = tokens::issue();
    let n = execute!(
        &mut *tx,
        "insert into time_invitee (poll_id, person_id, token_hash, invited_at) values ($1, $2, $3, $4)
         on conflict (poll_id, person_id) do nothing",
        poll,
        person,
        &t.hash,
        now()
    )?;
    Ok((n == 1).then_some(t.secret))
}

/// The poll and person a personal link answers for.
pub async fn by_link(
    c: impl Into<Conn<'_>>,
    secret: &str,
) -> Result<Option<(TimePollId, PersonId)>, sqlx::Error> {
    let Some(hash) = tokens::lookup(secret) else {
        return Ok(None);
    };
    rows!(
        c,
        fetch_optional,
        "select poll_id, person_id from time_invitee where token_hash = $1",
        &hash
    )
}

pub async fn get(c: impl Into<Conn<'_>>, id: TimePollId) -> Result<Option<TimePoll>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{POLL} where id = $1")),
        id
    )
}

/// The poll that made a salon, if one did.
pub async fn of_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Option<TimePoll>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{POLL} where salon_id = $1")),
        salon
    )
}

/// A series' time polls, newest first.
pub async fn of_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
) -> Result<Vec<TimePoll>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{POLL} where series_id = $1 order by id desc")),
        series
    )
}

pub async fn slots(c: impl Into<Conn<'_>>, poll: TimePollId) -> Result<Vec<Slot>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select id, starts_at from time_slot where poll_id = $1 order by starts_at",
        poll
    )
}

/// Everyone asked, by organisation and then name.
pub async fn invitees(
    c: impl Into<Conn<'_>>,
    poll: TimePollId,
) -> Result<Vec<Invitee>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select i.person_id, p.name, o.name as organisation from time_invitee i
         join person p on p.id = i.person_id left join organisation o on o.id = p.organisation_id
         where i.poll_id = $1 order by o.name is null, o.name, p.name",
        poll
    )
}

pub async fn is_invited(
    c: impl Into<Conn<'_>>,
    poll: TimePollId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from time_invitee where poll_id = $1 and person_id = $2",
        poll,
        person
    )?;
    Ok(n > 0)
}

/// Every answer given in a poll: (person, slot, answer).
pub async fn answers(
    c: impl Into<Conn<'_>>,
    poll: TimePollId,
) -> Result<Vec<(PersonId, TimeSlotId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select a.person_id, a.slot_id, a.answer from time_answer a
         join time_slot s on s.id = a.slot_id where s.poll_id = $1",
        poll
    )
}

/// Lock the poll's row while it is answered or a time is picked: None when it has a time
/// already (or is gone).
pub async fn lock_undecided(
    tx: &mut super::Tx,
    poll: TimePollId,
) -> Result<Option<TimePoll>, sqlx::Error> {
    let p: Option<TimePoll> = rows!(
        &mut *tx,
        fetch_optional,
        for_update "select id, series_id, title, description, time_zone, minutes, created_by, created_at, chosen_slot, salon_id
         from time_poll where id = $1",
        poll
    )?;
    Ok(p.filter(|p| p.chosen_slot.is_none()))
}

/// Replace a person's answers in a poll (the caller checked the slots are the poll's).
pub async fn set_answers(
    tx: &mut super::Tx,
    poll: TimePollId,
    person: PersonId,
    answers: &[(TimeSlotId, Answer)],
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "delete from time_answer where person_id = $1 and slot_id in (select id from time_slot where poll_id = $2)",
        person,
        poll
    )?;
    let at = now();
    for (slot, a) in answers {
        execute!(
            &mut *tx,
            "insert into time_answer (slot_id, person_id, answer, at) values ($1, $2, $3, $4)",
            slot,
            person,
            a.as_str(),
            at
        )?;
    }
    Ok(())
}

/// Record the time picked and the salon made of it.
pub async fn choose(
    tx: &mut super::Tx,
    poll: TimePollId,
    slot: TimeSlotId,
    salon: SalonId,
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "update time_poll set chosen_slot = $1, salon_id = $2 where id = $3",
        slot,
        salon,
        poll
    )?;
    Ok(())
}
