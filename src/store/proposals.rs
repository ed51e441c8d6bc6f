//! Proposals of a series and the stances taken on them.
//!
//! A stance and the closing both lock the proposal's row first (PostgreSQL `for update`;
//! SQLite's `BEGIN IMMEDIATE` holds the database), so no stance lands after the outcome is
//! written, and the outcome is written once.

use chrono::{DateTime, Utc};

use super::{Conn, Tx, execute, rows, values};
use crate::domain::proposal::{Choice, ProposalText, State};
use crate::domain::time::now;
use crate::ids::{DecisionId, OrganisationId, PersonId, ProposalId, SalonId, SeriesId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Proposal {
    pub id: ProposalId,
    pub series_id: SeriesId,
    pub salon_id: Option<SalonId>,
    pub title: String,
    pub background: String,
    pub closes_at: DateTime<Utc>,
    pub hide_results: bool,
    pub proposed_by: Option<PersonId>,
    pub proposer: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: String,
    pub decision_id: Option<DecisionId>,
    /// How many have taken a stance (shown even while the results are hidden).
    pub stances: i64,
    pub created_at: DateTime<Utc>,
}

impl Proposal {
    pub fn state(&self, now: DateTime<Utc>) -> State {
        State::of(self.closes_at, self.closed_at, now)
    }

    /// Whether the tally and the reasons may be shown now.
    pub fn results_shown(&self, now: DateTime<Utc>) -> bool {
        !self.hide_results || self.state(now) != State::Open
    }
}

const PROPOSAL: &str =
    "select p.id, p.series_id, p.salon_id, p.title, p.background, p.closes_at, p.hide_results,
        p.proposed_by, a.name as proposer, p.closed_at, p.outcome, p.decision_id,
        (select count(*) from stance s where s.proposal_id = p.id) as stances, p.created_at
    from proposal p left join person a on a.id = p.proposed_by";

/// A stance as shown: who, of which organisation, what and why.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stance {
    pub person_id: PersonId,
    pub name: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation: Option<String>,
    choice: String,
    pub reason: String,
    pub updated_at: DateTime<Utc>,
}

impl Stance {
    pub fn choice(&self) -> Choice {
        Choice::parse(&self.choice).unwrap_or(Choice::Abstain)
    }
}

pub struct NewProposal<'a> {
    pub series_id: SeriesId,
    pub salon_id: Option<SalonId>,
    pub text: &'a ProposalText,
    pub hide_results: bool,
    pub by: PersonId,
}

pub async fn create(
    c: impl Into<Conn<'_>>,
    p: &NewProposal<'_>,
) -> Result<ProposalId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into proposal (series_id, salon_id, title, background, closes_at, hide_results, proposed_by, outcome, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, '', $8) returning id",
        p.series_id,
        p.salon_id,
        &p.text.title,
        &p.text.background,
        p.text.closes_at,
        p.hide_results,
        p.by,
        now()
    )
}

pub async fn get(c: impl Into<Conn<'_>>, id: ProposalId) -> Result<Option<Proposal>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{PROPOSAL} where p.id = $1")),
        id
    )
}

/// A series' proposals, newest first.
pub async fn of_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
) -> Result<Vec<Proposal>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{PROPOSAL} where p.series_id = $1 order by p.id desc"
        )),
        series
    )
}

/// The proposals put to a salon, oldest first (the order they came up in the meeting).
pub async fn of_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Proposal>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{PROPOSAL} where p.salon_id = $1 order by p.id")),
        salon
    )
}

/// Every stance on a proposal, in the order they were last changed.
pub async fn stances(c: impl Into<Conn<'_>>, id: ProposalId) -> Result<Vec<Stance>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select s.person_id, p.name, p.organisation_id, o.name as organisation, s.choice, s.reason, s.updated_at
         from stance s join person p on p.id = s.person_id left join organisation o on o.id = p.organisation_id
         where s.proposal_id = $1 order by s.updated_at, s.person_id",
        id
    )
}

/// One person's stance, if they took one.
pub async fn stance_of(
    c: impl Into<Conn<'_>>,
    id: ProposalId,
    person: PersonId,
) -> Result<Option<Stance>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select s.person_id, p.name, p.organisation_id, o.name as organisation, s.choice, s.reason, s.updated_at
         from stance s join person p on p.id = s.person_id left join organisation o on o.id = p.organisation_id
         where s.proposal_id = $1 and s.person_id = $2",
        id,
        person
    )
}

/// Lock the proposal's row and say whether stances may still be taken.
async fn lock_open(tx: &mut Tx, id: ProposalId) -> Result<bool, sqlx::Error> {
    let row: Option<(DateTime<Utc>, Option<DateTime<Utc>>)> = rows!(
        &mut *tx,
        fetch_optional,
        for_update "select closes_at, closed_at from proposal where id = $1",
        id
    )?;
    Ok(row.is_some_and(|(closes, closed)| State::of(closes, closed, now()) == State::Open))
}

/// Take or change a stance; false (nothing stored) when the proposal is no longer open.
pub async fn set_stance(
    tx: &mut Tx,
    id: ProposalId,
    person: PersonId,
    choice: Choice,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    if !lock_open(tx, id).await? {
        return Ok(false);
    }
    execute!(
        &mut *tx,
        "insert into stance (proposal_id, person_id, choice, reason, updated_at) values ($1, $2, $3, $4, $5)
         on conflict (proposal_id, person_id) do update set choice = excluded.choice, reason = excluded.reason,
            updated_at = excluded.updated_at",
        id,
        person,
        choice.as_str(),
        reason,
        now()
    )?;
    Ok(true)
}

/// Lock the proposal's row; false when its outcome is already written.
pub async fn lock_unclosed(tx: &mut Tx, id: ProposalId) -> Result<bool, sqlx::Error> {
    let closed: Option<Option<DateTime<Utc>>> = values!(
        &mut *tx,
        fetch_optional,
        for_update "select closed_at from proposal where id = $1",
        id
    )?;
    Ok(matches!(closed, Some(None)))
}

/// Write the outcome and the decision it became (the row locked by [`lock_unclosed`]).
pub async fn close(
    tx: &mut Tx,
    id: ProposalId,
    outcome: &str,
    decision: DecisionId,
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "update proposal set closed_at = $1, outcome = $2, decision_id = $3 where id = $4",
        now(),
        outcome,
        decision,
        id
    )?;
    Ok(())
}
