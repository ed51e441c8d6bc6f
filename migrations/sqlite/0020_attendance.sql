-- Who was actually at a salon (sqlite): marked once per person, in the room while the salon ran
-- ('room') or checked in at the door by an organiser ('door', by name or by the personal code
-- on the invitation). Keep in step with the other backend's 0020_attendance.sql.
create table attendance (
    salon_id  integer not null references salon (id) on delete cascade,
    person_id integer not null references person (id) on delete cascade,
    how       text not null check (how in ('room', 'door')),
    by_id     integer references person (id) on delete set null,  -- who checked them in
    at        text not null,
    primary key (salon_id, person_id)
);
create index attendance_person on attendance (person_id);
