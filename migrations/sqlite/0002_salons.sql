-- Series, salons, agenda items, RSVPs and pending registrations (SQLite).
-- Keep in step with migrations/postgres/0002_salons.sql.

alter table person add column time_zone text not null default 'Europe/Copenhagen';

create table series (
    id          integer primary key,
    title       text not null,
    description text not null default '',
    created_at  text not null
);

create table salon (
    id              integer primary key,
    series_id       integer references series (id) on delete set null,
    title           text not null,
    description     text not null default '',
    starts_at       text not null,          -- UTC
    ends_at         text not null,          -- UTC
    time_zone       text not null default 'Europe/Copenhagen',  -- IANA name; times are shown in it
    mode            text not null check (mode in ('in_person', 'online', 'hybrid')),
    address         text,
    meeting_url     text,                   -- shown only to registered people and organisers
    capacity        integer,                -- null: no limit
    rsvp_deadline   text,                   -- UTC; null: until the start
    registration    text not null default 'invitation' check (registration in ('open', 'invitation')),
    status          text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
    revision        integer not null default 0,  -- rises when time, place or status changes (SEQUENCE)
    waitlist_seq    integer not null default 0,  -- last waitlist number handed out, under the salon lock
    organiser_id    integer references person (id) on delete set null,
    created_at      text not null,
    updated_at      text not null
);
create index salon_upcoming on salon (status, starts_at);
create index salon_series on salon (series_id);

create table agenda_item (
    id          integer primary key,
    salon_id    integer not null references salon (id) on delete cascade,
    position    integer not null,
    start_time  text,                       -- 'HH:MM' in the salon's time zone, on its first day
    title       text not null,
    note        text not null default ''
);
create index agenda_item_salon on agenda_item (salon_id, position);

-- One row per person and salon: an invitation (response null), or an answer.
-- A 'yes' without a seat is on the waitlist: waitlist_seq is its place in line (null: has a seat).
create table rsvp (
    id              integer primary key,
    salon_id        integer not null references salon (id) on delete cascade,
    person_id       integer not null references person (id) on delete cascade,
    response        text check (response in ('yes', 'maybe', 'no')),
    waitlist_seq    integer,
    show_in_list    boolean not null default 0,
    invited_at      text,
    answered_at     text,
    created_at      text not null,
    constraint rsvp_salon_person_key unique (salon_id, person_id)
);
create index rsvp_waitlist on rsvp (salon_id, waitlist_seq);
create index rsvp_person on rsvp (person_id);

-- Someone not yet known registers for an open salon: confirmed by a mailed link (double opt-in).
create table registration (
    token_hash      text primary key,
    salon_id        integer not null references salon (id) on delete cascade,
    email           text not null,
    name            text not null,
    organisation    text not null default '',
    title           text not null default '',
    locale          text not null default 'da',
    created_at      text not null,
    expires_at      text not null,
    used_at         text
);
