-- Data protection (sqlite): idle sessions, the audit trail, cleared mail bodies.
-- Keep in step with the other backend's 0011_privacy.sql.

-- A session ends after SALON_SESSION_IDLE_DAYS without a request; null: as old as the session.
alter table session add column last_seen_at text;

-- What organisers and admins did with people's data or the record: who, when, what, on what.
-- Names are copies as they were (the audit outlives renames); actor and subject are ids without
-- a foreign key, so the row stays, pseudonymous, after a person's account is deleted (their
-- copied name is cleared then). Never holds an e-mail address or a secret.
create table audit_event (
    id                integer primary key,
    at                text not null,
    actor_id          integer,
    actor_name        text not null default '',
    kind              text not null,
    subject_person_id integer,
    subject_name      text not null default '',
    salon_id          integer,
    detail            text not null default ''
);
create index audit_event_at on audit_event (at);
create index audit_event_kind on audit_event (kind, at);
create index audit_event_subject on audit_event (subject_person_id, at);
create index audit_event_actor on audit_event (actor_id, at);

-- Retention clears a sent mail's body after SALON_RETENTION_MAIL_DAYS; the row and its state stay.
alter table outbox add column body_cleared_at text;
