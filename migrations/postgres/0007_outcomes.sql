-- Outcomes of a salon: decisions and actions (postgres). Keep in step with the other backend's
-- 0007_outcomes.sql.

-- People an organiser names note-taker for a salon: they record decisions and actions.
create table note_taker (
    salon_id  bigint not null references salon (id) on delete cascade,
    person_id bigint not null references person (id) on delete cascade,
    primary key (salon_id, person_id)
);

create table decision (
    id         bigint generated always as identity primary key,
    salon_id   bigint not null references salon (id) on delete cascade,
    body       text not null,
    theme_id   bigint references theme (id) on delete set null,
    round_id   bigint references round (id) on delete set null,
    recorded_by bigint references person (id) on delete set null,
    created_at timestamptz not null
);
create index decision_salon on decision (salon_id, id);

-- What, who (a person and/or an organisation), by when, open or done.
create table action (
    id              bigint generated always as identity primary key,
    salon_id        bigint not null references salon (id) on delete cascade,
    what            text not null,
    owner_id        bigint references person (id) on delete set null,
    organisation_id bigint references organisation (id) on delete set null,
    due             date,
    status          text not null default 'open' check (status in ('open', 'done')),
    recorded_by     bigint references person (id) on delete set null,
    reminded_at     timestamptz,
    created_at      timestamptz not null
);
create index action_salon on action (salon_id, id);
create index action_owner on action (owner_id, status);
