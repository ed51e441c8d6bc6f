//! The websocket's bytes on the wire, for the server side: frames encoded once, and the byte
//! stream tungstenite reads the client's frames from ([`Wire`]); the opening handshake is the
//! door's (`web::room::socket`).
//!
//! A server's frames are not masked (RFC 6455 §5.1), so one encoded frame is the same bytes for
//! every connection: the room writer encodes each event once and writes the same buffer to every
//! socket. tungstenite formats the frame header; reading the client's (masked) frames is left to
//! tungstenite's `WebSocket` in `rooms::socket`.

use std::io::{self, Read, Write};

use bytes::Bytes;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{CloseFrame, Frame, FrameHeader};

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

/// The opcode of a pong frame (RFC 6455 5.5.3), in the low bits of a frame's first byte.
const OPCODE_PONG: u8 = 0xA;

/// The byte stream tungstenite reads the client's frames from: the bytes hyper read past the
/// handshake first, then the socket, without waiting (`WouldBlock` when nothing is there; the
/// task waits for readability). What tungstenite writes (pongs, the answer to a close) goes to
/// the socket's queue, behind whole frames.
pub struct Wire {
    pub socket: std::sync::Arc<super::socket::Socket>,
    pub early: Bytes,
}

impl Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.early.is_empty() {
            let n = buf.len().min(self.early.len());
            buf[..n].copy_from_slice(&self.early[..n]);
            self.early = self.early.slice(n..);
            return Ok(n);
        }
        self.socket.stream.try_read(buf)
    }
}

impl Write for Wire {
    /// tungstenite writes one whole frame per call (its write buffer is 0, `ws::read_config`).
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let frame = Bytes::copy_from_slice(buf);
        if buf.first().is_some_and(|b| b & 0x0F == OPCODE_PONG) {
            self.socket.push_pong(frame);
        } else {
            self.socket.push([frame]);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
}
