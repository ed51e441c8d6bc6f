//! Sign-in without passwords: an emailed one-time link, confirmed by a button (POST), because
//! mail scanners open GET links. The answer to a request is the same whether or not the
//! address is known.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::cookies;
use super::extract::{ClientIp, Form, safe_next};
use super::views::{csrf_field, described_by, field_error, page};
use crate::app::SharedApp;
use crate::domain::Email;
use crate::error::{AppError, AppResult};
use crate::store::{login_tokens, people, sessions};
use crate::usecases;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    next: Option<String>,
}

pub async fn form(State(app): State<SharedApp>, ctx: Ctx, Query(q): Query<NextQuery>) -> Markup {
    let next = safe_next(&app.config.base_url, q.next.as_deref());
    login_page(&ctx, "", &next, None)
}

fn login_page(ctx: &Ctx, email: &str, next: &str, error: Option<&str>) -> Markup {
    let l = ctx.lang();
    page(
        ctx,
        &t!("login.title", locale = l),
        html! {
            h1 { (t!("login.title", locale = l)) }
            p class="lead" { (t!("login.lead", locale = l)) }
            @if let Some(e) = error {
                div class="error-summary" role="alert" {
                    h2 { (t!("form.errors_title", locale = l)) }
                    ul { li { a href="#email" { (e) } } }
                }
            }
            form method="post" action="/login" class="stacked" novalidate {
                (csrf_field(ctx))
                input type="hidden" name="next" value=(next);
                div {
                    label for="email" { (t!("login.email_label", locale = l)) }
                    p class="hint" id="email-hint" { (t!("login.email_hint", locale = l)) }
                    input type="email" id="email" name="email" value=(email) autocomplete="email" required
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[described_by("email", true, error.is_some())];
                    (field_error("email", error))
                }
                div { button type="submit" { (t!("login.submit", locale = l)) } }
            }
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn request_link(
    State(app): State<SharedApp>,
    ctx: Ctx,
    client: ClientIp,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let next = safe_next(&app.config.base_url, f.next.as_deref());
    if app
        .limits
        .sign_in_per_client
        .check_key(&client.network())
        .is_err()
    {
        metrics::counter!("salon_sign_in_rate_limited_total", "by" => "client").increment(1);
        return Err(AppError::TooManyRequests);
    }
    let email = match Email::parse(&f.email) {
        Ok(e) => e,
        Err(e) => {
            let message = t!(format!("error.email.{}", e.code()), locale = l).to_string();
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                login_page(&ctx, &f.email, &next, Some(&message)),
            )
                .into_response());
        }
    };
    if let Some(person) = people::by_email(&app.db, &email).await? {
        if app
            .limits
            .sign_in_per_address
            .check_key(&email.as_str().to_string())
            .is_ok()
        {
            usecases::sign_in::send_link(&app, &person, (next != "/").then_some(next.as_str()))
                .await?;
        } else {
            // Same answer as always: the limit must not reveal that the address is known.
            metrics::counter!("salon_sign_in_rate_limited_total", "by" => "address").increment(1);
        }
    }
    Ok(page(
        &ctx,
        &t!("login.sent_title", locale = l),
        html! {
            h1 { (t!("login.sent_title", locale = l)) }
            p class="lead" role="status" { (t!("login.sent_body", locale = l, email = email.as_str())) }
            p { (t!("login.sent_hint", locale = l)) }
        },
    )
    .into_response())
}

/// GET shows who is signing in and a button; it never signs in.
pub async fn confirm(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let pending = login_tokens::peek(&app.db, &token)
        .await?
        .ok_or(AppError::Gone("error.login_link_invalid"))?;
    let person = people::by_id(&app.db, pending.person_id)
        .await?
        .ok_or(AppError::Gone("error.login_link_invalid"))?;
    Ok(page(
        &ctx,
        &t!("login.confirm_title", locale = l),
        html! {
            h1 { (t!("login.confirm_title", locale = l)) }
            p class="lead" { (t!("login.confirm_body", locale = l, name = person.name, email = person.email)) }
            form method="post" action=(format!("/login/{token}")) {
                (csrf_field(&ctx))
                button type="submit" { (t!("login.confirm_button", locale = l)) }
            }
        },
    ))
}

/// POST consumes the link (atomically, once) and starts a new session with a new id.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    State(app): State<SharedApp>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> AppResult<Response> {
    // A session id that existed before sign-in is never reused (session fixation).
    let old = jar.get(cookies::SESSION).map(|c| c.value().to_string());
    let done = usecases::sign_in::sign_in(&app, &token, old.as_deref())
        .await?
        .ok_or(AppError::Gone("error.login_link_invalid"))?;
    let jar = jar.add(cookies::session(
        done.session,
        app.config.secure_cookies(),
        app.config.privacy.retention.session,
    ));
    let next = safe_next(&app.config.base_url, done.next_path.as_deref());
    Ok((jar, Redirect::to(&next)).into_response())
}

pub async fn sign_out(State(app): State<SharedApp>, jar: CookieJar) -> AppResult<Response> {
    if let Some(c) = jar.get(cookies::SESSION) {
        sessions::delete(&app.db, c.value()).await?;
    }
    let jar = jar.add(cookies::session_removal(app.config.secure_cookies()));
    Ok((jar, Redirect::to("/")).into_response())
}
