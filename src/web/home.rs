//! The front page (upcoming salons) and the archive of past salons.

use axum::extract::State;
use chrono::Utc;
use maud::{Markup, PreEscaped, html};
use rust_i18n::t;

use super::context::Ctx;
use super::views::page;
use crate::app::SharedApp;
use crate::error::AppResult;
use crate::i18n::timefmt;
use crate::store::salons::{self, Listed};

/// A list of salons as cards; shared by the front page, the archive and series pages.
pub fn salon_list(ctx: &Ctx, salons: &[Listed]) -> Markup {
    let l = ctx.lang();
    html! {
        ul class="salon-list" {
            @for s in salons {
                li class="salon-card" {
                    h3 { a href=(format!("/salons/{}", s.id)) { (s.title) } }
                    p class="when" { (timefmt::span(&s.starts_at, &s.ends_at, s.tz(), l)) }
                    p class="meta" {
                        (t!(format!("salon.mode.{}", s.mode), locale = l))
                        @if let (Some(id), Some(series)) = (s.series_id, &s.series_title) { " · " a href=(format!("/series/{id}")) { (series) } }
                        @if s.status != "published" {
                            " · " strong class=(format!("badge badge-{}", s.status)) { (t!(format!("salon.status.{}", s.status), locale = l)) }
                        }
                    }
                }
            }
        }
    }
}

/// The front page's list, rendered once per language and reused until a salon changes in this
/// instance or ten seconds pass (so salons that have ended drop off, and other instances'
/// changes show). Under load this saves the query and ~200 cards per request.
async fn upcoming_fragment(
    app: &SharedApp,
    ctx: &Ctx,
) -> AppResult<Option<std::sync::Arc<String>>> {
    let key = (
        ctx.lang(),
        app.generations.salons(),
        Utc::now().timestamp() / 10,
    );
    if let Some(hit) = app.front_page_cache.get(&key) {
        return Ok(hit);
    }
    let upcoming = salons::upcoming(&app.db, 500).await?;
    // Each series on the list leads to its strategy board (themes, decisions, who does what).
    let mut boards: Vec<(crate::ids::SeriesId, &str)> = Vec::new();
    for s in &upcoming {
        if let (Some(id), Some(title)) = (s.series_id, s.series_title.as_deref())
            && !boards.iter().any(|(b, _)| *b == id)
        {
            boards.push((id, title));
        }
    }
    let l = ctx.lang();
    let fragment = (!upcoming.is_empty()).then(|| {
        let html = maud::html! {
            (salon_list(ctx, &upcoming))
            @if !boards.is_empty() {
                ul class="boards" {
                    @for (id, title) in &boards {
                        li { a href=(format!("/series/{id}/board")) { (t!("home.board_of", locale = l, series = title)) } }
                    }
                }
            }
        };
        std::sync::Arc::new(html.into_string())
    });
    app.front_page_cache.put(key, fragment.clone());
    Ok(fragment)
}

pub async fn front_page(State(app): State<SharedApp>, ctx: Ctx) -> AppResult<Markup> {
    let l = ctx.lang();
    let upcoming = upcoming_fragment(&app, &ctx).await?;
    Ok(page(
        &ctx,
        &t!("home.title", locale = l),
        html! {
            h1 { (t!("home.title", locale = l)) }
            p class="lead" { (t!("home.lead", locale = l)) }
            section aria-labelledby="upcoming" {
                h2 id="upcoming" { (t!("home.upcoming", locale = l)) }
                @match &upcoming {
                    None => { p { (t!("home.empty", locale = l)) } }
                    // Our own rendering, cached: every value in it was escaped by maud.
                    Some(html) => { (PreEscaped(html.as_str())) }
                }
                p { a href="/past" { (t!("home.past_link", locale = l)) } }
            }
            @if ctx.user.is_none() {
                section aria-labelledby="how" class="panel" {
                    h2 id="how" { (t!("home.how_title", locale = l)) }
                    ol {
                        li { (t!("home.how_1", locale = l)) }
                        li { (t!("home.how_2", locale = l)) }
                        li { (t!("home.how_3", locale = l)) }
                    }
                    p { a href="/login" { (t!("home.sign_in_cta", locale = l)) } }
                }
            }
        },
    ))
}

pub async fn past(State(app): State<SharedApp>, ctx: Ctx) -> AppResult<Markup> {
    let l = ctx.lang();
    let past = salons::past(&app.db, 200).await?;
    Ok(page(
        &ctx,
        &t!("home.past_title", locale = l),
        html! {
            h1 { (t!("home.past_title", locale = l)) }
            @if past.is_empty() { p { (t!("home.past_empty", locale = l)) } } @else { (salon_list(&ctx, &past)) }
        },
    ))
}
