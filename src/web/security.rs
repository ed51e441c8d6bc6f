//! Security headers on every response.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// No inline script or style anywhere: scripts and styles come from /static only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
                   form-action 'self'; frame-ancestors 'none'";

/// Browsers that once saw the https site refuse plain http to it for a year. Sent only when
/// the public URL is https (over http a browser ignores it, and a test install must not pin it);
/// without includeSubDomains, as other services may share the domain.
const HSTS: &str = "max-age=31536000";

pub async fn headers(
    State(app): State<crate::app::SharedApp>,
    req: Request,
    next: Next,
) -> Response {
    let mut response = next.run(req).await;
    if app.config.secure_cookies() {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    let h = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Token-bearing URLs (/login/{token}, /rsvp/{token}) must not leak to other sites.
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    response
}
