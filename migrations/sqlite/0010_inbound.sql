-- Inbound mail: calendar replies and bounces (sqlite). Keep in step with the other backend's
-- 0010_inbound.sql.

-- Each invitation's own reply address (`salon+i-TOKEN@host` as the calendar's ORGANIZER): the
-- token is derived from the installation's secret, so every mail to the person about the salon
-- carries the same address; only its hash is stored. The last applied reply guards against the
-- same reply twice and an older one arriving late.
create table reply_address (
    token_hash     text primary key,
    salon_id       integer not null references salon (id) on delete cascade,
    person_id      integer not null references person (id) on delete cascade,
    created_at     text not null,
    revoked_at     text,
    last_dtstamp   text,
    last_partstat  text,
    constraint reply_address_person_key unique (salon_id, person_id)
);

-- What was taken in, and what was done with it (/admin/inbox).
create table inbound_message (
    id          integer primary key,
    message_id  text,
    source      text not null check (source in ('imap', 'pipe', 'http')),
    sender      text not null default '',
    subject     text not null default '',
    outcome     text not null check (outcome in ('applied', 'ignored', 'failed')),
    detail      text not null default '',
    salon_id    integer references salon (id) on delete set null,
    person_id   integer references person (id) on delete set null,
    comment     text not null default '',
    received_at text not null
);
create unique index inbound_message_id on inbound_message (message_id) where message_id is not null;
create index inbound_recent on inbound_message (received_at);

-- A permanent bounce marks the mail and the person's address.
alter table outbox add column bounced_at text;
alter table outbox add column bounce text;
alter table person add column mail_failing_at text;

-- A lease: which instance reads the IMAP mailbox now (renewed while it reads; another takes
-- over once it runs out), so two instances never take the same message.
create table lease (
    name       text primary key,
    holder     text not null,
    expires_at text not null
);
