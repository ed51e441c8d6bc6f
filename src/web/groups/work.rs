//! What a group's people do on its page: add a deliverable or move one on, post a status
//! update (members, the coordinator and organisers; anyone else is refused and nothing is
//! stored); and what organisers do with its meetings: make a salon of the series the group's
//! meeting, and invite the group's members to it (the invitation's own flow: mail, calendar
//! invite, answer links).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{group_of, works_in};
use crate::app::SharedApp;
use crate::domain::group;
use crate::error::{AppError, AppResult};
use crate::ids::{DeliverableId, SalonId};
use crate::store::groups as store;
use crate::usecases::group_work as usecase;
use crate::web::auth::{Organiser, SignedIn};
use crate::web::context::Ctx;
use crate::web::extract::parse_id;
use crate::web::form::Errors;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DeliverableForm {
    title: String,
    due_on: String,
    state: String,
    link: String,
    note: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct UpdateForm {
    status: String,
    body: String,
}

/// The group's page again with the refused form's errors (422).
async fn refused(
    app: &SharedApp,
    ctx: &Ctx,
    raw_id: &str,
    refused: Vec<group::FieldError>,
) -> AppResult<Response> {
    let errors = Errors::translated(
        "group",
        refused.iter().map(|e| (e.field, e.code)),
        ctx.lang(),
    );
    let page = super::show_with(app, ctx, raw_id, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn add_deliverable(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _me: SignedIn,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<DeliverableForm>,
) -> AppResult<Response> {
    let g = group_of(&app, &id).await?;
    if !works_in(&app, &ctx, &g).await? {
        return Err(AppError::Forbidden);
    }
    match group::deliverable(&f.title, &f.due_on, &f.state, &f.link, &f.note) {
        Ok(d) => {
            usecase::add_deliverable(&app, g.id, &d).await?;
            Ok(Redirect::to(&format!("/groups/{}#deliverables", g.id)).into_response())
        }
        Err(e) => refused(&app, &ctx, &id, e).await,
    }
}

pub async fn change_deliverable(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _me: SignedIn,
    Path((id, did)): Path<(String, String)>,
    axum::Form(f): axum::Form<DeliverableForm>,
) -> AppResult<Response> {
    let g = group_of(&app, &id).await?;
    let did: DeliverableId = parse_id(&did)?;
    if !works_in(&app, &ctx, &g).await? {
        return Err(AppError::Forbidden);
    }
    match group::deliverable(&f.title, &f.due_on, &f.state, &f.link, &f.note) {
        Ok(d) => {
            if !usecase::change_deliverable(&app, g.id, did, &d).await? {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/groups/{}#deliverable-{did}", g.id)).into_response())
        }
        Err(e) => refused(&app, &ctx, &id, e).await,
    }
}

pub async fn post_update(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<UpdateForm>,
) -> AppResult<Response> {
    let g = group_of(&app, &id).await?;
    if !works_in(&app, &ctx, &g).await? {
        return Err(AppError::Forbidden);
    }
    match group::update(&f.status, &f.body) {
        Ok((status, body)) => {
            usecase::post_update(&app, g.id, me.id, status, &body).await?;
            Ok(Redirect::to(&format!("/groups/{}#updates", g.id)).into_response())
        }
        Err(e) => refused(&app, &ctx, &id, e).await,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MeetingForm {
    salon: String,
    /// "remove": the salon is no longer the group's meeting.
    remove: String,
}

/// Make a salon of the group's series its meeting (or no longer).
pub async fn set_meeting(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<MeetingForm>,
) -> AppResult<Response> {
    let g = group_of(&app, &id).await?;
    let salon_id: SalonId = parse_id(&f.salon)?;
    let salon = crate::store::salons::get(&app.db, salon_id)
        .await?
        .filter(|s| s.series_id == Some(g.series_id) && !s.standing)
        .ok_or(AppError::NotFound)?;
    let group = (f.remove != "remove").then_some((g.id, g.name.as_str()));
    if group.is_none() && salon.group_id != Some(g.id) {
        return Err(AppError::NotFound);
    }
    crate::usecases::groups::set_meeting(&app, salon.id, group, &me).await?;
    Ok(Redirect::to(&format!("/groups/{}#meetings", g.id)).into_response())
}

/// Invite the group's members to one of its meetings (those invited before get no second
/// mail); the invitation use case sends a group's meeting to its members only.
pub async fn invite_members(
    State(app): State<SharedApp>,
    Organiser(me): Organiser,
    Path((id, salon)): Path<(String, String)>,
) -> AppResult<Response> {
    let g = group_of(&app, &id).await?;
    let salon_id: SalonId = parse_id(&salon)?;
    let salon = crate::store::salons::get(&app.db, salon_id)
        .await?
        .filter(|s| s.group_id == Some(g.id) && !s.standing)
        .ok_or(AppError::NotFound)?;
    if salon.status() != crate::domain::salon::Status::Published {
        return Err(AppError::BadRequest("the meeting is not published"));
    }
    let who = crate::usecases::invitations::Invitees {
        people: store::members(&app.db, g.id)
            .await?
            .into_iter()
            .map(|m| m.0)
            .collect(),
        ..Default::default()
    };
    let n = crate::usecases::invitations::invite(&app, &salon, &who, &me).await?;
    Ok(Redirect::to(&format!("/groups/{}?invited={n}#meetings", g.id)).into_response())
}
