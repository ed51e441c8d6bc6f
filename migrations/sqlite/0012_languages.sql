-- no-transaction
-- Languages (sqlite): person.locale accepts every interface language. The check that listed
-- da, en, nb, sv goes: the app accepts only the languages it offers (`i18n::Locale::OFFERED`,
-- checked at every door), so a new language is a translation file, not a migration. Keep in step
-- with the other backend's 0012_languages.sql.
--
-- SQLite cannot drop a check constraint: the table is rebuilt (SQLite's documented procedure:
-- foreign keys off, new table, copy, drop, rename, check, foreign keys on), outside sqlx's
-- transaction because the foreign_keys pragma does nothing inside one.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
create table person_new (
    id              integer primary key,
    email           text not null,
    name            text not null,
    title           text,
    role            text not null default 'member' check (role in ('admin', 'organiser', 'member')),
    locale          text not null default 'da',
    organisation_id integer references organisation (id) on delete set null,
    created_at      text not null,
    time_zone       text not null default 'Europe/Copenhagen',
    mail_failing_at text,
    constraint person_email_key unique (email)
);
insert into person_new (id, email, name, title, role, locale, organisation_id, created_at, time_zone, mail_failing_at)
    select id, email, name, title, role, locale, organisation_id, created_at, time_zone, mail_failing_at from person;
drop table person;
alter table person_new rename to person;
COMMIT;
PRAGMA foreign_keys = ON;
