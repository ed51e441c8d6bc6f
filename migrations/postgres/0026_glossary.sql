-- The key to the codes (postgres): abbreviations and terms of the field with their expansion
-- and a line of explanation, in Danish, and in another language where it differs. Pages mark
-- the first occurrence of a known abbreviation in user text with <abbr title> and a link here
-- (organisations' own short names count too). Keep in step with the other backend's 0026.
create table glossary_entry (
    id          bigint generated always as identity primary key,
    term        text not null,
    expansion   text not null,
    explanation text not null default '',
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    constraint glossary_entry_term_key unique (term)
);

create table glossary_translation (
    entry_id    bigint not null references glossary_entry (id) on delete cascade,
    locale      text not null check (locale in ('nb', 'sv', 'fi', 'en')),
    expansion   text not null,
    explanation text not null default '',
    primary key (entry_id, locale)
);
