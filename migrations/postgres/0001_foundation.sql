-- Foundation schema (PostgreSQL). Keep in step with migrations/sqlite/0001_foundation.sql:
-- same tables, same columns, same constraint names; only the dialect differs.
-- Times are bound from Rust (chrono, UTC); no SQL-side time defaults, as on SQLite.

create table organisation (
    id          bigint generated always as identity primary key,
    short_name  text not null,
    name        text not null,
    country     text not null,
    is_member   boolean not null default true,
    created_at  timestamptz not null,
    constraint organisation_short_name_key unique (short_name)
);

create table person (
    id              bigint generated always as identity primary key,
    email           text not null,
    name            text not null,
    title           text,
    role            text not null default 'member' check (role in ('admin', 'organiser', 'member')),
    locale          text not null default 'da' check (locale in ('da', 'en', 'nb', 'sv')),
    organisation_id bigint references organisation (id) on delete set null,
    created_at      timestamptz not null,
    constraint person_email_key unique (email)
);

create table session (
    id_hash     text primary key,
    person_id   bigint not null references person (id) on delete cascade,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index session_person on session (person_id);

create table login_token (
    token_hash  text primary key,
    person_id   bigint not null references person (id) on delete cascade,
    next_path   text,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index login_token_person on login_token (person_id);

create table outbox (
    id              bigint generated always as identity primary key,
    message_id      text not null,
    kind            text not null,
    recipient       text not null,
    subject         text not null,
    body            bytea not null,
    status          text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null,
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    constraint outbox_message_id_key unique (message_id)
);
create index outbox_due on outbox (status, next_attempt_at);

create table setting (
    key     text primary key,
    value   text not null
);
