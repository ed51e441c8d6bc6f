//! `GET /api/v1/series/{id}/proposals`: a series' proposals as JSON (the same shape as the
//! rooms' `proposal` frame, with each proposal's address), for people signed in.

use axum::extract::{Path, State};

use super::{Ctx, series_of};
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::rooms::notices::ProposalJson;
use crate::store::proposals as store;

#[derive(serde::Serialize)]
pub struct Listed {
    #[serde(flatten)]
    proposal: ProposalJson,
    url: String,
}

/// The series' proposals, newest first.
pub async fn api(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<Listed>>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let s = series_of(&app, &id).await?;
    let at = now();
    let mut out = Vec::new();
    for p in store::of_series(&app.db, s.id).await? {
        out.push(Listed {
            url: app.config.url(&format!("/proposals/{}", p.id)),
            proposal: ProposalJson::load(&app.db, &p, at, None).await?,
        });
    }
    Ok(axum::Json(out))
}
