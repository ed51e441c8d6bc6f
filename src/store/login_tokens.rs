//! One-time sign-in links (15 minutes, used once, by POST; see `tokens`).

use chrono::Duration;

use super::tokens::{self, OnceLinks};
use super::{Conn, execute};
use crate::domain::time::now;
use crate::ids::PersonId;

/// A sign-in link is valid this long.
pub const LIFETIME: Duration = Duration::minutes(15);

const LINKS: OnceLinks = OnceLinks {
    table: "login_token",
    columns: "person_id, next_path",
};

/// A new link for `person_id`, which leads to `next_path` after signing in; returns the secret.
pub async fn create(
    c: impl Into<Conn<'_>>,
    person_id: PersonId,
    next_path: Option<&str>,
) -> Result<String, sqlx::Error> {
    let t = tokens::issue();
    let created = now();
    execute!(
        c,
        "insert into login_token (token_hash, person_id, next_path, created_at, expires_at) values ($1, $2, $3, $4, $5)",
        &t.hash,
        person_id,
        next_path,
        created,
        created + LIFETIME
    )?;
    Ok(t.secret)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Pending {
    pub person_id: PersonId,
    pub next_path: Option<String>,
}

/// Who a live link is for, without using it (the confirmation page).
pub async fn peek(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    LINKS.peek(c, secret).await
}

/// Use the link, once.
pub async fn consume(c: impl Into<Conn<'_>>, secret: &str) -> Result<Option<Pending>, sqlx::Error> {
    LINKS.consume(c, secret).await
}
