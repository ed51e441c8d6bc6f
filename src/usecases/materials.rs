//! A salon's materials: an organiser or a note-taker of the salon adds a link or a file (checked
//! by `domain::material`) or removes one; each change is on the audit trail and shows at once
//! on the salon page and, live, in the salon's rooms. Who may is the caller's check.

use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::domain::material::Phase;
use crate::ids::{MaterialId, SalonId};
use crate::rooms::notices::About;
use crate::store::audit::{self, Event};
use crate::store::materials::{self, What};
use crate::store::people::Person;
use crate::usecases::announce::announce;

/// Add a material (a link, or a file already checked) to a salon.
pub async fn add(
    app: &SharedApp,
    salon: SalonId,
    title: &str,
    phase: Phase,
    what: &What<'_>,
    by: &Person,
) -> Result<MaterialId, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let id = materials::add(&mut tx, salon, title, phase, what, by.id).await?;
    audit::record(
        &mut tx,
        &Event {
            actor: by.into(),
            kind: Kind::MaterialAdded,
            subject: None,
            salon: Some(salon),
            detail: title,
        },
    )
    .await?;
    tx.commit().await?;
    changed(app, salon).await;
    Ok(id)
}

/// Remove a material of a salon; false when there was none.
pub async fn remove(
    app: &SharedApp,
    salon: SalonId,
    id: MaterialId,
    by: &Person,
) -> Result<bool, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let Some(m) = materials::get(&mut tx, salon, id).await? else {
        return Ok(false);
    };
    materials::remove(&mut tx, salon, id).await?;
    audit::record(
        &mut tx,
        &Event {
            actor: by.into(),
            kind: Kind::MaterialRemoved,
            subject: None,
            salon: Some(salon),
            detail: &m.title,
        },
    )
    .await?;
    tx.commit().await?;
    changed(app, salon).await;
    Ok(true)
}

/// The salon page and the rooms show the new list.
async fn changed(app: &SharedApp, salon: SalonId) {
    app.generations.salon_changed();
    announce(app, About::Materials(salon)).await;
}
