-- Languages (postgres): person.locale accepts every interface language. The check that listed
-- da, en, nb, sv goes: the app accepts only the languages it offers (`i18n::Locale::OFFERED`,
-- checked at every door), so a new language is a translation file, not a migration. Keep in step
-- with the other backend's 0012_languages.sql.
alter table person drop constraint person_locale_check;
