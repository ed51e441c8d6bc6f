//! A series' working groups (each with its coordinator, members, how it stands and what it
//! delivers next) and a group's page: mandate, the decision it carries out, members, what it
//! covers, "see also", deliverables, status updates, meetings and its room; with the forms of
//! its people (deliverables, updates) and of organisers (meetings).

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::group::{State, Status};
use crate::i18n::timefmt::day;
use crate::ids::{GroupId, SalonId, ThemeId};
use crate::store::group_work::{Deliverable, Update};
use crate::store::groups::{Group, Member};
use crate::store::landscape::Linked;
use crate::store::salons::Listed;
use crate::store::series::Series;
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind as Field};
use crate::web::glossary::marked;
use crate::web::landscape::display_name;
use crate::web::views::{csrf_field, local_time, page as layout};

/// A status as a word and a mark that reads without colour.
pub fn status_badge(status: Option<&str>, l: &str) -> Markup {
    let code = status.and_then(Status::parse);
    html! {
        @match code {
            Some(s) => { span class=(format!("badge status-{}", s.as_str())) { (t!(format!("group.status.{}", s.as_str()), locale = l)) } }
            None => { span class="badge" { (t!("group.status.none", locale = l)) } }
        }
    }
}

pub fn state_label(s: State, l: &str) -> String {
    t!(format!("group.state.{}", s.as_str()), locale = l).to_string()
}

pub fn list(ctx: &Ctx, s: &Series, groups: &[Group], due: &[Deliverable]) -> Markup {
    let l = ctx.lang();
    let title = t!("group.list_title", locale = l, series = s.title).to_string();
    layout(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } }
            h1 { (title) }
            p { (t!("group.intro", locale = l)) }
            @if crate::web::salon_page::is_organiser(ctx) {
                p { a class="button" href=(format!("/series/{}/groups/new", s.id)) { (t!("group.new_title", locale = l)) } }
            }
            @if groups.is_empty() { p class="muted" { (t!("group.empty", locale = l)) } }
            @else {
                table class="groups" {
                    caption class="visually-hidden" { (title) }
                    thead { tr {
                        th scope="col" { (t!("group.field.name", locale = l)) }
                        th scope="col" { (t!("group.field.coordinator", locale = l)) }
                        th scope="col" { (t!("group.field.members", locale = l)) }
                        th scope="col" { (t!("group.status_heading", locale = l)) }
                        th scope="col" { (t!("group.next_deliverable", locale = l)) }
                    } }
                    tbody {
                        @for g in groups {
                            @let next = due.iter().find(|d| d.group_id == g.id && d.state() != State::Delivered);
                            tr {
                                th scope="row" { a href=(format!("/groups/{}", g.id)) { (g.name) } }
                                td { (g.coordinator.as_deref().unwrap_or("–")) }
                                td { (g.members) }
                                td { (status_badge(g.status.as_deref(), l)) }
                                td { @if let Some(d) = next { (d.title) " – " (day(d.due_on, l)) } @else { "–" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Everything a group's page shows.
pub struct Page {
    pub group: Group,
    pub members: Vec<Member>,
    pub themes: Vec<(ThemeId, String)>,
    pub items: Vec<Linked>,
    pub organisations: Vec<crate::store::landscape::Org>,
    pub see_also: Vec<(GroupId, String)>,
    pub deliverables: Vec<Deliverable>,
    pub updates: Vec<Update>,
    pub meetings: Vec<Listed>,
    /// The series' salons to come that an organiser can make the group's meeting.
    pub candidates: Vec<Listed>,
    /// The group's standing salon: its room.
    pub room: Option<SalonId>,
    /// The viewer is a member or an organiser: may add deliverables and post updates.
    pub works_in: bool,
    pub organiser: bool,
    pub marker: crate::domain::glossary::Marker,
    /// How many were just invited to a meeting.
    pub invited: Option<usize>,
}

fn states(l: &str) -> Vec<(String, String)> {
    State::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), state_label(*s, l)))
        .collect()
}

/// A deliverable's fields (new: empty; a change: as saved), with ids unique on the page.
fn deliverable_fields(d: Option<&Deliverable>, errors: &Errors, l: &str) -> Markup {
    let label = |k: &str| t!(format!("group.field.{k}"), locale = l).to_string();
    let (title, due, state, link, note) = match d {
        Some(d) => (
            d.title.clone(),
            d.due_on.to_string(),
            d.state.clone(),
            d.link.clone(),
            d.note.clone(),
        ),
        None => Default::default(),
    };
    let suffix = d.map(|d| format!("-{}", d.id)).unwrap_or_default();
    let none = Errors::default();
    let errors = if d.is_none() { errors } else { &none };
    html! {
        @if d.is_none() {
            (form::field("title", &label("title"), None, Field::Text, &title, errors, true))
            (form::field("due_on", &label("due_on"), None, Field::Date, &due, errors, true))
            (form::field("state", &label("state"), None, Field::Select(&states(l)), &state, errors, true))
            (form::field("link", &label("link"), Some(&t!("group.hint.link", locale = l)), Field::Url, &link, errors, false))
            (form::field("note", &label("note"), None, Field::TextArea(2), &note, errors, false))
        } @else {
            @for (name, kind, value) in [("title", "text", &title), ("due_on", "date", &due), ("link", "url", &link)] {
                div class="field" {
                    label for=(format!("{name}{suffix}")) { (label(name)) }
                    input type=(kind) id=(format!("{name}{suffix}")) name=(name) value=(value);
                }
            }
            div class="field" {
                label for=(format!("state{suffix}")) { (label("state")) }
                select id=(format!("state{suffix}")) name="state" {
                    @for (v, text) in states(l) { option value=(v) selected[v == state] { (text) } }
                }
            }
            div class="field" {
                label for=(format!("note{suffix}")) { (label("note")) }
                textarea id=(format!("note{suffix}")) name="note" rows="2" { (note) }
            }
        }
    }
}

pub fn group(ctx: &Ctx, p: &Page, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let g = &p.group;
    let label = |k: &str| t!(format!("group.field.{k}"), locale = l).to_string();
    layout(
        ctx,
        &g.name,
        html! {
            p class="kicker" { a href=(format!("/series/{}/groups", g.series_id)) { (t!("group.list_title", locale = l, series = g.series_title)) } }
            h1 { (g.name) }
            p { (t!("group.standing", locale = l)) " " (status_badge(g.status.as_deref(), l)) }
            @if let Some(n) = p.invited { p class="notice" role="status" { (crate::i18n::plural("group.invited", n as i64, l)) } }
            (form::summary(errors, l))
            @if !g.mandate.is_empty() {
                section aria-labelledby="mandate" {
                    h2 id="mandate" { (label("mandate")) }
                    @for para in g.mandate.split("\n\n") { p { (marked(&p.marker, para)) } }
                }
            }
            @if let Some(d) = &g.decision { p { (t!("group.from_decision", locale = l)) " " q { (marked(&p.marker, d)) } } }
            dl class="facts" {
                dt { (label("coordinator")) } dd { (g.coordinator.as_deref().unwrap_or("–")) }
                dt { (label("members")) }
                dd { ul class="people" { @for (_, name, org) in &p.members { li { (name) @if let Some(o) = org { span class="muted" { " – " (o) } } } } } }
                @if !p.themes.is_empty() {
                    dt { (label("themes")) }
                    dd { ul { @for (id, title) in &p.themes { li { a href=(format!("/themes/{id}")) { (title) } } } } }
                }
                @if !p.items.is_empty() {
                    dt { (label("items")) }
                    dd { ul { @for (id, name, abbr) in &p.items { li { a href=(format!("/landscape/{id}")) { (display_name(name, abbr)) } } } } }
                }
                @if !p.organisations.is_empty() {
                    dt { (label("organisations")) }
                    dd { ul { @for (_, short, name) in &p.organisations { li { a href=(format!("/organisations/{short}")) { (name) " (" (short) ")" } } } } }
                }
                @if !p.see_also.is_empty() {
                    dt { (t!("group.see_also", locale = l)) }
                    dd { ul { @for (id, name) in &p.see_also { li { a href=(format!("/groups/{id}")) { (name) } } } } }
                }
            }
            @if p.organiser { p { a class="button secondary" href=(format!("/groups/{}/edit", g.id)) { (t!("group.edit", locale = l)) } } }
            @if let (Some(room), true) = (p.room, p.works_in) {
                p { a class="button" href=(format!("/salons/{room}/room")) { (t!("group.room", locale = l)) } }
            }
            @if let Some(room) = p.room {
                p { a href=(format!("/salons/{room}/materials")) { (t!("group.materials", locale = l)) } }
            }
            (deliverables(ctx, p, errors))
            (updates(ctx, p, errors))
            (meetings(ctx, p))
        },
    )
}

fn deliverables(ctx: &Ctx, p: &Page, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let g = &p.group;
    html! {
        section aria-labelledby="deliverables" {
            h2 id="deliverables" { (t!("group.deliverables", locale = l)) }
            @if p.deliverables.is_empty() { p class="muted" { (t!("group.no_deliverables", locale = l)) } }
            ul class="deliverables" {
                @for d in &p.deliverables {
                    li id=(format!("deliverable-{}", d.id)) {
                        strong { (d.title) } " – " (day(d.due_on, l)) " – " (state_label(d.state(), l))
                        @if !d.link.is_empty() { " – " a href=(d.link) rel="noopener" { (t!("group.open_link", locale = l, title = d.title)) } }
                        @if !d.note.is_empty() { br; span class="muted" { (marked(&p.marker, &d.note)) } }
                        @if p.works_in {
                            details {
                                summary { (t!("group.change_deliverable", locale = l, title = d.title)) }
                                form method="post" action=(format!("/groups/{}/deliverables/{}", g.id, d.id)) class="stacked" {
                                    (csrf_field(ctx))
                                    (deliverable_fields(Some(d), errors, l))
                                    div { button type="submit" { (t!("group.save", locale = l)) } }
                                }
                            }
                        }
                    }
                }
            }
            @if p.works_in {
                details open[errors.get("title").is_some() || errors.get("due_on").is_some()] {
                    summary { (t!("group.add_deliverable", locale = l)) }
                    form method="post" action=(format!("/groups/{}/deliverables", g.id)) class="stacked" novalidate {
                        (csrf_field(ctx))
                        (deliverable_fields(None, errors, l))
                        div { button type="submit" { (t!("group.add_deliverable", locale = l)) } }
                    }
                }
            }
        }
    }
}

fn updates(ctx: &Ctx, p: &Page, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let g = &p.group;
    let statuses: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                t!(format!("group.status.{}", s.as_str()), locale = l).to_string(),
            )
        })
        .collect();
    html! {
        section aria-labelledby="updates" {
            h2 id="updates" { (t!("group.updates", locale = l)) }
            @if p.works_in {
                form method="post" action=(format!("/groups/{}/updates", g.id)) class="stacked" novalidate {
                    (csrf_field(ctx))
                    (form::field("status", &t!("group.status_heading", locale = l), None, Field::Select(&statuses), "on_track", errors, true))
                    (form::field("body", &t!("group.field.update", locale = l), None, Field::TextArea(3), "", errors, true))
                    div { button type="submit" { (t!("group.post_update", locale = l)) } }
                }
            }
            @if p.updates.is_empty() { p class="muted" { (t!("group.no_updates", locale = l)) } }
            ol class="updates" reversed {
                @for u in &p.updates {
                    li {
                        (status_badge(Some(&u.status), l)) " "
                        span class="muted" { (u.author.as_deref().map(String::from).unwrap_or_else(|| t!("people.former", locale = l).to_string())) ", " (local_time(ctx, &u.created_at)) }
                        @for para in u.body.split("\n\n") { p { (marked(&p.marker, para)) } }
                    }
                }
            }
        }
    }
}

fn meetings(ctx: &Ctx, p: &Page) -> Markup {
    let l = ctx.lang();
    let g = &p.group;
    html! {
        section aria-labelledby="meetings" {
            h2 id="meetings" { (t!("group.meetings", locale = l)) }
            @if p.meetings.is_empty() { p class="muted" { (t!("group.no_meetings", locale = l)) } }
            ul {
                @for m in &p.meetings {
                    li {
                        a href=(format!("/salons/{}", m.id)) { (m.title) } " – "
                        (crate::i18n::timefmt::span(&m.starts_at, &m.ends_at, m.tz(), l))
                        @if p.organiser {
                            @if m.status == "published" {
                                form method="post" action=(format!("/groups/{}/meetings/{}/invite", g.id, m.id)) class="inline-form" {
                                    (csrf_field(ctx))
                                    button type="submit" class="secondary" { (t!("group.invite_members", locale = l, title = m.title)) }
                                }
                            } @else { " " span class="muted" { (t!("group.publish_first", locale = l)) } }
                            form method="post" action=(format!("/groups/{}/meetings", g.id)) class="inline-form" {
                                (csrf_field(ctx))
                                input type="hidden" name="salon" value=(m.id);
                                input type="hidden" name="remove" value="remove";
                                button type="submit" class="secondary" { (t!("group.unmark_meeting", locale = l, title = m.title)) }
                            }
                        }
                    }
                }
            }
            @if p.organiser {
                @if p.candidates.is_empty() {
                    p class="muted" { (t!("group.no_candidates", locale = l)) " " a href="/salons/new" { (t!("group.schedule", locale = l)) } }
                } @else {
                    form method="post" action=(format!("/groups/{}/meetings", g.id)) class="inline-form" {
                        (csrf_field(ctx))
                        label for="meeting-salon" { (t!("group.mark_meeting", locale = l)) } " "
                        select id="meeting-salon" name="salon" {
                            @for s in &p.candidates { option value=(s.id) { (s.title) " – " (crate::i18n::timefmt::date(&s.starts_at.with_timezone(&s.tz()), l)) } }
                        }
                        " " button type="submit" { (t!("group.mark_meeting_submit", locale = l)) }
                    }
                }
            }
        }
    }
}
