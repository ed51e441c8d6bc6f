//! A fresh database per test (a SQLite file, or a new database in the throwaway PostgreSQL
//! cluster), and direct SQL for setting the scene (moving time) and looking at what is stored.

use std::path::PathBuf;

use salon::config::Settings;

/// A fresh, empty database for one test.
pub struct TestDb {
    pub url: String,
    pub postgres: bool,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("salon.db").display());
        TestDb {
            url,
            postgres: false,
            dir,
        }
    }

    pub async fn postgres() -> Option<TestDb> {
        let admin_url = match std::env::var("SALON_TEST_PG_URL") {
            Ok(u) if !u.is_empty() => u,
            // Failing, not passing quietly: a green run must mean the PostgreSQL half ran.
            _ => panic!(
                "no PostgreSQL for this test: SALON_TEST_PG_URL is not set. Run scripts/test (it starts a \
                 throwaway cluster), or run only the SQLite halves: scripts/test sqlite"
            ),
        };
        let name = format!("salon_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .unwrap();
        sqlx::Executor::execute(
            &mut conn,
            sqlx::AssertSqlSafe(format!("create database {name}")),
        )
        .await
        .unwrap();
        let mut url = url::Url::parse(&admin_url).unwrap();
        url.set_path(&format!("/{name}"));
        Some(TestDb {
            url: url.to_string(),
            postgres: true,
            dir: tempfile::tempdir().unwrap(),
        })
    }

    /// Run one SQL statement directly (to simulate the passage of time, or to inspect state).
    pub async fn execute(&self, sql: &str) {
        if self.postgres {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::Executor::execute(&mut c, sqlx::AssertSqlSafe(sql.to_string()))
                .await
                .unwrap();
        } else {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::Executor::execute(&mut c, sqlx::AssertSqlSafe(sql.to_string()))
                .await
                .unwrap();
        }
    }

    /// Move a salon in time (to let it end, as time would): the times bound as the app binds them.
    pub async fn move_salon(
        &self,
        salon: i64,
        starts: chrono::DateTime<chrono::Utc>,
        ends: chrono::DateTime<chrono::Utc>,
    ) {
        let sql = "update salon set starts_at = $1, ends_at = $2 where id = $3";
        if self.postgres {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query(sql)
                .bind(starts)
                .bind(ends)
                .bind(salon)
                .execute(&mut c)
                .await
                .unwrap();
        } else {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query(sql)
                .bind(starts)
                .bind(ends)
                .bind(salon)
                .execute(&mut c)
                .await
                .unwrap();
        }
    }

    /// One integer from a query (counts).
    pub async fn count(&self, sql: &str) -> i64 {
        self.one(sql).await
    }

    /// One text value from a query (a pragma's answer, a stored body).
    pub async fn text(&self, sql: &str) -> String {
        self.one(sql).await
    }

    /// One value of a type both databases decode.
    async fn one<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres>
            + sqlx::Type<sqlx::Postgres>
            + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
            + sqlx::Type<sqlx::Sqlite>
            + Send
            + Unpin,
    {
        let query = sqlx::AssertSqlSafe(sql.to_string());
        if self.postgres {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query_scalar(query).fetch_one(&mut c).await.unwrap()
        } else {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query_scalar(query).fetch_one(&mut c).await.unwrap()
        }
    }

    /// Rows whose `column` is before `at` (times bound as the app binds them, so the comparison
    /// is the app's own).
    pub async fn count_before(
        &self,
        table: &str,
        column: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> i64 {
        let sql = format!("select count(*) from {table} where {column} < $1");
        if self.postgres {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(at)
                .fetch_one(&mut c)
                .await
                .unwrap()
        } else {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(at)
                .fetch_one(&mut c)
                .await
                .unwrap()
        }
    }

    /// Set a time column of the rows `filter` selects (to let time pass for them).
    pub async fn set_time(
        &self,
        table: &str,
        column: &str,
        at: chrono::DateTime<chrono::Utc>,
        filter: &str,
    ) {
        let sql = format!("update {table} set {column} = $1 where {filter}");
        if self.postgres {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(at)
                .execute(&mut c)
                .await
                .unwrap();
        } else {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(at)
                .execute(&mut c)
                .await
                .unwrap();
        }
    }

    /// Settings a test app starts from: this database, fast outbox polling and retries.
    pub fn settings(&self) -> Settings {
        Settings {
            database_url: self.url.clone(),
            addr: "127.0.0.1:0".into(),
            outbox_dir: self.dir.path().join("outbox").display().to_string(),
            outbox_poll_ms: "50".into(),
            outbox_retry_base_ms: "100".into(),
            outbox_max_attempts: "50".into(),
            smtp_timeout_secs: "5".into(),
            mail_from: "Salon <salon@salon.example>".into(),
            reminder_poll_secs: "1".into(),
            ..Settings::default()
        }
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.dir.path().join("outbox")
    }
}

impl TestDb {
    /// Every `table.column` holding `needle` anywhere (text, or bytes as text), over every
    /// table of the schema: what a deletion must leave nowhere.
    pub async fn columns_holding(&self, needle: &str) -> Vec<String> {
        let pattern = format!("%{}%", needle.to_lowercase());
        let mut found = Vec::new();
        if self.postgres {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            let columns: Vec<(String, String, String)> = sqlx::query_as(
                "select table_name::text, column_name::text, data_type::text from information_schema.columns where table_schema = 'public'",
            )
            .fetch_all(&mut c)
            .await
            .unwrap();
            for (table, column, ty) in columns {
                let value = if ty == "bytea" {
                    format!("encode(\"{column}\", 'escape')")
                } else {
                    format!("\"{column}\"::text")
                };
                let sql = format!("select count(*) from \"{table}\" where lower({value}) like $1");
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(&pattern)
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
                if n > 0 {
                    found.push(format!("{table}.{column} ({n})"));
                }
            }
        } else {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                .await
                .unwrap();
            let tables: Vec<String> =
                sqlx::query_scalar("select name from sqlite_master where type = 'table'")
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
            for table in tables {
                let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "select name from pragma_table_info('{table}')"
                )))
                .fetch_all(&mut c)
                .await
                .unwrap();
                for column in columns {
                    let sql = format!(
                        "select count(*) from \"{table}\" where lower(cast(\"{column}\" as text)) like $1"
                    );
                    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                        .bind(&pattern)
                        .fetch_one(&mut c)
                        .await
                        .unwrap();
                    if n > 0 {
                        found.push(format!("{table}.{column} ({n})"));
                    }
                }
            }
        }
        found
    }
}
