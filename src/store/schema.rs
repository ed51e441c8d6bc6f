//! Where a database's schema stands against this binary's migrations, read without changing
//! anything (`salon check`, `salon restore`).

use super::Db;

/// The schema as found: which of this binary's migrations are applied, which wait, and any
/// applied by a newer Salon that this one does not know.
#[derive(Debug, Clone)]
pub struct Status {
    /// The database server's version ("SQLite 3.40.1", "PostgreSQL 15.14").
    pub server: String,
    /// The newest migration applied (version, description), if any.
    pub latest: Option<(i64, String)>,
    pub applied: usize,
    /// This binary's migrations not applied yet (`serve` and `migrate` apply them).
    pub pending: Vec<(i64, String)>,
    /// Applied migrations this binary does not have: a newer Salon migrated the database.
    pub unknown: Vec<i64>,
}

pub async fn status(db: &Db) -> Result<Status, sqlx::Error> {
    let (server, has_table) = match db {
        Db::Sqlite(p) => {
            let version: String = sqlx::query_scalar("select sqlite_version()")
                .fetch_one(p)
                .await?;
            let n: i64 = sqlx::query_scalar(
                "select count(*) from sqlite_master where type = 'table' and name = '_sqlx_migrations'",
            )
            .fetch_one(p)
            .await?;
            (format!("SQLite {version}"), n > 0)
        }
        Db::Postgres(p) => {
            let version: String = sqlx::query_scalar("select current_setting('server_version')")
                .fetch_one(p)
                .await?;
            let found: bool =
                sqlx::query_scalar("select to_regclass('_sqlx_migrations') is not null")
                    .fetch_one(p)
                    .await?;
            (format!("PostgreSQL {version}"), found)
        }
    };
    let applied: Vec<i64> = if has_table {
        let sql = "select version from _sqlx_migrations where success order by version";
        match db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
        }
    } else {
        Vec::new()
    };
    let migrator = db.migrator();
    let known: Vec<(i64, String)> = migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| (m.version, m.description.to_string()))
        .collect();
    let pending = known
        .iter()
        .filter(|(v, _)| !applied.contains(v))
        .cloned()
        .collect();
    let unknown = applied
        .iter()
        .filter(|v| !known.iter().any(|(k, _)| k == *v))
        .copied()
        .collect();
    let latest = applied.last().map(|v| {
        let description = known
            .iter()
            .find(|(k, _)| k == v)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| "unknown to this Salon".into());
        (*v, description)
    });
    Ok(Status {
        server,
        latest,
        applied: applied.len(),
        pending,
        unknown,
    })
}
