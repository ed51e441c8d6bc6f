//! Series of salons ("samtalerække").

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows, values};
use crate::domain::time::now;
use crate::ids::SeriesId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Series {
    pub id: SeriesId,
    pub title: String,
    pub description: String,
    /// Whether members, not only organisers, may put proposals to the series.
    pub members_propose: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    c: impl Into<Conn<'_>>,
    title: &str,
    description: &str,
) -> Result<SeriesId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into series (title, description, created_at) values ($1, $2, $3) returning id",
        title,
        description,
        now()
    )
}

pub async fn update(
    c: impl Into<Conn<'_>>,
    id: SeriesId,
    title: &str,
    description: &str,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "update series set title = $1, description = $2 where id = $3",
        title,
        description,
        id
    )?;
    Ok(n == 1)
}

/// Let members put proposals to the series, or only organisers.
pub async fn set_members_propose(
    c: impl Into<Conn<'_>>,
    id: SeriesId,
    allowed: bool,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "update series set members_propose = $1 where id = $2",
        allowed,
        id
    )?;
    Ok(n == 1)
}

pub async fn get(c: impl Into<Conn<'_>>, id: SeriesId) -> Result<Option<Series>, sqlx::Error> {
    rows!(c, fetch_optional, "select * from series where id = $1", id)
}

pub async fn by_title(c: impl Into<Conn<'_>>, title: &str) -> Result<Option<Series>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select * from series where title = $1 order by id limit 1",
        title
    )
}

pub async fn all(c: impl Into<Conn<'_>>) -> Result<Vec<Series>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select * from series order by created_at desc, id desc"
    )
}
