//! Working groups: an organiser sets one up (directly, or to carry out a decision) with its
//! members, coordinator, themes, landscape items and organisations, and changes it; with the group comes its
//! standing room (a salon never listed, `store::groups::create_standing`). Each change is on the
//! audit trail and moves the strategy pages' generation (the board lists the groups).
//! Deliverables, updates and reminders are in `usecases::group_work`.

use std::sync::atomic::Ordering;

use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::domain::group::GroupText;
use crate::ids::{
    DecisionId, GroupId, ItemId, OrganisationId, PersonId, SalonId, SeriesId, ThemeId,
};
use crate::store::audit::{self, Event};
use crate::store::groups as store;
use crate::store::people::Person;

/// A group as it is to be saved (its people, themes and items checked by the caller).
pub struct Change<'a> {
    pub text: &'a GroupText,
    pub coordinator: Option<PersonId>,
    pub members: &'a [PersonId],
    pub themes: &'a [ThemeId],
    pub items: &'a [ItemId],
    pub organisations: &'a [OrganisationId],
}

impl Change<'_> {
    fn links(&self) -> store::Links<'_> {
        store::Links {
            members: self.members,
            themes: self.themes,
            items: self.items,
            organisations: self.organisations,
        }
    }
}

pub async fn create(
    app: &SharedApp,
    series: SeriesId,
    c: &Change<'_>,
    decision: Option<DecisionId>,
    by: &Person,
) -> Result<GroupId, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let id = store::create(&mut tx, series, c.text, c.coordinator, decision, by.id).await?;
    store::set_links(&mut tx, id, &c.links()).await?;
    store::create_standing(&mut tx, series, id, &c.text.name, by.id).await?;
    record(&mut tx, Kind::GroupCreated, &c.text.name, None, by).await?;
    tx.commit().await?;
    changed(app);
    Ok(id)
}

/// Save a change; false when the group is gone.
pub async fn change(
    app: &SharedApp,
    id: GroupId,
    c: &Change<'_>,
    by: &Person,
) -> Result<bool, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    if !store::lock(&mut tx, id).await? {
        return Ok(false);
    }
    store::update(&mut tx, id, c.text, c.coordinator).await?;
    store::set_links(&mut tx, id, &c.links()).await?;
    // The standing room carries the group's name.
    store::rename_standing(&mut tx, id, &c.text.name).await?;
    record(&mut tx, Kind::GroupChanged, &c.text.name, None, by).await?;
    tx.commit().await?;
    changed(app);
    Ok(true)
}

/// Make a salon of the group's series its meeting, or no longer (`group` None).
pub async fn set_meeting(
    app: &SharedApp,
    salon: SalonId,
    group: Option<(GroupId, &str)>,
    by: &Person,
) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    store::set_group(&mut tx, salon, group.map(|g| g.0)).await?;
    let name = group.map(|g| g.1).unwrap_or_default();
    record(&mut tx, Kind::GroupMeetingSet, name, Some(salon), by).await?;
    tx.commit().await?;
    app.generations.salon_changed();
    changed(app);
    Ok(())
}

async fn record(
    tx: &mut crate::store::Tx,
    kind: Kind,
    detail: &str,
    salon: Option<SalonId>,
    by: &Person,
) -> Result<(), sqlx::Error> {
    audit::record(tx, &Event::by(by, kind, salon, detail)).await
}

/// The board and the salon pages show the groups: their caches move on.
pub(super) fn changed(app: &SharedApp) {
    app.generations.strategy.fetch_add(1, Ordering::Relaxed);
}
