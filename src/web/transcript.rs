//! Room transcripts for the minutes (organisers only): Markdown to download, HTML to read.
//! Everything said, with authors, organisations and times, and the questions with their votes.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::html;
use rust_i18n::t;

use super::context::Ctx;
use super::markdown;
use super::room::Entered;
use super::views::page;
use crate::app::SharedApp;
use crate::error::AppError;
use crate::i18n::timefmt;
use crate::ids::MessageId;
use crate::store::rooms::{self, Message, Room};
use crate::store::salons::Salon;

/// Organisers only: everything said, with questions and votes, for the minutes.
async fn transcript(
    app: &SharedApp,
    e: Entered,
) -> Result<(Salon, Room, Vec<Message>, Vec<Message>), Response> {
    if !e.access.organiser {
        return Err(AppError::Forbidden.into_response());
    }
    let by = crate::store::audit::Named {
        id: e.user.id,
        name: &e.user.name,
    };
    let event = crate::store::audit::Event {
        actor: by,
        kind: crate::domain::audit::Kind::TranscriptDownloaded,
        subject: None,
        salon: Some(e.salon.id),
        detail: &format!("room {}", e.room.id),
    };
    crate::store::audit::record(&app.db, &event)
        .await
        .map_err(|err| AppError::from(err).into_response())?;
    let messages = rooms::history(&app.db, e.room.id, Some(MessageId(0)), 100_000, false)
        .await
        .map_err(|err| AppError::from(err).into_response())?;
    let questions = rooms::questions(&app.db, e.room.id, false)
        .await
        .map_err(|err| AppError::from(err).into_response())?;
    Ok((e.salon, e.room, messages, questions))
}

pub async fn transcript_md(State(app): State<SharedApp>, ctx: Ctx, e: Entered) -> Response {
    let (salon, room, messages, questions) = match transcript(&app, e).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let l = ctx.lang();
    let tz = salon.tz();
    let mut md = format!("# {}\n\n", markdown::inline(&salon.title));
    md.push_str(&format!(
        "{}\n\n",
        timefmt::date(&salon.starts_at.with_timezone(&tz), l)
    ));
    md.push_str(&format!("## {}\n\n", t!("room.messages", locale = l)));
    for m in &messages {
        let who = m
            .author_name
            .as_deref()
            .map(markdown::inline)
            .unwrap_or_else(|| t!("people.former", locale = l).to_string());
        let org = m
            .author_org
            .as_deref()
            .map(|o| format!(" ({})", markdown::inline(o)))
            .unwrap_or_default();
        let at = timefmt::clock(&m.created_at.with_timezone(&tz), l);
        let q = if m.is_question {
            format!(" [{}]", t!("room.question", locale = l))
        } else {
            String::new()
        };
        md.push_str(&format!(
            "- **{who}**{org}, {at}{q}: {}\n",
            markdown::inline(&m.body)
        ));
    }
    md.push_str(&format!("\n## {}\n\n", t!("room.questions", locale = l)));
    for q in &questions {
        let state = if q.answered {
            format!(" – {}", t!("room.answered", locale = l))
        } else {
            String::new()
        };
        md.push_str(&format!(
            "1. {} ({}){state}\n",
            markdown::inline(&q.body),
            crate::i18n::plural("room.votes", q.votes, l)
        ));
    }
    let name = format!("transcript-salon-{}-room-{}.md", salon.id, room.id);
    (
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        md,
    )
        .into_response()
}

pub async fn transcript_html(State(app): State<SharedApp>, ctx: Ctx, e: Entered) -> Response {
    let (salon, _room, messages, questions) = match transcript(&app, e).await {
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
                        strong { (m.author_name.clone().unwrap_or_else(|| t!("people.former", locale = l).to_string())) }
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
                    li { (q.body) " (" (crate::i18n::plural("room.votes", q.votes, l)) ")" @if q.answered { " – " (t!("room.answered", locale = l)) } }
                }
            }
        },
    )
    .into_response()
}
