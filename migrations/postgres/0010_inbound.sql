-- Inbound mail: calendar replies and bounces (postgres). Keep in step with the other backend's
-- 0010_inbound.sql.

create table reply_address (
    token_hash     text primary key,
    salon_id       bigint not null references salon (id) on delete cascade,
    person_id      bigint not null references person (id) on delete cascade,
    created_at     timestamptz not null,
    revoked_at     timestamptz,
    last_dtstamp   timestamptz,
    last_partstat  text,
    constraint reply_address_person_key unique (salon_id, person_id)
);

create table inbound_message (
    id          bigserial primary key,
    message_id  text,
    source      text not null check (source in ('imap', 'pipe', 'http')),
    sender      text not null default '',
    subject     text not null default '',
    outcome     text not null check (outcome in ('applied', 'ignored', 'failed')),
    detail      text not null default '',
    salon_id    bigint references salon (id) on delete set null,
    person_id   bigint references person (id) on delete set null,
    comment     text not null default '',
    received_at timestamptz not null
);
create unique index inbound_message_id on inbound_message (message_id) where message_id is not null;
create index inbound_recent on inbound_message (received_at);

alter table outbox add column bounced_at timestamptz;
alter table outbox add column bounce text;
alter table person add column mail_failing_at timestamptz;

create table lease (
    name       text primary key,
    holder     text not null,
    expires_at timestamptz not null
);
