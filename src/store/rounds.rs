//! Priority rounds, their options and ballots.
//!
//! A ballot replaces the person's earlier one in one transaction that first locks the round
//! row (PostgreSQL `for update`; SQLite's `BEGIN IMMEDIATE`) and checks that it is open, so a
//! ballot and the closing of the round are serialised: nothing is counted after closing, and
//! concurrent ballots of different people never lose a vote.

use chrono::{DateTime, Utc};

use super::{Conn, Db, execute, rows, values};
use crate::domain::round::{RoundPlan, State};
use crate::domain::time::now;
use crate::ids::{OptionId, OrganisationId, PersonId, RoundId, SalonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Round {
    pub id: RoundId,
    pub salon_id: SalonId,
    pub question: String,
    pub points_per_person: i64,
    pub max_per_option: i64,
    pub live_results: bool,
    state: String,
    pub created_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Round {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Draft)
    }
    /// Results may be shown: after closing, or while open if the organiser chose live results.
    pub fn results_visible(&self) -> bool {
        self.state() == State::Closed || (self.state() == State::Open && self.live_results)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundOption {
    pub id: OptionId,
    pub label: String,
    /// Points given to it in all.
    pub points: i64,
}

pub async fn create(db: &Db, salon: SalonId, plan: &RoundPlan) -> Result<RoundId, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id: RoundId = values!(
        &mut tx,
        fetch_one,
        "insert into round (salon_id, question, points_per_person, max_per_option, live_results, state, created_at)
         values ($1, $2, $3, $4, $5, 'draft', $6) returning id",
        salon,
        &plan.question,
        plan.points_per_person,
        plan.max_per_option,
        plan.live_results,
        now()
    )?;
    for (position, label) in plan.options.iter().enumerate() {
        execute!(
            &mut tx,
            "insert into round_option (round_id, label, position) values ($1, $2, $3)",
            id,
            label,
            position as i64
        )?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn get(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: RoundId,
) -> Result<Option<Round>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from round where id = $1 and salon_id = $2",
        id,
        salon
    )
}

/// A round by its id alone (announcing a change; callers acting for a person use [`get`]).
pub async fn by_id(c: impl Into<Conn<'_>>, id: RoundId) -> Result<Option<Round>, sqlx::Error> {
    rows!(c, fetch_optional, "select * from round where id = $1", id)
}

pub async fn of_salon(c: impl Into<Conn<'_>>, salon: SalonId) -> Result<Vec<Round>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select * from round where salon_id = $1 order by id",
        salon
    )
}

/// The options in order, with the points given to each.
pub async fn options(c: impl Into<Conn<'_>>, id: RoundId) -> Result<Vec<RoundOption>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select o.id, o.label, cast(coalesce((select sum(b.points) from ballot_point b where b.option_id = o.id), 0) as bigint) as points
         from round_option o where o.round_id = $1 order by o.position, o.id",
        id
    )
}

/// Open a draft, or close an open round; false when the round was not in the state before.
pub async fn advance(
    c: impl Into<Conn<'_>>,
    id: RoundId,
    from: State,
    to: State,
) -> Result<bool, sqlx::Error> {
    let (opened, closed) = match to {
        State::Open => (Some(now()), None),
        State::Closed => (None, Some(now())),
        State::Draft => (None, None),
    };
    let n = execute!(
        c,
        "update round set state = $1, opened_at = coalesce($2, opened_at), closed_at = coalesce($3, closed_at)
         where id = $4 and state = $5",
        to.as_str(),
        opened,
        closed,
        id,
        from.as_str()
    )?;
    Ok(n == 1)
}

/// Replace `person`'s ballot, if the round is open; false when it is not (nothing stored).
pub async fn cast(
    db: &Db,
    id: RoundId,
    person: PersonId,
    points: &[(OptionId, i64)],
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let state: Option<String> =
        values!(&mut tx, fetch_optional, for_update "select state from round where id = $1", id)?;
    if state.as_deref() != Some(State::Open.as_str()) {
        return Ok(false);
    }
    execute!(
        &mut tx,
        "delete from ballot_point where round_id = $1 and person_id = $2",
        id,
        person
    )?;
    for (option, n) in points {
        execute!(
            &mut tx,
            "insert into ballot_point (round_id, person_id, option_id, points) values ($1, $2, $3, $4)",
            id,
            person,
            option,
            n
        )?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A person's current ballot: points by option.
pub async fn ballot_of(
    c: impl Into<Conn<'_>>,
    id: RoundId,
    person: PersonId,
) -> Result<Vec<(OptionId, i64)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select option_id, points from ballot_point where round_id = $1 and person_id = $2",
        id,
        person
    )
}

/// Every ballot of the round: (person, option, points).
pub async fn ballots(
    c: impl Into<Conn<'_>>,
    id: RoundId,
) -> Result<Vec<(PersonId, OptionId, i64)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select person_id, option_id, points from ballot_point where round_id = $1",
        id
    )
}

/// How many people have a ballot in the round.
pub async fn voters(c: impl Into<Conn<'_>>, id: RoundId) -> Result<i64, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "select count(distinct person_id) from ballot_point where round_id = $1",
        id
    )
}

/// The organisations (and their countries) whose people took part, by name.
pub async fn organisations(
    c: impl Into<Conn<'_>>,
    id: RoundId,
) -> Result<Vec<(OrganisationId, String, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select distinct o.id, o.name, o.country from ballot_point b join person p on p.id = b.person_id
         join organisation o on o.id = p.organisation_id where b.round_id = $1 order by o.name",
        id
    )
}

/// The closed rounds of a series' salons, in the order they closed.
pub async fn closed_of_series(
    c: impl Into<Conn<'_>>,
    series: crate::ids::SeriesId,
    drafts: super::Drafts,
) -> Result<Vec<Round>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select r.* from round r join salon s on s.id = r.salon_id
         where s.series_id = $1 and r.state = 'closed' and (s.status <> 'draft' or $2) order by r.closed_at, r.id",
        series,
        drafts.included()
    )
}
