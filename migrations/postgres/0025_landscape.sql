-- The field's map (postgres): organisations as actors (what kind, why they exist, how to
-- influence them) and the landscape of services, systems, data and agreements: who owns each,
-- who uses it, what it costs, who decides, what it depends on, and for agreements and
-- services their dates (start, end, renegotiation), shown on the roadmap. Organisers edit
-- items, and so do an item's stewards (people of its owning organisation); every change is
-- kept as a revision with who and when. Keep in step with the other backend's 0025.
alter table organisation add column kind text not null default '';
alter table organisation add column mandate text not null default '';
alter table organisation add column influence text not null default '';
alter table organisation add column website text not null default '';

create table landscape_item (
    id              bigint generated always as identity primary key,
    name            text not null,
    abbreviation    text not null default '',
    kind            text not null check (kind in ('service', 'system', 'data', 'agreement')),
    owner_id        bigint references organisation (id) on delete set null,
    description     text not null default '',
    -- ISO 3166-1 alpha-2 codes of the countries where it is used, comma-separated: DK,NO
    countries       text not null default '',
    economy         text not null default '',   -- cost per year and funding model, in words
    amount          bigint check (amount is null or amount >= 0),  -- a yearly amount, whole units
    currency        text not null default '',
    governance      text not null default '',   -- who decides, how to influence it
    supplier        text not null default '',
    starts_on       date,
    ends_on         date,
    renegotiate_on  date,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    constraint landscape_item_name_key unique (name),
    constraint landscape_item_dates check (ends_on is null or starts_on is null or ends_on >= starts_on)
);
create index landscape_item_owner on landscape_item (owner_id);

-- The organisations that use an item.
create table landscape_user (
    item_id         bigint not null references landscape_item (id) on delete cascade,
    organisation_id bigint not null references organisation (id) on delete cascade,
    primary key (item_id, organisation_id)
);

-- What an item depends on.
create table landscape_dependency (
    item_id       bigint not null references landscape_item (id) on delete cascade,
    depends_on_id bigint not null references landscape_item (id) on delete cascade,
    primary key (item_id, depends_on_id),
    check (item_id <> depends_on_id)
);
create index landscape_dependency_on on landscape_dependency (depends_on_id);

-- People who may edit an item besides organisers.
create table landscape_steward (
    item_id   bigint not null references landscape_item (id) on delete cascade,
    person_id bigint not null references person (id) on delete cascade,
    primary key (item_id, person_id)
);

-- Every saved change: who (null once the person deleted their account), when, which fields,
-- and the item as it was saved (JSON).
create table landscape_revision (
    id        bigint generated always as identity primary key,
    item_id   bigint not null references landscape_item (id) on delete cascade,
    person_id bigint references person (id) on delete set null,
    at        timestamptz not null,
    fields    text not null,
    snapshot  text not null
);
create index landscape_revision_item on landscape_revision (item_id, id);
create index landscape_revision_person on landscape_revision (person_id);
