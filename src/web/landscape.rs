//! The field's landscape (`/landscape`): a register of the services, systems, data and
//! agreements of the field, each with its owner, users, economy, governance, dependencies and
//! (agreements, services) dates; the roadmap of those dates (`roadmap`); CSV and JSON. Anyone
//! may read it. Organisers add and edit items; an item's stewards (people of its owning
//! organisation, named by an organiser) edit it too, but not its owner or stewards. Every save
//! keeps a revision shown on the item.

mod diagram;
mod edit;
mod roadmap;
mod view;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::{Deserialize, Serialize};

pub use roadmap::{csv, roadmap, roadmap_csv};
pub use view::display_name;

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::parse_id;
use super::form::Errors;
use super::salon_page::is_organiser;
use crate::app::SharedApp;
use crate::domain::landscape::{self, COUNTRIES, Kind};
use crate::error::{AppError, AppResult};
use crate::ids::{ItemId, OrganisationId};
use crate::store::landscape::{self as store, Filter, Item};
use crate::store::organisations::{self, Organisation};

use crate::usecases::landscape::{self as usecase, Change};
use edit::ItemForm;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    kind: String,
    owner: String,
    country: String,
}

impl ListQuery {
    /// The filter, from known values only (anything else is no filter).
    fn filter(&self, orgs: &[Organisation]) -> Filter {
        Filter {
            kind: Kind::parse(&self.kind).map(|k| k.as_str()),
            owner: orgs
                .iter()
                .find(|o| o.short_name == self.owner)
                .map(|o| o.id),
            country: COUNTRIES.iter().copied().find(|c| *c == self.country),
        }
    }
}

pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> AppResult<Markup> {
    let orgs = organisations::all(&app.db).await?;
    let filter = q.filter(&orgs);
    let l = ctx.lang();
    let key = (
        l,
        format!(
            "list:{:?}:{:?}:{:?}",
            filter.kind, filter.owner, filter.country
        ),
    );
    let table = cached(&app, key, || async {
        let items = store::list(&app.db, &filter).await?;
        Ok(view::table(l, &items).into_string())
    })
    .await?;
    Ok(view::list(
        &ctx,
        &orgs,
        &filter,
        maud::PreEscaped(table.to_string()),
    ))
}

/// A fragment of the landscape's pages, the same for every reader in a language, rendered once
/// until the landscape changes on this instance or the ten-second bucket runs out (the list of
/// 500 items took 3 ms to render: BENCHMARKS.md).
pub(super) async fn cached<F>(
    app: &SharedApp,
    key: (&'static str, String),
    render: impl FnOnce() -> F,
) -> AppResult<std::sync::Arc<String>>
where
    F: std::future::Future<Output = AppResult<String>>,
{
    let generation = (
        app.generations.landscape(),
        crate::domain::time::now().timestamp() / 10,
    );
    app.landscape_cache
        .get_or_render(&key, generation, render)
        .await
}

async fn item_of(app: &SharedApp, raw: &str) -> AppResult<Item> {
    store::get(&app.db, parse_id::<ItemId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the signed-in person may edit the item: an organiser, or one of its stewards who is
/// still of its owning organisation.
async fn may_edit(app: &SharedApp, ctx: &Ctx, item: &Item) -> AppResult<bool> {
    if is_organiser(ctx) {
        return Ok(true);
    }
    Ok(match &ctx.user {
        Some(u) => store::is_steward(&app.db, item.id, u.id).await?,
        None => false,
    })
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let item = item_of(&app, &id).await?;
    let groups = crate::store::groups::of_item(&app.db, item.id).await?;
    let target = crate::store::concerns::Target::Item(item.id);
    let page = view::Page {
        said: super::concerns::said_section(&app, &ctx, target, &groups).await?,
        users: store::users(&app.db, item.id).await?,
        depends_on: store::depends_on(&app.db, item.id).await?,
        dependents: store::dependents(&app.db, item.id).await?,
        stewards: store::stewards(&app.db, item.id).await?,
        revisions: store::revisions(&app.db, item.id).await?,
        editable: may_edit(&app, &ctx, &item).await?,
        marker: super::glossary::marker(&app, &ctx).await?,
        item,
    };
    Ok(view::item(&ctx, &page))
}

/// What the form offers: every organisation, every other item, and (organisers, an item with
/// an owner) the owner's people as possible stewards.
async fn choices(
    app: &SharedApp,
    item: Option<&Item>,
    owner: Option<OrganisationId>,
) -> AppResult<edit::Choices> {
    let orgs = organisations::all(&app.db).await?;
    let items = store::list(&app.db, &Filter::default())
        .await?
        .into_iter()
        .filter(|i| Some(i.id) != item.map(|x| x.id))
        .map(|i| (i.id, i.name, i.abbreviation))
        .collect();
    let people = match owner {
        Some(o) => crate::store::people::of_organisation(&app.db, o).await?,
        None => Vec::new(),
    };
    Ok(edit::Choices {
        orgs,
        items,
        people,
    })
}

pub async fn new_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
) -> AppResult<Markup> {
    let c = choices(&app, None, None).await?;
    Ok(edit::page(
        &ctx,
        None,
        &ItemForm::default(),
        &c,
        &Errors::default(),
        true,
    ))
}

/// The form checked against what it may name: `Err` with the errors to show.
fn checked(
    f: &ItemForm,
    c: &edit::Choices,
    l: &str,
) -> Result<(landscape::ItemText, edit::Named), Errors> {
    let input = f.input();
    let text = landscape::validate(&input);
    let named = f.named(c);
    let mut refused: Vec<(&'static str, &'static str)> = match &text {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(|e| (e.field, e.code)).collect(),
    };
    if let Err(field) = &named {
        refused.push((field, "unknown"));
    }
    match (text, named) {
        (Ok(t), Ok(n)) if refused.is_empty() => Ok((t, n)),
        _ => Err(Errors::translated("landscape", refused, l)),
    }
}

pub async fn create(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let f = ItemForm::parse(&body);
    let c = choices(&app, None, None).await?;
    let (text, named) = match checked(&f, &c, ctx.lang()) {
        Ok(ok) => ok,
        Err(errors) => {
            let body = edit::page(&ctx, None, &f, &c, &errors, true);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let change = Change {
        text: &text,
        owner: named.owner,
        users: &named.users,
        depends_on: &named.depends_on,
        stewards: Some(&[]),
    };
    let id = match usecase::add(&app, &change, &me).await {
        Ok(id) => id,
        Err(e) if is_name_taken(&e) => {
            let errors = Errors::translated("landscape", [("name", "taken")], ctx.lang());
            let body = edit::page(&ctx, None, &f, &c, &errors, true);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/landscape/{id}")).into_response())
}

fn is_name_taken(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation() || d.message().contains("landscape_item.name"))
}

/// The signed-in editor of an item: an organiser or a steward; anyone else is refused.
async fn editor(app: &SharedApp, ctx: &Ctx, item: &Item) -> AppResult<bool> {
    if !may_edit(app, ctx, item).await? {
        return Err(AppError::Forbidden);
    }
    Ok(is_organiser(ctx))
}

pub async fn edit_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(_me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let item = item_of(&app, &id).await?;
    let organiser = editor(&app, &ctx, &item).await?;
    let c = choices(&app, Some(&item), item.owner_id).await?;
    let f = ItemForm::of(
        &item,
        &store::users(&app.db, item.id).await?,
        &store::depends_on(&app.db, item.id).await?,
        &store::stewards(&app.db, item.id).await?,
    );
    Ok(edit::page(
        &ctx,
        Some(&item),
        &f,
        &c,
        &Errors::default(),
        organiser,
    ))
}

pub async fn update(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let item = item_of(&app, &id).await?;
    let organiser = editor(&app, &ctx, &item).await?;
    let f = ItemForm::parse(&body);
    // Stewards are offered from the owner as sent (an organiser may move the item).
    let owner = if organiser {
        f.owner_among(&organisations::all(&app.db).await?)
    } else {
        item.owner_id
    };
    let c = choices(&app, Some(&item), owner).await?;
    let (text, named) = match checked(&f, &c, ctx.lang()) {
        Ok(ok) => ok,
        Err(errors) => {
            let body = edit::page(&ctx, Some(&item), &f, &c, &errors, organiser);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let change = Change {
        text: &text,
        owner: named.owner,
        users: &named.users,
        depends_on: &named.depends_on,
        stewards: organiser.then_some(named.stewards.as_slice()),
    };
    match usecase::change(&app, item.id, &change, &me).await {
        Ok(Some(_)) => Ok(Redirect::to(&format!("/landscape/{}", item.id)).into_response()),
        Ok(None) => Err(AppError::NotFound),
        Err(e) if is_name_taken(&e) => {
            let errors = Errors::translated("landscape", [("name", "taken")], ctx.lang());
            let body = edit::page(&ctx, Some(&item), &f, &c, &errors, organiser);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// An item as JSON (`GET /api/v1/landscape`): its fields, owner, users, links and dates.
#[derive(Serialize)]
pub struct ItemJson {
    id: ItemId,
    name: String,
    abbreviation: String,
    kind: String,
    owner: Option<String>,
    description: String,
    countries: Vec<String>,
    used_by: Vec<String>,
    economy: String,
    amount: Option<i64>,
    currency: String,
    governance: String,
    supplier: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    renegotiate_on: Option<String>,
    depends_on: Vec<ItemId>,
    url: String,
}

pub async fn api(State(app): State<SharedApp>) -> AppResult<axum::Json<Vec<ItemJson>>> {
    let users = store::all_users(&app.db).await?;
    let deps = store::all_dependencies(&app.db).await?;
    let mut out = Vec::new();
    for i in store::list(&app.db, &Filter::default()).await? {
        out.push(ItemJson {
            id: i.id,
            countries: i.countries().into_iter().map(String::from).collect(),
            url: app.config.url(&format!("/landscape/{}", i.id)),
            used_by: users
                .iter()
                .filter(|u| u.0 == i.id)
                .map(|u| u.1.clone())
                .collect(),
            depends_on: deps.iter().filter(|d| d.0 == i.id).map(|d| d.1).collect(),
            starts_on: i.starts_on.map(|d| d.to_string()),
            ends_on: i.ends_on.map(|d| d.to_string()),
            renegotiate_on: i.renegotiate_on.map(|d| d.to_string()),
            name: i.name,
            abbreviation: i.abbreviation,
            kind: i.kind,
            owner: i.owner_short,
            description: i.description,
            economy: i.economy,
            amount: i.amount,
            currency: i.currency,
            governance: i.governance,
            supplier: i.supplier,
        });
    }
    Ok(axum::Json(out))
}
