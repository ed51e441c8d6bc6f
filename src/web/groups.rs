//! Working groups (`/series/{id}/groups`, `/groups/{id}`): groups that carry a series'
//! decisions between salons. Signed-in members read them (members' names are shown);
//! organisers set them up (directly or from a decision) and change them; a group's members
//! and organisers add and move on its deliverables and post status updates (`work`). A salon
//! of the series can be the group's meeting, invited to its members only; the group's own room
//! is its standing salon's room. What the next salon and the board show is in `report`.

mod edit;
mod report;
mod view;
mod work;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::{Deserialize, Serialize};

pub use report::{board_markdown, board_section, salon_section};
pub use view::status_badge;
pub use work::{add_deliverable, change_deliverable, invite_members, post_update, set_meeting};

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::parse_id;
use super::form::Errors;
use super::salon_page::is_organiser;
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::{GroupId, SeriesId};
use crate::store::groups::{self as store, Group};
use crate::store::series::{self, Series};
use crate::store::{Window, group_work, landscape, outcomes, people, themes};
use crate::usecases::groups as usecase;
use edit::{Choices, GroupForm};

async fn series_of(app: &SharedApp, raw: &str) -> AppResult<Series> {
    series::get(&app.db, parse_id::<SeriesId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)
}

async fn group_of(app: &SharedApp, raw: &str) -> AppResult<Group> {
    store::get(&app.db, parse_id::<GroupId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the signed-in person works in the group: a member (the coordinator is one) or an
/// organiser.
async fn works_in(app: &SharedApp, ctx: &Ctx, g: &Group) -> AppResult<bool> {
    if is_organiser(ctx) {
        return Ok(true);
    }
    Ok(match &ctx.user {
        Some(u) => store::is_member(&app.db, g.id, u.id).await?,
        None => false,
    })
}

pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _me: SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let s = series_of(&app, &id).await?;
    let groups = store::of_series(&app.db, s.id).await?;
    let due = group_work::due_in_series(&app.db, s.id, None).await?;
    Ok(view::list(&ctx, &s, &groups, &due))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    decision: String,
}

async fn choices(app: &SharedApp, series: &Series) -> AppResult<Choices> {
    Ok(Choices {
        people: people::list(&app.db).await?,
        themes: themes::of_series(&app.db, series.id, None, Window::ALL)
            .await?
            .into_iter()
            .map(|t| (t.id, t.title))
            .collect(),
        items: landscape::list(&app.db, &landscape::Filter::default())
            .await?
            .into_iter()
            .map(|i| (i.id, i.name, i.abbreviation))
            .collect(),
        orgs: crate::store::organisations::all(&app.db).await?,
    })
}

/// The decision a new group carries out, if it is one of the series' (and in force).
async fn decision_in(
    app: &SharedApp,
    series: &Series,
    raw: &str,
) -> AppResult<Option<outcomes::Decision>> {
    let Ok(id) = raw.trim().parse() else {
        return Ok(None);
    };
    let Some(d) = outcomes::decision(&app.db, id).await? else {
        return Ok(None);
    };
    let salon = crate::store::salons::get(&app.db, d.salon_id).await?;
    Ok(
        (d.withdrawn_at.is_none() && salon.is_some_and(|s| s.series_id == Some(series.id)))
            .then_some(d),
    )
}

pub async fn new_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
    Path(id): Path<String>,
    Query(q): Query<NewQuery>,
) -> AppResult<Markup> {
    let s = series_of(&app, &id).await?;
    let mut f = GroupForm::default();
    // From a decision: its words become the mandate, its theme one the group covers.
    if let Some(d) = decision_in(&app, &s, &q.decision).await? {
        f.mandate = d.body.clone();
        f.decision = d.id.to_string();
        f.themes = d.theme_id.map(|t| t.to_string()).into_iter().collect();
    }
    let c = choices(&app, &s).await?;
    Ok(edit::page(
        &ctx,
        (s.id, &s.title),
        None,
        &f,
        &c,
        &Errors::default(),
    ))
}

fn is_name_taken(e: &sqlx::Error) -> bool {
    crate::store::is_unique_violation(e, "working_group_name_key", "working_group.name")
}

pub async fn create(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let s = series_of(&app, &id).await?;
    let f = GroupForm::parse(&body);
    let c = choices(&app, &s).await?;
    let refuse = |errors: Errors| {
        let page = edit::page(&ctx, (s.id, &s.title), None, &f, &c, &errors);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let checked = match f.check(&c, ctx.lang()) {
        Ok(ok) => ok,
        Err(errors) => return refuse(errors),
    };
    let decision = decision_in(&app, &s, &f.decision).await?.map(|d| d.id);
    let change = checked.change();
    match usecase::create(&app, s.id, &change, decision, &me).await {
        Ok(gid) => Ok(Redirect::to(&format!("/groups/{gid}")).into_response()),
        Err(e) if is_name_taken(&e) => {
            refuse(Errors::translated("group", [("name", "taken")], ctx.lang()))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    invited: Option<usize>,
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _me: SignedIn,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> AppResult<Markup> {
    let mut page = load(&app, &ctx, &id).await?;
    page.invited = flash.invited;
    Ok(view::group(&ctx, &page, &Errors::default()))
}

/// The group's page with a refused form's errors (its people's forms post to it).
async fn show_with(app: &SharedApp, ctx: &Ctx, id: &str, errors: &Errors) -> AppResult<Markup> {
    let page = load(app, ctx, id).await?;
    Ok(view::group(ctx, &page, errors))
}

async fn load(app: &SharedApp, ctx: &Ctx, id: &str) -> AppResult<view::Page> {
    let g = group_of(app, id).await?;
    let organiser = is_organiser(ctx);
    let meetings: Vec<_> = store::meetings(&app.db, g.id)
        .await?
        .into_iter()
        .filter(|m| organiser || m.status != "draft")
        .collect();
    // Salons an organiser can make the group's meeting: the series' salons to come.
    let now = crate::domain::time::now();
    let candidates = if organiser {
        crate::store::salons::in_series(&app.db, g.series_id, true)
            .await?
            .into_iter()
            .filter(|s| s.ends_at > now && !meetings.iter().any(|m| m.id == s.id))
            .collect()
    } else {
        Vec::new()
    };
    let page = view::Page {
        members: store::members(&app.db, g.id).await?,
        themes: store::themes(&app.db, g.id).await?,
        items: store::items(&app.db, g.id).await?,
        organisations: store::organisations(&app.db, g.id).await?,
        see_also: store::see_also(&app.db, g.id).await?,
        deliverables: group_work::deliverables(&app.db, g.id).await?,
        updates: group_work::updates(&app.db, g.id).await?,
        room: store::standing_salon(&app.db, g.id).await?,
        works_in: works_in(app, ctx, &g).await?,
        organiser,
        meetings,
        candidates,
        marker: super::glossary::marker(app, ctx).await?,
        invited: None,
        group: g,
    };
    Ok(page)
}

pub async fn edit_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let g = group_of(&app, &id).await?;
    let s = series_of(&app, &g.series_id.to_string()).await?;
    let members: Vec<_> = store::members(&app.db, g.id)
        .await?
        .into_iter()
        .map(|m| m.0)
        .collect();
    let f = GroupForm::of(
        &g,
        &members,
        &store::themes(&app.db, g.id).await?,
        &store::items(&app.db, g.id).await?,
        &store::organisations(&app.db, g.id).await?,
    );
    let c = choices(&app, &s).await?;
    Ok(edit::page(
        &ctx,
        (s.id, &s.title),
        Some(&g),
        &f,
        &c,
        &Errors::default(),
    ))
}

pub async fn update(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let g = group_of(&app, &id).await?;
    let s = series_of(&app, &g.series_id.to_string()).await?;
    let f = GroupForm::parse(&body);
    let c = choices(&app, &s).await?;
    let refuse = |errors: Errors| {
        let page = edit::page(&ctx, (s.id, &s.title), Some(&g), &f, &c, &errors);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let checked = match f.check(&c, ctx.lang()) {
        Ok(ok) => ok,
        Err(errors) => return refuse(errors),
    };
    let change = checked.change();
    match usecase::change(&app, g.id, &change, &me).await {
        Ok(true) => Ok(Redirect::to(&format!("/groups/{}", g.id)).into_response()),
        Ok(false) => Err(AppError::NotFound),
        Err(e) if is_name_taken(&e) => {
            refuse(Errors::translated("group", [("name", "taken")], ctx.lang()))
        }
        Err(e) => Err(e.into()),
    }
}

/// A group as JSON (`GET /api/v1/series/{id}/groups`).
#[derive(Serialize)]
pub struct GroupJson {
    id: GroupId,
    name: String,
    mandate: String,
    coordinator: Option<String>,
    members: Vec<MemberJson>,
    decision: Option<String>,
    status: Option<String>,
    themes: Vec<crate::ids::ThemeId>,
    landscape_items: Vec<crate::ids::ItemId>,
    /// Short names of the organisations its work concerns.
    organisations: Vec<String>,
    deliverables: Vec<DeliverableJson>,
    url: String,
}

#[derive(Serialize)]
struct MemberJson {
    name: String,
    organisation: Option<String>,
}

#[derive(Serialize)]
struct DeliverableJson {
    title: String,
    due_on: String,
    state: String,
    link: String,
}

pub async fn api(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<GroupJson>>> {
    if ctx.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let s = series_of(&app, &id).await?;
    let mut out = Vec::new();
    for g in store::of_series(&app.db, s.id).await? {
        let members = store::members(&app.db, g.id).await?;
        out.push(GroupJson {
            members: members
                .into_iter()
                .map(|m| MemberJson {
                    name: m.1,
                    organisation: m.2,
                })
                .collect(),
            themes: store::themes(&app.db, g.id)
                .await?
                .into_iter()
                .map(|t| t.0)
                .collect(),
            organisations: store::organisations(&app.db, g.id)
                .await?
                .into_iter()
                .map(|o| o.1)
                .collect(),
            landscape_items: store::items(&app.db, g.id)
                .await?
                .into_iter()
                .map(|i| i.0)
                .collect(),
            deliverables: group_work::deliverables(&app.db, g.id)
                .await?
                .into_iter()
                .map(|d| DeliverableJson {
                    due_on: d.due_on.to_string(),
                    state: d.state,
                    title: d.title,
                    link: d.link,
                })
                .collect(),
            url: app.config.url(&format!("/groups/{}", g.id)),
            id: g.id,
            name: g.name,
            mandate: g.mandate,
            coordinator: g.coordinator,
            decision: g.decision,
            status: g.status,
        });
    }
    Ok(axum::Json(out))
}
