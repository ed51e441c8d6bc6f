//! The proposals pages: the series' list with the form to propose, and one proposal with its
//! tally, the stances and their reasons, the stance form and the organiser's closing form.

use maud::{Markup, html};
use rust_i18n::t;

use super::{CloseForm, Forms, ProposeForm, StanceForm};
use crate::domain::proposal::{self, Choice, State, Tally};
use crate::domain::time::now;
use crate::i18n::plural;
use crate::ids::SalonId;
use crate::store::proposals::{Proposal, Stance};
use crate::store::salons::Listed;
use crate::store::series::Series;
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind};
use crate::web::salon_page::is_organiser;
use crate::web::views::{csrf_field, local_time, page};

fn state_badge(p: &Proposal, l: &str) -> Markup {
    let state = p.state(now());
    html! { span class="badge" data-state=(state.as_str()) { (t!(format!("proposal.state.{}", state.as_str()), locale = l)) } }
}

pub fn list(
    ctx: &Ctx,
    s: &Series,
    all: &[Proposal],
    offered: Option<&[Listed]>,
    f: &ProposeForm,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let title = t!("proposal.list_title", locale = l, series = s.title).to_string();
    page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } }
            h1 { (t!("proposal.title", locale = l)) }
            @if all.is_empty() { p { (t!("proposal.empty", locale = l)) } }
            ul class="proposals" {
                @for p in all {
                    li {
                        a href=(format!("/proposals/{}", p.id)) { strong { (p.title) } }
                        " · " (state_badge(p, l))
                        " · " (plural("proposal.stances", p.stances, l))
                        " · " (t!("proposal.closes", locale = l)) " " (local_time(ctx, &p.closes_at))
                    }
                }
            }
            @match offered {
                Some(salons) => { (propose_form(ctx, s, salons, f, errors)) }
                None => { p class="muted" { (t!("proposal.organisers_propose", locale = l)) } }
            }
        },
    )
}

pub(in crate::web) fn salon_options(
    salons: &[Listed],
    none: Option<String>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = none.map(|n| (String::new(), n)).into_iter().collect();
    out.extend(salons.iter().map(|x| (x.id.to_string(), x.title.clone())));
    out
}

fn propose_form(
    ctx: &Ctx,
    s: &Series,
    salons: &[Listed],
    f: &ProposeForm,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let options = salon_options(
        salons,
        Some(t!("proposal.to_series", locale = l).to_string()),
    );
    html! {
        section aria-labelledby="propose" class="panel" {
            h2 id="propose" { (t!("proposal.propose", locale = l)) }
            (form::summary(errors, l))
            form method="post" action=(format!("/series/{}/proposals", s.id)) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("title", &t!("proposal.field.title", locale = l), Some(&t!("proposal.hint.title", locale = l)), Kind::Text, &f.title, errors, true))
                (form::field("background", &t!("proposal.field.background", locale = l), None, Kind::TextArea(5), &f.background, errors, false))
                (form::field("closes_at", &t!("proposal.field.closes_at", locale = l), Some(&t!("proposal.hint.closes_at", locale = l)), Kind::DateTime, &f.closes_at, errors, true))
                (form::field("salon", &t!("proposal.field.salon", locale = l), None, Kind::Select(&options), &f.salon, errors, false))
                div class="choice" {
                    input type="checkbox" id="hide_results" name="hide_results" value="on" checked[f.hide_results.is_some()];
                    label for="hide_results" { (t!("proposal.field.hide_results", locale = l)) }
                }
                div { button type="submit" { (t!("proposal.submit", locale = l)) } }
            }
        }
    }
}

/// What a proposal's page shows.
pub struct Page<'a> {
    pub p: &'a Proposal,
    pub series: &'a Series,
    pub stances: &'a [Stance],
    pub mine: Option<&'a Stance>,
    pub salons: &'a [Listed],
    /// The salon whose decision the outcome became.
    pub decided_in: Option<SalonId>,
}

pub fn proposal(ctx: &Ctx, v: &Page<'_>, forms: Forms) -> Markup {
    let l = ctx.lang();
    let p = v.p;
    let at = now();
    let state = p.state(at);
    let shown = p.results_shown(at);
    page(
        ctx,
        &p.title,
        html! {
            p class="kicker" { a href=(format!("/series/{}/proposals", v.series.id)) { (t!("proposal.title", locale = l)) " – " (v.series.title) } }
            h1 { (p.title) }
            p {
                (state_badge(p, l))
                " · " (t!(if state == State::Open { "proposal.closes" } else { "proposal.closed_at" }, locale = l)) " " (local_time(ctx, &p.closed_at.unwrap_or(p.closes_at)))
                @if let Some(name) = &p.proposer { " · " (t!("proposal.proposed_by", locale = l, name = name)) }
                @if let Some(salon) = p.salon_id.and_then(|id| v.salons.iter().find(|x| x.id == id)) {
                    " · " a href=(format!("/salons/{}", salon.id)) { (salon.title) }
                }
            }
            @for para in p.background.split("\n\n").filter(|x| !x.is_empty()) { p { (para) } }
            @if state == State::Closed {
                section aria-labelledby="outcome-title" class="panel" {
                    h2 id="outcome-title" { (t!("proposal.outcome", locale = l)) }
                    @for para in p.outcome.split("\n\n") { p { (para) } }
                    @if let (Some(d), Some(salon)) = (p.decision_id, v.decided_in) {
                        p { a href=(format!("/salons/{salon}/outcomes#decision-{d}")) { (t!("proposal.see_decision", locale = l)) } }
                    }
                }
            }
            (results(ctx, v, shown))
            @if state == State::Open { (stance_form(ctx, v, forms.stance.as_ref())) }
            @else if let Some((_, errors)) = &forms.stance {
                // A stance that came too late: said where the form used to be.
                div class="error-summary" role="alert" id="stance" { @for (_, m) in &errors.0 { p { (m) } } }
            }
            @if state != State::Closed && is_organiser(ctx) { (close_form(ctx, v, forms.close.as_ref())) }
        },
    )
}

fn results(ctx: &Ctx, v: &Page<'_>, shown: bool) -> Markup {
    let l = ctx.lang();
    let label = |c: Choice| t!(format!("proposal.choice.{}", c.as_str()), locale = l).to_string();
    let tally: Tally = proposal::tally(
        v.stances
            .iter()
            .map(|s| (s.choice(), s.organisation.as_deref())),
    );
    html! {
        section aria-labelledby="results-title" {
            h2 id="results-title" { (t!("proposal.results", locale = l)) }
            p data-stances=(v.p.stances) { (plural("proposal.stances", v.p.stances, l)) }
            @if !shown {
                p class="muted" { (t!("proposal.results_hidden", locale = l)) }
            } @else if !v.stances.is_empty() {
                table class="tally" {
                    caption { (t!("proposal.tally_caption", locale = l)) }
                    thead { tr {
                        th scope="col" { (t!("proposal.organisation", locale = l)) }
                        @for c in Choice::ALL { th scope="col" { (label(c)) } }
                    } }
                    tbody {
                        @for (org, counts) in &tally.by_organisation {
                            tr {
                                th scope="row" { (org.clone().unwrap_or_else(|| t!("proposal.no_organisation", locale = l).to_string())) }
                                @for c in Choice::ALL { td { (counts.get(c)) } }
                            }
                        }
                    }
                    tfoot { tr data-tally="all" {
                        th scope="row" { (t!("proposal.in_all", locale = l)) }
                        @for c in Choice::ALL { td data-choice=(c.as_str()) { (tally.all.get(c)) } }
                    } }
                }
                h3 { (t!("proposal.stances_title", locale = l)) }
                ul class="stances" {
                    @for s in v.stances {
                        li data-choice=(s.choice().as_str()) {
                            strong { (s.name) }
                            @if let Some(o) = &s.organisation { " (" (o) ")" }
                            ": " span class="badge" { (label(s.choice())) }
                            @if !s.reason.is_empty() { " " (s.reason) }
                        }
                    }
                }
            }
        }
    }
}

fn stance_form(ctx: &Ctx, v: &Page<'_>, refused: Option<&(StanceForm, Errors)>) -> Markup {
    let l = ctx.lang();
    let empty = Errors::default();
    let (choice, reason, errors) = match (refused, v.mine) {
        (Some((f, e)), _) => (f.choice.clone(), f.reason.clone(), e),
        (None, Some(m)) => (m.choice().as_str().to_string(), m.reason.clone(), &empty),
        (None, None) => (String::new(), String::new(), &empty),
    };
    html! {
        section aria-labelledby="stance-title" class="panel" id="stance" {
            h2 id="stance-title" { (t!(if v.mine.is_some() { "proposal.change_stance" } else { "proposal.take_stance" }, locale = l)) }
            (form::summary(errors, l))
            form method="post" action=(format!("/proposals/{}/stance", v.p.id)) class="stacked" novalidate {
                (csrf_field(ctx))
                fieldset id="choice" aria-invalid=[errors.get("choice").map(|_| "true")] {
                    legend { (t!("proposal.your_stance", locale = l)) }
                    @for c in Choice::ALL {
                        div class="choice" {
                            input type="radio" name="choice" id=(format!("choice-{}", c.as_str())) value=(c.as_str()) checked[choice == c.as_str()] required;
                            label for=(format!("choice-{}", c.as_str())) { (t!(format!("proposal.choice.{}", c.as_str()), locale = l)) }
                        }
                    }
                    @if let Some(e) = errors.get("choice") { p class="field-error" { (e) } }
                }
                (form::field("reason", &t!("proposal.field.reason", locale = l), Some(&t!("proposal.hint.reason", locale = l)), Kind::TextArea(3), &reason, errors, false))
                div { button type="submit" { (t!("proposal.stance_submit", locale = l)) } }
            }
        }
    }
}

fn close_form(ctx: &Ctx, v: &Page<'_>, refused: Option<&(CloseForm, Errors)>) -> Markup {
    let l = ctx.lang();
    let empty = Errors::default();
    // The decision goes to the proposal's own salon, else the latest that has begun.
    let default_salon =
        v.p.salon_id
            .or_else(|| {
                v.salons
                    .iter()
                    .rev()
                    .find(|x| x.starts_at <= now())
                    .map(|x| x.id)
            })
            .or_else(|| v.salons.first().map(|x| x.id))
            .map(|id| id.to_string())
            .unwrap_or_default();
    let (outcome, salon, errors) = match refused {
        Some((f, e)) => (f.outcome.clone(), f.salon.clone(), e),
        None => (String::new(), default_salon, &empty),
    };
    let options = salon_options(v.salons, None);
    html! {
        section aria-labelledby="close-title" class="panel" id="close" {
            h2 id="close-title" { (t!("proposal.close", locale = l)) }
            (form::summary(errors, l))
            @if v.salons.is_empty() {
                p { (t!("proposal.no_salon_for_decision", locale = l)) }
            } @else {
                form method="post" action=(format!("/proposals/{}/close", v.p.id)) class="stacked" novalidate {
                    (csrf_field(ctx))
                    (form::field("outcome", &t!("proposal.field.outcome", locale = l), Some(&t!("proposal.hint.outcome", locale = l)), Kind::TextArea(4), &outcome, errors, true))
                    (form::field("salon", &t!("proposal.field.decision_salon", locale = l), None, Kind::Select(&options), &salon, errors, true))
                    div { button type="submit" { (t!("proposal.close_submit", locale = l)) } }
                }
            }
        }
    }
}
