//! The public JSON API (v1): published salons only, never meeting links or people.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use crate::rooms::notices::{ActionJson, RoundJson, ThemeJson};

use super::extract::parse_id;
use crate::app::SharedApp;
use crate::domain::salon::Status;
use crate::error::{AppError, AppResult};
use crate::store::Drafts;
use crate::store::salons::{self, Listed};

#[derive(Serialize)]
pub struct SalonSummary {
    id: crate::ids::SalonId,
    title: String,
    starts_at: String,
    ends_at: String,
    time_zone: String,
    status: String,
    mode: String,
    series: Option<String>,
    url: String,
}

fn summary(app: &SharedApp, s: &Listed) -> SalonSummary {
    SalonSummary {
        id: s.id,
        title: s.title.clone(),
        starts_at: s.starts_at.to_rfc3339(),
        ends_at: s.ends_at.to_rfc3339(),
        time_zone: s.time_zone.clone(),
        status: s.status.clone(),
        mode: s.mode.clone(),
        series: s.series_title.clone(),
        url: app.config.url(&format!("/salons/{}", s.id)),
    }
}

pub async fn list(State(app): State<SharedApp>) -> AppResult<Json<Vec<SalonSummary>>> {
    let all = salons::published(&app.db, 1000).await?;
    Ok(Json(all.iter().map(|s| summary(&app, s)).collect()))
}

#[derive(Serialize)]
struct AgendaItemJson {
    start_time: Option<String>,
    title: String,
    note: String,
}

#[derive(Serialize)]
pub struct SalonDetail {
    #[serde(flatten)]
    summary: SalonSummary,
    description: String,
    address: Option<String>,
    capacity: Option<i64>,
    rsvp_deadline: Option<String>,
    registration: String,
    agenda: Vec<AgendaItemJson>,
}

pub async fn one(
    State(app): State<SharedApp>,
    Path(id): Path<String>,
) -> AppResult<Json<SalonDetail>> {
    let salon = salons::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if salon.status() == Status::Draft {
        return Err(AppError::NotFound);
    }
    let agenda = salons::agenda(&app.db, salon.id).await?;
    let listed = Listed {
        id: salon.id,
        title: salon.title.clone(),
        starts_at: salon.starts_at,
        ends_at: salon.ends_at,
        time_zone: salon.time_zone_name().to_string(),
        mode: salon.mode().as_str().to_string(),
        status: salon.status().as_str().to_string(),
        series_id: salon.series_id,
        series_title: match salon.series_id {
            Some(sid) => crate::store::series::get(&app.db, sid)
                .await?
                .map(|s| s.title),
            None => None,
        },
    };
    Ok(Json(SalonDetail {
        summary: summary(&app, &listed),
        description: salon.description.clone(),
        address: salon.address.clone(),
        capacity: salon.capacity,
        rsvp_deadline: salon.rsvp_deadline.map(|d| d.to_rfc3339()),
        registration: salon.registration().as_str().to_string(),
        agenda: agenda
            .into_iter()
            .map(|a| AgendaItemJson {
                start_time: a.start_time,
                title: a.title,
                note: a.note,
            })
            .collect(),
    }))
}

/// Themes in one page of the API's list.
pub const THEMES_PER_PAGE: i64 = 100;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET /api/v1/series/{id}/themes[?page=N]`: the series' themes, most supported first (signed
/// in), 100 to a page; a `Link` header (RFC 8288) points to the next and previous pages.
pub async fn series_themes(
    State(app): State<SharedApp>,
    ctx: super::context::Ctx,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<axum::response::Response> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let series = crate::store::series::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let total = crate::store::themes::count_of_series(&app.db, series.id, None).await?;
    let pager = super::pager::Pager::new(q.page.as_deref(), THEMES_PER_PAGE, total);
    let drafts = Drafts::for_organiser(super::salon_page::is_organiser(&ctx));
    let mut out = Vec::new();
    for th in crate::store::themes::of_series(&app.db, series.id, None, pager.window()).await? {
        out.push(ThemeJson::load(&app.db, &th, drafts).await?);
    }
    let page_url = |n: i64| {
        app.config
            .url(&format!("/api/v1/series/{}/themes?page={n}", series.id))
    };
    let links: Vec<String> = [(pager.next(), "next"), (pager.previous(), "prev")]
        .into_iter()
        .filter_map(|(n, rel)| n.map(|n| format!("<{}>; rel=\"{rel}\"", page_url(n))))
        .collect();
    let mut response = Json(out).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&links.join(", "))
        && !links.is_empty()
    {
        response
            .headers_mut()
            .insert(axum::http::header::LINK, value);
    }
    Ok(response)
}

/// `GET /api/v1/salons/{id}/rounds`: the salon's opened and closed rounds (signed in; a draft
/// salon is not found, as everywhere). Points and voters only once the results may be shown.
pub async fn salon_rounds(
    State(app): State<SharedApp>,
    ctx: super::context::Ctx,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<RoundJson>>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let salon = salons::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if salon.status() == Status::Draft {
        return Err(AppError::NotFound);
    }
    let mut out = Vec::new();
    for r in crate::store::rounds::of_salon(&app.db, salon.id).await? {
        if r.state() != crate::domain::round::State::Draft {
            out.push(RoundJson::load(&app.db, &r).await?);
        }
    }
    Ok(Json(out))
}

#[derive(Serialize)]
pub struct OutcomesJson {
    decisions: Vec<crate::store::outcomes::Decision>,
    actions: Vec<ActionJson>,
}

/// `GET /api/v1/series/{id}/outcomes`: decisions and actions of the series' salons (signed in).
pub async fn series_outcomes(
    State(app): State<SharedApp>,
    ctx: super::context::Ctx,
    Path(id): Path<String>,
) -> AppResult<Json<OutcomesJson>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let series = crate::store::series::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let drafts = Drafts::for_organiser(super::salon_page::is_organiser(&ctx));
    let decisions = crate::store::outcomes::decisions_of_series(&app.db, series.id, drafts).await?;
    let actions = crate::store::outcomes::actions_of_series(&app.db, series.id, drafts)
        .await?
        .into_iter()
        .map(ActionJson::from)
        .collect();
    Ok(Json(OutcomesJson { decisions, actions }))
}
