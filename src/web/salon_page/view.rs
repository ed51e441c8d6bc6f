//! The salon page's markup: facts, description and agenda, the answer panel (or the
//! registration form), calendar links and the organiser's tools.

use maud::{Markup, html};
use rust_i18n::t;

use super::{Panel, SalonData, is_organiser};
use crate::app::SharedApp;
use crate::domain::rsvp::{self, Standing};
use crate::domain::salon::{Registration, Status};
use crate::domain::time::now;
use crate::i18n::timefmt;
use crate::store::salons::Salon;
use crate::web::context::Ctx;
use crate::web::form::{self, Kind};
use crate::web::views::{csrf_field, login_href, page};

pub fn salon(app: &SharedApp, ctx: &Ctx, data: &SalonData, panel: &Panel) -> Markup {
    let l = ctx.lang();
    let salon = &data.salon;
    let standing = data.mine.as_ref().map(|r| r.standing());
    let organiser_view = is_organiser(ctx);
    let registered = standing.is_some_and(Standing::is_registered);
    page(
        ctx,
        &salon.title,
        html! {
            @if let Some(n) = &panel.notice { p class="notice" role="status" { (n) } }
            @if let Some(e) = &panel.error { div class="error-summary" role="alert" { p { (e) } } }
            @if let Some(s) = &data.series { p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } } }
            // The salon's own words are in its organiser's language: marked where it differs.
            h1 lang=[text_lang(ctx, data)] { (salon.title) }
            @match salon.status() {
                Status::Cancelled => { p class="banner banner-cancelled" role="note" { strong { (t!("salon.cancelled_banner", locale = l)) } } }
                Status::Draft => { p class="banner" role="note" { (t!("salon.draft_banner", locale = l)) } }
                Status::Published => {}
            }
            (facts(ctx, data, registered || organiser_view))
            (description_and_agenda(ctx, data))
            (crate::web::materials::salon_section(ctx, salon, &data.materials, organiser_view))
            (crate::web::groups::salon_section(ctx, &data.from_groups))
            @if (registered || organiser_view) && salon.status() != Status::Draft {
                p { a class="button" href=(format!("/salons/{}/room", salon.id)) { (t!("room.enter", locale = l)) } }
            }
            @if salon.status() != Status::Draft {
                p { a href=(format!("/salons/{}/outcomes", salon.id)) { (t!("outcome.link", locale = l)) } }
            }
            (rsvp_panel(ctx, data, standing, panel))
            @if salon.status() != Status::Draft { (add_to_calendar(app, ctx, salon)) }
            @if !data.shown.is_empty() {
                section aria-labelledby="shown" {
                    h2 id="shown" { (t!("salon.shown_title", locale = l)) }
                    ul class="people" { @for (name, org) in &data.shown { li { (name) @if let Some(o) = org { span class="muted" { " – " (o) } } } } }
                }
            }
            @if organiser_view { (organiser_tools(ctx, salon)) }
        },
    )
}

/// When, where, who organises, seats and the deadline. The meeting link only for people with
/// a place (and organisers).
fn facts(ctx: &Ctx, data: &SalonData, may_see_link: bool) -> Markup {
    let l = ctx.lang();
    let salon = &data.salon;
    let tz = salon.tz();
    let viewer_tz = ctx
        .user
        .as_ref()
        .and_then(|u| u.time_zone().ok())
        .filter(|v| *v != tz);
    let counts = &data.counts;
    html! {
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
                    @if may_see_link {
                        a class="meeting-link" href=(link) rel="noopener noreferrer" { (t!("salon.meeting_link", locale = l)) }
                    } @else {
                        span class="muted" { (t!("salon.meeting_link_hidden", locale = l)) }
                    }
                }
            }
            @if let Some(o) = &data.organiser {
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
                    time datetime=(d.to_rfc3339()) { (timefmt::date_and_clock(&local, l)) }
                }
            }
        }
    }
}

/// The language of the salon's own title and description (its organiser's), when it is not the
/// page's: screen readers then read them with the right voice.
fn text_lang(ctx: &Ctx, data: &SalonData) -> Option<&'static str> {
    data.organiser
        .as_ref()
        .map(|o| o.locale())
        .filter(|l| *l != ctx.locale)
        .map(|l| l.code())
}

fn description_and_agenda(ctx: &Ctx, data: &SalonData) -> Markup {
    let l = ctx.lang();
    // The first of each known abbreviation in the description and the agenda is marked.
    let m = crate::domain::glossary::Marker::new(data.glossary.clone());
    let marked = |text: &str| crate::web::glossary::marked(&m, text);
    html! {
        @if !data.salon.description.is_empty() {
            section class="description" lang=[text_lang(ctx, data)] {
                @for para in data.salon.description.split("\n\n") { p { (marked(para)) } }
            }
        }
        @if let Some(summary) = &data.summary {
            section aria-labelledby="summary" class="panel summary" {
                h2 id="summary" { (t!("summary.heading", locale = l)) }
                (crate::mail::summary::html(summary, l))
            }
        }
        @if let Some(last) = &data.last_time {
            section aria-labelledby="last-time" class="panel" {
                h2 id="last-time" { (t!("salon.last_time", locale = l)) }
                p { a href=(format!("/salons/{}", last.salon.id)) { (last.salon.title) } }
                @for (r, top) in &last.rounds {
                    p { strong { (r.question) } }
                    ol { @for o in top { li { (o.label) " – " (crate::i18n::plural("salon.points", o.points, l)) } } }
                }
                @if !last.open_actions.is_empty() {
                    h3 { (t!("salon.open_actions", locale = l)) }
                    ul { @for a in &last.open_actions { li { (crate::web::outcomes::action_line(ctx, a, None)) } } }
                }
            }
        }
        // The themes scheduled into the salon are part of its agenda: what it will talk about.
        @if !data.agenda.is_empty() || !data.themes.is_empty() {
            section aria-labelledby="agenda" {
                h2 id="agenda" { (t!("salon.agenda", locale = l)) }
                @if !data.agenda.is_empty() {
                    ol class="agenda" {
                        @for item in &data.agenda {
                            li {
                                @if let Some(tm) = &item.start_time { span class="agenda-time" { (timefmt::hhmm(tm, l)) } " " }
                                strong { (marked(&item.title)) }
                                @if !item.note.is_empty() { span class="agenda-note" { " – " (marked(&item.note)) } }
                            }
                        }
                    }
                }
                @if !data.themes.is_empty() {
                    h3 id="themes" { (t!("salon.agenda_themes", locale = l)) }
                    ul class="themes" {
                        @for th in &data.themes {
                            li { a href=(format!("/themes/{}", th.id)) { (th.title) } " · " (crate::i18n::plural("theme.supporters", th.support, l)) }
                        }
                    }
                }
            }
        }
    }
}

fn rsvp_panel(ctx: &Ctx, data: &SalonData, standing: Option<Standing>, panel: &Panel) -> Markup {
    let l = ctx.lang();
    let salon = &data.salon;
    let show_in_list = data.mine.as_ref().is_some_and(|m| m.show_in_list);
    let refusal = rsvp::may_answer(&salon.facts(), standing, now()).err();
    html! {
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
                    (None | Some(rsvp::NotAccepted::NotInvited), Registration::Open) if salon.is_published() && now() < salon.facts().answers_close() => {
                        p { (t!("rsvp.register_lead", locale = l)) " " a href=(login_href(&ctx.path)) { (t!("rsvp.sign_in_instead", locale = l)) } }
                        (registration_form(ctx, data, panel))
                    }
                    (Some(r), _) if r != rsvp::NotAccepted::NotInvited => { p { (t!(format!("rsvp.error.{}", r.code()), locale = l)) } }
                    _ => {
                        p { (t!("rsvp.invitation_only", locale = l)) " " a href=(login_href(&ctx.path)) { (t!("nav.sign_in", locale = l)) } }
                    }
                }
            }
        }
    }
}

fn registration_form(ctx: &Ctx, data: &SalonData, panel: &Panel) -> Markup {
    let l = ctx.lang();
    let salon = &data.salon;
    let mut options = vec![(
        String::new(),
        t!("people.no_organisation", locale = l).to_string(),
    )];
    options.extend(
        data.organisations
            .iter()
            .map(|o| (o.short_name.clone(), o.name.clone())),
    );
    let f = &panel.registration;
    let e = &panel.registration_errors;
    html! {
        (form::summary(e, l))
        form method="post" action=(format!("/salons/{}/register", salon.id)) class="stacked" novalidate {
            (csrf_field(ctx))
            (form::field("name", &t!("register.name", locale = l), None, Kind::Text, &f.name, e, true))
            (form::field("email", &t!("register.email", locale = l), Some(&t!("register.email_hint", locale = l)), Kind::Email, &f.email, e, true))
            (form::field("organisation", &t!("register.organisation", locale = l), None, Kind::Select(&options), &f.organisation, e, false))
            (form::field("title", &t!("register.job_title", locale = l), None, Kind::Text, &f.title, e, false))
            div { button type="submit" { (t!("register.submit", locale = l)) } }
        }
    }
}

/// ".ics" download, a webcal subscription to all salons, and a Google Calendar link.
fn add_to_calendar(app: &SharedApp, ctx: &Ctx, salon: &Salon) -> Markup {
    let l = ctx.lang();
    let feed = app.config.url("/calendar.ics");
    let webcal = feed
        .replacen("https://", "webcal://", 1)
        .replacen("http://", "webcal://", 1);
    let dates = format!(
        "{}/{}",
        crate::calendar::ics::utc(&salon.starts_at),
        crate::calendar::ics::utc(&salon.ends_at)
    );
    let details = app.config.url(&format!("/salons/{}", salon.id));
    let mut google = url::Url::parse("https://calendar.google.com/calendar/render")
        .unwrap_or_else(|_| app.config.base_url.clone());
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
                li { a class="button" href=(format!("/salons/{id}/rounds")) { (t!("round.title", locale = l)) } }
                li { a class="button" href=(format!("/salons/{id}/summary")) { (t!("summary.heading", locale = l)) } }
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
