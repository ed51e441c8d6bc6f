-- Live discussion rooms (postgres). Keep in step with the other backend's 0004_rooms.sql.

-- A salon's rooms: the main room is created with the first visit; organisers add more.
create table room (
    id              bigint generated always as identity primary key,
    salon_id        bigint not null references salon (id) on delete cascade,
    name            text not null,
    position        bigint not null default 0,
    opens_before_minutes bigint not null default 30,  -- opens this long before the salon starts
    last_message_id bigint not null default 0,        -- per-room message ids, allocated under this row's lock
    created_at      timestamptz not null
);
create index room_salon on room (salon_id, position);

-- Messages: id rises strictly per room (allocated from room.last_message_id under a row lock,
-- so ids commit in order on both backends). One client_id per author: a resend is one message.
create table message (
    room_id     bigint not null references room (id) on delete cascade,
    id          bigint not null,
    author_id   bigint references person (id) on delete set null,
    client_id   text not null,
    body        text not null,
    is_question boolean not null default false,
    answered    boolean not null default false,
    hidden      boolean not null default false,
    created_at  timestamptz not null,
    primary key (room_id, id),
    constraint message_client_key unique (room_id, author_id, client_id)
);

create table question_vote (
    room_id     bigint not null,
    message_id  bigint not null,
    person_id   bigint not null references person (id) on delete cascade,
    created_at  timestamptz not null,
    primary key (room_id, message_id, person_id),
    foreign key (room_id, message_id) references message (room_id, id) on delete cascade
);

create table room_mute (
    room_id     bigint not null references room (id) on delete cascade,
    person_id   bigint not null references person (id) on delete cascade,
    created_at  timestamptz not null,
    primary key (room_id, person_id)
);
