-- Materials of a salon (postgres): links and uploaded files (slides, pre-reads), marked "read
-- before" or "from the salon". A file's bytes are in the database, so every instance serves
-- the same files; they sit in a table of their own so that listing materials never reads
-- them. Keep in step with the other backend's 0021_materials.sql.
create table material (
    id           bigint generated always as identity primary key,
    salon_id     bigint not null references salon (id) on delete cascade,
    title        text not null,
    phase        text not null check (phase in ('before', 'after')),
    url          text,              -- a link; null for a file
    file_name    text,              -- a file: its name as uploaded (cleaned), its type as
    content_type text,              -- its first bytes say, and its size in bytes
    size         bigint,
    added_by     bigint references person (id) on delete set null,
    added_at     timestamptz not null,
    check ((url is null) <> (file_name is null))
);
create index material_salon on material (salon_id, id);
create table material_file (
    material_id bigint primary key references material (id) on delete cascade,
    content     bytea not null
);
