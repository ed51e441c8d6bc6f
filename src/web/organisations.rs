//! Organisations as actors of the field (`/organisations`, `/organisations/{short name}`): what
//! kind each is, its mandate (why it exists) and how to influence it, the services and
//! agreements it owns and those it uses, its people in Salon (names for signed-in members
//! only), and the open actions and themes it carries in every series. Organisers keep the
//! profile (`/organisations/{short}/edit`). `GET /api/v1/organisations` gives the same.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::{Deserialize, Serialize};

use super::auth::Organiser;
use super::context::Ctx;
use super::extract::Form;
use super::form::{self, Errors, Kind as Field};
use super::landscape::display_name;
use super::salon_page::is_organiser;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::audit::Kind as AuditKind;
use crate::domain::landscape::{ORGANISATION_KINDS, ProfileInput, validate_profile};
use crate::error::{AppError, AppResult};
use crate::i18n::timefmt::day;
use crate::store::audit::{self, Event};
use crate::store::landscape::{self, Filter};
use crate::store::organisations::{self, Organisation, Profile};

fn kind_label(kind: &str, l: &str) -> String {
    if kind.is_empty() {
        return String::new();
    }
    t!(format!("organisation.kind.{kind}"), locale = l).to_string()
}

pub async fn list(State(app): State<SharedApp>, ctx: Ctx) -> AppResult<Markup> {
    let l = ctx.lang();
    let orgs = organisations::all(&app.db).await?;
    let mut countries: Vec<&str> = orgs.iter().map(|o| o.country.as_str()).collect();
    countries.dedup();
    Ok(page(
        &ctx,
        &t!("organisation.list_title", locale = l),
        html! {
            h1 { (t!("organisation.list_title", locale = l)) }
            p { (t!("organisation.intro", locale = l)) " " a href="/landscape" { (t!("landscape.title", locale = l)) } }
            @for c in &countries {
                section aria-labelledby=(format!("country-{c}")) {
                    h2 id=(format!("country-{c}")) { (t!(format!("country.{c}"), locale = l)) }
                    ul class="organisations" {
                        @for o in orgs.iter().filter(|o| o.country == *c) {
                            li {
                                a href=(format!("/organisations/{}", o.short_name)) { strong { (o.short_name) } } " – " (o.name)
                                @if !o.kind.is_empty() { " · " span class="muted" { (kind_label(&o.kind, l)) } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

async fn org_of(app: &SharedApp, short: &str) -> AppResult<Organisation> {
    organisations::by_short_name(&app.db, short)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(short): Path<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let o = org_of(&app, &short).await?;
    let owned = landscape::list(
        &app.db,
        &Filter {
            owner: Some(o.id),
            ..Filter::default()
        },
    )
    .await?;
    let used = landscape::used_by(&app.db, o.id).await?;
    let people = if ctx.user.is_some() {
        crate::store::people::of_organisation(&app.db, o.id).await?
    } else {
        Vec::new()
    };
    let actions = organisations::open_actions_of_organisation(&app.db, o.id).await?;
    let themes = crate::store::themes::of_organisation(&app.db, o.id).await?;
    let target = crate::store::concerns::Target::Organisation(o.id);
    let groups = crate::store::groups::of_organisation(&app.db, o.id).await?;
    let said = super::concerns::said_section(&app, &ctx, target, &groups).await?;
    let marker = super::glossary::marker(&app, &ctx).await?;
    let para = |text: &str| html! { @for p in text.split("\n\n").filter(|x| !x.trim().is_empty()) { p { (super::glossary::marked(&marker, p)) } } };
    Ok(page(
        &ctx,
        &o.name,
        html! {
            p class="kicker" { a href="/organisations" { (t!("organisation.list_title", locale = l)) } " – " (t!(format!("country.{}", o.country), locale = l)) }
            h1 { (o.name) " (" (o.short_name) ")" }
            @if !o.kind.is_empty() { p { (kind_label(&o.kind, l)) } }
            @if is_organiser(&ctx) { p { a href=(format!("/organisations/{}/edit", o.short_name)) { (t!("organisation.edit", locale = l)) } } }
            @if !o.website.is_empty() { p { a href=(o.website) rel="noopener" { (o.website) } } }
            section aria-labelledby="mandate-title" {
                h2 id="mandate-title" { (t!("organisation.field.mandate", locale = l)) }
                @if o.mandate.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } } @else { (para(&o.mandate)) }
            }
            section aria-labelledby="influence-title" {
                h2 id="influence-title" { (t!("organisation.field.influence", locale = l)) }
                @if o.influence.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } } @else { (para(&o.influence)) }
            }
            section aria-labelledby="owns-title" {
                h2 id="owns-title" { (t!("organisation.owns", locale = l)) }
                @if owned.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } }
                ul { @for i in &owned { li { a href=(format!("/landscape/{}", i.id)) { (display_name(&i.name, &i.abbreviation)) } " · " (t!(format!("landscape.kind.{}", i.kind), locale = l)) } } }
                @if !used.is_empty() {
                    h3 { (t!("organisation.uses", locale = l)) }
                    ul { @for (id, name, abbr) in &used { li { a href=(format!("/landscape/{id}")) { (display_name(name, abbr)) } } } }
                }
            }
            section aria-labelledby="people-title" {
                h2 id="people-title" { (t!("organisation.people", locale = l)) }
                @if ctx.user.is_none() { p class="muted" { (t!("organisation.people_signed_in", locale = l)) } }
                @else if people.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } }
                @else { ul { @for (_, name) in &people { li { (name) } } } }
            }
            section aria-labelledby="actions-title" {
                h2 id="actions-title" { (t!("organisation.open_actions", locale = l)) }
                @if actions.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } }
                ul { @for a in &actions { li { a href=(format!("/salons/{}/outcomes#action-{}", a.salon_id, a.id)) { (a.what) } @if let Some(d) = a.due { " · " (day(d, l)) } } } }
            }
            section aria-labelledby="themes-title" {
                h2 id="themes-title" { (t!("organisation.themes", locale = l)) }
                @if themes.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } }
                ul { @for th in &themes { li { a href=(format!("/themes/{}", th.id)) { (th.title) } } } }
            }
            (said)
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    kind: String,
    mandate: String,
    influence: String,
    website: String,
}

fn edit_page(ctx: &Ctx, o: &Organisation, f: &ProfileForm, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let mut kinds = vec![(String::new(), "–".to_string())];
    kinds.extend(
        ORGANISATION_KINDS
            .iter()
            .map(|k| (k.to_string(), kind_label(k, l))),
    );
    let title = t!("organisation.edit_title", locale = l, name = o.name).to_string();
    page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/organisations/{}", o.short_name)) { (o.name) } }
            h1 { (title) }
            (form::summary(errors, l))
            form method="post" action=(format!("/organisations/{}/edit", o.short_name)) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("kind", &t!("organisation.field.kind", locale = l), None, Field::Select(&kinds), &f.kind, errors, false))
                (form::field("mandate", &t!("organisation.field.mandate", locale = l), Some(&t!("organisation.hint.mandate", locale = l)), Field::TextArea(4), &f.mandate, errors, false))
                (form::field("influence", &t!("organisation.field.influence", locale = l), Some(&t!("organisation.hint.influence", locale = l)), Field::TextArea(3), &f.influence, errors, false))
                (form::field("website", &t!("organisation.field.website", locale = l), None, Field::Url, &f.website, errors, false))
                div { button type="submit" { (t!("landscape.save", locale = l)) } }
            }
        },
    )
}

pub async fn edit_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
    Path(short): Path<String>,
) -> AppResult<Markup> {
    let o = org_of(&app, &short).await?;
    let f = ProfileForm {
        kind: o.kind.clone(),
        mandate: o.mandate.clone(),
        influence: o.influence.clone(),
        website: o.website.clone(),
    };
    Ok(edit_page(&ctx, &o, &f, &Errors::default()))
}

pub async fn update(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(short): Path<String>,
    Form(f): Form<ProfileForm>,
) -> AppResult<Response> {
    let o = org_of(&app, &short).await?;
    let checked = validate_profile(&ProfileInput {
        kind: &f.kind,
        mandate: &f.mandate,
        influence: &f.influence,
        website: &f.website,
    });
    let (kind, mandate, influence, website) = match checked {
        Ok(ok) => ok,
        Err(e) => {
            let errors = Errors::translated(
                "organisation",
                e.iter().map(|e| (e.field, e.code)),
                ctx.lang(),
            );
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&ctx, &o, &f, &errors),
            )
                .into_response());
        }
    };
    let mut tx = app.db.begin().await?;
    organisations::set_profile(
        &mut tx,
        o.id,
        &Profile {
            kind: &kind,
            mandate: &mandate,
            influence: &influence,
            website: &website,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &Event {
            actor: (&*me).into(),
            kind: AuditKind::OrganisationChanged,
            subject: None,
            salon: None,
            detail: &o.short_name,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/organisations/{}", o.short_name)).into_response())
}

#[derive(Serialize)]
pub struct OrganisationJson {
    short_name: String,
    name: String,
    country: String,
    kind: String,
    mandate: String,
    influence: String,
    website: String,
    owns: Vec<crate::ids::ItemId>,
    url: String,
}

pub async fn api(State(app): State<SharedApp>) -> AppResult<axum::Json<Vec<OrganisationJson>>> {
    let mut out = Vec::new();
    for o in organisations::all(&app.db).await? {
        let owns = landscape::list(
            &app.db,
            &Filter {
                owner: Some(o.id),
                ..Filter::default()
            },
        )
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
        out.push(OrganisationJson {
            url: app.config.url(&format!("/organisations/{}", o.short_name)),
            short_name: o.short_name,
            name: o.name,
            country: o.country,
            kind: o.kind,
            mandate: o.mandate,
            influence: o.influence,
            website: o.website,
            owns,
        });
    }
    Ok(axum::Json(out))
}
