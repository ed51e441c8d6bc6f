//! Liveness and metrics endpoints.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::SharedApp;
use crate::store::on_pool;

pub fn router() -> Router<SharedApp> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

/// "ok" when the database answers; 503 otherwise, so a load balancer takes us out.
async fn healthz(State(app): State<SharedApp>) -> impl IntoResponse {
    let alive: Result<i32, sqlx::Error> = on_pool!(&app.db, |p| sqlx::query_scalar("select 1").fetch_one(p).await);
    match alive {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Prometheus text format.
async fn metrics(State(app): State<SharedApp>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], app.metrics.render())
}
