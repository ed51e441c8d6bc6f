//! The polls put to the salon, in the room's panel: each with its state, how many answered, the
//! counted results (once they may be shown), the answer form while it is open (a plain form
//! that returns to the room; posted in the background with JavaScript) and the outcome once it
//! is closed. The results and the answer's fields are the poll page's own
//! (`web::polls::view`); room.js keeps them live from the `poll` frames and builds the same
//! markup with the texts in `data-label-*`.

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::poll::Kind;
use crate::domain::proposal::State;
use crate::domain::time::now;
use crate::i18n::{plural, plural_forms};
use crate::ids::RoomId;
use crate::store::page_data::RoomPoll;
use crate::web::context::Ctx;
use crate::web::polls::view::{answer_fields, results_table};
use crate::web::views::csrf_field;

pub fn polls(ctx: &Ctx, room: RoomId, list: &[RoomPoll]) -> Markup {
    let l = ctx.lang();
    let label = |key: &str| t!(key, locale = l).to_string();
    let by_kind = |key: &str| -> Vec<(String, String)> {
        Kind::ALL
            .iter()
            .map(|k| {
                let text = t!(format!("{key}.{}", k.as_str()), locale = l, max = "{max}");
                (k.as_str().to_string(), text.to_string())
            })
            .collect()
    };
    let (legends, counted, totals) = (
        by_kind("poll.legend"),
        by_kind("poll.counted"),
        by_kind("poll.total"),
    );
    html! {
        section id="room-polls" aria-labelledby="room-polls-title"
            hidden[list.is_empty()] data-room=(room) data-csrf=(ctx.csrf)
            data-label-voters-one=(plural_forms("poll.voters", l).0)
            data-label-voters-other=(plural_forms("poll.voters", l).1)
            data-label-hidden=(label("proposal.results_hidden"))
            data-label-caption=(label("poll.results_caption"))
            data-label-place=(label("poll.place"))
            data-label-option=(label("poll.option"))
            data-label-unranked=(label("poll.unranked"))
            data-label-submit=(label("poll.answer_submit"))
            data-label-saved=(label("room.answer_saved"))
            data-label-answer=(label("room.poll_answer"))
            data-label-results=(label("room.poll_results"))
            data-label-outcome=(label("proposal.outcome"))
            data-label-new=(t!("room.poll_put", locale = l, title = "{title}"))
            data-label-closed-news=(t!("room.poll_closed", locale = l, title = "{title}"))
            data-label-state-open=(label("proposal.state.open"))
            data-label-state-awaiting_outcome=(label("proposal.state.awaiting_outcome"))
            data-label-state-closed=(label("proposal.state.closed"))
            data-label-legend-single=(legends[0].1) data-label-legend-multiple=(legends[1].1)
            data-label-legend-ranked=(legends[2].1) data-label-legend-score=(legends[3].1)
            data-label-counted-single=(counted[0].1) data-label-counted-multiple=(counted[1].1)
            data-label-counted-ranked=(counted[2].1) data-label-counted-score=(counted[3].1)
            data-label-total-single=(totals[0].1) data-label-total-multiple=(totals[1].1)
            data-label-total-ranked=(totals[2].1) data-label-total-score=(totals[3].1) {
            h2 id="room-polls-title" { (label("poll.title")) }
            @for (p, options, answers) in list {
                @let state = p.state(now());
                article id=(format!("poll-{}", p.id)) class="poll" data-poll=(p.id) data-state=(state.as_str()) aria-labelledby=(format!("poll-{}-title", p.id)) {
                    h3 id=(format!("poll-{}-title", p.id)) {
                        a href=(format!("/polls/{}", p.id)) { (p.question) } " "
                        span class="badge state" { (t!(format!("proposal.state.{}", state.as_str()), locale = l)) }
                    }
                    p class="count muted" { (plural("poll.voters", p.voters, l)) }
                    div class="poll-results" { (results_table(l, p, options, answers)) }
                    @if state == State::Open {
                        form class="stacked poll-answer" method="post" action=(format!("/polls/{}/answer", p.id)) data-live data-done=(label("room.answer_saved")) novalidate {
                            (csrf_field(ctx))
                            input type="hidden" name="room" value=(room);
                            (answer_fields(ctx, p, options, answers))
                            div { button type="submit" { (label("poll.answer_submit")) } }
                        }
                    }
                    div class="poll-outcome" {
                        @if state == State::Closed && !p.outcome.is_empty() {
                            h4 { (label("proposal.outcome")) }
                            p { (p.outcome) }
                        }
                    }
                }
            }
        }
    }
}
