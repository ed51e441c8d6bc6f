//! Answering a time poll from the mail's personal link (`/timepolls/link/{token}`), without
//! signing in: GET shows the poll in the person's own zone, only POST records (mail scanners
//! open links).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::Markup;

use super::{Flash, PollData, load, notice, record, view};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::PersonId;
use crate::store::time_polls;
use crate::web::context::Ctx;

/// The poll and person of a personal link, and how the page shows itself to them.
async fn by_link(app: &SharedApp, token: &str) -> AppResult<(PollData, view::Viewer, PersonId)> {
    let (poll, person) = time_polls::by_link(&app.db, token)
        .await?
        .ok_or(AppError::Gone("timepoll.error.link"))?;
    let poll = time_polls::get(&app.db, poll)
        .await?
        .ok_or(AppError::Gone("timepoll.error.link"))?;
    let who = crate::store::people::by_id(&app.db, person)
        .await?
        .ok_or(AppError::Gone("timepoll.error.link"))?;
    let d = load(app, poll).await?;
    let viewer = view::Viewer {
        person: Some(person),
        zone: who.time_zone().unwrap_or(d.poll.tz()),
        answer_action: format!("/timepolls/link/{token}"),
        organiser: false,
    };
    Ok((d, viewer, person))
}

/// `GET /timepolls/link/{token}`: the poll from the mail, without signing in.
pub async fn link_page(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(flash): Query<Flash>,
) -> AppResult<Markup> {
    let (d, viewer, _) = by_link(&app, &token).await?;
    Ok(view::poll(
        &ctx,
        &d,
        &viewer,
        notice(&flash, ctx.lang()),
        None,
    ))
}

/// `POST /timepolls/link/{token}`: record the answers given on that page.
pub async fn link_answer(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let (d, viewer, person) = by_link(&app, &token).await?;
    let back = format!("/timepolls/link/{token}?done=answered");
    record(&app, &ctx, d, &viewer, person, &body, back).await
}
