//! Answering and registering: a signed-in leader's yes / maybe / no, and registration for an
//! open salon by someone not yet known (confirmed by a mailed link: double opt-in).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::SignedIn;
use super::context::Ctx;
use super::cookies;
use super::extract::{ClientIp, Form};
use super::form::Errors;
use super::salon_page::{self, Panel, RegistrationForm, parse_id, visible};
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::rsvp::{self, Response as Answer};
use crate::domain::salon::Registration;
use crate::domain::time::now;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::store::rsvps::{self, RespondError};
use crate::store::{organisations, people, registrations, sessions};

pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/salons/{id}/rsvp", post(answer))
        .route("/salons/{id}/register", post(register))
        .route("/register/{token}", get(confirm_page).post(confirm))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerForm {
    response: String,
    show_in_list: Option<String>,
}

async fn answer(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let salon = visible(&app, &ctx, parse_id(&id)?).await?;
    let Some(response) = Answer::parse(&f.response) else {
        let panel = Panel { error: Some(t!("rsvp.error.choose", locale = l).to_string()), ..Panel::default() };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, salon_page::render(&app, &ctx, &salon, panel).await?).into_response());
    };
    let mut tx = app.db.begin().await?;
    match rsvps::respond(&mut tx, salon.id, me.id, response, f.show_in_list.is_some()).await {
        Ok(done) => {
            crate::mail::notify::promoted(&mut tx, &app.config, &done.salon, &done.promoted).await?;
            tx.commit().await?;
            if !done.promoted.is_empty() {
                app.mail_wake.notify_one();
            }
            metrics::counter!("salon_rsvps_total", "response" => response.as_str()).increment(1);
            Ok(Redirect::to(&format!("/salons/{}?done=answered#rsvp", salon.id)).into_response())
        }
        Err(RespondError::Refused(r)) => {
            drop(tx);
            let panel = Panel { error: Some(t!(format!("rsvp.error.{}", r.code()), locale = l).to_string()), ..Panel::default() };
            Ok((StatusCode::CONFLICT, salon_page::render(&app, &ctx, &salon, panel).await?).into_response())
        }
        Err(RespondError::NoSuchSalon) => Err(AppError::NotFound),
        Err(RespondError::Db(e)) => Err(e.into()),
    }
}

/// Someone not signed in registers for an open salon: we mail a confirmation link. The answer
/// is the same whether or not the address is already known.
async fn register(
    State(app): State<SharedApp>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(f): Form<RegistrationForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let salon = visible(&app, &ctx, parse_id(&id)?).await?;
    let open = salon.registration() == Registration::Open
        && rsvp::may_answer(&salon.facts(), Some(rsvp::Standing::Invited), now()).is_ok();
    if !open {
        let panel = Panel { error: Some(t!("rsvp.error.registration_closed", locale = l).to_string()), ..Panel::default() };
        return Ok((StatusCode::CONFLICT, salon_page::render(&app, &ctx, &salon, panel).await?).into_response());
    }
    let mut errors = Errors::default();
    let fields = crate::domain::person::parse(&f.name, &f.title).map_err(|refused| {
        for e in &refused {
            errors.add(e.field, t!(e.message_key(), locale = l).to_string());
        }
    });
    let email = match Email::parse(&f.email) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.add("email", t!(format!("error.email.{}", e.code()), locale = l).to_string());
            None
        }
    };
    if !f.organisation.is_empty() && organisations::by_short_name(&app.db, &f.organisation).await?.is_none() {
        errors.add("organisation", t!("error.organisation_unknown", locale = l).to_string());
    }
    let (Some(email), Ok(fields)) = (email.filter(|_| errors.is_empty()), fields) else {
        let panel = Panel { registration: f.clone(), registration_errors: errors, ..Panel::default() };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, salon_page::render(&app, &ctx, &salon, panel).await?).into_response());
    };
    // Limited after the form is checked: a mistake costs no allowance, a mail does.
    if app.limits.sign_in_per_client.check_key(&ip).is_err() {
        return Err(AppError::TooManyRequests);
    }
    if app.limits.sign_in_per_address.check_key(&email.as_str().to_string()).is_ok() {
        let mut tx = app.db.begin().await?;
        let secret = registrations::create(
            &mut tx,
            &registrations::NewRegistration {
                salon_id: salon.id,
                email: email.as_str(),
                name: &fields.name,
                organisation: &f.organisation,
                title: fields.title.as_deref().unwrap_or(""),
                locale: ctx.locale.code(),
            },
        )
        .await?;
        let link = app.config.url(&format!("/register/{secret}"));
        let mail = crate::mail::compose::confirm_registration(&app.config, &fields.name, email.as_str(), ctx.locale, &salon, &link)
            .map_err(|e| AppError::Internal(e.into()))?;
        crate::mail::queue(&mut tx, &mail).await?;
        tx.commit().await?;
        app.mail_wake.notify_one();
    }
    Ok(Redirect::to(&format!("/salons/{}?done=confirm_sent#rsvp", salon.id)).into_response())
}

async fn confirm_page(State(app): State<SharedApp>, ctx: Ctx, Path(token): Path<String>) -> AppResult<Markup> {
    let l = ctx.lang();
    let pending = registrations::peek(&app.db, &token).await?.ok_or(AppError::Gone("error.registration_link_invalid"))?;
    let salon = crate::store::salons::get(&app.db, pending.salon_id).await?.ok_or(AppError::NotFound)?;
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

/// The person proved they own the address: create them if new, answer yes (a seat or the
/// waitlist), and sign a new person in. An address that already belongs to someone gets the
/// answer but no session: a 48-hour registration link must not be a way around the 15-minute,
/// rate-limited sign-in link (the address may be an admin's).
async fn confirm(State(app): State<SharedApp>, jar: CookieJar, Path(token): Path<String>) -> AppResult<Response> {
    let mut tx = app.db.begin().await?;
    let Some(pending) = registrations::consume(&mut tx, &token).await? else {
        return Err(AppError::Gone("error.registration_link_invalid"));
    };
    let email = Email::parse(&pending.email).map_err(|_| AppError::Gone("error.registration_link_invalid"))?;
    let known = people::by_email(&app.db, &email).await?;
    let person_id = match &known {
        Some(p) => p.id,
        None => {
            let organisation_id = match pending.organisation.as_str() {
                "" => None,
                short => organisations::by_short_name(&app.db, short).await?.map(|o| o.id),
            };
            let new = people::NewPerson {
                email: &email,
                name: &crate::domain::text::defang(&pending.name),
                title: Some(pending.title.as_str()).filter(|t| !t.is_empty()),
                role: Role::Member,
                locale: crate::i18n::Locale::from_code(&pending.locale).unwrap_or_default(),
                organisation_id,
            };
            match people::create(&mut tx, &new).await {
                Ok(id) => id,
                Err(people::CreateError::EmailTaken) => return Err(AppError::Gone("error.registration_link_invalid")),
                Err(people::CreateError::Db(e)) => return Err(e.into()),
            }
        }
    };
    let result = rsvps::respond(&mut tx, pending.salon_id, person_id, Answer::Yes, false).await;
    let target = match result {
        Ok(done) => {
            crate::mail::notify::promoted(&mut tx, &app.config, &done.salon, &done.promoted).await?;
            format!("/salons/{}?done=registered#rsvp", pending.salon_id)
        }
        // The salon closed between request and confirmation: they are known now, but not answered.
        Err(RespondError::Refused(_)) => format!("/salons/{}", pending.salon_id),
        Err(RespondError::NoSuchSalon) => "/".to_string(),
        Err(RespondError::Db(e)) => return Err(e.into()),
    };
    if known.is_some() {
        tx.commit().await?;
        return Ok(Redirect::to(&target).into_response());
    }
    if let Some(old) = jar.get(cookies::SESSION) {
        sessions::delete(&mut tx, old.value()).await?;
    }
    let secret = sessions::create(&mut tx, person_id).await?;
    tx.commit().await?;
    let jar = jar.add(cookies::session(secret, app.config.secure_cookies()));
    Ok((jar, Redirect::to(&target)).into_response())
}
