-- Foundation schema (SQLite). Keep in step with migrations/postgres/0001_foundation.sql:
-- same tables, same columns, same constraint names; only the dialect differs.
-- Times are bound from Rust (chrono, UTC, microseconds) and stored as RFC 3339 text; no SQL-side
-- time defaults (STYLE.md: CURRENT_TIMESTAMP's format differs from what sqlx writes).
-- Later issues add salon, rsvp, room and message tables in their own migrations.

create table organisation (
    id          integer primary key,
    short_name  text not null,
    name        text not null,
    country     text not null,             -- ISO 3166-1 alpha-2: DK, NO, SE, FI
    is_member   boolean not null default 1, -- member organisations of the alliance
    created_at  text not null,
    constraint organisation_short_name_key unique (short_name)
);

create table person (
    id              integer primary key,
    email           text not null,          -- normalised: trimmed, lower case
    name            text not null,
    title           text,                   -- job title, e.g. "Bibliotekschef"
    role            text not null default 'member' check (role in ('admin', 'organiser', 'member')),
    locale          text not null default 'da' check (locale in ('da', 'en', 'nb', 'sv')),
    organisation_id integer references organisation (id) on delete set null,
    created_at      text not null,
    constraint person_email_key unique (email)
);

-- A signed-in browser. Only the SHA-256 of the cookie value is stored, so a leaked database
-- does not leak live sessions.
create table session (
    id_hash     text primary key,
    person_id   integer not null references person (id) on delete cascade,
    created_at  text not null,
    expires_at  text not null
);
create index session_person on session (person_id);

-- One-time sign-in links. Stored hashed; consumed by POST only (mail scanners open GET links).
create table login_token (
    token_hash  text primary key,
    person_id   integer not null references person (id) on delete cascade,
    next_path   text,                       -- local path to return to after sign-in
    created_at  text not null,
    expires_at  text not null,
    used_at     text
);
create index login_token_person on login_token (person_id);

-- The durable mail outbox: one row per message, written in the same transaction as the change
-- that causes it. `body` is the complete RFC 5322 message, so every retry sends the same bytes
-- with the same Message-ID.
create table outbox (
    id              integer primary key,
    message_id      text not null,
    kind            text not null,          -- sign_in, invitation, update, cancellation, ...
    recipient       text not null,
    subject         text not null,
    body            blob not null,
    status          text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at text not null,
    locked_until    text,                   -- a 'sending' row whose lock ran out is claimed again
    last_error      text,
    created_at      text not null,
    sent_at         text,
    constraint outbox_message_id_key unique (message_id)
);
create index outbox_due on outbox (status, next_attempt_at);

-- Installation-wide settings, e.g. the generated secret that keys CSRF tokens, shared by all
-- instances on one database.
create table setting (
    key     text primary key,
    value   text not null
);
