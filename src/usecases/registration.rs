//! Registration for an open salon by someone not yet known: a confirmation link is mailed
//! (double opt-in, 48 hours, used once); confirming creates the person if new, answers yes (a
//! seat or the waitlist) and signs a new person in. An address that already belongs to
//! someone gets the answer but no session: the link must not be a way around the 15-minute,
//! rate-limited sign-in link (the address may be an admin's).

use super::Failure;
use super::rsvp::{AnswerError, answer_in};
use crate::app::App;
use crate::domain::person::PersonFields;
use crate::domain::rsvp::{self, Response, Standing};
use crate::domain::salon::Registration;
use crate::domain::time::now;
use crate::domain::{Email, Role};
use crate::i18n::Locale;
use crate::ids::{OrganisationId, SalonId};
use crate::store::rsvps::Rules;
use crate::store::salons::Salon;
use crate::store::{organisations, people, registrations, sessions};

/// May people register for this salon now (open registration, answers still taken)?
pub fn is_open(salon: &Salon) -> bool {
    salon.registration() == Registration::Open
        && rsvp::may_answer(&salon.facts(), Some(Standing::Invited), now()).is_ok()
}

/// Store the pending registration and queue the confirmation mail.
pub async fn request(
    app: &App,
    salon: &Salon,
    who: &PersonFields,
    email: &Email,
    organisation: &str,
    locale: Locale,
) -> Result<(), Failure> {
    let mut tx = app.db.begin().await?;
    let secret = registrations::create(
        &mut tx,
        &registrations::NewRegistration {
            salon_id: salon.id,
            email: email.as_str(),
            name: &who.name,
            organisation,
            title: who.title.as_deref().unwrap_or(""),
            locale: locale.code(),
        },
    )
    .await?;
    let link = app.config.url(&format!("/register/{secret}"));
    let mail = crate::mail::compose::confirm_registration(
        &app.config,
        email.as_str(),
        locale,
        salon,
        &link,
    )?;
    crate::mail::queue(&mut tx, &mail).await?;
    tx.commit().await?;
    app.mail_wake.notify_one();
    Ok(())
}

/// A registration confirmed from the mail.
#[derive(Debug)]
pub struct Confirmed {
    pub salon_id: SalonId,
    /// The answer was recorded (false: the salon closed in between; the person exists now).
    pub answered: bool,
    /// A session for a person created now; None for an address that was already known.
    pub session: Option<String>,
}

/// Use the link: None when it is unknown, used or expired. `old_session` (the browser's
/// current session, if any) is ended when a new one starts (no session fixation).
pub async fn confirm(
    app: &App,
    token: &str,
    old_session: Option<&str>,
) -> Result<Option<Confirmed>, Failure> {
    let mut tx = app.db.begin().await?;
    let Some(pending) = registrations::consume(&mut tx, token).await? else {
        return Ok(None);
    };
    let Ok(email) = Email::parse(&pending.email) else {
        return Ok(None);
    };
    let known = people::by_email(&mut tx, &email).await?;
    let person_id = match &known {
        Some(p) => p.id,
        None => {
            let organisation_id: Option<OrganisationId> = match pending.organisation.as_str() {
                "" => None,
                short => organisations::by_short_name(&mut tx, short)
                    .await?
                    .map(|o| o.id),
            };
            let new = people::NewPerson {
                email: &email,
                name: &crate::domain::text::defang(&pending.name),
                title: Some(pending.title.as_str()).filter(|t| !t.is_empty()),
                role: Role::Member,
                locale: Locale::from_code(&pending.locale).unwrap_or_default(),
                organisation_id,
            };
            match people::create(&mut tx, &new).await {
                Ok(id) => id,
                Err(people::CreateError::EmailTaken) => return Ok(None),
                Err(people::CreateError::Db(e)) => return Err(e.into()),
            }
        }
    };
    let answered = match answer_in(
        &mut tx,
        &app.config,
        pending.salon_id,
        person_id,
        Response::Yes,
        false,
        Rules::Enforce,
    )
    .await
    {
        Ok(_) => true,
        // The salon closed between request and confirmation: they are known now, but not answered.
        Err(AnswerError::Refused(_) | AnswerError::NoSuchSalon) => false,
        Err(AnswerError::Failure(f)) => return Err(f),
    };
    let session = match known {
        Some(_) => None,
        None => {
            if let Some(old) = old_session {
                sessions::delete(&mut tx, old).await?;
            }
            Some(
                sessions::create(&mut tx, person_id, app.config.privacy.retention.sessions())
                    .await?,
            )
        }
    };
    tx.commit().await?;
    app.generations.salon_changed();
    app.mail_wake.notify_one();
    Ok(Some(Confirmed {
        salon_id: pending.salon_id,
        answered,
        session,
    }))
}
