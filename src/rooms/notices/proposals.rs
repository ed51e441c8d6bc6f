//! A proposal as JSON: the live `proposal` frame in the rooms of the salon it is put to, and
//! `GET /api/v1/series/{id}/proposals`. The tally and the stances with their reasons are only
//! there once they may be shown (not while the results are hidden and it is open).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::proposal::{self, Choice, Counts};
use crate::ids::{DecisionId, ProposalId, SalonId};
use crate::store::Db;
use crate::store::proposals::{self, Proposal};

#[derive(Debug, Serialize)]
pub struct ProposalJson {
    pub id: ProposalId,
    pub title: String,
    pub background: String,
    /// `open`, `awaiting_outcome` or `closed`.
    pub state: &'static str,
    pub salon_id: Option<SalonId>,
    pub closes_at: String,
    pub closed_at: Option<String>,
    pub hide_results: bool,
    /// How many have taken a stance (always shown).
    pub stances: i64,
    pub tally: Option<BTreeMap<&'static str, i64>>,
    pub by_organisation: Option<Vec<OrganisationTally>>,
    /// Who stands where, in the order they last changed their stance (in a room's frame only
    /// the latest [`ROOM_STANCES`]; `stances_left_out` says how many earlier ones are not).
    pub stance_list: Option<Vec<StanceJson>>,
    pub stances_left_out: i64,
    pub outcome: Option<String>,
    pub decision_id: Option<DecisionId>,
}

#[derive(Debug, Serialize)]
pub struct OrganisationTally {
    pub organisation: Option<String>,
    pub tally: BTreeMap<&'static str, i64>,
}

#[derive(Debug, Serialize)]
pub struct StanceJson {
    pub name: String,
    pub organisation: Option<String>,
    pub choice: &'static str,
    pub reason: String,
}

/// How many stances a room's frame and panel list: a frame goes to every socket of the room
/// on every change, so it stays small however many take a stance (the proposal's page and the
/// API list them all).
pub const ROOM_STANCES: usize = 30;

fn counts(c: &Counts) -> BTreeMap<&'static str, i64> {
    Choice::ALL
        .into_iter()
        .map(|x| (x.as_str(), c.get(x)))
        .collect()
}

impl ProposalJson {
    /// The proposal as it is at `at`, listing at most `list` stances (the latest).
    pub async fn load(
        db: &Db,
        p: &Proposal,
        at: DateTime<Utc>,
        list: Option<usize>,
    ) -> Result<Self, sqlx::Error> {
        let mut left_out = 0;
        let (tally, by_organisation, stance_list) = if p.results_shown(at) {
            let stances = proposals::stances(db, p.id).await?;
            let t = proposal::tally(
                stances
                    .iter()
                    .map(|s| (s.choice(), s.organisation.as_deref())),
            );
            let by_organisation = t
                .by_organisation
                .iter()
                .map(|(o, c)| OrganisationTally {
                    organisation: o.clone(),
                    tally: counts(c),
                })
                .collect();
            let keep = list.unwrap_or(usize::MAX).min(stances.len());
            left_out = (stances.len() - keep) as i64;
            let list = stances
                .into_iter()
                .skip(left_out as usize)
                .map(|s| StanceJson {
                    choice: s.choice().as_str(),
                    name: s.name,
                    organisation: s.organisation,
                    reason: s.reason,
                })
                .collect();
            (Some(counts(&t.all)), Some(by_organisation), Some(list))
        } else {
            (None, None, None)
        };
        Ok(ProposalJson {
            id: p.id,
            title: p.title.clone(),
            background: p.background.clone(),
            state: p.state(at).as_str(),
            salon_id: p.salon_id,
            closes_at: p.closes_at.to_rfc3339(),
            closed_at: p.closed_at.map(|x| x.to_rfc3339()),
            hide_results: p.hide_results,
            stances: p.stances,
            tally,
            by_organisation,
            stance_list,
            stances_left_out: left_out,
            outcome: p.closed_at.map(|_| p.outcome.clone()),
            decision_id: p.decision_id,
        })
    }
}
