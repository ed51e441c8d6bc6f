//! What themes, decisions and actions concern in the field's map (landscape items and
//! organisations), and the other way round: what a series has said, decided and set out to do
//! about an item or an organisation, and which items a series' work names (the board).
//! The three link tables have the same shape; [`Subject`] names which one, from a fixed set.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, Drafts, Tx, execute, rows};
use crate::ids::{ActionId, DecisionId, ItemId, OrganisationId, SalonId, SeriesId, ThemeId};

/// What names something in the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Theme(ThemeId),
    Decision(DecisionId),
    Action(ActionId),
}

/// The kind of a subject, for lists of one kind (a salon's decisions, its actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Theme,
    Decision,
    Action,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "theme" => Some(Kind::Theme),
            "decision" => Some(Kind::Decision),
            "action" => Some(Kind::Action),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Theme => "theme",
            Kind::Decision => "decision",
            Kind::Action => "action",
        }
    }
    /// The link table and its subject column (fixed names, never user input).
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Kind::Theme => ("theme_concern", "theme_id"),
            Kind::Decision => ("decision_concern", "decision_id"),
            Kind::Action => ("action_concern", "action_id"),
        }
    }
}

impl Subject {
    pub fn kind(self) -> Kind {
        match self {
            Subject::Theme(_) => Kind::Theme,
            Subject::Decision(_) => Kind::Decision,
            Subject::Action(_) => Kind::Action,
        }
    }
    fn id(self) -> i64 {
        match self {
            Subject::Theme(i) => i.0,
            Subject::Decision(i) => i.0,
            Subject::Action(i) => i.0,
        }
    }
}

/// One thing named: an item or an organisation, with its name and abbreviation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Concern {
    pub subject_id: i64,
    pub item_id: Option<ItemId>,
    pub organisation_id: Option<OrganisationId>,
    pub name: String,
    pub short: String,
}

impl Concern {
    /// "Name (SHORT)", or the name alone when there is no other short name.
    pub fn label(&self) -> String {
        if self.short.is_empty() || self.short == self.name {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.short)
        }
    }

    /// Its page: the item's or the organisation's.
    pub fn href(&self) -> String {
        match (self.item_id, &self.organisation_id) {
            (Some(i), _) => format!("/landscape/{i}"),
            _ => format!("/organisations/{}", self.short),
        }
    }
}

fn select(kind: Kind, filter: &str) -> String {
    let (table, column) = kind.table();
    format!(
        "select c.{column} as subject_id, c.item_id, c.organisation_id,
            coalesce(i.name, o.name) as name, coalesce(i.abbreviation, o.short_name) as short
         from {table} c left join landscape_item i on i.id = c.item_id
              left join organisation o on o.id = c.organisation_id
         where {filter} order by c.item_id is null, lower(coalesce(i.name, o.name))"
    )
}

/// What one subject concerns.
pub async fn of(c: impl Into<Conn<'_>>, s: Subject) -> Result<Vec<Concern>, sqlx::Error> {
    let (_, column) = s.kind().table();
    let sql = select(s.kind(), &format!("c.{column} = $1"));
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), s.id())
}

/// What a salon's decisions (or actions) concern, all at once.
pub async fn of_salon(
    c: impl Into<Conn<'_>>,
    kind: Kind,
    salon: SalonId,
) -> Result<Vec<Concern>, sqlx::Error> {
    let (_, column) = kind.table();
    let parent = if kind == Kind::Action {
        "action"
    } else {
        "decision"
    };
    let sql = select(
        kind,
        &format!("c.{column} in (select id from {parent} where salon_id = $1)"),
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), salon)
}

/// Replace what a subject concerns.
pub async fn set(
    tx: &mut Tx,
    s: Subject,
    items: &[ItemId],
    orgs: &[OrganisationId],
) -> Result<(), sqlx::Error> {
    let (table, column) = s.kind().table();
    let delete = format!("delete from {table} where {column} = $1");
    execute!(&mut *tx, sqlx::AssertSqlSafe(delete), s.id())?;
    let insert =
        format!("insert into {table} ({column}, item_id, organisation_id) values ($1, $2, $3)");
    for i in items {
        execute!(
            &mut *tx,
            sqlx::AssertSqlSafe(insert.clone()),
            s.id(),
            Some(*i),
            None::<OrganisationId>
        )?;
    }
    for o in orgs {
        execute!(
            &mut *tx,
            sqlx::AssertSqlSafe(insert.clone()),
            s.id(),
            None::<ItemId>,
            Some(*o)
        )?;
    }
    Ok(())
}

/// An item or an organisation whose mentions are read.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Item(ItemId),
    Organisation(OrganisationId),
}

impl Target {
    fn column(self) -> (&'static str, i64) {
        match self {
            Target::Item(i) => ("item_id", i.0),
            Target::Organisation(o) => ("organisation_id", o.0),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SaidTheme {
    pub id: ThemeId,
    pub title: String,
    pub series_title: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SaidDecision {
    pub id: DecisionId,
    pub body: String,
    pub salon_id: SalonId,
    pub salon_title: String,
    pub starts_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SaidAction {
    pub id: ActionId,
    pub what: String,
    pub salon_id: SalonId,
    pub status: String,
    pub due: Option<NaiveDate>,
}

/// What the series have said, decided and set out to do about an item or an organisation.
#[derive(Debug, Clone, Default)]
pub struct Said {
    pub themes: Vec<SaidTheme>,
    pub decisions: Vec<SaidDecision>,
    pub actions: Vec<SaidAction>,
}

impl Said {
    pub fn is_empty(&self) -> bool {
        self.themes.is_empty() && self.decisions.is_empty() && self.actions.is_empty()
    }
}

/// Across every series, by salon: decisions in force and actions not withdrawn (those of
/// draft salons for organisers only), themes not merged away.
pub async fn said_about(
    c: impl Into<Conn<'_>>,
    t: Target,
    drafts: Drafts,
) -> Result<Said, sqlx::Error> {
    let mut c: Conn<'_> = c.into();
    let (column, id) = t.column();
    let drafts = drafts == Drafts::Included;
    let themes = format!(
        "select t.id, t.title, s.title as series_title from theme_concern c
         join theme t on t.id = c.theme_id join series s on s.id = t.series_id
         where c.{column} = $1 and t.merged_into is null order by t.id"
    );
    let decisions = format!(
        "select d.id, d.body, d.salon_id, s.title as salon_title, s.starts_at from decision_concern c
         join decision d on d.id = c.decision_id join salon s on s.id = d.salon_id
         where c.{column} = $1 and d.withdrawn_at is null and (s.status <> 'draft' or $2)
         order by s.starts_at, d.id"
    );
    let actions = format!(
        "select a.id, a.what, a.salon_id, a.status, a.due from action_concern c
         join action a on a.id = c.action_id join salon s on s.id = a.salon_id
         where c.{column} = $1 and a.withdrawn_at is null and (s.status <> 'draft' or $2)
         order by a.status desc, a.due, a.id"
    );
    Ok(Said {
        themes: rows!(c.reborrow(), fetch_all, sqlx::AssertSqlSafe(themes), id)?,
        decisions: rows!(
            c.reborrow(),
            fetch_all,
            sqlx::AssertSqlSafe(decisions),
            id,
            drafts
        )?,
        actions: rows!(
            c.reborrow(),
            fetch_all,
            sqlx::AssertSqlSafe(actions),
            id,
            drafts
        )?,
    })
}

/// An item a series' work names, with how often and its next dates (the board).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Named {
    pub id: ItemId,
    pub name: String,
    pub abbreviation: String,
    pub themes: i64,
    pub decisions: i64,
    pub actions: i64,
    pub working_groups: i64,
    pub renegotiate_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

pub async fn items_of_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
    drafts: Drafts,
) -> Result<Vec<Named>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select * from (select i.id, i.name, i.abbreviation, i.renegotiate_on, i.ends_on,
            (select count(*) from theme_concern c join theme t on t.id = c.theme_id
              where c.item_id = i.id and t.series_id = $1 and t.merged_into is null) as themes,
            (select count(*) from decision_concern c join decision d on d.id = c.decision_id
              join salon s on s.id = d.salon_id
              where c.item_id = i.id and s.series_id = $1 and d.withdrawn_at is null
                and (s.status <> 'draft' or $2)) as decisions,
            (select count(*) from action_concern c join action a on a.id = c.action_id
              join salon s on s.id = a.salon_id
              where c.item_id = i.id and s.series_id = $1 and a.withdrawn_at is null
                and (s.status <> 'draft' or $2)) as actions,
            (select count(*) from group_item g join working_group w on w.id = g.group_id
              where g.item_id = i.id and w.series_id = $1) as working_groups
         from landscape_item i) x
         where x.themes + x.decisions + x.actions + x.working_groups > 0 order by lower(x.name)",
        series,
        drafts == Drafts::Included
    )
}
