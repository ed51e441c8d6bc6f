//! Naming what a theme, a decision or an action concerns in the field's map: saved in one
//! transaction; the board, the salon pages and the landscape's pages show it, so their caches
//! move on.

use crate::app::SharedApp;
use crate::ids::{ItemId, OrganisationId};
use crate::store::concerns::{self as store, Subject};

pub async fn set(
    app: &SharedApp,
    s: Subject,
    items: &[ItemId],
    orgs: &[OrganisationId],
) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    store::set(&mut tx, s, items, orgs).await?;
    tx.commit().await?;
    super::groups::changed(app);
    app.generations.landscape_changed();
    Ok(())
}
