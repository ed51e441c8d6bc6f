//! The layers around the routes of `web::router`: the page context (session, language, CSRF
//! and Origin) around the pages and uploads, the body limit and the 30-second timeout (uploads
//! keep their own), security headers, metrics and the request span, and the rewrite of the
//! calendar paths that runs before routing.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware;
use tower::Layer;
use tower::util::MapRequestLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::router::{BODY_LIMIT, machines, pages, uploads};
use super::{context, metrics, security};
use crate::app::SharedApp;

pub fn router(app: SharedApp) -> Router {
    let trust = app.config.trust_proxy.clone();
    let pages = pages().layer(middleware::from_fn_with_state(app.clone(), context::layer));
    let uploads = uploads().layer(middleware::from_fn_with_state(app.clone(), context::layer));

    let routed = Router::new()
        .merge(machines())
        .merge(pages)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // Merged after the timeout and the body limit: their own apply (see `uploads`).
        .merge(uploads)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            security::headers,
        ))
        .layer(middleware::from_fn(metrics::track))
        .layer(
            // Spans name the route pattern, never the raw path: paths can hold secret tokens.
            // The client is the address rate limits count by (behind a trusted proxy, the one
            // the proxy saw).
            TraceLayer::new_for_http()
                .make_span_with(move |req: &Request| {
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map(|p| p.as_str())
                        .unwrap_or("unmatched");
                    let client =
                        super::extract::client_address(req.headers(), req.extensions(), &trust);
                    tracing::info_span!("request", method = %req.method(), route, %client)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(app);
    // The rewrite runs before routing: a layer on the router itself would run after it.
    Router::new()
        .fallback_service(MapRequestLayer::new(super::calendar_paths::rewrite).layer(routed))
}
