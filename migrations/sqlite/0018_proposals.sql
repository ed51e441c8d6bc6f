-- Proposals with consent (sqlite): a wording put to a series (or to one of its salons), each
-- person's stance on it until it closes, and the outcome the organiser writes at closing, which
-- is recorded as a decision. Keep in step with the other backend's 0018_proposals.sql.

-- Whether members (not only organisers) may put proposals to the series.
alter table series add column members_propose boolean not null default 0;

create table proposal (
    id           integer primary key,
    series_id    integer not null references series (id) on delete cascade,
    salon_id     integer references salon (id) on delete set null,  -- put to this salon (its room)
    title        text not null,
    background   text not null default '',
    closes_at    text not null,  -- UTC; no stance after it
    hide_results boolean not null default 0,  -- tally shown only once closed
    proposed_by  integer references person (id) on delete set null,
    closed_at    text,  -- when the outcome was written
    outcome      text not null default '',
    decision_id  integer references decision (id) on delete set null,
    created_at   text not null
);
create index proposal_series on proposal (series_id, id);

-- One stance per person, changed in place until the proposal closes. A block needs its reason.
create table stance (
    proposal_id integer not null references proposal (id) on delete cascade,
    person_id   integer not null references person (id) on delete cascade,
    choice      text not null check (choice in ('agree', 'abstain', 'disagree', 'block')),
    reason      text not null default '',
    updated_at  text not null,
    primary key (proposal_id, person_id),
    check (choice <> 'block' or reason <> '')
);
