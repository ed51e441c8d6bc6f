//! The live room's doors: the page and its plain forms (post, vote, moderate, add a room), and
//! the websocket (`socket`, whose frames `frames` answers). Who may enter is `entered` (over
//! `rooms::access`), what an action does is `usecases::room`; the page is `view`.

mod entered;
mod frames;
mod items;
mod panel;
mod polls;
mod proposals;
mod refused;
mod shared;
pub mod socket;
mod view;

pub use entered::{Entered, OnMessage};

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::extract::{Form, parse_id};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::{PersonId, RoundId};
use crate::store::rooms;
use crate::usecases::room::{self as actions, Rejected};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// A ballot was just cast with the plain form in this round.
    cast: Option<String>,
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    entered: Entered,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let cast = q.cast.and_then(|c| c.parse().ok());
    Ok(render(&app, &ctx, &entered, None, cast)
        .await?
        .into_response())
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    e: &Entered,
    error: Option<String>,
    cast: Option<RoundId>,
) -> AppResult<maud::Markup> {
    let recorder = e.access.organiser || e.access.note_taker;
    let shared = shared::get(app, &e.salon, e.room.id, e.access.organiser).await?;
    // The viewer's own ballot in each open round.
    let mut panel_rounds = Vec::with_capacity(shared.rounds.len());
    for (round, options, voters) in &shared.rounds {
        let mine = shared
            .ballots
            .get(&round.id)
            .and_then(|by_person| by_person.get(&e.user.id))
            .cloned()
            .unwrap_or_default();
        panel_rounds.push(panel::PanelRound {
            round,
            options,
            mine,
            voters: *voters,
        });
    }
    let data = view::RoomData {
        salon: &e.salon,
        room: &e.room,
        access: e.access,
        all_rooms: &shared.all_rooms,
        history: &shared.history,
        questions: &shared.questions,
        muted: e.access.muted,
        error,
        agenda: &shared.agenda,
        agenda_moved: shared.agenda_moved,
        strategy: panel::StrategyData {
            rounds: panel_rounds,
            cast,
            themes: &shared.themes,
            decisions: &shared.decisions,
            actions: &shared.actions,
            organiser: e.access.organiser,
        },
        proposals: &shared.proposals,
        polls: &shared.polls,
        materials: &shared.materials,
        recorder,
        retention: app.config.privacy.retention.room,
        glossary: crate::web::glossary::glossary(app, ctx.lang()).await?,
    };
    Ok(view::room_page(ctx, &data))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostForm {
    body: String,
    client_id: String,
    question: Option<String>,
}

pub async fn post_message(
    State(app): State<SharedApp>,
    ctx: Ctx,
    e: Entered,
    Form(f): Form<PostForm>,
) -> AppResult<Response> {
    let posted = if actions::within_limit(&app, e.user.id) {
        actions::post(
            &app,
            &e.room,
            e.access,
            e.user.id,
            &f.client_id,
            &f.body,
            f.question.is_some(),
        )
        .await?
    } else {
        Err(Rejected::RateLimited)
    };
    match posted {
        Ok(m) => Ok(Redirect::to(&format!(
            "/salons/{}/room?room={}#m{}",
            e.salon.id, e.room.id, m.id
        ))
        .into_response()),
        Err(r) => {
            let message = t!(r.message_key(), locale = ctx.lang()).to_string();
            let status = if r == Rejected::RateLimited {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, render(&app, &ctx, &e, Some(message), None).await?).into_response())
        }
    }
}

/// Back to the room after a plain form's action, or why it was rejected.
fn after_action(e: &Entered, done: Result<(), Rejected>) -> AppResult<Response> {
    match done {
        Ok(()) => Ok(
            Redirect::to(&format!("/salons/{}/room?room={}", e.salon.id, e.room.id))
                .into_response(),
        ),
        Err(Rejected::NotOrganiser) => Err(AppError::Forbidden),
        Err(Rejected::RateLimited) => Err(AppError::TooManyRequests),
        Err(r) => Err(AppError::BadRequest(r.message_key())),
    }
}

/// Vote a question up (the plain form of the websocket's `vote`).
pub async fn vote(State(app): State<SharedApp>, m: OnMessage) -> AppResult<Response> {
    let e = &m.entered;
    let done = actions::vote(&app, &e.room, e.access, e.user.id, m.mid).await?;
    after_action(e, done.map(|_| ()))
}

/// Hide a message (organisers).
pub async fn hide(State(app): State<SharedApp>, m: OnMessage) -> AppResult<Response> {
    let e = &m.entered;
    let done = actions::hide(&app, &e.room, e.access, (&*e.user).into(), m.mid).await?;
    after_action(e, done)
}

/// Mark a question answered (organisers).
pub async fn mark_answered(State(app): State<SharedApp>, m: OnMessage) -> AppResult<Response> {
    let e = &m.entered;
    let done = actions::mark_answered(&app, &e.room, e.access, m.mid).await?;
    after_action(e, done)
}

pub async fn mute(
    State(app): State<SharedApp>,
    e: Entered,
    Path(params): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    if !e.access.organiser {
        return Err(AppError::Forbidden);
    }
    let person: PersonId = parse_id(params.get("person").map(String::as_str).unwrap_or(""))?;
    if actions::mute(&app, &e.room, e.access, (&*e.user).into(), person)
        .await?
        .is_err()
    {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/salons/{}/room?room={}", e.salon.id, e.room.id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoomForm {
    name: String,
}

/// Organisers add rooms (breakouts, themes) to a salon.
pub async fn add_room(
    State(app): State<SharedApp>,
    e: Entered,
    Form(f): Form<RoomForm>,
) -> AppResult<Response> {
    if !e.access.organiser {
        return Err(AppError::Forbidden);
    }
    let name = crate::domain::salon::room_name(&f.name)
        .map_err(|_| AppError::BadRequest("room.error.name"))?;
    let room = actions::add_room(&app, e.salon.id, &name).await?;
    Ok(Redirect::to(&format!("/salons/{}/room?room={room}", e.salon.id)).into_response())
}

/// An organiser turns a room message into a theme of the salon's series in one click (the
/// kickoff is where most themes are born): the first line is the title, the message is why it
/// matters, its author proposes and supports it.
pub async fn message_to_theme(State(app): State<SharedApp>, m: OnMessage) -> AppResult<Response> {
    let (app, e, mid) = (&app, &m.entered, m.mid);
    if !e.access.organiser {
        return Err(AppError::Forbidden);
    }
    let series = e
        .salon
        .series_id
        .ok_or(AppError::BadRequest("theme.error.no_series"))?;
    let m = rooms::message(&app.db, e.room.id, mid)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.hidden {
        return Err(AppError::BadRequest("room.error.hidden_message"));
    }
    let first = m.body.lines().next().unwrap_or("");
    let title: String = crate::domain::text::defang(first)
        .chars()
        .take(crate::domain::theme::TITLE_MAX)
        .collect();
    let why: String = m.body.chars().take(crate::domain::theme::WHY_MAX).collect();
    let text = crate::domain::theme::validate(&title, &why)
        .map_err(|_| AppError::BadRequest("theme.error.title_required"))?;
    let proposer = m.author_id.unwrap_or(e.user.id);
    let theme = crate::usecases::themes::propose(app, series, &text, None, proposer).await?;
    Ok(Redirect::to(&format!("/themes/{theme}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgendaForm {
    /// The item's position (from 0), or empty: back to the clock.
    item: String,
}

/// An organiser moves the agenda on (or back to the clock) from the room.
pub async fn move_agenda(
    State(app): State<SharedApp>,
    e: Entered,
    Form(f): Form<AgendaForm>,
) -> AppResult<Response> {
    if !e.access.organiser {
        return Err(AppError::Forbidden);
    }
    let items = crate::store::salons::agenda(&app.db, e.salon.id)
        .await?
        .len() as i64;
    let position = match f.item.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(p) if (0..items).contains(&p) => Some(p),
            _ => return Err(AppError::BadRequest("room.error.agenda_item")),
        },
    };
    actions::move_agenda(&app, e.salon.id, position).await?;
    Ok(Redirect::to(&format!(
        "/salons/{}/room?room={}#room-agenda",
        e.salon.id, e.room.id
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    /// The decision as worded by the recorder (the form offers the message's text).
    body: String,
}

/// An organiser or note-taker records what a room message says as a decision of the salon,
/// worded in the form first, linked to the message; everyone in the salon's rooms sees it arrive.
pub async fn message_to_decision(
    State(app): State<SharedApp>,
    m: OnMessage,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    let (app, e, mid) = (&app, &m.entered, m.mid);
    if !e.access.organiser && !e.access.note_taker {
        return Err(AppError::Forbidden);
    }
    use crate::usecases::outcomes::{FromMessage, decide_from_message};
    match decide_from_message(app, &e.salon, e.room.id, mid, e.user.id, &f.body).await? {
        Ok(id) => Ok(Redirect::to(&format!(
            "/salons/{}/room?room={}#decision-{id}",
            e.salon.id, e.room.id
        ))
        .into_response()),
        Err(FromMessage::NoSuchMessage) => Err(AppError::NotFound),
        Err(FromMessage::Hidden) => Err(AppError::BadRequest("room.error.hidden_message")),
        Err(FromMessage::Wording) => Err(AppError::BadRequest("outcome.error.decision")),
    }
}
