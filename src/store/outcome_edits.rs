//! Correcting the record after the salon: a decision reworded or withdrawn, an action changed
//! or withdrawn. Each works only on the salon's own rows (false: no such row there) and leaves
//! the row in place (a withdrawn one keeps when).

use super::{Conn, execute};
use crate::domain::time::now;
use crate::ids::{ActionId, DecisionId, OrganisationId, PersonId, SalonId};

pub async fn reword_decision(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: DecisionId,
    body: &str,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update decision set body = $1 where id = $2 and salon_id = $3 and withdrawn_at is null",
        body,
        id,
        salon
    )? == 1)
}

pub async fn withdraw_decision(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: DecisionId,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update decision set withdrawn_at = $1 where id = $2 and salon_id = $3 and withdrawn_at is null",
        now(),
        id,
        salon
    )? == 1)
}

/// An action's new what, owner, organisation and due date.
pub struct ActionChange<'a> {
    pub what: &'a str,
    pub owner: Option<PersonId>,
    pub organisation: Option<OrganisationId>,
    pub due: Option<chrono::NaiveDate>,
}

pub async fn change_action(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: ActionId,
    a: &ActionChange<'_>,
) -> Result<bool, sqlx::Error> {
    // A new due date is worth a new reminder.
    Ok(execute!(
        c,
        "update action set what = $1, owner_id = $2, organisation_id = $3,
                reminded_at = case when due = $4 then reminded_at else null end, due = $4
         where id = $5 and salon_id = $6 and withdrawn_at is null",
        a.what,
        a.owner,
        a.organisation,
        a.due,
        id,
        salon
    )? == 1)
}

pub async fn withdraw_action(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: ActionId,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update action set withdrawn_at = $1 where id = $2 and salon_id = $3 and withdrawn_at is null",
        now(),
        id,
        salon
    )? == 1)
}
