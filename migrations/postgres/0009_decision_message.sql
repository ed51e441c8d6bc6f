-- A decision may name the room message it came from (postgres). Keep in step with the other
-- backend's 0009_decision_message.sql (no foreign key there, so none here either: a link to a
-- message removed later only stops resolving, on both).
alter table decision add column message_room_id bigint;
alter table decision add column message_id bigint;
