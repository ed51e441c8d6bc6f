//! Salons and their agenda.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Conn, Tx, execute, rows, values};
use crate::domain::rsvp::SalonFacts;
use crate::domain::salon::{
    self as rules, AgendaItem, Mode, Placement, Registration, Status, Transition, TransitionError,
    ValidSalon,
};
use crate::domain::time::now;
use crate::ids::{GroupId, PersonId, SalonId, SeriesId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Salon {
    pub id: SalonId,
    pub series_id: Option<SeriesId>,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    time_zone: String,
    mode: String,
    pub address: Option<String>,
    pub meeting_url: Option<String>,
    pub capacity: Option<i64>,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    registration: String,
    status: String,
    pub revision: i64,
    pub waitlist_seq: i64,
    pub organiser_id: Option<PersonId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The revision invited people were last told about.
    pub notified_revision: i64,
    /// The working group whose meeting (or, `standing`, whose own room) this salon is.
    pub group_id: Option<GroupId>,
    /// A working group's standing room: never listed, open for as long as the group is.
    pub standing: bool,
}

impl Salon {
    pub fn tz(&self) -> Tz {
        self.time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Copenhagen)
    }
    pub fn time_zone_name(&self) -> &str {
        &self.time_zone
    }
    pub fn mode(&self) -> Mode {
        Mode::parse(&self.mode).unwrap_or(Mode::Online)
    }
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }
    pub fn registration(&self) -> Registration {
        Registration::parse(&self.registration).unwrap_or(Registration::Invitation)
    }
    pub fn facts(&self) -> SalonFacts {
        SalonFacts {
            status: self.status(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            joinable_online: self.mode().has_link(),
            rsvp_deadline: self.rsvp_deadline,
            registration: self.registration(),
            capacity: self.capacity,
        }
    }
    pub fn is_published(&self) -> bool {
        self.status() == Status::Published
    }
    /// Where and when it is, as calendars see it.
    pub fn placement(&self) -> Placement<'_> {
        Placement {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: &self.time_zone,
            mode: &self.mode,
            address: self.address.as_deref(),
            meeting_url: self.meeting_url.as_deref(),
        }
    }
}

/// A salon as listed on the front page, series pages and the API.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: SalonId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub mode: String,
    pub status: String,
    pub series_id: Option<SeriesId>,
    pub series_title: Option<String>,
}

impl Listed {
    pub fn tz(&self) -> Tz {
        self.time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Copenhagen)
    }
}

const LISTED: &str =
    "select s.id, s.title, s.starts_at, s.ends_at, s.time_zone, s.mode, s.status, s.series_id,
        r.title as series_title
    from salon s left join series r on r.id = s.series_id";

pub async fn create(
    tx: &mut Tx,
    v: &ValidSalon,
    organiser_id: Option<PersonId>,
) -> Result<SalonId, sqlx::Error> {
    let at = now();
    let id: SalonId = values!(
        &mut *tx,
        fetch_one,
        "insert into salon (series_id, title, description, starts_at, ends_at, time_zone, mode, address,
            meeting_url, capacity, rsvp_deadline, registration, status, revision, waitlist_seq,
            organiser_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', 0, 0, $13, $14, $14)
         returning id",
        v.series_id,
        &v.title,
        &v.description,
        v.starts_at,
        v.ends_at,
        v.time_zone.name(),
        v.mode.as_str(),
        &v.address,
        &v.meeting_url,
        v.capacity,
        v.rsvp_deadline,
        v.registration.as_str(),
        organiser_id,
        at
    )?;
    replace_agenda(tx, id, &v.agenda).await?;
    Ok(id)
}

/// Update a salon (locked by the caller with [`lock`]); the revision follows
/// `domain::salon::revision_after_edit` (calendars need a higher SEQUENCE when it moved).
pub async fn update(tx: &mut Tx, current: &Salon, v: &ValidSalon) -> Result<(), sqlx::Error> {
    let revision =
        rules::revision_after_edit(current.revision, &current.placement(), &v.placement());
    execute!(
        &mut *tx,
        "update salon set series_id = $1, title = $2, description = $3, starts_at = $4, ends_at = $5,
            time_zone = $6, mode = $7, address = $8, meeting_url = $9, capacity = $10,
            rsvp_deadline = $11, registration = $12, revision = $13, updated_at = $14
         where id = $15",
        v.series_id,
        &v.title,
        &v.description,
        v.starts_at,
        v.ends_at,
        v.time_zone.name(),
        v.mode.as_str(),
        &v.address,
        &v.meeting_url,
        v.capacity,
        v.rsvp_deadline,
        v.registration.as_str(),
        revision,
        now(),
        current.id
    )?;
    replace_agenda(tx, current.id, &v.agenda).await
}

/// Change the status as `domain::salon::Status::transition` allows; a change raises the
/// revision (publish, cancel).
pub async fn set_status(
    c: impl Into<Conn<'_>>,
    current: &Salon,
    status: Status,
) -> Result<Result<(), TransitionError>, sqlx::Error> {
    match current.status().transition(status) {
        Err(e) => Ok(Err(e)),
        Ok(Transition::Unchanged) => Ok(Ok(())),
        Ok(Transition::Change) => {
            execute!(
                c,
                "update salon set status = $1, revision = revision + 1, updated_at = $2 where id = $3",
                status.as_str(),
                now(),
                current.id
            )?;
            Ok(Ok(()))
        }
    }
}

async fn replace_agenda(
    tx: &mut Tx,
    salon_id: SalonId,
    items: &[AgendaItem],
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "delete from agenda_item where salon_id = $1",
        salon_id
    )?;
    for (position, item) in items.iter().enumerate() {
        execute!(
            &mut *tx,
            "insert into agenda_item (salon_id, position, start_time, title, note) values ($1, $2, $3, $4, $5)",
            salon_id,
            position as i64,
            &item.start_time,
            &item.title,
            &item.note
        )?;
    }
    Ok(())
}

/// Record that invited people now know about `revision`.
pub async fn mark_notified(
    c: impl Into<Conn<'_>>,
    id: SalonId,
    revision: i64,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update salon set notified_revision = $1 where id = $2",
        revision,
        id
    )?;
    Ok(())
}

pub async fn get(c: impl Into<Conn<'_>>, id: SalonId) -> Result<Option<Salon>, sqlx::Error> {
    rows!(c, fetch_optional, "select * from salon where id = $1", id)
}

/// Read and lock the salon row for the rest of the transaction: RSVPs to one salon are
/// serialised here, which is what keeps "yes" within the seats under concurrency. (On SQLite the
/// `BEGIN IMMEDIATE` transaction already serialises writers; PostgreSQL needs the row lock.)
pub async fn lock(tx: &mut Tx, id: SalonId) -> Result<Option<Salon>, sqlx::Error> {
    rows!(tx, fetch_optional, for_update "select * from salon where id = $1", id)
}

/// A salon of a series by its title (the demo loader finds its own salons again).
pub async fn by_title_in_series(
    c: impl Into<Conn<'_>>,
    title: &str,
    series_id: SeriesId,
) -> Result<Option<SalonId>, sqlx::Error> {
    values!(
        c,
        fetch_optional,
        "select id from salon where title = $1 and series_id = $2 order by id limit 1",
        title,
        series_id
    )
}

#[derive(sqlx::FromRow)]
struct AgendaRow {
    start_time: Option<String>,
    title: String,
    note: String,
}

pub async fn agenda(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
) -> Result<Vec<AgendaItem>, sqlx::Error> {
    let rows: Vec<AgendaRow> = rows!(
        c,
        fetch_all,
        "select start_time, title, note from agenda_item where salon_id = $1 order by position",
        salon_id
    )?;
    Ok(rows
        .into_iter()
        .map(|r| AgendaItem {
            start_time: r.start_time,
            title: r.title,
            note: r.note,
        })
        .collect())
}

/// Published salons that have not ended, soonest first.
pub async fn upcoming(c: impl Into<Conn<'_>>, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = format!(
        "{LISTED} where s.status = 'published' and not s.standing and s.ends_at > $1 order by s.starts_at, s.id limit $2"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), now(), limit)
}

/// Published salons that have ended, latest first.
pub async fn past(c: impl Into<Conn<'_>>, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = format!(
        "{LISTED} where s.status = 'published' and not s.standing and s.ends_at <= $1 order by s.starts_at desc, s.id desc limit $2"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), now(), limit)
}

/// A series' salons: published and cancelled ones for everyone, drafts too for organisers.
pub async fn in_series(
    c: impl Into<Conn<'_>>,
    series_id: SeriesId,
    with_drafts: bool,
) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = format!(
        "{LISTED} where s.series_id = $1 and not s.standing and (s.status <> 'draft' or $2) order by s.starts_at, s.id"
    );
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(sql),
        series_id,
        with_drafts
    )
}

/// Every salon, for the organisers' overview: upcoming first, then the rest.
pub async fn all(c: impl Into<Conn<'_>>) -> Result<Vec<Listed>, sqlx::Error> {
    let sql =
        format!("{LISTED} where not s.standing order by s.starts_at desc, s.id desc limit 500");
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql))
}

/// Full rows for feeds: published and cancelled salons (of one series, if given), by start.
pub async fn for_feed(
    c: impl Into<Conn<'_>>,
    series_id: Option<SeriesId>,
) -> Result<Vec<Salon>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select * from salon where status in ('published', 'cancelled') and not standing and ($1 is null or series_id = $1)
         order by starts_at, id limit 1000",
        series_id
    )
}

/// Published salons for the public API: upcoming and recent.
pub async fn published(c: impl Into<Conn<'_>>, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = format!(
        "{LISTED} where s.status in ('published', 'cancelled') and not s.standing order by s.starts_at, s.id limit $1"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), limit)
}

/// The salon of the same series that started last before `before` (published or cancelled).
pub async fn previous_in_series(
    c: impl Into<Conn<'_>>,
    series_id: SeriesId,
    before: DateTime<Utc>,
) -> Result<Option<Salon>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from salon where series_id = $1 and status <> 'draft' and not standing and starts_at < $2 order by starts_at desc, id desc limit 1",
        series_id,
        before
    )
}
