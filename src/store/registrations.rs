//! Registrations by people not yet known, pending their confirmation by mail (double opt-in).

use chrono::Duration;

use super::tokens::{self, OnceLinks};
use super::{Conn, execute};
use crate::domain::time::now;
use crate::ids::SalonId;

/// A confirmation link is valid this long.
pub const LIFETIME: Duration = Duration::hours(48);

const LINKS: OnceLinks = OnceLinks {
    table: "registration",
    columns: "salon_id, email, name, organisation, title, locale",
};

pub struct NewRegistration<'a> {
    pub salon_id: SalonId,
    pub email: &'a str,
    pub name: &'a str,
    pub organisation: &'a str,
    pub title: &'a str,
    pub locale: &'a str,
}

pub async fn create(
    c: impl Into<Conn<'_>>,
    r: &NewRegistration<'_>,
) -> Result<String, sqlx::Error> {
    let t = tokens::issue();
    let at = now();
    execute!(
        c,
        "insert into registration (token_hash, salon_id, email, name, organisation, title, locale, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &t.hash,
        r.salon_id,
        r.email,
        r.name,
        r.organisation,
        r.title,
        r.locale,
        at,
        at + LIFETIME
    )?;
    Ok(t.secret)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub salon_id: SalonId,
    pub email: String,
    pub name: String,
    pub organisation: String,
    pub title: String,
    pub locale: String,
}

pub async fn peek(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    LINKS.peek(c, secret).await
}

/// Use the link, once.
pub async fn consume(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    LINKS.consume(c, secret).await
}
