-- Outcomes of a salon: decisions and actions (sqlite). Keep in step with the other backend's
-- 0007_outcomes.sql.

-- People an organiser names note-taker for a salon: they record decisions and actions.
create table note_taker (
    salon_id  integer not null references salon (id) on delete cascade,
    person_id integer not null references person (id) on delete cascade,
    primary key (salon_id, person_id)
);

create table decision (
    id         integer primary key,
    salon_id   integer not null references salon (id) on delete cascade,
    body       text not null,
    theme_id   integer references theme (id) on delete set null,
    round_id   integer references round (id) on delete set null,
    recorded_by integer references person (id) on delete set null,
    created_at text not null
);
create index decision_salon on decision (salon_id, id);

-- What, who (a person and/or an organisation), by when, open or done.
create table action (
    id              integer primary key,
    salon_id        integer not null references salon (id) on delete cascade,
    what            text not null,
    owner_id        integer references person (id) on delete set null,
    organisation_id integer references organisation (id) on delete set null,
    due             text,
    status          text not null default 'open' check (status in ('open', 'done')),
    recorded_by     integer references person (id) on delete set null,
    reminded_at     text,
    created_at      text not null
);
create index action_salon on action (salon_id, id);
create index action_owner on action (owner_id, status);
