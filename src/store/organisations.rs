//! Organisations of the alliance (and guests' organisations).

use chrono::{DateTime, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    pub short_name: String,
    pub name: String,
    pub country: String,
    pub is_member: bool,
    pub created_at: DateTime<Utc>,
}

pub struct NewOrganisation<'a> {
    pub short_name: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub is_member: bool,
}

/// Insert or update by `short_name`; returns the id. Used by the demo loader, so running it
/// twice changes nothing.
pub async fn upsert(tx: &mut Tx, org: &NewOrganisation<'_>) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "insert into organisation (short_name, name, country, is_member, created_at)
             values ($1, $2, $3, $4, $5)
             on conflict (short_name) do update
               set name = excluded.name, country = excluded.country, is_member = excluded.is_member
             returning id",
        )
        .bind(org.short_name)
        .bind(org.name)
        .bind(org.country)
        .bind(org.is_member)
        .bind(now())
        .fetch_one(c)
        .await
    })
}

/// The organisation with this short name. A name with a control character is none (PostgreSQL
/// refuses a NUL in text outright, which would be a 500 for a typing mistake).
pub async fn by_short_name(db: &Db, short_name: &str) -> Result<Option<Organisation>, sqlx::Error> {
    if short_name.chars().any(char::is_control) {
        return Ok(None);
    }
    on_pool!(db, |p| {
        sqlx::query_as("select * from organisation where short_name = $1").bind(short_name).fetch_optional(p).await
    })
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Organisation>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as("select * from organisation where id = $1").bind(id).fetch_optional(p).await)
}

pub async fn all(db: &Db) -> Result<Vec<Organisation>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as("select * from organisation order by country, name").fetch_all(p).await
    })
}
