-- Search (sqlite): every searchable text (salons and their agendas, themes and their comments,
-- decisions, actions, proposals, materials' titles, room messages) is mirrored into one
-- search_item row by triggers on its own table, so no write path can forget it. The rows keep
-- what a search filters on (salon, series, room, hidden); whether a salon is a draft and who may
-- enter its room are read at search time from the live tables. Keep in step with the other
-- backend's 0023_search.sql (generated from one list of sources).
create table search_item (
    id        integer primary key,
    kind      text not null,
    a         integer not null,
    b         integer not null default 0,
    salon_id  integer,
    series_id integer,
    room_id   integer,
    hidden    boolean not null default 0,
    title     text not null default '',
    body      text not null default '',
    at        text not null,
    unique (kind, a, b)
);
create index search_item_salon on search_item (salon_id);
-- The words, indexed by FTS5 from search_item (external content). Porter stems English; the
-- Nordic languages are found by stem prefixes the query brings (domain::search). The kind is
-- indexed too, so that a search can take room messages apart from the rest (store::search).
create virtual table search_fts using fts5(
    title, body, kind, content = 'search_item', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3'
);
create trigger search_item_ai after insert on search_item begin
    insert into search_fts (rowid, title, body, kind) values (new.id, new.title, new.body, new.kind);
end;
create trigger search_item_ad after delete on search_item begin
    insert into search_fts (search_fts, rowid, title, body, kind) values ('delete', old.id, old.title, old.body, old.kind);
end;
create trigger search_item_au after update of title, body on search_item begin
    insert into search_fts (search_fts, rowid, title, body, kind) values ('delete', old.id, old.title, old.body, old.kind);
    insert into search_fts (rowid, title, body, kind) values (new.id, new.title, new.body, new.kind);
end;
create trigger salon_search_ai after insert on salon begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('salon', new.id, 0, new.id, null, null, 0, new.title, new.description, new.starts_at);
end;
create trigger salon_search_au after update of title, description, starts_at on salon begin
    update search_item set salon_id = new.id, series_id = null, room_id = null, hidden = 0, title = new.title, body = new.description, at = new.starts_at where kind = 'salon' and a = old.id and b = 0;
end;
create trigger salon_search_ad after delete on salon begin
    delete from search_item where kind = 'salon' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'salon', t.id, 0, t.id, null, null, 0, t.title, t.description, t.starts_at from salon t;
create trigger agenda_item_search_ai after insert on agenda_item begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('agenda', new.id, 0, new.salon_id, null, null, 0, new.title, new.note, (select starts_at from salon where id = new.salon_id));
end;
create trigger agenda_item_search_au after update of title, note on agenda_item begin
    update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = 0, title = new.title, body = new.note, at = (select starts_at from salon where id = new.salon_id) where kind = 'agenda' and a = old.id and b = 0;
end;
create trigger agenda_item_search_ad after delete on agenda_item begin
    delete from search_item where kind = 'agenda' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'agenda', t.id, 0, t.salon_id, null, null, 0, t.title, t.note, (select starts_at from salon where id = t.salon_id) from agenda_item t;
create trigger theme_search_ai after insert on theme begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('theme', new.id, 0, null, new.series_id, null, 0, new.title, new.why || ' ' || new.conclusion, new.created_at);
end;
create trigger theme_search_au after update of title, why, conclusion on theme begin
    update search_item set salon_id = null, series_id = new.series_id, room_id = null, hidden = 0, title = new.title, body = new.why || ' ' || new.conclusion, at = new.created_at where kind = 'theme' and a = old.id and b = 0;
end;
create trigger theme_search_ad after delete on theme begin
    delete from search_item where kind = 'theme' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'theme', t.id, 0, null, t.series_id, null, 0, t.title, t.why || ' ' || t.conclusion, t.created_at from theme t;
create trigger theme_comment_search_ai after insert on theme_comment begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('comment', new.id, new.theme_id, null, (select series_id from theme where id = new.theme_id), null, 0, '', new.body, new.created_at);
end;
create trigger theme_comment_search_au after update of body on theme_comment begin
    update search_item set salon_id = null, series_id = (select series_id from theme where id = new.theme_id), room_id = null, hidden = 0, title = '', body = new.body, at = new.created_at where kind = 'comment' and a = old.id and b = old.theme_id;
end;
create trigger theme_comment_search_ad after delete on theme_comment begin
    delete from search_item where kind = 'comment' and a = old.id and b = old.theme_id;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'comment', t.id, t.theme_id, null, (select series_id from theme where id = t.theme_id), null, 0, '', t.body, t.created_at from theme_comment t;
create trigger decision_search_ai after insert on decision begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('decision', new.id, 0, new.salon_id, null, null, (new.withdrawn_at is not null), '', new.body, new.created_at);
end;
create trigger decision_search_au after update of body, withdrawn_at on decision begin
    update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = (new.withdrawn_at is not null), title = '', body = new.body, at = new.created_at where kind = 'decision' and a = old.id and b = 0;
end;
create trigger decision_search_ad after delete on decision begin
    delete from search_item where kind = 'decision' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'decision', t.id, 0, t.salon_id, null, null, (t.withdrawn_at is not null), '', t.body, t.created_at from decision t;
create trigger action_search_ai after insert on action begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('action', new.id, 0, new.salon_id, null, null, (new.withdrawn_at is not null), '', new.what, new.created_at);
end;
create trigger action_search_au after update of what, withdrawn_at on action begin
    update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = (new.withdrawn_at is not null), title = '', body = new.what, at = new.created_at where kind = 'action' and a = old.id and b = 0;
end;
create trigger action_search_ad after delete on action begin
    delete from search_item where kind = 'action' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'action', t.id, 0, t.salon_id, null, null, (t.withdrawn_at is not null), '', t.what, t.created_at from action t;
create trigger proposal_search_ai after insert on proposal begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('proposal', new.id, 0, new.salon_id, new.series_id, null, 0, new.title, new.background, new.created_at);
end;
create trigger proposal_search_au after update of title, background, salon_id on proposal begin
    update search_item set salon_id = new.salon_id, series_id = new.series_id, room_id = null, hidden = 0, title = new.title, body = new.background, at = new.created_at where kind = 'proposal' and a = old.id and b = 0;
end;
create trigger proposal_search_ad after delete on proposal begin
    delete from search_item where kind = 'proposal' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'proposal', t.id, 0, t.salon_id, t.series_id, null, 0, t.title, t.background, t.created_at from proposal t;
create trigger material_search_ai after insert on material begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('material', new.id, 0, new.salon_id, null, null, 0, new.title, '', new.added_at);
end;
create trigger material_search_au after update of title on material begin
    update search_item set salon_id = new.salon_id, series_id = null, room_id = null, hidden = 0, title = new.title, body = '', at = new.added_at where kind = 'material' and a = old.id and b = 0;
end;
create trigger material_search_ad after delete on material begin
    delete from search_item where kind = 'material' and a = old.id and b = 0;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'material', t.id, 0, t.salon_id, null, null, 0, t.title, '', t.added_at from material t;
create trigger message_search_ai after insert on message begin
    insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) values ('message', new.room_id, new.id, (select salon_id from room where id = new.room_id), null, new.room_id, new.hidden, '', new.body, new.created_at);
end;
create trigger message_search_au after update of body, hidden on message begin
    update search_item set salon_id = (select salon_id from room where id = new.room_id), series_id = null, room_id = new.room_id, hidden = new.hidden, title = '', body = new.body, at = new.created_at where kind = 'message' and a = old.room_id and b = old.id;
end;
create trigger message_search_ad after delete on message begin
    delete from search_item where kind = 'message' and a = old.room_id and b = old.id;
end;
insert into search_item (kind, a, b, salon_id, series_id, room_id, hidden, title, body, at) select 'message', t.room_id, t.id, (select salon_id from room where id = t.room_id), null, t.room_id, t.hidden, '', t.body, t.created_at from message t;
