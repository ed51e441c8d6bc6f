-- Decisions and actions kept right after the salon (postgres): a withdrawn decision or action
-- stays on record (with when), and an action can name the decision it carries out. Edits and
-- withdrawals are on the audit trail. Keep in step with the other backend's
-- 0015_outcome_edits.sql.
alter table decision add column withdrawn_at timestamptz;
alter table action add column withdrawn_at timestamptz;
alter table action add column decision_id bigint references decision (id) on delete set null;
