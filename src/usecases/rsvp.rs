//! An answer to a salon, with the mails it causes: "answer -> promotion mails -> commit -> wake
//! the outbox", for the salon page, the answer link in a mail and a confirmed registration.

use super::Failure;
use crate::app::App;
use crate::config::Config;
use crate::domain::rsvp::{NotAccepted, Response, Standing};
use crate::error::AppError;
use crate::ids::{PersonId, SalonId};
use crate::mail::compose;
use crate::store::rsvps::{self, RespondError, Rules};
use crate::store::salons::Salon;
use crate::store::{Tx, people};

/// What an answer did.
#[derive(Debug)]
pub struct Answered {
    pub salon: Salon,
    pub standing: Standing,
    /// How many people moved from the waitlist to a seat (each was mailed).
    pub promoted: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("no such salon")]
    NoSuchSalon,
    /// The rules do not allow this answer now; the page says why.
    #[error("refused: {}", .0.code())]
    Refused(NotAccepted),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl From<sqlx::Error> for AnswerError {
    fn from(e: sqlx::Error) -> Self {
        AnswerError::Failure(e.into())
    }
}

impl From<RespondError> for AnswerError {
    fn from(e: RespondError) -> Self {
        match e {
            RespondError::NoSuchSalon => AnswerError::NoSuchSalon,
            RespondError::Refused(r) => AnswerError::Refused(r),
            RespondError::Db(e) => e.into(),
        }
    }
}

impl From<AnswerError> for AppError {
    fn from(e: AnswerError) -> Self {
        match e {
            AnswerError::NoSuchSalon => AppError::NotFound,
            AnswerError::Refused(r) => AppError::BadRequest(r.message_key()),
            AnswerError::Failure(f) => f.into(),
        }
    }
}

/// Record the answer in its own transaction, mail anyone promoted, and wake the outbox.
pub async fn answer(
    app: &App,
    salon: SalonId,
    person: PersonId,
    response: Response,
    show_in_list: bool,
    rules: Rules,
) -> Result<Answered, AnswerError> {
    let mut tx = app.db.begin().await?;
    let before = rsvps::of(&mut tx, salon, person)
        .await?
        .map(|r| r.standing());
    let done = answer_in(
        &mut tx,
        &app.config,
        salon,
        person,
        response,
        show_in_list,
        rules,
    )
    .await?;
    let confirm = done.standing == Standing::Seated && before != Some(Standing::Seated);
    if confirm {
        queue_confirmation(app, &mut tx, &done.salon, person).await?;
    }
    tx.commit().await?;
    // The salon's page shows the counts and the list.
    app.generations.salon_changed();
    if done.promoted > 0 || confirm {
        app.mail_wake.notify_one();
    }
    Ok(done)
}

/// A yes that took a seat is confirmed by mail, in the same transaction: the calendar entry
/// again (REQUEST, same UID and SEQUENCE, accepted) with the video link, and the room's address.
async fn queue_confirmation(
    app: &App,
    tx: &mut Tx,
    salon: &Salon,
    person: PersonId,
) -> Result<(), Failure> {
    let Some(who) = people::by_id(&mut *tx, person).await? else {
        return Ok(());
    };
    let agenda = crate::store::salons::agenda(&mut *tx, salon.id).await?;
    let reply = super::invitations::reply_address(app, tx, salon.id, person).await?;
    let code = crate::domain::attendance::code(&app.csrf_key, salon.id.0, person.0);
    let personal = compose::Personal {
        rsvp_link: None,
        reply_address: Some(&reply),
        note: None,
        check_in_code: Some(&code),
    };
    let mail = compose::invitation(
        &app.config,
        compose::InviteKind::Confirmation,
        &who,
        salon,
        &agenda,
        Some("yes"),
        personal,
    )?;
    crate::mail::queue(&mut *tx, &mail).await?;
    Ok(())
}

/// An organiser records someone's answer for them (a phone call, a note at the door): the
/// deadline does not apply, the waitlist does, and the audit trail names who did it.
pub async fn on_behalf(
    app: &App,
    salon: SalonId,
    person: &crate::store::people::Person,
    response: Response,
    by: &crate::store::people::Person,
) -> Result<Answered, AnswerError> {
    let mut tx = app.db.begin().await?;
    // Whether they are shown on the public list stays their own choice.
    let shown = rsvps::of(&mut tx, salon, person.id)
        .await?
        .is_some_and(|r| r.show_in_list);
    let done = answer_in(
        &mut tx,
        &app.config,
        salon,
        person.id,
        response,
        shown,
        Rules::OnBehalf,
    )
    .await?;
    let event = crate::store::audit::Event {
        actor: by.into(),
        kind: crate::domain::audit::Kind::AnswerSet,
        subject: Some(person.into()),
        salon: Some(salon),
        detail: response.as_str(),
    };
    crate::store::audit::record(&mut tx, &event).await?;
    tx.commit().await?;
    app.generations.salon_changed();
    if done.promoted > 0 {
        app.mail_wake.notify_one();
    }
    Ok(done)
}

/// The same inside the caller's transaction (which also does other things; the caller commits
/// and wakes the outbox).
pub async fn answer_in(
    tx: &mut Tx,
    config: &Config,
    salon: SalonId,
    person: PersonId,
    response: Response,
    show_in_list: bool,
    rules: Rules,
) -> Result<Answered, AnswerError> {
    let done = rsvps::record(tx, salon, person, response, show_in_list, rules).await?;
    queue_promoted(tx, config, &done.salon, &done.promoted).await?;
    metrics::counter!("salon_rsvps_total", "response" => response.as_str()).increment(1);
    Ok(Answered {
        salon: done.salon,
        standing: done.standing,
        promoted: done.promoted.len(),
    })
}

/// Tell each promoted person they now have a seat (inside the transaction that promoted them).
pub async fn queue_promoted(
    tx: &mut Tx,
    config: &Config,
    salon: &Salon,
    promoted: &[PersonId],
) -> Result<(), Failure> {
    for id in promoted {
        let Some(person) = people::by_id(&mut *tx, *id).await? else {
            continue;
        };
        let mail = compose::promoted(config, &person, salon)?;
        crate::mail::queue(&mut *tx, &mail).await?;
    }
    Ok(())
}
