//! What working groups do: deliverables (a title, a due date, a state, a link and a note; the
//! coordinator reminded once before it is due) and status updates (on track, at risk,
//! blocked, with a short text; the author null once they deleted their account).

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, Tx, execute, rows};
use crate::domain::group::{DeliverableText, Status};
use crate::domain::time::now;
use crate::ids::{DeliverableId, GroupId, GroupUpdateId, PersonId, SeriesId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Deliverable {
    pub id: DeliverableId,
    pub group_id: GroupId,
    pub group_name: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub state: String,
    pub link: String,
    pub note: String,
    pub coordinator_id: Option<PersonId>,
}

impl Deliverable {
    pub fn state(&self) -> crate::domain::group::State {
        crate::domain::group::State::parse(&self.state)
            .unwrap_or(crate::domain::group::State::NotStarted)
    }
}

const DELIVERABLE: &str = "select d.id, d.group_id, g.name as group_name, d.title, d.due_on,
        d.state, d.link, d.note, g.coordinator_id
    from deliverable d join working_group g on g.id = d.group_id";

pub async fn deliverables(
    c: impl Into<Conn<'_>>,
    group: GroupId,
) -> Result<Vec<Deliverable>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{DELIVERABLE} where d.group_id = $1 order by d.due_on, d.id"
        )),
        group
    )
}

/// A series' deliverables due on or before `until` (None: all), by group then date (what the
/// next salon hears about).
pub async fn due_in_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
    until: Option<NaiveDate>,
) -> Result<Vec<Deliverable>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{DELIVERABLE} where g.series_id = $1 and ($2 is null or d.due_on <= $2)
             order by g.id, d.due_on, d.id"
        )),
        series,
        until
    )
}

pub async fn add_deliverable(
    tx: &mut Tx,
    group: GroupId,
    d: &DeliverableText,
) -> Result<DeliverableId, sqlx::Error> {
    super::values!(
        &mut *tx,
        fetch_one,
        "insert into deliverable (group_id, title, due_on, state, link, note, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        group,
        &d.title,
        d.due_on,
        d.state.as_str(),
        &d.link,
        &d.note,
        now()
    )
}

/// Save a deliverable of the group; false when it is not the group's. A new due date is
/// reminded about again.
pub async fn update_deliverable(
    tx: &mut Tx,
    group: GroupId,
    id: DeliverableId,
    d: &DeliverableText,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        &mut *tx,
        "update deliverable set title = $1, state = $2, link = $3, note = $4,
            reminded_at = case when due_on = $5 then reminded_at else null end, due_on = $5
         where id = $6 and group_id = $7",
        &d.title,
        d.state.as_str(),
        &d.link,
        &d.note,
        d.due_on,
        id,
        group
    )?;
    Ok(n == 1)
}

/// Deliverables not delivered, due on or before `until`, of groups with a coordinator, not
/// yet reminded about (soonest first).
pub async fn due_for_reminder(
    c: impl Into<Conn<'_>>,
    until: NaiveDate,
) -> Result<Vec<Deliverable>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{DELIVERABLE} where d.state <> 'delivered' and d.reminded_at is null and d.due_on <= $1
               and g.coordinator_id is not null order by d.due_on, d.id limit 500"
        )),
        until
    )
}

/// Claim a deliverable's reminder (once, also across instances and restarts); false if it
/// was claimed already.
pub async fn claim_reminder(tx: &mut Tx, id: DeliverableId) -> Result<bool, sqlx::Error> {
    let n = execute!(
        &mut *tx,
        "update deliverable set reminded_at = $1 where id = $2 and reminded_at is null",
        now(),
        id
    )?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Update {
    pub id: GroupUpdateId,
    pub group_id: GroupId,
    pub author_id: Option<PersonId>,
    pub author: Option<String>,
    pub status: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl Update {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::OnTrack)
    }
}

const UPDATE: &str = "select u.id, u.group_id, u.author_id, p.name as author, u.status, u.body,
        u.created_at
    from group_update u left join person p on p.id = u.author_id";

/// The group's updates, newest first.
pub async fn updates(c: impl Into<Conn<'_>>, group: GroupId) -> Result<Vec<Update>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{UPDATE} where u.group_id = $1 order by u.id desc")),
        group
    )
}

/// Each group's latest update in a series.
pub async fn latest_in_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
) -> Result<Vec<Update>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{UPDATE} where u.id in (select max(x.id) from group_update x
                join working_group g on g.id = x.group_id where g.series_id = $1 group by x.group_id)
             order by u.group_id"
        )),
        series
    )
}

pub async fn add_update(
    tx: &mut Tx,
    group: GroupId,
    author: PersonId,
    status: Status,
    body: &str,
) -> Result<GroupUpdateId, sqlx::Error> {
    super::values!(
        &mut *tx,
        fetch_one,
        "insert into group_update (group_id, author_id, status, body, created_at)
         values ($1, $2, $3, $4, $5) returning id",
        group,
        author,
        status.as_str(),
        body,
        now()
    )
}

/// What a salon hears from a working group: its latest update and the deliverables due
/// since the previous salon.
#[derive(Debug, Clone)]
pub struct Report {
    pub group: super::groups::Group,
    pub latest: Option<Update>,
    pub due: Vec<Deliverable>,
}

/// The series' groups' reports to a salon on `until`: deliverables due after `since` (the
/// previous salon's day; None: from the start) up to `until`.
pub async fn reports(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
    since: Option<NaiveDate>,
    until: NaiveDate,
) -> Result<Vec<Report>, sqlx::Error> {
    let mut c: Conn<'_> = c.into();
    let groups = super::groups::of_series(c.reborrow(), series).await?;
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let latest = latest_in_series(c.reborrow(), series).await?;
    let due = due_in_series(c.reborrow(), series, Some(until)).await?;
    Ok(groups
        .into_iter()
        .map(|g| Report {
            latest: latest.iter().find(|u| u.group_id == g.id).cloned(),
            due: due
                .iter()
                .filter(|d| d.group_id == g.id && since.is_none_or(|s| d.due_on > s))
                .cloned()
                .collect(),
            group: g,
        })
        .collect())
}
