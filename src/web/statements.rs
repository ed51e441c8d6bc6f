//! The statements the law asks for, linked from every page's footer: the privacy notice
//! (`/privacy`, built from the configured controller, contacts, processors and retention
//! periods) and the accessibility statement (`/accessibility`, in the structure the Danish
//! Agency for Digital Government asks for).

use axum::extract::State;
use maud::{Markup, html};
use rust_i18n::t;

use super::context::Ctx;
use super::views::page;
use crate::app::SharedApp;

/// A contact shown as a mail link when it is an address.
fn contact(value: &str) -> Markup {
    html! {
        @if value.contains('@') && !value.contains(' ') {
            a href=(format!("mailto:{value}")) { (value) }
        } @else {
            (value)
        }
    }
}

pub async fn privacy(State(app): State<SharedApp>, ctx: Ctx) -> Markup {
    let l = ctx.lang();
    let s = &app.config.privacy.statements;
    let r = &app.config.privacy.retention;
    page(
        &ctx,
        &t!("privacy.title", locale = l),
        html! {
            h1 { (t!("privacy.title", locale = l)) }
            p class="lead" { (t!("privacy.lead", locale = l)) }
            h2 { (t!("privacy.controller_heading", locale = l)) }
            @match &s.controller {
                Some(c) => p { (c) },
                None => p { (t!("privacy.controller_missing", locale = l)) },
            }
            p { (t!("privacy.contact", locale = l)) " " (contact(&s.contact)) }
            @if let Some(dpo) = &s.dpo { p { (t!("privacy.dpo", locale = l)) " " (dpo) } }
            h2 { (t!("privacy.purposes_heading", locale = l)) }
            ul {
                @for k in ["privacy.purpose_invite", "privacy.purpose_rsvp", "privacy.purpose_room", "privacy.purpose_strategy", "privacy.purpose_security"] {
                    li { (t!(k, locale = l)) }
                }
            }
            p { (t!("privacy.basis", locale = l)) }
            h2 { (t!("privacy.data_heading", locale = l)) }
            p { (t!("privacy.data", locale = l)) }
            h2 { (t!("privacy.retention_heading", locale = l)) }
            ul {
                li { (t!("privacy.retention_room", locale = l, days = r.room.num_days())) }
                li { (t!("privacy.retention_mail", locale = l, days = r.mail_body.num_days())) }
                li { (t!("privacy.retention_registration", locale = l, days = r.registration.num_days())) }
                li { (t!("privacy.retention_sessions", locale = l, days = r.session.num_days(), idle = r.session_idle.num_days())) }
                li { (t!("privacy.retention_inbound", locale = l, days = r.inbound.num_days())) }
                li { (t!("privacy.retention_audit", locale = l, days = r.audit.num_days())) }
                li { (t!("privacy.retention_account", locale = l)) }
            }
            h2 { (t!("privacy.processors_heading", locale = l)) }
            @if s.processors.is_empty() {
                p { (t!("privacy.processors_none", locale = l)) }
            } @else {
                ul { @for p in &s.processors { li { (p) } } }
            }
            h2 { (t!("privacy.rights_heading", locale = l)) }
            p { (t!("privacy.rights", locale = l)) " " a href="/me" { (t!("privacy.my_page", locale = l)) } }
            p { (t!("privacy.complaint", locale = l)) }
            h2 { (t!("privacy.cookies_heading", locale = l)) }
            p { (t!("privacy.cookies", locale = l)) }
        },
    )
}

pub async fn accessibility(State(app): State<SharedApp>, ctx: Ctx) -> Markup {
    let l = ctx.lang();
    let s = &app.config.privacy.statements;
    let fallback = t!("accessibility.controller_fallback", locale = l).to_string();
    let controller = s.controller.as_deref().unwrap_or(&fallback);
    page(
        &ctx,
        &t!("accessibility.title", locale = l),
        html! {
            h1 { (t!("accessibility.title", locale = l)) }
            p { (t!("accessibility.intro", locale = l, controller = controller, url = app.config.base_url.as_str())) }
            h2 { (t!("accessibility.status_heading", locale = l)) }
            p { (t!("accessibility.status", locale = l)) }
            h2 { (t!("accessibility.known_heading", locale = l)) }
            ul {
                li { (t!("accessibility.known_live", locale = l)) }
                li { (t!("accessibility.known_chart", locale = l)) }
                li { (t!("accessibility.known_files", locale = l)) }
            }
            h2 { (t!("accessibility.prepared_heading", locale = l)) }
            p { (t!("accessibility.prepared", locale = l)) }
            h2 { (t!("accessibility.feedback_heading", locale = l)) }
            p { (t!("accessibility.feedback", locale = l)) " " (contact(&s.accessibility_contact)) }
            h2 { (t!("accessibility.enforcement_heading", locale = l)) }
            p { (t!("accessibility.enforcement", locale = l)) }
        },
    )
}
