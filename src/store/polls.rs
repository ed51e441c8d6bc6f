//! Polls of a series, their options and the answers given. An answer and the closing both lock
//! the poll's row first (as a proposal's stance does), so no answer lands after it closed, and
//! an answer replaces the person's earlier one whole.

use chrono::{DateTime, Utc};

use super::{Conn, Tx, execute, rows, values};
use crate::domain::poll::{Kind, PollPlan};
use crate::domain::proposal::State;
use crate::domain::time::now;
use crate::ids::{DecisionId, PersonId, PollId, PollOptionId, SalonId, SeriesId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Poll {
    pub id: PollId,
    pub series_id: SeriesId,
    pub salon_id: Option<SalonId>,
    pub question: String,
    pub background: String,
    kind: String,
    pub max_score: i64,
    pub closes_at: DateTime<Utc>,
    pub hide_results: bool,
    pub proposer: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: String,
    pub decision_id: Option<DecisionId>,
    /// How many have answered.
    pub voters: i64,
}

impl Poll {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Single)
    }
    pub fn state(&self, now: DateTime<Utc>) -> State {
        State::of(self.closes_at, self.closed_at, now)
    }
    /// Whether the results may be shown now.
    pub fn results_shown(&self, now: DateTime<Utc>) -> bool {
        !self.hide_results || self.state(now) != State::Open
    }
}

const POLL: &str = "select p.id, p.series_id, p.salon_id, p.question, p.background, p.kind, p.max_score, p.closes_at,
        p.hide_results, a.name as proposer, p.closed_at, p.outcome, p.decision_id,
        (select count(distinct v.person_id) from poll_answer v where v.poll_id = p.id) as voters
    from poll p left join person a on a.id = p.proposed_by";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PollOption {
    pub id: PollOptionId,
    pub label: String,
}

pub struct NewPoll<'a> {
    pub series_id: SeriesId,
    pub salon_id: Option<SalonId>,
    pub plan: &'a PollPlan,
    pub hide_results: bool,
    pub by: PersonId,
}

/// Create a poll with its options (inside the caller's transaction).
pub async fn create(tx: &mut Tx, p: &NewPoll<'_>) -> Result<PollId, sqlx::Error> {
    let id: PollId = values!(
        &mut *tx,
        fetch_one,
        "insert into poll (series_id, salon_id, question, background, kind, max_score, closes_at, hide_results, proposed_by, outcome, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10) returning id",
        p.series_id,
        p.salon_id,
        &p.plan.question,
        &p.plan.background,
        p.plan.kind.as_str(),
        p.plan.max_score,
        p.plan.closes_at,
        p.hide_results,
        p.by,
        now()
    )?;
    for (i, label) in p.plan.options.iter().enumerate() {
        execute!(
            &mut *tx,
            "insert into poll_option (poll_id, label, position) values ($1, $2, $3)",
            id,
            label,
            i as i64
        )?;
    }
    Ok(id)
}

pub async fn get(c: impl Into<Conn<'_>>, id: PollId) -> Result<Option<Poll>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{POLL} where p.id = $1")),
        id
    )
}

/// A series' polls, newest first.
pub async fn of_series(c: impl Into<Conn<'_>>, series: SeriesId) -> Result<Vec<Poll>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{POLL} where p.series_id = $1 order by p.id desc")),
        series
    )
}

/// The polls put to a salon, oldest first (as its room's panel lists them).
pub async fn of_salon(c: impl Into<Conn<'_>>, salon: SalonId) -> Result<Vec<Poll>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{POLL} where p.salon_id = $1 order by p.id")),
        salon
    )
}

pub async fn options(c: impl Into<Conn<'_>>, id: PollId) -> Result<Vec<PollOption>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select id, label from poll_option where poll_id = $1 order by position, id",
        id
    )
}

/// Every answer row: (person, option, value).
pub async fn answers(
    c: impl Into<Conn<'_>>,
    id: PollId,
) -> Result<Vec<(PersonId, PollOptionId, i64)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select person_id, option_id, value from poll_answer where poll_id = $1 order by person_id, option_id",
        id
    )
}

/// Replace a person's answer; false (nothing stored) when the poll is no longer open.
pub async fn answer(
    tx: &mut Tx,
    id: PollId,
    person: PersonId,
    values: &[(PollOptionId, i64)],
) -> Result<bool, sqlx::Error> {
    let row: Option<(DateTime<Utc>, Option<DateTime<Utc>>)> = rows!(
        &mut *tx,
        fetch_optional,
        for_update "select closes_at, closed_at from poll where id = $1",
        id
    )?;
    if !row.is_some_and(|(closes, closed)| State::of(closes, closed, now()) == State::Open) {
        return Ok(false);
    }
    execute!(
        &mut *tx,
        "delete from poll_answer where poll_id = $1 and person_id = $2",
        id,
        person
    )?;
    let at = now();
    for (option, value) in values {
        execute!(
            &mut *tx,
            "insert into poll_answer (poll_id, person_id, option_id, value, updated_at) values ($1, $2, $3, $4, $5)",
            id,
            person,
            option,
            value,
            at
        )?;
    }
    Ok(true)
}

/// Lock the poll's row; false when it was closed already.
pub async fn lock_unclosed(tx: &mut Tx, id: PollId) -> Result<bool, sqlx::Error> {
    let closed: Option<Option<DateTime<Utc>>> = values!(
        &mut *tx,
        fetch_optional,
        for_update "select closed_at from poll where id = $1",
        id
    )?;
    Ok(matches!(closed, Some(None)))
}

/// Close the poll (its row locked by [`lock_unclosed`]) with its outcome and the decision it
/// became, if any.
pub async fn close(
    tx: &mut Tx,
    id: PollId,
    outcome: &str,
    decision: Option<DecisionId>,
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "update poll set closed_at = $1, outcome = $2, decision_id = $3 where id = $4",
        now(),
        outcome,
        decision,
        id
    )?;
    Ok(())
}
