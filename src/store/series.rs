//! Series of salons ("samtalerække").

use chrono::{DateTime, Utc};

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::time::now;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Series {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

pub async fn create(tx: &mut Tx, title: &str, description: &str) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar("insert into series (title, description, created_at) values ($1, $2, $3) returning id")
            .bind(title)
            .bind(description)
            .bind(now())
            .fetch_one(c)
            .await
    })
}

pub async fn update(tx: &mut Tx, id: i64, title: &str, description: &str) -> Result<bool, sqlx::Error> {
    let n = on_tx!(tx, |c| {
        sqlx::query("update series set title = $1, description = $2 where id = $3")
            .bind(title)
            .bind(description)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Series>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as("select * from series where id = $1").bind(id).fetch_optional(p).await)
}

pub async fn by_title(db: &Db, title: &str) -> Result<Option<Series>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as("select * from series where title = $1 order by id limit 1").bind(title).fetch_optional(p).await)
}

pub async fn all(db: &Db) -> Result<Vec<Series>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as("select * from series order by created_at desc, id desc").fetch_all(p).await)
}
