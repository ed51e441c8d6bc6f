//! The proposals put to the salon, in the room's panel: each with its state, how many took a
//! stance, the tally and who stands where (once the results may be shown), the stance form
//! while it is open (a plain form that returns to the room; posted in the background with
//! JavaScript) and the outcome once it is closed. room.js keeps it live from the `proposal`
//! frames and builds the results with the same markup and the texts in `data-label-*`.

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::proposal::{self, Choice, State};
use crate::domain::time::now;
use crate::i18n::{plural, plural_forms};
use crate::ids::RoomId;
use crate::rooms::notices::ROOM_STANCES;
use crate::store::proposals::{Proposal, Stance};
use crate::web::context::Ctx;
use crate::web::views::csrf_field;

pub fn proposals(ctx: &Ctx, room: RoomId, list: &[(Proposal, Vec<Stance>)]) -> Markup {
    let l = ctx.lang();
    let label = |key: &str| t!(key, locale = l).to_string();
    html! {
        section id="room-proposals" aria-labelledby="room-proposals-title"
            hidden[list.is_empty()] data-room=(room) data-csrf=(ctx.csrf)
            data-label-legend=(label("proposal.take_stance"))
            data-label-reason=(label("proposal.field.reason"))
            data-label-hint=(label("proposal.hint.reason"))
            data-label-submit=(label("proposal.stance_submit"))
            data-label-saved=(label("room.stance_saved"))
            data-label-take=(label("proposal.take_stance"))
            data-label-stances-one=(plural_forms("proposal.stances", l).0)
            data-label-stances-other=(plural_forms("proposal.stances", l).1)
            data-label-hidden=(label("proposal.results_hidden"))
            data-label-new=(t!("room.proposal_put", locale = l, title = "{title}"))
            data-label-closed-news=(t!("room.proposal_closed", locale = l, title = "{title}"))
            data-label-state-open=(label("proposal.state.open"))
            data-label-state-awaiting_outcome=(label("proposal.state.awaiting_outcome"))
            data-label-state-closed=(label("proposal.state.closed"))
            data-label-choice-agree=(label("proposal.choice.agree"))
            data-label-choice-abstain=(label("proposal.choice.abstain"))
            data-label-choice-disagree=(label("proposal.choice.disagree"))
            data-label-choice-block=(label("proposal.choice.block"))
            data-label-caption=(label("proposal.results"))
            data-label-outcome=(label("proposal.outcome"))
            data-label-more-one=(plural_forms("room.earlier_stances", l).0)
            data-label-more-other=(plural_forms("room.earlier_stances", l).1) {
            h2 id="room-proposals-title" { (label("proposal.title")) }
            @for (p, stances) in list { (one(ctx, room, p, stances)) }
        }
    }
}

fn one(ctx: &Ctx, room: RoomId, p: &Proposal, stances: &[Stance]) -> Markup {
    let l = ctx.lang();
    let at = now();
    let state = p.state(at);
    let mine = stances
        .iter()
        .find(|s| ctx.user.as_ref().is_some_and(|u| u.id == s.person_id));
    html! {
        article id=(format!("proposal-{}", p.id)) class="proposal" data-proposal=(p.id) data-state=(state.as_str()) aria-labelledby=(format!("proposal-{}-title", p.id)) {
            h3 id=(format!("proposal-{}-title", p.id)) {
                a href=(format!("/proposals/{}", p.id)) { (p.title) } " "
                span class="badge state" { (t!(format!("proposal.state.{}", state.as_str()), locale = l)) }
            }
            p class="count muted" { (plural("proposal.stances", p.stances, l)) }
            div class="proposal-results" {
                @if p.results_shown(at) { (results(l, p, stances)) }
                @else { p class="muted" { (t!("proposal.results_hidden", locale = l)) } }
            }
            @if state == State::Open { (stance_form(ctx, room, p, mine)) }
            div class="proposal-outcome" {
                @if state == State::Closed {
                    h4 { (t!("proposal.outcome", locale = l)) }
                    p { (p.outcome) }
                }
            }
        }
    }
}

/// The tally by choice and who stands where (the latest [`ROOM_STANCES`], the rest a link
/// away); room.js builds the same from a frame.
fn results(l: &str, p: &Proposal, stances: &[Stance]) -> Markup {
    let left_out = stances.len().saturating_sub(ROOM_STANCES);
    let tally = proposal::tally(stances.iter().map(|s| (s.choice(), None)));
    let label = |c: Choice| t!(format!("proposal.choice.{}", c.as_str()), locale = l).to_string();
    html! {
        table class="results" {
            caption { (t!("proposal.results", locale = l)) }
            tbody {
                @for c in Choice::ALL {
                    tr { th scope="row" { (label(c)) } td data-choice=(c.as_str()) { (tally.all.get(c)) } }
                }
            }
        }
        ul class="stances" {
            @for s in &stances[left_out..] {
                li data-choice=(s.choice().as_str()) {
                    strong { (s.name) }
                    @if let Some(o) = &s.organisation { " (" (o) ")" }
                    ": " span class="badge" { (label(s.choice())) }
                    @if !s.reason.is_empty() { " " span class="reason" { (s.reason) } }
                }
            }
        }
        @if left_out > 0 {
            p class="more" { a href=(format!("/proposals/{}", p.id)) { (plural("room.earlier_stances", left_out as i64, l)) } }
        }
    }
}

fn stance_form(ctx: &Ctx, room: RoomId, p: &Proposal, mine: Option<&Stance>) -> Markup {
    let l = ctx.lang();
    let id = p.id;
    html! {
        form class="stacked stance" method="post" action=(format!("/proposals/{id}/stance")) data-live data-done=(t!("room.stance_saved", locale = l)) {
            (csrf_field(ctx))
            input type="hidden" name="room" value=(room);
            fieldset {
                legend { (t!(if mine.is_some() { "proposal.change_stance" } else { "proposal.take_stance" }, locale = l)) }
                @for c in Choice::ALL {
                    div class="choice" {
                        input type="radio" name="choice" id=(format!("p{id}-choice-{}", c.as_str())) value=(c.as_str()) checked[mine.is_some_and(|m| m.choice() == c)] required;
                        label for=(format!("p{id}-choice-{}", c.as_str())) { (t!(format!("proposal.choice.{}", c.as_str()), locale = l)) }
                    }
                }
            }
            div class="field" {
                label for=(format!("p{id}-reason")) { (t!("proposal.field.reason", locale = l)) }
                p class="hint" id=(format!("p{id}-reason-hint")) { (t!("proposal.hint.reason", locale = l)) }
                textarea id=(format!("p{id}-reason")) name="reason" rows="2" maxlength=(proposal::REASON_MAX) aria-describedby=(format!("p{id}-reason-hint")) { (mine.map(|m| m.reason.as_str()).unwrap_or("")) }
            }
            div { button type="submit" { (t!("proposal.stance_submit", locale = l)) } }
        }
    }
}
