//! Themes of a series, their support, comments and the salons they are scheduled into.

use chrono::{DateTime, Utc};

use super::{Conn, Tx, Window, execute, rows, values};
use crate::domain::theme::{State, ThemeText};
use crate::domain::time::now;
use crate::ids::{CommentId, OrganisationId, PersonId, SalonId, SeriesId, ThemeId};

/// A theme as listed and shown: with its support count and who proposed it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Theme {
    pub id: ThemeId,
    pub series_id: SeriesId,
    pub title: String,
    pub why: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation: Option<String>,
    pub proposed_by: Option<PersonId>,
    pub proposer: Option<String>,
    state: String,
    pub conclusion: String,
    pub merged_into: Option<ThemeId>,
    pub support: i64,
    pub created_at: DateTime<Utc>,
}

impl Theme {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Proposed)
    }
}

const THEME: &str = "select t.id, t.series_id, t.title, t.why, t.organisation_id, o.name as organisation, t.proposed_by,
        p.name as proposer, t.state, t.conclusion, t.merged_into,
        (select count(*) from theme_support s where s.theme_id = t.id) as support, t.created_at
    from theme t left join organisation o on o.id = t.organisation_id left join person p on p.id = t.proposed_by";

pub struct NewTheme<'a> {
    pub series_id: SeriesId,
    pub text: &'a ThemeText,
    pub organisation_id: Option<OrganisationId>,
    pub proposed_by: PersonId,
}

pub async fn create(c: impl Into<Conn<'_>>, t: &NewTheme<'_>) -> Result<ThemeId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into theme (series_id, title, why, organisation_id, proposed_by, state, conclusion, created_at)
         values ($1, $2, $3, $4, $5, 'proposed', '', $6) returning id",
        t.series_id,
        &t.text.title,
        &t.text.why,
        t.organisation_id,
        t.proposed_by,
        now()
    )
}

pub async fn get(c: impl Into<Conn<'_>>, id: ThemeId) -> Result<Option<Theme>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{THEME} where t.id = $1")),
        id
    )
}

/// A series' themes (merged ones left out), most supported first; only `state` if given; the
/// part of that list in `window`.
pub async fn of_series(
    c: impl Into<Conn<'_>>,
    series_id: SeriesId,
    state: Option<State>,
    window: Window,
) -> Result<Vec<Theme>, sqlx::Error> {
    let sql = format!(
        "select * from ({THEME} where t.series_id = $1 and t.merged_into is null and ($2 is null or t.state = $2)) x
         order by x.support desc, x.id limit $3 offset $4"
    );
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(sql),
        series_id,
        state.map(State::as_str),
        window.limit,
        window.offset
    )
}

/// How many themes [`of_series`] lists in all.
pub async fn count_of_series(
    c: impl Into<Conn<'_>>,
    series_id: SeriesId,
    state: Option<State>,
) -> Result<i64, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "select count(*) from theme where series_id = $1 and merged_into is null and ($2 is null or state = $2)",
        series_id,
        state.map(State::as_str)
    )
}

/// The themes scheduled into a salon, most supported first.
pub async fn of_salon(
    c: impl Into<Conn<'_>>,
    salon_id: SalonId,
) -> Result<Vec<Theme>, sqlx::Error> {
    let sql = format!(
        "select * from ({THEME} where t.merged_into is null and t.id in (select theme_id from theme_salon where salon_id = $1)) x
         order by x.support desc, x.id"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), salon_id)
}

/// Support a theme (once per person); false if they already did.
pub async fn support(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "insert into theme_support (theme_id, person_id, created_at) values ($1, $2, $3) on conflict do nothing",
        id,
        person,
        now()
    )?;
    Ok(n == 1)
}

pub async fn withdraw(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "delete from theme_support where theme_id = $1 and person_id = $2",
        id,
        person
    )?;
    Ok(n == 1)
}

pub async fn supports(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from theme_support where theme_id = $1 and person_id = $2",
        id,
        person
    )?;
    Ok(n > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Comment {
    pub id: CommentId,
    pub author: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn comment(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    author: PersonId,
    body: &str,
) -> Result<CommentId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into theme_comment (theme_id, author_id, body, created_at) values ($1, $2, $3, $4) returning id",
        id,
        author,
        body,
        now()
    )
}

/// A theme's comments, oldest first, the part in `window`.
pub async fn comments(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    window: Window,
) -> Result<Vec<Comment>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select c.id, p.name as author, c.body, c.created_at from theme_comment c left join person p on p.id = c.author_id
         where c.theme_id = $1 order by c.id limit $2 offset $3",
        id,
        window.limit,
        window.offset
    )
}

pub async fn comment_count(c: impl Into<Conn<'_>>, id: ThemeId) -> Result<i64, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "select count(*) from theme_comment where theme_id = $1",
        id
    )
}

pub async fn reword(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    text: &ThemeText,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update theme set title = $1, why = $2 where id = $3",
        &text.title,
        &text.why,
        id
    )? == 1)
}

pub async fn set_state(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    state: State,
    conclusion: &str,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update theme set state = $1, conclusion = $2 where id = $3",
        state.as_str(),
        conclusion,
        id
    )? == 1)
}

/// Schedule a theme into a salon (idempotent); false when it already was. (What that does to
/// the theme's state is a rule of `domain::theme`, applied by `usecases::themes`.)
pub async fn schedule(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    salon: SalonId,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "insert into theme_salon (theme_id, salon_id) values ($1, $2) on conflict do nothing",
        id,
        salon
    )? == 1)
}

/// The salons a theme is scheduled into.
pub async fn salons_of(
    c: impl Into<Conn<'_>>,
    id: ThemeId,
    drafts: super::Drafts,
) -> Result<Vec<SalonId>, sqlx::Error> {
    values!(
        c,
        fetch_all,
        "select ts.salon_id from theme_salon ts join salon s on s.id = ts.salon_id
         where ts.theme_id = $1 and (s.status <> 'draft' or $2) order by ts.salon_id",
        id,
        drafts.included()
    )
}

/// Merge `from` into `into` (a duplicate): supporters and comments move over (a person who
/// supported both counts once), salons, decisions and actions too, and `from` is no longer listed.
pub async fn merge(tx: &mut Tx, from: ThemeId, into: ThemeId) -> Result<(), sqlx::Error> {
    execute!(
        &mut *tx,
        "insert into theme_support (theme_id, person_id, created_at)
         select $1, person_id, created_at from theme_support where theme_id = $2
         on conflict do nothing",
        into,
        from
    )?;
    execute!(
        &mut *tx,
        "delete from theme_support where theme_id = $1",
        from
    )?;
    execute!(
        &mut *tx,
        "update theme_comment set theme_id = $1 where theme_id = $2",
        into,
        from
    )?;
    execute!(
        &mut *tx,
        "insert into theme_salon (theme_id, salon_id) select $1, salon_id from theme_salon where theme_id = $2 on conflict do nothing",
        into,
        from
    )?;
    execute!(
        &mut *tx,
        "delete from theme_salon where theme_id = $1",
        from
    )?;
    // What the duplicate led to is what the theme led to.
    execute!(
        &mut *tx,
        "update decision set theme_id = $1 where theme_id = $2",
        into,
        from
    )?;
    execute!(
        &mut *tx,
        "update action set theme_id = $1 where theme_id = $2",
        into,
        from
    )?;
    execute!(
        &mut *tx,
        "update theme set merged_into = $1 where id = $2",
        into,
        from
    )?;
    Ok(())
}

/// The themes an organisation put forward, in every series, most supported first (merged ones
/// left out).
pub async fn of_organisation(
    c: impl Into<Conn<'_>>,
    org: OrganisationId,
) -> Result<Vec<Theme>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{THEME} where t.organisation_id = $1 and t.merged_into is null order by support desc, t.id"
        )),
        org
    )
}
