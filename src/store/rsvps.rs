//! RSVPs: answers, seats and the waitlist.
//!
//! Every change runs in one transaction that first locks the salon row ([`salons::lock`]), so
//! seat counts read inside it are exact and "yes" never exceeds the capacity, however many
//! people answer at once. Waitlist places are numbered from the salon's own counter under the
//! same lock, so the line is the order in which people said yes.

use chrono::{DateTime, Utc};

use super::salons::{self, Salon};
use super::{Conn, Tx, execute, rows, values};
use crate::domain::rsvp::{self, NotAccepted, Response, Standing};
use crate::domain::time::now;
use crate::ids::{PersonId, RsvpId, SalonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Rsvp {
    pub id: RsvpId,
    pub salon_id: SalonId,
    pub person_id: PersonId,
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

pub async fn of(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    person_id: PersonId,
) -> Result<Option<Rsvp>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from rsvp where salon_id = $1 and person_id = $2",
        salon_id,
        person_id
    )
}

/// People holding a seat (yes, not waiting), but for `except`.
async fn seated(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    except: Option<PersonId>,
) -> Result<i64, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "select count(*) from rsvp where salon_id = $1 and response = 'yes' and waitlist_seq is null and ($2 is null or person_id <> $2)",
        salon_id,
        except
    )
}

#[derive(Debug)]
pub enum RespondError {
    NoSuchSalon,
    Refused(NotAccepted),
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
    pub promoted: Vec<PersonId>,
}

/// Whether the deadline and invitation rules apply (an organiser recording an answer on
/// someone's behalf, or the demo loader, may answer past them; seats and the waitlist apply
/// always).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    Enforce,
    OnBehalf,
}

/// Record `person_id`'s answer inside the caller's transaction (which the caller commits after
/// queueing the mail for anyone promoted; see `usecases::rsvp`).
pub async fn record(
    tx: &mut Tx,
    salon_id: SalonId,
    person_id: PersonId,
    response: Response,
    show_in_list: bool,
    rules: Rules,
) -> Result<Responded, RespondError> {
    let salon = salons::lock(&mut *tx, salon_id)
        .await?
        .ok_or(RespondError::NoSuchSalon)?;
    let current = of(&mut *tx, salon_id, person_id).await?;
    let current_standing = current.as_ref().map(Rsvp::standing);
    let at = now();
    if rules == Rules::Enforce {
        rsvp::may_answer(&salon.facts(), current_standing, at).map_err(RespondError::Refused)?;
    }

    let seated_now = seated(&mut *tx, salon_id, Some(person_id)).await?;
    let standing = rsvp::answer(
        current_standing,
        response,
        salon.capacity,
        seated_now,
        salon.waitlist_seq + 1,
    );
    let waitlist_seq = match standing {
        Standing::Waitlisted(n) => Some(n),
        _ => None,
    };
    if matches!(standing, Standing::Waitlisted(n) if n == salon.waitlist_seq + 1) {
        execute!(
            &mut *tx,
            "update salon set waitlist_seq = $1 where id = $2",
            salon.waitlist_seq + 1,
            salon_id
        )?;
    }
    execute!(
        &mut *tx,
        "insert into rsvp (salon_id, person_id, response, waitlist_seq, show_in_list, answered_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $6)
         on conflict (salon_id, person_id) do update
           set response = excluded.response, waitlist_seq = excluded.waitlist_seq,
               show_in_list = excluded.show_in_list, answered_at = excluded.answered_at",
        salon_id,
        person_id,
        response.as_str(),
        waitlist_seq,
        show_in_list,
        at
    )?;
    let promoted = if current_standing == Some(Standing::Seated) && standing != Standing::Seated {
        promote(tx, &salon).await?
    } else {
        Vec::new()
    };
    Ok(Responded {
        salon,
        standing,
        promoted,
    })
}

/// Invite a person (a row without an answer); an existing row is left as it is.
pub async fn invite(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
    person_id: PersonId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "insert into rsvp (salon_id, person_id, invited_at, created_at) values ($1, $2, $3, $3)
         on conflict (salon_id, person_id) do nothing",
        salon_id,
        person_id,
        now()
    )?;
    Ok(n == 1)
}

/// Give free seats to the first in line. Call with the salon locked (after an answer that freed
/// a seat, or after the capacity was raised). Returns the promoted people.
pub async fn promote(tx: &mut Tx, salon: &Salon) -> Result<Vec<PersonId>, sqlx::Error> {
    let seated_now = seated(&mut *tx, salon.id, None).await?;
    let waiting: i64 = values!(
        &mut *tx,
        fetch_one,
        "select count(*) from rsvp where salon_id = $1 and response = 'yes' and waitlist_seq is not null",
        salon.id
    )?;
    let n = rsvp::seats_to_fill(salon.capacity, seated_now, waiting);
    if n == 0 {
        return Ok(Vec::new());
    }
    let people: Vec<PersonId> = values!(
        &mut *tx,
        fetch_all,
        "select person_id from rsvp where salon_id = $1 and response = 'yes' and waitlist_seq is not null
         order by waitlist_seq limit $2",
        salon.id,
        n
    )?;
    for person_id in &people {
        execute!(
            &mut *tx,
            "update rsvp set waitlist_seq = null where salon_id = $1 and person_id = $2",
            salon.id,
            person_id
        )?;
    }
    Ok(people)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub seated: i64,
    pub waitlisted: i64,
    pub maybe: i64,
    pub no: i64,
    /// Invited and not answered yet.
    pub invited: i64,
    /// Everyone an invitation went to, answered or not (what the invite page marks "already
    /// invited").
    pub invitations: i64,
}

pub async fn counts(c: impl Into<Conn<'_>>, salon_id: SalonId) -> Result<Counts, sqlx::Error> {
    let rows: Vec<(Option<String>, bool, i64, i64)> = rows!(
        c,
        fetch_all,
        "select response, waitlist_seq is not null as waiting, count(*),
                count(invited_at)
         from rsvp where salon_id = $1
         group by response, waitlist_seq is not null",
        salon_id
    )?;
    let mut c = Counts::default();
    for (response, waiting, n, invited) in rows {
        c.invitations += invited;
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
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub organisation_short: Option<String>,
    pub response: Option<String>,
    pub waitlist_seq: Option<i64>,
    pub show_in_list: bool,
    pub answered_at: Option<DateTime<Utc>>,
    /// A permanent bounce came back for mail to this person's address.
    pub mail_failing_at: Option<DateTime<Utc>>,
    /// Present: `room` or `door` (attendance).
    pub attended: Option<String>,
}

impl Participant {
    pub fn standing(&self) -> Standing {
        Standing::from_row(self.response.as_deref(), self.waitlist_seq)
    }
}

/// Everyone invited or answered, seated first, then the waitlist in order, then the rest.
pub async fn participants(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
) -> Result<Vec<Participant>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select p.id as person_id, p.name, p.email, p.title, o.name as organisation, o.short_name as organisation_short,
                r.response, r.waitlist_seq, r.show_in_list, r.answered_at, p.mail_failing_at, a.how as attended
         from rsvp r join person p on p.id = r.person_id left join organisation o on o.id = p.organisation_id
              left join attendance a on a.salon_id = r.salon_id and a.person_id = r.person_id
         where r.salon_id = $1
         order by case when r.response = 'yes' and r.waitlist_seq is null then 0
                       when r.response = 'yes' then 1
                       when r.response = 'maybe' then 2
                       when r.response is null then 3 else 4 end,
                  r.waitlist_seq, p.name, p.id",
        salon_id
    )
}

/// A person to notify about a change: invited or answered, and not declined.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub person_id: PersonId,
    pub response: Option<String>,
}

pub async fn to_notify(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
) -> Result<Vec<Recipient>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select person_id, response from rsvp where salon_id = $1 and (response is null or response <> 'no') order by id",
        salon_id
    )
}

/// The salons a person said yes (with a seat) or maybe to, for their personal feed.
pub async fn attending(
    c: impl Into<Conn<'_>>,
    person_id: PersonId,
) -> Result<Vec<(SalonId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select r.salon_id, r.response from rsvp r join salon s on s.id = r.salon_id
         where r.person_id = $1 and s.status <> 'draft'
           and (r.response = 'maybe' or (r.response = 'yes' and r.waitlist_seq is null))
         order by s.starts_at",
        person_id
    )
}

/// The public participant list: only people with a seat or a maybe who chose to be shown.
pub async fn shown(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select p.name, o.name from rsvp r join person p on p.id = r.person_id
         left join organisation o on o.id = p.organisation_id
         where r.salon_id = $1 and r.show_in_list and (r.response = 'maybe' or (r.response = 'yes' and r.waitlist_seq is null))
         order by p.name",
        salon_id
    )
}

/// Salons not yet over where the person holds a seat or a waitlist place (an account deletion
/// gives them up, as a decline would).
pub async fn holding_upcoming(
    c: impl Into<Conn<'_>>,
    person_id: PersonId,
) -> Result<Vec<SalonId>, sqlx::Error> {
    values!(
        c,
        fetch_all,
        "select r.salon_id from rsvp r join salon s on s.id = r.salon_id
         where r.person_id = $1 and r.response = 'yes' and s.ends_at > $2 order by s.starts_at",
        person_id,
        now()
    )
}
