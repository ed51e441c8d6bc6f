-- Search words as written: a change to SQLite's FTS5 index only (its 0024_search_terms.sql).
-- PostgreSQL stems text and query in each language itself, so nothing changes here; the
-- migration exists so both backends stand at the same schema level.
select 1;
