//! Organiser pages: the overview, creating, editing, publishing, cancelling and duplicating
//! salons, and managing series. Every handler takes `Organiser`, so members never get here.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::parse_id;
use super::extract::{Form, SalonPath};
use super::form::{self, Errors, Kind};
use super::home::salon_list;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::salon::{self, FieldError, Mode, SalonInput, Status, agenda_to_text};
use crate::domain::time::{OFFERED_ZONES, to_local_input};
use crate::error::{AppError, AppResult};
use crate::store::salons::{self, Salon};
use crate::store::series;
use crate::usecases;

pub async fn overview(State(app): State<SharedApp>, ctx: Ctx, _o: Organiser) -> AppResult<Markup> {
    let l = ctx.lang();
    let all = salons::all(&app.db).await?;
    let all_series = series::all(&app.db).await?;
    Ok(page(
        &ctx,
        &t!("organise.title", locale = l),
        html! {
            h1 { (t!("organise.title", locale = l)) }
            p {
                a class="button" href="/salons/new" { (t!("organise.new_salon", locale = l)) } " "
                a class="button secondary" href="/series/new" { (t!("organise.new_series", locale = l)) } " "
                a class="button secondary" href="/salons/import" { (t!("import.title", locale = l)) }
            }
            h2 { (t!("organise.all_salons", locale = l)) }
            @if all.is_empty() { p { (t!("home.empty", locale = l)) } } @else { (salon_list(&ctx, &all)) }
            h2 { (t!("organise.all_series", locale = l)) }
            ul { @for s in &all_series { li { a href=(format!("/series/{}", s.id)) { (s.title) } } } }
        },
    ))
}

/// Turn rule violations into translated messages by field.
fn messages(errors: &[FieldError], l: &str) -> Errors {
    let mut out = Errors::default();
    for e in errors {
        let message = t!(format!("salon.error.{}", e.code), locale = l).to_string();
        let message = match e.line {
            Some(line) => t!(
                "salon.error.on_line",
                locale = l,
                line = line,
                message = message
            )
            .to_string(),
            None => message,
        };
        out.add(e.field, message);
    }
    out
}

async fn salon_form(
    app: &SharedApp,
    ctx: &Ctx,
    action: &str,
    heading: &str,
    input: &SalonInput,
    errors: &Errors,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let mut series_options = vec![(
        String::new(),
        t!("organise.no_series", locale = l).to_string(),
    )];
    series_options.extend(
        series::all(&app.db)
            .await?
            .into_iter()
            .map(|s| (s.id.to_string(), s.title)),
    );
    let zones: Vec<(String, String)> = OFFERED_ZONES
        .iter()
        .map(|z| (z.to_string(), z.to_string()))
        .collect();
    let modes: Vec<(String, String)> = Mode::ALL
        .iter()
        .map(|m| {
            (
                m.as_str().to_string(),
                t!(format!("salon.mode.{}", m.as_str()), locale = l).to_string(),
            )
        })
        .collect();
    let policies: Vec<(String, String)> = ["invitation", "open"]
        .iter()
        .map(|p| {
            (
                p.to_string(),
                t!(format!("salon.registration.{p}"), locale = l).to_string(),
            )
        })
        .collect();
    let f = |id, key: &str, hint: Option<&str>, kind, value: &str, required| {
        let hint = hint.map(|h| t!(h, locale = l).to_string());
        form::field(
            id,
            &t!(key, locale = l),
            hint.as_deref(),
            kind,
            value,
            errors,
            required,
        )
    };
    Ok(page(
        ctx,
        heading,
        html! {
            h1 { (heading) }
            (form::summary(errors, l))
            form method="post" action=(action) class="stacked wide" novalidate {
                (csrf_field(ctx))
                (f("title", "salon.field.title", None, Kind::Text, &input.title, true))
                (f("series_id", "salon.field.series", None, Kind::Select(&series_options), &input.series_id, false))
                (f("description", "salon.field.description", Some("salon.hint.description"), Kind::TextArea(6), &input.description, false))
                (f("time_zone", "salon.field.time_zone", Some("salon.hint.time_zone"), Kind::Select(&zones), &input.time_zone, true))
                (f("starts_at", "salon.field.starts_at", None, Kind::DateTime, &input.starts_at, true))
                (f("ends_at", "salon.field.ends_at", None, Kind::DateTime, &input.ends_at, true))
                (f("mode", "salon.field.mode", None, Kind::Select(&modes), &input.mode, true))
                (f("address", "salon.field.address", Some("salon.hint.address"), Kind::Text, &input.address, false))
                (f("meeting_url", "salon.field.meeting_url", Some("salon.hint.meeting_url"), Kind::Url, &input.meeting_url, false))
                (f("capacity", "salon.field.capacity", Some("salon.hint.capacity"), Kind::Number, &input.capacity, false))
                (f("rsvp_deadline", "salon.field.rsvp_deadline", Some("salon.hint.rsvp_deadline"), Kind::DateTime, &input.rsvp_deadline, false))
                (f("registration", "salon.field.registration", None, Kind::Select(&policies), &input.registration, true))
                (f("agenda", "salon.field.agenda", Some("salon.hint.agenda"), Kind::TextArea(8), &input.agenda, false))
                div { button type="submit" { (t!("organise.save", locale = l)) } }
            }
        },
    ))
}

fn blank_input() -> SalonInput {
    SalonInput {
        time_zone: "Europe/Copenhagen".into(),
        mode: "online".into(),
        registration: "invitation".into(),
        ..Default::default()
    }
}

pub async fn new_salon(State(app): State<SharedApp>, ctx: Ctx, _o: Organiser) -> AppResult<Markup> {
    salon_form(
        &app,
        &ctx,
        "/salons/new",
        &t!("organise.new_salon", locale = ctx.lang()),
        &blank_input(),
        &Errors::default(),
    )
    .await
}

pub async fn create_salon(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Form(input): Form<SalonInput>,
) -> AppResult<Response> {
    let l = ctx.lang();
    match usecases::salons::create(&app, me.id, &input).await? {
        Ok(id) => Ok(Redirect::to(&format!("/salons/{id}?done=saved")).into_response()),
        Err(errors) => {
            let body = salon_form(
                &app,
                &ctx,
                "/salons/new",
                &t!("organise.new_salon", locale = l),
                &input,
                &messages(&errors, l),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

fn input_from(salon: &Salon, agenda: &[salon::AgendaItem]) -> SalonInput {
    let tz = salon.tz();
    SalonInput {
        title: salon.title.clone(),
        description: salon.description.clone(),
        series_id: salon.series_id.map(|s| s.to_string()).unwrap_or_default(),
        starts_at: to_local_input(&salon.starts_at, tz),
        ends_at: to_local_input(&salon.ends_at, tz),
        time_zone: salon.time_zone_name().to_string(),
        mode: salon.mode().as_str().to_string(),
        address: salon.address.clone().unwrap_or_default(),
        meeting_url: salon.meeting_url.clone().unwrap_or_default(),
        capacity: salon.capacity.map(|c| c.to_string()).unwrap_or_default(),
        rsvp_deadline: salon
            .rsvp_deadline
            .map(|d| to_local_input(&d, tz))
            .unwrap_or_default(),
        registration: salon.registration().as_str().to_string(),
        agenda: agenda_to_text(agenda),
    }
}

pub async fn edit_salon(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Markup> {
    let agenda = salons::agenda(&app.db, salon.id).await?;
    let heading = t!(
        "organise.edit_title",
        locale = ctx.lang(),
        title = salon.title
    )
    .to_string();
    salon_form(
        &app,
        &ctx,
        &format!("/salons/{}/edit", salon.id),
        &heading,
        &input_from(&salon, &agenda),
        &Errors::default(),
    )
    .await
}

pub async fn update_salon(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(current): SalonPath,
    Form(input): Form<SalonInput>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let id = current.id;
    match usecases::salons::update(&app, id, &input)
        .await?
        .ok_or(AppError::NotFound)?
    {
        Ok(()) => Ok(Redirect::to(&format!("/salons/{id}?done=saved")).into_response()),
        Err(errors) => {
            let heading = t!("organise.edit_title", locale = l, title = current.title).to_string();
            let body = salon_form(
                &app,
                &ctx,
                &format!("/salons/{id}/edit"),
                &heading,
                &input,
                &messages(&errors, l),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

pub async fn publish(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Response> {
    usecases::salons::set_status(&app, salon.id, Status::Published).await?;
    Ok(Redirect::to(&format!("/salons/{}?done=published", salon.id)).into_response())
}

pub async fn cancel(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Response> {
    usecases::salons::set_status(&app, salon.id, Status::Cancelled).await?;
    Ok(Redirect::to(&format!("/salons/{}?done=cancelled", salon.id)).into_response())
}

/// A copy as a new draft (same agenda, place and settings; no answers), opened for editing.
pub async fn duplicate(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Response> {
    let agenda = salons::agenda(&app.db, salon.id).await?;
    let title = t!("organise.copy_of", locale = ctx.lang(), title = salon.title).to_string();
    let new_id =
        usecases::salons::duplicate(&app, me.id, input_from(&salon, &agenda), title).await?;
    Ok(Redirect::to(&format!("/salons/{new_id}/edit")).into_response())
}

mod series_forms;
pub use series_forms::{create_series, edit_series, new_series, update_series};
