//! Every route on one screen, and the layers around them.
//!
//! | route | who | module |
//! |---|---|---|
//! | `GET /`, `GET /past` | everyone | home |
//! | `GET /salons/{id}`, `GET /series/{id}` | everyone (drafts: organisers) | salon_page |
//! | `POST /salons/{id}/rsvp` | signed in | rsvp |
//! | `POST /salons/{id}/register`, `GET,POST /register/{token}` | everyone (open salons) | rsvp |
//! | `GET /organise`, `GET,POST /salons/new`, `GET,POST /salons/{id}/edit` | organiser | organise |
//! | `POST /salons/{id}/publish`, `/cancel`, `/duplicate` | organiser | organise |
//! | `GET,POST /series/new`, `GET,POST /series/{id}/edit` | organiser | organise |
//! | `GET /salons/{id}/participants`, `GET /salons/{id}/participants.csv` | organiser | participants |
//! | `GET /api/v1/salons`, `GET /api/v1/salons/{id}` | everyone (JSON) | api |
//! | `GET,POST /salons/{id}/invite`, `POST /salons/{id}/notify` | organiser | invite |
//! | `GET,POST /rsvp/{token}` | the invited person (link) | rsvp_link |
//! | `GET /calendar.ics`, `/salons/{id}.ics`, `/series/{id}.ics`, `/feeds/{token}.ics` | everyone / link | feeds |
//! | `GET /me`, `POST /me`, `POST /me/feed` | signed in | me |
//! | `GET,POST /salons/import` | organiser | import |
//! | `GET /salons/{id}/room`, `GET /salons/{id}/room/ws` (websocket) | registered, organisers | room, rooms::ws |
//! | `POST /salons/{id}/room/messages`, `.../messages/{mid}/{vote,hide,answered}`, `.../mute/{person}` | registered / organisers | room |
//! | `GET /salons/{id}/room/transcript.md`, `.html` | organiser | room |
//! | `GET,POST /login`, `GET,POST /login/{token}`, `POST /logout` | everyone | login |
//! | `POST /lang` | everyone | lang |
//! | `GET /admin/outbox` | organiser | admin |
//! | `GET,POST /admin/people` | admin | admin |
//! | `GET /healthz`, `GET /metrics` | everyone | health |
//! | `GET /static/{file}` | everyone | assets |

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::get;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::{
    admin, api, assets, context, feeds, health, home, import, invite, lang, login, me, metrics, organise, participants, rsvp,
    room, rsvp_link, salon_page, security, transcript,
};
use crate::app::SharedApp;
use crate::error::AppError;

/// Request bodies beyond this are refused with 413 (forms are small; .ics import will raise
/// it on its own route).
const BODY_LIMIT: usize = 64 * 1024;

pub fn router(app: SharedApp) -> Router {
    // Pages: they get the page context (user, language, CSRF) and friendly error pages.
    let pages = Router::new()
        .merge(home::router())
        .merge(login::router())
        .merge(lang::router())
        .merge(admin::router())
        .merge(salon_page::router())
        .merge(organise::router())
        .merge(rsvp::router())
        .merge(participants::router())
        .merge(api::router())
        .merge(invite::router())
        .merge(rsvp_link::router())
        .merge(feeds::router())
        .merge(me::router())
        .merge(import::router())
        .merge(room::router())
        .merge(transcript::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(app.clone(), context::layer));

    Router::new()
        .merge(health::router())
        .route("/static/{file}", get(assets::serve))
        .merge(pages)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(metrics::track))
        .layer(
            // Spans name the route pattern, never the raw path: paths can hold secret tokens.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str()).unwrap_or("unmatched");
                    tracing::info_span!("request", method = %req.method(), route)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(app)
}
