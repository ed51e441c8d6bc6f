-- Invitations, RSVP links, personal feeds and reminders (postgres).
-- Keep in step with the other backend's 0003_calendar.sql.

-- The revision the invited people were last told about; when the salon's revision is higher,
-- organisers are offered to send an update (or a cancellation).
alter table salon add column notified_revision bigint not null default 0;

-- Personal RSVP links from invitation mails: scoped to one person and salon, stored hashed,
-- revocable. Every mail gets a fresh link; all stay valid until revoked.
create table rsvp_token (
    token_hash  text primary key,
    salon_id    bigint not null references salon (id) on delete cascade,
    person_id   bigint not null references person (id) on delete cascade,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index rsvp_token_person on rsvp_token (salon_id, person_id);

-- Personal calendar feed links (/feeds/{token}.ics); renewing revokes the old one.
create table feed_token (
    token_hash  text primary key,
    person_id   bigint not null references person (id) on delete cascade,
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index feed_token_person on feed_token (person_id);

-- One reminder per person and salon, ever: the insert is the claim, in the same transaction
-- as the mail, so restarts and several instances never send two.
create table reminder_sent (
    salon_id    bigint not null references salon (id) on delete cascade,
    person_id   bigint not null references person (id) on delete cascade,
    sent_at     timestamptz not null,
    primary key (salon_id, person_id)
);
