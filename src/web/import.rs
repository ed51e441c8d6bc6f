//! Importing salons from an `.ics` file: each event becomes a draft salon. A broken file gets
//! an error naming the line and the reason, and creates nothing.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::Organiser;
use super::context::Ctx;
use super::views::page;
use crate::app::SharedApp;
use crate::calendar::import::{self, ImportError, MAX_BYTES};

/// The upload route's body limit: the largest file and the form around it.
pub const BODY_LIMIT: usize = MAX_BYTES + 64 * 1024;
use crate::domain::salon::{self, SalonInput};
use crate::domain::time::to_local_input;
use crate::error::{AppError, AppResult};

fn render(ctx: &Ctx, error: Option<String>) -> Markup {
    let l = ctx.lang();
    // Multipart bodies carry the CSRF token in the query string (see web::csrf).
    let action = format!("/salons/import?csrf={}", ctx.csrf);
    page(
        ctx,
        &t!("import.title", locale = l),
        html! {
            h1 { (t!("import.title", locale = l)) }
            p class="lead" { (t!("import.lead", locale = l)) }
            @if let Some(e) = &error { div class="error-summary" role="alert" id="errors" { p { (e) } } }
            form method="post" action=(action) enctype="multipart/form-data" class="stacked" {
                div class="field" {
                    label for="file" { (t!("import.file", locale = l)) }
                    input type="file" id="file" name="file" accept=".ics,text/calendar" required aria-invalid=[error.as_ref().map(|_| "true")];
                }
                div { button type="submit" { (t!("import.submit", locale = l)) } }
            }
        },
    )
}

pub async fn form(ctx: Ctx, _o: Organiser) -> Markup {
    render(&ctx, None)
}

/// The uploaded file's bytes (the form's `file` field), if any.
async fn uploaded_file(multipart: &mut Multipart) -> AppResult<Option<axum::body::Bytes>> {
    let mut bytes = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("error.bad_form"))?
    {
        if field.name() == Some("file") {
            bytes = Some(
                field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("error.bad_form"))?,
            );
        }
    }
    Ok(bytes)
}

/// An imported event as the salon form would have it: in person where it has a location,
/// online otherwise (with its URL, or `placeholder` until the organiser gives the link).
fn input_of(e: &import::ImportedEvent, tz: chrono_tz::Tz, placeholder: &str) -> SalonInput {
    SalonInput {
        title: e.title.clone(),
        description: e.description.clone(),
        starts_at: to_local_input(&e.starts_at, tz),
        ends_at: to_local_input(&e.ends_at, tz),
        time_zone: tz.name().into(),
        mode: if e.location.is_some() {
            "in_person".into()
        } else {
            "online".into()
        },
        address: e.location.clone().unwrap_or_default(),
        meeting_url: if e.location.is_some() {
            String::new()
        } else {
            e.url.clone().unwrap_or_else(|| placeholder.to_string())
        },
        registration: "invitation".into(),
        ..Default::default()
    }
}

pub async fn upload(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let l = ctx.lang();
    let bytes = uploaded_file(&mut multipart).await?;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &ctx,
                Some(t!("import.error.no_file", locale = l).to_string()),
            ),
        )
            .into_response());
    };
    let tz = chrono_tz::Europe::Copenhagen;
    let events = match import::parse(&bytes, tz) {
        Ok(e) => e,
        Err(ImportError { line, code, detail }) => {
            let reason = t!(format!("import.error.{code}"), locale = l).to_string();
            let mut message = t!(
                "import.error.at_line",
                locale = l,
                line = line,
                reason = reason
            )
            .to_string();
            if !detail.is_empty() {
                message.push_str(&format!(" ({detail})"));
            }
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&ctx, Some(message)),
            )
                .into_response());
        }
    };
    // An online event without a link: the salon rules want one, so validate with a placeholder
    // and store none; the draft's edit form asks for the real link before it can be saved.
    let placeholder = app.config.url("/");
    let mut valid = Vec::with_capacity(events.len());
    for e in &events {
        let input = input_of(e, tz, &placeholder);
        match salon::validate(&input, 0) {
            Ok(v) => valid.push(v),
            Err(errors) => {
                let first = errors
                    .first()
                    .map(|e| t!(format!("salon.error.{}", e.code), locale = l).to_string())
                    .unwrap_or_default();
                let message = t!(
                    "import.error.at_line",
                    locale = l,
                    line = e.line,
                    reason = first
                )
                .to_string();
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    render(&ctx, Some(message)),
                )
                    .into_response());
            }
        }
    }
    for v in &mut valid {
        if v.meeting_url.as_deref() == Some(placeholder.as_str()) {
            v.meeting_url = None;
        }
    }
    crate::usecases::salons::create_all(&app, me.id, &valid).await?;
    Ok(Redirect::to(&format!("/organise?imported={}", events.len())).into_response())
}
