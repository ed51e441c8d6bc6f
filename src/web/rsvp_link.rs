//! Answering from the invitation mail without signing in: `/rsvp/{token}`. GET shows the
//! salon and three buttons (the mail's link preselects one); only the POST records an answer,
//! because mail scanners open links.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::extract::Form;
use super::salon_page::standing_code;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::rsvp::Response as Answer;
use crate::error::{AppError, AppResult};
use crate::i18n::timefmt;
use crate::store::rsvps::{self, Rules};
use crate::store::{people, rsvp_tokens, salons};
use crate::usecases::rsvp::{self, AnswerError};

#[derive(Deserialize, Default)]
pub struct LinkQuery {
    answer: Option<String>,
    done: Option<String>,
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<LinkQuery>,
) -> AppResult<Markup> {
    render(
        &app,
        &ctx,
        &token,
        q.answer.as_deref().and_then(Answer::parse),
        q.done.is_some(),
        None,
    )
    .await
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    token: &str,
    suggested: Option<Answer>,
    done: bool,
    error: Option<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let (salon_id, person_id) = rsvp_tokens::resolve(&app.db, token)
        .await?
        .ok_or(AppError::Gone("error.rsvp_link_invalid"))?;
    let salon = salons::get(&app.db, salon_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = people::by_id(&app.db, person_id)
        .await?
        .ok_or(AppError::Gone("error.rsvp_link_invalid"))?;
    let rsvp = rsvps::of(&app.db, salon_id, person_id).await?;
    let standing = rsvp.as_ref().map(|r| r.standing());
    // The answer given, shown as the pressed button (screen readers say "pressed").
    let current = rsvp.and_then(|r| r.response);
    let now = crate::domain::time::now();
    // Buttons only where an answer can be taken; else why not.
    let closed = crate::domain::rsvp::may_answer(&salon.facts(), standing, now).err();
    let room_open = standing.is_some_and(crate::domain::rsvp::Standing::is_registered)
        && salon.facts().room_door_open(now);
    Ok(page(
        ctx,
        &salon.title,
        html! {
            @if done { p class="notice" role="status" { (t!("salon.notice.answered", locale = l)) } }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            p class="kicker" { (t!("rsvp.title", locale = l)) }
            h1 { (salon.title) }
            p { (timefmt::span(&salon.starts_at, &salon.ends_at, salon.tz(), l)) " (" (timefmt::zone_label(salon.tz())) ")" }
            @if let Some(s) = standing {
                p class="standing" data-standing=(standing_code(s)) { (t!(format!("rsvp.standing.{}", standing_code(s)), locale = l)) }
            }
            // The page is the person's own (their link): registered, they get the video link.
            @if let Some(link) = crate::calendar::event::meeting_of(&salon).filter(|_| standing.is_some_and(crate::domain::rsvp::Standing::is_registered)) {
                p class="video-link" { (t!("room.join_video", locale = l)) ": " a href=(link) rel="noopener noreferrer" { (link) } }
            }
            @if room_open {
                // Running (or about to): the way in is one click from here, without a sign-in
                // mail (the link is the person's own; `usecases::room_pass`).
                form method="post" action=(format!("/rsvp/{token}/room")) class="join" {
                    (csrf_field(ctx))
                    button type="submit" { (t!("rsvp.go_to_room", locale = l)) }
                }
            }
            @if let Some(why) = closed {
                p class="notice" { (t!(why.message_key(), locale = l)) }
            } @else {
            p { (t!("rsvp.question", locale = l, name = person.name)) }
            form method="post" action=(format!("/rsvp/{token}")) class="answer-buttons" {
                (csrf_field(ctx))
                @for r in Answer::ALL {
                    button type="submit" name="response" value=(r.as_str())
                        aria-pressed=(current.as_deref() == Some(r.as_str()))
                        class=(if suggested == Some(r) { "suggested" } else { "secondary" })
                        aria-describedby=[(suggested == Some(r)).then_some("suggested-hint")] {
                        (t!(format!("rsvp.answer.{}", r.as_str()), locale = l))
                    }
                }
            }
            @if suggested.is_some() && !done { p class="hint" id="suggested-hint" { (t!("rsvp.link_hint", locale = l)) } }
            }
            p { a href=(format!("/salons/{}", salon.id)) { (t!("mail.open_salon", locale = l)) } }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    response: String,
}

pub async fn record(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let (salon_id, person_id) = rsvp_tokens::resolve(&app.db, &token)
        .await?
        .ok_or(AppError::Gone("error.rsvp_link_invalid"))?;
    let Some(response) = Answer::parse(&f.response) else {
        let body = render(
            &app,
            &ctx,
            &token,
            None,
            false,
            Some(t!("rsvp.error.choose", locale = l).to_string()),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    match rsvp::answer(&app, salon_id, person_id, response, false, Rules::Enforce).await {
        Ok(_) => Ok(Redirect::to(&format!("/rsvp/{token}?done=1")).into_response()),
        Err(AnswerError::Refused(r)) => {
            let body = render(
                &app,
                &ctx,
                &token,
                None,
                false,
                Some(t!(r.message_key(), locale = l).to_string()),
            )
            .await?;
            Ok((StatusCode::CONFLICT, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /rsvp/{token}/room`: into the room from the invitation's link, for a registered
/// member while the door is open: a session good for this salon's pages and room only, until it
/// ends. Organisers and admins sign in by mail (their session can do much more); anyone already
/// signed in as the person simply goes in.
pub async fn enter_room(
    State(app): State<SharedApp>,
    ctx: Ctx,
    jar: axum_extra::extract::CookieJar,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let old = jar
        .get(super::cookies::SESSION)
        .map(|c| c.value().to_string());
    let signed_in_as = ctx.user.as_ref().map(|u| u.id);
    match crate::usecases::room_pass::enter(&app, &token, signed_in_as, old.as_deref()).await? {
        Ok(pass) => {
            let room = format!("/salons/{}/room", pass.salon);
            let jar = match pass.session {
                Some(secret) => jar.add(super::cookies::session(
                    secret,
                    app.config.secure_cookies(),
                    pass.lasts,
                )),
                None => jar,
            };
            Ok((jar, Redirect::to(&room)).into_response())
        }
        Err(crate::usecases::room_pass::NoPass::Link) => {
            Err(AppError::Gone("error.rsvp_link_invalid"))
        }
        Err(crate::usecases::room_pass::NoPass::SignInByMail(salon)) => Ok(Redirect::to(
            &super::views::login_href(&format!("/salons/{salon}/room")),
        )
        .into_response()),
        // Not registered, or the door is not open: the answer page says what can be done.
        Err(crate::usecases::room_pass::NoPass::NotNow) => {
            Ok(Redirect::to(&format!("/rsvp/{token}")).into_response())
        }
    }
}
