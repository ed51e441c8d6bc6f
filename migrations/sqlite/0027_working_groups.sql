-- Working groups (sqlite): groups that carry a series' decisions between salons, each with a
-- mandate, a coordinator among its members, the themes, landscape items and organisations it
-- covers, deliverables with a due date and a state, and status updates by its members. A salon of the
-- series can be a group's meeting (invited to its members only); each group has one standing
-- salon (`standing`), never listed, whose room is the group's own room, open for as long as
-- the group is. And what themes, decisions and actions concern in the field's map: landscape
-- items and organisations. Keep in step with the other backend's 0027.
create table working_group (
    id             integer primary key,
    series_id      integer not null references series (id) on delete cascade,
    name           text not null,
    mandate        text not null default '',
    coordinator_id integer references person (id) on delete set null,
    -- The decision it was set up to carry out, if any.
    decision_id    integer references decision (id) on delete set null,
    created_by     integer references person (id) on delete set null,
    created_at     text not null,
    constraint working_group_name_key unique (series_id, name)
);

create table group_member (
    group_id  integer not null references working_group (id) on delete cascade,
    person_id integer not null references person (id) on delete cascade,
    primary key (group_id, person_id)
);
create index group_member_person on group_member (person_id);

create table group_theme (
    group_id integer not null references working_group (id) on delete cascade,
    theme_id integer not null references theme (id) on delete cascade,
    primary key (group_id, theme_id)
);

create table group_item (
    group_id integer not null references working_group (id) on delete cascade,
    item_id  integer not null references landscape_item (id) on delete cascade,
    primary key (group_id, item_id)
);
create index group_item_item on group_item (item_id);

-- The organisations the group's work concerns (besides its members' own).
create table group_organisation (
    group_id        integer not null references working_group (id) on delete cascade,
    organisation_id integer not null references organisation (id) on delete cascade,
    primary key (group_id, organisation_id)
);
create index group_organisation_org on group_organisation (organisation_id);

-- What a group delivers, by when; reminded_at: the coordinator was reminded (once).
create table deliverable (
    id          integer primary key,
    group_id    integer not null references working_group (id) on delete cascade,
    title       text not null,
    due_on      text not null,
    state       text not null default 'not_started'
                check (state in ('not_started', 'in_progress', 'delivered')),
    link        text not null default '',
    note        text not null default '',
    reminded_at text,
    created_at  text not null
);
create index deliverable_group on deliverable (group_id, due_on);
create index deliverable_due on deliverable (due_on) where reminded_at is null;

-- A status update: author null once the person deleted their account.
create table group_update (
    id         integer primary key,
    group_id   integer not null references working_group (id) on delete cascade,
    author_id  integer references person (id) on delete set null,
    status     text not null check (status in ('on_track', 'at_risk', 'blocked')),
    body       text not null,
    created_at text not null
);
create index group_update_group on group_update (group_id, id);
create index group_update_author on group_update (author_id);

alter table salon add column group_id integer references working_group (id) on delete set null;
alter table salon add column standing boolean not null default 0;
create index salon_group on salon (group_id);

-- What a theme, a decision or an action concerns in the field's map.
create table theme_concern (
    theme_id        integer not null references theme (id) on delete cascade,
    item_id         integer references landscape_item (id) on delete cascade,
    organisation_id integer references organisation (id) on delete cascade,
    check ((item_id is null) <> (organisation_id is null))
);
create unique index theme_concern_key on theme_concern (theme_id, coalesce(item_id, 0), coalesce(organisation_id, 0));
create index theme_concern_item on theme_concern (item_id);
create index theme_concern_org on theme_concern (organisation_id);

create table decision_concern (
    decision_id     integer not null references decision (id) on delete cascade,
    item_id         integer references landscape_item (id) on delete cascade,
    organisation_id integer references organisation (id) on delete cascade,
    check ((item_id is null) <> (organisation_id is null))
);
create unique index decision_concern_key on decision_concern (decision_id, coalesce(item_id, 0), coalesce(organisation_id, 0));
create index decision_concern_item on decision_concern (item_id);
create index decision_concern_org on decision_concern (organisation_id);

create table action_concern (
    action_id       integer not null references action (id) on delete cascade,
    item_id         integer references landscape_item (id) on delete cascade,
    organisation_id integer references organisation (id) on delete cascade,
    check ((item_id is null) <> (organisation_id is null))
);
create unique index action_concern_key on action_concern (action_id, coalesce(item_id, 0), coalesce(organisation_id, 0));
create index action_concern_item on action_concern (item_id);
create index action_concern_org on action_concern (organisation_id);
