-- The organiser's own introduction to a salon's summary, as sent (sqlite). Keep in step with
-- the other backend's 0014_summary_intro.sql.
alter table salon_summary add column intro text not null default '';
