-- Priority rounds (dot voting) in a salon (sqlite). Keep in step with the other backend's
-- 0006_rounds.sql.

-- draft -> open -> closed; results are frozen once closed.
create table round (
    id                integer primary key,
    salon_id          integer not null references salon (id) on delete cascade,
    question          text not null,
    points_per_person integer not null default 5,
    max_per_option    integer not null default 3,
    live_results      boolean not null default 0,
    state             text not null default 'draft' check (state in ('draft', 'open', 'closed')),
    created_at        text not null,
    opened_at         text,
    closed_at         text
);
create index round_salon on round (salon_id, id);

create table round_option (
    id       integer primary key,
    round_id integer not null references round (id) on delete cascade,
    label    text not null,
    theme_id integer references theme (id) on delete set null,
    position integer not null
);
create index round_option_round on round_option (round_id, position);

-- A person's ballot: their points per option (only options with points have a row).
create table ballot_point (
    round_id  integer not null references round (id) on delete cascade,
    person_id integer not null references person (id) on delete cascade,
    option_id integer not null references round_option (id) on delete cascade,
    points    integer not null check (points > 0),
    primary key (round_id, person_id, option_id)
);
