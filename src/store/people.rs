//! People: admins, organisers and members (library leaders).

use chrono::{DateTime, Utc};

use super::{Conn, execute, is_unique_violation, rows, values};
use crate::domain::time::now;
use crate::domain::{Email, Role};
use crate::i18n::Locale;
use crate::ids::{OrganisationId, PersonId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: PersonId,
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    role: String,
    locale: String,
    pub organisation_id: Option<OrganisationId>,
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
        Role::stored(&self.role)
    }

    pub fn locale(&self) -> Locale {
        Locale::from_code(&self.locale).unwrap_or_default()
    }
}

/// A person as listed for admins, with the organisation's short name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonListed {
    pub id: PersonId,
    pub email: String,
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
    /// A permanent bounce came back for mail to this address.
    pub mail_failing_at: Option<DateTime<Utc>>,
}

pub struct NewPerson<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub role: Role,
    pub locale: Locale,
    pub organisation_id: Option<OrganisationId>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("a person with this email address already exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Insert a person; `on_conflict` says what a second row with the same address does.
async fn insert(
    c: impl Into<Conn<'_>>,
    p: &NewPerson<'_>,
    on_conflict: &'static str,
) -> Result<PersonId, sqlx::Error> {
    let sql = format!(
        "insert into person (email, name, title, role, locale, organisation_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) {on_conflict} returning id"
    );
    values!(
        c,
        fetch_one,
        sqlx::AssertSqlSafe(sql),
        p.email.as_str(),
        p.name,
        p.title,
        p.role.as_str(),
        p.locale.code(),
        p.organisation_id,
        now()
    )
}

pub async fn create(c: impl Into<Conn<'_>>, p: &NewPerson<'_>) -> Result<PersonId, CreateError> {
    insert(c, p, "").await.map_err(|e| {
        if is_unique_violation(&e, "person_email_key", "email") {
            CreateError::EmailTaken
        } else {
            CreateError::Db(e)
        }
    })
}

/// Insert or update by email (the demo loader: running it twice duplicates nothing).
pub async fn upsert(c: impl Into<Conn<'_>>, p: &NewPerson<'_>) -> Result<PersonId, sqlx::Error> {
    insert(
        c,
        p,
        "on conflict (email) do update
           set name = excluded.name, title = excluded.title, role = excluded.role, organisation_id = excluded.organisation_id",
    )
    .await
}

pub async fn by_email(
    c: impl Into<Conn<'_>>,
    email: &Email,
) -> Result<Option<Person>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from person where email = $1",
        email.as_str()
    )
}

pub async fn by_id(c: impl Into<Conn<'_>>, id: PersonId) -> Result<Option<Person>, sqlx::Error> {
    rows!(c, fetch_optional, "select * from person where id = $1", id)
}

/// The people of an organisation (by its short name), for inviting a whole organisation.
pub async fn in_organisation(
    c: impl Into<Conn<'_>>,
    short_name: &str,
) -> Result<Vec<PersonId>, sqlx::Error> {
    values!(
        c,
        fetch_all,
        "select p.id from person p join organisation o on o.id = p.organisation_id where o.short_name = $1 order by p.id",
        short_name
    )
}

/// The people of an organisation: (id, name), by name.
pub async fn of_organisation(
    c: impl Into<Conn<'_>>,
    org: crate::ids::OrganisationId,
) -> Result<Vec<(PersonId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select id, name from person where organisation_id = $1 order by name",
        org
    )
}

pub async fn set_role(c: impl Into<Conn<'_>>, id: PersonId, role: Role) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update person set role = $1 where id = $2",
        role.as_str(),
        id
    )?;
    Ok(())
}

pub async fn set_locale(
    c: impl Into<Conn<'_>>,
    id: PersonId,
    locale: Locale,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update person set locale = $1 where id = $2",
        locale.code(),
        id
    )?;
    Ok(())
}

pub async fn set_time_zone(
    c: impl Into<Conn<'_>>,
    id: PersonId,
    zone: chrono_tz::Tz,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update person set time_zone = $1 where id = $2",
        zone.name(),
        id
    )?;
    Ok(())
}

pub async fn list(c: impl Into<Conn<'_>>) -> Result<Vec<PersonListed>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select p.id, p.email, p.name, p.role, o.short_name as organisation, p.mail_failing_at
         from person p left join organisation o on o.id = p.organisation_id
         order by p.name, p.id"
    )
}
