//! Organiser and admin pages of the foundation: the mail outbox and the people register.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::{Admin, Organiser};
use super::context::Ctx;
use super::extract::Form;
use super::views::{csrf_field, described_by, field_error, local_time, page};
use crate::app::SharedApp;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::store::{organisations, outbox, people};

/// The outbox: what was sent, what waits, what failed and why. Organisers see it because a
/// failed invitation is theirs to follow up. Message bodies are not shown: they hold sign-in
/// links.
pub async fn outbox_page(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _who: Organiser,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let counts = outbox::counts(&app.db).await?;
    let rows = outbox::recent(&app.db, 200).await?;
    Ok(page(
        &ctx,
        &t!("outbox.title", locale = l),
        html! {
            h1 { (t!("outbox.title", locale = l)) }
            p class="lead" { (t!("outbox.lead", locale = l)) }
            ul class="counts" aria-label=(t!("outbox.counts", locale = l)) {
                li { (t!("outbox.status.queued", locale = l)) ": " strong data-count="queued" { (counts.queued + counts.sending) } }
                li { (t!("outbox.status.sent", locale = l)) ": " strong data-count="sent" { (counts.sent) } }
                li { (t!("outbox.status.failed", locale = l)) ": " strong data-count="failed" { (counts.failed) } }
            }
            @if rows.is_empty() {
                p { (t!("outbox.empty", locale = l)) }
            } @else {
                div class="table-wrap" {
                    table {
                        caption { (t!("outbox.caption", locale = l)) }
                        thead { tr {
                            th scope="col" { "#" }
                            th scope="col" { (t!("outbox.col.created", locale = l)) }
                            th scope="col" { (t!("outbox.col.recipient", locale = l)) }
                            th scope="col" { (t!("outbox.col.subject", locale = l)) }
                            th scope="col" { (t!("outbox.col.status", locale = l)) }
                            th scope="col" { (t!("outbox.col.attempts", locale = l)) }
                            th scope="col" { (t!("outbox.col.detail", locale = l)) }
                        } }
                        tbody {
                            @for row in &rows {
                                tr data-outbox-id=(row.id) data-status=(row.status) {
                                    td { (row.id) }
                                    td { (local_time(&ctx, &row.created_at)) }
                                    td { (row.recipient) }
                                    td { (row.subject) }
                                    td class=(format!("status status-{}", row.status)) {
                                        (t!(format!("outbox.status.{}", row.status), locale = l))
                                    }
                                    td { (row.attempts) }
                                    td {
                                        @match row.status.as_str() {
                                            "sent" => { @if let Some(at) = &row.sent_at { (t!("outbox.sent_at", locale = l)) " " (local_time(&ctx, at)) } }
                                            "queued" => { (t!("outbox.next_attempt", locale = l)) " " (local_time(&ctx, &row.next_attempt_at)) }
                                            _ => {}
                                        }
                                        @if let Some(e) = &row.last_error { p class="last-error" { (e) } }
                                        @if let Some(b) = &row.bounce { p class="last-error" data-bounced { strong { (t!("outbox.bounced", locale = l)) } ": " (b) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct PersonForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organisation: String,
}

#[derive(Default)]
struct PersonErrors {
    email: Option<String>,
    name: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
}

impl PersonErrors {
    fn any(&self) -> bool {
        self.email.is_some()
            || self.name.is_some()
            || self.role.is_some()
            || self.organisation.is_some()
    }
}

#[derive(Deserialize)]
pub struct AddedQuery {
    added: Option<String>,
    role_changed: Option<String>,
    deleted: Option<String>,
}

pub async fn people_page(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _who: Admin,
    Query(q): Query<AddedQuery>,
) -> AppResult<Markup> {
    let form = PersonForm {
        role: "member".into(),
        ..Default::default()
    };
    let flash = if q.added.is_some() {
        Some("people.added")
    } else if q.role_changed.is_some() {
        Some("people.role_changed")
    } else if q.deleted.is_some() {
        Some("people.deleted")
    } else {
        None
    };
    render_people(&app, &ctx, &form, &PersonErrors::default(), flash).await
}

async fn render_people(
    app: &SharedApp,
    ctx: &Ctx,
    form: &PersonForm,
    errors: &PersonErrors,
    flash: Option<&str>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let everyone = people::list(&app.db).await?;
    let orgs = organisations::all(&app.db).await?;
    Ok(page(
        ctx,
        &t!("people.title", locale = l),
        html! {
            h1 { (t!("people.title", locale = l)) }
            @if let Some(key) = flash { p class="notice" role="status" { (t!(key, locale = l)) } }
            section aria-labelledby="add-person" class="panel" {
                h2 id="add-person" { (t!("people.add_title", locale = l)) }
                @if errors.any() {
                    div class="error-summary" role="alert" {
                        h2 { (t!("form.errors_title", locale = l)) }
                        ul {
                            @if let Some(e) = &errors.email { li { a href="#email" { (e) } } }
                            @if let Some(e) = &errors.name { li { a href="#name" { (e) } } }
                            @if let Some(e) = &errors.role { li { a href="#role" { (e) } } }
                            @if let Some(e) = &errors.organisation { li { a href="#organisation" { (e) } } }
                        }
                    }
                }
                form method="post" action="/admin/people" class="stacked" novalidate {
                    (csrf_field(ctx))
                    div {
                        label for="name" { (t!("people.name", locale = l)) }
                        input type="text" id="name" name="name" value=(form.name) autocomplete="off" required
                            aria-invalid=[errors.name.as_ref().map(|_| "true")]
                            aria-describedby=[described_by("name", false, errors.name.is_some())];
                        (field_error("name", errors.name.as_deref()))
                    }
                    div {
                        label for="email" { (t!("people.email", locale = l)) }
                        input type="email" id="email" name="email" value=(form.email) autocomplete="off" required
                            aria-invalid=[errors.email.as_ref().map(|_| "true")]
                            aria-describedby=[described_by("email", false, errors.email.is_some())];
                        (field_error("email", errors.email.as_deref()))
                    }
                    div {
                        label for="role" { (t!("people.role", locale = l)) }
                        select id="role" name="role" aria-invalid=[errors.role.as_ref().map(|_| "true")]
                            aria-describedby=[described_by("role", false, errors.role.is_some())] {
                            @for role in [Role::Member, Role::Organiser, Role::Admin] {
                                option value=(role.as_str()) selected[form.role == role.as_str()] {
                                    (t!(format!("role.{}", role.as_str()), locale = l))
                                }
                            }
                        }
                        (field_error("role", errors.role.as_deref()))
                    }
                    div {
                        label for="organisation" { (t!("people.organisation", locale = l)) }
                        select id="organisation" name="organisation"
                            aria-invalid=[errors.organisation.as_ref().map(|_| "true")]
                            aria-describedby=[described_by("organisation", false, errors.organisation.is_some())] {
                            option value="" { (t!("people.no_organisation", locale = l)) }
                            @for org in &orgs {
                                option value=(org.short_name) selected[form.organisation == org.short_name] { (org.name) }
                            }
                        }
                        (field_error("organisation", errors.organisation.as_deref()))
                    }
                    div { button type="submit" { (t!("people.add_submit", locale = l)) } }
                }
            }
            (people_table(ctx, &everyone))
        },
    ))
}

/// Everyone, with role (changed in place) and organisation, and links to their data.
fn people_table(ctx: &Ctx, everyone: &[people::PersonListed]) -> Markup {
    let l = ctx.lang();
    html! {
            h2 { (t!("people.list_title", locale = l)) }
            div class="table-wrap" {
                table {
                    caption class="visually-hidden" { (t!("people.list_title", locale = l)) }
                    thead { tr {
                        th scope="col" { (t!("people.name", locale = l)) }
                        th scope="col" { (t!("people.email", locale = l)) }
                        th scope="col" { (t!("people.role", locale = l)) }
                        th scope="col" { (t!("people.organisation", locale = l)) }
                        th scope="col" { (t!("people.actions", locale = l)) }
                    } }
                    tbody {
                        @for p in everyone {
                            tr {
                                td { (p.name) }
                                td { (p.email) @if p.mail_failing_at.is_some() { " " span class="badge badge-cancelled" data-mail-failing { (t!("participants.mail_failing", locale = l)) } } }
                                td {
                                    form method="post" action=(format!("/admin/people/{}/role", p.id)) class="inline" {
                                        (csrf_field(ctx))
                                        label for=(format!("role-{}", p.id)) class="visually-hidden" { (t!("people.role_for", locale = l, name = p.name)) }
                                        select id=(format!("role-{}", p.id)) name="role" {
                                            @for role in [Role::Member, Role::Organiser, Role::Admin] {
                                                option value=(role.as_str()) selected[p.role == role.as_str()] { (t!(format!("role.{}", role.as_str()), locale = l)) }
                                            }
                                        }
                                        " "
                                        button type="submit" class="secondary" aria-label=(t!("people.role_for", locale = l, name = p.name)) { (t!("people.save_role", locale = l)) }
                                    }
                                }
                                td { (p.organisation.as_deref().unwrap_or("–")) }
                                td {
                                    a href=(format!("/admin/people/{}/export.json", p.id)) aria-label=(t!("people.export_for", locale = l, name = p.name)) download { (t!("people.export", locale = l)) }
                                    " · "
                                    a href=(format!("/admin/people/{}/delete", p.id)) aria-label=(t!("people.delete_for", locale = l, name = p.name)) { (t!("people.delete", locale = l)) }
                                }
                            }
                        }
                    }
                }
            }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

/// `POST /admin/people/{id}/role`
pub async fn set_role(
    State(app): State<SharedApp>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Form(f): Form<RoleForm>,
) -> AppResult<Response> {
    let id: crate::ids::PersonId = super::extract::parse_id(&id)?;
    let role: Role = f
        .role
        .parse()
        .map_err(|_| AppError::BadRequest("error.role_unknown"))?;
    if !crate::usecases::people::set_role(&app, id, role, &admin).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/people?role_changed=1").into_response())
}

pub async fn add_person(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Admin(admin): Admin,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let mut errors = PersonErrors::default();
    let email = match Email::parse(&form.email) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.email = Some(t!(format!("error.email.{}", e.code()), locale = l).to_string());
            None
        }
    };
    let name = crate::domain::person::name(&form.name)
        .map_err(|e| errors.name = Some(t!(e.message_key(), locale = l).to_string()))
        .unwrap_or_default();
    let role: Option<Role> = form.role.parse().ok();
    if role.is_none() {
        errors.role = Some(t!("error.role_unknown", locale = l).to_string());
    }
    let mut organisation_id = None;
    if !form.organisation.is_empty() {
        match organisations::by_short_name(&app.db, &form.organisation).await? {
            Some(o) => organisation_id = Some(o.id),
            None => {
                errors.organisation = Some(t!("error.organisation_unknown", locale = l).to_string())
            }
        }
    }
    if let (Some(email), Some(role), false) = (&email, role, errors.any()) {
        let new = people::NewPerson {
            email,
            name: &name,
            title: None,
            role,
            locale: ctx.locale,
            organisation_id,
        };
        match crate::usecases::people::add(&app, &new, &admin).await? {
            Some(_) => return Ok(Redirect::to("/admin/people?added=1").into_response()),
            None => errors.email = Some(t!("error.email_taken", locale = l).to_string()),
        }
    }
    let body = render_people(&app, &ctx, &form, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}
