//! Inviting people to a salon, and telling the invited about changes.
//!
//! An organiser picks people, whole member organisations, and/or pastes addresses (unknown
//! addresses become people; unreadable ones are listed back and nothing is sent). Each newly
//! invited person gets one mail in their own language, with a calendar invite and personal
//! RSVP links, through the outbox, in the same transaction as the invitation rows.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::SalonPath;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::Email;
use crate::domain::salon::Status;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::PersonId;
use crate::mail::compose::{self, InviteKind};
use crate::store::people::{self, Person};
use crate::store::salons::{self, Salon};
use crate::store::{organisations, rsvps};
use crate::usecases::invitations::{self, Invitees, NotNotified};

/// A line of pasted addresses: `Name <email>` or a bare address.
pub fn parse_pasted(text: &str) -> (Vec<(Option<String>, Email)>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    // Old Mac line ends (a lone CR) separate lines too; a name must not carry one into a header.
    for raw in text.split(['\n', '\r', ',', ';']) {
        let item = raw.trim();
        if item.is_empty() {
            continue;
        }
        let (name, address) = match (item.rfind('<'), item.rfind('>')) {
            (Some(open), Some(close)) if open < close => {
                let name = item[..open].trim().trim_matches('"').trim();
                (
                    Some(name.to_string()).filter(|n| !n.is_empty()),
                    &item[open + 1..close],
                )
            }
            _ => (None, item),
        };
        let name = match name.map(|n| crate::domain::person::name(&n)).transpose() {
            Ok(n) => n,
            Err(_) => {
                bad.push(item.to_string());
                continue;
            }
        };
        match Email::parse(address) {
            Ok(e) => good.push((name, e)),
            Err(_) => bad.push(item.to_string()),
        }
    }
    (good, bad)
}

pub async fn form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Markup> {
    // A salon made from a time poll: the people asked in the poll are ticked, ready to invite.
    let mut sel = Selection::default();
    if let Some(poll) = crate::store::time_polls::of_salon(&app.db, salon.id).await? {
        sel.people = crate::store::time_polls::invitees(&app.db, poll.id)
            .await?
            .into_iter()
            .map(|i| i.person_id)
            .collect();
    }
    // A working group's meeting: its members are ticked (only they will be invited).
    if let Some(g) = salon.group_id {
        let members = crate::store::groups::members(&app.db, g).await?;
        sel.people.extend(members.into_iter().map(|m| m.0));
    }
    render(&app, &ctx, &me, &salon, &sel, None).await
}

#[derive(Default)]
struct Selection {
    people: BTreeSet<PersonId>,
    organisations: BTreeSet<String>,
    pasted: String,
    /// The language of people created from pasted addresses (None: the organiser's).
    new_locale: Option<Locale>,
    /// The organiser's personal note, as typed (checked before anything is sent).
    note: String,
}

/// Most of a screen: a greeting and a few paragraphs, not a newsletter.
const NOTE_MAX: usize = 2000;

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    me: &Person,
    salon: &Salon,
    sel: &Selection,
    error: Option<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let everyone = people::list(&app.db).await?;
    let orgs = organisations::all(&app.db).await?;
    let invited: BTreeSet<PersonId> = rsvps::participants(&app.db, salon.id)
        .await?
        .iter()
        .map(|p| p.person_id)
        .collect();
    let agenda = salons::agenda(&app.db, salon.id).await?;
    // The preview is the mail the organiser themself would get, in their language.
    let own_code = crate::usecases::attendance::code_of(app, salon.id, me.id);
    let preview = compose::invitation(
        &app.config,
        InviteKind::Invitation,
        me,
        salon,
        &agenda,
        None,
        compose::Personal {
            rsvp_link: Some(&app.config.url("/rsvp/…")),
            reply_address: None,
            check_in_code: Some(&own_code),
            note: Some(compose::Note {
                by: &me.name,
                text: &sel.note,
            }),
        },
    )?;
    let preview_text = preview_text(&preview.body);
    let title = t!("invite.title", locale = l, title = salon.title).to_string();
    Ok(page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            @if salon.status() != Status::Published { p class="banner" role="note" { (t!("invite.not_published", locale = l)) } }
            // Inviting to a salon under way: say what the invited can still do.
            @if salon.starts_at <= crate::domain::time::now() && crate::domain::time::now() < salon.ends_at {
                @if crate::domain::time::now() < salon.facts().answers_close() {
                    p class="banner" role="note" { (t!("invite.running_open", locale = l)) }
                } @else {
                    p class="banner" role="note" { (t!("invite.running_closed", locale = l)) }
                }
            }
            @if let Some(g) = salon.group_id {
                p class="banner" role="note" { (t!("invite.group_meeting", locale = l)) " " a href=(format!("/groups/{g}")) { (t!("group.open", locale = l)) } }
            }
            @if let Some(e) = &error { div class="error-summary" role="alert" id="errors" { p { (e) } } }
            form method="post" action=(format!("/salons/{}/invite", salon.id)) class="stacked wide" {
                (csrf_field(ctx))
                fieldset {
                    legend { (t!("invite.organisations", locale = l)) }
                    @for o in &orgs {
                        div class="choice" {
                            input type="checkbox" name="organisation" value=(o.short_name) id=(format!("org-{}", o.short_name)) checked[sel.organisations.contains(&o.short_name)];
                            label for=(format!("org-{}", o.short_name)) { (o.name) }
                        }
                    }
                }
                (people_choice(l, &everyone, sel, &invited))
                div class="field" {
                    label for="pasted" { (t!("invite.pasted", locale = l)) }
                    p class="hint" id="pasted-hint" { (t!("invite.pasted_hint", locale = l)) }
                    textarea id="pasted" name="pasted" rows="5" aria-describedby="pasted-hint" aria-invalid=[error.as_ref().map(|_| "true")] { (sel.pasted) }
                }
                div class="field" {
                    label for="new_locale" { (t!("invite.new_locale", locale = l)) }
                    p class="hint" id="new_locale-hint" { (t!("invite.new_locale_hint", locale = l)) }
                    select id="new_locale" name="new_locale" aria-describedby="new_locale-hint" {
                        @for lang in Locale::OFFERED {
                            option value=(lang.code()) lang=(lang.code()) selected[sel.new_locale.unwrap_or(ctx.locale) == lang] { (lang.native_name()) }
                        }
                    }
                }
                div class="field" {
                    label for="note" { (t!("invite.note", locale = l)) }
                    p class="hint" id="note-hint" { (t!("invite.note_hint", locale = l, name = me.name)) }
                    textarea id="note" name="note" rows="4" maxlength=(NOTE_MAX) aria-describedby="note-hint" { (sel.note) }
                }
                div class="actions" {
                    button type="submit" { (t!("invite.send", locale = l)) }
                    " "
                    button type="submit" name="step" value="preview" class="secondary" { (t!("invite.preview_button", locale = l)) }
                }
            }
            section aria-labelledby="preview" {
                h2 id="preview" { (t!("invite.preview", locale = l)) }
                p { strong { (t!("outbox.col.subject", locale = l)) ": " } (preview.subject) }
                pre class="mail-preview" { (preview_text) }
                p class="hint" { (t!("invite.preview_hint", locale = l)) }
            }
        },
    ))
}

/// Everyone as a checkbox, those invited already marked.
fn people_choice(
    l: &str,
    everyone: &[people::PersonListed],
    sel: &Selection,
    invited: &BTreeSet<PersonId>,
) -> Markup {
    html! {
    fieldset {
        legend { (t!("invite.people", locale = l)) }
        @for p in everyone {
            div class="choice" {
                input type="checkbox" name="person" value=(p.id) id=(format!("person-{}", p.id)) checked[sel.people.contains(&p.id)];
                label for=(format!("person-{}", p.id)) {
                    (p.name) " "
                    span class="muted" { "<" (p.email) ">" @if let Some(o) = &p.organisation { ", " (o) } }
                    @if invited.contains(&p.id) { " " strong { (t!("invite.already", locale = l)) } }
                }
            }
        }
    }
    }
}

/// The text/plain part of a composed mail, for the preview.
fn preview_text(raw: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(raw) else {
        return String::new();
    };
    // Find the first text/plain part and decode quoted-printable lightly: the preview is a
    // reading aid, not a mail client.
    let Some(start) = text.find("Content-Type: text/plain") else {
        return String::new();
    };
    let after = &text[start..];
    let Some(body_start) = after.find("\r\n\r\n") else {
        return String::new();
    };
    let body = &after[body_start + 4..];
    let end = body.find("\r\n--").unwrap_or(body.len());
    decode_qp(&body[..end])
}

fn decode_qp(s: &str) -> String {
    let mut bytes = Vec::with_capacity(s.len());
    let raw = s.replace("=\r\n", "");
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&raw[i + 1..i + 3], 16)
        {
            bytes.push(v);
            i += 3;
            continue;
        }
        bytes.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
}

pub async fn send(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    SalonPath(salon): SalonPath,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let l = ctx.lang();
    // Repeated fields (person=1&person=2) are read by hand: serde_urlencoded keeps only one.
    let mut sel = Selection::default();
    let mut preview = false;
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "person" => {
                if let Ok(n) = v.parse() {
                    sel.people.insert(n);
                }
            }
            "organisation" => {
                sel.organisations.insert(v.into_owned());
            }
            "pasted" => sel.pasted = v.into_owned(),
            "note" => sel.note = v.into_owned(),
            "step" => preview = v == "preview",
            // An unknown language keeps the default: the organiser's own.
            "new_locale" => sel.new_locale = Locale::from_code(&v),
            _ => {}
        }
    }
    if salon.status() != Status::Published {
        return Ok((
            StatusCode::CONFLICT,
            render(
                &app,
                &ctx,
                &me,
                &salon,
                &sel,
                Some(t!("invite.not_published", locale = l).to_string()),
            )
            .await?,
        )
            .into_response());
    }
    // A note that cannot be sent is said before anything else; the preview shows it as typed.
    match crate::domain::text::multiline(&sel.note, NOTE_MAX, false) {
        Ok(note) => sel.note = note,
        Err(e) => {
            let why = match e {
                crate::domain::text::TextError::Control => "salon.error.text_control",
                _ => "salon.error.text_too_long",
            };
            let message = format!(
                "{} {}",
                t!("invite.note_error", locale = l),
                t!(why, locale = l)
            );
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&app, &ctx, &me, &salon, &sel, Some(message)).await?,
            )
                .into_response());
        }
    }
    // "Preview": the same form again, the mail below it with the note; nothing is sent.
    if preview {
        return Ok(render(&app, &ctx, &me, &salon, &sel, None)
            .await?
            .into_response());
    }
    let (pasted, bad) = parse_pasted(&sel.pasted);
    if !bad.is_empty() {
        let message = t!("invite.bad_addresses", locale = l, list = bad.join(", ")).to_string();
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&app, &ctx, &me, &salon, &sel, Some(message)).await?,
        )
            .into_response());
    }
    if sel.people.is_empty() && sel.organisations.is_empty() && pasted.is_empty() {
        let message = t!("invite.nobody", locale = l).to_string();
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&app, &ctx, &me, &salon, &sel, Some(message)).await?,
        )
            .into_response());
    }

    let who = Invitees {
        people: sel.people.clone(),
        organisations: sel.organisations.clone(),
        pasted,
        new_people_locale: sel.new_locale.unwrap_or(ctx.locale),
        note: Some(sel.note.clone()).filter(|n| !n.is_empty()),
    };
    let sent = invitations::invite(&app, &salon, &who, &me).await?;
    Ok(Redirect::to(&format!("/salons/{}/participants?invited={sent}", salon.id)).into_response())
}

/// Send everyone invited who has not declined the change: an update, or the cancellation.
pub async fn notify(
    State(app): State<SharedApp>,
    _o: Organiser,
    SalonPath(salon): SalonPath,
) -> AppResult<Response> {
    match invitations::notify(&app, salon.id).await? {
        Ok(_) => Ok(Redirect::to(&format!("/salons/{}?done=notified", salon.id)).into_response()),
        Err(NotNotified::NoSuchSalon) => Err(AppError::NotFound),
        Err(NotNotified::Draft) => Err(AppError::BadRequest("invite.not_published")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_pasted;

    #[test]
    fn pasted_addresses_are_read_and_bad_ones_listed() {
        let (good, bad) = parse_pasted(
            "Mette Holm <Mette@KB.example>, lars@kb.example\nnot an address; \"Aino V\" <aino@fi.example>",
        );
        let emails: Vec<String> = good.iter().map(|(_, e)| e.to_string()).collect();
        assert_eq!(
            emails,
            ["mette@kb.example", "lars@kb.example", "aino@fi.example"]
        );
        assert_eq!(good[0].0.as_deref(), Some("Mette Holm"));
        assert_eq!(good[2].0.as_deref(), Some("Aino V"));
        assert_eq!(bad, ["not an address"]);
    }
}
