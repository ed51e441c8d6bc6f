//! Inbound mail over HTTP (`POST /inbound/mail`, for providers that forward mail to a URL) and
//! the organisers' view of what was taken in (`/admin/inbox`). The message is the raw RFC 822
//! body; the request carries `X-Salon-Inbound-Secret`. What happens to it is
//! `usecases::inbound`, the same as for IMAP and `salon mail ingest`.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::Organiser;
use super::context::Ctx;
use super::views::page;
use crate::app::SharedApp;
use crate::error::AppResult;
use crate::mail::inbound::MAX_BYTES;
use crate::usecases::inbound::{self, Handled, Source};

pub const HEADER: &str = "x-salon-inbound-secret";

/// A little over the largest message taken in, so one too large is refused with a 413.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)
}

/// Compare without leaking how much matched through timing.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn mail(State(app): State<SharedApp>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = app.config.inbound_secret.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same(given, secret.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"error": "unauthorized"})),
        )
            .into_response();
    }
    match inbound::ingest(&app, &body, Source::Http).await {
        Ok(Handled::Applied(detail)) => {
            axum::Json(serde_json::json!({"outcome": "applied", "detail": detail})).into_response()
        }
        Ok(Handled::Ignored(why)) => {
            axum::Json(serde_json::json!({"outcome": "ignored", "detail": why})).into_response()
        }
        Err(e) => {
            // The provider should try again later (the database may be back by then).
            tracing::warn!(error = %e, "inbound mail failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"error": "try again later"})),
            )
                .into_response()
        }
    }
}

/// The last messages taken in, and what was done with each.
pub async fn inbox_page(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _who: Organiser,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let rows = crate::store::inbound::recent(&app.db, 200).await?;
    Ok(page(
        &ctx,
        &t!("inbox.title", locale = l),
        html! {
            h1 { (t!("inbox.title", locale = l)) }
            p class="lead" { (t!("inbox.lead", locale = l)) }
            @if rows.is_empty() {
                p { (t!("inbox.empty", locale = l)) }
            } @else {
                div class="table-wrap" {
                    table {
                        caption { (t!("inbox.caption", locale = l)) }
                        thead { tr {
                            th scope="col" { (t!("inbox.col.received", locale = l)) }
                            th scope="col" { (t!("inbox.col.from", locale = l)) }
                            th scope="col" { (t!("inbox.col.subject", locale = l)) }
                            th scope="col" { (t!("inbox.col.outcome", locale = l)) }
                            th scope="col" { (t!("inbox.col.detail", locale = l)) }
                        } }
                        tbody {
                            @for r in &rows {
                                tr data-outcome=(r.outcome) {
                                    td { (crate::web::views::local_time(&ctx, &r.received_at)) " · " (r.source) }
                                    td { (r.sender) @if let Some(p) = &r.person { " (" (p) ")" } }
                                    td { (r.subject) }
                                    td { (t!(format!("inbox.outcome.{}", r.outcome), locale = l)) }
                                    td { (r.detail) @if !r.comment.is_empty() { " – “" (r.comment) "”" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
