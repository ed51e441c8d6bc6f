//! The time polls' pages: the series' list with the organisers' form, and one poll: the grid of
//! who can when (by organisation, each time in the reader's zone; the answers in words, so
//! nothing rests on colour), the reader's own answers, and the organisers' pick.

use chrono_tz::Tz;
use maud::{Markup, html};
use rust_i18n::t;

use super::{CreateForm, PollData};
use crate::domain::time::OFFERED_ZONES;
use crate::domain::time_poll::{self, Answer, SlotCount};
use crate::i18n::timefmt::span_text;
use crate::ids::PersonId;
use crate::store::organisations::Organisation;
use crate::store::people::PersonListed;
use crate::store::series::Series;
use crate::store::time_polls::{Slot, TimePoll};
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind};
use crate::web::views::{csrf_field, page};

/// Who reads the poll's page and what they may do there.
pub struct Viewer {
    /// The person whose answers the form holds (asked in the poll), if any.
    pub person: Option<PersonId>,
    /// The zone every time is shown in.
    pub zone: Tz,
    /// Where the answer form posts (the signed-in route or the personal link).
    pub answer_action: String,
    /// An organiser: may pick a time.
    pub organiser: bool,
}

/// A time as the grid and the forms show it (the page says the zone once, above).
fn when(poll: &TimePoll, s: &Slot, zone: Tz, l: &str) -> String {
    let ends = s.starts_at + chrono::Duration::minutes(poll.minutes);
    let text = span_text(&s.starts_at, &ends, zone, l);
    match text.rsplit_once(" (") {
        Some((time, _zone)) => time.to_string(),
        None => text,
    }
}

fn answer_word(a: Option<Answer>, l: &str) -> String {
    match a {
        Some(a) => t!(format!("timepoll.answer.{}", a.as_str()), locale = l).to_string(),
        None => t!("timepoll.answer.none", locale = l).to_string(),
    }
}

pub fn list(
    ctx: &Ctx,
    s: &Series,
    polls: &[TimePoll],
    choices: Option<&(Vec<PersonListed>, Vec<Organisation>)>,
    f: &CreateForm,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let title = t!("timepoll.list_title", locale = l, series = s.title).to_string();
    page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } }
            h1 { (t!("timepoll.title", locale = l)) }
            @if polls.is_empty() { p { (t!("timepoll.empty", locale = l)) } }
            ul class="proposals" {
                @for p in polls {
                    li {
                        a href=(format!("/timepolls/{}", p.id)) { strong { (p.title) } }
                        " · "
                        @if p.salon_id.is_some() { (t!("timepoll.state.decided", locale = l)) } @else { (t!("timepoll.state.open", locale = l)) }
                    }
                }
            }
            @if let Some((people, orgs)) = choices { (create_form(ctx, s, people, orgs, f, errors)) }
        },
    )
}

fn create_form(
    ctx: &Ctx,
    s: &Series,
    people: &[PersonListed],
    orgs: &[Organisation],
    f: &CreateForm,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let zones: Vec<(String, String)> = OFFERED_ZONES
        .iter()
        .map(|z| (z.to_string(), z.to_string()))
        .collect();
    let zone = if f.time_zone.is_empty() {
        "Europe/Copenhagen"
    } else {
        &f.time_zone
    };
    let minutes = if f.minutes.is_empty() {
        "180"
    } else {
        &f.minutes
    };
    let people_error = errors.get("people");
    html! {
        section aria-labelledby="new-timepoll" {
            h2 id="new-timepoll" { (t!("timepoll.new", locale = l)) }
            p { (t!("timepoll.new_lead", locale = l)) }
            (form::summary(errors, l))
            form method="post" action=(format!("/series/{}/timepolls", s.id)) class="stacked wide" {
                (csrf_field(ctx))
                (form::field("title", &t!("timepoll.field.title", locale = l), None, Kind::Text, &f.title, errors, true))
                (form::field("description", &t!("timepoll.field.description", locale = l), None, Kind::TextArea(3), &f.description, errors, false))
                (form::field("time_zone", &t!("timepoll.field.time_zone", locale = l), None, Kind::Select(&zones), zone, errors, true))
                (form::field("minutes", &t!("timepoll.field.minutes", locale = l), None, Kind::Number, minutes, errors, true))
                (form::field("slots", &t!("timepoll.field.slots", locale = l), Some(&t!("timepoll.hint.slots", locale = l)), Kind::TextArea(5), &f.slots, errors, true))
                fieldset id="people" aria-describedby=[people_error.map(|_| "people-error")] {
                    legend { (t!("timepoll.field.who", locale = l)) }
                    @if let Some(e) = people_error { p class="field-error" id="people-error" { (e) } }
                    @for o in orgs {
                        div class="choice" {
                            input type="checkbox" name="organisation" value=(o.short_name) id=(format!("org-{}", o.short_name)) checked[f.organisations.contains(&o.short_name)];
                            label for=(format!("org-{}", o.short_name)) { (t!("timepoll.everyone_in", locale = l, organisation = o.name)) }
                        }
                    }
                    @for p in people {
                        div class="choice" {
                            input type="checkbox" name="person" value=(p.id) id=(format!("person-{}", p.id)) checked[f.people.contains(&p.id)];
                            label for=(format!("person-{}", p.id)) {
                                (p.name) @if let Some(o) = &p.organisation { " " span class="muted" { "(" (o) ")" } }
                            }
                        }
                    }
                }
                (form::field("pasted", &t!("invite.pasted", locale = l), Some(&t!("invite.pasted_hint", locale = l)), Kind::TextArea(3), &f.pasted, errors, false))
                div { button type="submit" { (t!("timepoll.create", locale = l)) } }
            }
        }
    }
}

/// One poll's page.
pub fn poll(
    ctx: &Ctx,
    d: &PollData,
    v: &Viewer,
    notice: Option<String>,
    error: Option<String>,
) -> Markup {
    let l = ctx.lang();
    let p = &d.poll;
    let counts: Vec<SlotCount> = d
        .slots
        .iter()
        .map(|s| {
            let mut c = SlotCount::default();
            for i in &d.invitees {
                if let Some(a) = d.answers.get(&(i.person_id, s.id)) {
                    c.add(*a);
                }
            }
            c
        })
        .collect();
    let best = time_poll::best(&counts);
    page(
        ctx,
        &p.title,
        html! {
            p class="kicker" { (t!("timepoll.kicker", locale = l)) }
            h1 { (p.title) }
            @if let Some(n) = notice { p class="notice" role="status" { (n) } }
            @if let Some(e) = error { div class="error-summary" role="alert" { p { (e) } } }
            @if !p.description.is_empty() { @for para in p.description.split("\n\n") { p { (para) } } }
            p class="muted" { (t!("timepoll.zone_note", locale = l, zone = crate::i18n::timefmt::zone_label(v.zone))) }
            @if let (Some(chosen), Some(salon)) = (p.chosen_slot, p.salon_id) {
                @if let Some(s) = d.slots.iter().find(|s| s.id == chosen) {
                    p class="notice" { (t!("timepoll.decided", locale = l, when = when(p, s, v.zone, l))) " " a href=(format!("/salons/{salon}")) { (t!("timepoll.to_salon", locale = l)) } }
                }
            }
            (grid(d, v, &counts, &best, l))
            @if p.chosen_slot.is_none() {
                @if let Some(me) = v.person.filter(|me| d.invitees.iter().any(|i| i.person_id == *me)) { (answer_form(ctx, d, v, me)) }
                @if v.organiser { (choose_form(ctx, d, v, best.first().copied())) }
            }
        },
    )
}

/// Who can when: a row per person, grouped by organisation; a column per time; the totals
/// and the best times in the last row.
fn grid(d: &PollData, v: &Viewer, counts: &[SlotCount], best: &[usize], l: &str) -> Markup {
    let p = &d.poll;
    // The invitees come sorted by organisation: one group per organisation.
    let mut groups: Vec<(Option<&str>, Vec<&crate::store::time_polls::Invitee>)> = Vec::new();
    for i in &d.invitees {
        match groups.last_mut() {
            Some((org, members)) if *org == i.organisation.as_deref() => members.push(i),
            _ => groups.push((i.organisation.as_deref(), vec![i])),
        }
    }
    html! {
        div class="table-wrap" role="region" aria-labelledby="grid-caption" tabindex="0" {
            table class="timepoll-grid" {
                caption id="grid-caption" { (t!("timepoll.grid", locale = l)) }
                thead { tr {
                    th scope="col" { (t!("timepoll.person", locale = l)) }
                    @for s in &d.slots { th scope="col" data-slot=(s.id) { (when(p, s, v.zone, l)) } }
                } }
                tbody {
                    @for (org, members) in &groups {
                        tr class="group" { th scope="colgroup" colspan=(d.slots.len() + 1) { (org.map(str::to_string).unwrap_or_else(|| t!("timepoll.no_organisation", locale = l).to_string())) } }
                        @for i in members {
                        tr data-person=(i.person_id) {
                            th scope="row" { (i.name) }
                            @for s in &d.slots {
                                @let a = d.answers.get(&(i.person_id, s.id)).copied();
                                td data-answer=(a.map(Answer::as_str).unwrap_or("none")) { (answer_word(a, l)) }
                            }
                        }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (t!("timepoll.total", locale = l)) }
                    @for (n, c) in counts.iter().enumerate() {
                        td data-yes=(c.yes) data-maybe=(c.maybe) data-best[best.contains(&n)] {
                            (t!("timepoll.count", locale = l, yes = c.yes, maybe = c.maybe))
                            @if best.contains(&n) { br; strong { (t!("timepoll.best", locale = l)) } }
                        }
                    }
                } }
            }
        }
    }
}

fn answer_form(ctx: &Ctx, d: &PollData, v: &Viewer, me: PersonId) -> Markup {
    let l = ctx.lang();
    html! {
        section aria-labelledby="your-answers" {
            h2 id="your-answers" { (t!("timepoll.your_answers", locale = l)) }
            form method="post" action=(v.answer_action) class="stacked" {
                (csrf_field(ctx))
                @for s in &d.slots {
                    @let mine = d.answers.get(&(me, s.id)).copied();
                    fieldset class="choices-inline" {
                        legend { (when(&d.poll, s, v.zone, l)) }
                        @for a in Answer::ALL {
                            @let id = format!("slot-{}-{}", s.id, a.as_str());
                            div class="choice" {
                                input type="radio" id=(id) name=(format!("slot-{}", s.id)) value=(a.as_str()) checked[mine == Some(a)];
                                label for=(id) { (answer_word(Some(a), l)) }
                            }
                        }
                    }
                }
                div { button type="submit" { (t!("timepoll.save", locale = l)) } }
            }
        }
    }
}

fn choose_form(ctx: &Ctx, d: &PollData, v: &Viewer, best: Option<usize>) -> Markup {
    let l = ctx.lang();
    let options: Vec<(String, String)> = d
        .slots
        .iter()
        .map(|s| (s.id.to_string(), when(&d.poll, s, v.zone, l)))
        .collect();
    let preselected = best
        .and_then(|i| d.slots.get(i))
        .map(|s| s.id.to_string())
        .unwrap_or_default();
    html! {
        section aria-labelledby="choose" {
            h2 id="choose" { (t!("timepoll.choose", locale = l)) }
            p { (t!("timepoll.choose_lead", locale = l)) }
            form method="post" action=(format!("/timepolls/{}/choose", d.poll.id)) class="stacked" {
                (csrf_field(ctx))
                (form::field("slot", &t!("timepoll.field.slot", locale = l), None, Kind::Select(&options), &preselected, &Errors::default(), true))
                div { button type="submit" { (t!("timepoll.choose_button", locale = l)) } }
            }
        }
    }
}
