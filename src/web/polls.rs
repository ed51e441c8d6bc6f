//! Polls of a series (`/series/{id}/polls`, `/polls/{id}`), for people signed in: organisers
//! (and members where the series allows proposals) put a poll (single choice, multiple
//! choice, ranked choice counted by Borda score, or score 0 to N per option) with a closing
//! time, to the series or one of its salons, results hidden until closing if so chosen;
//! everyone answers and may change the answer until it closes; organisers close it, with an
//! optional outcome recorded as a decision. Plain forms, no JavaScript needed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::Deserialize;

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::{Form, parse_id, within_limit};
use super::form::Errors;
use super::proposals::{chosen, may_propose, salons_for, series_of};
use crate::app::SharedApp;
use crate::domain::poll::{self, PollInput};
use crate::domain::proposal::FieldError;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::ids::PollId;
use crate::store::polls::{self as store, Poll};
use crate::store::series::{self, Series};
use crate::usecases::polls::{self as usecase, Answered, NotClosed};

mod json;
pub(crate) mod view;
pub use json::api;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PutForm {
    question: String,
    background: String,
    kind: String,
    options: String,
    max_score: String,
    closes_at: String,
    salon: String,
    hide_results: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CloseForm {
    outcome: String,
    salon: String,
}

fn messages(errors: &[FieldError], l: &str) -> Errors {
    Errors::translated("poll", errors.iter().map(|e| (e.field, e.code)), l)
}

async fn poll_of(app: &SharedApp, raw: &str) -> AppResult<(Poll, Series)> {
    let p = store::get(&app.db, parse_id::<PollId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = series::get(&app.db, p.series_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((p, s))
}

pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(_me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let s = series_of(&app, &id).await?;
    render_list(&app, &ctx, &s, &PutForm::default(), &Errors::default()).await
}

async fn render_list(
    app: &SharedApp,
    ctx: &Ctx,
    s: &Series,
    f: &PutForm,
    errors: &Errors,
) -> AppResult<Markup> {
    let all = store::of_series(&app.db, s.id).await?;
    let offered = if may_propose(ctx, s) {
        Some(salons_for(app, ctx, s).await?)
    } else {
        None
    };
    Ok(view::list(ctx, s, &all, offered.as_deref(), f, errors))
}

pub async fn create(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<PutForm>,
) -> AppResult<Response> {
    let s = series_of(&app, &id).await?;
    if !may_propose(&ctx, &s) {
        return Err(AppError::Forbidden);
    }
    let offered = salons_for(&app, &ctx, &s).await?;
    let tz = me.time_zone().unwrap_or(chrono_tz::Europe::Copenhagen);
    let input = PollInput {
        question: &f.question,
        background: &f.background,
        kind: &f.kind,
        options: &f.options,
        max_score: &f.max_score,
        closes: &f.closes_at,
    };
    let plan = poll::validate(&input, tz, now());
    let mut refused = plan.as_ref().err().cloned().unwrap_or_default();
    let salon = chosen(&f.salon, &offered).unwrap_or_else(|()| {
        refused.push(FieldError {
            field: "salon",
            code: "salon",
        });
        None
    });
    let plan = match plan {
        Ok(plan) if refused.is_empty() => plan,
        _ => {
            let body = render_list(&app, &ctx, &s, &f, &messages(&refused, ctx.lang())).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    within_limit(&app.limits.member_writings, me.id)?;
    let hide = f.hide_results.is_some();
    let Some(id) = usecase::put(&app, s.id, salon, &plan, hide, me.id).await? else {
        return Err(AppError::NotFound);
    };
    Ok(Redirect::to(&format!("/polls/{id}")).into_response())
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(_me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let (p, s) = poll_of(&app, &id).await?;
    render(&app, &ctx, &p, &s, view::Refused::default()).await
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    p: &Poll,
    s: &Series,
    refused: view::Refused,
) -> AppResult<Markup> {
    let options = store::options(&app.db, p.id).await?;
    let answers = store::answers(&app.db, p.id).await?;
    let salon_list = salons_for(app, ctx, s).await?;
    Ok(view::poll(
        ctx,
        &view::Page {
            p,
            series: s,
            options: &options,
            answers: &answers,
            salons: &salon_list,
        },
        refused,
    ))
}

/// The answer form: `option` (single choice) or `option-{id}` = value.
pub async fn answer(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let (p, s) = poll_of(&app, &id).await?;
    let mut given = Vec::new();
    let mut room = None;
    for (k, v) in url::form_urlencoded::parse(&body) {
        if k == "room" {
            room = v.trim().parse::<crate::ids::RoomId>().ok();
        } else if k == "option" {
            given.push((v.into_owned(), "1".to_string()));
        } else if let Some(option) = k.strip_prefix("option-") {
            given.push((option.to_string(), v.into_owned()));
        }
    }
    within_limit(&app.limits.member_clicks, me.id)?;
    match usecase::answer(&app, &p, me.id, &given).await? {
        Answered::Stored => {
            // Sent from a room's panel: back there.
            let back = match (p.salon_id, room) {
                (Some(salon), Some(room)) => {
                    format!("/salons/{salon}/room?room={room}#poll-{}", p.id)
                }
                _ => format!("/polls/{}#answer", p.id),
            };
            Ok(Redirect::to(&back).into_response())
        }
        Answered::Refused(code) => {
            let status = if code == "closed" {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let refused = view::Refused {
                answer: Some(code),
                close: None,
            };
            Ok((status, render(&app, &ctx, &p, &s, refused).await?).into_response())
        }
    }
}

pub async fn close(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> AppResult<Response> {
    let (p, s) = poll_of(&app, &id).await?;
    let offered = salons_for(&app, &ctx, &s).await?;
    let outcome = match crate::domain::text::multiline(
        &f.outcome,
        crate::domain::outcome::DECISION_MAX,
        false,
    ) {
        Ok(o) => o,
        Err(_) => {
            let refused = view::Refused {
                answer: None,
                close: Some(("outcome", "outcome", f.clone())),
            };
            let body = render(&app, &ctx, &p, &s, refused).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let salon = chosen(&f.salon, &offered).ok().flatten();
    let (status, field, code) = match usecase::close(&app, &p, salon, &outcome, me.id).await? {
        Ok(_) => return Ok(Redirect::to(&format!("/polls/{}", p.id)).into_response()),
        Err(NotClosed::AlreadyClosed) => (StatusCode::CONFLICT, "outcome", "already_closed"),
        Err(NotClosed::NoSuchSalon) => (StatusCode::UNPROCESSABLE_ENTITY, "salon", "salon"),
    };
    let (p, s) = poll_of(&app, &id).await?;
    let refused = view::Refused {
        answer: None,
        close: Some((field, code, f.clone())),
    };
    Ok((status, render(&app, &ctx, &p, &s, refused).await?).into_response())
}
