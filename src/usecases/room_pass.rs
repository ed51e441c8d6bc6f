//! Into the room from the invitation: a latecomer who answered yes from the mail goes in with
//! one more click, without waiting for a sign-in mail.
//!
//! The invitation's personal link (`/rsvp/{token}`) is a bearer secret already: it answers for
//! the person. It is not made a full sign-in, because a forwarded invitation would then hand
//! over the whole account (its export, its deletion). The session it makes is good for the one
//! salon's pages and room only (`web::context` treats it as anonymous anywhere else) and ends
//! with the salon; only members get one (an organiser's session can do far more, so they sign
//! in by mail); and only while the room's door is open to a registered person.

use super::Failure;
use crate::app::App;
use crate::domain::Role;
use crate::ids::{PersonId, SalonId};
use crate::store::{people, rsvp_tokens, rsvps, salons, sessions};

/// How long a room pass outlives the salon's planned end (meetings run over).
const OVERRUN: chrono::Duration = chrono::Duration::minutes(60);

/// The way in: the salon, and a new session for the cookie (none when the browser is signed
/// in as the person already) with how long it lasts.
pub struct Pass {
    pub salon: SalonId,
    pub session: Option<String>,
    pub lasts: chrono::Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPass {
    /// The link is unknown or revoked.
    Link,
    /// An organiser or admin: they sign in by mail, then come to this salon's room.
    SignInByMail(SalonId),
    /// Not registered, or the room's door is not open now.
    NotNow,
}

/// Enter the salon's room by the invitation's link. `signed_in_as` is who the browser is
/// signed in as already; `old_session` (the browser's session before) ends when a new one
/// starts (never the old id: session fixation).
pub async fn enter(
    app: &App,
    token: &str,
    signed_in_as: Option<PersonId>,
    old_session: Option<&str>,
) -> Result<Result<Pass, NoPass>, Failure> {
    let Some((salon_id, person_id)) = rsvp_tokens::resolve(&app.db, token).await? else {
        return Ok(Err(NoPass::Link));
    };
    let (Some(salon), Some(person)) = (
        salons::get(&app.db, salon_id).await?,
        people::by_id(&app.db, person_id).await?,
    ) else {
        return Ok(Err(NoPass::Link));
    };
    let now = crate::domain::time::now();
    let registered = rsvps::of(&app.db, salon_id, person_id)
        .await?
        .is_some_and(|r| r.standing().is_registered());
    if !registered || !salon.facts().room_door_open(now) {
        return Ok(Err(NoPass::NotNow));
    }
    if signed_in_as == Some(person_id) {
        return Ok(Ok(Pass {
            salon: salon_id,
            session: None,
            lasts: chrono::Duration::zero(),
        }));
    }
    if person.role() != Role::Member {
        return Ok(Err(NoPass::SignInByMail(salon_id)));
    }
    let until = salon.ends_at + OVERRUN;
    let mut tx = app.db.begin().await?;
    if let Some(old) = old_session {
        sessions::delete(&mut tx, old).await?;
    }
    let secret = sessions::create_for_salon(&mut tx, person_id, salon_id, until).await?;
    tx.commit().await?;
    metrics::counter!("salon_room_passes_total").increment(1);
    Ok(Ok(Pass {
        salon: salon_id,
        session: Some(secret),
        lasts: until - now,
    }))
}
