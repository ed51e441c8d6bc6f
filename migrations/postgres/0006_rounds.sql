-- Priority rounds (dot voting) in a salon (postgres). Keep in step with the other backend's
-- 0006_rounds.sql.

-- draft -> open -> closed; results are frozen once closed.
create table round (
    id                bigint generated always as identity primary key,
    salon_id          bigint not null references salon (id) on delete cascade,
    question          text not null,
    points_per_person bigint not null default 5,
    max_per_option    bigint not null default 3,
    live_results      boolean not null default false,
    state             text not null default 'draft' check (state in ('draft', 'open', 'closed')),
    created_at        timestamptz not null,
    opened_at         timestamptz,
    closed_at         timestamptz
);
create index round_salon on round (salon_id, id);

create table round_option (
    id       bigint generated always as identity primary key,
    round_id bigint not null references round (id) on delete cascade,
    label    text not null,
    theme_id bigint references theme (id) on delete set null,
    position bigint not null
);
create index round_option_round on round_option (round_id, position);

-- A person's ballot: their points per option (only options with points have a row).
create table ballot_point (
    round_id  bigint not null references round (id) on delete cascade,
    person_id bigint not null references person (id) on delete cascade,
    option_id bigint not null references round_option (id) on delete cascade,
    points    bigint not null check (points > 0),
    primary key (round_id, person_id, option_id)
);
