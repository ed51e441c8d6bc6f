//! Liveness and metrics endpoints.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use crate::app::SharedApp;

/// "ok" when the database answers; 503 otherwise, so a load balancer takes us out.
pub async fn healthz(State(app): State<SharedApp>) -> impl IntoResponse {
    match app.db.ping().await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Prometheus text format.
pub async fn metrics(State(app): State<SharedApp>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app.metrics.render(),
    )
}
