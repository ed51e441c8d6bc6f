//! People: admins, organisers and members (library leaders).

use chrono::{DateTime, Utc};

use super::{Db, Tx, is_unique_violation, on_pool, on_tx};
use crate::domain::time::now;
use crate::domain::{Email, Role};
use crate::i18n::Locale;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    role: String,
    locale: String,
    pub organisation_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    time_zone: String,
}

impl Person {
    /// The zone the person reads times in (salon pages also show the salon's own zone).
    pub fn time_zone(&self) -> Result<chrono_tz::Tz, chrono_tz::ParseError> {
        self.time_zone.parse()
    }

    /// The check constraint guarantees one of the three; an unknown value (a newer schema)
    /// gets the least power.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Member)
    }

    pub fn locale(&self) -> Locale {
        Locale::from_code(&self.locale).unwrap_or_default()
    }
}

/// A person as listed for admins, with the organisation's short name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonListed {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
}

pub struct NewPerson<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub role: Role,
    pub locale: Locale,
    pub organisation_id: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("a person with this email address already exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub async fn create(tx: &mut Tx, p: &NewPerson<'_>) -> Result<i64, CreateError> {
    let result: Result<i64, sqlx::Error> = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "insert into person (email, name, title, role, locale, organisation_id, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(p.email.as_str())
        .bind(p.name)
        .bind(p.title)
        .bind(p.role.as_str())
        .bind(p.locale.code())
        .bind(p.organisation_id)
        .bind(now())
        .fetch_one(c)
        .await
    });
    result.map_err(|e| {
        if is_unique_violation(&e, "person_email_key", "email") { CreateError::EmailTaken } else { CreateError::Db(e) }
    })
}

/// Insert or update by email (the demo loader: running it twice duplicates nothing).
pub async fn upsert(tx: &mut Tx, p: &NewPerson<'_>) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
            "insert into person (email, name, title, role, locale, organisation_id, created_at)
             values ($1, $2, $3, $4, $5, $6, $7)
             on conflict (email) do update
               set name = excluded.name, title = excluded.title, role = excluded.role,
                   organisation_id = excluded.organisation_id
             returning id",
        )
        .bind(p.email.as_str())
        .bind(p.name)
        .bind(p.title)
        .bind(p.role.as_str())
        .bind(p.locale.code())
        .bind(p.organisation_id)
        .bind(now())
        .fetch_one(c)
        .await
    })
}

pub async fn by_email(db: &Db, email: &Email) -> Result<Option<Person>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as("select * from person where email = $1").bind(email.as_str()).fetch_optional(p).await
    })
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Person>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as("select * from person where id = $1").bind(id).fetch_optional(p).await)
}

pub async fn set_locale(db: &Db, id: i64, locale: Locale) -> Result<(), sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query("update person set locale = $1 where id = $2").bind(locale.code()).bind(id).execute(p).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn list(db: &Db) -> Result<Vec<PersonListed>, sqlx::Error> {
    on_pool!(db, |p| {
        sqlx::query_as(
            "select p.id, p.email, p.name, p.role, o.short_name as organisation
             from person p left join organisation o on o.id = p.organisation_id
             order by p.name, p.id",
        )
        .fetch_all(p)
        .await
    })
}
