//! Invitations, and telling the invited about changes.
//!
//! Each newly invited person gets one mail in their own language, with a calendar invite and
//! personal answer links, through the outbox, in the same transaction as the invitation rows.
//! An update (REQUEST with the higher SEQUENCE) or a cancellation (CANCEL) goes to everyone
//! invited who has not declined.

use std::collections::BTreeSet;

use super::Failure;
use crate::app::App;
use crate::domain::audit::Kind;
use crate::domain::salon::{AgendaItem, Status};
use crate::domain::{Email, Role};
use crate::i18n::Locale;
use crate::ids::PersonId;
use crate::mail::compose::{self, Composed, InviteKind};
use crate::store::people::{self, Person};
use crate::store::salons::{self, Salon};
use crate::store::{Tx, audit, rsvp_tokens, rsvps};

/// Who to invite: chosen people, whole organisations (by short name), pasted addresses (with
/// the name typed beside them, if any; new addresses become people in `new_people_locale`).
#[derive(Debug, Default)]
pub struct Invitees {
    pub people: BTreeSet<PersonId>,
    pub organisations: BTreeSet<String>,
    pub pasted: Vec<(Option<String>, Email)>,
    pub new_people_locale: Locale,
    /// The organiser's personal note above the invitation (checked by the caller).
    pub note: Option<String>,
}

/// Invite (each on the audit trail as sent by `by`); returns how many were newly invited (and mailed). People invited before get no
/// second mail.
pub async fn invite(
    app: &App,
    salon: &Salon,
    who: &Invitees,
    by: &Person,
) -> Result<usize, Failure> {
    let agenda = salons::agenda(&app.db, salon.id).await?;
    let mut tx = app.db.begin().await?;
    let mut ids = resolve(&mut tx, who).await?;
    // A working group's meeting is for its members: anyone else chosen is left out.
    if let Some(group) = salon.group_id {
        let members = crate::store::groups::members(&mut tx, group).await?;
        ids.retain(|id| members.iter().any(|m| m.0 == *id));
    }
    // Rows first (cheap), then the mails: composing is the costly part (MIME encoding of four
    // parts per person), so it runs on all cores, outside the async threads.
    let mut recipients = Vec::new();
    for person_id in ids {
        if !rsvps::invite(&mut tx, salon.id, person_id).await? {
            continue; // already invited: no second mail
        }
        let Some(person) = people::by_id(&mut tx, person_id).await? else {
            continue;
        };
        let event = audit::Event {
            actor: by.into(),
            kind: Kind::InvitationsSent,
            subject: Some((&person).into()),
            salon: Some(salon.id),
            detail: "",
        };
        audit::record(&mut tx, &event).await?;
        let secret = rsvp_tokens::create(&mut tx, salon.id, person.id).await?;
        let reply = reply_address(app, &mut tx, salon.id, person.id).await?;
        recipients.push((person, app.config.url(&format!("/rsvp/{secret}")), reply));
    }
    let note = who
        .note
        .as_deref()
        .map(|text| compose::Note { by: &by.name, text });
    let mails = compose_all(app, salon, &agenda, note, recipients).await?;
    for mail in &mails {
        crate::mail::queue(&mut tx, mail).await?;
    }
    salons::mark_notified(&mut tx, salon.id, salon.revision).await?;
    tx.commit().await?;
    app.mail_wake.notify_one();
    metrics::counter!("salon_invitations_total").increment(mails.len() as u64);
    Ok(mails.len())
}

/// Revoke a person's answer links and calendar reply address for a salon (a forwarded
/// invitation, a lost phone), on the audit trail; how many links were live.
pub async fn revoke_links(
    app: &App,
    salon: crate::ids::SalonId,
    person: PersonId,
    by: &Person,
) -> Result<u64, Failure> {
    let mut tx = app.db.begin().await?;
    let n = rsvp_tokens::revoke(&mut tx, salon, person).await?;
    crate::store::reply_addresses::revoke(&mut tx, salon, person).await?;
    if let Some(subject) = people::by_id(&mut tx, person).await? {
        let event = audit::Event {
            actor: by.into(),
            kind: Kind::LinksRevoked,
            subject: Some((&subject).into()),
            salon: Some(salon),
            detail: "",
        };
        audit::record(&mut tx, &event).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Everyone meant: the chosen, the organisations' people, and the pasted (created if new).
pub(crate) async fn resolve(tx: &mut Tx, who: &Invitees) -> Result<BTreeSet<PersonId>, Failure> {
    let mut ids = who.people.clone();
    for short in &who.organisations {
        ids.extend(people::in_organisation(&mut *tx, short).await?);
    }
    for (name, email) in &who.pasted {
        let id = match people::by_email(&mut *tx, email).await? {
            Some(p) => p.id,
            None => {
                let fallback = email.as_str().split('@').next().unwrap_or("").to_string();
                let new = people::NewPerson {
                    email,
                    name: name.as_deref().unwrap_or(&fallback),
                    title: None,
                    role: Role::Member,
                    locale: who.new_people_locale,
                    organisation_id: None,
                };
                people::create(&mut *tx, &new).await.map_err(|e| match e {
                    people::CreateError::Db(e) => Failure::Db(e),
                    people::CreateError::EmailTaken => {
                        Failure::Invariant(format!("{email} appeared during the invitation"))
                    }
                })?
            }
        };
        ids.insert(id);
    }
    Ok(ids)
}

/// The person's reply address for the salon (the calendar's ORGANIZER), remembered by its hash.
pub(crate) async fn reply_address(
    app: &App,
    tx: &mut Tx,
    salon: crate::ids::SalonId,
    person: PersonId,
) -> Result<String, Failure> {
    let token = crate::mail::reply_address::token(&app.csrf_key, salon, person);
    crate::store::reply_addresses::register(&mut *tx, &token, salon, person).await?;
    Ok(crate::mail::reply_address::address(
        app.config.mail.from.email.as_ref(),
        &token,
    ))
}

/// Compose one invitation per recipient, in parallel on the blocking pool (one chunk per core).
async fn compose_all(
    app: &App,
    salon: &Salon,
    agenda: &[AgendaItem],
    note: Option<compose::Note<'_>>,
    recipients: Vec<(Person, String, String)>,
) -> Result<Vec<Composed>, Failure> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let chunk = recipients.len().div_ceil(cores).max(1);
    let mut tasks = Vec::new();
    let mut rest = recipients;
    while !rest.is_empty() {
        let tail = rest.split_off(chunk.min(rest.len()));
        let part = std::mem::replace(&mut rest, tail);
        let (config, salon, agenda) = (app.config.clone(), salon.clone(), agenda.to_vec());
        let note = note.map(|n| (n.by.to_string(), n.text.to_string()));
        let key = app.csrf_key.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let note = note.as_ref().map(|(by, text)| compose::Note { by, text });
            part.iter()
                .map(|(person, link, reply)| {
                    let code = crate::domain::attendance::code(&key, salon.id.0, person.id.0);
                    let personal = compose::Personal {
                        rsvp_link: Some(link),
                        reply_address: Some(reply),
                        note,
                        check_in_code: Some(&code),
                    };
                    let kind = InviteKind::Invitation;
                    compose::invitation(&config, kind, person, &salon, &agenda, None, personal)
                })
                .collect::<Result<Vec<_>, _>>()
        }));
    }
    let mut mails = Vec::new();
    for task in tasks {
        mails.extend(task.await??);
    }
    Ok(mails)
}

/// Why there was nothing to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotNotified {
    NoSuchSalon,
    /// A draft has nobody to tell.
    Draft,
}

/// Send everyone invited who has not declined the change: an update, or for a cancelled salon
/// the cancellation. Returns how many were told.
pub async fn notify(
    app: &App,
    id: crate::ids::SalonId,
) -> Result<Result<u64, NotNotified>, Failure> {
    let mut tx = app.db.begin().await?;
    let Some(salon) = salons::lock(&mut tx, id).await? else {
        return Ok(Err(NotNotified::NoSuchSalon));
    };
    let kind = match salon.status() {
        Status::Cancelled => InviteKind::Cancellation,
        Status::Published => InviteKind::Update,
        Status::Draft => return Ok(Err(NotNotified::Draft)),
    };
    let agenda = salons::agenda(&mut tx, salon.id).await?;
    let mut sent = 0u64;
    for r in rsvps::to_notify(&mut tx, salon.id).await? {
        let Some(person) = people::by_id(&mut tx, r.person_id).await? else {
            continue;
        };
        let link = match kind {
            InviteKind::Cancellation => None,
            _ => Some(app.config.url(&format!(
                "/rsvp/{}",
                rsvp_tokens::create(&mut tx, salon.id, person.id).await?
            ))),
        };
        let reply = reply_address(app, &mut tx, salon.id, person.id).await?;
        let code = crate::domain::attendance::code(&app.csrf_key, salon.id.0, person.id.0);
        let personal = compose::Personal {
            rsvp_link: link.as_deref(),
            reply_address: Some(&reply),
            note: None,
            check_in_code: Some(&code),
        };
        let mail = compose::invitation(
            &app.config,
            kind,
            &person,
            &salon,
            &agenda,
            r.response.as_deref(),
            personal,
        )?;
        crate::mail::queue(&mut tx, &mail).await?;
        sent += 1;
    }
    salons::mark_notified(&mut tx, salon.id, salon.revision).await?;
    tx.commit().await?;
    app.mail_wake.notify_one();
    metrics::counter!("salon_notifications_total").increment(sent);
    Ok(Ok(sent))
}
