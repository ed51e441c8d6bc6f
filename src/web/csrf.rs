//! CSRF protection for every state-changing request.
//!
//! Signed double-submit: each browser gets a random `salon_csrf` cookie (HttpOnly,
//! SameSite=Lax); forms carry `HMAC-SHA256(key, cookie)` in a hidden `csrf` field (scripts send
//! it as `X-CSRF-Token`). Another site can neither read the cookie nor compute the HMAC without
//! the server's key. On top, a request whose `Origin` (or `Sec-Fetch-Site`) says it comes from
//! another site is refused outright.

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, header};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "salon_csrf";
pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

/// Forms are small; anything larger is refused (413) before it is buffered.
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// File uploads (the .ics import).
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024 + 64 * 1024;

/// The outcome of checking an unsafe request.
#[expect(
    clippy::large_enum_variant,
    reason = "made once per request and consumed at once; boxing the request buys nothing"
)]
pub enum Verdict {
    Pass(Request<Body>),
    Refused,
    TooLarge,
}

pub fn token_for(key: &[u8], cookie_value: &str) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for HMAC.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(cookie_value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Does the request come from our own pages? `expected_origin` is `scheme://host[:port]`.
pub fn same_origin(headers: &HeaderMap, expected_origin: &str) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().is_ok_and(|o| o == expected_origin);
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    // Neither header (old browsers, curl): the token alone decides.
    true
}

/// Check the token of an unsafe request. Form bodies are buffered to read the field and then
/// handed on unchanged.
pub async fn verify(req: Request<Body>, expected: &str) -> Verdict {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // File uploads (multipart) are not buffered here: their token travels in the query string
    // (`?csrf=`), and the route's own body limit applies.
    if content_type.starts_with("multipart/form-data") {
        if declared.is_some_and(|n| n > MAX_UPLOAD_BYTES) {
            return Verdict::TooLarge;
        }
        let sent = req.uri().query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned())
        });
        return match sent {
            Some(sent) if !expected.is_empty() && equal(&sent, expected) => Verdict::Pass(req),
            _ => Verdict::Refused,
        };
    }
    if declared.is_some_and(|n| n > MAX_FORM_BYTES) {
        return Verdict::TooLarge;
    }
    if expected.is_empty() {
        return Verdict::Refused;
    }
    if let Some(sent) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if equal(sent, expected) {
            Verdict::Pass(req)
        } else {
            Verdict::Refused
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Verdict::Refused;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return Verdict::TooLarge;
    };
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(sent) if equal(&sent, expected) => {
            Verdict::Pass(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Verdict::Refused,
    }
}

fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_depends_on_key_and_cookie() {
        let t = token_for(b"key", "cookie");
        assert_eq!(t.len(), 64);
        assert_ne!(t, token_for(b"other key", "cookie"));
        assert_ne!(t, token_for(b"key", "other cookie"));
    }

    #[test]
    fn cross_site_origin_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ORIGIN,
            "https://evil.example"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert!(!same_origin(&h, "https://salon.example"));
        let mut h = HeaderMap::new();
        h.insert(
            "sec-fetch-site",
            "cross-site".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert!(!same_origin(&h, "https://salon.example"));
        assert!(same_origin(&HeaderMap::new(), "https://salon.example"));
    }
}
