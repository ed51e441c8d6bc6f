//! The field's landscape: an organiser adds an item; an organiser or one of the item's
//! stewards changes it. Each save keeps a revision (who, when, which fields, the item as saved)
//! in the same transaction, and is on the audit trail. Who may is the caller's check; what a
//! steward may not change (the owner, the stewards) is kept as it was here.

use serde::Serialize;

use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::domain::landscape::{ItemText, changed_fields};
use crate::ids::{ItemId, OrganisationId, PersonId};
use crate::store::audit::{self, Event};
use crate::store::landscape::{self as store, Saved};
use crate::store::people::Person;

/// An item as it is to be saved.
pub struct Change<'a> {
    pub text: &'a ItemText,
    pub owner: Option<OrganisationId>,
    pub users: &'a [OrganisationId],
    pub depends_on: &'a [ItemId],
    /// The stewards (organisers only; a steward's save keeps them and the owner).
    pub stewards: Option<&'a [PersonId]>,
}

/// What a revision keeps of the item as saved.
#[derive(Serialize)]
struct Snapshot<'a> {
    #[serde(flatten)]
    text: &'a ItemText,
    owner: Option<OrganisationId>,
    users: &'a [OrganisationId],
    depends_on: &'a [ItemId],
}

fn snapshot(c: &Change<'_>, owner: Option<OrganisationId>) -> String {
    serde_json::to_string(&Snapshot {
        text: c.text,
        owner,
        users: c.users,
        depends_on: c.depends_on,
    })
    .unwrap_or_default()
}

pub async fn add(app: &SharedApp, c: &Change<'_>, by: &Person) -> Result<ItemId, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let saved = Saved {
        text: c.text,
        owner: c.owner,
    };
    let id = store::create(&mut tx, &saved).await?;
    store::set_users(&mut tx, id, c.users).await?;
    store::set_depends_on(&mut tx, id, c.depends_on).await?;
    if let Some(people) = c.stewards {
        store::set_stewards(&mut tx, id, people).await?;
    }
    store::add_revision(&mut tx, id, by.id, &["created"], &snapshot(c, c.owner)).await?;
    record(&mut tx, Kind::LandscapeItemAdded, &c.text.name, by).await?;
    tx.commit().await?;
    app.generations.landscape_changed();
    Ok(id)
}

async fn record(
    tx: &mut crate::store::Tx,
    kind: Kind,
    detail: &str,
    by: &Person,
) -> Result<(), sqlx::Error> {
    audit::record(tx, &Event::by(by, kind, None, detail)).await
}

/// Save a change; `None` when the item is gone, else the fields that changed (nothing is
/// stored, not even a revision, when none did).
pub async fn change(
    app: &SharedApp,
    id: ItemId,
    c: &Change<'_>,
    by: &Person,
) -> Result<Option<Vec<&'static str>>, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    if !store::lock(&mut tx, id).await? {
        return Ok(None);
    }
    let Some(before) = store::get(&mut tx, id).await? else {
        return Ok(None);
    };
    // A steward's save keeps the owner (and the stewards, below).
    let owner = if c.stewards.is_some() {
        c.owner
    } else {
        before.owner_id
    };
    let mut fields = changed_fields(&before.text(), c.text);
    if owner != before.owner_id {
        fields.push("owner");
    }
    let ids = |v: Vec<(OrganisationId, String, String)>| v.into_iter().map(|x| x.0).collect();
    let mut users: Vec<OrganisationId> = c.users.to_vec();
    users.sort();
    let mut were: Vec<OrganisationId> = ids(store::users(&mut tx, id).await?);
    were.sort();
    if users != were {
        fields.push("users");
    }
    let mut deps: Vec<ItemId> = c.depends_on.iter().copied().filter(|d| *d != id).collect();
    deps.sort();
    let mut deps_were: Vec<ItemId> = store::depends_on(&mut tx, id)
        .await?
        .into_iter()
        .map(|x| x.0)
        .collect();
    deps_were.sort();
    if deps != deps_were {
        fields.push("depends_on");
    }
    if let Some(people) = c.stewards {
        let mut now: Vec<PersonId> = people.to_vec();
        now.sort();
        let mut were: Vec<PersonId> = store::stewards(&mut tx, id)
            .await?
            .into_iter()
            .map(|x| x.0)
            .collect();
        were.sort();
        if now != were {
            fields.push("stewards");
            store::set_stewards(&mut tx, id, &now).await?;
        }
    }
    if fields.is_empty() {
        return Ok(Some(fields));
    }
    store::update(
        &mut tx,
        id,
        &Saved {
            text: c.text,
            owner,
        },
    )
    .await?;
    store::set_users(&mut tx, id, &users).await?;
    store::set_depends_on(&mut tx, id, &deps).await?;
    store::add_revision(&mut tx, id, by.id, &fields, &snapshot(c, owner)).await?;
    record(&mut tx, Kind::LandscapeItemChanged, &c.text.name, by).await?;
    tx.commit().await?;
    app.generations.landscape_changed();
    Ok(Some(fields))
}
