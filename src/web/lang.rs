//! The language switch: a plain form, so it works without JavaScript. The choice is kept in a
//! cookie and, for a signed-in person, as their stored preference (which their mail uses too).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::context::Ctx;
use super::cookies;
use super::extract::{Form, safe_next};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::store::people;

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    lang: String,
    next: Option<String>,
}

pub async fn switch(
    State(app): State<SharedApp>,
    ctx: Ctx,
    jar: CookieJar,
    Form(f): Form<LangForm>,
) -> AppResult<Response> {
    let locale = Locale::from_code(&f.lang)
        .filter(|l| Locale::OFFERED.contains(l))
        .ok_or(AppError::BadRequest("error.unknown_language"))?;
    if let Some(user) = &ctx.user {
        people::set_locale(&app.db, user.id, locale).await?;
    }
    let jar = jar.add(cookies::lang(locale.code(), app.config.secure_cookies()));
    Ok((
        jar,
        Redirect::to(&safe_next(&app.config.base_url, f.next.as_deref())),
    )
        .into_response())
}
