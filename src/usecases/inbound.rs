//! Taking in one inbound mail, from any of its doors (IMAP, `salon mail ingest`, `POST
//! /inbound/mail`): read it (`mail::inbound`), act on a calendar reply or a bounce, set aside
//! everything else, and record what was done (`/admin/inbox`).
//!
//! A reply acts through the same RSVP rules as the web (`usecases::rsvp`, `Rules::Enforce`:
//! capacity, waitlist, deadline). Who replied comes from the reply address's token, never from
//! the From header: no token, an unknown or revoked one, another event's UID, or an ATTENDEE
//! who is not the invited person (unless the reply says it was delegated from them) change
//! nothing. The same message twice (Message-ID), the same reply twice (PARTSTAT and DTSTAMP)
//! and an older reply arriving after a newer one are applied once / not at all.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use super::Failure;
use super::rsvp::{self, AnswerError};
use crate::app::App;
use crate::domain::rsvp::{NotAccepted, Response, Standing};
use crate::domain::salon::Status;
use crate::ids::{PersonId, SalonId};
use crate::mail::inbound::{self, Bounce, Envelope, Inbound, Reply};
use crate::store::inbound::Taken;
use crate::store::rsvps::Rules;
use crate::store::{Tx, inbound as taken, people, reply_addresses, salons};

/// Where a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Imap,
    Pipe,
    Http,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Imap => "imap",
            Source::Pipe => "pipe",
            Source::Http => "http",
        }
    }
}

/// What was done with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// Acted on: an answer recorded, a bounce marked, a counter-proposal noted.
    Applied(String),
    /// Deliberately left alone, with why (`inbox.reason.<code>`).
    Ignored(&'static str),
}

impl Handled {
    fn parts(&self) -> (&'static str, String) {
        match self {
            Handled::Applied(d) => ("applied", d.clone()),
            Handled::Ignored(why) => ("ignored", (*why).to_string()),
        }
    }
}

/// What a reply did, for the record.
struct Acted {
    outcome: Handled,
    salon: Option<SalonId>,
    person: Option<PersonId>,
    comment: String,
}

impl Acted {
    fn ignored(why: &'static str) -> Acted {
        Acted {
            outcome: Handled::Ignored(why),
            salon: None,
            person: None,
            comment: String::new(),
        }
    }
}

/// Take in one raw message, in one transaction: the answer, the reply's stamp, the mails it
/// causes and the record of the message commit together or not at all, so a crash or a failed
/// commit anywhere leaves nothing behind and the message, delivered again, is taken in once.
/// Errors are the database's (the caller retries later: the pipe exits 75, IMAP leaves the
/// message where it is, HTTP answers 503).
pub async fn ingest(app: &App, raw: &[u8], source: Source) -> Result<Handled, Failure> {
    let (envelope, what) = inbound::read(raw);
    let mut tx = app.db.begin().await?;
    if let Some(id) = &envelope.message_id
        && taken::seen(&mut tx, id).await?
    {
        metrics::counter!("salon_inbound_total", "outcome" => "duplicate").increment(1);
        return Ok(Handled::Ignored("duplicate"));
    }
    // A bounce of our own mail, counted once committed (the "bounces rising" alert).
    let bounce = match &what {
        Inbound::Bounce(b) => Some(if b.permanent {
            "permanent"
        } else {
            "temporary"
        }),
        _ => None,
    };
    let acted = match what {
        Inbound::Reply(reply) => act_on_reply(&mut tx, app, &envelope, &reply).await?,
        Inbound::Bounce(bounce) => act_on_bounce(&mut tx, &bounce).await?,
        Inbound::AutoReply => Acted::ignored("auto_reply"),
        Inbound::Other(why) => Acted::ignored(why),
    };
    let (outcome, detail) = acted.outcome.parts();
    let record = Taken {
        message_id: envelope.message_id.as_deref(),
        source: source.as_str(),
        sender: &envelope.from,
        subject: &envelope.subject,
        outcome,
        detail: &detail,
        salon: acted.salon,
        person: acted.person,
        comment: &acted.comment,
    };
    if !taken::record(&mut tx, &record).await? {
        // Another instance took the same message in meanwhile: what was done here is undone.
        drop(tx);
        metrics::counter!("salon_inbound_total", "outcome" => "duplicate").increment(1);
        return Ok(Handled::Ignored("duplicate"));
    }
    tx.commit().await?;
    // A calendar's answer changes the salon's counts.
    app.generations.salon_changed();
    app.mail_wake.notify_one();
    metrics::counter!("salon_inbound_total", "outcome" => outcome).increment(1);
    if let Some(kind) = bounce.filter(|_| outcome == "applied") {
        metrics::counter!("salon_mail_bounces_total", "kind" => kind).increment(1);
    }
    tracing::info!(source = source.as_str(), outcome, detail = %detail, "inbound mail");
    Ok(acted.outcome)
}

/// A message too large to be read (its size as the mailbox reports it): recorded as such,
/// without being fetched.
pub async fn too_large(app: &App, size: usize, source: Source) -> Result<(), Failure> {
    let record = Taken {
        message_id: None,
        source: source.as_str(),
        sender: "",
        subject: "",
        outcome: "ignored",
        detail: "too_large",
        salon: None,
        person: None,
        comment: "",
    };
    taken::record(&app.db, &record).await?;
    metrics::counter!("salon_inbound_total", "outcome" => "ignored").increment(1);
    tracing::info!(
        source = source.as_str(),
        size,
        "inbound mail too large; set aside unread"
    );
    Ok(())
}

/// The reply's DTSTAMP as a time (`YYYYMMDDTHHMMSSZ`); a reply without one sorts first. A
/// stamp later than the moment the reply arrives counts as that moment: a reply dated in the
/// year 9999 would otherwise make every later genuine answer look older and be ignored (and a
/// sender's clock running fast would put its reply ahead of a truly later one).
fn dtstamp(raw: &str, arrived: DateTime<Utc>) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(raw.trim_end_matches('Z'), "%Y%m%dT%H%M%S")
        .map(|t| Utc.from_utc_datetime(&t))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        .min(arrived)
}

mod reply;
use reply::{apply_answer, reason_to_ignore};

async fn act_on_reply(
    tx: &mut Tx,
    app: &App,
    envelope: &Envelope,
    reply: &Reply,
) -> Result<Acted, Failure> {
    let mut found = None;
    for token in &envelope.tokens {
        if let Some(a) = reply_addresses::find(&mut *tx, token).await? {
            found = Some(a);
            break;
        }
    }
    let Some(address) = found else {
        return Ok(Acted::ignored(if envelope.tokens.is_empty() {
            "no_token"
        } else {
            "unknown_token"
        }));
    };
    let mut acted = Acted {
        outcome: Handled::Ignored("revoked"),
        salon: Some(address.salon_id),
        person: Some(address.person_id),
        comment: reply.comment.clone(),
    };
    if address.revoked_at.is_some() {
        return Ok(acted);
    }
    let (Some(person), Some(salon)) = (
        people::by_id(&mut *tx, address.person_id).await?,
        salons::get(&mut *tx, address.salon_id).await?,
    ) else {
        acted.outcome = Handled::Ignored("unknown_token");
        return Ok(acted);
    };
    let stamp = dtstamp(&reply.dtstamp, crate::domain::time::now());
    if let Some(why) = reason_to_ignore(app, reply, &salon, &person, &address, stamp) {
        acted.outcome = Handled::Ignored(why);
        return Ok(acted);
    }
    if reply.counter {
        let proposed = reply.proposed_start.clone().unwrap_or_default();
        acted.outcome = Handled::Applied(format!("note:counter {proposed}"));
        notify_organiser(
            tx,
            app,
            &salon,
            &person.name,
            &format!("{proposed} {}", reply.comment),
        )
        .await?;
        return Ok(acted);
    }
    acted.outcome = apply_answer(tx, app, reply, &salon, &person, stamp).await?;
    Ok(acted)
}

enum Told {
    Refused(NotAccepted),
    Waitlisted(i64),
}

/// A short mail to someone whose calendar answer could not simply be taken: past the deadline,
/// or onto the waitlist (the calendar said "accepted", the seat is not theirs yet).
async fn tell_person(
    tx: &mut Tx,
    app: &App,
    person: &people::Person,
    salon: &salons::Salon,
    told: Told,
) -> Result<(), Failure> {
    let l = person.locale().code();
    let paragraph = match told {
        Told::Refused(r) => rust_i18n::t!(r.message_key(), locale = l).to_string(),
        Told::Waitlisted(place) => {
            rust_i18n::t!("mail.calendar_answer.waitlisted", locale = l, n = place).to_string()
        }
    };
    let mail = crate::mail::notices::calendar_answer(&app.config, person, salon, paragraph)?;
    crate::mail::queue(&mut *tx, &mail).await?;
    Ok(())
}

/// Tell the salon's organiser about a comment or a proposed new time from a calendar.
async fn notify_organiser(
    tx: &mut Tx,
    app: &App,
    salon: &salons::Salon,
    who: &str,
    note: &str,
) -> Result<(), Failure> {
    let Some(organiser_id) = salon.organiser_id else {
        return Ok(());
    };
    let Some(organiser) = people::by_id(&mut *tx, organiser_id).await? else {
        return Ok(());
    };
    let mail = crate::mail::notices::calendar_note(&app.config, &organiser, salon, who, note)?;
    crate::mail::queue(&mut *tx, &mail).await?;
    Ok(())
}

async fn act_on_bounce(tx: &mut Tx, bounce: &Bounce) -> Result<Acted, Failure> {
    let bracketed: Vec<String> = bounce
        .original_ids
        .iter()
        .map(|id| format!("<{id}>"))
        .collect();
    let ours = taken::known_ids(&mut *tx, &bracketed).await?;
    if ours.is_empty() {
        return Ok(Acted::ignored("bounce_unknown"));
    }
    if !bounce.permanent {
        return Ok(Acted {
            outcome: Handled::Applied(format!("temporary {}", bounce.status)),
            salon: None,
            person: None,
            comment: String::new(),
        });
    }
    let recipients = taken::bounced(&mut *tx, &ours, &bounce.status).await?;
    Ok(Acted {
        outcome: Handled::Applied(format!(
            "bounced {} {}",
            bounce.status,
            recipients.join(", ")
        )),
        salon: None,
        person: None,
        comment: String::new(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_stamp_in_the_future_counts_as_the_moment_it_arrived() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
        assert_eq!(
            dtstamp("20261205T085900Z", now),
            Utc.with_ymd_and_hms(2026, 12, 5, 8, 59, 0).unwrap()
        );
        assert_eq!(dtstamp("20261205T090400Z", now), now);
        assert_eq!(dtstamp("99991231T235959Z", now), now);
        assert_eq!(dtstamp("nonsense", now), DateTime::<Utc>::UNIX_EPOCH);
    }
}
