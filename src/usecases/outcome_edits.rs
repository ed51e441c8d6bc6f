//! Keeping the record right after the salon: organisers and note-takers (the caller checks who
//! may) reword or withdraw a decision and change or withdraw an action. Each change is on the
//! audit trail, with the earlier words in its detail, and is announced in the salon's rooms.

use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::domain::outcome::{self, FieldError};
use crate::ids::{ActionId, DecisionId};
use crate::rooms::notices::About;
use crate::store::outcome_edits::{self, ActionChange};
use crate::store::people::Person;
use crate::store::salons::Salon;
use crate::store::{audit, outcomes};
use crate::usecases::announce::announce;

/// What became of an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edited {
    Done,
    /// The salon has no such decision or action (or it was withdrawn).
    NotFound,
    /// The new words were refused (`outcome.error.<code>`); nothing changed.
    Fields(Vec<FieldError>),
}

async fn audited(
    tx: &mut crate::store::Tx,
    by: &Person,
    kind: Kind,
    salon: &Salon,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let event = audit::Event {
        actor: by.into(),
        kind,
        subject: None,
        salon: Some(salon.id),
        detail,
    };
    audit::record(&mut *tx, &event).await
}

pub async fn reword_decision(
    app: &SharedApp,
    salon: &Salon,
    by: &Person,
    id: DecisionId,
    body: &str,
) -> Result<Edited, sqlx::Error> {
    let body = match outcome::decision(body) {
        Ok(b) => b,
        Err(e) => return Ok(Edited::Fields(vec![e])),
    };
    let Some(before) = outcomes::decision(&app.db, id).await? else {
        return Ok(Edited::NotFound);
    };
    let mut tx = app.db.begin().await?;
    if !outcome_edits::reword_decision(&mut tx, salon.id, id, &body).await? {
        return Ok(Edited::NotFound);
    }
    let detail = format!("decision {id}: {}", before.body);
    audited(&mut tx, by, Kind::DecisionReworded, salon, &detail).await?;
    tx.commit().await?;
    announce(app, About::Decision(id)).await;
    Ok(Edited::Done)
}

pub async fn withdraw_decision(
    app: &SharedApp,
    salon: &Salon,
    by: &Person,
    id: DecisionId,
) -> Result<Edited, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    if !outcome_edits::withdraw_decision(&mut tx, salon.id, id).await? {
        return Ok(Edited::NotFound);
    }
    let detail = format!("decision {id}");
    audited(&mut tx, by, Kind::DecisionWithdrawn, salon, &detail).await?;
    tx.commit().await?;
    announce(app, About::Decision(id)).await;
    Ok(Edited::Done)
}

/// The action as typed again (the owner and organisation looked up by the caller).
pub struct ActionEdit<'a> {
    pub what: &'a str,
    pub due: &'a str,
    pub owner: Option<crate::ids::PersonId>,
    pub organisation: Option<crate::ids::OrganisationId>,
}

pub async fn change_action(
    app: &SharedApp,
    salon: &Salon,
    by: &Person,
    id: ActionId,
    a: &ActionEdit<'_>,
    errors: Vec<FieldError>,
) -> Result<Edited, sqlx::Error> {
    let (what, due) = match outcome::action_with(a.what, a.due, errors) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Edited::Fields(errors)),
    };
    let Some(before) = outcomes::action(&app.db, id).await? else {
        return Ok(Edited::NotFound);
    };
    let change = ActionChange {
        what: &what,
        owner: a.owner,
        organisation: a.organisation,
        due,
    };
    let mut tx = app.db.begin().await?;
    if !outcome_edits::change_action(&mut tx, salon.id, id, &change).await? {
        return Ok(Edited::NotFound);
    }
    let was = [before.owner.clone(), before.due.map(|d| d.to_string())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let detail = format!("action {id}: {} ({was})", before.what);
    audited(&mut tx, by, Kind::ActionChanged, salon, &detail).await?;
    tx.commit().await?;
    announce(app, About::Action(id)).await;
    Ok(Edited::Done)
}

pub async fn withdraw_action(
    app: &SharedApp,
    salon: &Salon,
    by: &Person,
    id: ActionId,
) -> Result<Edited, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    if !outcome_edits::withdraw_action(&mut tx, salon.id, id).await? {
        return Ok(Edited::NotFound);
    }
    let detail = format!("action {id}");
    audited(&mut tx, by, Kind::ActionWithdrawn, salon, &detail).await?;
    tx.commit().await?;
    announce(app, About::Action(id)).await;
    Ok(Edited::Done)
}
