//! The glossary: entries (term, expansion, explanation, in Danish) and their wording in other
//! languages where it differs.

use chrono::{DateTime, Utc};

use super::{Conn, Tx, execute, rows, values};
use crate::domain::time::now;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub term: String,
    pub expansion: String,
    pub explanation: String,
    pub updated_at: DateTime<Utc>,
}

/// Every entry in `locale` (its own wording where there is one, else the Danish), by term.
pub async fn all(c: impl Into<Conn<'_>>, locale: &str) -> Result<Vec<Entry>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select e.id, e.term, coalesce(t.expansion, e.expansion) as expansion,
                coalesce(t.explanation, e.explanation) as explanation, e.updated_at
         from glossary_entry e left join glossary_translation t on t.entry_id = e.id and t.locale = $1
         order by lower(e.term)",
        locale
    )
}

pub async fn get(c: impl Into<Conn<'_>>, id: i64) -> Result<Option<Entry>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select id, term, expansion, explanation, updated_at from glossary_entry where id = $1",
        id
    )
}

/// An entry's wording in the other languages: (locale, expansion, explanation).
pub async fn translations(
    c: impl Into<Conn<'_>>,
    id: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select locale, expansion, explanation from glossary_translation where entry_id = $1 order by locale",
        id
    )
}

/// Add an entry; its id.
pub async fn add(
    tx: &mut Tx,
    term: &str,
    expansion: &str,
    explanation: &str,
) -> Result<i64, sqlx::Error> {
    let at = now();
    values!(
        &mut *tx,
        fetch_one,
        "insert into glossary_entry (term, expansion, explanation, created_at, updated_at)
         values ($1, $2, $3, $4, $4) returning id",
        term,
        expansion,
        explanation,
        at
    )
}

pub async fn update(
    tx: &mut Tx,
    id: i64,
    term: &str,
    expansion: &str,
    explanation: &str,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        &mut *tx,
        "update glossary_entry set term = $1, expansion = $2, explanation = $3, updated_at = $4 where id = $5",
        term,
        expansion,
        explanation,
        now(),
        id
    )?;
    Ok(n == 1)
}

/// Replace an entry's wording in the other languages (a language left blank has none).
pub async fn set_translations(
    tx: &mut Tx,
    id: i64,
    list: &[(&str, String, String)],
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "delete from glossary_translation where entry_id = $1",
        id
    )?;
    for (locale, expansion, explanation) in list {
        execute!(
            &mut *tx,
            "insert into glossary_translation (entry_id, locale, expansion, explanation) values ($1, $2, $3, $4)",
            id,
            *locale,
            expansion,
            explanation
        )?;
    }
    Ok(())
}

pub async fn remove(c: impl Into<Conn<'_>>, id: i64) -> Result<bool, sqlx::Error> {
    Ok(execute!(c, "delete from glossary_entry where id = $1", id)? == 1)
}
