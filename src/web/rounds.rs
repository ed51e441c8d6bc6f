//! Priority rounds in a salon (`/salons/{id}/rounds`, `/salons/{id}/rounds/{round}`): organisers
//! prepare a round (a question, options one per line, points per person, a maximum per option,
//! results live or only after closing), open and close it; people admitted to the salon's room
//! spread their points with a plain form (one number per option) and may change them until it
//! closes. Results: a bar chart drawn on the server as SVG, with the same figures as a table.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::{Form, SalonPath, parse_id};
use super::form::{self, Errors, Kind};
use super::views::{csrf_field, login_href, page};
use crate::app::SharedApp;
use crate::domain::round::{self, State as RoundState};
use crate::error::{AppError, AppResult};
use crate::ids::{OptionId, RoomId, RoundId};
use crate::rooms::access;
use crate::store::rounds::{self, Round, RoundOption};
use crate::store::salons::Salon;
use crate::usecases::{self, rounds::Cast};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PlanForm {
    question: String,
    options: String,
    points_per_person: String,
    max_per_option: String,
    live_results: Option<String>,
}

pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Markup> {
    // The options start as the themes scheduled into this salon, else the series' most
    // supported themes; the organiser edits them freely.
    let mut themes = crate::store::themes::of_salon(&app.db, salon.id).await?;
    if themes.is_empty()
        && let Some(series) = salon.series_id
    {
        themes = crate::store::themes::of_series(&app.db, series, None, crate::store::Window::ALL)
            .await?;
    }
    let options = themes
        .iter()
        .take(round::MAX_OPTIONS)
        .map(|t| t.title.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    render_list(
        &app,
        &ctx,
        &salon,
        &PlanForm {
            options,
            ..PlanForm::default()
        },
        &Errors::default(),
    )
    .await
}

async fn render_list(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    f: &PlanForm,
    errors: &Errors,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let all = rounds::of_salon(&app.db, salon.id).await?;
    let title = t!("round.list_title", locale = l, title = salon.title).to_string();
    Ok(page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("round.title", locale = l)) }
            @if all.is_empty() { p { (t!("round.empty", locale = l)) } }
            ul { @for r in &all { li { a href=(format!("/salons/{}/rounds/{}", salon.id, r.id)) { (r.question) } " · " (t!(format!("round.state.{}", r.state().as_str()), locale = l)) } } }
            section aria-labelledby="new-round" class="panel" {
                h2 id="new-round" { (t!("round.new", locale = l)) }
                (form::summary(errors, l))
                form method="post" action=(format!("/salons/{}/rounds", salon.id)) class="stacked" novalidate {
                    (csrf_field(ctx))
                    (form::field("question", &t!("round.field.question", locale = l), None, Kind::Text, &f.question, errors, true))
                    (form::field("options", &t!("round.field.options", locale = l), Some(&t!("round.hint.options", locale = l)), Kind::TextArea(6), &f.options, errors, true))
                    (form::field("points_per_person", &t!("round.field.points", locale = l), Some(&t!("round.hint.points", locale = l)), Kind::Number, &f.points_per_person, errors, false))
                    (form::field("max_per_option", &t!("round.field.max", locale = l), Some(&t!("round.hint.max", locale = l)), Kind::Number, &f.max_per_option, errors, false))
                    div class="choice" {
                        input type="checkbox" id="live_results" name="live_results" value="on" checked[f.live_results.is_some()];
                        label for="live_results" { (t!("round.field.live", locale = l)) }
                    }
                    div { button type="submit" { (t!("round.create", locale = l)) } }
                }
            }
        },
    ))
}

pub async fn create(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Form(f): Form<PlanForm>,
) -> AppResult<Response> {
    match round::validate_plan(
        &f.question,
        &f.options,
        &f.points_per_person,
        &f.max_per_option,
        f.live_results.is_some(),
    ) {
        Ok(plan) => {
            let id = rounds::create(&app.db, salon.id, &plan).await?;
            Ok(Redirect::to(&format!("/salons/{}/rounds/{id}", salon.id)).into_response())
        }
        Err(refused) => {
            let mut errors = Errors::default();
            for e in refused {
                errors.add(
                    e.field,
                    t!(format!("round.error.{}", e.code), locale = ctx.lang()).to_string(),
                );
            }
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render_list(&app, &ctx, &salon, &f, &errors).await?,
            )
                .into_response())
        }
    }
}

/// The round of the path, for someone admitted to the salon's room (or an organiser).
async fn admitted_round(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    params: &HashMap<String, String>,
) -> Result<(Round, bool), Response> {
    let organiser = match access::admitted(&app.db, ctx.user.as_deref(), salon).await {
        Ok(Ok(o)) => o,
        Ok(Err(access::Denied::NotSignedIn)) => {
            return Err(Redirect::to(&login_href(&ctx.path)).into_response());
        }
        Ok(Err(access::Denied::NotRegistered)) => return Err(AppError::Forbidden.into_response()),
        Ok(Err(access::Denied::NotFound)) => return Err(AppError::NotFound.into_response()),
        Err(e) => return Err(AppError::from(e).into_response()),
    };
    let id: RoundId = parse_id(params.get("round").map(String::as_str).unwrap_or(""))
        .map_err(IntoResponse::into_response)?;
    match rounds::get(&app.db, salon.id, id).await {
        Ok(Some(r)) if r.state() != RoundState::Draft || organiser => Ok((r, organiser)),
        Ok(_) => Err(AppError::NotFound.into_response()),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let (r, organiser) = match admitted_round(&app, &ctx, &salon, &params).await {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    match render_round(&app, &ctx, &salon, &r, organiser, None).await {
        Ok(m) => m.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn render_round(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    r: &Round,
    organiser: bool,
    error: Option<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let options = rounds::options(&app.db, r.id).await?;
    let mine: HashMap<OptionId, i64> = match &ctx.user {
        Some(u) => rounds::ballot_of(&app.db, r.id, u.id)
            .await?
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    let voters = rounds::voters(&app.db, r.id).await?;
    let organisations = if r.results_visible() {
        rounds::organisations(&app.db, r.id).await?
    } else {
        Vec::new()
    };
    let base = format!("/salons/{}/rounds/{}", salon.id, r.id);
    Ok(page(
        ctx,
        &r.question,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (r.question) }
            p { span class="badge" { (t!(format!("round.state.{}", r.state().as_str()), locale = l)) } }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            @if r.state() == RoundState::Open && ctx.user.is_some() { (ballot_form(ctx, r, &options, &mine, &base)) }
            @if r.results_visible() {
                (results(l, r, &options, voters))
                @if !organisations.is_empty() {
                    p { (t!("round.organisations", locale = l)) " "
                        (crate::i18n::timefmt::list(&organisations.iter().map(|(_, name, country)| format!("{name} ({country})")).collect::<Vec<_>>(), l)) }
                }
            } @else {
                p { (crate::i18n::plural("round.results_hidden", voters, l)) }
            }
            @if organiser && r.results_visible() {
                p { a href=(format!("{base}/results.csv")) download { (t!("round.csv", locale = l)) } }
            }
            @if organiser {
                @match r.state() {
                    RoundState::Draft => { form method="post" action=(format!("{base}/open")) { (csrf_field(ctx)) button type="submit" { (t!("round.open", locale = l)) } } }
                    RoundState::Open => { form method="post" action=(format!("{base}/close")) { (csrf_field(ctx)) button type="submit" class="danger" { (t!("round.close", locale = l)) } } }
                    RoundState::Closed => {}
                }
            }
        },
    ))
}

mod view;
use view::{ballot_form, results};

pub async fn ballot(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let (r, organiser) = match admitted_round(&app, &ctx, &salon, &params).await {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    let Some(user) = ctx.user.clone() else {
        return AppError::Forbidden.into_response();
    };
    if let Err(limited) = super::extract::within_limit(&app.limits.member_clicks, user.id) {
        return limited.into_response();
    }
    // `option-{id}` = points; the room's copy of the form also says which room to go back to.
    let mut given = Vec::new();
    let mut back_to_room: Option<RoomId> = None;
    for (k, v) in url::form_urlencoded::parse(&body) {
        if let Some(option) = k.strip_prefix("option-") {
            given.push((option.to_string(), v.into_owned()));
        } else if k == "room" {
            back_to_room = v.parse().ok();
        }
    }
    match usecases::rounds::cast(&app, salon.id, r.id, user.id, &given).await {
        Ok(Cast::Accepted(_)) => {
            let to = match back_to_room {
                Some(room) => format!(
                    "/salons/{}/room?room={room}&cast={}#round-{}",
                    salon.id, r.id, r.id
                ),
                None => format!("/salons/{}/rounds/{}?done=cast", salon.id, r.id),
            };
            Redirect::to(&to).into_response()
        }
        Ok(Cast::Refused(code)) => {
            let message = t!(format!("round.error.{code}"), locale = ctx.lang()).to_string();
            let status = if code == "not_open" {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            match render_round(&app, &ctx, &salon, &r, organiser, Some(message)).await {
                Ok(m) => (status, m).into_response(),
                Err(e) => e.into_response(),
            }
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

pub async fn open(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
    Form(back): Form<BackTo>,
) -> AppResult<Response> {
    let id: RoundId = parse_id(params.get("round").map(String::as_str).unwrap_or(""))?;
    let done = usecases::rounds::open(&app, salon.id, id).await?;
    advanced(&salon, id, done, back.room)
}

pub async fn close(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
    Form(back): Form<BackTo>,
) -> AppResult<Response> {
    let id: RoundId = parse_id(params.get("round").map(String::as_str).unwrap_or(""))?;
    let done = usecases::rounds::close(&app, salon.id, id).await?;
    advanced(&salon, id, done, back.room)
}

/// Where a round's open or close form returns: the room it was sent from (the room's panel
/// runs the meeting), else the round's page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackTo {
    room: Option<RoomId>,
}

fn advanced(salon: &Salon, id: RoundId, done: bool, room: Option<RoomId>) -> AppResult<Response> {
    if !done {
        return Err(AppError::BadRequest("round.error.not_open"));
    }
    let to = match room {
        Some(room) => format!("/salons/{}/room?room={room}#round-{id}", salon.id),
        None => format!("/salons/{}/rounds/{id}", salon.id),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The results as CSV for organisers (UTF-8 with BOM, so Excel shows æøå right): one line per
/// option with its points, once the results may be shown.
pub async fn csv(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    let id: RoundId = parse_id(params.get("round").map(String::as_str).unwrap_or(""))?;
    let r = rounds::get(&app.db, salon.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !r.results_visible() {
        return Err(AppError::BadRequest("round.error.not_closed"));
    }
    let mut out = String::from("\u{feff}\"option\",\"points\"\r\n");
    for o in rounds::options(&app.db, r.id).await? {
        out.push_str(&format!(
            "{},{}\r\n",
            super::participants::csv_field(&o.label),
            o.points
        ));
    }
    Ok(super::participants::csv_download(
        &format!("round-{}-{}.csv", salon.id, r.id),
        out,
    ))
}
