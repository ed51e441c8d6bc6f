//! Installation-wide key/value settings.

use super::{Conn, execute, values};

/// The value for `key`, or `make()` stored and returned if there is none yet. Safe when several
/// instances start at once: the insert ignores a conflict and everyone reads the winner.
pub async fn get_or_init(
    c: impl Into<Conn<'_>>,
    key: &str,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    let mut c = c.into();
    let candidate = make();
    execute!(
        c.reborrow(),
        "insert into setting (key, value) values ($1, $2) on conflict (key) do nothing",
        key,
        &candidate
    )?;
    values!(
        c,
        fetch_one,
        "select value from setting where key = $1",
        key
    )
}
