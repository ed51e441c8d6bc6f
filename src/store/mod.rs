//! All SQL lives here, one module per aggregate.
//!
//! One store API over two real backends: `Db` is an enum of a SQLite and a PostgreSQL pool,
//! chosen from the URL scheme (not sqlx's `Any` driver, which has no time types and breaks
//! placeholders). Queries are runtime `query_as` with `$N` placeholders, which both drivers
//! accept. Every store function takes a [`Conn`] (the pool or an open transaction), and the
//! `rows!`/`values!`/`execute!` macros (see `conn`) expand one query text once per backend and
//! handle, so each arm is type-checked against its own driver. Ids are typed (`crate::ids`).
//! Tables of hashed secrets share `tokens`.
//!
//! Write transactions on SQLite start with `BEGIN IMMEDIATE` (see `Db::begin`): a deferred
//! transaction that reads and then writes fails with SQLITE_BUSY whatever the busy timeout.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

use crate::config::DatabaseUrl;

pub mod agenda_now;
pub mod attendance;
pub mod audit;
pub mod concerns;
pub mod conn;
pub mod feed_tokens;
pub mod glossary;
pub mod group_work;
pub mod groups;
pub mod inbound;
pub mod landscape;
pub mod leases;
pub mod login_tokens;
pub mod materials;
pub mod organisations;
pub mod outbox;
pub mod outcome_edits;
pub mod outcomes;
pub mod page_data;
pub mod people;
pub mod polls;
pub mod privacy;
pub mod proposals;
pub mod registrations;
pub mod reminders;
pub mod reply_addresses;
pub mod retention;
pub mod rooms;
pub mod rounds;
pub mod rsvp_tokens;
pub mod rsvps;
pub mod salons;
pub mod schema;
pub mod search;
pub mod series;
pub mod sessions;
pub mod settings;
pub mod summaries;
pub mod themes;
pub mod time_polls;
pub mod tokens;

pub use conn::Conn;
pub(crate) use conn::{execute, on_conn, rows, values};

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Db {
    /// Connect (creating the SQLite file if needed). Does not migrate.
    pub async fn connect(url: &DatabaseUrl) -> Result<Db, sqlx::Error> {
        match url {
            DatabaseUrl::Sqlite(url) => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true);
                // No ping before each use (sqlx's default): an SQLite connection is a file handle
                // in this process and cannot have been dropped by a peer, and the ping is a round
                // trip to the connection's thread before every query (measured: a room message
                // paid five of them; BENCHMARKS.md, issue 15).
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .test_before_acquire(false)
                    .after_release(|conn, _| Box::pin(still_usable(conn)))
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            DatabaseUrl::Postgres(url) => {
                // Ping a connection before use only when it has been idle a while (a server restart
                // or a firewall may have dropped it), not before every query: a round trip each.
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for > Duration::from_secs(30) {
                                sqlx::Connection::ping(conn).await?;
                            }
                            Ok(true)
                        })
                    })
                    .after_release(|conn, _| Box::pin(still_usable(conn)))
                    .connect(url)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Apply the migrations of this backend's tree (embedded at compile time).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(p) => self.migrator().run(p).await,
            Db::Postgres(p) => self.migrator().run(p).await,
        }
    }

    /// This backend's migrations, as this binary carries them.
    pub fn migrator(&self) -> sqlx::migrate::Migrator {
        match self {
            Db::Sqlite(_) => sqlx::migrate!("./migrations/sqlite"),
            Db::Postgres(_) => sqlx::migrate!("./migrations/postgres"),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begin a write transaction.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Whether the database answers (`/healthz`).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        let _one: i32 = values!(self, fetch_one, "select 1")?;
        Ok(())
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// Whether a connection coming back to the pool may be handed out again: not while it is still
/// inside a transaction. A COMMIT or ROLLBACK that failed (a full disk, an I/O error; SQLite may
/// also have rolled back by itself, so that sqlx's later ROLLBACK fails) leaves sqlx counting an
/// open transaction, and every later `BEGIN` on that connection would fail ("non-zero
/// transaction depth") until a restart. Such a connection is closed instead, and the pool opens
/// a fresh one. Costs nothing in the usual case: a round trip only when a transaction was
/// dropped unfinished (its ROLLBACK is queued; the ping waits for it to run).
async fn still_usable<C: sqlx::Connection>(conn: &mut C) -> Result<bool, sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!(
            "a database connection is left inside a transaction it could not end; closing it"
        );
        metrics::counter!("salon_db_connections_discarded_total").increment(1);
        return Ok(false);
    }
    Ok(true)
}

/// A window onto a long list: at most `limit` rows after skipping `offset` (pages of themes and
/// comments, which anyone can make long).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: i64,
    pub offset: i64,
}

impl Window {
    /// Everything (lists only organisers see whole, or that are short by nature).
    pub const ALL: Window = Window {
        limit: i64::MAX,
        offset: 0,
    };

    /// The first `n`.
    pub fn first(n: i64) -> Window {
        Window {
            limit: n,
            offset: 0,
        }
    }
}

/// Whether a series-level read (the board, a theme's salons, the series' outcomes) includes what
/// belongs to draft salons: only organisers see drafts, so for everyone else a draft's rounds,
/// decisions and actions are not there at all, just as `/salons/{draft}` is not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Drafts {
    Included,
    LeftOut,
}

impl Drafts {
    /// Organisers see drafts; everyone else does not.
    pub fn for_organiser(organiser: bool) -> Drafts {
        if organiser {
            Drafts::Included
        } else {
            Drafts::LeftOut
        }
    }

    /// The value bound to `(s.status <> 'draft' or $N)`.
    fn included(self) -> bool {
        self == Drafts::Included
    }
}

/// Send a PostgreSQL notification (the rooms bridge between instances; LISTEN is in
/// `rooms::bridge`, which holds its own connection for it).
pub async fn pg_notify(pool: &PgPool, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(pool)
        .await?;
    Ok(())
}

/// True when `err` says the database's disk is full: SQLite's SQLITE_FULL (13, with any
/// extended code) or PostgreSQL's `disk_full` (53100). Such a write changed nothing.
pub fn is_storage_full(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("53100") => true,
            Some(code) => {
                code.parse::<i32>().is_ok_and(|c| c & 0xff == 13)
                    && db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
            }
            None => false,
        },
        _ => false,
    }
}

/// True when `err` says the database cannot be reached just now, through no fault of the
/// request: no connection to be had, a connection cut off, or PostgreSQL shutting down or
/// terminating the backend (class 57P) or a connection exception (class 08).
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
        _ => false,
    }
}

/// True when `err` is a violation of the named unique constraint (same names on both backends;
/// SQLite reports the columns instead of the name, so both forms are checked).
pub fn is_unique_violation(err: &sqlx::Error, constraint: &str, column: &str) -> bool {
    match err {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            db.constraint() == Some(constraint) || db.message().contains(column)
        }
        _ => false,
    }
}
