//! `salon backup --to FILE` and `salon restore --from FILE [--force]` for the embedded SQLite
//! database. PostgreSQL has its own tools (`pg_dump`/`pg_restore`, README "Backups"): these say
//! so rather than guess.
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the database as it was when
//! the backup began, whatever the server writes meanwhile (WAL mode lets it go on writing), and
//! compact. The copy is checked (`PRAGMA integrity_check`) and stamped with the time it was
//! taken, which `restore` compares with the database it would replace.
//!
//! A restore replaces the database file with the copy, with the server stopped: it refuses while
//! something listens on Salon's address, and refuses to replace a database that was written
//! after the copy was taken unless `--force`. The database it replaces is kept beside it
//! (`salon.db.before-restore-TIME`). The old database's `-wal` and `-shm` files go with it: left
//! behind, SQLite would apply the old write-ahead log to the restored file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::config::{Config, MailTransportConfig};

/// The settings row a backup is stamped with.
const TAKEN_AT: &str = "backup_taken_at";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "DATABASE_URL is PostgreSQL: back it up with `pg_dump --format=custom --file=FILE \"$DATABASE_URL\"` and restore with `pg_restore --clean --if-exists --dbname=\"$DATABASE_URL\" FILE` (README, \"Backups\")"
    )]
    Postgres,
    #[error("{0}")]
    Refused(String),
    #[error("{0}: {1}")]
    Db(String, sqlx::Error),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// What a backup made.
#[derive(Debug)]
pub struct Backup {
    pub file: PathBuf,
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
    /// What else on disk matters and is not in the copy.
    pub also: Option<String>,
}

fn database_file(config: &Config) -> Result<PathBuf, BackupError> {
    config.database.sqlite_path().ok_or(BackupError::Postgres)
}

async fn open(path: &Path, read_only: bool) -> Result<SqliteConnection, sqlx::Error> {
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
}

/// The copy's `PRAGMA integrity_check`: "ok", or what is wrong.
async fn integrity(path: &Path) -> Result<String, sqlx::Error> {
    let mut c = open(path, true).await?;
    let lines: Vec<String> = sqlx::query_scalar("pragma integrity_check")
        .fetch_all(&mut c)
        .await?;
    c.close().await?;
    Ok(lines.join("; "))
}

pub async fn backup(config: &Config, to: &Path) -> Result<Backup, BackupError> {
    let from = database_file(config)?;
    if !from.exists() {
        return Err(BackupError::Refused(format!(
            "there is no database at {} (DATABASE_URL) to back up",
            from.display()
        )));
    }
    if to.exists() {
        return Err(BackupError::Refused(format!(
            "{} exists already: name a new file (a backup never overwrites one)",
            to.display()
        )));
    }
    let taken_at = crate::domain::time::now();
    {
        // Read-only: the backup changes nothing, not even the WAL at its close (a read-write
        // connection that is the last one checkpoints, and the file's time would then say it
        // was written after the backup).
        let options = SqliteConnectOptions::new()
            .filename(&from)
            .read_only(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| BackupError::Db(format!("cannot open {}", from.display()), e))?;
        sqlx::query("vacuum into $1")
            .bind(to.to_string_lossy().to_string())
            .execute(&pool)
            .await
            .map_err(|e| BackupError::Db(format!("cannot write {}", to.display()), e))?;
        pool.close().await;
    }
    // Stamped, so a restore can tell whether the database it replaces is newer.
    let stamp = async {
        let mut c = open(to, false).await?;
        sqlx::query(
            "insert into setting (key, value) values ($1, $2)
             on conflict (key) do update set value = excluded.value",
        )
        .bind(TAKEN_AT)
        .bind(taken_at.to_rfc3339())
        .execute(&mut c)
        .await?;
        c.close().await
    };
    stamp
        .await
        .map_err(|e| BackupError::Db(format!("cannot stamp {}", to.display()), e))?;
    let verdict = integrity(to)
        .await
        .map_err(|e| BackupError::Db(format!("cannot check {}", to.display()), e))?;
    if verdict != "ok" {
        return Err(BackupError::Refused(format!(
            "the copy {} failed its integrity check: {verdict}",
            to.display()
        )));
    }
    let bytes = std::fs::metadata(to)
        .map_err(|e| BackupError::Io(to.display().to_string(), e))?
        .len();
    let also = match &config.mail.transport {
        MailTransportConfig::Files { dir } => Some(format!(
            "mail is written as files to {} (no SMTP): copy that folder too if you keep those files",
            dir.display()
        )),
        MailTransportConfig::Smtp { .. } => None,
    };
    Ok(Backup {
        file: to.to_path_buf(),
        bytes,
        taken_at,
        also,
    })
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub database: PathBuf,
    /// Where the database it replaced was kept (none when there was none).
    pub kept: Option<PathBuf>,
    pub taken_at: Option<DateTime<Utc>>,
}

pub async fn restore(config: &Config, from: &Path, force: bool) -> Result<Restored, BackupError> {
    let db = database_file(config)?;
    if std::net::TcpListener::bind(config.addr).is_err() {
        return Err(BackupError::Refused(format!(
            "something is listening on {} (SALON_ADDR): stop Salon first (systemctl stop salon), then restore",
            config.addr
        )));
    }
    if !from.exists() {
        return Err(BackupError::Refused(format!(
            "there is no backup at {}",
            from.display()
        )));
    }
    let verdict = integrity(from).await.map_err(|e| {
        BackupError::Db(
            format!("{} is not a readable SQLite database", from.display()),
            e,
        )
    })?;
    if verdict != "ok" {
        return Err(BackupError::Refused(format!(
            "{} failed its integrity check: {verdict}",
            from.display()
        )));
    }
    let taken_at = stamp_of(from).await;
    if db.exists() && !force {
        let written = last_written(&db);
        match (taken_at, written) {
            (Some(taken), Some(written)) if written <= taken => {}
            (taken, written) => {
                return Err(BackupError::Refused(format!(
                    "{} was written after this backup was taken (written {}, backup taken {}): restoring would lose those changes; add --force to replace it anyway",
                    db.display(),
                    written
                        .map(|w| w.to_rfc3339())
                        .unwrap_or_else(|| "at an unknown time".into()),
                    taken
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_else(|| "at an unknown time (not made by salon backup)".into()),
                )));
            }
        }
    }
    // Keep what is replaced: a consistent copy of it (its WAL included), then remove it.
    let kept = if db.exists() {
        let kept = PathBuf::from(format!(
            "{}.before-restore-{}",
            db.display(),
            crate::domain::time::now().format("%Y%m%dT%H%M%SZ")
        ));
        let mut c = open(&db, false)
            .await
            .map_err(|e| BackupError::Db(format!("cannot open {}", db.display()), e))?;
        sqlx::query("vacuum into $1")
            .bind(kept.to_string_lossy().to_string())
            .execute(&mut c)
            .await
            .map_err(|e| BackupError::Db(format!("cannot keep {}", db.display()), e))?;
        c.close()
            .await
            .map_err(|e| BackupError::Db(format!("cannot close {}", db.display()), e))?;
        Some(kept)
    } else {
        None
    };
    let incoming = PathBuf::from(format!("{}.restoring", db.display()));
    std::fs::copy(from, &incoming)
        .map_err(|e| BackupError::Io(format!("cannot copy to {}", incoming.display()), e))?;
    std::fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::Io(incoming.display().to_string(), e))?;
    for side in ["-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{side}", db.display()));
        if path.exists() {
            std::fs::remove_file(&path)
                .map_err(|e| BackupError::Io(format!("cannot remove {}", path.display()), e))?;
        }
    }
    std::fs::rename(&incoming, &db).map_err(|e| {
        BackupError::Io(
            format!("cannot put the backup in place at {}", db.display()),
            e,
        )
    })?;
    Ok(Restored {
        database: db,
        kept,
        taken_at,
    })
}

/// When `salon backup` took this copy (None: not one of its copies).
async fn stamp_of(path: &Path) -> Option<DateTime<Utc>> {
    let mut c = open(path, true).await.ok()?;
    let raw: Option<String> = sqlx::query_scalar("select value from setting where key = $1")
        .bind(TAKEN_AT)
        .fetch_optional(&mut c)
        .await
        .ok()
        .flatten();
    let _ = c.close().await;
    DateTime::parse_from_rfc3339(&raw?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// When the database (or its write-ahead log) was last written.
fn last_written(db: &Path) -> Option<DateTime<Utc>> {
    [
        db.to_path_buf(),
        PathBuf::from(format!("{}-wal", db.display())),
    ]
    .iter()
    .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
    .max()
    .map(DateTime::<Utc>::from)
}
