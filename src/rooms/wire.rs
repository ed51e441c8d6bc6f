//! The websocket's bytes on the wire, for the server side: the opening handshake's answer and
//! frames encoded once.
//!
//! A server's frames are not masked (RFC 6455 §5.1), so one encoded frame is the same bytes for
//! every connection: the room writer encodes each event once and writes the same buffer to every
//! socket. tungstenite formats the frame header; reading the client's (masked) frames is left to
//! tungstenite's `WebSocket` in `rooms::socket`.

use axum::http::{HeaderMap, Method, StatusCode, header};
use bytes::Bytes;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{CloseFrame, Frame, FrameHeader};

/// Why a request cannot be upgraded: the status to answer with, and a short reason.
pub type Refusal = (StatusCode, &'static str);

/// The `Sec-WebSocket-Accept` value for a valid websocket opening request.
pub fn accept_key(method: &Method, headers: &HeaderMap) -> Result<String, Refusal> {
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

/// A text frame carrying `json`, as one buffer.
pub fn text(json: &str) -> Bytes {
    frame(OpCode::Data(Data::Text), json.as_bytes())
}

/// A ping (the connection's keep-alive; browsers answer with a pong).
pub fn ping() -> Bytes {
    frame(
        OpCode::Control(tokio_tungstenite::tungstenite::protocol::frame::coding::Control::Ping),
        &[],
    )
}

/// A close frame: `code` and a short reason (policy: the rights are gone; normal: shutdown).
pub fn close(code: CloseCode, reason: &'static str) -> Bytes {
    let mut out = Vec::with_capacity(4 + reason.len());
    // Frame::close formats the code and reason the way the RFC asks; writing to a Vec cannot fail.
    let _ = Frame::close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
    .format(&mut out);
    Bytes::from(out)
}

fn frame(opcode: OpCode, payload: &[u8]) -> Bytes {
    let header = FrameHeader {
        opcode,
        ..FrameHeader::default()
    };
    let mut out = Vec::with_capacity(header.len(payload.len() as u64) + payload.len());
    // Into a Vec: the only error `format` has is the writer's, and a Vec's never fails.
    let _ = header.format(payload.len() as u64, &mut out);
    out.extend_from_slice(payload);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_have_the_lengths_the_rfc_gives() {
        assert_eq!(&text("hi")[..], b"\x81\x02hi");
        let medium = text(&"a".repeat(300));
        assert_eq!(&medium[..4], &[0x81, 126, 0x01, 0x2c]);
        assert_eq!(medium.len(), 4 + 300);
        let long = text(&"a".repeat(70_000));
        assert_eq!(long[1], 127);
        assert_eq!(long.len(), 10 + 70_000);
        assert_eq!(&ping()[..], &[0x89, 0]);
        assert_eq!(
            &close(CloseCode::Policy, "gone")[..],
            b"\x88\x06\x03\xf0gone"
        );
    }

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
