-- Themes of a series (sqlite). Keep in step with the other backend's 0005_themes.sql.

-- A theme proposed for a series: proposed -> scheduled -> discussed -> concluded. A merged
-- duplicate points at the theme it went into and is no longer listed.
create table theme (
    id              integer primary key,
    series_id       integer not null references series (id) on delete cascade,
    title           text not null,
    why             text not null default '',
    organisation_id integer references organisation (id) on delete set null,  -- proposed on its behalf
    proposed_by     integer references person (id) on delete set null,
    state           text not null default 'proposed'
                    check (state in ('proposed', 'scheduled', 'discussed', 'concluded')),
    conclusion      text not null default '',
    merged_into     integer references theme (id) on delete set null,
    created_at      text not null
);
create index theme_series on theme (series_id, state);

-- One support per person and theme.
create table theme_support (
    theme_id   integer not null references theme (id) on delete cascade,
    person_id  integer not null references person (id) on delete cascade,
    created_at text not null,
    primary key (theme_id, person_id)
);

create table theme_comment (
    id         integer primary key,
    theme_id   integer not null references theme (id) on delete cascade,
    author_id  integer references person (id) on delete set null,
    body       text not null,
    created_at text not null
);
create index theme_comment_theme on theme_comment (theme_id, id);

-- The salons a theme is scheduled into (it shows on their pages and agendas).
create table theme_salon (
    theme_id integer not null references theme (id) on delete cascade,
    salon_id integer not null references salon (id) on delete cascade,
    primary key (theme_id, salon_id)
);
create index theme_salon_salon on theme_salon (salon_id);
