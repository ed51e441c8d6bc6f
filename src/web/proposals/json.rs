//! `GET /api/v1/series/{id}/proposals`: a series' proposals as JSON, for people signed in.

use axum::extract::{Path, State};

use super::{Ctx, series_of};
use crate::app::SharedApp;
use crate::domain::proposal;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::ids::{ProposalId, SalonId};
use crate::store::proposals as store;

/// One proposal in `GET /api/v1/series/{id}/proposals`: the tally and the stances only once
/// they may be shown (not while the results are hidden and it is open).
#[derive(serde::Serialize)]
pub struct ProposalJson {
    id: ProposalId,
    title: String,
    background: String,
    state: &'static str,
    salon_id: Option<SalonId>,
    closes_at: String,
    closed_at: Option<String>,
    hide_results: bool,
    stances: i64,
    tally: Option<std::collections::BTreeMap<&'static str, i64>>,
    by_organisation: Option<Vec<OrganisationTally>>,
    outcome: Option<String>,
    decision_id: Option<crate::ids::DecisionId>,
    url: String,
}

#[derive(serde::Serialize)]
pub struct OrganisationTally {
    organisation: Option<String>,
    tally: std::collections::BTreeMap<&'static str, i64>,
}

fn counts_json(c: &proposal::Counts) -> std::collections::BTreeMap<&'static str, i64> {
    proposal::Choice::ALL
        .into_iter()
        .map(|x| (x.as_str(), c.get(x)))
        .collect()
}

/// `GET /api/v1/series/{id}/proposals`: the series' proposals, newest first (signed in).
pub async fn api(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<ProposalJson>>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let s = series_of(&app, &id).await?;
    let at = now();
    let mut out = Vec::new();
    for p in store::of_series(&app.db, s.id).await? {
        let shown = p.results_shown(at);
        let tally = if shown {
            let stances = store::stances(&app.db, p.id).await?;
            Some(proposal::tally(
                stances
                    .iter()
                    .map(|x| (x.choice(), x.organisation.as_deref())),
            ))
        } else {
            None
        };
        let closed = p.closed_at.is_some();
        out.push(ProposalJson {
            id: p.id,
            state: p.state(at).as_str(),
            salon_id: p.salon_id,
            closes_at: p.closes_at.to_rfc3339(),
            closed_at: p.closed_at.map(|x| x.to_rfc3339()),
            hide_results: p.hide_results,
            stances: p.stances,
            tally: tally.as_ref().map(|t| counts_json(&t.all)),
            by_organisation: tally.as_ref().map(|t| {
                t.by_organisation
                    .iter()
                    .map(|(o, c)| OrganisationTally {
                        organisation: o.clone(),
                        tally: counts_json(c),
                    })
                    .collect()
            }),
            outcome: closed.then(|| p.outcome.clone()),
            decision_id: p.decision_id,
            url: app.config.url(&format!("/proposals/{}", p.id)),
            title: p.title,
            background: p.background,
        });
    }
    Ok(axum::Json(out))
}
