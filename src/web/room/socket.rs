//! The websocket door `/salons/{id}/room/ws?after=LAST_SEEN_ID[&room=ROOM]`, and what a
//! client's frame does.
//!
//! Checked at the upgrade: the handshake, the Origin (another site: 403), a session (else
//! 401), the right to enter (403; a draft or a missing salon 404), and a free connection slot
//! for the person (429). Then the connection is `rooms::connection`'s, given plain values; its
//! client's frames are answered here ([`SocketClient`]): each counts against the person's rate
//! limit, is checked against the rights as they are now (`access::recheck`), and calls the
//! room's use cases (`usecases::room`, `usecases::rounds`).

use std::time::Instant;

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use bytes::Bytes;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::net::TcpStream;

use crate::app::SharedApp;
use crate::domain::time::now;
use crate::ids::{MessageId, RoomId};
use crate::rooms::access::Access;
use crate::rooms::access::{self, Denied};
use crate::rooms::connection::{self, Opened};
use crate::rooms::protocol::Person as RoomPerson;
use crate::store::organisations;
use crate::store::people::Person;
use crate::store::rooms::Room;
use crate::store::salons::Salon;
use crate::web::context::Ctx;
use crate::web::cookies;

use super::frames::SocketClient;

#[derive(Deserialize, Default)]
pub struct WsQuery {
    after: Option<MessageId>,
    room: Option<RoomId>,
}

pub async fn upgrade(
    State(app): State<SharedApp>,
    ctx: Ctx,
    jar: CookieJar,
    Path(id): Path<String>,
    Query(q): Query<WsQuery>,
    mut request: Request,
) -> Response {
    let accept = match accept_key(request.method(), request.headers()) {
        Ok(key) => key,
        Err(bad) => return bad.into_response(),
    };
    // Browsers always send Origin on a websocket handshake; another site's is refused.
    if let Some(origin) = request.headers().get(header::ORIGIN)
        && origin.to_str().ok() != Some(app.config.origin().as_str())
    {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    // The page context has read the session already; its secret stays with the socket, as
    // signing out ends the socket's rights too.
    let (Some(user), Some(session)) = (ctx.user.clone(), jar.get(cookies::SESSION)) else {
        return (StatusCode::UNAUTHORIZED, "sign in first").into_response();
    };
    let session = session.value().to_string();
    let (salon, room, access) = match entering(&app, &user, &id, q.room).await {
        Ok(entered) => entered,
        Err(refused) => return refused,
    };
    let Some(upgrading) = request
        .extensions_mut()
        .remove::<hyper::upgrade::OnUpgrade>()
    else {
        return (
            StatusCode::UPGRADE_REQUIRED,
            "this connection cannot be upgraded",
        )
            .into_response();
    };
    let Some(slot) = app.room_slots.take(user.id) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many open room connections",
        )
            .into_response();
    };
    // In the room while the salon runs: present (once).
    crate::usecases::attendance::seen_in_room(&app, &salon, user.id).await;
    let me = person_of(&app, &user).await;
    let opened = Opened {
        room: room.id,
        covered: room.last_message_id,
        organiser: access.organiser,
        me: me.clone(),
        after: q.after,
        db: app.db.clone(),
        hub: app.hub.clone(),
        buffer: app.config.room_buffer,
        shutdown: app.shutdown.clone(),
    };
    let client = SocketClient {
        app: app.clone(),
        room,
        access,
        me,
        session,
        locale: user.locale().code(),
        checked_at: Instant::now(),
        _slot: slot,
    };
    hand_over(&app, upgrading, opened, client);
    switching_protocols(accept)
}

/// Once hyper has switched protocols, the TCP stream goes to the room's connection, in a task
/// tracked, not detached: a graceful stop waits for every socket to close (`crate::run`).
fn hand_over(
    app: &SharedApp,
    upgrading: hyper::upgrade::OnUpgrade,
    opened: Opened,
    client: SocketClient,
) {
    app.socket_tasks.spawn(async move {
        let upgraded = match upgrading.await {
            Ok(u) => u,
            Err(e) => return tracing::debug!(error = %e, "websocket upgrade failed"),
        };
        // The socket itself (`server::serve` serves plain TCP connections): the room writer
        // writes to it directly.
        match upgraded.downcast::<TokioIo<TcpStream>>() {
            Ok(parts) => {
                // A copy of what the client sent past the handshake (usually nothing): the
                // original is a view into hyper's read buffer, and would keep all of it alive
                // for as long as the socket is open.
                let early = Bytes::copy_from_slice(&parts.read_buf);
                drop(parts.read_buf);
                connection::run(parts.io.into_inner(), early, opened, client).await
            }
            Err(_) => {
                tracing::error!("a websocket upgrade on a connection that is not a TCP stream")
            }
        }
    });
}

/// The handshake's answer (101).
fn switching_protocols(accept: String) -> Response {
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(axum::body::Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The room asked for and the person's access, or the answer that refuses them.
async fn entering(
    app: &SharedApp,
    user: &Person,
    id: &str,
    room: Option<RoomId>,
) -> Result<(Salon, Room, Access), Response> {
    match access::enter(&app.db, Some(user), id, room, now()).await {
        Ok(Ok((salon, room, access))) => Ok((salon, room, access)),
        Ok(Err(Denied::NotSignedIn)) => {
            Err((StatusCode::UNAUTHORIZED, "sign in first").into_response())
        }
        Ok(Err(Denied::NotRegistered)) => {
            Err((StatusCode::FORBIDDEN, "not registered for this salon").into_response())
        }
        Ok(Err(Denied::NotFound)) => Err((StatusCode::NOT_FOUND, "no such room").into_response()),
        Err(e) => Err(crate::error::AppError::from(e).into_response()),
    }
}

/// The person as the room shows them: name and organisation.
async fn person_of(app: &SharedApp, user: &Person) -> RoomPerson {
    let org = match user.organisation_id {
        Some(oid) => organisations::by_id(&app.db, oid)
            .await
            .ok()
            .flatten()
            .map(|o| o.name),
        None => None,
    };
    RoomPerson {
        id: user.id,
        name: user.name.clone(),
        org,
    }
}

/// Why a request cannot be upgraded: the status to answer with, and a short reason.
pub type BadHandshake = (StatusCode, &'static str);

/// The `Sec-WebSocket-Accept` value for a valid websocket opening request.
fn accept_key(method: &Method, headers: &HeaderMap) -> Result<String, BadHandshake> {
    if method != Method::GET {
        return Err((StatusCode::METHOD_NOT_ALLOWED, "a websocket opens with GET"));
    }
    let has_token = |name: header::HeaderName, token: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    if !has_token(header::CONNECTION, "upgrade") || !has_token(header::UPGRADE, "websocket") {
        return Err((StatusCode::UPGRADE_REQUIRED, "this address is a websocket"));
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .map(|v| v.as_bytes())
        != Some(b"13")
    {
        return Err((StatusCode::BAD_REQUEST, "websocket version 13 only"));
    }
    let key = headers
        .get(header::SEC_WEBSOCKET_KEY)
        .ok_or((StatusCode::BAD_REQUEST, "no Sec-WebSocket-Key"))?;
    Ok(tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accept_key_is_the_rfc_example() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONNECTION, "keep-alive, Upgrade".parse().unwrap());
        headers.insert(header::UPGRADE, "websocket".parse().unwrap());
        headers.insert(header::SEC_WEBSOCKET_VERSION, "13".parse().unwrap());
        headers.insert(
            header::SEC_WEBSOCKET_KEY,
            "dGhlIHNhbXBsZSBub25jZQ==".parse().unwrap(),
        );
        assert_eq!(
            accept_key(&Method::GET, &headers).unwrap(),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(
            accept_key(&Method::POST, &headers).unwrap_err().0,
            StatusCode::METHOD_NOT_ALLOWED
        );
        headers.remove(header::UPGRADE);
        assert_eq!(
            accept_key(&Method::GET, &headers).unwrap_err().0,
            StatusCode::UPGRADE_REQUIRED
        );
    }
}
