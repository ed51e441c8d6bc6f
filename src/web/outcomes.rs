//! A salon's outcomes (`/salons/{id}/outcomes`): decisions and actions, recorded by organisers
//! and the note-takers they name; read by everyone who may see the salon. Action owners find
//! their open actions on `/me`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::{Form, SalonPath, parse_id};
use super::form::{self, Errors, Kind};
use super::salon_page::is_organiser;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::domain::Email;
use crate::domain::outcome::{self, Status};
use crate::error::{AppError, AppResult};
use crate::ids::ActionId;
use crate::store::concerns::{self, Kind as About};
use crate::store::outcomes;
use crate::store::people::Person;
use crate::store::salons::Salon;
use crate::store::{organisations, people};
use crate::usecases::{self, outcomes::NotRecorded};

mod choices;
mod edits;
mod lines;

use choices::{link_options, owner_options};
pub use edits::{change_action, reword_decision, withdraw_action, withdraw_decision};
pub use lines::action_line;

/// May this person record outcomes for the salon?
pub(super) async fn may_record(app: &SharedApp, ctx: &Ctx, salon: &Salon) -> AppResult<bool> {
    Ok(match &ctx.user {
        Some(u) => is_organiser(ctx) || outcomes::is_note_taker(&app.db, salon.id, u.id).await?,
        None => false,
    })
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
) -> AppResult<Markup> {
    render(&app, &ctx, &salon, &Errors::default(), &Typed::default()).await
}

/// What was typed into the forms, shown again when something has to be corrected.
#[derive(Default)]
struct Typed {
    decision: DecisionForm,
    action: ActionForm,
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    errors: &Errors,
    typed: &Typed,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let owners = owner_options(app, salon, l).await?;
    let decisions = outcomes::decisions_on_record(&app.db, salon.id).await?;
    let actions = outcomes::actions_on_record(&app.db, salon.id).await?;
    let recorder = may_record(app, ctx, salon).await?;
    let takers = outcomes::note_takers(&app.db, salon.id).await?;
    let (on_decisions, on_actions) = (
        concerns::of_salon(&app.db, About::Decision, salon.id).await?,
        concerns::of_salon(&app.db, About::Action, salon.id).await?,
    );
    let organiser = is_organiser(ctx) && salon.series_id.is_some();
    let marker = super::glossary::marker(app, ctx).await?;
    let orgs: Vec<(String, String)> = std::iter::once((
        String::new(),
        t!("people.no_organisation", locale = l).to_string(),
    ))
    .chain(
        organisations::all(&app.db)
            .await?
            .into_iter()
            .map(|o| (o.short_name, o.name)),
    )
    .collect();
    let (theme_options, round_options) = link_options(app, salon, l).await?;
    // What an action can carry out: the salon's decisions still standing.
    let decision_options: Vec<(String, String)> =
        std::iter::once((String::new(), t!("outcome.none", locale = l).to_string()))
            .chain(
                decisions
                    .iter()
                    .filter(|d| d.withdrawn_at.is_none())
                    .map(|d| (d.id.to_string(), d.body.chars().take(80).collect())),
            )
            .collect();
    let title = t!("outcome.title", locale = l, title = salon.title).to_string();
    let base = format!("/salons/{}/outcomes", salon.id);
    Ok(page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("outcome.heading", locale = l)) }
            @if !takers.is_empty() { p { (t!("outcome.note_takers", locale = l)) " " (crate::i18n::timefmt::list(&takers, l)) } }
            (form::summary(errors, l))
            section aria-labelledby="decisions" {
                h2 id="decisions" { (t!("outcome.decisions", locale = l)) }
                @if decisions.is_empty() { p class="muted" { (t!("outcome.no_decisions", locale = l)) } }
                ol {
                    @for d in &decisions {
                        li id=(format!("decision-{}", d.id)) class=[d.withdrawn_at.map(|_| "withdrawn")] {
                            @if let Some(at) = d.withdrawn_at {
                                del { (d.body) } " "
                                span class="badge" { (t!("outcome.withdrawn", locale = l, date = crate::i18n::timefmt::day(at.with_timezone(&salon.tz()).date_naive(), l))) }
                            } @else {
                                (super::glossary::marked(&marker, &d.body))
                                @if let (Some(id), Some(title)) = (d.theme_id, &d.theme) { " – " a href=(format!("/themes/{id}")) { (title) } }
                                @if let (Some(id), Some(q)) = (d.round_id, &d.round) { " – " a href=(format!("/salons/{}/rounds/{id}", salon.id)) { (q) } }
                                " " (super::concerns::line(ctx, About::Decision, d.id.0, &on_decisions, recorder))
                                @if let (true, Some(series)) = (organiser, salon.series_id) {
                                    " " a class="no-print" href=(format!("/series/{series}/groups/new?decision={}", d.id)) { (t!("group.from_decision_link", locale = l)) }
                                }
                                @if recorder { (edits::decision_tools(ctx, &base, d)) }
                            }
                        }
                    }
                }
                @if recorder {
                    form method="post" action=(format!("{base}/decisions")) class="stacked" novalidate {
                        (csrf_field(ctx))
                        (form::field("body", &t!("outcome.field.decision", locale = l), None, Kind::TextArea(3), &typed.decision.body, errors, true))
                        @if theme_options.len() > 1 { (form::field("theme", &t!("outcome.field.theme", locale = l), None, Kind::Select(&theme_options), &typed.decision.theme, errors, false)) }
                        @if round_options.len() > 1 { (form::field("round", &t!("outcome.field.round", locale = l), None, Kind::Select(&round_options), &typed.decision.round, errors, false)) }
                        div { button type="submit" { (t!("outcome.record_decision", locale = l)) } }
                    }
                }
            }
            section aria-labelledby="actions" {
                h2 id="actions" { (t!("outcome.actions", locale = l)) }
                @if actions.is_empty() { p class="muted" { (t!("outcome.no_actions", locale = l)) } }
                ul class="actions-list" {
                    @for a in &actions {
                        li id=(format!("action-{}", a.id)) {
                            @if let Some(at) = a.withdrawn_at {
                                del { (a.what) } " "
                                span class="badge" { (t!("outcome.withdrawn", locale = l, date = crate::i18n::timefmt::day(at.with_timezone(&salon.tz()).date_naive(), l))) }
                            } @else {
                                (action_line(ctx, a, recorder.then_some(base.as_str())))
                                " " (super::concerns::line(ctx, About::Action, a.id.0, &on_actions, recorder))
                                @if recorder { (edits::action_tools(ctx, &base, a, &owners, &orgs)) }
                            }
                        }
                    }
                }
                @if recorder {
                    form method="post" action=(format!("{base}/actions")) class="stacked" novalidate {
                        (csrf_field(ctx))
                        (form::field("what", &t!("outcome.field.what", locale = l), None, Kind::Text, &typed.action.what, errors, true))
                        (form::field("owner", &t!("outcome.field.owner", locale = l), Some(&t!("outcome.hint.owner", locale = l)), Kind::Select(&owners), &typed.action.owner, errors, false))
                        (form::field("organisation", &t!("outcome.field.organisation", locale = l), None, Kind::Select(&orgs), &typed.action.organisation, errors, false))
                        (form::field("due", &t!("outcome.field.due", locale = l), None, Kind::Date, &typed.action.due, errors, false))
                        @if decision_options.len() > 1 { (form::field("decision", &t!("outcome.field.from_decision", locale = l), None, Kind::Select(&decision_options), &typed.action.decision, errors, false)) }
                        @if theme_options.len() > 1 { (form::field("theme", &t!("outcome.field.action_theme", locale = l), None, Kind::Select(&theme_options), &typed.action.theme, errors, false)) }
                        div { button type="submit" { (t!("outcome.record_action", locale = l)) } }
                    }
                }
            }
            @if is_organiser(ctx) {
                form method="post" action=(format!("{base}/note-takers")) class="stacked" novalidate {
                    (csrf_field(ctx))
                    (form::field("email", &t!("outcome.field.note_taker", locale = l), None, Kind::Email, "", errors, true))
                    div { button type="submit" class="secondary" { (t!("outcome.add_note_taker", locale = l)) } }
                }
            }
        },
    ))
}

async fn refuse(
    app: &SharedApp,
    ctx: &Ctx,
    salon: &Salon,
    refused: NotRecorded,
    typed: Typed,
) -> AppResult<Response> {
    let errors = match refused {
        NotRecorded::Fields(errors) => errors,
        NotRecorded::Link(key) => return Err(AppError::BadRequest(key)),
    };
    let mut e = Errors::default();
    for f in errors {
        e.add(
            f.field,
            t!(format!("outcome.error.{}", f.code), locale = ctx.lang()).to_string(),
        );
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(app, ctx, salon, &e, &typed).await?,
    )
        .into_response())
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecisionForm {
    body: String,
    /// The theme (of the salon's series) or closed priority round (of the salon) it settles.
    theme: String,
    round: String,
}

pub async fn decide(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let new = usecases::outcomes::NewDecision {
        body: &f.body,
        theme: &f.theme,
        round: &f.round,
    };
    match usecases::outcomes::decide(&app, &salon, me.id, &new).await? {
        Ok(_) => {
            Ok(Redirect::to(&format!("/salons/{}/outcomes#decisions", salon.id)).into_response())
        }
        Err(refused) => {
            let typed = Typed {
                decision: f.clone(),
                ..Typed::default()
            };
            refuse(&app, &ctx, &salon, refused, typed).await
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ActionForm {
    what: String,
    owner: String,
    organisation: String,
    due: String,
    /// The salon's decision it carries out (an id, or empty).
    decision: String,
    /// The series' theme it works towards (an id, or empty).
    theme: String,
}

pub async fn add_action(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    // The owner and organisation are looked up here; the use case checks the rest.
    let (owner, organisation, errors) = who(&app, &f).await?;
    let input = usecases::outcomes::ActionInput {
        what: &f.what,
        due: &f.due,
        owner,
        organisation,
        decision: &f.decision,
        theme: &f.theme,
    };
    match usecases::outcomes::add_action(&app, &salon, me.id, &input, errors).await? {
        Ok(_) => {
            Ok(Redirect::to(&format!("/salons/{}/outcomes#actions", salon.id)).into_response())
        }
        Err(refused) => {
            let typed = Typed {
                action: f.clone(),
                ..Typed::default()
            };
            refuse(&app, &ctx, &salon, refused, typed).await
        }
    }
}

/// The owner (a known person, by address) and the organisation (by short name) an action form
/// names, and a field error for each that is not known (the use case refuses with them).
async fn who(
    app: &SharedApp,
    f: &ActionForm,
) -> AppResult<(
    Option<crate::ids::PersonId>,
    Option<crate::ids::OrganisationId>,
    Vec<outcome::FieldError>,
)> {
    let mut errors = Vec::new();
    let owner = match f.owner.trim() {
        "" => None,
        raw => person_by(app, raw).await?.map(|p| p.id).or_else(|| {
            errors.push(outcome::FieldError {
                field: "owner",
                code: "owner",
            });
            None
        }),
    };
    let organisation = match f.organisation.as_str() {
        "" => None,
        short => organisations::by_short_name(&app.db, short)
            .await?
            .map(|o| o.id)
            .or_else(|| {
                errors.push(outcome::FieldError {
                    field: "organisation",
                    code: "organisation",
                });
                None
            }),
    };
    Ok((owner, organisation, errors))
}

async fn person_by(app: &SharedApp, raw: &str) -> AppResult<Option<Person>> {
    Ok(match Email::parse(raw) {
        Ok(email) => people::by_email(&app.db, &email).await?,
        Err(_) => None,
    })
}

pub async fn set_action(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let id: ActionId = parse_id(params.get("action").map(String::as_str).unwrap_or(""))?;
    let status = Status::parse(params.get("status").map(String::as_str).unwrap_or(""))
        .ok_or(AppError::NotFound)?;
    if !usecases::outcomes::set_action(&app, &salon, id, status).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/salons/{}/outcomes#actions", salon.id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteTakerForm {
    email: String,
}

pub async fn add_note_taker(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _o: Organiser,
    SalonPath(salon): SalonPath,
    Form(f): Form<NoteTakerForm>,
) -> AppResult<Response> {
    match person_by(&app, &f.email).await? {
        Some(p) => {
            outcomes::add_note_taker(&app.db, salon.id, p.id).await?;
            Ok(Redirect::to(&format!("/salons/{}/outcomes", salon.id)).into_response())
        }
        None => {
            refuse(
                &app,
                &ctx,
                &salon,
                NotRecorded::Fields(vec![outcome::FieldError {
                    field: "email",
                    code: "owner",
                }]),
                Typed::default(),
            )
            .await
        }
    }
}
