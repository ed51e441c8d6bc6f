//! The room's answer to someone signed in but not registered for the salon: why they cannot
//! come in, and the way in (answer now, where answers are still taken, and go straight in; or
//! ask the organisers), instead of a bare 403.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use rust_i18n::t;

use crate::app::SharedApp;
use crate::domain::rsvp::may_answer;
use crate::error::AppError;
use crate::ids::PersonId;
use crate::store::{rsvps, salons};
use crate::web::context::Ctx;
use crate::web::views::{csrf_field, page};

/// The page, with 403.
pub async fn not_registered(
    app: &SharedApp,
    ctx: &Ctx,
    salon_id: &str,
    person: PersonId,
) -> Response {
    match render(app, ctx, salon_id, person).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn render(
    app: &SharedApp,
    ctx: &Ctx,
    salon_id: &str,
    person: PersonId,
) -> Result<Response, AppError> {
    let l = ctx.lang();
    let id = salon_id.parse().map_err(|_| AppError::NotFound)?;
    let salon = salons::get(&app.db, id).await?.ok_or(AppError::NotFound)?;
    let standing = rsvps::of(&app.db, salon.id, person)
        .await?
        .map(|r| r.standing());
    let why = may_answer(&salon.facts(), standing, crate::domain::time::now()).err();
    let organisers = app.config.mail.from.email.to_string();
    let body = page(
        ctx,
        &salon.title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("room.refused.title", locale = l)) }
            p { (t!("room.refused.not_registered", locale = l)) }
            @match why {
                None => {
                    form method="post" action=(format!("/salons/{}/rsvp", salon.id)) class="stacked" {
                        (csrf_field(ctx))
                        input type="hidden" name="response" value="yes";
                        input type="hidden" name="then" value="room";
                        button type="submit" { (t!("room.refused.answer_and_enter", locale = l)) }
                    }
                }
                Some(reason) => {
                    p { (t!(reason.message_key(), locale = l)) }
                    p { (t!("room.refused.ask", locale = l)) " " a href=(format!("mailto:{organisers}")) { (organisers) } }
                }
            }
        },
    );
    Ok((StatusCode::FORBIDDEN, body).into_response())
}
