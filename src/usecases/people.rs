//! Admins manage people: add someone, change a role. Each is on the audit trail.

use super::Failure;
use crate::app::App;
use crate::domain::Role;
use crate::domain::audit::Kind;
use crate::ids::PersonId;
use crate::store::audit::{self, Event};
use crate::store::people::{self, CreateError, NewPerson, Person};

/// Add a person; `Ok(None)` when the address is taken.
pub async fn add(app: &App, new: &NewPerson<'_>, by: &Person) -> Result<Option<PersonId>, Failure> {
    let mut tx = app.db.begin().await?;
    let id = match people::create(&mut tx, new).await {
        Ok(id) => id,
        Err(CreateError::EmailTaken) => return Ok(None),
        Err(CreateError::Db(e)) => return Err(e.into()),
    };
    let subject = audit::Named { id, name: new.name };
    audit::record(
        &mut tx,
        &Event {
            actor: by.into(),
            kind: Kind::PersonAdded,
            subject: Some(subject),
            salon: None,
            detail: new.role.as_str(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Change someone's role; false when there is no such person. An unchanged role records nothing.
pub async fn set_role(app: &App, id: PersonId, role: Role, by: &Person) -> Result<bool, Failure> {
    let mut tx = app.db.begin().await?;
    let Some(person) = people::by_id(&mut tx, id).await? else {
        return Ok(false);
    };
    if person.role() != role {
        people::set_role(&mut tx, id, role).await?;
        let detail = format!("{} -> {}", person.role().as_str(), role.as_str());
        audit::record(
            &mut tx,
            &Event {
                actor: by.into(),
                kind: Kind::RoleChanged,
                subject: Some((&person).into()),
                salon: None,
                detail: &detail,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}
