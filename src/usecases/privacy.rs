//! A person's own data: the export (everything Salon holds about them, as one JSON document)
//! and the deletion of their account, by themselves or by an admin for someone who asked by
//! mail. Both are on the audit trail.

use serde_json::{Value, json};

use super::Failure;
use super::rsvp::answer_in;
use crate::app::App;
use crate::domain::audit::Kind;
use crate::domain::rsvp::Response;
use crate::store::audit::{self, Event, Named};
use crate::store::people::Person;
use crate::store::rsvps::{self, Rules};
use crate::store::{privacy, sessions};

/// Everything about `person` as one JSON document, and a row on the audit trail naming who
/// asked (the person, or an admin).
pub async fn export(app: &App, person: &Person, by: &Person) -> Result<Value, Failure> {
    let db = &app.db;
    let (p, e) = (person.id, person.email.as_str());
    let doc = json!({
        "format": "salon-export/1",
        "exported_at": crate::domain::time::now(),
        "installation": app.config.base_url.as_str(),
        "profile": privacy::profile(db, p, e).await?.into_iter().next(),
        "rsvps": privacy::rsvps(db, p, e).await?,
        "registrations": privacy::registrations(db, p, e).await?,
        "room_messages": privacy::messages(db, p, e).await?,
        "question_votes": privacy::question_votes(db, p, e).await?,
        "room_mutes": privacy::room_mutes(db, p, e).await?,
        "themes_proposed": privacy::themes(db, p, e).await?,
        "themes_supported": privacy::theme_support(db, p, e).await?,
        "theme_comments": privacy::theme_comments(db, p, e).await?,
        "ballots": privacy::ballots(db, p, e).await?,
        "proposals_put": privacy::proposals(db, p, e).await?,
        "stances": privacy::stances(db, p, e).await?,
        "polls_put": privacy::polls(db, p, e).await?,
        "poll_answers": privacy::poll_answers(db, p, e).await?,
        "attendance": privacy::attendance(db, p, e).await?,
        "materials": privacy::materials(db, p, e).await?,
        "time_poll_answers": privacy::time_answers(db, p, e).await?,
        "landscape_revisions": privacy::landscape_revisions(db, p, e).await?,
        "landscape_stewardships": privacy::stewardships(db, p, e).await?,
        "group_memberships": privacy::group_memberships(db, p, e).await?,
        "group_updates": privacy::group_updates(db, p, e).await?,
        "note_taker_for": privacy::note_taker(db, p, e).await?,
        "decisions_recorded": privacy::decisions(db, p, e).await?,
        "actions": privacy::actions(db, p, e).await?,
        "salons_organised": privacy::salons_organised(db, p, e).await?,
        "answer_links": privacy::answer_links(db, p, e).await?,
        "calendar_reply_addresses": privacy::reply_addresses(db, p, e).await?,
        "feed_links": privacy::feed_links(db, p, e).await?,
        "sessions": privacy::sessions(db, p, e).await?,
        "sign_in_links": privacy::sign_in_links(db, p, e).await?,
        "mails_to_you": privacy::mails(db, p, e).await?,
        "mails_from_you": privacy::mail_received(db, p, e).await?,
        "reminders": privacy::reminders(db, p, e).await?,
        "audit_trail": audit::about(db, p).await?,
    });
    audit::record(
        db,
        &Event {
            actor: by.into(),
            kind: Kind::DataExported,
            subject: Some(person.into()),
            salon: None,
            detail: "",
        },
    )
    .await?;
    Ok(doc)
}

/// What a deletion did.
#[derive(Debug)]
pub struct Deleted {
    /// Seats and waitlist places given up.
    pub answers_withdrawn: usize,
    /// People moved from a waitlist to a seat (each mailed).
    pub promoted: usize,
    pub erased: privacy::Erased,
}

/// Delete `person`'s account in one transaction: their seats and waitlist places in salons not
/// yet over are declined (the waitlist moves up and the promoted are mailed, as with any
/// decline), sessions and links end, their name leaves the audit trail, mail to them is
/// dropped, and the person row goes; what they wrote stays for the record without a name.
pub async fn delete_account(app: &App, person: &Person, by: &Person) -> Result<Deleted, Failure> {
    let mut tx = app.db.begin().await?;
    let mut withdrawn = 0;
    let mut promoted = 0;
    for salon in rsvps::holding_upcoming(&mut tx, person.id).await? {
        match answer_in(
            &mut tx,
            &app.config,
            salon,
            person.id,
            Response::No,
            false,
            Rules::OnBehalf,
        )
        .await
        {
            Ok(done) => {
                withdrawn += 1;
                promoted += done.promoted;
            }
            Err(super::rsvp::AnswerError::Failure(f)) => return Err(f),
            // The salon went away meanwhile: nothing to give up there.
            Err(_) => {}
        }
    }
    sessions::delete_all(&mut tx, person.id).await?;
    let detail = if by.id == person.id { "self" } else { "admin" };
    audit::record(
        &mut tx,
        &Event {
            actor: by.into(),
            kind: Kind::AccountDeleted,
            subject: Some(Named {
                id: person.id,
                name: "",
            }),
            salon: None,
            detail,
        },
    )
    .await?;
    audit::forget_name(&mut tx, person.id).await?;
    let erased = privacy::erase(&mut tx, person.id, &person.email).await?;
    tx.commit().await?;
    // Seats freed, names gone from the lists.
    app.generations.salon_changed();
    if promoted > 0 {
        app.mail_wake.notify_one();
    }
    metrics::counter!("salon_accounts_deleted_total").increment(1);
    tracing::info!(person = %person.id, withdrawn, promoted, mails = erased.mails, "account deleted");
    Ok(Deleted {
        answers_withdrawn: withdrawn,
        promoted,
        erased,
    })
}
