//! The page context: who is asking, in which language, with which CSRF token.
//!
//! One middleware resolves it once per request (one indexed query for signed-in users, none for
//! visitors), enforces CSRF on unsafe methods, and after the handler turns an `ErrorInfo`
//! response into a full page in the user's language (JSON under /api/).

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::{cookies, csrf, views};
use crate::app::SharedApp;
use crate::domain::token;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Locale;
use crate::store::people::Person;
use crate::store::sessions;

#[derive(Clone)]
pub struct Ctx {
    pub user: Option<Arc<Person>>,
    pub locale: Locale,
    /// The token forms must carry (hidden field `csrf`).
    pub csrf: String,
    /// Path and query of this request, for "come back here" links.
    pub path: String,
    /// When this browser signed in (None for visitors): deleting an account asks for a fresh
    /// sign-in.
    pub signed_in_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Ctx {
    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "page context middleware is not installed on this route"
            ))
        })
    }
}

pub async fn layer(
    State(app): State<SharedApp>,
    jar: CookieJar,
    req: Request,
    next: Next,
) -> Response {
    let (user, signed_in_at, lookup_failed) = signed_in(&app, &jar, req.uri().path()).await;
    let locale = language(user.as_deref(), &jar, &req);
    let (csrf_cookie, fresh_cookie) = match jar.get(csrf::COOKIE) {
        Some(c) if token::looks_valid(c.value()) => (c.value().to_string(), false),
        _ => (token::generate().secret, true),
    };
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let is_api = req.uri().path().starts_with("/api/");
    let ctx = Ctx {
        user,
        locale,
        csrf: csrf::token_for(&app.csrf_key, &csrf_cookie),
        path,
        signed_in_at,
    };

    // Reading a page without the session is harmless (it shows what anyone sees); acting on it
    // is not: a signed-in person's post would be taken for a stranger's and turned away to the
    // sign-in page, and what they wrote lost. They are told to try again instead.
    if lookup_failed && csrf::is_unsafe(req.method()) {
        return render_error(
            &ctx,
            StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unavailable(anyhow::anyhow!("session lookup failed")).info(),
            is_api,
        );
    }
    let mut req = req;
    // Machine endpoints (`router::machines`) are outside this layer: every request here is a
    // browser's.
    if csrf::is_unsafe(req.method()) {
        let verdict = if fresh_cookie || !csrf::same_origin(req.headers(), &app.config.origin()) {
            csrf::Verdict::Refused
        } else {
            csrf::verify(req, &ctx.csrf).await
        };
        match verdict {
            csrf::Verdict::Pass(r) => req = r,
            csrf::Verdict::Refused => {
                tracing::info!(route = %route_of(&ctx.path), "refused a state-changing request without a valid CSRF token");
                return render_error(&ctx, StatusCode::FORBIDDEN, AppError::Csrf.info(), is_api);
            }
            csrf::Verdict::TooLarge => {
                return render_error(
                    &ctx,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    AppError::TooLarge.info(),
                    is_api,
                );
            }
        }
    }
    req.extensions_mut().insert(ctx.clone());

    let mut response = next.run(req).await;
    if let Some(info) = response.extensions().get::<ErrorInfo>().copied() {
        response = friendly_error(&ctx, response, info, is_api);
    }
    if fresh_cookie {
        let cookie = cookies::csrf(csrf_cookie, app.config.secure_cookies());
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The page's language: the signed-in person's, else the language cookie's, else the
/// browser's Accept-Language, else Danish.
fn language(user: Option<&Person>, jar: &CookieJar, req: &Request) -> Locale {
    user.map(|u| u.locale())
        .or_else(|| {
            jar.get(cookies::LANG)
                .and_then(|c| Locale::from_code(c.value()))
        })
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

/// Who is signed in (and since when) by the session cookie; `true` when the lookup failed (the
/// request is then treated as anonymous, and a state-changing one is refused).
async fn signed_in(
    app: &SharedApp,
    jar: &CookieJar,
    path: &str,
) -> (
    Option<Arc<Person>>,
    Option<chrono::DateTime<chrono::Utc>>,
    bool,
) {
    let mut lookup_failed = false;
    let (user, signed_in_at) = match jar.get(cookies::SESSION) {
        Some(c) => match sessions::signed_in(&app.db, c.value()).await {
            // A room pass is somebody only on its salon's pages: anywhere else, nobody.
            Ok(Some(s)) if s.pass_for.is_some_and(|salon| !pass_covers(salon, path)) => {
                (None, None)
            }
            Ok(Some(s)) => {
                touch_if_stale(app, c.value(), &s).await;
                (Some(Arc::new(s.person)), Some(s.signed_in_at))
            }
            Ok(None) => (None, None),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed; treating the request as anonymous");
                lookup_failed = true;
                (None, None)
            }
        },
        None => (None, None),
    };
    (user, signed_in_at, lookup_failed)
}

/// Where a room pass (`usecases::room_pass`) signs its person in: the salon's page and
/// everything under it (room, websocket, questions, ballots), choosing the language (kept as
/// the person's preference, so the room they are in speaks it), and signing out.
fn pass_covers(salon: crate::ids::SalonId, path: &str) -> bool {
    let own = format!("/salons/{salon}");
    path == own || path.starts_with(&format!("{own}/")) || path == "/logout" || path == "/lang"
}

/// A handler's error as the friendly page (or JSON) in the person's language, keeping the
/// headers the handler set deliberately (e.g. Retry-After), but not its body's type.
fn friendly_error(ctx: &Ctx, mut response: Response, info: ErrorInfo, is_api: bool) -> Response {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    response = render_error(ctx, status, info, is_api);
    // Keep headers the handler set deliberately (e.g. Retry-After), but not its body's type.
    for (name, value) in headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
}

/// Move the session's idle end on, at most once every five minutes per session: one write per
/// active browser now and then, not one per request.
async fn touch_if_stale(app: &SharedApp, secret: &str, s: &sessions::Signed) {
    let seen = s.last_seen_at.unwrap_or(s.signed_in_at);
    if crate::domain::time::now() - seen < chrono::Duration::minutes(5) {
        return;
    }
    if let Err(e) = sessions::touch(
        &app.db,
        secret,
        s.signed_in_at,
        app.config.privacy.retention.sessions(),
    )
    .await
    {
        tracing::warn!(error = %e, "could not note the session's activity");
    }
}

/// The first path segment only: paths can hold tokens, which must not reach the logs.
fn route_of(path: &str) -> &str {
    let rest = path.strip_prefix('/').unwrap_or(path);
    let end = rest.find(['/', '?']).map(|i| i + 1).unwrap_or(path.len());
    &path[..end.min(path.len())]
}

fn render_error(ctx: &Ctx, status: StatusCode, info: ErrorInfo, is_api: bool) -> Response {
    let message = rust_i18n::t!(info.message_key, locale = ctx.lang()).to_string();
    if is_api {
        let body = serde_json::json!({ "error": { "code": info.code, "message": message } });
        return (status, axum::Json(body)).into_response();
    }
    (status, views::error_page(ctx, status, &message)).into_response()
}
