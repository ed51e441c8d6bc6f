-- Time polls to find a date for a salon (postgres): the offered start times (in UTC; the poll's
-- zone says how they were typed), the people asked (each with a personal answer link, only its
-- hash kept), and their answers per time. Picking a time makes a draft salon (salon_id). Keep
-- in step with the other backend's 0022_time_polls.sql.
create table time_poll (
    id           bigint generated always as identity primary key,
    series_id    bigint not null references series (id) on delete cascade,
    title        text not null,
    description  text not null,
    time_zone    text not null,
    minutes      bigint not null check (minutes > 0),
    created_by   bigint references person (id) on delete set null,
    created_at   timestamptz not null,
    chosen_slot  bigint,             -- the time picked (a time_slot id), once picked
    salon_id     bigint references salon (id) on delete set null
);
create index time_poll_series on time_poll (series_id, id);
create table time_slot (
    id        bigint generated always as identity primary key,
    poll_id   bigint not null references time_poll (id) on delete cascade,
    starts_at timestamptz not null,
    unique (poll_id, starts_at)
);
create table time_invitee (
    poll_id    bigint not null references time_poll (id) on delete cascade,
    person_id  bigint not null references person (id) on delete cascade,
    token_hash text not null unique,
    invited_at timestamptz not null,
    primary key (poll_id, person_id)
);
create index time_invitee_person on time_invitee (person_id);
create table time_answer (
    slot_id   bigint not null references time_slot (id) on delete cascade,
    person_id bigint not null references person (id) on delete cascade,
    answer    text not null check (answer in ('yes', 'maybe', 'no')),
    at        timestamptz not null,
    primary key (slot_id, person_id)
);
create index time_answer_person on time_answer (person_id);
