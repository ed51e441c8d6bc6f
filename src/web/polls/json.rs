//! `GET /api/v1/series/{id}/polls`: a series' polls as JSON, for people signed in, in the shape
//! of the rooms' `poll` frame (`rooms::notices::PollJson`) with the poll's address added.

use axum::extract::{Path, State};
use serde::Serialize;

use super::{Ctx, series_of};
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::rooms::notices::PollJson;
use crate::store::polls as store;

#[derive(Serialize)]
pub struct ApiPoll {
    #[serde(flatten)]
    poll: PollJson,
    url: String,
}

pub async fn api(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<ApiPoll>>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let s = series_of(&app, &id).await?;
    let at = now();
    let mut out = Vec::new();
    for p in store::of_series(&app.db, s.id).await? {
        out.push(ApiPoll {
            poll: PollJson::load(&app.db, &p, at).await?,
            url: app.config.url(&format!("/polls/{}", p.id)),
        });
    }
    Ok(axum::Json(out))
}
