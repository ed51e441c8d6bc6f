//! Organisations of the alliance (and guests' organisations).

use chrono::{DateTime, Utc};

use super::{Conn, rows, values};
use crate::domain::time::now;
use crate::ids::OrganisationId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Organisation {
    pub id: OrganisationId,
    pub short_name: String,
    pub name: String,
    pub country: String,
    pub is_member: bool,
    pub created_at: DateTime<Utc>,
    /// What kind of actor (`domain::landscape::ORGANISATION_KINDS`; empty: not said).
    pub kind: String,
    /// Why it exists.
    pub mandate: String,
    /// How to influence it.
    pub influence: String,
    pub website: String,
}

pub struct NewOrganisation<'a> {
    pub short_name: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub is_member: bool,
}

/// Insert or update by `short_name`; returns the id. Used by the demo loader, so running it
/// twice changes nothing.
pub async fn upsert(
    c: impl Into<Conn<'_>>,
    org: &NewOrganisation<'_>,
) -> Result<OrganisationId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into organisation (short_name, name, country, is_member, created_at)
         values ($1, $2, $3, $4, $5)
         on conflict (short_name) do update
           set name = excluded.name, country = excluded.country, is_member = excluded.is_member
         returning id",
        org.short_name,
        org.name,
        org.country,
        org.is_member,
        now()
    )
}

/// The organisation with this short name. A name with a control character is none (PostgreSQL
/// refuses a NUL in text outright, which would be a 500 for a typing mistake).
pub async fn by_short_name(
    c: impl Into<Conn<'_>>,
    short_name: &str,
) -> Result<Option<Organisation>, sqlx::Error> {
    if short_name.chars().any(char::is_control) {
        return Ok(None);
    }
    rows!(
        c,
        fetch_optional,
        "select * from organisation where short_name = $1",
        short_name
    )
}

pub async fn by_id(
    c: impl Into<Conn<'_>>,
    id: OrganisationId,
) -> Result<Option<Organisation>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from organisation where id = $1",
        id
    )
}

pub async fn all(c: impl Into<Conn<'_>>) -> Result<Vec<Organisation>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select * from organisation order by country, name"
    )
}

/// An organisation's profile as an actor of the field.
pub struct Profile<'a> {
    pub kind: &'a str,
    pub mandate: &'a str,
    pub influence: &'a str,
    pub website: &'a str,
}

pub async fn set_profile(
    c: impl Into<Conn<'_>>,
    id: OrganisationId,
    p: &Profile<'_>,
) -> Result<(), sqlx::Error> {
    super::execute!(
        c,
        "update organisation set kind = $1, mandate = $2, influence = $3, website = $4 where id = $5",
        p.kind,
        p.mandate,
        p.influence,
        p.website,
        id
    )?;
    Ok(())
}

/// The open actions an organisation carries (in force, not done), in every series, leaving out
/// drafts' (an organisation's page lists them for anyone).
pub async fn open_actions_of_organisation(
    c: impl Into<Conn<'_>>,
    org: crate::ids::OrganisationId,
) -> Result<Vec<super::outcomes::Action>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{} join salon s on s.id = a.salon_id
             where a.organisation_id = $1 and a.withdrawn_at is null and a.status <> 'done'
               and s.status <> 'draft'
             order by a.due is null, a.due, a.id",
            super::outcomes::ACTION
        )),
        org
    )
}
