//! The page frame and the small pieces every page shares. Handlers build content; this module
//! wraps it. All text goes through `t!`; maud escapes everything we interpolate.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, html};
use rust_i18n::t;

use super::assets;
use super::context::Ctx;
use crate::domain::Role;
use crate::i18n::Locale;

/// A full HTML page.
pub fn page(ctx: &Ctx, title: &str, content: Markup) -> Markup {
    let l = ctx.lang();
    html! {
        (DOCTYPE)
        html lang=(l) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (t!("site.name", locale = l)) }
                link rel="stylesheet" href=(assets::STYLE_URL.as_str());
                link rel="icon" href=(assets::ICON_URL.as_str()) type="image/svg+xml";
            }
            body {
                a class="skip-link" href="#main" { (t!("nav.skip", locale = l)) }
                header class="site-header" {
                    div class="bar" {
                        a class="brand" href="/" { (t!("site.name", locale = l)) }
                        nav aria-label=(t!("nav.main", locale = l)) {
                            ul {
                                li { a href="/" { (t!("nav.home", locale = l)) } }
                                li { a href="/past" { (t!("home.past_link", locale = l)) } }
                                li { a href="/landscape" { (t!("nav.landscape", locale = l)) } }
                                li { a href="/search" { (t!("nav.search", locale = l)) } }
                                @if let Some(user) = &ctx.user {
                                    @if user.role().at_least(Role::Organiser) {
                                        li { a href="/organise" { (t!("organise.title", locale = l)) } }
                                        li { a href="/admin/outbox" { (t!("nav.outbox", locale = l)) } }
                                        li { a href="/admin/inbox" { (t!("nav.inbox", locale = l)) } }
                                    }
                                    @if user.role().at_least(Role::Admin) {
                                        li { a href="/admin/people" { (t!("nav.people", locale = l)) } }
                                        li { a href="/admin/audit" { (t!("nav.audit", locale = l)) } }
                                    }
                                }
                            }
                        }
                        div class="account" {
                            @if let Some(user) = &ctx.user {
                                span class="who" { (t!("nav.signed_in_as", locale = l)) " " a href="/me" { strong { (user.name) } } }
                                form method="post" action="/logout" class="inline" {
                                    (csrf_field(ctx))
                                    button type="submit" class="link" { (t!("nav.sign_out", locale = l)) }
                                }
                            } @else {
                                a href=(login_href(&ctx.path)) { (t!("nav.sign_in", locale = l)) }
                            }
                        }
                        (language_switch(ctx))
                    }
                }
                main id="main" tabindex="-1" {
                    (content)
                }
                footer class="site-footer" {
                    p { (t!("footer.text", locale = l)) }
                    nav aria-label=(t!("footer.links", locale = l)) {
                        ul class="footer-links" {
                            li { a href="/privacy" { (t!("footer.privacy", locale = l)) } }
                            li { a href="/accessibility" { (t!("footer.accessibility", locale = l)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The hidden field every state-changing form carries.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}

/// A plain form with one button per language: works without JavaScript.
fn language_switch(ctx: &Ctx) -> Markup {
    let l = ctx.lang();
    html! {
        form method="post" action="/lang" class="lang-switch" {
            (csrf_field(ctx))
            input type="hidden" name="next" value=(ctx.path);
            span class="visually-hidden" id="lang-label" { (t!("nav.language", locale = l)) }
            div role="group" aria-labelledby="lang-label" {
                @for locale in Locale::OFFERED {
                    @let current = locale == ctx.locale;
                    button type="submit" name="lang" value=(locale.code()) lang=(locale.code())
                        aria-pressed=(if current { "true" } else { "false" }) {
                        (locale.native_name())
                    }
                }
            }
        }
    }
}

/// The sign-in page, coming back to `next` afterwards (a local path).
pub fn login_href(next: &str) -> String {
    if next == "/" || next.starts_with("/login") {
        "/login".to_string()
    } else {
        format!(
            "/login?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        )
    }
}

pub fn error_page(ctx: &Ctx, status: StatusCode, message: &str) -> Markup {
    let l = ctx.lang();
    let title = t!("error.title", locale = l, status = status.as_u16()).to_string();
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p class="lead" { (message) }
            p { a href="/" { (t!("error.back_home", locale = l)) } }
        },
    )
}

/// A time for people and machines: `<time datetime="RFC 3339">`.
/// A moment as the reader writes it, in their own time zone (Copenhagen for visitors):
/// "05.12.2026 01.13"; the exact instant stays in the `datetime` attribute.
pub fn local_time(ctx: &Ctx, at: &DateTime<Utc>) -> Markup {
    let l = ctx.lang();
    let tz = ctx
        .user
        .as_ref()
        .and_then(|u| u.time_zone().ok())
        .unwrap_or(chrono_tz::Europe::Copenhagen);
    let local = at.with_timezone(&tz);
    let text = format!(
        "{} {}",
        crate::i18n::timefmt::day(local.date_naive(), l),
        crate::i18n::timefmt::clock(&local, l)
    );
    html! { time datetime=(at.to_rfc3339()) { (text) } }
}

/// A form field's error message, tied to the field by `aria-describedby`.
pub fn field_error(id: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error {
            p class="field-error" id=(format!("{id}-error")) { (e) }
        }
    }
}

pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}
