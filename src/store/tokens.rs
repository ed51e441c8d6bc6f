//! What every table of hashed secrets shares (sign-in links, registration links, answer links,
//! feed links, sessions): a secret is handed out once and only its SHA-256 is stored; a
//! presented secret is shape-checked before any query and looked up by its hash; single-use
//! links are used by one atomic `update ... returning`, so two clicks cannot both succeed.

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use super::{Conn, rows};
use crate::domain::time::now;
use crate::domain::token::{self, NewToken};

/// A new secret (for the link or cookie) and the hash to store.
pub fn issue() -> NewToken {
    token::generate()
}

/// The hash a presented secret is stored under, or None when it cannot be one of ours (so a
/// malformed secret never reaches the database).
pub fn lookup(secret: &str) -> Option<String> {
    token::looks_valid(secret).then(|| token::hash(secret))
}

/// A row type both backends can read.
pub trait Row:
    Send + Unpin + for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>
{
}
impl<T: Send + Unpin + for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>> Row
    for T
{
}

/// A table of single-use, expiring links: `token_hash`, `used_at`, `expires_at`, and the
/// `columns` a use returns.
pub struct OnceLinks {
    pub table: &'static str,
    pub columns: &'static str,
}

impl OnceLinks {
    /// The link's row if it is live (unused, unexpired), without using it (the GET page).
    pub async fn peek<T: Row>(
        &self,
        c: impl Into<Conn<'_>>,
        secret: &str,
    ) -> Result<Option<T>, sqlx::Error> {
        let Some(hash) = lookup(secret) else {
            return Ok(None);
        };
        let sql = format!(
            "select {} from {} where token_hash = $1 and used_at is null and expires_at > $2",
            self.columns, self.table
        );
        rows!(c, fetch_optional, sqlx::AssertSqlSafe(sql), &hash, now())
    }

    /// Use the link, once: the row if it was live, and it is used from now on.
    pub async fn consume<T: Row>(
        &self,
        c: impl Into<Conn<'_>>,
        secret: &str,
    ) -> Result<Option<T>, sqlx::Error> {
        let Some(hash) = lookup(secret) else {
            return Ok(None);
        };
        let sql = format!(
            "update {} set used_at = $1 where token_hash = $2 and used_at is null and expires_at > $1 returning {}",
            self.table, self.columns
        );
        rows!(c, fetch_optional, sqlx::AssertSqlSafe(sql), now(), &hash)
    }
}
