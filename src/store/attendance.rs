//! Who was actually at a salon: one row per person, the first way they were seen (in the room
//! while the salon ran, or checked in at the door).

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows};
use crate::ids::{PersonId, SalonId};

/// How a person was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Room,
    Door,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Room => "room",
            How::Door => "door",
        }
    }
}

/// Mark a person present, seen `at`, once: false when they were already.
pub async fn mark(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    person: PersonId,
    how: How,
    by: Option<PersonId>,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "insert into attendance (salon_id, person_id, how, by_id, at) values ($1, $2, $3, $4, $5)
         on conflict (salon_id, person_id) do nothing",
        salon,
        person,
        how.as_str(),
        by,
        at
    )?;
    Ok(n == 1)
}

/// Undo a check-in at the door (an organiser's slip); presence in the room stays.
pub async fn undo_door(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "delete from attendance where salon_id = $1 and person_id = $2 and how = 'door'",
        salon,
        person
    )?;
    Ok(n == 1)
}

/// One person present at a salon.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Attended {
    pub person_id: PersonId,
    pub name: String,
    pub organisation: Option<String>,
    pub how: String,
    pub at: DateTime<Utc>,
}

/// Everyone present at a salon, by name.
pub async fn of_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Attended>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select a.person_id, p.name, o.name as organisation, a.how, a.at
         from attendance a join person p on p.id = a.person_id left join organisation o on o.id = p.organisation_id
         where a.salon_id = $1 order by p.name, p.id",
        salon
    )
}

/// How many of an organisation's people were at one salon of a series.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Participation {
    pub salon_id: SalonId,
    pub organisation: Option<String>,
    pub present: i64,
}

/// Participation per organisation in each of a series' salons (drafts left out).
pub async fn of_series(
    c: impl Into<Conn<'_>>,
    series: crate::ids::SeriesId,
) -> Result<Vec<Participation>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select a.salon_id, o.name as organisation, count(*) as present
         from attendance a join salon s on s.id = a.salon_id join person p on p.id = a.person_id
              left join organisation o on o.id = p.organisation_id
         where s.series_id = $1 and s.status <> 'draft' and not s.standing
         group by a.salon_id, o.name
         order by o.name, a.salon_id",
        series
    )
}
