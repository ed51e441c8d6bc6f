-- Live discussion rooms (sqlite). Keep in step with the other backend's 0004_rooms.sql.

-- A salon's rooms: the main room is created with the first visit; organisers add more.
create table room (
    id              integer primary key,
    salon_id        integer not null references salon (id) on delete cascade,
    name            text not null,
    position        integer not null default 0,
    opens_before_minutes integer not null default 30,  -- opens this long before the salon starts
    last_message_id integer not null default 0,        -- per-room message ids, allocated under this row's lock
    created_at      text not null
);
create index room_salon on room (salon_id, position);

-- Messages: id rises strictly per room (allocated from room.last_message_id under a row lock,
-- so ids commit in order on both backends). One client_id per author: a resend is one message.
create table message (
    room_id     integer not null references room (id) on delete cascade,
    id          integer not null,
    author_id   integer references person (id) on delete set null,
    client_id   text not null,
    body        text not null,
    is_question boolean not null default 0,
    answered    boolean not null default 0,
    hidden      boolean not null default 0,
    created_at  text not null,
    primary key (room_id, id),
    constraint message_client_key unique (room_id, author_id, client_id)
);

create table question_vote (
    room_id     integer not null,
    message_id  integer not null,
    person_id   integer not null references person (id) on delete cascade,
    created_at  text not null,
    primary key (room_id, message_id, person_id),
    foreign key (room_id, message_id) references message (room_id, id) on delete cascade
);

create table room_mute (
    room_id     integer not null references room (id) on delete cascade,
    person_id   integer not null references person (id) on delete cascade,
    created_at  text not null,
    primary key (room_id, person_id)
);
