//! Request metrics: a counter and a latency histogram per route (the route pattern, never the
//! raw path, so tokens in URLs never become label values).

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = method_label(req.method());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [
        ("method", method.to_string()),
        ("route", route),
        ("status", status),
    ];
    metrics::counter!("salon_http_requests_total", &labels).increment(1);
    metrics::histogram!("salon_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The method as a label value: the standard methods by name, anything invented as `other`, so
/// a client cannot add label series (and memory) without end.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::method_label;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&axum::http::Method::POST), "POST");
        assert_eq!(
            method_label(&axum::http::Method::from_bytes(b"FOO123").unwrap()),
            "other"
        );
    }
}
