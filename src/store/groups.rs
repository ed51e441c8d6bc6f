//! Working groups: the group, its members, the themes, landscape items and organisations it
//! covers, and the groups that name the same themes or items ("see also"). Deliverables and
//! status updates are in `store::group_work`. A group's members are replaced as a whole inside the caller's
//! transaction; the group row is locked first, so two saves apply in order.

use chrono::{DateTime, Utc};

use super::{Conn, Tx, execute, rows, values};
use crate::domain::group::GroupText;
use crate::domain::time::now;
use crate::ids::{
    DecisionId, GroupId, ItemId, OrganisationId, PersonId, SalonId, SeriesId, ThemeId,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Group {
    pub id: GroupId,
    pub series_id: SeriesId,
    pub series_title: String,
    pub name: String,
    pub mandate: String,
    pub coordinator_id: Option<PersonId>,
    pub coordinator: Option<String>,
    pub decision_id: Option<DecisionId>,
    pub decision: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The latest status update's status (`on_track`, `at_risk`, `blocked`), if any.
    pub status: Option<String>,
    pub members: i64,
}

const GROUP: &str = "select g.id, g.series_id, s.title as series_title, g.name, g.mandate,
        g.coordinator_id, p.name as coordinator, g.decision_id, d.body as decision, g.created_at,
        (select u.status from group_update u where u.group_id = g.id order by u.id desc limit 1) as status,
        (select count(*) from group_member m where m.group_id = g.id) as members
    from working_group g join series s on s.id = g.series_id
    left join person p on p.id = g.coordinator_id
    left join decision d on d.id = g.decision_id";

pub async fn get(c: impl Into<Conn<'_>>, id: GroupId) -> Result<Option<Group>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{GROUP} where g.id = $1")),
        id
    )
}

/// A series' groups, by name.
pub async fn of_series(c: impl Into<Conn<'_>>, id: SeriesId) -> Result<Vec<Group>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{GROUP} where g.series_id = $1 order by lower(g.name), g.id"
        )),
        id
    )
}

/// The groups that cover a landscape item.
pub async fn of_item(c: impl Into<Conn<'_>>, id: ItemId) -> Result<Vec<Group>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{GROUP} where g.id in (select group_id from group_item where item_id = $1)
             order by lower(g.name), g.id"
        )),
        id
    )
}

/// The groups that cover an organisation.
pub async fn of_organisation(
    c: impl Into<Conn<'_>>,
    id: OrganisationId,
) -> Result<Vec<Group>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{GROUP} where g.id in (select group_id from group_organisation where organisation_id = $1)
             order by lower(g.name), g.id"
        )),
        id
    )
}

/// Lock the group's row for a change; false when there is none.
pub async fn lock(tx: &mut Tx, id: GroupId) -> Result<bool, sqlx::Error> {
    let found: Option<GroupId> = values!(
        &mut *tx,
        fetch_optional,
        for_update "select id from working_group where id = $1",
        id
    )?;
    Ok(found.is_some())
}

/// A new group; its standing room's salon is made by the caller (`salons::create_standing`).
pub async fn create(
    tx: &mut Tx,
    series: SeriesId,
    text: &GroupText,
    coordinator: Option<PersonId>,
    decision: Option<DecisionId>,
    by: PersonId,
) -> Result<GroupId, sqlx::Error> {
    values!(
        &mut *tx,
        fetch_one,
        "insert into working_group (series_id, name, mandate, coordinator_id, decision_id, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        series,
        &text.name,
        &text.mandate,
        coordinator,
        decision,
        by,
        now()
    )
}

pub async fn update(
    tx: &mut Tx,
    id: GroupId,
    text: &GroupText,
    coordinator: Option<PersonId>,
) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "update working_group set name = $1, mandate = $2, coordinator_id = $3 where id = $4",
        &text.name,
        &text.mandate,
        coordinator,
        id
    )?;
    Ok(())
}

/// What a group links to besides its words: its members, and the themes, landscape items and
/// organisations it covers.
pub struct Links<'a> {
    pub members: &'a [PersonId],
    pub themes: &'a [ThemeId],
    pub items: &'a [ItemId],
    pub organisations: &'a [OrganisationId],
}

/// Replace the group's members, themes, items and organisations.
pub async fn set_links(tx: &mut Tx, id: GroupId, links: &Links<'_>) -> Result<(), sqlx::Error> {
    let Links {
        members,
        themes,
        items,
        organisations,
    } = links;
    for table in [
        "group_member",
        "group_theme",
        "group_item",
        "group_organisation",
    ] {
        let sql = format!("delete from {table} where group_id = $1");
        execute!(&mut *tx, sqlx::AssertSqlSafe(sql), id)?;
    }
    for o in *organisations {
        execute!(
            &mut *tx,
            "insert into group_organisation (group_id, organisation_id) values ($1, $2) on conflict do nothing",
            id,
            o
        )?;
    }
    for p in *members {
        execute!(
            &mut *tx,
            "insert into group_member (group_id, person_id) values ($1, $2) on conflict do nothing",
            id,
            p
        )?;
    }
    for t in *themes {
        execute!(
            &mut *tx,
            "insert into group_theme (group_id, theme_id) values ($1, $2) on conflict do nothing",
            id,
            t
        )?;
    }
    for i in *items {
        execute!(
            &mut *tx,
            "insert into group_item (group_id, item_id) values ($1, $2) on conflict do nothing",
            id,
            i
        )?;
    }
    Ok(())
}

/// A member: (person, name, organisation's short name).
pub type Member = (PersonId, String, Option<String>);

pub async fn members(c: impl Into<Conn<'_>>, id: GroupId) -> Result<Vec<Member>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select p.id, p.name, o.short_name from group_member m join person p on p.id = m.person_id
         left join organisation o on o.id = p.organisation_id
         where m.group_id = $1 order by p.name, p.id",
        id
    )
}

pub async fn is_member(
    c: impl Into<Conn<'_>>,
    id: GroupId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from group_member where group_id = $1 and person_id = $2",
        id,
        person
    )?;
    Ok(n > 0)
}

/// The themes the group covers: (id, title).
pub async fn themes(
    c: impl Into<Conn<'_>>,
    id: GroupId,
) -> Result<Vec<(ThemeId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select t.id, t.title from group_theme g join theme t on t.id = g.theme_id
         where g.group_id = $1 order by t.title",
        id
    )
}

/// The landscape items the group covers: (id, name, abbreviation).
pub async fn items(
    c: impl Into<Conn<'_>>,
    id: GroupId,
) -> Result<Vec<super::landscape::Linked>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select i.id, i.name, i.abbreviation from group_item g join landscape_item i on i.id = g.item_id
         where g.group_id = $1 order by lower(i.name)",
        id
    )
}

/// The organisations the group covers: (id, short name, name).
pub async fn organisations(
    c: impl Into<Conn<'_>>,
    id: GroupId,
) -> Result<Vec<super::landscape::Org>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select o.id, o.short_name, o.name from group_organisation g
         join organisation o on o.id = g.organisation_id
         where g.group_id = $1 order by o.short_name",
        id
    )
}

/// Other groups that cover a theme or an item this one covers: (id, name).
pub async fn see_also(
    c: impl Into<Conn<'_>>,
    id: GroupId,
) -> Result<Vec<(GroupId, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select g.id, g.name from working_group g where g.id <> $1 and (
            exists (select 1 from group_theme a join group_theme b on b.theme_id = a.theme_id
                    where a.group_id = $1 and b.group_id = g.id)
         or exists (select 1 from group_item a join group_item b on b.item_id = a.item_id
                    where a.group_id = $1 and b.group_id = g.id))
         order by lower(g.name)",
        id
    )
}

/// The group's standing salon (whose room is the group's room), and its meetings: salons of
/// the series marked as the group's, soonest first.
pub async fn standing_salon(
    c: impl Into<Conn<'_>>,
    id: GroupId,
) -> Result<Option<SalonId>, sqlx::Error> {
    values!(
        c,
        fetch_optional,
        "select id from salon where group_id = $1 and standing order by id limit 1",
        id
    )
}

/// Mark a salon as a working group's meeting (or not).
pub async fn set_group(
    c: impl Into<Conn<'_>>,
    id: SalonId,
    group: Option<GroupId>,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "update salon set group_id = $1 where id = $2 and not standing",
        group,
        id
    )?;
    Ok(())
}

/// A working group's standing salon, whose room is the group's own: published, never listed,
/// open from now for a hundred years (the room's phase is "open" while the group lasts).
pub async fn create_standing(
    tx: &mut Tx,
    series: SeriesId,
    group: GroupId,
    title: &str,
    by: PersonId,
) -> Result<SalonId, sqlx::Error> {
    let at = now();
    let ends = at + chrono::Duration::days(36_500);
    values!(
        &mut *tx,
        fetch_one,
        "insert into salon (series_id, title, description, starts_at, ends_at, time_zone, mode,
            registration, status, revision, waitlist_seq, organiser_id, created_at, updated_at,
            group_id, standing)
         values ($1, $2, '', $3, $4, 'Europe/Copenhagen', 'online', 'invitation', 'published', 0, 0,
            $5, $3, $3, $6, true)
         returning id",
        series,
        title,
        at,
        ends,
        by,
        group
    )
}

/// The standing room's salon carries the group's name.
pub async fn rename_standing(tx: &mut Tx, group: GroupId, name: &str) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "update salon set title = $1 where group_id = $2 and standing",
        name,
        group
    )?;
    Ok(())
}

/// The group's meetings: salons of the series marked as the group's, by start.
pub async fn meetings(
    c: impl Into<Conn<'_>>,
    id: GroupId,
) -> Result<Vec<super::salons::Listed>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select s.id, s.title, s.starts_at, s.ends_at, s.time_zone, s.mode, s.status, s.series_id,
            r.title as series_title
         from salon s left join series r on r.id = s.series_id
         where s.group_id = $1 and not s.standing order by s.starts_at, s.id",
        id
    )
}
