//! The room page: the history rendered on the server (works without JavaScript, with plain
//! forms to post, vote and moderate), made live by static/room.js over the websocket; and the
//! transcript for the minutes.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::extract::Form;
use super::timefmt;
use super::views::{csrf_field, login_href, page};
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};
use crate::rooms::access::{self, Access, Denied, Phase};
use crate::rooms::actions::{self, Outcome};
use crate::rooms::ws;
use crate::store::rooms::{self, Message, Room};
use crate::store::salons::Salon;

pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/salons/{id}/room", get(show))
        .route("/salons/{id}/room/ws", get(ws::upgrade))
        .route("/salons/{id}/room/messages", post(post_message))
        .route("/salons/{id}/room/messages/{mid}/{action}", post(message_action))
        .route("/salons/{id}/room/mute/{person}", post(mute))
        .route("/salons/{id}/rooms", post(add_room))
}

#[derive(Deserialize, Default)]
pub(super) struct RoomQuery {
    pub(super) room: Option<i64>,
}

/// The salon, the room and the caller's access; errors are the right page or redirect.
pub(super) async fn enter(app: &SharedApp, ctx: &Ctx, id: &str, room: Option<i64>) -> Result<(Salon, Room, Access), Response> {
    match access::enter(&app.db, ctx.user.as_deref(), id, room, now()).await {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(Denied::NotSignedIn)) => Err(Redirect::to(&login_href(&ctx.path)).into_response()),
        Ok(Err(Denied::NotRegistered)) => Err(AppError::Forbidden.into_response()),
        Ok(Err(Denied::NotFound)) => Err(AppError::NotFound.into_response()),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

async fn show(State(app): State<SharedApp>, ctx: Ctx, Path(id): Path<String>, Query(q): Query<RoomQuery>) -> Response {
    match enter(&app, &ctx, &id, q.room).await {
        Ok((salon, room, access)) => match render(&app, &ctx, &salon, &room, access, None).await {
            Ok(m) => m.into_response(),
            Err(e) => e.into_response(),
        },
        Err(r) => r,
    }
}

/// Message text with web addresses made into links; everything else stays text (escaped).
fn linkified(body: &str) -> Markup {
    html! {
        @for (i, word) in body.split(' ').enumerate() {
            @if i > 0 { " " }
            @let trimmed = word.trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
            @if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && url::Url::parse(trimmed).is_ok() {
                a href=(trimmed) rel="nofollow noopener noreferrer ugc" { (trimmed) } (&word[trimmed.len()..])
            } @else {
                (word)
            }
        }
    }
}

fn message_item(ctx: &Ctx, salon: &Salon, room: &Room, m: &Message, access: Access) -> Markup {
    let l = ctx.lang();
    let base = format!("/salons/{}/room/messages/{}", salon.id, m.id);
    html! {
        li id=(format!("m{}", m.id)) data-id=(m.id) data-client-id=(m.client_id) class=(if m.hidden { "message hidden" } else { "message" }) {
            p class="meta" {
                strong { (m.author_name.as_deref().unwrap_or("–")) }
                @if let Some(o) = &m.author_org { span class="muted" { " · " (o) } }
                " · " time datetime=(m.created_at.to_rfc3339()) { (timefmt::clock(&m.created_at.with_timezone(&salon.tz()), l)) }
                @if m.is_question { " · " span class="badge" { (t!("room.question", locale = l)) } }
                @if m.hidden { " · " span class="badge badge-cancelled" { (t!("room.hidden", locale = l)) } }
            }
            p class="body" { @for (i, line) in m.body.lines().enumerate() { @if i > 0 { br; } (linkified(line)) } }
            @if access.organiser && !m.hidden {
                form method="post" action=(format!("{base}/hide?room={}", room.id)) class="inline" {
                    (csrf_field(ctx))
                    button type="submit" class="link" { (t!("room.hide", locale = l)) }
                }
                @if let Some(author) = m.author_id {
                    " · "
                    form method="post" action=(format!("/salons/{}/room/mute/{author}?room={}", salon.id, room.id)) class="inline" {
                        (csrf_field(ctx))
                        button type="submit" class="link" { (t!("room.mute", locale = l)) }
                    }
                }
            }
        }
    }
}

async fn render(app: &SharedApp, ctx: &Ctx, salon: &Salon, room: &Room, access: Access, error: Option<String>) -> AppResult<Markup> {
    let l = ctx.lang();
    let all_rooms = rooms::of_salon(&app.db, salon.id).await?;
    let history = rooms::history(&app.db, room.id, None, 200, access.organiser).await?;
    let questions = rooms::questions(&app.db, room.id, access.organiser).await?;
    let muted = match &ctx.user {
        Some(u) => rooms::is_muted(&app.db, room.id, u.id).await?,
        None => false,
    };
    let last = history.last().map(|m| m.id).unwrap_or(0);
    let room_name = |r: &Room| if r.name.is_empty() { t!("room.main", locale = l).to_string() } else { r.name.clone() };
    let title = format!("{} – {}", room_name(room), salon.title);
    Ok(page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (room_name(room)) }
            @if all_rooms.len() > 1 {
                nav aria-label=(t!("room.rooms", locale = l)) {
                    ul class="actions" {
                        @for r in &all_rooms {
                            li { a href=(format!("/salons/{}/room?room={}", salon.id, r.id)) aria-current=[(r.id == room.id).then_some("page")] { (room_name(r)) } }
                        }
                    }
                }
            }
            p class="room-phase" {
                @match access.phase {
                    Phase::NotYetOpen => { (t!("room.not_yet_open", locale = l)) }
                    Phase::Open => { (t!("room.open", locale = l)) }
                    Phase::Archived => { (t!("room.archived", locale = l)) }
                }
            }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            div class="room"
                data-room-ws=(format!("/salons/{}/room/ws?room={}", salon.id, room.id))
                data-last=(last) data-organiser=(access.organiser) data-tz=(salon.tz().name())
                data-csrf=(ctx.csrf)
                data-label-sending=(t!("room.sending", locale = l))
                data-label-sent=(t!("room.sent", locale = l))
                data-label-failed=(t!("room.failed", locale = l))
                data-label-retry=(t!("room.retry", locale = l))
                data-label-online=(t!("room.online", locale = l))
                data-label-offline=(t!("room.offline", locale = l))
                data-label-hidden=(t!("room.hidden", locale = l))
                data-label-more=(t!("room.more_online", locale = l))
                data-label-question=(t!("room.question", locale = l)) {
                section aria-labelledby="online-title" class="presence" {
                    h2 id="online-title" class="visually-hidden" { (t!("room.online", locale = l)) }
                    p id="connection" class="muted" role="status" {}
                    ul id="online" aria-label=(t!("room.online", locale = l)) {}
                }
                section aria-labelledby="messages-title" {
                    h2 id="messages-title" { (t!("room.messages", locale = l)) }
                    // The log role is on a wrapper: on the list itself it would take away the
                    // list's meaning, and its items would be list items outside a list.
                    div id="message-log" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="messages-title" {
                        ol id="messages" class="messages" {
                            @for m in &history { (message_item(ctx, salon, room, m, access)) }
                        }
                    }
                    @if history.is_empty() { p id="no-messages" class="muted" { (t!("room.empty", locale = l)) } }
                }
                @if access.phase == Phase::Open && !muted {
                    form id="post" method="post" action=(format!("/salons/{}/room/messages?room={}", salon.id, room.id)) class="stacked" {
                        (csrf_field(ctx))
                        input type="hidden" name="client_id" value=(uuid::Uuid::new_v4());
                        div class="field" {
                            label for="body" { (t!("room.your_message", locale = l)) }
                            textarea id="body" name="body" rows="3" maxlength=(actions::MAX_BODY) required {}
                        }
                        div class="choice" {
                            input type="checkbox" id="question" name="question" value="on";
                            label for="question" { (t!("room.ask_as_question", locale = l)) }
                        }
                        div { button type="submit" { (t!("room.send", locale = l)) } }
                    }
                } @else if muted {
                    p { (t!("room.error.muted", locale = l)) }
                }
                section aria-labelledby="questions-title" {
                    h2 id="questions-title" { (t!("room.questions", locale = l)) }
                    @if questions.is_empty() { p class="muted" { (t!("room.no_questions", locale = l)) } }
                    ol id="questions" class="questions" {
                        @for q in &questions {
                            li data-id=(q.id) class=(if q.answered { "answered" } else { "" }) {
                                span class="votes" data-votes=(q.votes) { (t!("room.votes", locale = l, n = q.votes)) } " "
                                (q.body)
                                @if q.answered { " " span class="badge" { (t!("room.answered", locale = l)) } }
                                @if access.phase == Phase::Open {
                                    form method="post" action=(format!("/salons/{}/room/messages/{}/vote?room={}", salon.id, q.id, room.id)) class="inline" {
                                        (csrf_field(ctx)) " "
                                        button type="submit" class="link" { (t!("room.vote", locale = l)) }
                                    }
                                }
                                @if access.organiser && !q.answered {
                                    form method="post" action=(format!("/salons/{}/room/messages/{}/answered?room={}", salon.id, q.id, room.id)) class="inline" {
                                        (csrf_field(ctx)) " "
                                        button type="submit" class="link" { (t!("room.mark_answered", locale = l)) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if access.organiser {
                    form method="post" action=(format!("/salons/{}/rooms", salon.id)) class="stacked" {
                        (csrf_field(ctx))
                        div class="field" {
                            label for="room-name" { (t!("room.add_label", locale = l)) }
                            input type="text" id="room-name" name="name" maxlength="100" required;
                        }
                        div { button type="submit" class="secondary" { (t!("room.add", locale = l)) } }
                    }
                    p {
                        a href=(format!("/salons/{}/room/transcript.md?room={}", salon.id, room.id)) { (t!("room.transcript_md", locale = l)) } " · "
                        a href=(format!("/salons/{}/room/transcript.html?room={}", salon.id, room.id)) { (t!("room.transcript_html", locale = l)) }
                    }
                }
            }
            script src=(super::assets::ROOM_JS_URL.as_str()) defer {}
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PostForm {
    body: String,
    client_id: String,
    question: Option<String>,
}

async fn post_message(State(app): State<SharedApp>, ctx: Ctx, Path(id): Path<String>, Query(q): Query<RoomQuery>, Form(f): Form<PostForm>) -> Response {
    let (salon, room, access) = match enter(&app, &ctx, &id, q.room).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(user) = ctx.user.as_ref() else { return AppError::Forbidden.into_response() };
    let outcome = if actions::within_limit(&app, user.id) {
        actions::post(&app, &room, access, user.id, &f.client_id, &f.body, f.question.is_some()).await
    } else {
        Ok(Outcome::Refused(actions::Refused::RateLimited))
    };
    match outcome {
        Ok(Outcome::Done(m)) => Redirect::to(&format!("/salons/{}/room?room={}#m{}", salon.id, room.id, m.id)).into_response(),
        Ok(Outcome::Refused(r)) => {
            let message = t!(r.message_key(), locale = ctx.lang()).to_string();
            let status = if r == actions::Refused::RateLimited { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNPROCESSABLE_ENTITY };
            match render(&app, &ctx, &salon, &room, access, Some(message)).await {
                Ok(m) => (status, m).into_response(),
                Err(e) => e.into_response(),
            }
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

async fn message_action(State(app): State<SharedApp>, ctx: Ctx, Path((id, mid, action)): Path<(String, String, String)>, Query(q): Query<RoomQuery>) -> Response {
    let (salon, room, access) = match enter(&app, &ctx, &id, q.room).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(user) = ctx.user.as_ref() else { return AppError::Forbidden.into_response() };
    let Ok(mid) = mid.parse::<i64>() else { return AppError::NotFound.into_response() };
    if !actions::within_limit(&app, user.id) {
        return AppError::TooManyRequests.into_response();
    }
    let outcome = match action.as_str() {
        "vote" => actions::vote(&app, &room, access, user.id, mid).await.map(|o| o.refusal()),
        "hide" => actions::hide(&app, &room, access, mid).await.map(|o| o.refusal()),
        "answered" => actions::answer(&app, &room, access, mid).await.map(|o| o.refusal()),
        _ => return AppError::NotFound.into_response(),
    };
    match outcome {
        Ok(None) => Redirect::to(&format!("/salons/{}/room?room={}", salon.id, room.id)).into_response(),
        Ok(Some(actions::Refused::NotOrganiser)) => AppError::Forbidden.into_response(),
        Ok(Some(actions::Refused::RateLimited)) => AppError::TooManyRequests.into_response(),
        Ok(Some(r)) => AppError::BadRequest(r.message_key()).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

async fn mute(State(app): State<SharedApp>, ctx: Ctx, Path((id, person)): Path<(String, String)>, Query(q): Query<RoomQuery>) -> Response {
    let (salon, room, access) = match enter(&app, &ctx, &id, q.room).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.organiser {
        return AppError::Forbidden.into_response();
    }
    let Ok(person) = person.parse::<i64>() else { return AppError::NotFound.into_response() };
    match rooms::mute(&app.db, room.id, person).await {
        Ok(()) => Redirect::to(&format!("/salons/{}/room?room={}", salon.id, room.id)).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoomForm {
    name: String,
}

/// Organisers add rooms (breakouts, themes) to a salon.
async fn add_room(State(app): State<SharedApp>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<RoomForm>) -> Response {
    let (salon, _, access) = match enter(&app, &ctx, &id, None).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !access.organiser {
        return AppError::Forbidden.into_response();
    }
    let Ok(name) = crate::domain::salon::room_name(&f.name) else {
        return AppError::BadRequest("room.error.name").into_response();
    };
    let name = name.as_str();
    let result = async {
        let position = rooms::of_salon(&app.db, salon.id).await?.len() as i64;
        let mut tx = app.db.begin().await?;
        let id = rooms::create(&mut tx, salon.id, name, position).await?;
        tx.commit().await?;
        Ok::<i64, sqlx::Error>(id)
    }
    .await;
    match result {
        Ok(room) => Redirect::to(&format!("/salons/{}/room?room={room}", salon.id)).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
