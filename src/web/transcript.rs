//! Room transcripts for the minutes (organisers only): Markdown to download, HTML to read.
//! Everything said, with authors, organisations and times, and the questions with their votes.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::html;
use rust_i18n::t;

use super::context::Ctx;
use super::room::{RoomQuery, enter};
use super::timefmt;
use super::views::page;
use crate::app::SharedApp;
use crate::error::AppError;
use crate::store::rooms::{self, Message, Room};
use crate::store::salons::Salon;

pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/salons/{id}/room/transcript.md", get(transcript_md))
        .route("/salons/{id}/room/transcript.html", get(transcript_html))
}

/// Organisers only: everything said, with questions and votes, for the minutes.
async fn transcript(app: &SharedApp, ctx: &Ctx, id: &str, room: Option<i64>) -> Result<(Salon, Room, Vec<Message>, Vec<Message>), Response> {
    let (salon, room, access) = enter(app, ctx, id, room).await?;
    if !access.organiser {
        return Err(AppError::Forbidden.into_response());
    }
    let messages = rooms::history(&app.db, room.id, Some(0), 100_000, false).await.map_err(|e| AppError::from(e).into_response())?;
    let questions = rooms::questions(&app.db, room.id, false).await.map_err(|e| AppError::from(e).into_response())?;
    Ok((salon, room, messages, questions))
}

async fn transcript_md(State(app): State<SharedApp>, ctx: Ctx, Path(id): Path<String>, Query(q): Query<RoomQuery>) -> Response {
    let (salon, room, messages, questions) = match transcript(&app, &ctx, &id, q.room).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let l = ctx.lang();
    let tz = salon.tz();
    let mut md = format!("# {}\n\n", salon.title);
    md.push_str(&format!("{}\n\n", timefmt::date(&salon.starts_at.with_timezone(&tz), l)));
    md.push_str(&format!("## {}\n\n", t!("room.messages", locale = l)));
    for m in &messages {
        let who = m.author_name.as_deref().unwrap_or("–");
        let org = m.author_org.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        let at = timefmt::clock(&m.created_at.with_timezone(&tz), l);
        let q = if m.is_question { format!(" [{}]", t!("room.question", locale = l)) } else { String::new() };
        md.push_str(&format!("- **{who}**{org}, {at}{q}: {}\n", m.body.replace('\n', " ")));
    }
    md.push_str(&format!("\n## {}\n\n", t!("room.questions", locale = l)));
    for q in &questions {
        let state = if q.answered { format!(" – {}", t!("room.answered", locale = l)) } else { String::new() };
        md.push_str(&format!("1. {} ({}){state}\n", q.body.replace('\n', " "), t!("room.votes", locale = l, n = q.votes)));
    }
    let name = format!("transcript-salon-{}-room-{}.md", salon.id, room.id);
    (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        md,
    )
        .into_response()
}

async fn transcript_html(State(app): State<SharedApp>, ctx: Ctx, Path(id): Path<String>, Query(q): Query<RoomQuery>) -> Response {
    let (salon, _room, messages, questions) = match transcript(&app, &ctx, &id, q.room).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let l = ctx.lang();
    let tz = salon.tz();
    page(
        &ctx,
        &salon.title,
        html! {
            h1 { (salon.title) }
            p { (timefmt::date(&salon.starts_at.with_timezone(&tz), l)) }
            h2 { (t!("room.messages", locale = l)) }
            ol class="transcript" {
                @for m in &messages {
                    li {
                        strong { (m.author_name.as_deref().unwrap_or("–")) }
                        @if let Some(o) = &m.author_org { " (" (o) ")" }
                        ", " time datetime=(m.created_at.to_rfc3339()) { (timefmt::clock(&m.created_at.with_timezone(&tz), l)) }
                        @if m.is_question { " [" (t!("room.question", locale = l)) "]" }
                        ": " (m.body)
                    }
                }
            }
            h2 { (t!("room.questions", locale = l)) }
            ol {
                @for q in &questions {
                    li { (q.body) " (" (t!("room.votes", locale = l, n = q.votes)) ")" @if q.answered { " – " (t!("room.answered", locale = l)) } }
                }
            }
        },
    )
    .into_response()
}
