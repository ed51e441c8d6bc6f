-- A session made from an invitation's personal link (a latecomer going straight into the room)
-- is good for one salon's pages and room only, until its fixed end (sqlite). Null: a full
-- session from a sign-in mail. Keep in step with the other backend's 0017_room_pass.sql.
alter table session add column salon_id integer references salon (id) on delete cascade;
