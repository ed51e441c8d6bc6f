-- The key to the codes (sqlite): abbreviations and terms of the field with their expansion
-- and a line of explanation, in Danish, and in another language where it differs. Pages mark
-- the first occurrence of a known abbreviation in user text with <abbr title> and a link here
-- (organisations' own short names count too). Keep in step with the other backend's 0026.
create table glossary_entry (
    id          integer primary key,
    term        text not null,
    expansion   text not null,
    explanation text not null default '',
    created_at  text not null,
    updated_at  text not null,
    constraint glossary_entry_term_key unique (term)
);

create table glossary_translation (
    entry_id    integer not null references glossary_entry (id) on delete cascade,
    locale      text not null check (locale in ('nb', 'sv', 'fi', 'en')),
    expansion   text not null,
    explanation text not null default '',
    primary key (entry_id, locale)
);
