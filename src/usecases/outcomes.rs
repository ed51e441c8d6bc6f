//! Decisions and actions of a salon: recorded by organisers and note-takers (the caller checks
//! who may), each announced in the salon's rooms once committed.

use crate::app::SharedApp;
use crate::domain::outcome::{self, FieldError, Status};
use crate::ids::{
    ActionId, DecisionId, MessageId, OrganisationId, PersonId, RoomId, RoundId, ThemeId,
};
use crate::rooms::notices::About;
use crate::store::outcomes::{self, NewAction};
use crate::store::salons::Salon;
use crate::store::{rooms, rounds, themes};
use crate::usecases::announce::announce;

/// Why a decision or an action was refused; nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRecorded {
    /// Fields of the form, each with its `outcome.error.<code>`.
    Fields(Vec<FieldError>),
    /// A link to something that is not this salon's (a translation key).
    Link(&'static str),
}

/// A decision as typed: its text, and optionally the theme or closed round it settles (as the
/// form sends them: an id or empty).
pub struct NewDecision<'a> {
    pub body: &'a str,
    pub theme: &'a str,
    pub round: &'a str,
}

/// Record a decision. A theme must be of the salon's series, a round of the salon.
pub async fn decide(
    app: &SharedApp,
    salon: &Salon,
    by: PersonId,
    d: &NewDecision<'_>,
) -> Result<Result<DecisionId, NotRecorded>, sqlx::Error> {
    let theme = match series_theme(app, salon, d.theme).await? {
        Ok(theme) => theme,
        Err(refused) => return Ok(Err(refused)),
    };
    let round = match d.round.trim() {
        "" => None,
        raw => match raw.parse::<RoundId>() {
            Ok(id) => match rounds::get(&app.db, salon.id, id).await? {
                Some(r) => Some(r.id),
                None => return Ok(Err(NotRecorded::Link("round.error.no_such_round"))),
            },
            Err(_) => return Ok(Err(NotRecorded::Link("round.error.no_such_round"))),
        },
    };
    let body = match outcome::decision(d.body) {
        Ok(b) => b,
        Err(e) => return Ok(Err(NotRecorded::Fields(vec![e]))),
    };
    let new = outcomes::NewDecision {
        salon: salon.id,
        body: &body,
        theme,
        round,
        message: None,
        by,
    };
    let id = outcomes::decide(&app.db, &new).await?;
    announce(app, About::Decision(id)).await;
    Ok(Ok(id))
}

/// The theme a decision or an action names, as the form sends it (an id, or empty): one of the
/// salon's series.
async fn series_theme(
    app: &SharedApp,
    salon: &Salon,
    raw: &str,
) -> Result<Result<Option<ThemeId>, NotRecorded>, sqlx::Error> {
    let unknown = Err(NotRecorded::Link("theme.error.theme_unknown"));
    Ok(match raw.trim() {
        "" => Ok(None),
        raw => match raw.parse::<ThemeId>() {
            Ok(id) => match themes::get(&app.db, id).await? {
                Some(th) if Some(th.series_id) == salon.series_id => Ok(Some(th.id)),
                _ => unknown,
            },
            Err(_) => unknown,
        },
    })
}

/// Why a room message could not become a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromMessage {
    /// The room has no such message.
    NoSuchMessage,
    /// An organiser hid it: what was taken out of the room is not published as a decision.
    Hidden,
    /// The wording is empty, too long or has control characters (`outcome.error.decision`).
    Wording,
}

/// Record what was said in a room message as a decision, linked to the message, in the
/// recorder's `wording` (the form offers the message's text to edit; empty: the message's text).
pub async fn decide_from_message(
    app: &SharedApp,
    salon: &Salon,
    room: RoomId,
    message: MessageId,
    by: PersonId,
    wording: &str,
) -> Result<Result<DecisionId, FromMessage>, sqlx::Error> {
    let Some(m) = rooms::message(&app.db, room, message).await? else {
        return Ok(Err(FromMessage::NoSuchMessage));
    };
    if m.hidden {
        return Ok(Err(FromMessage::Hidden));
    }
    let body = if wording.trim().is_empty() {
        // A stored message was checked when it was posted, and is shorter than a decision may be.
        m.body.chars().take(outcome::DECISION_MAX).collect()
    } else {
        match outcome::decision(wording) {
            Ok(b) => b,
            Err(_) => return Ok(Err(FromMessage::Wording)),
        }
    };
    let new = outcomes::NewDecision {
        salon: salon.id,
        body: &body,
        theme: None,
        round: None,
        message: Some((room, m.id)),
        by,
    };
    let id = outcomes::decide(&app.db, &new).await?;
    announce(app, About::Decision(id)).await;
    Ok(Ok(id))
}

/// An action as typed: what, the owner (a known person) and organisation as found, due date.
pub struct ActionInput<'a> {
    pub what: &'a str,
    pub due: &'a str,
    pub owner: Option<PersonId>,
    pub organisation: Option<OrganisationId>,
    /// The salon's decision it carries out, as the form sends it (an id, or empty).
    pub decision: &'a str,
    /// The series' theme it serves, as the form sends it (an id, or empty).
    pub theme: &'a str,
}

/// Record an action; `errors` are the caller's own findings (an unknown owner), refused with
/// the form's.
pub async fn add_action(
    app: &SharedApp,
    salon: &Salon,
    by: PersonId,
    a: &ActionInput<'_>,
    errors: Vec<FieldError>,
) -> Result<Result<ActionId, NotRecorded>, sqlx::Error> {
    let (what, due) = match outcome::action_with(a.what, a.due, errors) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Err(NotRecorded::Fields(errors))),
    };
    let decision = match a.decision.trim() {
        "" => None,
        raw => match raw.parse::<DecisionId>() {
            Ok(id) => match outcomes::decision(&app.db, id).await? {
                Some(d) if d.salon_id == salon.id && d.withdrawn_at.is_none() => Some(d.id),
                _ => return Ok(Err(NotRecorded::Link("outcome.error.decision_unknown"))),
            },
            Err(_) => return Ok(Err(NotRecorded::Link("outcome.error.decision_unknown"))),
        },
    };
    let theme = match series_theme(app, salon, a.theme).await? {
        Ok(theme) => theme,
        Err(refused) => return Ok(Err(refused)),
    };
    let new = NewAction {
        salon: salon.id,
        what: &what,
        owner: a.owner,
        organisation: a.organisation,
        due,
        decision,
        theme,
        by,
    };
    let id = outcomes::add_action(&app.db, &new).await?;
    announce(app, About::Action(id)).await;
    Ok(Ok(id))
}

/// Mark an action of the salon open or done; false when the salon has no such action.
pub async fn set_action(
    app: &SharedApp,
    salon: &Salon,
    id: ActionId,
    status: Status,
) -> Result<bool, sqlx::Error> {
    if !outcomes::set_status(&app.db, salon.id, id, status).await? {
        return Ok(false);
    }
    announce(app, About::Action(id)).await;
    Ok(true)
}
