-- A decision may name the room message it came from (sqlite). Keep in step with the other
-- backend's 0009_decision_message.sql. No foreign key: SQLite cannot add a two-column one to an
-- existing table, and a link to a message removed later (retention) only stops resolving.
alter table decision add column message_room_id integer;
alter table decision add column message_id integer;
