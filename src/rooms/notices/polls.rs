//! A poll as JSON: the live `poll` frame in the rooms of the salon it is put to, and
//! `GET /api/v1/series/{id}/polls`. The counted results (place and total per option, best
//! first) are only there once they may be shown; how many have answered always is.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::poll;
use crate::ids::{DecisionId, PollId, PollOptionId, SalonId};
use crate::store::Db;
use crate::store::polls::{self, Poll};

#[derive(Debug, Serialize)]
pub struct PollJson {
    pub id: PollId,
    pub question: String,
    pub background: String,
    /// `single`, `multiple`, `ranked` (Borda score) or `score`.
    pub kind: &'static str,
    pub max_score: i64,
    /// `open`, `awaiting_outcome` or `closed`.
    pub state: &'static str,
    pub salon_id: Option<SalonId>,
    pub closes_at: String,
    pub closed_at: Option<String>,
    pub hide_results: bool,
    pub voters: i64,
    pub options: Vec<OptionJson>,
    /// Best first; null while hidden.
    pub results: Option<Vec<ResultJson>>,
    pub outcome: Option<String>,
    pub decision_id: Option<DecisionId>,
}

#[derive(Debug, Serialize)]
pub struct OptionJson {
    pub id: PollOptionId,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct ResultJson {
    pub option: i64,
    pub total: i64,
    /// Equal totals share a place (1, 1, 3).
    pub place: usize,
}

impl PollJson {
    /// The poll as it is at `at`.
    pub async fn load(db: &Db, p: &Poll, at: DateTime<Utc>) -> Result<Self, sqlx::Error> {
        let options = polls::options(db, p.id).await?;
        let results = if p.results_shown(at) {
            let ids: Vec<i64> = options.iter().map(|o| o.id.0).collect();
            let rows: Vec<(i64, i64, i64)> = polls::answers(db, p.id)
                .await?
                .into_iter()
                .map(|(a, o, v)| (a.0, o.0, v))
                .collect();
            let counted = poll::count(p.kind(), &ids, &rows);
            Some(
                counted
                    .into_iter()
                    .map(|r| ResultJson {
                        option: r.option,
                        total: r.total,
                        place: r.place,
                    })
                    .collect(),
            )
        } else {
            None
        };
        Ok(PollJson {
            id: p.id,
            question: p.question.clone(),
            background: p.background.clone(),
            kind: p.kind().as_str(),
            max_score: p.max_score,
            state: p.state(at).as_str(),
            salon_id: p.salon_id,
            closes_at: p.closes_at.to_rfc3339(),
            closed_at: p.closed_at.map(|x| x.to_rfc3339()),
            hide_results: p.hide_results,
            voters: p.voters,
            options: options
                .into_iter()
                .map(|o| OptionJson {
                    id: o.id,
                    label: o.label,
                })
                .collect(),
            results,
            outcome: p.closed_at.map(|_| p.outcome.clone()),
            decision_id: p.decision_id,
        })
    }
}
