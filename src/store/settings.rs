//! Installation-wide key/value settings.

use super::{Db, on_pool};

/// The value for `key`, or `make()` stored and returned if there is none yet. Safe when several
/// instances start at once: the insert ignores a conflict and everyone reads the winner.
pub async fn get_or_init(db: &Db, key: &str, make: impl FnOnce() -> String) -> Result<String, sqlx::Error> {
    let candidate = make();
    on_pool!(db, |p| {
        sqlx::query("insert into setting (key, value) values ($1, $2) on conflict (key) do nothing")
            .bind(key)
            .bind(&candidate)
            .execute(p)
            .await.map(|r| r.rows_affected())?;
        sqlx::query_scalar("select value from setting where key = $1").bind(key).fetch_one(p).await
    })
}
