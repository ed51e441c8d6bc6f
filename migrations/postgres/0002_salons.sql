-- Series, salons, agenda items, RSVPs and pending registrations (PostgreSQL).
-- Keep in step with migrations/sqlite/0002_salons.sql.

alter table person add column time_zone text not null default 'Europe/Copenhagen';

create table series (
    id          bigint generated always as identity primary key,
    title       text not null,
    description text not null default '',
    created_at  timestamptz not null
);

create table salon (
    id              bigint generated always as identity primary key,
    series_id       bigint references series (id) on delete set null,
    title           text not null,
    description     text not null default '',
    starts_at       timestamptz not null,
    ends_at         timestamptz not null,
    time_zone       text not null default 'Europe/Copenhagen',
    mode            text not null check (mode in ('in_person', 'online', 'hybrid')),
    address         text,
    meeting_url     text,
    capacity        bigint,
    rsvp_deadline   timestamptz,
    registration    text not null default 'invitation' check (registration in ('open', 'invitation')),
    status          text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
    revision        bigint not null default 0,
    waitlist_seq    bigint not null default 0,
    organiser_id    bigint references person (id) on delete set null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);
create index salon_upcoming on salon (status, starts_at);
create index salon_series on salon (series_id);

create table agenda_item (
    id          bigint generated always as identity primary key,
    salon_id    bigint not null references salon (id) on delete cascade,
    position    bigint not null,
    start_time  text,
    title       text not null,
    note        text not null default ''
);
create index agenda_item_salon on agenda_item (salon_id, position);

create table rsvp (
    id              bigint generated always as identity primary key,
    salon_id        bigint not null references salon (id) on delete cascade,
    person_id       bigint not null references person (id) on delete cascade,
    response        text check (response in ('yes', 'maybe', 'no')),
    waitlist_seq    bigint,
    show_in_list    boolean not null default false,
    invited_at      timestamptz,
    answered_at     timestamptz,
    created_at      timestamptz not null,
    constraint rsvp_salon_person_key unique (salon_id, person_id)
);
create index rsvp_waitlist on rsvp (salon_id, waitlist_seq);
create index rsvp_person on rsvp (person_id);

create table registration (
    token_hash      text primary key,
    salon_id        bigint not null references salon (id) on delete cascade,
    email           text not null,
    name            text not null,
    organisation    text not null default '',
    title           text not null default '',
    locale          text not null default 'da',
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    used_at         timestamptz
);
