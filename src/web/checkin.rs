//! The organisers' check-in at the door (`/salons/{id}/checkin`), made for a phone: search by
//! name and check someone in with one tap, or type the personal code from their invitation;
//! a slip is undone. Everyone invited is listed, with who is present and how (in the room, at
//! the door). Plain forms, no JavaScript needed.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::{Form, SalonPath, parse_id};
use super::views::{csrf_field, local_time, page};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::PersonId;
use crate::store::attendance;
use crate::store::rsvps;
use crate::usecases::attendance::{self as usecase, CheckedIn};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CheckinQuery {
    q: String,
    /// The person just checked in, and whether it was now or before.
    checked: Option<String>,
    already: Option<String>,
    /// A code that matched no one.
    unknown: Option<String>,
    /// Someone who is not invited.
    not_invited: Option<String>,
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Query(q): Query<CheckinQuery>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let list = rsvps::participants(&app.db, salon.id).await?;
    let present = attendance::of_salon(&app.db, salon.id).await?;
    let needle = q.q.trim().to_lowercase();
    let shown: Vec<_> = list
        .iter()
        .filter(|p| {
            needle.is_empty()
                || p.name.to_lowercase().contains(&needle)
                || p.organisation
                    .as_deref()
                    .is_some_and(|o| o.to_lowercase().contains(&needle))
        })
        .collect();
    let name_of = |raw: &Option<String>| {
        raw.as_deref()
            .and_then(|r| r.parse::<PersonId>().ok())
            .and_then(|id| list.iter().find(|p| p.person_id == id))
            .map(|p| p.name.clone())
    };
    let title = t!("checkin.title", locale = l, title = salon.title).to_string();
    let back = |extra: &str| {
        format!(
            "/salons/{}/checkin?q={}{extra}",
            salon.id,
            urlencoding(&q.q)
        )
    };
    Ok(page(
        &ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("checkin.heading", locale = l)) }
            div role="status" class="checkin-status" {
                @if let Some(name) = name_of(&q.checked) { p class="notice" { (t!("checkin.done", locale = l, name = name)) } }
                @if let Some(name) = name_of(&q.already) { p class="notice" { (t!("checkin.already", locale = l, name = name)) } }
                @if q.unknown.is_some() { p class="error-summary" { (t!("checkin.unknown_code", locale = l)) } }
                @if q.not_invited.is_some() { p class="error-summary" { (t!("checkin.not_invited", locale = l)) } }
            }
            p data-present=(present.len()) { (t!("checkin.count", locale = l, present = present.len(), invited = list.len())) }
            form method="post" action=(format!("/salons/{}/checkin/code", salon.id)) class="stacked checkin-code" {
                (csrf_field(&ctx))
                div class="field" {
                    label for="code" { (t!("checkin.code", locale = l)) }
                    p class="hint" id="code-hint" { (t!("checkin.code_hint", locale = l)) }
                    input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters" aria-describedby="code-hint" required;
                }
                div { button type="submit" { (t!("checkin.by_code", locale = l)) } }
            }
            form method="get" action=(format!("/salons/{}/checkin", salon.id)) class="stacked" role="search" {
                div class="field" {
                    label for="q" { (t!("checkin.search", locale = l)) }
                    input type="search" id="q" name="q" value=(q.q);
                }
                div { button type="submit" class="secondary" { (t!("checkin.find", locale = l)) } }
            }
            ul class="checkin-list" {
                @for p in &shown {
                    @let here = present.iter().find(|a| a.person_id == p.person_id);
                    li data-person=(p.person_id) data-present=[here.map(|a| a.how.as_str())] {
                        strong { (p.name) }
                        @if let Some(o) = &p.organisation { " " span class="muted" { (o) } }
                        @match here {
                            Some(a) => {
                                p { (t!(format!("checkin.present.{}", a.how), locale = l)) " " (local_time(&ctx, &a.at)) }
                                @if a.how == "door" {
                                    form method="post" action=(format!("/salons/{}/checkin/{}/undo", salon.id, p.person_id)) {
                                        (csrf_field(&ctx))
                                        input type="hidden" name="q" value=(q.q);
                                        button type="submit" class="link" { (t!("checkin.undo", locale = l, name = p.name)) }
                                    }
                                }
                            }
                            None => {
                                form method="post" action=(format!("/salons/{}/checkin", salon.id)) {
                                    (csrf_field(&ctx))
                                    input type="hidden" name="person" value=(p.person_id);
                                    input type="hidden" name="q" value=(q.q);
                                    button type="submit" { (t!("checkin.check_in", locale = l, name = p.name)) }
                                }
                            }
                        }
                    }
                }
            }
            @if shown.is_empty() { p { (t!("checkin.none_found", locale = l)) } }
            p { a href=(back("")) { (t!("checkin.all", locale = l)) } }
        },
    ))
}

/// A value for a query string.
fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CheckInForm {
    person: String,
    code: String,
    q: String,
}

fn after(
    salon: crate::ids::SalonId,
    q: &str,
    outcome: Option<CheckedIn>,
    person: &str,
) -> Response {
    let flash = match outcome {
        Some(CheckedIn::Now(_)) => format!("&checked={person}"),
        Some(CheckedIn::Already(_)) => format!("&already={person}"),
        Some(CheckedIn::NotInvited) => "&not_invited=1".into(),
        None => "&unknown=1".into(),
    };
    Redirect::to(&format!(
        "/salons/{salon}/checkin?q={}{flash}",
        urlencoding(q)
    ))
    .into_response()
}

pub async fn by_name(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
    Form(f): Form<CheckInForm>,
) -> AppResult<Response> {
    let person: PersonId = parse_id(&f.person)?;
    let outcome = usecase::check_in(&app, salon.id, person, me.id).await?;
    Ok(after(salon.id, &f.q, Some(outcome), &f.person))
}

pub async fn by_code(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
    Form(f): Form<CheckInForm>,
) -> AppResult<Response> {
    let outcome = usecase::check_in_by_code(&app, salon.id, &f.code, me.id).await?;
    let person = match &outcome {
        Some((id, _)) => id.to_string(),
        None => String::new(),
    };
    Ok(after(salon.id, "", outcome.map(|(_, o)| o), &person))
}

pub async fn undo(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Path(params): Path<std::collections::HashMap<String, String>>,
    Form(f): Form<CheckInForm>,
) -> AppResult<Response> {
    let person: PersonId = parse_id(params.get("person").map(String::as_str).unwrap_or(""))?;
    if !attendance::undo_door(&app.db, salon.id, person).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!(
        "/salons/{}/checkin?q={}",
        salon.id,
        urlencoding(&f.q)
    ))
    .into_response())
}

/// `GET /api/v1/salons/{id}/attendance` (organisers): who was there, how and since when.
pub async fn api(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
) -> AppResult<axum::Json<Vec<attendance::Attended>>> {
    match &ctx.user {
        None => return Err(AppError::Unauthorized),
        Some(u) if !u.role().at_least(crate::domain::Role::Organiser) => {
            return Err(AppError::Forbidden);
        }
        Some(_) => {}
    }
    Ok(axum::Json(attendance::of_salon(&app.db, salon.id).await?))
}
