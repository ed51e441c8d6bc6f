//! One way to reach the database: [`Conn`] is either the pool or an open transaction, and every
//! store function takes `impl Into<Conn>`, so the same function serves a plain read and a step
//! inside a use case's transaction (no twins, and no SQL written outside `store/`).
//!
//! The macros expand one query text once per backend and handle (SQLite or PostgreSQL, pool or
//! transaction), so each arm is type-checked against its own driver:
//!
//! - `rows!(conn, fetch_one | fetch_optional | fetch_all, "select ...", binds...)`: `query_as`;
//! - `values!(conn, fetch_one | fetch_optional | fetch_all, "select ...", binds...)`: `query_scalar`;
//! - `execute!(conn, "update ...", binds...)`: the number of rows affected, on both backends.
//!
//! Backend differences stay inside one query text: `rows!(conn, fetch_optional, for_update
//! "select ...", ..)` adds `for update` on PostgreSQL (SQLite's `BEGIN IMMEDIATE` already holds
//! the write lock); `dialect "... {skip_locked} ..."` puts `for update skip locked` (or
//! `{for_update}`: `for update`) where the marker is on PostgreSQL, and nothing on SQLite.

use super::{Db, Tx};

/// The pool or an open transaction.
pub enum Conn<'a> {
    Pool(&'a Db),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for Conn<'a> {
    fn from(db: &'a Db) -> Self {
        Conn::Pool(db)
    }
}

impl<'a> From<&'a mut Tx> for Conn<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        Conn::Tx(tx)
    }
}

impl Conn<'_> {
    /// A shorter borrow of the same handle, for a function that runs several queries on it.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Pool(db) => Conn::Pool(db),
            Conn::Tx(tx) => Conn::Tx(tx),
        }
    }
}

/// The query text for one backend: `{for_update}` and `{skip_locked}` become PostgreSQL's row
/// locks there and disappear on SQLite, where the write transaction holds the database lock.
pub fn dialect(sql: &str, postgres: bool) -> String {
    let (update, skip) = if postgres {
        ("for update", "for update skip locked")
    } else {
        ("", "")
    };
    sql.replace("{for_update}", update)
        .replace("{skip_locked}", skip)
}

/// Run `$body` with `$c` bound to the executor behind `$conn` (anything `Into<Conn>`). The
/// three-part form runs `$sqlite` on SQLite and `$postgres` on PostgreSQL.
macro_rules! on_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        $crate::store::on_conn!($conn, |$c| $body, $body)
    };
    ($conn:expr, |$c:ident| $sqlite:expr, $postgres:expr) => {{
        let conn: $crate::store::Conn<'_> = $conn.into();
        match conn {
            $crate::store::Conn::Pool($crate::store::Db::Sqlite(p)) => {
                let $c = p;
                $sqlite
            }
            $crate::store::Conn::Pool($crate::store::Db::Postgres(p)) => {
                let $c = p;
                $postgres
            }
            $crate::store::Conn::Tx($crate::store::Tx::Sqlite(t)) => {
                let $c = &mut **t;
                $sqlite
            }
            $crate::store::Conn::Tx($crate::store::Tx::Postgres(t)) => {
                let $c = &mut **t;
                $postgres
            }
        }
    }};
}

/// `query_as` with the binds chained; see the module doc.
macro_rules! rows {
    ($conn:expr, $fetch:ident, for_update $sql:literal $(, $bind:expr)* $(,)?) => {
        $crate::store::on_conn!($conn, |c|
            sqlx::query_as($sql)$(.bind($bind))*.$fetch(c).await,
            sqlx::query_as(concat!($sql, " for update"))$(.bind($bind))*.$fetch(c).await)
    };
    ($conn:expr, $fetch:ident, dialect $sql:literal $(, $bind:expr)* $(,)?) => {
        $crate::store::on_conn!($conn, |c|
            sqlx::query_as(sqlx::AssertSqlSafe($crate::store::conn::dialect($sql, false)))$(.bind($bind))*.$fetch(c).await,
            sqlx::query_as(sqlx::AssertSqlSafe($crate::store::conn::dialect($sql, true)))$(.bind($bind))*.$fetch(c).await)
    };
    ($conn:expr, $fetch:ident, $sql:expr $(, $bind:expr)* $(,)?) => {
        $crate::store::on_conn!($conn, |c| sqlx::query_as($sql)$(.bind($bind))*.$fetch(c).await)
    };
}

/// `query_scalar` with the binds chained; see the module doc.
macro_rules! values {
    ($conn:expr, $fetch:ident, for_update $sql:literal $(, $bind:expr)* $(,)?) => {
        $crate::store::on_conn!($conn, |c|
            sqlx::query_scalar($sql)$(.bind($bind))*.$fetch(c).await,
            sqlx::query_scalar(concat!($sql, " for update"))$(.bind($bind))*.$fetch(c).await)
    };
    ($conn:expr, $fetch:ident, $sql:expr $(, $bind:expr)* $(,)?) => {
        $crate::store::on_conn!($conn, |c| sqlx::query_scalar($sql)$(.bind($bind))*.$fetch(c).await)
    };
}

/// `query(..).execute(..)` with the binds chained: the rows affected (a `u64` on both).
macro_rules! execute {
    ($conn:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        $crate::store::on_conn!($conn, |c| sqlx::query($sql)$(.bind($bind))*.execute(c).await.map(|r| r.rows_affected()))
    };
}

pub(crate) use {execute, on_conn, rows, values};
