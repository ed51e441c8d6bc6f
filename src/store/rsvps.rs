//! RSVPs: answers, seats and the waitlist.
//!
//! Every change runs in one transaction that first locks the salon row ([`salons::lock`]), so
//! seat counts read inside it are exact and "yes" never exceeds the capacity, however many
//! people answer at once. Waitlist places are numbered from the salon's own counter under the
//! same lock, so the line is the order in which people said yes.

use chrono::{DateTime, Utc};

use super::salons::{self, Salon};
use super::{Db, Tx, on_pool, on_tx};
use crate::domain::rsvp::{self, Refusal, Response, Standing};
use crate::domain::time::now;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Rsvp {
    pub id: i64,
    pub salon_id: i64,
    pub person_id: i64,
    pub response: Option<String>,
    pub waitlist_seq: Option<i64>,
    pub show_in_list: bool,
    pub invited_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Rsvp {
    pub fn standing(&self) -> Standing {
        Standing::from_row(self.response.as_deref(), self.waitlist_seq)
    }
}

pub async fn of(db: &Db, salon_id: i64, person_id: i64) -> Result<Option<Rsvp>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as("select * from rsvp where salon_id = $1 and person_id = $2").bind(salon_id).bind(person_id).fetch_optional(p).await
    })
}

async fn of_in(tx: &mut Tx, salon_id: i64, person_id: i64) -> Result<Option<Rsvp>, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_as("select * from rsvp where salon_id = $1 and person_id = $2").bind(salon_id).bind(person_id).fetch_optional(c).await
    })
}

async fn seated(tx: &mut Tx, salon_id: i64, except_person: i64) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "select count(*) from rsvp where salon_id = $1 and response = 'yes' and waitlist_seq is null and person_id <> $2",
        )
        .bind(salon_id)
        .bind(except_person)
        .fetch_one(c)
        .await
    })
}

#[derive(Debug)]
pub enum RespondError {
    NoSuchSalon,
    Refused(Refusal),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for RespondError {
    fn from(e: sqlx::Error) -> Self {
        RespondError::Db(e)
    }
}

/// What an answer did.
#[derive(Debug)]
pub struct Responded {
    pub salon: Salon,
    pub standing: Standing,
    /// People moved from the waitlist to a seat by this change (they get a mail).
    pub promoted: Vec<i64>,
}

/// Record `person_id`'s answer inside `tx` (which the caller commits after queueing the mail
/// for anyone promoted).
pub async fn respond(
    tx: &mut Tx,
    salon_id: i64,
    person_id: i64,
    response: Response,
    show_in_list: bool,
) -> Result<Responded, RespondError> {
    record(tx, salon_id, person_id, response, show_in_list, Rules::Enforce).await
}

/// Whether the deadline and invitation rules apply (an organiser recording an answer on
/// someone's behalf, or the demo loader, may answer past them; seats and the waitlist apply
/// always).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    Enforce,
    OnBehalf,
}

pub async fn record(
    tx: &mut Tx,
    salon_id: i64,
    person_id: i64,
    response: Response,
    show_in_list: bool,
    rules: Rules,
) -> Result<Responded, RespondError> {
    let salon = salons::lock(tx, salon_id).await?.ok_or(RespondError::NoSuchSalon)?;
    let current = of_in(tx, salon_id, person_id).await?;
    let current_standing = current.as_ref().map(Rsvp::standing);
    let at = now();
    if rules == Rules::Enforce {
        rsvp::may_answer(&salon.facts(), current_standing, at).map_err(RespondError::Refused)?;
    }

    let seated_now = seated(tx, salon_id, person_id).await?;
    let standing = rsvp::answer(current_standing, response, salon.capacity, seated_now, salon.waitlist_seq + 1);
    let waitlist_seq = match standing {
        Standing::Waitlisted(n) => Some(n),
        _ => None,
    };
    if matches!(standing, Standing::Waitlisted(n) if n == salon.waitlist_seq + 1) {
        on_tx!(tx, |c| {
            sqlx::query("update salon set waitlist_seq = $1 where id = $2").bind(salon.waitlist_seq + 1).bind(salon_id).execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    on_tx!(tx, |c| {
        sqlx::query(
            "insert into rsvp (salon_id, person_id, response, waitlist_seq, show_in_list, answered_at, created_at)
             values ($1, $2, $3, $4, $5, $6, $6)
             on conflict (salon_id, person_id) do update
               set response = excluded.response, waitlist_seq = excluded.waitlist_seq,
                   show_in_list = excluded.show_in_list, answered_at = excluded.answered_at",
        )
        .bind(salon_id)
        .bind(person_id)
        .bind(response.as_str())
        .bind(waitlist_seq)
        .bind(show_in_list)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    let promoted = if current_standing == Some(Standing::Seated) && standing != Standing::Seated {
        promote(tx, &salon).await?
    } else {
        Vec::new()
    };
    Ok(Responded { salon, standing, promoted })
}

/// Invite a person (a row without an answer); an existing row is left as it is.
pub async fn invite(tx: &mut Tx, salon_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let at = now();
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "insert into rsvp (salon_id, person_id, invited_at, created_at) values ($1, $2, $3, $3)
             on conflict (salon_id, person_id) do nothing",
        )
        .bind(salon_id)
        .bind(person_id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Give free seats to the first in line. Call with the salon locked (after an answer that freed
/// a seat, or after the capacity was raised). Returns the promoted people.
pub async fn promote(tx: &mut Tx, salon: &Salon) -> Result<Vec<i64>, sqlx::Error> {
    let seated_now = seated(tx, salon.id, 0).await?;
    let waiting: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar("select count(*) from rsvp where salon_id = $1 and response = 'yes' and waitlist_seq is not null")
            .bind(salon.id)
            .fetch_one(c)
            .await
    })?;
    let n = rsvp::seats_to_fill(salon.capacity, seated_now, waiting);
    if n == 0 {
        return Ok(Vec::new());
    }
    let people: Vec<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "select person_id from rsvp where salon_id = $1 and response = 'yes' and waitlist_seq is not null
             order by waitlist_seq limit $2",
        )
        .bind(salon.id)
        .bind(n)
        .fetch_all(c)
        .await
    })?;
    for person_id in &people {
        on_tx!(tx, |c| {
            sqlx::query("update rsvp set waitlist_seq = null where salon_id = $1 and person_id = $2")
                .bind(salon.id)
                .bind(person_id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    Ok(people)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub seated: i64,
    pub waitlisted: i64,
    pub maybe: i64,
    pub no: i64,
    pub invited: i64,
}

pub async fn counts(db: &Db, salon_id: i64) -> Result<Counts, sqlx::Error> {
    let rows: Vec<(Option<String>, bool, i64)> = on_pool!(db, |p| {
        sqlx::query_as(
            "select response, waitlist_seq is not null as waiting, count(*) from rsvp where salon_id = $1
             group by response, waitlist_seq is not null",
        )
        .bind(salon_id)
        .fetch_all(p)
        .await
    })?;
    let mut c = Counts::default();
    for (response, waiting, n) in rows {
        match (response.as_deref(), waiting) {
            (Some("yes"), false) => c.seated += n,
            (Some("yes"), true) => c.waitlisted += n,
            (Some("maybe"), _) => c.maybe += n,
            (Some("no"), _) => c.no += n,
            _ => c.invited += n,
        }
    }
    Ok(c)
}

/// One line of the organisers' participant list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Participant {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub organisation_short: Option<String>,
    pub response: Option<String>,
    pub waitlist_seq: Option<i64>,
    pub show_in_list: bool,
    pub answered_at: Option<DateTime<Utc>>,
}

impl Participant {
    pub fn standing(&self) -> Standing {
        Standing::from_row(self.response.as_deref(), self.waitlist_seq)
    }
}

/// Everyone invited or answered, seated first, then the waitlist in order, then the rest.
pub async fn participants(db: &Db, salon_id: i64) -> Result<Vec<Participant>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select p.id as person_id, p.name, p.email, p.title, o.name as organisation, o.short_name as organisation_short,
                    r.response, r.waitlist_seq, r.show_in_list, r.answered_at
             from rsvp r join person p on p.id = r.person_id left join organisation o on o.id = p.organisation_id
             where r.salon_id = $1
             order by case when r.response = 'yes' and r.waitlist_seq is null then 0
                           when r.response = 'yes' then 1
                           when r.response = 'maybe' then 2
                           when r.response is null then 3 else 4 end,
                      r.waitlist_seq, p.name, p.id",
        )
        .bind(salon_id)
        .fetch_all(p)
        .await
    })
}

/// A person to notify about a change: invited or answered, and not declined.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub person_id: i64,
    pub response: Option<String>,
}

pub async fn to_notify(db: &Db, salon_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select person_id, response from rsvp where salon_id = $1 and (response is null or response <> 'no') order by id",
        )
        .bind(salon_id)
        .fetch_all(p)
        .await
    })
}

/// The salons a person said yes (with a seat) or maybe to, for their personal feed.
pub async fn attending(db: &Db, person_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select r.salon_id, r.response from rsvp r join salon s on s.id = r.salon_id
             where r.person_id = $1 and s.status <> 'draft'
               and (r.response = 'maybe' or (r.response = 'yes' and r.waitlist_seq is null))
             order by s.starts_at",
        )
        .bind(person_id)
        .fetch_all(p)
        .await
    })
}

/// The public participant list: only people with a seat or a maybe who chose to be shown.
pub async fn shown(db: &Db, salon_id: i64) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select p.name, o.name from rsvp r join person p on p.id = r.person_id
             left join organisation o on o.id = p.organisation_id
             where r.salon_id = $1 and r.show_in_list and (r.response = 'maybe' or (r.response = 'yes' and r.waitlist_seq is null))
             order by p.name",
        )
        .bind(salon_id)
        .fetch_all(p)
        .await
    })
}
