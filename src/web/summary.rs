//! A salon's summary (`/salons/{id}/summary`, organisers): the preview in the organiser's
//! language and the button that sends it, once, after the salon has ended.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::SalonPath;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::error::AppResult;
use crate::store::salons::Salon;
use crate::usecases::summary::{self, NotSent};

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Markup> {
    render(&app, &ctx, &salon, None, "").await
}

/// The page: the summary as it will be sent (or was), with the organiser's introduction.
async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    error: Option<String>,
    intro: &str,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let sent = crate::store::summaries::summary_sent_at(&app.db, salon.id).await?;
    let intro = match sent {
        Some(_) => crate::store::summaries::summary_intro(&app.db, salon.id).await?,
        None => intro.to_string(),
    };
    let s = summary::build(app, salon, l, &intro).await?;
    Ok(page(
        ctx,
        &t!("summary.title", locale = l, title = salon.title),
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("summary.heading", locale = l)) }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            @if sent.is_some() { p class="notice" role="status" { (t!("summary.sent", locale = l)) } }
            @if sent.is_none() {
                form method="post" action=(format!("/salons/{}/summary", salon.id)) class="stacked" {
                    (csrf_field(ctx))
                    div class="field" {
                        label for="intro" { (t!("summary.intro", locale = l)) }
                        textarea id="intro" name="intro" rows="5" maxlength=(summary::INTRO_MAX) { (intro) }
                    }
                    div class="actions" {
                        button type="submit" name="step" value="preview" class="secondary" { (t!("summary.show_preview", locale = l)) }
                        " "
                        button type="submit" name="step" value="send" { (t!("summary.send", locale = l)) }
                    }
                }
            }
            // Exactly what the mail's HTML part shows (in the organiser's language).
            section class="panel summary" aria-labelledby="preview" {
                h2 id="preview" { (t!("summary.preview", locale = l)) }
                (crate::mail::summary::html(&s, l))
            }
        },
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SummaryForm {
    intro: String,
    /// "preview": show it with the introduction; anything else sends.
    step: String,
}

pub async fn send(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
    super::extract::Form(f): super::extract::Form<SummaryForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let intro = match crate::domain::text::multiline(&f.intro, summary::INTRO_MAX, false) {
        Ok(i) => i,
        Err(_) => {
            let message = t!("summary.error.intro", locale = l).to_string();
            let page = render(&app, &ctx, &salon, Some(message), &f.intro).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if f.step == "preview" {
        return Ok(render(&app, &ctx, &salon, None, &intro)
            .await?
            .into_response());
    }
    match summary::send(&app, &salon, me.id, &intro).await? {
        Ok(_) => Ok(Redirect::to(&format!("/salons/{}/summary", salon.id)).into_response()),
        Err(why) => {
            let key = match why {
                NotSent::NotEnded => "summary.error.not_ended",
                NotSent::AlreadySent => "summary.error.already_sent",
            };
            let message = t!(key, locale = ctx.lang()).to_string();
            Ok((
                StatusCode::CONFLICT,
                render(&app, &ctx, &salon, Some(message), &intro).await?,
            )
                .into_response())
        }
    }
}
