-- A salon's summary, sent once (sqlite). Keep in step with the other backend's 0008_summary.sql.
create table salon_summary (
    salon_id integer primary key references salon (id) on delete cascade,
    sent_by  integer references person (id) on delete set null,
    sent_at  text not null
);
