//! The field's landscape: items (services, systems, data, agreements), the organisations that
//! use them, what they depend on, their stewards and every saved revision. An edit locks the
//! item's row first, so two people saving at once make two revisions in order.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, Tx, execute, rows, values};
use crate::domain::landscape::ItemText;
use crate::domain::time::now;
use crate::ids::{ItemId, OrganisationId, PersonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    pub id: ItemId,
    pub name: String,
    pub abbreviation: String,
    pub kind: String,
    pub owner_id: Option<OrganisationId>,
    pub owner_short: Option<String>,
    pub owner_name: Option<String>,
    pub description: String,
    countries: String,
    pub economy: String,
    pub amount: Option<i64>,
    pub currency: String,
    pub governance: String,
    pub supplier: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub renegotiate_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

impl Item {
    pub fn countries(&self) -> Vec<&str> {
        self.countries
            .split(',')
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// The item's own fields as they were saved (to compare with an edit).
    pub fn text(&self) -> ItemText {
        ItemText {
            name: self.name.clone(),
            abbreviation: self.abbreviation.clone(),
            kind: crate::domain::landscape::Kind::parse(&self.kind)
                .map(|k| k.as_str())
                .unwrap_or(""),
            description: self.description.clone(),
            countries: self.countries().into_iter().map(String::from).collect(),
            economy: self.economy.clone(),
            amount: self.amount,
            currency: self.currency.clone(),
            governance: self.governance.clone(),
            supplier: self.supplier.clone(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            renegotiate_on: self.renegotiate_on,
        }
    }
}

const ITEM: &str =
    "select i.id, i.name, i.abbreviation, i.kind, i.owner_id, o.short_name as owner_short,
        o.name as owner_name, i.description, i.countries, i.economy, i.amount, i.currency,
        i.governance, i.supplier, i.starts_on, i.ends_on, i.renegotiate_on, i.updated_at
    from landscape_item i left join organisation o on o.id = i.owner_id";

/// What the list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<&'static str>,
    pub owner: Option<OrganisationId>,
    /// An ISO code of a country where the item is used.
    pub country: Option<&'static str>,
}

/// The items, by name.
pub async fn list(c: impl Into<Conn<'_>>, f: &Filter) -> Result<Vec<Item>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{ITEM} where ($1 = '' or i.kind = $1) and ($2 = 0 or i.owner_id = $2)
               and ($3 = '' or ',' || i.countries || ',' like '%,' || $3 || ',%')
             order by lower(i.name)"
        )),
        f.kind.unwrap_or(""),
        f.owner.map(|o| o.0).unwrap_or(0),
        f.country.unwrap_or("")
    )
}

/// Items with at least one date (agreements and services mostly, but a system's contract has
/// them too), by when they end (then start).
pub async fn dated(c: impl Into<Conn<'_>>) -> Result<Vec<Item>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{ITEM} where (i.starts_on is not null or i.ends_on is not null or i.renegotiate_on is not null)
             order by i.ends_on is null, i.ends_on, i.starts_on, lower(i.name)"
        ))
    )
}

pub async fn get(c: impl Into<Conn<'_>>, id: ItemId) -> Result<Option<Item>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{ITEM} where i.id = $1")),
        id
    )
}

/// Lock the item's row for an edit; false when there is none.
pub async fn lock(tx: &mut Tx, id: ItemId) -> Result<bool, sqlx::Error> {
    let found: Option<ItemId> = values!(
        &mut *tx,
        fetch_optional,
        for_update "select id from landscape_item where id = $1",
        id
    )?;
    Ok(found.is_some())
}

/// An organisation (id, short name, name).
pub type Org = (OrganisationId, String, String);

/// The organisations that use the item.
pub async fn users(c: impl Into<Conn<'_>>, id: ItemId) -> Result<Vec<Org>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select o.id, o.short_name, o.name from landscape_user u join organisation o on o.id = u.organisation_id
         where u.item_id = $1 order by o.short_name",
        id
    )
}

/// An item as a link: (id, name, abbreviation).
pub type Linked = (ItemId, String, String);

/// What the item depends on.
pub async fn depends_on(c: impl Into<Conn<'_>>, id: ItemId) -> Result<Vec<Linked>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select i.id, i.name, i.abbreviation from landscape_dependency d join landscape_item i on i.id = d.depends_on_id
         where d.item_id = $1 order by lower(i.name)",
        id
    )
}

/// What depends on the item.
pub async fn dependents(c: impl Into<Conn<'_>>, id: ItemId) -> Result<Vec<Linked>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select i.id, i.name, i.abbreviation from landscape_dependency d join landscape_item i on i.id = d.item_id
         where d.depends_on_id = $1 order by lower(i.name)",
        id
    )
}

/// The item's stewards: (person, name).
pub async fn stewards(
    c: impl Into<Conn<'_>>,
    id: ItemId,
) -> Result<Vec<(PersonId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select p.id, p.name from landscape_steward s join person p on p.id = s.person_id
         where s.item_id = $1 order by p.name",
        id
    )
}

/// Whether the person is a steward of the item and still of its owning organisation (one who
/// moved to another organisation no longer edits it).
pub async fn is_steward(
    c: impl Into<Conn<'_>>,
    id: ItemId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from landscape_steward s
           join landscape_item i on i.id = s.item_id
           join person p on p.id = s.person_id
         where s.item_id = $1 and s.person_id = $2 and p.organisation_id = i.owner_id",
        id,
        person
    )?;
    Ok(n > 0)
}

/// The saved item's own fields and owner.
pub struct Saved<'a> {
    pub text: &'a ItemText,
    pub owner: Option<OrganisationId>,
}

pub async fn create(tx: &mut Tx, s: &Saved<'_>) -> Result<ItemId, sqlx::Error> {
    let t = s.text;
    let at = now();
    values!(
        &mut *tx,
        fetch_one,
        "insert into landscape_item (name, abbreviation, kind, owner_id, description, countries, economy,
            amount, currency, governance, supplier, starts_on, ends_on, renegotiate_on, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) returning id",
        &t.name,
        &t.abbreviation,
        t.kind,
        s.owner,
        &t.description,
        t.countries.join(","),
        &t.economy,
        t.amount,
        &t.currency,
        &t.governance,
        &t.supplier,
        t.starts_on,
        t.ends_on,
        t.renegotiate_on,
        at
    )
}

/// Save the item's fields (its row locked by [`lock`]).
pub async fn update(tx: &mut Tx, id: ItemId, s: &Saved<'_>) -> Result<(), sqlx::Error> {
    let t = s.text;
    execute!(
        &mut *tx,
        "update landscape_item set name = $1, abbreviation = $2, kind = $3, owner_id = $4, description = $5,
            countries = $6, economy = $7, amount = $8, currency = $9, governance = $10, supplier = $11,
            starts_on = $12, ends_on = $13, renegotiate_on = $14, updated_at = $15
         where id = $16",
        &t.name,
        &t.abbreviation,
        t.kind,
        s.owner,
        &t.description,
        t.countries.join(","),
        &t.economy,
        t.amount,
        &t.currency,
        &t.governance,
        &t.supplier,
        t.starts_on,
        t.ends_on,
        t.renegotiate_on,
        now(),
        id
    )?;
    Ok(())
}

/// Replace the organisations that use the item.
pub async fn set_users(
    tx: &mut Tx,
    id: ItemId,
    orgs: &[OrganisationId],
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "delete from landscape_user where item_id = $1",
        id
    )?;
    for o in orgs {
        execute!(
            &mut *tx,
            "insert into landscape_user (item_id, organisation_id) values ($1, $2)",
            id,
            o
        )?;
    }
    Ok(())
}

/// Replace what the item depends on.
pub async fn set_depends_on(tx: &mut Tx, id: ItemId, on: &[ItemId]) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "delete from landscape_dependency where item_id = $1",
        id
    )?;
    for d in on.iter().filter(|d| **d != id) {
        execute!(
            &mut *tx,
            "insert into landscape_dependency (item_id, depends_on_id) values ($1, $2)",
            id,
            d
        )?;
    }
    Ok(())
}

/// Replace the item's stewards.
pub async fn set_stewards(tx: &mut Tx, id: ItemId, people: &[PersonId]) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "delete from landscape_steward where item_id = $1",
        id
    )?;
    for p in people {
        execute!(
            &mut *tx,
            "insert into landscape_steward (item_id, person_id) values ($1, $2)",
            id,
            p
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub at: DateTime<Utc>,
    /// None once the person deleted their account.
    pub name: Option<String>,
    fields: String,
}

impl Revision {
    pub fn fields(&self) -> Vec<&str> {
        self.fields.split(',').filter(|f| !f.is_empty()).collect()
    }
}

/// Keep a revision: who, which fields (form names; `created` for the first), the item as saved.
pub async fn add_revision(
    tx: &mut Tx,
    id: ItemId,
    by: PersonId,
    fields: &[&str],
    snapshot: &str,
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "insert into landscape_revision (item_id, person_id, at, fields, snapshot) values ($1, $2, $3, $4, $5)",
        id,
        by,
        now(),
        fields.join(","),
        snapshot
    )?;
    Ok(())
}

/// The item's revisions, newest first.
pub async fn revisions(c: impl Into<Conn<'_>>, id: ItemId) -> Result<Vec<Revision>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select r.at, p.name, r.fields from landscape_revision r left join person p on p.id = r.person_id
         where r.item_id = $1 order by r.id desc",
        id
    )
}

/// The items an organisation uses (not its own).
pub async fn used_by(
    c: impl Into<Conn<'_>>,
    org: OrganisationId,
) -> Result<Vec<Linked>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select i.id, i.name, i.abbreviation from landscape_user u join landscape_item i on i.id = u.item_id
         where u.organisation_id = $1 order by lower(i.name)",
        org
    )
}

/// Every item's users, (item, short name): the whole register's JSON and CSV in one query.
pub async fn all_users(c: impl Into<Conn<'_>>) -> Result<Vec<(ItemId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select u.item_id, o.short_name from landscape_user u join organisation o on o.id = u.organisation_id
         order by u.item_id, o.short_name"
    )
}

/// Every dependency, (item, what it depends on, that one's name), for the whole register.
pub async fn all_dependencies(
    c: impl Into<Conn<'_>>,
) -> Result<Vec<(ItemId, ItemId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select d.item_id, d.depends_on_id, i.name from landscape_dependency d
         join landscape_item i on i.id = d.depends_on_id order by d.item_id, lower(i.name)"
    )
}
