-- Search (postgres): every searchable text (salons and their agendas, themes and their comments,
-- decisions, actions, proposals, materials' titles, room messages) is mirrored into one
-- search_item row by triggers on its own table, so no write path can forget it. The rows keep
-- what a search filters on (salon, series, room, hidden); whether a salon is a draft and who may
-- enter its room are read at search time from the live tables. Keep in step with the other
-- backend's 0023_search.sql (generated from one list of sources).
create table search_item (
    id        bigint generated always as identity primary key,
    kind      text not null,
    a         bigint not null,
    b         bigint not null default 0,
    salon_id  bigint,
    series_id bigint,
    room_id   bigint,
    hidden    boolean not null default false,
    title     text not null default '',
    body      text not null default '',
    at        timestamptz not null,
    -- The words in each of Salon's languages (PostgreSQL's Snowball stemmers) and unstemmed;
    -- a title weighs more than a body.
    tsv       tsvector generated always as (
        setweight(to_tsvector('danish', title) || to_tsvector('norwegian', title) || to_tsvector('swedish', title) || to_tsvector('finnish', title) || to_tsvector('english', title) || to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('danish', body) || to_tsvector('norwegian', body) || to_tsvector('swedish', body) || to_tsvector('finnish', body) || to_tsvector('english', body) || to_tsvector('simple', body), 'B')
    ) stored,
    unique (kind, a, b)
);
create index search_item_salon on search_item (salon_id);
create index search_item_tsv on search_item using gin (tsv);
-- Everything but room messages, by itself: a search ranks those in full (store::search).
create index search_item_other_tsv on search_item using gin (tsv) where kind <> 'message';
create index search_item_other on search_item (id) where kind <> 'message';
create function salon_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'salon' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = new.id, series_id = null, room_id = null, hidden = false, title = new.title, body = new.description, at = new.starts_at where kind = 'salon' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('salon', new.id, 0, new.id, null, null, false, new.title, new.description, new.starts_at);
    return new;
end $$;
create trigger salon_search_insert after insert or delete on salon
    for each row execute function salon_search();
create trigger salon_search_update after update of title, description, starts_at on salon
    for each row execute function salon_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'salon', t.id, 0, t.id, null, null, false, t.title, t.description, t.starts_at from salon t;
create function agenda_item_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'agenda' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = false, title = new.title, body = new.note, at = (select starts_at from salon where id = new.salon_id) where kind = 'agenda' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('agenda', new.id, 0, new.salon_id, null, null, false, new.title, new.note, (select starts_at from salon where id = new.salon_id));
    return new;
end $$;
create trigger agenda_item_search_insert after insert or delete on agenda_item
    for each row execute function agenda_item_search();
create trigger agenda_item_search_update after update of title, note on agenda_item
    for each row execute function agenda_item_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'agenda', t.id, 0, t.salon_id, null, null, false, t.title, t.note, (select starts_at from salon where id = t.salon_id) from agenda_item t;
create function theme_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'theme' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = null, series_id = new.series_id, room_id = null, hidden = false, title = new.title, body = new.why || ' ' || new.conclusion, at = new.created_at where kind = 'theme' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('theme', new.id, 0, null, new.series_id, null, false, new.title, new.why || ' ' || new.conclusion, new.created_at);
    return new;
end $$;
create trigger theme_search_insert after insert or delete on theme
    for each row execute function theme_search();
create trigger theme_search_update after update of title, why, conclusion on theme
    for each row execute function theme_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'theme', t.id, 0, null, t.series_id, null, false, t.title, t.why || ' ' || t.conclusion, t.created_at from theme t;
create function theme_comment_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'comment' and a = old.id and b = old.theme_id;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = null, series_id = (select series_id from theme where id = new.theme_id), room_id = null, hidden = false, title = '', body = new.body, at = new.created_at where kind = 'comment' and a = old.id and b = old.theme_id;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('comment', new.id, new.theme_id, null, (select series_id from theme where id = new.theme_id), null, false, '', new.body, new.created_at);
    return new;
end $$;
create trigger theme_comment_search_insert after insert or delete on theme_comment
    for each row execute function theme_comment_search();
create trigger theme_comment_search_update after update of body on theme_comment
    for each row execute function theme_comment_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'comment', t.id, t.theme_id, null, (select series_id from theme where id = t.theme_id), null, false, '', t.body, t.created_at from theme_comment t;
create function decision_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'decision' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = (new.withdrawn_at is not null), title = '', body = new.body, at = new.created_at where kind = 'decision' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('decision', new.id, 0, new.salon_id, null, null, (new.withdrawn_at is not null), '', new.body, new.created_at);
    return new;
end $$;
create trigger decision_search_insert after insert or delete on decision
    for each row execute function decision_search();
create trigger decision_search_update after update of body, withdrawn_at on decision
    for each row execute function decision_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'decision', t.id, 0, t.salon_id, null, null, (t.withdrawn_at is not null), '', t.body, t.created_at from decision t;
create function action_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'action' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = (new.withdrawn_at is not null), title = '', body = new.what, at = new.created_at where kind = 'action' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('action', new.id, 0, new.salon_id, null, null, (new.withdrawn_at is not null), '', new.what, new.created_at);
    return new;
end $$;
create trigger action_search_insert after insert or delete on action
    for each row execute function action_search();
create trigger action_search_update after update of what, withdrawn_at on action
    for each row execute function action_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'action', t.id, 0, t.salon_id, null, null, (t.withdrawn_at is not null), '', t.what, t.created_at from action t;
create function proposal_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'proposal' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = new.salon_id, series_id = new.series_id, room_id = null, hidden = false, title = new.title, body = new.background, at = new.created_at where kind = 'proposal' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('proposal', new.id, 0, new.salon_id, new.series_id, null, false, new.title, new.background, new.created_at);
    return new;
end $$;
create trigger proposal_search_insert after insert or delete on proposal
    for each row execute function proposal_search();
create trigger proposal_search_update after update of title, background, salon_id on proposal
    for each row execute function proposal_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'proposal', t.id, 0, t.salon_id, t.series_id, null, false, t.title, t.background, t.created_at from proposal t;
create function material_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'material' and a = old.id and b = 0;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = false, title = new.title, body = '', at = new.added_at where kind = 'material' and a = old.id and b = 0;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('material', new.id, 0, new.salon_id, null, null, false, new.title, '', new.added_at);
    return new;
end $$;
create trigger material_search_insert after insert or delete on material
    for each row execute function material_search();
create trigger material_search_update after update of title on material
    for each row execute function material_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'material', t.id, 0, t.salon_id, null, null, false, t.title, '', t.added_at from material t;
create function message_search() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        delete from search_item where kind = 'message' and a = old.room_id and b = old.id;
        return old;
    elsif tg_op = 'UPDATE' then
        update search_item set salon_id = (select salon_id from room where id = new.room_id), series_id = null, room_id = new.room_id, hidden = new.hidden, title = '', body = new.body, at = new.created_at where kind = 'message' and a = old.room_id and b = old.id;
        return new;
    end if;
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('message', new.room_id, new.id, (select salon_id from room where id = new.room_id), null, new.room_id, new.hidden, '', new.body, new.created_at);
    return new;
end $$;
create trigger message_search_insert after insert or delete on message
    for each row execute function message_search();
create trigger message_search_update after update of body, hidden on message
    for each row execute function message_search();
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'message', t.room_id, t.id, (select salon_id from room where id = t.room_id), null, t.room_id, t.hidden, '', t.body, t.created_at from message t;
