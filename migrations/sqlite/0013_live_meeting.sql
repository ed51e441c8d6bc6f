-- The live meeting (sqlite): the agenda item an organiser has moved the salon to from its room
-- (no row: the clock says which item is under way). Keep in step with the other backend's
-- 0013_live_meeting.sql.
create table agenda_now (
    salon_id   integer primary key references salon (id) on delete cascade,
    position   integer not null,
    moved_at   text not null
);
