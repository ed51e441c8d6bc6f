//! Answering and registering: a signed-in leader's yes / maybe / no, and registration for an
//! open salon by someone not yet known (confirmed by a mailed link: double opt-in). The work is
//! in `usecases::rsvp` and `usecases::registration`; here: parse, call, render.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::SignedIn;
use super::context::Ctx;
use super::cookies;
use super::extract::{ClientIp, Form, SalonPath};
use super::form::Errors;
use super::salon_page::{self, Panel, RegistrationForm};
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::rsvp::Response as Answer;
use crate::domain::{Email, person};
use crate::error::{AppError, AppResult};
use crate::store::rsvps::Rules;
use crate::store::{organisations, registrations, salons};
use crate::usecases::registration;
use crate::usecases::rsvp::{self, AnswerError};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    response: String,
    show_in_list: Option<String>,
    /// "room": the room's own way in (answer, then straight into the running salon's room).
    then: Option<String>,
}

pub async fn answer(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let (status, error) = match Answer::parse(&f.response) {
        None => (
            StatusCode::UNPROCESSABLE_ENTITY,
            t!("rsvp.error.choose", locale = l),
        ),
        Some(response) => match rsvp::answer(
            &app,
            salon.id,
            me.id,
            response,
            f.show_in_list.is_some(),
            Rules::Enforce,
        )
        .await
        {
            Ok(done) => {
                let to = if f.then.as_deref() == Some("room") && done.standing.is_registered() {
                    format!("/salons/{}/room", salon.id)
                } else {
                    format!("/salons/{}?done=answered#rsvp", salon.id)
                };
                return Ok(Redirect::to(&to).into_response());
            }
            Err(AnswerError::Refused(r)) => (StatusCode::CONFLICT, t!(r.message_key(), locale = l)),
            Err(e) => return Err(e.into()),
        },
    };
    let panel = Panel {
        error: Some(error.to_string()),
        ..Panel::default()
    };
    Ok((status, salon_page::render(&app, &ctx, &salon, panel).await?).into_response())
}

/// Someone not signed in registers for an open salon: we mail a confirmation link. The answer
/// is the same whether or not the address is already known.
pub async fn register(
    State(app): State<SharedApp>,
    ctx: Ctx,
    client: ClientIp,
    SalonPath(salon): SalonPath,
    Form(f): Form<RegistrationForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    if !registration::is_open(&salon) {
        let error = t!("rsvp.error.registration_closed", locale = l).to_string();
        return in_place(
            &app,
            &ctx,
            &salon,
            StatusCode::CONFLICT,
            Panel::failed(error),
        )
        .await;
    }
    let mut errors = Errors::default();
    let fields = person::parse(&f.name, &f.title).map_err(|refused| {
        for e in &refused {
            errors.add(e.field, t!(e.message_key(), locale = l).to_string());
        }
    });
    let email = Email::parse(&f.email).map_err(|e| {
        errors.add(
            "email",
            t!(format!("error.email.{}", e.code()), locale = l).to_string(),
        )
    });
    if !f.organisation.is_empty()
        && organisations::by_short_name(&app.db, &f.organisation)
            .await?
            .is_none()
    {
        errors.add(
            "organisation",
            t!("error.organisation_unknown", locale = l).to_string(),
        );
    }
    let (Ok(fields), Ok(email), true) = (fields, email, errors.is_empty()) else {
        let panel = Panel {
            registration: f.clone(),
            registration_errors: errors,
            ..Panel::default()
        };
        return in_place(&app, &ctx, &salon, StatusCode::UNPROCESSABLE_ENTITY, panel).await;
    };
    // Limited after the form is checked: a mistake costs no allowance, a mail does. Per client
    // network (an IPv6 client's whole /64), per address (beyond it the answer is the same and
    // no mail goes), and for all unconfirmed addresses together, so that Salon cannot be made
    // to mail strangers at volume whatever the number of addresses an attacker has.
    if app
        .limits
        .registrations_per_network
        .check_key(&client.network())
        .is_err()
    {
        return Err(AppError::TooManyRequests);
    }
    if app
        .limits
        .sign_in_per_address
        .check_key(&email.as_str().to_string())
        .is_ok()
    {
        if app.limits.unconfirmed_mail.check().is_err() {
            tracing::warn!(
                "registration mail held back: the cap on mail to unconfirmed addresses is reached"
            );
            metrics::counter!("salon_registration_mail_capped_total").increment(1);
            return Err(AppError::TooManyRequests);
        }
        registration::request(&app, &salon, &fields, &email, &f.organisation, ctx.locale).await?;
    }
    Ok(Redirect::to(&format!("/salons/{}?done=confirm_sent#rsvp", salon.id)).into_response())
}

/// The salon page again with `panel` (an error in place), answered with `status`.
async fn in_place(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &salons::Salon,
    status: StatusCode,
    panel: Panel,
) -> AppResult<Response> {
    Ok((status, salon_page::render(app, ctx, salon, panel).await?).into_response())
}

pub async fn confirm_page(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let pending = registrations::peek(&app.db, &token)
        .await?
        .ok_or(AppError::Gone("error.registration_link_invalid"))?;
    let salon = salons::get(&app.db, pending.salon_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(page(
        &ctx,
        &t!("register.confirm_title", locale = l),
        html! {
            h1 { (t!("register.confirm_title", locale = l)) }
            p class="lead" { (t!("register.confirm_body", locale = l, name = pending.name, title = salon.title)) }
            form method="post" action=(format!("/register/{token}")) {
                (csrf_field(&ctx))
                button type="submit" { (t!("register.confirm_button", locale = l)) }
            }
        },
    ))
}

/// The person proved they own the address (see `usecases::registration::confirm`); a new
/// person is signed in.
pub async fn confirm(
    State(app): State<SharedApp>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let old = jar.get(cookies::SESSION).map(|c| c.value().to_string());
    let done = registration::confirm(&app, &token, old.as_deref())
        .await?
        .ok_or(AppError::Gone("error.registration_link_invalid"))?;
    let target = if done.answered {
        format!("/salons/{}?done=registered#rsvp", done.salon_id)
    } else {
        format!("/salons/{}", done.salon_id)
    };
    let jar = match done.session {
        Some(secret) => jar.add(cookies::session(
            secret,
            app.config.secure_cookies(),
            app.config.privacy.retention.session,
        )),
        None => jar,
    };
    Ok((jar, Redirect::to(&target)).into_response())
}
