//! Correcting the record on the outcomes page: each decision and action has, for organisers and
//! note-takers, a "correct or withdraw" fold with its form (plain forms; the use cases in
//! `usecases::outcome_edits` audit and announce the change).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::{ActionForm, may_record};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::{ActionId, DecisionId};
use crate::store::outcomes::{Action, Decision};
use crate::usecases::outcome_edits::{self, ActionEdit, Edited};
use crate::web::auth::SignedIn;
use crate::web::context::Ctx;
use crate::web::extract::{Form, SalonPath, parse_id};
use crate::web::views::csrf_field;

/// The fold under a decision: reword it, or withdraw it.
pub fn decision_tools(ctx: &Ctx, base: &str, d: &Decision) -> Markup {
    let l = ctx.lang();
    html! {
        details class="correct" {
            summary { (t!("outcome.correct", locale = l)) }
            form method="post" action=(format!("{base}/decisions/{}/reword", d.id)) class="stacked" {
                (csrf_field(ctx))
                label for=(format!("reword-{}", d.id)) { (t!("outcome.field.decision", locale = l)) }
                textarea id=(format!("reword-{}", d.id)) name="body" rows="3" required { (d.body) }
                button type="submit" { (t!("outcome.save", locale = l)) }
            }
            form method="post" action=(format!("{base}/decisions/{}/withdraw", d.id)) {
                (csrf_field(ctx))
                button type="submit" class="danger" { (t!("outcome.withdraw", locale = l)) }
            }
        }
    }
}

/// The fold under an action: change what, who and when, or withdraw it.
pub fn action_tools(
    ctx: &Ctx,
    base: &str,
    a: &Action,
    owners: &[(String, String)],
    orgs: &[(String, String)],
) -> Markup {
    let l = ctx.lang();
    let id = a.id;
    html! {
        details class="correct" {
            summary { (t!("outcome.correct", locale = l)) }
            form method="post" action=(format!("{base}/actions/{id}/change")) class="stacked" {
                (csrf_field(ctx))
                div class="field" {
                    label for=(format!("what-{id}")) { (t!("outcome.field.what", locale = l)) }
                    input type="text" id=(format!("what-{id}")) name="what" value=(a.what) required;
                }
                div class="field" {
                    label for=(format!("owner-{id}")) { (t!("outcome.field.owner", locale = l)) }
                    select id=(format!("owner-{id}")) name="owner" {
                        @for (v, text) in owners {
                            option value=(v) selected[a.owner_id.is_some() && a.owner.as_deref().is_some_and(|o| text.starts_with(o)) && !v.is_empty()] { (text) }
                        }
                    }
                }
                div class="field" {
                    label for=(format!("organisation-{id}")) { (t!("outcome.field.organisation", locale = l)) }
                    select id=(format!("organisation-{id}")) name="organisation" {
                        @for (v, text) in orgs {
                            option value=(v) selected[a.organisation.as_deref() == Some(text.as_str())] { (text) }
                        }
                    }
                }
                div class="field" {
                    label for=(format!("due-{id}")) { (t!("outcome.field.due", locale = l)) }
                    input type="date" id=(format!("due-{id}")) name="due" value=(a.due.map(|d| d.to_string()).unwrap_or_default());
                }
                button type="submit" { (t!("outcome.save", locale = l)) }
            }
            form method="post" action=(format!("{base}/actions/{id}/withdraw")) {
                (csrf_field(ctx))
                button type="submit" class="danger" { (t!("outcome.withdraw", locale = l)) }
            }
        }
    }
}

fn the_id<T: std::str::FromStr>(params: &HashMap<String, String>, name: &str) -> AppResult<T> {
    parse_id(params.get(name).map(String::as_str).unwrap_or(""))
}

/// Back to the list, or why the edit was refused.
fn after(salon: crate::ids::SalonId, anchor: &str, done: Edited) -> AppResult<Response> {
    match done {
        Edited::Done => {
            Ok(Redirect::to(&format!("/salons/{salon}/outcomes#{anchor}")).into_response())
        }
        Edited::NotFound => Err(AppError::NotFound),
        Edited::Fields(e) => Err(AppError::BadRequest(match e.first().map(|f| f.code) {
            Some("decision") => "outcome.error.decision",
            Some("due") => "outcome.error.due",
            _ => "outcome.error.what",
        })),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RewordForm {
    body: String,
}

pub async fn reword_decision(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<RewordForm>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let id: DecisionId = the_id(&params, "decision")?;
    let done = outcome_edits::reword_decision(&app, &salon, &me, id, &f.body).await?;
    after(salon.id, "decisions", done)
}

pub async fn withdraw_decision(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let id: DecisionId = the_id(&params, "decision")?;
    let done = outcome_edits::withdraw_decision(&app, &salon, &me, id).await?;
    after(salon.id, "decisions", done)
}

pub async fn change_action(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let id: ActionId = the_id(&params, "action")?;
    let (owner, organisation, errors) = super::who(&app, &f).await?;
    let edit = ActionEdit {
        what: &f.what,
        due: &f.due,
        owner,
        organisation,
    };
    let done = outcome_edits::change_action(&app, &salon, &me, id, &edit, errors).await?;
    after(salon.id, "actions", done)
}

pub async fn withdraw_action(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Path(params): Path<HashMap<String, String>>,
) -> AppResult<Response> {
    if !may_record(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let id: ActionId = the_id(&params, "action")?;
    let done = outcome_edits::withdraw_action(&app, &salon, &me, id).await?;
    after(salon.id, "actions", done)
}
