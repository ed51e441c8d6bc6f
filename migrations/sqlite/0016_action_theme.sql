-- An action can name the theme it serves, as a decision can (sqlite); merging a theme into
-- another moves these links with it. Keep in step with the other backend's
-- 0016_action_theme.sql.
alter table action add column theme_id integer references theme (id) on delete set null;
