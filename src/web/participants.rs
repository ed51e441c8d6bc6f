//! The organisers' participant view: everyone with their answer, the waitlist in order,
//! counts, which member organisations are represented, and a CSV export for Excel.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::Form;
use super::extract::{SalonPath, parse_id};
use super::salon_page::standing_code;
use super::views::{csrf_field, local_time, page};
use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::domain::rsvp::{Response as Answer, Standing};
use crate::error::AppError;
use crate::error::AppResult;
use crate::store::audit;
use crate::store::organisations;
use crate::store::rsvps::{self, Participant};

#[derive(Deserialize, Default)]
pub struct Flash {
    invited: Option<u64>,
    revoked: Option<u64>,
    answered: Option<u64>,
}

/// Revoke a person's answer links for this salon (a forwarded invitation, a lost phone).
pub async fn revoke_links(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    Path((id, person)): Path<(String, String)>,
) -> AppResult<Response> {
    let id: crate::ids::SalonId = parse_id(&id)?;
    let person: crate::ids::PersonId = parse_id(&person)?;
    // The calendar's reply address goes with the answer links.
    let n = crate::usecases::invitations::revoke_links(&app, id, person, &me).await?;
    Ok(Redirect::to(&format!("/salons/{id}/participants?revoked={n}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OnBehalfForm {
    response: String,
}

/// Record someone's answer for them (they phoned, or said so at the door).
pub async fn answer_for(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
    Path(params): Path<std::collections::HashMap<String, String>>,
    Form(f): Form<OnBehalfForm>,
) -> AppResult<Response> {
    let person: crate::ids::PersonId =
        parse_id(params.get("person").map(String::as_str).unwrap_or(""))?;
    let response = Answer::parse(&f.response).ok_or(AppError::BadRequest("rsvp.error.choose"))?;
    let Some(person) = crate::store::people::by_id(&app.db, person).await? else {
        return Err(AppError::NotFound);
    };
    crate::usecases::rsvp::on_behalf(&app, salon.id, &person, response, &me).await?;
    Ok(Redirect::to(&format!("/salons/{}/participants?answered=1", salon.id)).into_response())
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Query(flash): Query<Flash>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let list = rsvps::participants(&app.db, salon.id).await?;
    let notes = calendar_notes(&app, salon.id, l).await?;
    let counts = rsvps::counts(&app.db, salon.id).await?;
    let members = organisations::all(&app.db)
        .await?
        .into_iter()
        .filter(|o| o.is_member)
        .collect::<Vec<_>>();
    let present: BTreeSet<&str> = list
        .iter()
        .filter(|p| p.standing().is_registered())
        .filter_map(|p| p.organisation_short.as_deref())
        .collect();
    let title = t!("participants.title", locale = l, title = salon.title).to_string();
    Ok(page(
        &ctx,
        &title,
        html! {
            h1 { (title) }
            @if let Some(n) = flash.invited { p class="notice" role="status" { (crate::i18n::plural("participants.invited", n, l)) } }
            @if let Some(n) = flash.revoked { p class="notice" role="status" { (crate::i18n::plural("participants.revoked", n, l)) } }
            @if flash.answered.is_some() { p class="notice" role="status" { (t!("participants.answer_saved", locale = l)) } }
            p { a href=(format!("/salons/{}", salon.id)) { (t!("participants.back", locale = l)) } " · "
                a href=(format!("/salons/{}/checkin", salon.id)) { (t!("checkin.link", locale = l)) } " · "
                a href=(format!("/salons/{}/participants.csv", salon.id)) download { (t!("participants.csv", locale = l)) } }
            ul class="counts" aria-label=(t!("participants.counts", locale = l)) {
                li { (t!("rsvp.standing_short.yes", locale = l)) ": " strong data-count="yes" { (counts.seated) }
                    @if let Some(c) = salon.capacity { " / " (c) } }
                li { (t!("rsvp.standing_short.waitlist", locale = l)) ": " strong data-count="waitlist" { (counts.waitlisted) } }
                li { (t!("rsvp.standing_short.maybe", locale = l)) ": " strong data-count="maybe" { (counts.maybe) } }
                li { (t!("rsvp.standing_short.no", locale = l)) ": " strong data-count="no" { (counts.no) } }
                li { (t!("participants.awaiting", locale = l)) ": " strong data-count="invited" { (counts.invited) } }
                li { (t!("participants.invitations", locale = l)) ": " strong data-count="invitations" { (counts.invitations) } }
            }
            div class="table-wrap" {
                table {
                    caption { (t!("participants.caption", locale = l)) }
                    thead { tr {
                        th scope="col" { (t!("people.name", locale = l)) }
                        th scope="col" { (t!("people.organisation", locale = l)) }
                        th scope="col" { (t!("participants.answer", locale = l)) }
                        th scope="col" { (t!("participants.answered_at", locale = l)) }
                        th scope="col" { (t!("participants.shown", locale = l)) }
                        th scope="col" { (t!("participants.attended", locale = l)) }
                        th scope="col" { span class="visually-hidden" { (t!("participants.actions", locale = l)) } }
                    } }
                    tbody {
                        @for (i, p) in list.iter().enumerate() {
                            (participant_row(&ctx, salon.id, &list, i, p, &notes))
                        }
                    }
                }
            }
            (organisations_section(l, &members, &present))
        },
    ))
}

/// What came back from calendars, per person: comments, proposed times, answers to an earlier
/// time (each note once).
async fn calendar_notes(
    app: &SharedApp,
    salon: crate::ids::SalonId,
    l: &str,
) -> AppResult<std::collections::HashMap<crate::ids::PersonId, Vec<String>>> {
    let mut notes: std::collections::HashMap<crate::ids::PersonId, Vec<String>> =
        std::collections::HashMap::new();
    for (person, detail, comment) in crate::store::inbound::notes_for_salon(&app.db, salon).await? {
        let entry = notes.entry(person).or_default();
        let mut add = |note: String| {
            if !entry.contains(&note) {
                entry.push(note);
            }
        };
        if let Some(counter) = detail.strip_prefix("note:counter ") {
            add(t!("participants.counter", locale = l, when = counter).to_string());
        } else if detail.starts_with("note:old_time") {
            add(t!("participants.old_time", locale = l).to_string());
        }
        if !comment.is_empty() {
            add(t!("participants.comment", locale = l, comment = comment).to_string());
        }
    }
    Ok(notes)
}

/// One participant's row: name (and what came back from their calendar), organisation,
/// answer, when, whether shown, and the organiser's actions.
fn participant_row(
    ctx: &Ctx,
    salon: crate::ids::SalonId,
    list: &[Participant],
    i: usize,
    p: &Participant,
    notes: &std::collections::HashMap<crate::ids::PersonId, Vec<String>>,
) -> Markup {
    let l = ctx.lang();
    html! {
    tr data-standing=(standing_code(p.standing())) {
        td {
            (p.name) @if let Some(tt) = &p.title { br; span class="muted" { (tt) } }
            @if p.mail_failing_at.is_some() { br; span class="badge badge-cancelled" data-mail-failing { (t!("participants.mail_failing", locale = l)) } }
            @if let Some(ns) = notes.get(&p.person_id) { @for n in ns.iter().take(3) { br; span class="muted" { (n) } } }
        }
        td { (p.organisation.as_deref().unwrap_or("–")) }
        td {
            (t!(format!("rsvp.standing_short.{}", standing_code(p.standing())), locale = l))
            @if let Standing::Waitlisted(_) = p.standing() {
                " " (t!("participants.place", locale = l, n = waitlist_place(list, i)))
            }
        }
        td { @if let Some(at) = &p.answered_at { (local_time(ctx, at)) } }
        td { (if p.show_in_list { t!("participants.yes", locale = l) } else { t!("participants.no", locale = l) }) }
        td data-attended=[p.attended.as_deref()] { (attended(l, p)) }
        td {
            (answer_form(ctx, salon, p))
            form method="post" action=(format!("/salons/{}/participants/{}/revoke-links", salon, p.person_id)) {
                (csrf_field(ctx))
                button type="submit" class="link" aria-label=(t!("participants.revoke_for", locale = l, name = p.name)) { (t!("participants.revoke", locale = l)) }
            }
        }
    }
    }
}

/// "Ja (i rummet)", "Ja (ved døren)" or "Nej".
fn attended(l: &str, p: &Participant) -> String {
    match p.attended.as_deref() {
        Some(how) => t!(format!("participants.attended_{how}"), locale = l).to_string(),
        None => t!("participants.no", locale = l).to_string(),
    }
}

/// The member organisations represented among those registered, and those not.
fn organisations_section(
    l: &str,
    members: &[crate::store::organisations::Organisation],
    present: &BTreeSet<&str>,
) -> Markup {
    html! {
    h2 { (t!("participants.organisations", locale = l)) }
    div class="columns" {
        section {
            h3 { (t!("participants.represented", locale = l)) }
            ul { @for o in members.iter().filter(|o| present.contains(o.short_name.as_str())) { li { (o.name) } } }
        }
        section {
            h3 { (t!("participants.not_represented", locale = l)) }
            ul { @for o in members.iter().filter(|o| !present.contains(o.short_name.as_str())) { li { (o.name) } } }
        }
    }
    }
}

/// 1-based place in the waitlist of the participant at `index` (the list is in waitlist order).
fn waitlist_place(list: &[Participant], index: usize) -> usize {
    list[..=index]
        .iter()
        .filter(|p| matches!(p.standing(), Standing::Waitlisted(_)))
        .count()
}

/// CSV for Excel: UTF-8 with a BOM (so Excel reads æøå right), CRLF lines, every field quoted.
pub async fn csv(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Response> {
    let l = ctx.lang();
    let list = rsvps::participants(&app.db, salon.id).await?;
    let event = audit::Event {
        actor: (&*me).into(),
        kind: Kind::ParticipantsExported,
        subject: None,
        salon: Some(salon.id),
        detail: &format!("{} rows", list.len()),
    };
    audit::record(&app.db, &event).await?;
    let mut out = String::from("\u{feff}");
    let header_row = [
        "people.name",
        "people.email",
        "people.organisation",
        "register.job_title",
        "participants.answer",
        "participants.waitlist_place",
        "participants.answered_at",
        "participants.shown",
        "participants.attended",
    ]
    .map(|k| t!(k, locale = l).to_string());
    push_row(&mut out, &header_row);
    for (i, p) in list.iter().enumerate() {
        let place = match p.standing() {
            Standing::Waitlisted(_) => waitlist_place(&list, i).to_string(),
            _ => String::new(),
        };
        push_row(
            &mut out,
            &[
                p.name.clone(),
                p.email.clone(),
                p.organisation.clone().unwrap_or_default(),
                p.title.clone().unwrap_or_default(),
                t!(
                    format!("rsvp.standing_short.{}", standing_code(p.standing())),
                    locale = l
                )
                .to_string(),
                place,
                p.answered_at.map(|a| a.to_rfc3339()).unwrap_or_default(),
                if p.show_in_list {
                    t!("participants.yes", locale = l).to_string()
                } else {
                    t!("participants.no", locale = l).to_string()
                },
                attended(l, p),
            ],
        );
    }
    Ok(csv_download(
        &format!("participants-salon-{}.csv", salon.id),
        out,
    ))
}

/// A CSV file to download (Excel reads the UTF-8 byte-order mark the callers start with).
pub(super) fn csv_download(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub(super) fn push_row(out: &mut String, fields: &[String]) {
    let cells: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The organiser's small form to record an answer on someone's behalf.
fn answer_form(ctx: &Ctx, salon: crate::ids::SalonId, p: &Participant) -> Markup {
    let l = ctx.lang();
    let id = format!("answer-{}", p.person_id);
    html! {
        form method="post" action=(format!("/salons/{}/participants/{}/answer", salon, p.person_id)) class="inline" {
            (csrf_field(ctx))
            label for=(id) class="visually-hidden" { (t!("participants.set_answer_for", locale = l, name = p.name)) }
            select id=(id) name="response" {
                @for r in [Answer::Yes, Answer::Maybe, Answer::No] {
                    option value=(r.as_str()) { (t!(format!("rsvp.answer.{}", r.as_str()), locale = l)) }
                }
            }
            " "
            button type="submit" class="secondary" aria-label=(t!("participants.set_answer_for", locale = l, name = p.name)) { (t!("participants.set_answer", locale = l)) }
        }
    }
}

/// Quote a field; neutralise spreadsheet formulas (a name starting with "=" must not run).
pub(super) fn csv_field(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(
            csv_field("Nørgaard, \"Bibi\""),
            "\"Nørgaard, \"\"Bibi\"\"\""
        );
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
