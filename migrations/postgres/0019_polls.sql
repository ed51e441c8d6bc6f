-- Polls of a series (postgres): single choice, multiple choice, ranked choice (counted by Borda
-- score) and score (0 to max_score per option); the same life as a proposal: a closing time,
-- results hidden until then if so chosen, closed early by an organiser, optionally with an
-- outcome recorded as a decision. Keep in step with the other backend's 0019_polls.sql.
create table poll (
    id           bigint generated always as identity primary key,
    series_id    bigint not null references series (id) on delete cascade,
    salon_id     bigint references salon (id) on delete set null,
    question     text not null,
    background   text not null default '',
    kind         text not null check (kind in ('single', 'multiple', 'ranked', 'score')),
    max_score    bigint not null default 5 check (max_score between 1 and 10),
    closes_at    timestamptz not null,
    hide_results boolean not null default false,
    proposed_by  bigint references person (id) on delete set null,
    closed_at    timestamptz,
    outcome      text not null default '',
    decision_id  bigint references decision (id) on delete set null,
    created_at   timestamptz not null
);
create index poll_series on poll (series_id, id);

create table poll_option (
    id       bigint generated always as identity primary key,
    poll_id  bigint not null references poll (id) on delete cascade,
    label    text not null,
    position bigint not null
);
create index poll_option_poll on poll_option (poll_id, position);

-- A person's answer, one row per option they gave something: 1 for a chosen option (single,
-- multiple), the rank from 1 (ranked), the score (score). Replaced whole on a change.
create table poll_answer (
    poll_id    bigint not null references poll (id) on delete cascade,
    person_id  bigint not null references person (id) on delete cascade,
    option_id  bigint not null references poll_option (id) on delete cascade,
    value      bigint not null check (value >= 0),
    updated_at timestamptz not null,
    primary key (poll_id, person_id, option_id)
);
