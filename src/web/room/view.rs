//! The room page's markup: the history rendered on the server (works without JavaScript, with
//! plain forms to post, vote and moderate), made live by static/room.js over the websocket.

use maud::{Markup, html};
use rust_i18n::t;

use super::items::{Controls, Item, message_item, question_item};
use crate::rooms::access::{Access, Phase};
use crate::store::rooms::{Message, Room};
use crate::store::salons::Salon;
use crate::usecases::room as actions;
use crate::web::context::Ctx;
use crate::web::views::{csrf_field, page};

/// What the room page shows, read before rendering.
pub struct RoomData<'a> {
    pub salon: &'a Salon,
    pub room: &'a Room,
    pub access: Access,
    pub all_rooms: &'a [Room],
    pub history: &'a [Message],
    pub questions: &'a [Message],
    pub muted: bool,
    pub error: Option<String>,
    /// The salon's agenda (the current item is marked: as the organiser moved it, or by the clock).
    pub agenda: &'a [crate::domain::salon::AgendaItem],
    /// The item the organiser moved the salon to (None: the clock decides).
    pub agenda_moved: Option<i64>,
    /// Rounds, themes, decisions and actions.
    pub strategy: super::panel::StrategyData<'a>,
    /// The proposals put to the salon, with their stances.
    pub proposals: &'a [(
        crate::store::proposals::Proposal,
        Vec<crate::store::proposals::Stance>,
    )],
    /// The polls put to the salon, with their options and answers.
    pub polls: &'a [crate::store::page_data::RoomPoll],
    /// The salon's materials.
    pub materials: &'a [crate::store::materials::Material],
    /// The viewer may record decisions (an organiser or a note-taker of the salon).
    pub recorder: bool,
    /// How long after the salon its messages are kept (`SALON_RETENTION_ROOM_DAYS`).
    pub retention: chrono::Duration,
    /// The known abbreviations in the reader's language (marked in the messages).
    pub glossary: std::sync::Arc<crate::domain::glossary::Glossary>,
}

fn room_name(r: &Room, l: &str) -> String {
    if r.name.is_empty() {
        t!("room.main", locale = l).to_string()
    } else {
        r.name.clone()
    }
}

pub fn room_page(ctx: &Ctx, d: &RoomData<'_>) -> Markup {
    let l = ctx.lang();
    let (salon, room, access) = (d.salon, d.room, d.access);
    let all_rooms = d.all_rooms;
    let error = &d.error;
    let title = format!("{} – {}", room_name(room, l), salon.title);
    page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (room_name(room, l)) }
            // Everyone in the room may join the salon's video meeting: one click from here.
            @if let Some(link) = crate::calendar::event::meeting_of(salon).filter(|_| access.phase != Phase::Archived) {
                p class="video-link" { a class="button" href=(link) rel="noopener noreferrer" { (t!("room.join_video", locale = l)) } }
            }
            // Always there (hidden while the salon has one room), so room.js can show a
            // breakout room that is added while people are in the room.
            nav id="room-nav" aria-label=(t!("room.rooms", locale = l)) hidden[all_rooms.len() < 2]
                data-salon=(salon.id) data-room=(room.id) data-label-main=(t!("room.main", locale = l)) {
                ul class="actions" {
                    @for r in all_rooms {
                        li { a href=(format!("/salons/{}/room?room={}", salon.id, r.id)) aria-current=[(r.id == room.id).then_some("page")] { (room_name(r, l)) } }
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
            p class="muted room-retention" {
                @if salon.standing { (crate::i18n::plural("room.retention_standing", d.retention.num_days(), l)) }
                @else { (t!("room.retention", locale = l, date = crate::i18n::timefmt::date(&(salon.ends_at + d.retention).with_timezone(&salon.tz()), l), days = d.retention.num_days())) }
                @if access.organiser { " " (t!("room.retention_organiser", locale = l)) }
            }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            (live_room(ctx, d))
            script src=(crate::web::assets::ROOM_JS_URL.as_str()) defer {}
        },
    )
}

/// The part room.js makes live: presence, the message log, the form, the questions.
fn live_room(ctx: &Ctx, d: &RoomData<'_>) -> Markup {
    let l = ctx.lang();
    let (salon, room, access) = (d.salon, d.room, d.access);
    let (history, muted) = (d.history, d.muted);
    let last = history.last().map(|m| m.id).unwrap_or_default();
    let controls = Controls {
        access,
        recorder: d.recorder,
    };
    let marker = crate::domain::glossary::Marker::new(d.glossary.clone());
    html! {
            // What room.js clones for what arrives live (`items`): one rendering for both.
            template id="message-template" { (message_item(ctx, salon, room, Item::Template, controls, None)) }
            template id="question-template" { (question_item(ctx, salon, room, Item::Template, access)) }
            div class="room"
                data-room-ws=(format!("/salons/{}/room/ws?room={}", salon.id, room.id))
                data-last=(last) data-organiser=(access.organiser) data-tz=(salon.tz().name()) data-former=(t!("people.former", locale = l)) data-clock=(t!("time.clock", locale = l))
                data-csrf=(ctx.csrf)
                data-glossary=(crate::web::glossary::terms_json(&d.glossary))
                data-label-sending=(t!("room.sending", locale = l))
                data-label-sent=(t!("room.sent", locale = l))
                data-label-failed=(t!("room.failed", locale = l))
                data-label-retry=(t!("room.retry", locale = l))
                data-label-online=(t!("room.online", locale = l))
                data-label-offline=(t!("room.offline", locale = l))
                data-label-hidden=(t!("room.hidden", locale = l))
                data-label-more-one=(crate::i18n::plural_forms("room.more_online", l).0)
                data-label-more-other=(crate::i18n::plural_forms("room.more_online", l).1)
                data-label-question=(t!("room.question", locale = l))
                data-label-new-room=(t!("room.new_room", locale = l))
                data-label-go-to-room=(t!("room.go_to_room", locale = l))
                data-label-now=(t!("room.now", locale = l)) {
                // On a phone, one tap to each part of the room (plain links: no script needed).
                nav class="room-tabs" aria-label=(t!("room.parts", locale = l)) {
                    ul {
                        li { a href="#messages-title" { (t!("room.messages", locale = l)) } }
                        li { a href="#rounds-title" { (t!("round.title", locale = l)) } }
                        li { a href="#questions-title" { (t!("room.questions_short", locale = l)) } }
                        li { a href="#online-title" { (t!("room.here", locale = l)) } }
                    }
                }
                div class="room-main" {
                section aria-labelledby="messages-title" {
                    h2 id="messages-title" { (t!("room.messages", locale = l)) }
                    // The log role is on a wrapper: on the list itself it would take away the
                    // list's meaning, and its items would be list items outside a list.
                    // Its own scroll pane on a laptop, so it takes the keyboard focus too.
                    div id="message-log" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="messages-title" tabindex="0" {
                        ol id="messages" class="messages" {
                            @for m in history { (message_item(ctx, salon, room, Item::Stored(m), controls, Some(&marker))) }
                        }
                    }
                    @if history.is_empty() { p id="no-messages" class="muted" { (t!("room.empty", locale = l)) } }
                    // What matters beyond a message (a round opened or closed, a new room) is
                    // said here once, politely, for screen readers and as a banner.
                    div id="room-news" class="room-news" role="status" aria-live="polite" {}
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
                }
                // Beside the conversation on a laptop, below it on a phone: who is here, the
                // agenda with its current item, open priority rounds, the questions.
                // "Now" first: the agenda's current item, the open round, the questions, then
                // who is here and the series' work.
                aside class="room-side" aria-label=(t!("room.side", locale = l)) {
                    (agenda(ctx, d))
                    (super::panel::rounds(ctx, salon, room.id, &d.strategy))
                    (super::proposals::proposals(ctx, room.id, d.proposals))
                    (super::polls::polls(ctx, room.id, d.polls))
                    (crate::web::materials::panel(ctx, salon, d.materials))
                    (questions(ctx, d))
                    section aria-labelledby="online-title" class="presence" {
                        h2 id="online-title" { (t!("room.here", locale = l)) }
                        p id="connection" class="muted" role="status" {}
                        ul id="online" aria-label=(t!("room.online", locale = l)) {}
                    }
                    (super::panel::work(ctx, salon, &d.strategy))
                }
                @if access.organiser { (organiser_tools(ctx, salon, room)) }
            }
    }
}

/// The agenda, the item under way marked (as the organiser moved it, else by the clock in the
/// salon's zone while it runs); organisers move it on from here, live for everyone.
fn agenda(ctx: &Ctx, d: &RoomData<'_>) -> Markup {
    let l = ctx.lang();
    let s = d.salon;
    let current = crate::domain::agenda::current_item(
        d.agenda,
        d.agenda_moved,
        s.starts_at,
        s.ends_at,
        s.tz(),
        crate::domain::time::now(),
    );
    let next = current.map_or(0, |c| c + 1);
    let action = format!("/salons/{}/room/agenda?room={}", s.id, d.room.id);
    html! {
        @if !d.agenda.is_empty() {
            section aria-labelledby="room-agenda" class="room-agenda" {
                h2 id="room-agenda" { (t!("salon.agenda", locale = l)) }
                ol id="room-agenda-list" {
                    @for (i, item) in d.agenda.iter().enumerate() {
                        li class=(if Some(i) == current { "current" } else { "" }) aria-current=[(Some(i) == current).then_some("true")] {
                            @if let Some(tm) = &item.start_time { span class="agenda-time" { (crate::i18n::timefmt::hhmm(tm, l)) } " " }
                            (item.title)
                            @if Some(i) == current { " " span class="badge" { (t!("room.now", locale = l)) } }
                        }
                    }
                }
                @if d.access.organiser && d.access.phase == Phase::Open {
                    div class="agenda-controls" {
                        form method="post" action=(action) class="inline" data-live {
                            (csrf_field(ctx))
                            input type="hidden" name="item" value=(next);
                            button type="submit" class="secondary" disabled[next >= d.agenda.len()] { (t!("room.agenda_next", locale = l)) }
                        }
                        form method="post" action=(action) class="inline" data-live {
                            (csrf_field(ctx))
                            input type="hidden" name="item" value="";
                            button type="submit" class="link" { (t!("room.agenda_clock", locale = l)) }
                        }
                    }
                }
            }
        }
    }
}

fn questions(ctx: &Ctx, d: &RoomData<'_>) -> Markup {
    let l = ctx.lang();
    let (one, other) = crate::i18n::plural_forms("room.votes", l);
    html! {
        section aria-labelledby="questions-title" {
            h2 id="questions-title" { (t!("room.questions", locale = l)) }
            @if d.questions.is_empty() { p id="no-questions" class="muted" { (t!("room.no_questions", locale = l)) } }
            ol id="questions" class="questions" data-label-votes-one=(one) data-label-votes-other=(other) {
                @for q in d.questions { (question_item(ctx, d.salon, d.room, Item::Stored(q), d.access)) }
            }
        }
    }
}

fn organiser_tools(ctx: &Ctx, salon: &Salon, room: &Room) -> Markup {
    let l = ctx.lang();
    html! {
                    form method="post" action=(format!("/salons/{}/rooms", salon.id)) class="stacked" data-live {
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
