//! Inviting people to a salon, and telling the invited about changes.
//!
//! An organiser picks people, whole member organisations, and/or pastes addresses (unknown
//! addresses become people; unreadable ones are listed back and nothing is sent). Each newly
//! invited person gets one mail in their own language, with a calendar invite and personal
//! RSVP links, through the outbox, in the same transaction as the invitation rows.

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::Organiser;
use super::context::Ctx;
use super::salon_page::parse_id;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::salon::Status;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::mail::compose::{self, InviteKind};
use crate::store::people::{self, Person};
use crate::store::salons::{self, Salon};
use crate::store::{Tx, on_tx, organisations, rsvp_tokens, rsvps};

pub fn router() -> Router<SharedApp> {
    Router::new()
        .route("/salons/{id}/invite", get(form).post(send))
        .route("/salons/{id}/notify", post(notify))
}

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
                (Some(name.to_string()).filter(|n| !n.is_empty()), &item[open + 1..close])
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

async fn form(State(app): State<SharedApp>, ctx: Ctx, Organiser(me): Organiser, Path(id): Path<String>) -> AppResult<Markup> {
    let salon = salons::get(&app.db, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    render(&app, &ctx, &me, &salon, &Selection::default(), None).await
}

#[derive(Default)]
struct Selection {
    people: BTreeSet<i64>,
    organisations: BTreeSet<String>,
    pasted: String,
}

async fn render(app: &SharedApp, ctx: &Ctx, me: &Person, salon: &Salon, sel: &Selection, error: Option<String>) -> AppResult<Markup> {
    let l = ctx.lang();
    let everyone = people::list(&app.db).await?;
    let orgs = organisations::all(&app.db).await?;
    let invited: BTreeSet<i64> = rsvps::participants(&app.db, salon.id).await?.iter().map(|p| p.person_id).collect();
    let agenda = salons::agenda(&app.db, salon.id).await?;
    // The preview is the mail the organiser themself would get, in their language.
    let preview = compose::invitation(&app.config, InviteKind::Invitation, me, salon, &agenda, None, Some(&app.config.url("/rsvp/…")))
        .map_err(|e| AppError::Internal(e.into()))?;
    let preview_text = preview_text(&preview.body);
    let title = t!("invite.title", locale = l, title = salon.title).to_string();
    Ok(page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            @if salon.status() != Status::Published { p class="banner" role="note" { (t!("invite.not_published", locale = l)) } }
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
                fieldset {
                    legend { (t!("invite.people", locale = l)) }
                    @for p in &everyone {
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
                div class="field" {
                    label for="pasted" { (t!("invite.pasted", locale = l)) }
                    p class="hint" id="pasted-hint" { (t!("invite.pasted_hint", locale = l)) }
                    textarea id="pasted" name="pasted" rows="5" aria-describedby="pasted-hint" aria-invalid=[error.as_ref().map(|_| "true")] { (sel.pasted) }
                }
                div { button type="submit" { (t!("invite.send", locale = l)) } }
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

/// The text/plain part of a composed mail, for the preview.
fn preview_text(raw: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(raw) else { return String::new() };
    // Find the first text/plain part and decode quoted-printable lightly: the preview is a
    // reading aid, not a mail client.
    let Some(start) = text.find("Content-Type: text/plain") else { return String::new() };
    let after = &text[start..];
    let Some(body_start) = after.find("\r\n\r\n") else { return String::new() };
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
        if b[i] == b'=' && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&raw[i + 1..i + 3], 16) {
                bytes.push(v);
                i += 3;
                continue;
            }
        bytes.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
}

async fn send(State(app): State<SharedApp>, ctx: Ctx, Organiser(me): Organiser, Path(id): Path<String>, body: axum::body::Bytes) -> AppResult<Response> {
    let l = ctx.lang();
    let salon = salons::get(&app.db, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    // Repeated fields (person=1&person=2) are read by hand: serde_urlencoded keeps only one.
    let mut sel = Selection::default();
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
            _ => {}
        }
    }
    if salon.status() != Status::Published {
        return Ok((StatusCode::CONFLICT, render(&app, &ctx, &me, &salon, &sel, Some(t!("invite.not_published", locale = l).to_string())).await?).into_response());
    }
    let (pasted, bad) = parse_pasted(&sel.pasted);
    if !bad.is_empty() {
        let message = t!("invite.bad_addresses", locale = l, list = bad.join(", ")).to_string();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&app, &ctx, &me, &salon, &sel, Some(message)).await?).into_response());
    }
    if sel.people.is_empty() && sel.organisations.is_empty() && pasted.is_empty() {
        let message = t!("invite.nobody", locale = l).to_string();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&app, &ctx, &me, &salon, &sel, Some(message)).await?).into_response());
    }

    let agenda = salons::agenda(&app.db, salon.id).await?;
    let mut tx = app.db.begin().await?;
    let mut ids: BTreeSet<i64> = sel.people.clone();
    for short in &sel.organisations {
        let members: Vec<i64> = on_tx!(&mut tx, |c| {
            sqlx::query_scalar("select p.id from person p join organisation o on o.id = p.organisation_id where o.short_name = $1")
                .bind(short)
                .fetch_all(c)
                .await
        })?;
        ids.extend(members);
    }
    for (name, email) in &pasted {
        let existing: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar("select id from person where email = $1").bind(email.as_str()).fetch_optional(c).await)?;
        let id = match existing {
            Some(id) => id,
            None => {
                let fallback = email.as_str().split('@').next().unwrap_or("").to_string();
                let new = people::NewPerson {
                    email,
                    name: name.as_deref().unwrap_or(&fallback),
                    title: None,
                    role: Role::Member,
                    locale: ctx.locale,
                    organisation_id: None,
                };
                people::create(&mut tx, &new).await.map_err(|e| AppError::Internal(e.into()))?
            }
        };
        ids.insert(id);
    }
    // Rows first (cheap), then the mails: composing is the costly part (MIME encoding of four
    // parts per person), so it runs on all cores, outside the async threads.
    let mut recipients = Vec::new();
    for person_id in &ids {
        if !rsvps::invite(&mut tx, salon.id, *person_id).await? {
            continue; // already invited: no second mail
        }
        let Some(person) = person_in(&mut tx, *person_id).await? else { continue };
        let secret = rsvp_tokens::create(&mut tx, salon.id, person.id).await?;
        recipients.push((person, app.config.url(&format!("/rsvp/{secret}"))));
    }
    let mails = compose_all(&app, &salon, &agenda, InviteKind::Invitation, recipients).await?;
    for mail in &mails {
        crate::mail::queue(&mut tx, mail).await?;
    }
    let sent = mails.len();
    salons::mark_notified(&mut tx, salon.id, salon.revision).await?;
    tx.commit().await?;
    app.mail_wake.notify_one();
    metrics::counter!("salon_invitations_total").increment(sent as u64);
    Ok(Redirect::to(&format!("/salons/{}/participants?invited={sent}", salon.id)).into_response())
}

/// Compose one invitation per recipient, in parallel on the blocking pool (one chunk per core).
async fn compose_all(
    app: &SharedApp,
    salon: &Salon,
    agenda: &[crate::domain::salon::AgendaItem],
    kind: InviteKind,
    recipients: Vec<(Person, String)>,
) -> AppResult<Vec<compose::Composed>> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let chunk = recipients.len().div_ceil(cores).max(1);
    let mut tasks = Vec::new();
    let mut rest = recipients;
    while !rest.is_empty() {
        let tail = rest.split_off(chunk.min(rest.len()));
        let part = std::mem::replace(&mut rest, tail);
        let (app, salon, agenda) = (app.clone(), salon.clone(), agenda.to_vec());
        tasks.push(tokio::task::spawn_blocking(move || {
            part.iter()
                .map(|(person, link)| compose::invitation(&app.config, kind, person, &salon, &agenda, None, Some(link)))
                .collect::<Result<Vec<_>, _>>()
        }));
    }
    let mut mails = Vec::new();
    for task in tasks {
        let part = task.await.map_err(|e| AppError::Internal(e.into()))?.map_err(|e| AppError::Internal(e.into()))?;
        mails.extend(part);
    }
    Ok(mails)
}

async fn person_in(tx: &mut Tx, id: i64) -> Result<Option<Person>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as("select * from person where id = $1").bind(id).fetch_optional(c).await)
}

/// Send everyone invited who has not declined the change: an update (REQUEST with the higher
/// SEQUENCE) or, for a cancelled salon, a cancellation (CANCEL).
async fn notify(State(app): State<SharedApp>, _o: Organiser, Path(id): Path<String>) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let mut tx = app.db.begin().await?;
    let salon = salons::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let kind = match salon.status() {
        Status::Cancelled => InviteKind::Cancellation,
        Status::Published => InviteKind::Update,
        Status::Draft => return Err(AppError::BadRequest("invite.not_published")),
    };
    let agenda = salons::agenda(&app.db, salon.id).await?;
    let mut sent = 0u64;
    for r in rsvps::to_notify(&app.db, salon.id).await? {
        let Some(person) = person_in(&mut tx, r.person_id).await? else { continue };
        let link = match kind {
            InviteKind::Cancellation => None,
            _ => Some(app.config.url(&format!("/rsvp/{}", rsvp_tokens::create(&mut tx, salon.id, person.id).await?))),
        };
        let mail = compose::invitation(&app.config, kind, &person, &salon, &agenda, r.response.as_deref(), link.as_deref())
            .map_err(|e| AppError::Internal(e.into()))?;
        crate::mail::queue(&mut tx, &mail).await?;
        sent += 1;
    }
    salons::mark_notified(&mut tx, salon.id, salon.revision).await?;
    tx.commit().await?;
    app.mail_wake.notify_one();
    metrics::counter!("salon_notifications_total").increment(sent);
    Ok(Redirect::to(&format!("/salons/{id}?done=notified")).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_pasted;

    #[test]
    fn pasted_addresses_are_read_and_bad_ones_listed() {
        let (good, bad) = parse_pasted("Mette Holm <Mette@KB.example>, lars@kb.example\nnot an address; \"Aino V\" <aino@fi.example>");
        let emails: Vec<String> = good.iter().map(|(_, e)| e.to_string()).collect();
        assert_eq!(emails, ["mette@kb.example", "lars@kb.example", "aino@fi.example"]);
        assert_eq!(good[0].0.as_deref(), Some("Mette Holm"));
        assert_eq!(good[2].0.as_deref(), Some("Aino V"));
        assert_eq!(bad, ["not an address"]);
    }
}
