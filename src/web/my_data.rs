//! A person's own data: the JSON export, account deletion (after a fresh sign-in), and "sign
//! out everywhere"; and the same export and deletion by an admin for someone who asked by mail.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Duration;
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::{Admin, SignedIn};
use super::context::Ctx;
use super::cookies;
use super::extract::{Form, parse_id};
use super::views::{csrf_field, field_error, page};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::PersonId;
use crate::store::people::{self, Person};
use crate::store::sessions;
use crate::usecases::privacy;

/// Deleting an account asks for a sign-in at most this old.
pub const FRESH: Duration = Duration::minutes(15);

fn fresh(ctx: &Ctx) -> bool {
    ctx.signed_in_at
        .is_some_and(|at| crate::domain::time::now() - at < FRESH)
}

/// The export as a download.
async fn export_response(app: &SharedApp, person: &Person, by: &Person) -> AppResult<Response> {
    let doc = privacy::export(app, person, by).await?;
    let body = serde_json::to_vec_pretty(&doc).map_err(|e| AppError::Internal(e.into()))?;
    let filename = format!(
        "salon-data-{}-{}.json",
        person.id,
        crate::domain::time::now().format("%Y-%m-%d")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

/// `GET /me/export.json`
pub async fn export_mine(
    State(app): State<SharedApp>,
    SignedIn(me): SignedIn,
) -> AppResult<Response> {
    export_response(&app, &me, &me).await
}

/// `GET /admin/people/{id}/export.json`
pub async fn export_for(
    State(app): State<SharedApp>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let person = person(&app, &id).await?;
    export_response(&app, &person, &admin).await
}

async fn person(app: &SharedApp, id: &str) -> AppResult<Person> {
    let id: PersonId = parse_id(id)?;
    people::by_id(&app.db, id).await?.ok_or(AppError::NotFound)
}

/// What deletion does, and the confirming form; or, when the sign-in is not fresh, a form that
/// mails a new sign-in link that comes back here.
fn delete_page(ctx: &Ctx, subject: &Person, action: &str, missing_confirm: bool) -> Markup {
    let l = ctx.lang();
    let own = ctx.user.as_ref().is_some_and(|u| u.id == subject.id);
    let title = if own {
        t!("delete.title", locale = l).to_string()
    } else {
        t!("delete.admin_title", locale = l, name = subject.name).to_string()
    };
    let error = t!("delete.confirm_required", locale = l);
    page(
        ctx,
        &title,
        html! {
            h1 { (title) }
            @if !fresh(ctx) {
                p { (t!("delete.fresh_needed", locale = l)) }
                @if let Some(me) = &ctx.user {
                    form method="post" action="/login" {
                        (csrf_field(ctx))
                        input type="hidden" name="email" value=(me.email);
                        input type="hidden" name="next" value=(action);
                        button type="submit" { (t!("delete.send_link", locale = l)) }
                    }
                }
            } @else {
                @if !own { p { (t!("delete.admin_lead", locale = l)) } }
                @if missing_confirm {
                    div class="error-summary" role="alert" {
                        h2 { (t!("form.errors_title", locale = l)) }
                        ul { li { a href="#confirm" { (error) } } }
                    }
                }
                h2 { (t!("delete.what_happens", locale = l)) }
                ul {
                    li { (t!("delete.item_answers", locale = l)) }
                    li { (t!("delete.item_messages", locale = l)) }
                    li { (t!("delete.item_links", locale = l)) }
                    li { (t!("delete.item_mail", locale = l)) }
                    li { (t!("delete.item_gone", locale = l)) }
                }
                @if own { p { a href="/me/export.json" download { (t!("delete.export_first", locale = l)) } } }
                form method="post" action=(action) class="stacked" novalidate {
                    (csrf_field(ctx))
                    div class="choice" {
                        input type="checkbox" id="confirm" name="confirm" value="yes" required
                            aria-invalid=[missing_confirm.then_some("true")]
                            aria-describedby=[missing_confirm.then_some("confirm-error")];
                        label for="confirm" { (t!("delete.confirm_label", locale = l)) }
                        (field_error("confirm", missing_confirm.then_some(&*error)))
                    }
                    div {
                        button type="submit" class="danger" { (t!("delete.submit", locale = l)) }
                        " "
                        a href=(if own { "/me" } else { "/admin/people" }) { (t!("delete.cancel", locale = l)) }
                    }
                }
            }
        },
    )
}

/// `GET /me/delete`
pub async fn confirm_mine(ctx: Ctx, SignedIn(me): SignedIn) -> Markup {
    delete_page(&ctx, &me, "/me/delete", false)
}

/// `GET /admin/people/{id}/delete`
pub async fn confirm_for(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let person = person(&app, &id).await?;
    Ok(delete_page(
        &ctx,
        &person,
        &format!("/admin/people/{}/delete", person.id),
        false,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

/// Checks shared by both deletions: a fresh sign-in and the ticked box.
fn refused(ctx: &Ctx, subject: &Person, action: &str, f: &DeleteForm) -> Option<Response> {
    if !fresh(ctx) {
        return Some(
            (
                StatusCode::FORBIDDEN,
                delete_page(ctx, subject, action, false),
            )
                .into_response(),
        );
    }
    if f.confirm != "yes" {
        return Some(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                delete_page(ctx, subject, action, true),
            )
                .into_response(),
        );
    }
    None
}

/// `POST /me/delete`: the account goes, the browser is signed out, and a goodbye page.
pub async fn delete_mine(
    State(app): State<SharedApp>,
    ctx: Ctx,
    jar: CookieJar,
    SignedIn(me): SignedIn,
    Form(f): Form<DeleteForm>,
) -> AppResult<Response> {
    if let Some(r) = refused(&ctx, &me, "/me/delete", &f) {
        return Ok(r);
    }
    privacy::delete_account(&app, &me, &me).await?;
    let jar = jar.add(cookies::session_removal(app.config.secure_cookies()));
    let ctx = Ctx {
        user: None,
        signed_in_at: None,
        ..ctx
    };
    let l = ctx.lang();
    let body = page(
        &ctx,
        &t!("delete.done_title", locale = l),
        html! {
            h1 { (t!("delete.done_title", locale = l)) }
            p role="status" { (t!("delete.done_lead", locale = l)) }
            p { a href="/" { (t!("nav.home", locale = l)) } }
        },
    );
    Ok((jar, body).into_response())
}

/// `POST /admin/people/{id}/delete`
pub async fn delete_for(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Form(f): Form<DeleteForm>,
) -> AppResult<Response> {
    let person = person(&app, &id).await?;
    if let Some(r) = refused(
        &ctx,
        &person,
        &format!("/admin/people/{}/delete", person.id),
        &f,
    ) {
        return Ok(r);
    }
    privacy::delete_account(&app, &person, &admin).await?;
    if person.id == admin.id {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(Redirect::to("/admin/people?deleted=1").into_response())
}

/// `POST /me/sessions/end`: every session of mine ends, this one too.
pub async fn sign_out_everywhere(
    State(app): State<SharedApp>,
    jar: CookieJar,
    SignedIn(me): SignedIn,
) -> AppResult<Response> {
    sessions::delete_all(&app.db, me.id).await?;
    let jar = jar.add(cookies::session_removal(app.config.secure_cookies()));
    Ok((jar, Redirect::to("/")).into_response())
}
