//! The room panel's strategy work: the salon's priority rounds (the ballot while a round is
//! open, the results once they may be shown), the series' themes, and the salon's decisions and
//! actions. Rendered here so it works without JavaScript (the ballot is a plain form posting to
//! the round's ballot URL, which returns to the room); room.js keeps it live from the
//! `rooms::notices` frames and builds what it adds with the same markup and the texts in the
//! `data-label-*` attributes.

use std::collections::HashMap;

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::round::State as RoundState;
use crate::ids::{OptionId, RoundId};
use crate::store::outcomes::{Action, Decision};
use crate::store::rounds::{Round, RoundOption};
use crate::store::themes::Theme;
use crate::web::context::Ctx;
use crate::web::views::csrf_field;

/// How many of the series' themes the panel lists (most supported first).
pub const THEMES_SHOWN: usize = 10;

/// A round as the panel shows it.
pub struct PanelRound<'a> {
    pub round: &'a Round,
    pub options: &'a [RoundOption],
    /// The viewer's own ballot.
    pub mine: HashMap<OptionId, i64>,
    pub voters: i64,
}

/// What the panel shows, read before rendering.
pub struct StrategyData<'a> {
    pub rounds: Vec<PanelRound<'a>>,
    /// The round a ballot was just cast in with the plain form (its status says so).
    pub cast: Option<RoundId>,
    pub themes: &'a [Theme],
    pub decisions: &'a [Decision],
    pub actions: &'a [Action],
    /// The viewer runs the meeting: draft rounds are listed, with open and close buttons.
    pub organiser: bool,
}

/// The salon's priority rounds: the ballot of an open one, results, and for organisers the
/// buttons that open and close them.
pub fn rounds(
    ctx: &Ctx,
    salon: &crate::store::salons::Salon,
    room: crate::ids::RoomId,
    d: &StrategyData<'_>,
) -> Markup {
    let l = ctx.lang();
    let label = |key: &str| t!(key, locale = l).to_string();
    html! {
        section id="rounds" aria-labelledby="rounds-title" data-salon=(salon.id) data-room=(room) data-csrf=(ctx.csrf)
            data-label-legend=(t!("round.ballot_legend", locale = l, points = "{points}", max = "{max}"))
            data-label-cast=(label("round.cast"))
            data-label-saved=(label("room.ballot_saved"))
            data-label-results=(label("round.results"))
            data-label-option=(label("round.option"))
            data-label-points=(label("round.points"))
            data-label-voters-one=(crate::i18n::plural_forms("round.voters", l).0)
            data-label-voters-other=(crate::i18n::plural_forms("round.voters", l).1)
            data-label-hidden-one=(crate::i18n::plural_forms("round.results_hidden", l).0)
            data-label-hidden-other=(crate::i18n::plural_forms("round.results_hidden", l).1)
            data-label-opened=(t!("room.round_opened", locale = l, question = "{question}"))
            data-label-closed-news=(t!("room.round_closed", locale = l, question = "{question}"))
            data-label-vote-now=(label("room.vote_now"))
            data-label-see-results=(label("room.see_results"))
            data-label-left-one=(crate::i18n::plural_forms("room.points_left", l).0)
            data-label-left-other=(crate::i18n::plural_forms("room.points_left", l).1)
            data-label-over=(t!("room.points_over", locale = l, n = "{n}"))
            data-label-open=(label("round.state.open"))
            data-label-closed=(label("round.state.closed")) {
            h2 id="rounds-title" { (label("round.title")) }
            @if d.rounds.is_empty() { p id="no-rounds" class="muted" { (label("room.no_rounds")) } }
            @for r in &d.rounds { (round(ctx, salon, room, r, d.cast == Some(r.round.id), d.organiser)) }
        }
    }
}

/// The series' themes and the salon's decisions and actions.
pub fn work(ctx: &Ctx, salon: &crate::store::salons::Salon, d: &StrategyData<'_>) -> Markup {
    let l = ctx.lang();
    let label = |key: &str| t!(key, locale = l).to_string();
    html! {
        @if let Some(series) = salon.series_id {
            section id="room-themes" aria-labelledby="room-themes-title" data-series=(series)
                data-label-supporters-one=(crate::i18n::plural_forms("theme.supporters", l).0)
                data-label-supporters-other=(crate::i18n::plural_forms("theme.supporters", l).1)
                data-label-state-proposed=(label("theme.state.proposed"))
                data-label-state-scheduled=(label("theme.state.scheduled"))
                data-label-state-discussed=(label("theme.state.discussed"))
                data-label-state-concluded=(label("theme.state.concluded")) {
                h2 id="room-themes-title" { (label("theme.title")) }
                ol id="theme-list" {
                    @for th in d.themes.iter().take(THEMES_SHOWN) {
                        li id=(format!("theme-{}", th.id)) {
                            a href=(format!("/themes/{}", th.id)) { (th.title) } " · "
                            span class="support" { (crate::i18n::plural("theme.supporters", th.support, l)) } " · "
                            span class="state" { (t!(format!("theme.state.{}", th.state().as_str()), locale = l)) }
                        }
                    }
                }
                p { a href=(format!("/series/{series}/themes")) { (label("room.all_themes")) } }
            }
        }
        section id="room-outcomes" aria-labelledby="room-outcomes-title"
            data-day=(t!("time.day", locale = l))
            data-months=((1..=12).map(|m| t!(format!("time.month.{m}"), locale = l).to_string()).collect::<Vec<_>>().join(","))
            data-label-status-open=(label("outcome.status.open"))
            data-label-status-done=(label("outcome.status.done"))
            data-label-due=(t!("outcome.due", locale = l, date = "{date}")) {
            h2 id="room-outcomes-title" { (label("room.outcomes")) }
            h3 { (label("outcome.decisions")) }
            ol id="decision-list" { @for dec in d.decisions { li id=(format!("decision-{}", dec.id)) { (dec.body) } } }
            h3 { (label("outcome.actions")) }
            ul id="action-list" { @for a in d.actions { li id=(format!("action-{}", a.id)) { (action(l, a)) } } }
            p { a href=(format!("/salons/{}/outcomes", salon.id)) { (label("room.all_outcomes")) } }
        }
    }
}

/// One action, as room.js writes it too: status, what, who, due.
fn action(l: &str, a: &Action) -> Markup {
    let who = a.who();
    html! {
        span class="badge" { (t!(format!("outcome.status.{}", a.status().as_str()), locale = l)) } " "
        span class="what" { (a.what) }
        @if !who.is_empty() { " – " (who) }
        @if let Some(due) = a.due { " – " (t!("outcome.due", locale = l, date = crate::i18n::timefmt::day(due, l))) }
    }
}

fn round(
    ctx: &Ctx,
    salon: &crate::store::salons::Salon,
    room: crate::ids::RoomId,
    p: &PanelRound<'_>,
    just_cast: bool,
    organiser: bool,
) -> Markup {
    let l = ctx.lang();
    let r = &p.round;
    html! {
        article id=(format!("round-{}", r.id)) class="round" data-round=(r.id) data-state=(r.state().as_str()) aria-labelledby=(format!("round-{}-q", r.id)) {
            h3 id=(format!("round-{}-q", r.id)) {
                a href=(format!("/salons/{}/rounds/{}", salon.id, r.id)) { (r.question) } " "
                span class="badge" { (t!(format!("round.state.{}", r.state().as_str()), locale = l)) }
            }
            @if organiser { (run_round(ctx, salon, room, r)) }
            @if r.state() == RoundState::Open {
                form class="ballot" method="post" action=(format!("/salons/{}/rounds/{}/ballot", salon.id, r.id)) {
                    (csrf_field(ctx))
                    input type="hidden" name="room" value=(room);
                    fieldset {
                        legend { (t!("round.ballot_legend", locale = l, points = r.points_per_person, max = r.max_per_option)) }
                        @for o in p.options {
                            div class="field field-inline" {
                                label for=(format!("r{}-o{}", r.id, o.id)) { (o.label) }
                                input type="number" id=(format!("r{}-o{}", r.id, o.id)) name=(format!("option-{}", o.id)) min="0" max=(r.max_per_option)
                                    value=(p.mine.get(&o.id).copied().unwrap_or(0)) data-option=(o.id);
                            }
                        }
                    }
                    // What is left to spread, said again as the numbers change (room.js).
                    @let left = r.points_per_person - p.mine.values().sum::<i64>();
                    p class="points-left" aria-live="polite" data-total=(r.points_per_person) { (points_left(l, left)) }
                    div { button type="submit" { (t!("round.cast", locale = l)) } }
                    p class="ballot-status" role="status" { @if just_cast { (t!("room.ballot_saved", locale = l)) } }
                }
            }
            @if r.results_visible() {
                (results(l, p.options, p.voters))
            } @else {
                p class="voters muted" { (crate::i18n::plural("round.results_hidden", p.voters, l)) }
            }
        }
    }
}

/// "Du har 3 point tilbage", or how many too many.
fn points_left(l: &str, left: i64) -> String {
    if left >= 0 {
        crate::i18n::plural("room.points_left", left, l)
    } else {
        t!("room.points_over", locale = l, n = -left).to_string()
    }
}

/// The organiser opens and closes a round from the room: both buttons are there, the one that
/// does not fit the round's state hidden (room.js swaps them when the round's frame arrives).
fn run_round(
    ctx: &Ctx,
    salon: &crate::store::salons::Salon,
    room: crate::ids::RoomId,
    r: &Round,
) -> Markup {
    let l = ctx.lang();
    let state = r.state();
    html! {
        @for (step, key, shown) in [("open", "round.open", state == RoundState::Draft), ("close", "round.close", state == RoundState::Open)] {
            form method="post" action=(format!("/salons/{}/rounds/{}/{step}", salon.id, r.id)) class="inline run-round" data-step=(step) data-live hidden[!shown] {
                (csrf_field(ctx))
                input type="hidden" name="room" value=(room);
                button type="submit" class="secondary" { (t!(key, locale = l)) }
            }
        }
    }
}

/// The results as a table: a meter per option beside its points (the number is what screen
/// readers hear; the meter is the picture). room.js builds the same table from a frame.
pub fn results(l: &str, options: &[RoundOption], voters: i64) -> Markup {
    let top = options.iter().map(|o| o.points).max().unwrap_or(0).max(1);
    html! {
        div class="round-results" {
            table class="results" {
                caption { (t!("round.results", locale = l)) }
                thead { tr { th scope="col" { (t!("round.option", locale = l)) } th scope="col" { (t!("round.points", locale = l)) } } }
                tbody {
                    @for o in options {
                        tr { th scope="row" { (o.label) } td { meter min="0" max=(top) value=(o.points) aria-hidden="true" {} " " span class="points" { (o.points) } } }
                    }
                }
            }
            p class="voters" { (crate::i18n::plural("round.voters", voters, l)) }
        }
    }
}
