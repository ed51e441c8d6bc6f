//! The signed-in person's own page: language, time zone, and their personal calendar feed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::SignedIn;
use super::context::Ctx;
use super::extract::Form;
use super::form::{self, Errors, Kind};
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::time::{OFFERED_ZONES, parse_time_zone};
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::store::{feed_tokens, people};

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
) -> AppResult<Markup> {
    render(&app, &ctx, &me, None, &Errors::default()).await
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    me: &people::Person,
    new_feed: Option<String>,
    errors: &Errors,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let has_feed = feed_tokens::has_live(&app.db, me.id).await?;
    let zones: Vec<(String, String)> = OFFERED_ZONES
        .iter()
        .map(|z| (z.to_string(), z.to_string()))
        .collect();
    let languages: Vec<(String, String)> = Locale::OFFERED
        .iter()
        .map(|x| (x.code().to_string(), x.native_name().to_string()))
        .collect();
    let zone = me
        .time_zone()
        .map(|z| z.name().to_string())
        .unwrap_or_default();
    let actions = crate::store::outcomes::open_for(&app.db, me.id, me.organisation_id).await?;
    Ok(page(
        ctx,
        &t!("me.title", locale = l),
        html! {
            h1 { (t!("me.title", locale = l)) }
            p { (me.name) " <" (me.email) ">" }
            @if !actions.is_empty() {
                section aria-labelledby="my-actions" {
                    h2 id="my-actions" { (t!("outcome.my_actions", locale = l)) }
                    ul { @for a in &actions { li { (super::outcomes::action_line(ctx, a, None)) " · " a href=(format!("/salons/{}/outcomes", a.salon_id)) { (t!("outcome.heading", locale = l)) } } } }
                }
            }
            (form::summary(errors, l))
            form method="post" action="/me" class="stacked" {
                (csrf_field(ctx))
                (form::field("locale", &t!("nav.language", locale = l), None, Kind::Select(&languages), me.locale().code(), errors, true))
                (form::field("time_zone", &t!("salon.field.time_zone", locale = l), Some(&t!("me.time_zone_hint", locale = l)), Kind::Select(&zones), &zone, errors, true))
                div { button type="submit" { (t!("organise.save", locale = l)) } }
            }
            section aria-labelledby="feed" class="panel" {
                h2 id="feed" { (t!("me.feed_title", locale = l)) }
                p { (t!("me.feed_lead", locale = l)) }
                @if let Some(url) = &new_feed {
                    p class="notice" role="status" { (t!("me.feed_new", locale = l)) }
                    p { code class="feed-url" { (url) } }
                    p { a class="button secondary" href=(url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1)) { (t!("calendar.subscribe", locale = l)) } }
                } @else if has_feed {
                    p { (t!("me.feed_exists", locale = l)) }
                }
                form method="post" action="/me/feed" {
                    (csrf_field(ctx))
                    button type="submit" class="secondary" { (t!(if has_feed { "me.feed_renew" } else { "me.feed_create" }, locale = l)) }
                }
            }
            (own_data(app, ctx))
        },
    ))
}

/// The person's data rights: download, sign out everywhere, delete.
fn own_data(app: &SharedApp, ctx: &Ctx) -> Markup {
    let l = ctx.lang();
    let r = &app.config.privacy.retention;
    html! {
        section aria-labelledby="my-data" class="panel" {
            h2 id="my-data" { (t!("me.data_title", locale = l)) }
            p { (t!("me.data_lead", locale = l)) }
            p { a class="button secondary" href="/me/export.json" download { (t!("me.export", locale = l)) } }
        }
        section aria-labelledby="my-sessions" class="panel" {
            h2 id="my-sessions" { (t!("me.sessions_title", locale = l)) }
            p { (t!("me.sessions_lead", locale = l, idle = r.session_idle.num_days(), days = r.session.num_days())) }
            form method="post" action="/me/sessions/end" {
                (csrf_field(ctx))
                button type="submit" class="secondary" { (t!("me.sign_out_everywhere", locale = l)) }
            }
        }
        section aria-labelledby="my-account" class="panel" {
            h2 id="my-account" { (t!("me.delete_title", locale = l)) }
            p { (t!("me.delete_lead", locale = l)) }
            p { a href="/me/delete" { (t!("me.delete_link", locale = l)) } }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    locale: String,
    time_zone: String,
}

pub async fn save(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Form(f): Form<ProfileForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let mut errors = Errors::default();
    let locale = Locale::from_code(&f.locale).filter(|x| Locale::OFFERED.contains(x));
    if locale.is_none() {
        errors.add(
            "locale",
            t!("error.unknown_language", locale = l).to_string(),
        );
    }
    let zone = parse_time_zone(&f.time_zone);
    if zone.is_none() {
        errors.add(
            "time_zone",
            t!("salon.error.time_zone_unknown", locale = l).to_string(),
        );
    }
    let (Some(locale), Some(zone)) = (locale, zone) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&app, &ctx, &me, None, &errors).await?,
        )
            .into_response());
    };
    people::set_locale(&app.db, me.id, locale).await?;
    people::set_time_zone(&app.db, me.id, zone).await?;
    Ok(Redirect::to("/me").into_response())
}

/// A new personal feed link (the old one stops working). The link is shown once: only its
/// hash is stored.
pub async fn renew_feed(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
) -> AppResult<Markup> {
    let secret = feed_tokens::renew(&app.db, me.id).await?;
    let url = app.config.url(&format!("/feeds/{secret}.ics"));
    render(&app, &ctx, &me, Some(url), &Errors::default()).await
}
