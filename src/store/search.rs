//! Search over `search_item` (kept by triggers, migration 0023): FTS5 on SQLite, a tsvector in
//! five languages on PostgreSQL. Who may see what is decided in the same query, from the live
//! tables: never a hidden message or a withdrawn decision or action, never anything of a draft
//! salon, proposals only for people signed in, and room messages only for organisers and the
//! people registered for the salon (who may enter its rooms).

use chrono::{DateTime, Utc};

use std::collections::HashMap;

use super::Db;
use crate::domain::search::{Query, TERMS_MAX};
use crate::ids::{PersonId, SeriesId};

/// Who searches.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub person: Option<PersonId>,
    pub organiser: bool,
}

/// What to look in.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One of `domain::search::KINDS`, or all.
    pub kind: Option<&'static str>,
    pub series: Option<SeriesId>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Hit {
    pub kind: String,
    pub a: i64,
    pub b: i64,
    pub salon_id: Option<i64>,
    pub series_id: Option<i64>,
    pub room_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub at: DateTime<Utc>,
    pub salon_title: Option<String>,
    pub series_title: Option<String>,
}

/// The conditions every hit meets, after the words matched ($2 the reader's id or 0, $3 an
/// organiser, $4 signed in, $5 the kind or '', $6 the series or 0).
const VISIBLE: &str = "
    and not i.hidden
    and (i.salon_id is null or s.status <> 'draft')
    and (i.kind <> 'proposal' or $4)
    and (i.kind <> 'message' or $3 or exists (
        select 1 from rsvp r where r.salon_id = i.salon_id and r.person_id = $2
        and ((r.response = 'yes' and r.waitlist_seq is null) or r.response = 'maybe'))
        or (s.standing and exists (select 1 from group_member g
            where g.group_id = s.group_id and g.person_id = $2)))
    and ($5 = '' or i.kind = $5)
    and ($6 = 0 or coalesce(i.series_id, s.series_id) = $6)";

/// The words as a tsquery in each of the five languages and unstemmed ($1).
const TSQUERY: &str = "(plainto_tsquery('danish', $1) || plainto_tsquery('norwegian', $1)
    || plainto_tsquery('swedish', $1) || plainto_tsquery('finnish', $1)
    || plainto_tsquery('english', $1) || plainto_tsquery('simple', $1))";

const COLUMNS: &str =
    "i.kind, i.a, i.b, i.salon_id, coalesce(i.series_id, s.series_id) as series_id,
    i.room_id, i.title, i.body, i.at, s.title as salon_title, se.title as series_title";

const JOINS: &str = "left join salon s on s.id = i.salon_id
    left join series se on se.id = coalesce(i.series_id, s.series_id)";

/// Hits are ranked among the newest this many room messages that match and the reader may
/// see, and the newest [`OTHER_WINDOW`] other matches: two common words in a busy room match
/// tens of thousands of messages, and scoring each one would take longer than a search may
/// (BENCHMARKS.md). A query of less common words matches fewer, and all are ranked.
pub const MESSAGE_WINDOW: i64 = 500;
pub const OTHER_WINDOW: i64 = 1000;

/// The index's terms that each prefix begins (SQLite: `search_vocab`, migration 0024); one
/// more than [`TERMS_MAX`] at most, enough to tell a stem with too many.
async fn terms(
    c: &mut sqlx::SqliteConnection,
    prefixes: &[String],
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let mut out = HashMap::new();
    for p in prefixes {
        // Every term that begins with p sorts from p up to p followed by the last code point.
        let end = format!("{p}\u{10FFFF}");
        let found: Vec<(String,)> =
            sqlx::query_as("select term from search_vocab where term >= $1 and term < $2 limit $3")
                .bind(p)
                .bind(&end)
                .bind(TERMS_MAX as i64 + 1)
                .fetch_all(&mut *c)
                .await?;
        out.insert(p.clone(), found.into_iter().map(|(t,)| t).collect());
    }
    Ok(out)
}

/// The best `limit` hits, best first.
pub async fn search(
    db: &Db,
    q: &Query,
    reader: Reader,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<Hit>, sqlx::Error> {
    let me = reader.person.map(|p| p.0).unwrap_or(0);
    let kind = filter.kind.unwrap_or("");
    let series = filter.series.map(|s| s.0).unwrap_or(0);
    // A title match weighs four times a body match (bm25 column weights; tsvector A and B).
    // $1 matches the messages, $8 the rest (SQLite); $1 is the words (PostgreSQL).
    let sqlite = format!(
        "with m as (
             select i.id, bm25(search_fts, 4.0, 1.0, 0.0) as score
             from search_fts f join search_item i on i.id = f.rowid {JOINS}
             where search_fts match $1 {VISIBLE}
             order by f.rowid desc limit {MESSAGE_WINDOW}),
         o as (
             select i.id, bm25(search_fts, 4.0, 1.0, 0.0) as score
             from search_fts f join search_item i on i.id = f.rowid {JOINS}
             where search_fts match $8 {VISIBLE}
             order by f.rowid desc limit {OTHER_WINDOW}),
         h as (select * from m union all select * from o)
         select {COLUMNS} from h join search_item i on i.id = h.id {JOINS}
         order by h.score, i.at desc limit $7"
    );
    // Ranked by ts_rank (how often the words occur, a title four times a text, divided by the
    // log of the length), not ts_rank_cd: the words' nearness to each other cost 20 ms over
    // 1,500 rows of two common words, ts_rank 1.5 ms.
    // The query is written out where it is used, not in a CTE: the planner then estimates
    // how many rows it matches from the column's statistics, and for common words walks the
    // newest rows backwards instead of fetching every match first (133 ms -> 6 ms).
    let postgres = format!(
        "with m as (
             select i.id from search_item i {JOINS}
             where i.kind = 'message' and i.tsv @@ {TSQUERY} {VISIBLE}
             order by i.id desc limit {MESSAGE_WINDOW}),
         o as (
             select i.id from search_item i {JOINS}
             where i.kind <> 'message' and i.tsv @@ {TSQUERY} {VISIBLE}
             order by i.id desc limit {OTHER_WINDOW}),
         h as (select * from m union all select * from o)
         select {COLUMNS} from h join search_item i on i.id = h.id {JOINS}
         order by ts_rank('{{0.1, 0.2, 0.4, 1.0}}', i.tsv, {TSQUERY}, 1) desc, i.at desc limit $7"
    );
    match db {
        Db::Sqlite(pool) => {
            let mut c = pool.acquire().await?;
            let found = terms(&mut c, &q.prefixes()).await?;
            sqlx::query_as(sqlx::AssertSqlSafe(sqlite.as_str()))
                .bind(q.fts5(true, &found))
                .bind(me)
                .bind(reader.organiser)
                .bind(reader.person.is_some())
                .bind(kind)
                .bind(series)
                .bind(limit)
                .bind(q.fts5(false, &found))
                .fetch_all(&mut *c)
                .await
        }
        // Not a prepared statement kept for reuse: its generic plan cannot see the words, and
        // chose to fetch every match of common ones (117 ms at p50, against 40 ms planned for
        // the words themselves).
        Db::Postgres(pool) => {
            sqlx::query_as(sqlx::AssertSqlSafe(postgres.as_str()))
                .persistent(false)
                .bind(q.plain())
                .bind(me)
                .bind(reader.organiser)
                .bind(reader.person.is_some())
                .bind(kind)
                .bind(series)
                .bind(limit)
                .fetch_all(pool)
                .await
        }
    }
}
