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
use crate::store::outcomes;
use crate::store::salons::Salon;
use crate::usecases::summary::{self, NotSent};

/// The summary's paragraphs as HTML: a paragraph's "- " lines become a list.
pub fn paragraphs(texts: &[String]) -> Markup {
    html! {
        @for p in texts {
            @let mut lines = p.lines();
            p { (lines.next().unwrap_or("")) }
            @let items: Vec<&str> = lines.filter_map(|x| x.strip_prefix("- ")).collect();
            @if !items.is_empty() { ul { @for i in items { li { (i) } } } }
        }
    }
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Markup> {
    render(&app, &ctx, &salon, None).await
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    error: Option<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let texts = summary::paragraphs(app, salon, l).await?;
    let sent = outcomes::summary_sent_at(&app.db, salon.id).await?;
    Ok(page(
        ctx,
        &t!("summary.title", locale = l, title = salon.title),
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("summary.heading", locale = l)) }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            @if sent.is_some() { p class="notice" role="status" { (t!("summary.sent", locale = l)) } }
            section class="panel summary" aria-labelledby="preview" {
                h2 id="preview" { (t!("summary.preview", locale = l)) }
                (paragraphs(&texts))
            }
            @if sent.is_none() {
                form method="post" action=(format!("/salons/{}/summary", salon.id)) {
                    (csrf_field(ctx))
                    button type="submit" { (t!("summary.send", locale = l)) }
                }
            }
        },
    ))
}

pub async fn send(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Response> {
    match summary::send(&app, &salon, me.id).await? {
        Ok(_) => Ok(Redirect::to(&format!("/salons/{}/summary", salon.id)).into_response()),
        Err(why) => {
            let key = match why {
                NotSent::NotEnded => "summary.error.not_ended",
                NotSent::AlreadySent => "summary.error.already_sent",
            };
            let message = t!(key, locale = ctx.lang()).to_string();
            Ok((
                StatusCode::CONFLICT,
                render(&app, &ctx, &salon, Some(message)).await?,
            )
                .into_response())
        }
    }
}
