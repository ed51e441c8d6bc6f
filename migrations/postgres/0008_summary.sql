-- A salon's summary, sent once (postgres). Keep in step with the other backend's 0008_summary.sql.
create table salon_summary (
    salon_id bigint primary key references salon (id) on delete cascade,
    sent_by  bigint references person (id) on delete set null,
    sent_at  timestamptz not null
);
