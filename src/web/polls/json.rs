//! `GET /api/v1/series/{id}/polls`: a series' polls as JSON, for people signed in: options,
//! and the counted results (place and total per option) once they may be shown.

use axum::extract::{Path, State};
use serde::Serialize;

use super::{Ctx, series_of};
use crate::app::SharedApp;
use crate::domain::poll;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::ids::{DecisionId, PollId, PollOptionId, SalonId};
use crate::store::polls as store;

#[derive(Serialize)]
pub struct PollJson {
    id: PollId,
    question: String,
    background: String,
    kind: &'static str,
    max_score: i64,
    state: &'static str,
    salon_id: Option<SalonId>,
    closes_at: String,
    closed_at: Option<String>,
    hide_results: bool,
    voters: i64,
    options: Vec<OptionJson>,
    /// Best first; null while hidden.
    results: Option<Vec<ResultJson>>,
    outcome: Option<String>,
    decision_id: Option<DecisionId>,
    url: String,
}

#[derive(Serialize)]
pub struct OptionJson {
    id: PollOptionId,
    label: String,
}

#[derive(Serialize)]
pub struct ResultJson {
    option: i64,
    total: i64,
    place: usize,
}

pub async fn api(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<PollJson>>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let s = series_of(&app, &id).await?;
    let at = now();
    let mut out = Vec::new();
    for p in store::of_series(&app.db, s.id).await? {
        let options = store::options(&app.db, p.id).await?;
        let results = if p.results_shown(at) {
            let ids: Vec<i64> = options.iter().map(|o| o.id.0).collect();
            let rows: Vec<(i64, i64, i64)> = store::answers(&app.db, p.id)
                .await?
                .into_iter()
                .map(|(a, o, v)| (a.0, o.0, v))
                .collect();
            Some(
                poll::count(p.kind(), &ids, &rows)
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
        out.push(PollJson {
            id: p.id,
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
            url: app.config.url(&format!("/polls/{}", p.id)),
            question: p.question,
            background: p.background,
        });
    }
    Ok(axum::Json(out))
}
