//! The salon page (agenda, time, place, who organises, the viewer's RSVP) and series pages.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::form::{self, Errors, Kind};
use super::home::salon_list;
use super::timefmt;
use super::views::{csrf_field, login_href, page};
use crate::app::SharedApp;
use crate::domain::Role;
use crate::domain::rsvp::{self, Standing};
use crate::domain::salon::{Registration, Status};
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::store::salons::{self, Salon};
use crate::store::{organisations, people, rsvps, series};

pub fn router() -> Router<SharedApp> {
    Router::new().route("/salons/{id}", get(show)).route("/series/{id}", get(show_series))
}

/// Parse an id from the path; anything else is simply "not found".
pub fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound)
}

pub fn is_organiser(ctx: &Ctx) -> bool {
    ctx.user.as_ref().is_some_and(|u| u.role().at_least(Role::Organiser))
}

/// A salon the viewer may see: drafts only for organisers (others get 404, not 403, so drafts
/// do not leak that they exist).
pub async fn visible(app: &SharedApp, ctx: &Ctx, id: i64) -> AppResult<Salon> {
    let salon = salons::get(&app.db, id).await?.ok_or(AppError::NotFound)?;
    if salon.status() == Status::Draft && !is_organiser(ctx) {
        return Err(AppError::NotFound);
    }
    Ok(salon)
}

#[derive(Deserialize, Default)]
struct Flash {
    done: Option<String>,
}

async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> AppResult<Response> {
    // `/salons/{id}.ics` shares this route (a path segment cannot be split in two routes).
    if let Some(raw) = id.strip_suffix(".ics") {
        return super::feeds::one_salon(&app, &headers, parse_id(raw)?).await;
    }
    let salon = visible(&app, &ctx, parse_id(&id)?).await?;
    let notice = flash.done.as_deref().and_then(|d| match d {
        "answered" | "registered" | "confirm_sent" | "published" | "cancelled" | "saved" | "notified" => {
            Some(t!(format!("salon.notice.{d}"), locale = ctx.lang()).to_string())
        }
        _ => None,
    });
    Ok(render(&app, &ctx, &salon, Panel { notice, ..Panel::default() }).await?.into_response())
}

/// What the RSVP panel shows besides the salon: a notice after an action, an error, and the
/// registration form as typed.
#[derive(Default)]
pub struct Panel {
    pub notice: Option<String>,
    pub error: Option<String>,
    pub registration: RegistrationForm,
    pub registration_errors: Errors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub title: String,
}

pub async fn render(app: &SharedApp, ctx: &Ctx, salon: &Salon, panel: Panel) -> AppResult<Markup> {
    let l = ctx.lang();
    let tz = salon.tz();
    let agenda = salons::agenda(&app.db, salon.id).await?;
    let counts = rsvps::counts(&app.db, salon.id).await?;
    let series = match salon.series_id {
        Some(sid) => series::get(&app.db, sid).await?,
        None => None,
    };
    let organiser = match salon.organiser_id {
        Some(pid) => people::by_id(&app.db, pid).await?,
        None => None,
    };
    let mine = match &ctx.user {
        Some(u) => rsvps::of(&app.db, salon.id, u.id).await?,
        None => None,
    };
    let standing = mine.as_ref().map(|r| r.standing());
    let organiser_view = is_organiser(ctx);
    let registered = standing.is_some_and(Standing::is_registered);
    let shown = rsvps::shown(&app.db, salon.id).await?;
    let viewer_tz = ctx.user.as_ref().and_then(|u| u.time_zone().ok()).filter(|v| *v != tz);

    Ok(page(
        ctx,
        &salon.title,
        html! {
            @if let Some(n) = &panel.notice { p class="notice" role="status" { (n) } }
            @if let Some(e) = &panel.error { div class="error-summary" role="alert" { p { (e) } } }
            @if let Some(s) = &series { p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } } }
            h1 { (salon.title) }
            @match salon.status() {
                Status::Cancelled => { p class="banner banner-cancelled" role="note" { strong { (t!("salon.cancelled_banner", locale = l)) } } }
                Status::Draft => { p class="banner" role="note" { (t!("salon.draft_banner", locale = l)) } }
                Status::Published => {}
            }
            dl class="facts" {
                dt { (t!("salon.when", locale = l)) }
                dd {
                    (timefmt::span(&salon.starts_at, &salon.ends_at, tz, l))
                    " (" (timefmt::zone_label(tz)) ")"
                    @if let Some(vtz) = viewer_tz {
                        br;
                        span class="viewer-time" {
                            (t!("salon.your_time", locale = l, zone = timefmt::zone_label(vtz))) " "
                            (timefmt::span(&salon.starts_at, &salon.ends_at, vtz, l))
                        }
                    }
                }
                dt { (t!("salon.where", locale = l)) }
                dd {
                    (t!(format!("salon.mode.{}", salon.mode().as_str()), locale = l))
                    @if let Some(a) = &salon.address { br; span class="address" { (a) } }
                    @if let Some(link) = &salon.meeting_url {
                        br;
                        @if registered || organiser_view {
                            a class="meeting-link" href=(link) rel="noopener noreferrer" { (t!("salon.meeting_link", locale = l)) }
                        } @else {
                            span class="muted" { (t!("salon.meeting_link_hidden", locale = l)) }
                        }
                    }
                }
                @if let Some(o) = &organiser {
                    dt { (t!("salon.organiser", locale = l)) }
                    dd { (o.name) }
                }
                dt { (t!("salon.seats", locale = l)) }
                dd {
                    @match salon.capacity {
                        Some(c) => { (t!("salon.seats_of", locale = l, taken = counts.seated, capacity = c)) }
                        None => { (t!("salon.seats_open", locale = l, taken = counts.seated)) }
                    }
                    @if counts.waitlisted > 0 { " · " (t!("salon.waitlist_count", locale = l, n = counts.waitlisted)) }
                }
                @if let Some(d) = &salon.rsvp_deadline {
                    dt { (t!("salon.deadline", locale = l)) }
                    dd {
                        @let local = d.with_timezone(&tz);
                        time datetime=(d.to_rfc3339()) { (timefmt::date(&local, l)) ", " (timefmt::clock(&local, l)) }
                    }
                }
            }
            @if !salon.description.is_empty() {
                section class="description" {
                    @for para in salon.description.split("\n\n") { p { (para) } }
                }
            }
            @if !agenda.is_empty() {
                section aria-labelledby="agenda" {
                    h2 id="agenda" { (t!("salon.agenda", locale = l)) }
                    ol class="agenda" {
                        @for item in &agenda {
                            li {
                                @if let Some(tm) = &item.start_time { span class="agenda-time" { (if l == "da" { tm.replace(':', ".") } else { tm.clone() }) } " " }
                                strong { (item.title) }
                                @if !item.note.is_empty() { span class="agenda-note" { " – " (item.note) } }
                            }
                        }
                    }
                }
            }
            @if (registered || organiser_view) && salon.status() != Status::Draft {
                p { a class="button" href=(format!("/salons/{}/room", salon.id)) { (t!("room.enter", locale = l)) } }
            }
            (rsvp_panel(app, ctx, salon, standing, mine.as_ref().is_some_and(|m| m.show_in_list), &panel).await?)
            @if salon.status() != Status::Draft { (add_to_calendar(app, ctx, salon)) }
            @if !shown.is_empty() {
                section aria-labelledby="shown" {
                    h2 id="shown" { (t!("salon.shown_title", locale = l)) }
                    ul class="people" { @for (name, org) in &shown { li { (name) @if let Some(o) = org { span class="muted" { " – " (o) } } } } }
                }
            }
            @if organiser_view { (organiser_tools(ctx, salon)) }
        },
    ))
}

async fn rsvp_panel(app: &SharedApp, ctx: &Ctx, salon: &Salon, standing: Option<Standing>, show_in_list: bool, panel: &Panel) -> AppResult<Markup> {
    let l = ctx.lang();
    let refusal = rsvp::may_answer(&salon.facts(), standing, now()).err();
    let markup = html! {
        section aria-labelledby="rsvp" class="panel rsvp" {
            h2 id="rsvp" { (t!("rsvp.title", locale = l)) }
            @if let Some(s) = standing {
                p class="standing" data-standing=(standing_code(s)) { (standing_text(s, l)) }
            }
            @if let Some(user) = &ctx.user {
                @match refusal {
                    None => {
                        form method="post" action=(format!("/salons/{}/rsvp", salon.id)) class="stacked" {
                            (csrf_field(ctx))
                            fieldset {
                                legend { (t!("rsvp.question", locale = l, name = user.name)) }
                                @for r in rsvp::Response::ALL {
                                    @let checked = matches!(
                                        (r, standing),
                                        (rsvp::Response::Yes, Some(Standing::Seated | Standing::Waitlisted(_)))
                                            | (rsvp::Response::Maybe, Some(Standing::Maybe))
                                            | (rsvp::Response::No, Some(Standing::No))
                                    );
                                    div class="choice" {
                                        input type="radio" name="response" id=(format!("response-{}", r.as_str())) value=(r.as_str()) checked[checked] required;
                                        label for=(format!("response-{}", r.as_str())) { (t!(format!("rsvp.answer.{}", r.as_str()), locale = l)) }
                                    }
                                }
                            }
                            div class="choice" {
                                input type="checkbox" name="show_in_list" id="show_in_list" value="on" checked[show_in_list];
                                label for="show_in_list" { (t!("rsvp.show_in_list", locale = l)) }
                            }
                            div { button type="submit" { (t!("rsvp.submit", locale = l)) } }
                        }
                    }
                    Some(r) => { p { (t!(format!("rsvp.error.{}", r.code()), locale = l)) } }
                }
            } @else {
                @match (refusal, salon.registration()) {
                    (None | Some(rsvp::Refusal::NotInvited), Registration::Open) if salon.is_published() && now() < salon.rsvp_deadline.unwrap_or(salon.starts_at) => {
                        p { (t!("rsvp.register_lead", locale = l)) " " a href=(login_href(&ctx.path)) { (t!("rsvp.sign_in_instead", locale = l)) } }
                        (registration_form(app, ctx, salon, panel).await?)
                    }
                    (Some(r), _) if r != rsvp::Refusal::NotInvited => { p { (t!(format!("rsvp.error.{}", r.code()), locale = l)) } }
                    _ => {
                        p { (t!("rsvp.invitation_only", locale = l)) " " a href=(login_href(&ctx.path)) { (t!("nav.sign_in", locale = l)) } }
                    }
                }
            }
        }
    };
    Ok(markup)
}

async fn registration_form(app: &SharedApp, ctx: &Ctx, salon: &Salon, panel: &Panel) -> AppResult<Markup> {
    let l = ctx.lang();
    let orgs = organisations::all(&app.db).await?;
    let mut options = vec![(String::new(), t!("people.no_organisation", locale = l).to_string())];
    options.extend(orgs.into_iter().map(|o| (o.short_name, o.name)));
    let f = &panel.registration;
    let e = &panel.registration_errors;
    Ok(html! {
        (form::summary(e, l))
        form method="post" action=(format!("/salons/{}/register", salon.id)) class="stacked" novalidate {
            (csrf_field(ctx))
            (form::field("name", &t!("register.name", locale = l), None, Kind::Text, &f.name, e, true))
            (form::field("email", &t!("register.email", locale = l), Some(&t!("register.email_hint", locale = l)), Kind::Email, &f.email, e, true))
            (form::field("organisation", &t!("register.organisation", locale = l), None, Kind::Select(&options), &f.organisation, e, false))
            (form::field("title", &t!("register.job_title", locale = l), None, Kind::Text, &f.title, e, false))
            div { button type="submit" { (t!("register.submit", locale = l)) } }
        }
    })
}

/// ".ics" download, a webcal subscription to all salons, and a Google Calendar link.
fn add_to_calendar(app: &SharedApp, ctx: &Ctx, salon: &Salon) -> Markup {
    let l = ctx.lang();
    let feed = app.config.url("/calendar.ics");
    let webcal = feed.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
    let dates = format!("{}/{}", crate::calendar::ics::utc(&salon.starts_at), crate::calendar::ics::utc(&salon.ends_at));
    let details = app.config.url(&format!("/salons/{}", salon.id));
    let mut google = url::Url::parse("https://calendar.google.com/calendar/render").unwrap_or_else(|_| app.config.base_url.clone());
    google
        .query_pairs_mut()
        .append_pair("action", "TEMPLATE")
        .append_pair("text", &salon.title)
        .append_pair("dates", &dates)
        .append_pair("details", &details)
        .append_pair("location", salon.address.as_deref().unwrap_or("Online"));
    html! {
        section aria-labelledby="add-to-calendar" {
            h2 id="add-to-calendar" { (t!("calendar.add_title", locale = l)) }
            ul class="actions" {
                li { a class="button secondary" href=(format!("/salons/{}.ics", salon.id)) download { (t!("calendar.download", locale = l)) } }
                li { a class="button secondary" href=(webcal) { (t!("calendar.subscribe", locale = l)) } }
                li { a class="button secondary" href=(google.as_str()) rel="noopener noreferrer" { (t!("calendar.google", locale = l)) } }
            }
        }
    }
}

fn organiser_tools(ctx: &Ctx, salon: &Salon) -> Markup {
    let l = ctx.lang();
    let id = salon.id;
    let changed = salon.revision > salon.notified_revision && salon.status() != Status::Draft;
    html! {
        section aria-labelledby="tools" class="panel tools" {
            h2 id="tools" { (t!("organise.tools", locale = l)) }
            @if changed {
                div class="notice" {
                    p { (t!(if salon.status() == Status::Cancelled { "organise.notify_cancel_hint" } else { "organise.notify_update_hint" }, locale = l)) }
                    form method="post" action=(format!("/salons/{id}/notify")) {
                        (csrf_field(ctx))
                        button type="submit" { (t!(if salon.status() == Status::Cancelled { "organise.notify_cancel" } else { "organise.notify_update" }, locale = l)) }
                    }
                }
            }
            ul class="actions" {
                li { a class="button" href=(format!("/salons/{id}/edit")) { (t!("organise.edit", locale = l)) } }
                @if salon.status() == Status::Published { li { a class="button" href=(format!("/salons/{id}/invite")) { (t!("organise.invite", locale = l)) } } }
                li { a class="button" href=(format!("/salons/{id}/participants")) { (t!("organise.participants", locale = l)) } }
                @if salon.status() == Status::Draft {
                    li { form method="post" action=(format!("/salons/{id}/publish")) { (csrf_field(ctx)) button type="submit" { (t!("organise.publish", locale = l)) } } }
                }
                @if salon.status() != Status::Cancelled {
                    li { form method="post" action=(format!("/salons/{id}/cancel")) { (csrf_field(ctx)) button type="submit" class="danger" { (t!("organise.cancel", locale = l)) } } }
                }
                li { form method="post" action=(format!("/salons/{id}/duplicate")) { (csrf_field(ctx)) button type="submit" class="secondary" { (t!("organise.duplicate", locale = l)) } } }
            }
        }
    }
}

pub fn standing_code(s: Standing) -> &'static str {
    match s {
        Standing::Invited => "invited",
        Standing::Seated => "yes",
        Standing::Waitlisted(_) => "waitlist",
        Standing::Maybe => "maybe",
        Standing::No => "no",
    }
}

fn standing_text(s: Standing, l: &str) -> String {
    t!(format!("rsvp.standing.{}", standing_code(s)), locale = l).to_string()
}

async fn show_series(State(app): State<SharedApp>, ctx: Ctx, headers: HeaderMap, Path(id): Path<String>) -> AppResult<Response> {
    if let Some(raw) = id.strip_suffix(".ics") {
        return super::feeds::one_series(&app, &headers, parse_id(raw)?).await;
    }
    let l = ctx.lang();
    let s = series::get(&app.db, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    let list = salons::in_series(&app.db, s.id, is_organiser(&ctx)).await?;
    Ok(page(
        &ctx,
        &s.title,
        html! {
            p class="kicker" { (t!("series.kicker", locale = l)) }
            h1 { (s.title) }
            @if !s.description.is_empty() { @for para in s.description.split("\n\n") { p { (para) } } }
            @if list.is_empty() { p { (t!("series.empty", locale = l)) } } @else { (salon_list(&ctx, &list)) }
            p { a href=(format!("/series/{}.ics", s.id)) { (t!("calendar.series_feed", locale = l)) } }
            @if is_organiser(&ctx) { p { a class="button" href=(format!("/series/{}/edit", s.id)) { (t!("organise.edit_series", locale = l)) } } }
        },
    )
    .into_response())
}

