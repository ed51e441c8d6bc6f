//! The polls pages: the series' list with the form to put a poll, and one poll with its answer
//! form (by kind), its results once they may be shown, and the organiser's closing form.

use maud::{Markup, html};
use rust_i18n::t;

use super::{CloseForm, PutForm};
use crate::domain::poll::{self, Kind};
use crate::domain::proposal::State;
use crate::domain::time::now;
use crate::i18n::plural;
use crate::ids::{PersonId, PollOptionId};
use crate::store::polls::{Poll, PollOption};
use crate::store::salons::Listed;
use crate::store::series::Series;
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind as Field};
use crate::web::proposals::salon_options;
use crate::web::salon_page::is_organiser;
use crate::web::views::{csrf_field, local_time, page};

fn state_badge(p: &Poll, l: &str) -> Markup {
    let state = p.state(now());
    html! { span class="badge" data-state=(state.as_str()) { (t!(format!("proposal.state.{}", state.as_str()), locale = l)) } }
}

pub fn list(
    ctx: &Ctx,
    s: &Series,
    all: &[Poll],
    offered: Option<&[Listed]>,
    f: &PutForm,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    page(
        ctx,
        &t!("poll.list_title", locale = l, series = s.title),
        html! {
            p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } }
            h1 { (t!("poll.title", locale = l)) }
            @if all.is_empty() { p { (t!("poll.empty", locale = l)) } }
            ul class="proposals" {
                @for p in all {
                    li {
                        a href=(format!("/polls/{}", p.id)) { strong { (p.question) } }
                        " · " (state_badge(p, l))
                        " · " (t!(format!("poll.kind.{}", p.kind().as_str()), locale = l))
                        " · " (plural("poll.voters", p.voters, l))
                        " · " (t!("proposal.closes", locale = l)) " " (local_time(ctx, &p.closes_at))
                    }
                }
            }
            @match offered {
                Some(salons) => { (put_form(ctx, s, salons, f, errors)) }
                None => { p class="muted" { (t!("proposal.organisers_propose", locale = l)) } }
            }
        },
    )
}

fn put_form(ctx: &Ctx, s: &Series, salons: &[Listed], f: &PutForm, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let salons = salon_options(
        salons,
        Some(t!("proposal.to_series", locale = l).to_string()),
    );
    let kinds: Vec<(String, String)> = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                t!(format!("poll.kind.{}", k.as_str()), locale = l).to_string(),
            )
        })
        .collect();
    html! {
        section aria-labelledby="put" class="panel" {
            h2 id="put" { (t!("poll.put", locale = l)) }
            (form::summary(errors, l))
            form method="post" action=(format!("/series/{}/polls", s.id)) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("question", &t!("poll.field.question", locale = l), None, Field::Text, &f.question, errors, true))
                (form::field("background", &t!("proposal.field.background", locale = l), None, Field::TextArea(3), &f.background, errors, false))
                (form::field("kind", &t!("poll.field.kind", locale = l), Some(&t!("poll.hint.kind", locale = l)), Field::Select(&kinds), &f.kind, errors, true))
                (form::field("options", &t!("poll.field.options", locale = l), Some(&t!("poll.hint.options", locale = l)), Field::TextArea(5), &f.options, errors, true))
                (form::field("max_score", &t!("poll.field.max_score", locale = l), Some(&t!("poll.hint.max_score", locale = l)), Field::Number, &f.max_score, errors, false))
                (form::field("closes_at", &t!("proposal.field.closes_at", locale = l), Some(&t!("proposal.hint.closes_at", locale = l)), Field::DateTime, &f.closes_at, errors, true))
                (form::field("salon", &t!("proposal.field.salon", locale = l), None, Field::Select(&salons), &f.salon, errors, false))
                div class="choice" {
                    input type="checkbox" id="hide_results" name="hide_results" value="on" checked[f.hide_results.is_some()];
                    label for="hide_results" { (t!("proposal.field.hide_results", locale = l)) }
                }
                div { button type="submit" { (t!("poll.submit", locale = l)) } }
            }
        }
    }
}

/// What a poll's page shows.
pub struct Page<'a> {
    pub p: &'a Poll,
    pub series: &'a Series,
    pub options: &'a [PollOption],
    /// (person, option, value) for every answer given.
    pub answers: &'a [(PersonId, PollOptionId, i64)],
    pub salons: &'a [Listed],
}

/// A refused answer (its `poll.error.<code>`) or closing (field, code, the form as sent).
#[derive(Default)]
pub struct Refused {
    pub answer: Option<&'static str>,
    pub close: Option<(&'static str, &'static str, CloseForm)>,
}

pub fn poll(ctx: &Ctx, v: &Page<'_>, refused: Refused) -> Markup {
    let l = ctx.lang();
    let p = v.p;
    let at = now();
    let state = p.state(at);
    let answer_errors = match refused.answer {
        Some(code) => Errors::translated("poll", [("answer", code)], l),
        None => Errors::default(),
    };
    page(
        ctx,
        &p.question,
        html! {
            p class="kicker" { a href=(format!("/series/{}/polls", v.series.id)) { (t!("poll.title", locale = l)) " – " (v.series.title) } }
            h1 { (p.question) }
            p {
                (state_badge(p, l)) " · " (t!(format!("poll.kind.{}", p.kind().as_str()), locale = l))
                " · " (t!(if state == State::Open { "proposal.closes" } else { "proposal.closed_at" }, locale = l)) " " (local_time(ctx, &p.closed_at.unwrap_or(p.closes_at)))
                @if let Some(name) = &p.proposer { " · " (t!("proposal.proposed_by", locale = l, name = name)) }
            }
            @for para in p.background.split("\n\n").filter(|x| !x.is_empty()) { p { (para) } }
            @if state == State::Closed && !p.outcome.is_empty() {
                section aria-labelledby="outcome-title" class="panel" {
                    h2 id="outcome-title" { (t!("proposal.outcome", locale = l)) }
                    p { (p.outcome) }
                }
            }
            (results(ctx, v))
            @if state == State::Open { (answer_form(ctx, v, &answer_errors)) }
            @else if !answer_errors.is_empty() {
                div class="error-summary" role="alert" id="answer" { @for (_, m) in &answer_errors.0 { p { (m) } } }
            }
            @if state != State::Closed && is_organiser(ctx) { (close_form(ctx, v, refused.close.as_ref())) }
        },
    )
}

fn results(ctx: &Ctx, v: &Page<'_>) -> Markup {
    let l = ctx.lang();
    let p = v.p;
    html! {
        section aria-labelledby="results-title" {
            h2 id="results-title" { (t!("proposal.results", locale = l)) }
            p data-voters=(p.voters) { (plural("poll.voters", p.voters, l)) }
            (results_table(l, p, v.options, v.answers))
        }
    }
}

/// How the poll was counted and the table of places, or (hidden) a line saying so; the room's
/// panel shows the same, and room.js builds it from a `poll` frame with the same markup.
pub(crate) fn results_table(
    l: &str,
    p: &Poll,
    options: &[PollOption],
    answers: &[(PersonId, PollOptionId, i64)],
) -> Markup {
    if !p.results_shown(now()) {
        return html! { p class="muted" { (t!("proposal.results_hidden", locale = l)) } };
    }
    let ids: Vec<i64> = options.iter().map(|o| o.id.0).collect();
    let rows: Vec<(i64, i64, i64)> = answers.iter().map(|(a, o, x)| (a.0, o.0, *x)).collect();
    let counted = poll::count(p.kind(), &ids, &rows);
    let label = |id: i64| {
        options
            .iter()
            .find(|o| o.id.0 == id)
            .map(|o| o.label.as_str())
            .unwrap_or("")
    };
    html! {
        p class="hint" { (t!(format!("poll.counted.{}", p.kind().as_str()), locale = l)) }
        table class="results poll-results" {
            caption { (t!("poll.results_caption", locale = l)) }
            thead { tr {
                th scope="col" { (t!("poll.place", locale = l)) }
                th scope="col" { (t!("poll.option", locale = l)) }
                th scope="col" { (t!(format!("poll.total.{}", p.kind().as_str()), locale = l)) }
            } }
            tbody {
                @for r in &counted {
                    tr data-option=(r.option) {
                        td { (r.place) }
                        th scope="row" { (label(r.option)) }
                        td data-total=(r.total) { (r.total) }
                    }
                }
            }
        }
    }
}

fn answer_form(ctx: &Ctx, v: &Page<'_>, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let p = v.p;
    let me = ctx.user.as_ref().map(|u| u.id);
    let answered = v.answers.iter().any(|(who, _, _)| Some(*who) == me);
    html! {
        section aria-labelledby="answer-title" class="panel" id="answer" {
            h2 id="answer-title" { (t!(if answered { "poll.change_answer" } else { "poll.give_answer" }, locale = l)) }
            (form::summary(errors, l))
            form method="post" action=(format!("/polls/{}/answer", p.id)) class="stacked" novalidate {
                (csrf_field(ctx))
                (answer_fields(ctx, p, v.options, v.answers))
                div { button type="submit" { (t!("poll.answer_submit", locale = l)) } }
            }
        }
    }
}

/// The answer's fields by kind, the viewer's answer filled in: a radio per option (single), a
/// box per option (multiple), a place per option (ranked), a score per option (score). Field
/// ids carry the option's id, unique on any page. room.js builds the same from a frame.
pub(crate) fn answer_fields(
    ctx: &Ctx,
    p: &Poll,
    options: &[PollOption],
    answers: &[(PersonId, PollOptionId, i64)],
) -> Markup {
    let l = ctx.lang();
    let me = ctx.user.as_ref().map(|u| u.id);
    let mine = |o: PollOptionId| -> Option<i64> {
        answers
            .iter()
            .find(|(who, opt, _)| Some(*who) == me && *opt == o)
            .map(|(_, _, x)| *x)
    };
    let n = options.len();
    html! {
        fieldset id=(format!("answer-options-{}", p.id)) class="answer-options" {
            legend { (t!(format!("poll.legend.{}", p.kind().as_str()), locale = l, max = p.max_score)) }
            @for o in options {
                @let id = format!("o{}", o.id);
                @match p.kind() {
                    Kind::Single => {
                        div class="choice" {
                            input type="radio" name="option" id=(id) value=(o.id) checked[mine(o.id).is_some()];
                            label for=(id) { (o.label) }
                        }
                    }
                    Kind::Multiple => {
                        div class="choice" {
                            input type="checkbox" name=(format!("option-{}", o.id)) id=(id) value="1" checked[mine(o.id).is_some()];
                            label for=(id) { (o.label) }
                        }
                    }
                    Kind::Ranked => {
                        div class="field field-inline" {
                            label for=(id) { (o.label) }
                            select name=(format!("option-{}", o.id)) id=(id) {
                                option value="" selected[mine(o.id).is_none()] { (t!("poll.unranked", locale = l)) }
                                @for r in 1..=n as i64 { option value=(r) selected[mine(o.id) == Some(r)] { (r) } }
                            }
                        }
                    }
                    Kind::Score => {
                        div class="field field-inline" {
                            label for=(id) { (o.label) }
                            input type="number" name=(format!("option-{}", o.id)) id=(id) min="0" max=(p.max_score) value=(mine(o.id).unwrap_or(0));
                        }
                    }
                }
            }
        }
    }
}

fn close_form(
    ctx: &Ctx,
    v: &Page<'_>,
    refused: Option<&(&'static str, &'static str, CloseForm)>,
) -> Markup {
    let l = ctx.lang();
    let mut errors = Errors::default();
    let (outcome, salon) = match refused {
        Some((field, code, f)) => {
            errors = Errors::translated("poll", [(*field, *code)], l);
            (f.outcome.clone(), f.salon.clone())
        }
        None => (
            String::new(),
            v.p.salon_id.map(|s| s.to_string()).unwrap_or_default(),
        ),
    };
    let options = salon_options(
        v.salons,
        Some(t!("poll.no_decision", locale = l).to_string()),
    );
    html! {
        section aria-labelledby="close-title" class="panel" id="close" {
            h2 id="close-title" { (t!("poll.close", locale = l)) }
            (form::summary(&errors, l))
            form method="post" action=(format!("/polls/{}/close", v.p.id)) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("outcome", &t!("proposal.field.outcome", locale = l), Some(&t!("poll.hint.outcome", locale = l)), Field::TextArea(3), &outcome, &errors, false))
                (form::field("salon", &t!("proposal.field.decision_salon", locale = l), None, Field::Select(&options), &salon, &errors, false))
                div { button type="submit" { (t!("poll.close_submit", locale = l)) } }
            }
        }
    }
}
