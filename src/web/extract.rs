//! Small extractors: forms whose rejection is a friendly error, and the client's address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::app::SharedApp;
use crate::error::AppError;

/// Like `axum::Form`, but a malformed body is a 400 page in the user's language, not axum's
/// plain-text rejection.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(rejection) => {
                tracing::info!(%rejection, "malformed form");
                Err(AppError::BadRequest("error.bad_form"))
            }
        }
    }
}

/// The client's IP address: the peer, or with `SALON_TRUST_PROXY` the right-most address of
/// `X-Forwarded-For` (the one our own reverse proxy added; left-most entries are client-chosen).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<SharedApp> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &SharedApp) -> Result<Self, Self::Rejection> {
        if app.config.trust_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

/// A local path to go to after an action, or `/`. `next` is resolved against the site's own
/// base URL and kept only if it stays on the same origin; control characters (browsers drop a
/// TAB or newline inside a URL, so `/\t/evil.example` would become `//evil.example`) and
/// backslashes are refused outright. The result is the resolved, percent-encoded path, so it is
/// always a valid `Location` header.
pub fn safe_next(base: &url::Url, next: Option<&str>) -> String {
    let home = "/".to_string();
    let Some(n) = next else { return home };
    if !n.starts_with('/') || n.chars().any(|c| c.is_control() || c == '\\') {
        return home;
    }
    let Ok(resolved) = base.join(n) else { return home };
    if resolved.origin() != base.origin() {
        return home;
    }
    let mut path = resolved.path().to_string();
    if let Some(q) = resolved.query() {
        path.push('?');
        path.push_str(q);
    }
    if let Some(f) = resolved.fragment() {
        path.push('#');
        path.push_str(f);
    }
    path
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::safe_next;

    #[test]
    fn next_never_leaves_the_site() {
        let base = url::Url::parse("https://salon.example.org/").unwrap();
        let next = |n| safe_next(&base, n);
        assert_eq!(next(Some("/admin/outbox?x=1")), "/admin/outbox?x=1");
        assert_eq!(next(Some("/salons/2#rsvp")), "/salons/2#rsvp");
        assert_eq!(next(Some("//evil.example")), "/");
        assert_eq!(next(Some("/\\evil.example")), "/");
        assert_eq!(next(Some("https://evil.example")), "/");
        assert_eq!(next(Some("/\t/evil.example/x")), "/");
        assert_eq!(next(Some("/\n/evil.example/x")), "/");
        assert_eq!(next(Some("/a\u{7f}b")), "/");
        assert_eq!(next(Some("/a\u{85}b")), "/");
        assert_eq!(next(Some("/%2F%2Fevil.example")), "/%2F%2Fevil.example");
        assert_eq!(next(Some("/søg?q=æ")), "/s%C3%B8g?q=%C3%A6");
        assert_eq!(next(None), "/");
    }
}
