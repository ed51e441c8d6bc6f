//! Proposals of a series (`/series/{id}/proposals`, `/proposals/{id}`), for people signed in:
//! organisers (and members, where the series allows it) put a proposal with its background and
//! closing time, to the series or to one of its salons; everyone takes a stance (agree,
//! abstain, disagree, block; a block with its reason) and may change it until the proposal
//! closes; the tally by choice and by organisation and the reasons are shown, or only how many
//! took a stance while the results are hidden; an organiser closes it with an outcome that
//! becomes a decision of one of the series' salons. Plain forms, no JavaScript needed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::Deserialize;

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::{Form, parse_id, within_limit};
use super::form::Errors;
use super::salon_page::is_organiser;
use crate::app::SharedApp;
use crate::domain::proposal::{self, FieldError};
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::ids::{ProposalId, SalonId, SeriesId};
use crate::store::proposals::{self as store, Proposal};
use crate::store::salons::{self, Listed};
use crate::store::series::{self, Series};
use crate::usecases::proposals::{self as usecase, NotClosed};

mod json;
mod view;
pub use json::api;
pub(super) use view::salon_options;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProposeForm {
    title: String,
    background: String,
    closes_at: String,
    salon: String,
    hide_results: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StanceForm {
    choice: String,
    reason: String,
    /// Sent from a room's panel: return there.
    room: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CloseForm {
    outcome: String,
    salon: String,
}

fn messages(errors: &[FieldError], l: &str) -> Errors {
    Errors::translated("proposal", errors.iter().map(|e| (e.field, e.code)), l)
}

pub(super) async fn series_of(app: &SharedApp, raw: &str) -> AppResult<Series> {
    series::get(&app.db, parse_id::<SeriesId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)
}

async fn proposal_of(app: &SharedApp, raw: &str) -> AppResult<(Proposal, Series)> {
    let p = store::get(&app.db, parse_id::<ProposalId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = series::get(&app.db, p.series_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((p, s))
}

/// Whether the signed-in reader may put proposals to the series.
pub(super) fn may_propose(ctx: &Ctx, s: &Series) -> bool {
    is_organiser(ctx) || (ctx.user.is_some() && s.members_propose)
}

/// The series' salons the reader may name: published ones, and drafts for organisers.
pub(super) async fn salons_for(app: &SharedApp, ctx: &Ctx, s: &Series) -> AppResult<Vec<Listed>> {
    Ok(salons::in_series(&app.db, s.id, is_organiser(ctx))
        .await?
        .into_iter()
        .filter(|x| x.status != "cancelled")
        .collect())
}

/// A salon chosen in a form: empty for none, else one of `offered`.
pub(super) fn chosen(raw: &str, offered: &[Listed]) -> Result<Option<SalonId>, ()> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<SalonId>()
            .ok()
            .filter(|id| offered.iter().any(|x| x.id == *id))
            .map(Some)
            .ok_or(()),
    }
}

pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(_me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let s = series_of(&app, &id).await?;
    render_list(&app, &ctx, &s, &ProposeForm::default(), &Errors::default()).await
}

async fn render_list(
    app: &SharedApp,
    ctx: &Ctx,
    s: &Series,
    f: &ProposeForm,
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
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let s = series_of(&app, &id).await?;
    if !may_propose(&ctx, &s) {
        return Err(AppError::Forbidden);
    }
    let offered = salons_for(&app, &ctx, &s).await?;
    let tz = me.time_zone().unwrap_or(chrono_tz::Europe::Copenhagen);
    let text = proposal::validate(&f.title, &f.background, &f.closes_at, tz, now());
    let mut refused = text.as_ref().err().cloned().unwrap_or_default();
    let salon = chosen(&f.salon, &offered).unwrap_or_else(|()| {
        refused.push(FieldError {
            field: "salon",
            code: "salon",
        });
        None
    });
    let text = match text {
        Ok(text) if refused.is_empty() => text,
        _ => {
            let body = render_list(&app, &ctx, &s, &f, &messages(&refused, ctx.lang())).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    within_limit(&app.limits.member_writings, me.id)?;
    let hide = f.hide_results.is_some();
    let Some(id) = usecase::propose(&app, s.id, salon, &text, hide, me.id).await? else {
        return Err(AppError::NotFound);
    };
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(_me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let (p, s) = proposal_of(&app, &id).await?;
    render(&app, &ctx, &p, &s, Forms::default()).await
}

/// What the forms on a proposal's page show again after a refusal.
#[derive(Default)]
struct Forms {
    stance: Option<(StanceForm, Errors)>,
    close: Option<(CloseForm, Errors)>,
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    p: &Proposal,
    s: &Series,
    forms: Forms,
) -> AppResult<Markup> {
    let stances = store::stances(&app.db, p.id).await?;
    let mine = stances
        .iter()
        .find(|x| ctx.user.as_ref().is_some_and(|u| u.id == x.person_id))
        .cloned();
    let salon_list = salons_for(app, ctx, s).await?;
    let decided_in = match p.decision_id {
        Some(d) => crate::store::outcomes::decision(&app.db, d)
            .await?
            .map(|d| d.salon_id),
        None => None,
    };
    Ok(view::proposal(
        ctx,
        &view::Page {
            p,
            series: s,
            stances: &stances,
            mine: mine.as_ref(),
            salons: &salon_list,
            decided_in,
        },
        forms,
    ))
}

pub async fn stance(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<StanceForm>,
) -> AppResult<Response> {
    let (p, s) = proposal_of(&app, &id).await?;
    let refuse = |errors: Errors| Forms {
        stance: Some((f.clone(), errors)),
        close: None,
    };
    let (choice, reason) = match proposal::stance(&f.choice, &f.reason) {
        Ok(ok) => ok,
        Err(e) => {
            let body = render(&app, &ctx, &p, &s, refuse(messages(&[e], ctx.lang()))).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    within_limit(&app.limits.member_clicks, me.id)?;
    if !usecase::take_stance(&app, p.id, me.id, choice, &reason).await? {
        let closed = FieldError {
            field: "choice",
            code: "closed",
        };
        let body = render(&app, &ctx, &p, &s, refuse(messages(&[closed], ctx.lang()))).await?;
        return Ok((StatusCode::CONFLICT, body).into_response());
    }
    let back = match (p.salon_id, f.room.trim().parse::<crate::ids::RoomId>()) {
        (Some(salon), Ok(room)) => format!("/salons/{salon}/room?room={room}#proposal-{}", p.id),
        _ => format!("/proposals/{}#stance", p.id),
    };
    Ok(Redirect::to(&back).into_response())
}

pub async fn close(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> AppResult<Response> {
    let (p, s) = proposal_of(&app, &id).await?;
    let offered = salons_for(&app, &ctx, &s).await?;
    let mut refused = Vec::new();
    let outcome = proposal::outcome(&f.outcome).unwrap_or_else(|e| {
        refused.push(e);
        String::new()
    });
    let salon = match chosen(&f.salon, &offered) {
        Ok(Some(salon)) => Some(salon),
        _ => {
            refused.push(FieldError {
                field: "salon",
                code: "salon",
            });
            None
        }
    };
    let status = match (refused.is_empty(), salon) {
        (true, Some(salon)) => {
            match usecase::close(&app, p.id, s.id, salon, &outcome, me.id).await? {
                Ok(_) => return Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response()),
                Err(NotClosed::AlreadyClosed) => {
                    refused.push(FieldError {
                        field: "outcome",
                        code: "already_closed",
                    });
                    StatusCode::CONFLICT
                }
                Err(NotClosed::NoSuchSalon) => {
                    refused.push(FieldError {
                        field: "salon",
                        code: "salon",
                    });
                    StatusCode::UNPROCESSABLE_ENTITY
                }
            }
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let forms = Forms {
        stance: None,
        close: Some((f.clone(), messages(&refused, ctx.lang()))),
    };
    // Read again: a refusal because someone closed it meanwhile shows their outcome.
    let (p, s) = proposal_of(&app, &id).await?;
    Ok((status, render(&app, &ctx, &p, &s, forms).await?).into_response())
}
