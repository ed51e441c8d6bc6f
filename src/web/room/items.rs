//! A room message and a question, rendered in one place for the server and for room.js.
//!
//! The page renders each stored message with [`message_item`], and once more as a `<template>`
//! ([`Item::Template`]) holding every part a message can have for this viewer: the optional
//! parts carry `data-part` (org, question, hidden, tools, mute) and the message's id and author
//! stand as `{id}` and `{author}` in the forms' addresses. room.js clones the template for a
//! message that arrives live, fills in the values and removes the parts the message has not, so
//! a live message has the same markup and the same controls as the one a reload shows (a browser
//! test compares the two for every role). The same holds for a question in the Q&A list.

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::glossary::Marker;
use crate::i18n::timefmt;
use crate::rooms::access::{Access, Phase};
use crate::store::rooms::{Message, Room};
use crate::store::salons::Salon;
use crate::web::context::Ctx;
use crate::web::views::csrf_field;

/// What an item is rendered from.
#[derive(Clone, Copy)]
pub enum Item<'a> {
    /// A stored message: its parts as they are.
    Stored(&'a Message),
    /// The template room.js fills in: every part, placeholders for the values.
    Template,
}

impl<'a> Item<'a> {
    fn message(self) -> Option<&'a Message> {
        match self {
            Item::Stored(m) => Some(m),
            Item::Template => None,
        }
    }

    /// Whether a part is shown: always in the template (room.js removes it), else by `has`.
    fn shows(self, has: impl FnOnce(&Message) -> bool) -> bool {
        self.message().is_none_or(has)
    }

    fn id(self) -> String {
        self.message()
            .map_or_else(|| "{id}".to_string(), |m| m.id.to_string())
    }
}

/// What the viewer may do to a message.
#[derive(Clone, Copy)]
pub struct Controls {
    pub access: Access,
    /// An organiser or a note-taker of the salon: may record a decision.
    pub recorder: bool,
}

/// `marker` marks the page's first occurrence of each known abbreviation in the body (room.js
/// marks a live message by the same rule, from the page's `data-glossary`).
pub fn message_item(
    ctx: &Ctx,
    salon: &Salon,
    room: &Room,
    item: Item<'_>,
    c: Controls,
    marker: Option<&Marker>,
) -> Markup {
    let l = ctx.lang();
    let m = item.message();
    let id = item.id();
    let hidden = m.is_some_and(|m| m.hidden);
    let former = || t!("people.former", locale = l).to_string();
    html! {
        li id=(format!("m{id}")) data-id=(id) data-client-id=(m.map_or("", |m| m.client_id.as_str()))
            class=(if hidden { "message hidden" } else { "message" }) {
            p class="meta" {
                strong { (m.map_or_else(String::new, |m| m.author_name.clone().unwrap_or_else(former))) }
                @if item.shows(|m| m.author_org.is_some()) {
                    span class="muted" data-part="org" { " · " (m.and_then(|m| m.author_org.as_deref()).unwrap_or("")) }
                }
                " · "
                time datetime=(m.map_or_else(String::new, |m| m.created_at.to_rfc3339())) {
                    (m.map_or_else(String::new, |m| timefmt::clock(&m.created_at.with_timezone(&salon.tz()), l)))
                }
                @if item.shows(|m| m.is_question) {
                    span data-part="question" { " · " span class="badge" { (t!("room.question", locale = l)) } }
                }
                @if item.shows(|m| m.hidden) {
                    span data-part="hidden" { " · " span class="badge badge-cancelled" { (t!("room.hidden", locale = l)) } }
                }
            }
            p class="body" {
                @if let Some(m) = m {
                    @for (i, line) in m.body.lines().enumerate() { @if i > 0 { br; } (linkified(line, marker)) }
                }
            }
            @if !hidden && (c.access.organiser || c.recorder) {
                (tools(ctx, salon, room, item, c))
            }
        }
    }
}

/// The controls under a message: organisers hide, make a theme, record a decision and mute;
/// note-takers record a decision. Recording opens a form to word the decision first.
fn tools(ctx: &Ctx, salon: &Salon, room: &Room, item: Item<'_>, c: Controls) -> Markup {
    let l = ctx.lang();
    let id = item.id();
    let base = format!("/salons/{}/room/messages/{id}", salon.id);
    let author = item.message().map(|m| m.author_id);
    let button = |key: &str| html! { button type="submit" class="link" { (t!(key, locale = l)) } };
    html! {
        div class="message-tools" data-part="tools" {
            @if c.access.organiser {
                form method="post" action=(format!("{base}/hide?room={}", room.id)) class="inline" data-live {
                    (csrf_field(ctx)) (button("room.hide"))
                }
                @if salon.series_id.is_some() {
                    form method="post" action=(format!("{base}/theme?room={}", room.id)) class="inline" data-live {
                        (csrf_field(ctx)) (button("room.make_theme"))
                    }
                }
            }
            details class="record-decision" {
                summary { (t!("room.make_decision", locale = l)) }
                form method="post" action=(format!("{base}/decision?room={}", room.id)) class="stacked" data-live {
                    (csrf_field(ctx))
                    label for=(format!("record-{id}")) { (t!("room.decision_wording", locale = l)) }
                    textarea id=(format!("record-{id}")) name="body" rows="3" maxlength=(crate::domain::outcome::DECISION_MAX) required {
                        (item.message().map_or("", |m| m.body.as_str()))
                    }
                    button type="submit" { (t!("room.record_decision", locale = l)) }
                }
            }
            @if c.access.organiser && author.is_none_or(|a| a.is_some()) {
                @let who = author.flatten().map_or_else(|| "{author}".to_string(), |a| a.to_string());
                form method="post" action=(format!("/salons/{}/room/mute/{who}?room={}", salon.id, room.id)) class="inline" data-part="mute" data-live data-done=(t!("room.muted_done", locale = l)) {
                    (csrf_field(ctx)) (button("room.mute"))
                }
            }
        }
    }
}

/// A question in the Q&A list: its votes, its text, answered or not; a vote button while the
/// room is open, and for organisers "mark answered".
pub fn question_item(
    ctx: &Ctx,
    salon: &Salon,
    room: &Room,
    item: Item<'_>,
    access: Access,
) -> Markup {
    let l = ctx.lang();
    let m = item.message();
    let id = item.id();
    let answered = m.is_some_and(|m| m.answered);
    let votes = m.map_or(0, |m| m.votes);
    let base = format!("/salons/{}/room/messages/{id}", salon.id);
    html! {
        li data-id=(id) class=(if answered { "question answered" } else { "question" }) {
            span class="votes" data-votes=(votes) { (crate::i18n::plural("room.votes", votes, l)) } " "
            span class="q-body" { (m.map_or("", |m| m.body.as_str())) }
            @if item.shows(|m| m.answered) {
                span data-part="answered" { " " span class="badge" { (t!("room.answered", locale = l)) } }
            }
            @if access.phase == Phase::Open {
                form method="post" action=(format!("{base}/vote?room={}", room.id)) class="inline vote" {
                    (csrf_field(ctx))
                    button type="submit" class="link" { (t!("room.vote", locale = l)) }
                }
            }
            @if access.organiser && !answered {
                form method="post" action=(format!("{base}/answered?room={}", room.id)) class="inline" data-part="answer" data-live {
                    (csrf_field(ctx))
                    button type="submit" class="link" { (t!("room.mark_answered", locale = l)) }
                }
            }
        }
    }
}

/// Message text with web addresses made into links; everything else stays text (escaped).
/// room.js links the same words the same way.
fn linkified(body: &str, marker: Option<&Marker>) -> Markup {
    html! {
        @for (i, word) in body.split(' ').enumerate() {
            @if i > 0 { " " }
            @let trimmed = word.trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
            @if (trimmed.starts_with("https://") || trimmed.starts_with("http://")) && url::Url::parse(trimmed).is_ok() {
                a href=(trimmed) rel="nofollow noopener noreferrer ugc" { (trimmed) } (&word[trimmed.len()..])
            } @else if let Some(m) = marker {
                (crate::web::glossary::marked(m, word))
            } @else {
                (word)
            }
        }
    }
}
