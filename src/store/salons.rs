//! Salons and their agenda.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::rsvp::SalonFacts;
use crate::domain::salon::{AgendaItem, Mode, Registration, Status, ValidSalon};
use crate::domain::time::now;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Salon {
    pub id: i64,
    pub series_id: Option<i64>,
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
    pub organiser_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The revision invited people were last told about.
    pub notified_revision: i64,
}

impl Salon {
    pub fn tz(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Europe::Copenhagen)
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
            rsvp_deadline: self.rsvp_deadline,
            registration: self.registration(),
            capacity: self.capacity,
        }
    }
    pub fn is_published(&self) -> bool {
        self.status() == Status::Published
    }
}

/// A salon as listed on the front page, series pages and the API.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub mode: String,
    pub status: String,
    pub series_id: Option<i64>,
    pub series_title: Option<String>,
}

impl Listed {
    pub fn tz(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Europe::Copenhagen)
    }
}

/// Bumped by every write to a salon in this process: caches of salon lists (the front page)
/// compare it to know they are stale. Other instances' writes are seen when the cache's short
/// lifetime runs out.
pub static CHANGES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn changed() {
    CHANGES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

const LISTED: &str = "select s.id, s.title, s.starts_at, s.ends_at, s.time_zone, s.mode, s.status, s.series_id,
        r.title as series_title
    from salon s left join series r on r.id = s.series_id";

pub async fn create(tx: &mut Tx, v: &ValidSalon, organiser_id: Option<i64>) -> Result<i64, sqlx::Error> {
    let at = now();
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "insert into salon (series_id, title, description, starts_at, ends_at, time_zone, mode, address,
                meeting_url, capacity, rsvp_deadline, registration, status, revision, waitlist_seq,
                organiser_id, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', 0, 0, $13, $14, $14)
             returning id",
        )
        .bind(v.series_id)
        .bind(&v.title)
        .bind(&v.description)
        .bind(v.starts_at)
        .bind(v.ends_at)
        .bind(v.time_zone.name())
        .bind(v.mode.as_str())
        .bind(&v.address)
        .bind(&v.meeting_url)
        .bind(v.capacity)
        .bind(v.rsvp_deadline)
        .bind(v.registration.as_str())
        .bind(organiser_id)
        .bind(at)
        .fetch_one(c)
        .await
    })?;
    replace_agenda(tx, id, &v.agenda).await?;
    changed();
    Ok(id)
}

/// Update a salon (locked by the caller with [`lock`]). The revision rises when the time, the
/// place or the meeting link changes: calendars need a higher SEQUENCE for those.
pub async fn update(tx: &mut Tx, current: &Salon, v: &ValidSalon) -> Result<(), sqlx::Error> {
    let moved = current.starts_at != v.starts_at
        || current.ends_at != v.ends_at
        || current.time_zone != v.time_zone.name()
        || current.mode != v.mode.as_str()
        || current.address != v.address
        || current.meeting_url != v.meeting_url;
    let revision = current.revision + i64::from(moved);
    on_tx!(tx, |c| {
        sqlx::query(
            "update salon set series_id = $1, title = $2, description = $3, starts_at = $4, ends_at = $5,
                time_zone = $6, mode = $7, address = $8, meeting_url = $9, capacity = $10,
                rsvp_deadline = $11, registration = $12, revision = $13, updated_at = $14
             where id = $15",
        )
        .bind(v.series_id)
        .bind(&v.title)
        .bind(&v.description)
        .bind(v.starts_at)
        .bind(v.ends_at)
        .bind(v.time_zone.name())
        .bind(v.mode.as_str())
        .bind(&v.address)
        .bind(&v.meeting_url)
        .bind(v.capacity)
        .bind(v.rsvp_deadline)
        .bind(v.registration.as_str())
        .bind(revision)
        .bind(now())
        .bind(current.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    changed();
    replace_agenda(tx, current.id, &v.agenda).await
}

/// Change the status; a change always raises the revision (publish, cancel).
pub async fn set_status(tx: &mut Tx, current: &Salon, status: Status) -> Result<(), sqlx::Error> {
    if current.status() == status {
        return Ok(());
    }
    on_tx!(tx, |c| {
        sqlx::query("update salon set status = $1, revision = revision + 1, updated_at = $2 where id = $3")
            .bind(status.as_str())
            .bind(now())
            .bind(current.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    changed();
    Ok(())
}

async fn replace_agenda(tx: &mut Tx, salon_id: i64, items: &[AgendaItem]) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query("delete from agenda_item where salon_id = $1").bind(salon_id).execute(c).await.map(|r| r.rows_affected()))?;
    for (position, item) in items.iter().enumerate() {
        on_tx!(tx, |c| {
            sqlx::query("insert into agenda_item (salon_id, position, start_time, title, note) values ($1, $2, $3, $4, $5)")
                .bind(salon_id)
                .bind(position as i64)
                .bind(&item.start_time)
                .bind(&item.title)
                .bind(&item.note)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Record that invited people now know about `revision`.
pub async fn mark_notified(tx: &mut Tx, id: i64, revision: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query("update salon set notified_revision = $1 where id = $2").bind(revision).bind(id).execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Salon>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as("select * from salon where id = $1").bind(id).fetch_optional(p).await)
}

/// Read and lock the salon row for the rest of the transaction: RSVPs to one salon are
/// serialised here, which is what keeps "yes" within the seats under concurrency. (On SQLite the
/// `BEGIN IMMEDIATE` transaction already serialises writers; PostgreSQL needs the row lock.)
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<Salon>, sqlx::Error> {
    match tx {
        Tx::Sqlite(t) => sqlx::query_as("select * from salon where id = $1").bind(id).fetch_optional(&mut **t).await,
        Tx::Postgres(t) => {
            sqlx::query_as("select * from salon where id = $1 for update").bind(id).fetch_optional(&mut **t).await
        }
    }
}

#[derive(sqlx::FromRow)]
struct AgendaRow {
    start_time: Option<String>,
    title: String,
    note: String,
}

pub async fn agenda(db: &Db, salon_id: i64) -> Result<Vec<AgendaItem>, sqlx::Error> {
    let rows: Vec<AgendaRow> = on_pool!(db, |p| {
        sqlx::query_as("select start_time, title, note from agenda_item where salon_id = $1 order by position")
            .bind(salon_id)
            .fetch_all(p)
            .await
    })?;
    Ok(rows.into_iter().map(|r| AgendaItem { start_time: r.start_time, title: r.title, note: r.note }).collect())
}

/// Published salons that have not ended, soonest first.
pub async fn upcoming(db: &Db, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    let at = now();
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LISTED} where s.status = 'published' and s.ends_at > $1 order by s.starts_at, s.id limit $2"
        )))
        .bind(at)
        .bind(limit)
        .fetch_all(p)
        .await
    })
}

/// Published salons that have ended, latest first.
pub async fn past(db: &Db, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    let at = now();
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LISTED} where s.status = 'published' and s.ends_at <= $1 order by s.starts_at desc, s.id desc limit $2"
        )))
        .bind(at)
        .bind(limit)
        .fetch_all(p)
        .await
    })
}

/// A series' salons: published and cancelled ones for everyone, drafts too for organisers.
pub async fn in_series(db: &Db, series_id: i64, with_drafts: bool) -> Result<Vec<Listed>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LISTED} where s.series_id = $1 and (s.status <> 'draft' or $2) order by s.starts_at, s.id"
        )))
        .bind(series_id)
        .bind(with_drafts)
        .fetch_all(p)
        .await
    })
}

/// Every salon, for the organisers' overview: upcoming first, then the rest.
pub async fn all(db: &Db) -> Result<Vec<Listed>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{LISTED} order by s.starts_at desc, s.id desc limit 500")))
            .fetch_all(p)
            .await
    })
}

/// Full rows for feeds: published and cancelled salons (of one series, if given), by start.
pub async fn for_feed(db: &Db, series_id: Option<i64>) -> Result<Vec<Salon>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select * from salon where status in ('published', 'cancelled') and ($1 is null or series_id = $1)
             order by starts_at, id limit 1000",
        )
        .bind(series_id)
        .fetch_all(p)
        .await
    })
}

/// Published salons for the public API: upcoming and recent.
pub async fn published(db: &Db, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LISTED} where s.status in ('published', 'cancelled') order by s.starts_at, s.id limit $1"
        )))
        .bind(limit)
        .fetch_all(p)
        .await
    })
}
