//! Attendance: who was actually at a salon. A person entering the salon's room while it runs
//! is marked present (once); at the door an organiser checks people in by name or by the
//! personal code on their invitation (`domain::attendance`).

use crate::app::SharedApp;
use crate::domain::attendance;
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};
use crate::store::attendance::{self as store, How};
use crate::store::rsvps::{self, Participant};
use crate::store::salons::Salon;

/// The person entered a room of the salon: present, if the salon is running now.
pub async fn seen_in_room(app: &SharedApp, salon: &Salon, person: PersonId) {
    let at = now();
    if at < salon.starts_at || at >= salon.ends_at {
        return;
    }
    if let Err(e) = store::mark(&app.db, salon.id, person, How::Room, None, at).await {
        // The room works on without it; the next entry tries again.
        tracing::warn!(error = %e, salon = %salon.id, "attendance in the room was not recorded");
    }
}

/// What a check-in did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckedIn {
    /// Marked present now.
    Now(String),
    /// Present already (in the room, or checked in before).
    Already(String),
    /// Not invited to or registered for the salon.
    NotInvited,
}

/// The salon's participants (everyone invited or answered).
async fn participants(app: &SharedApp, salon: SalonId) -> Result<Vec<Participant>, sqlx::Error> {
    rsvps::participants(&app.db, salon).await
}

/// Check a person in at the door by their id (the organiser found them by name).
pub async fn check_in(
    app: &SharedApp,
    salon: SalonId,
    person: PersonId,
    by: PersonId,
) -> Result<CheckedIn, sqlx::Error> {
    let list = participants(app, salon).await?;
    let Some(p) = list.iter().find(|p| p.person_id == person) else {
        return Ok(CheckedIn::NotInvited);
    };
    mark(app, salon, p, by).await
}

async fn mark(
    app: &SharedApp,
    salon: SalonId,
    p: &Participant,
    by: PersonId,
) -> Result<CheckedIn, sqlx::Error> {
    Ok(
        if store::mark(&app.db, salon, p.person_id, How::Door, Some(by), now()).await? {
            CheckedIn::Now(p.name.clone())
        } else {
            CheckedIn::Already(p.name.clone())
        },
    )
}

/// Check in the participant whose personal code was typed (who, and what it did); `None` when
/// no one's matches.
pub async fn check_in_by_code(
    app: &SharedApp,
    salon: SalonId,
    typed: &str,
    by: PersonId,
) -> Result<Option<(PersonId, CheckedIn)>, sqlx::Error> {
    let Some(code) = attendance::normalise(typed) else {
        return Ok(None);
    };
    let list = participants(app, salon).await?;
    let found = list
        .iter()
        .find(|p| attendance::code(&app.csrf_key, salon.0, p.person_id.0) == code);
    match found {
        Some(p) => Ok(Some((p.person_id, mark(app, salon, p, by).await?))),
        None => Ok(None),
    }
}

/// A person's code for a salon, as the invitation and their answer page show it.
pub fn code_of(app: &SharedApp, salon: SalonId, person: PersonId) -> String {
    attendance::code(&app.csrf_key, salon.0, person.0)
}
