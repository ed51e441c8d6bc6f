//! Small extractors: forms whose rejection is a friendly error, the client's address, and the
//! salon named in the path (looked up once, with the visibility rule, for every area).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::context::Ctx;
use crate::app::SharedApp;
use crate::error::AppError;
use crate::store::salons::{self, Salon};

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

/// The client's IP address: the peer, or from a trusted proxy (`SALON_TRUST_PROXY`) the address
/// it put in `X-Forwarded-For` (`config::TrustProxy::client`).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<SharedApp> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &SharedApp,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_address(
            &parts.headers,
            &parts.extensions,
            &app.config.trust_proxy,
        )))
    }
}

/// The client's address for a request (`ClientIp`, and the request log): the peer, or from a
/// trusted proxy the address it put in `X-Forwarded-For`.
pub fn client_address(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    trust: &crate::config::TrustProxy,
) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .collect();
    trust.client(peer, &forwarded)
}

impl ClientIp {
    /// The key for per-client limits: the address itself for IPv4, its /64 for IPv6 (one
    /// subscriber is given a whole /64, so a limit per full IPv6 address limits nothing).
    pub fn network(&self) -> IpAddr {
        match self.0 {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let mut segments = v6.segments();
                    segments[4..].fill(0);
                    IpAddr::V6(segments.into())
                }
            },
            v4 => v4,
        }
    }
}

/// One more of something a person may do only so often (`app::RateLimits`); beyond it, 429 in
/// their language, and nothing is done.
pub fn within_limit(
    limiter: &governor::DefaultKeyedRateLimiter<crate::ids::PersonId>,
    person: crate::ids::PersonId,
) -> Result<(), AppError> {
    limiter
        .check_key(&person)
        .map_err(|_| AppError::TooManyRequests)
}

/// An id from the path; anything that is not one is "not found" (not a 400: a mistyped URL).
pub fn parse_id<T: FromStr>(raw: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The salon `{id}` of the path, if the caller may see it (drafts: organisers only; a working
/// group's standing room: signed-in people; everyone else gets 404, as for a salon that does
/// not exist).
pub struct SalonPath(pub Salon);

impl FromRequestParts<SharedApp> for SalonPath {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &SharedApp,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(params) =
            axum::extract::Path::<HashMap<String, String>>::from_request_parts(parts, app)
                .await
                .map_err(|_| AppError::NotFound)?;
        let id = parse_id(params.get("id").map(String::as_str).unwrap_or(""))?;
        let ctx = Ctx::from_request_parts(parts, app).await?;
        let viewer = ctx.user.as_ref().map(|u| u.role());
        match salons::get(&app.db, id).await? {
            // A working group's standing room is for signed-in people (its page says who).
            Some(salon) if salon.standing && viewer.is_none() => Err(AppError::NotFound),
            Some(salon) if salon.status().visible_to(viewer) => Ok(SalonPath(salon)),
            _ => Err(AppError::NotFound),
        }
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
    let Ok(resolved) = base.join(n) else {
        return home;
    };
    if resolved.origin() != base.origin() {
        return home;
    }
    let mut path = resolved.path().to_string();
    // Dot segments can leave an empty first segment (`/.//evil.example/x` resolves to the path
    // `//evil.example/x`), which a browser reads as another host.
    if path.starts_with("//") {
        return home;
    }
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
    fn ipv6_clients_are_limited_by_their_slash_64() {
        use super::ClientIp;
        let a = ClientIp("2001:db8:1:2:aaaa::1".parse().unwrap()).network();
        let b = ClientIp("2001:db8:1:2:ffff:1:2:3".parse().unwrap()).network();
        let c = ClientIp("2001:db8:1:3::1".parse().unwrap()).network();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "2001:db8:1:2::");
        assert_eq!(
            ClientIp("192.0.2.7".parse().unwrap()).network().to_string(),
            "192.0.2.7"
        );
        assert_eq!(
            ClientIp("::ffff:192.0.2.7".parse().unwrap())
                .network()
                .to_string(),
            "192.0.2.7"
        );
    }

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
        for dotted in [
            "/.//evil.example/x",
            "/..//evil.example/x",
            "/%2e//evil.example/x",
            "/a/../..//evil.example/x",
            "/././/evil.example",
        ] {
            assert_eq!(next(Some(dotted)), "/", "{dotted}");
        }
        assert_eq!(next(Some("/a/../salons/2")), "/salons/2");
        assert_eq!(next(Some("/a\u{7f}b")), "/");
        assert_eq!(next(Some("/a\u{85}b")), "/");
        assert_eq!(next(Some("/%2F%2Fevil.example")), "/%2F%2Fevil.example");
        assert_eq!(next(Some("/søg?q=æ")), "/s%C3%B8g?q=%C3%A6");
        assert_eq!(next(None), "/");
    }
}
