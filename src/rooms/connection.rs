//! One open room connection: hello, the history, the catch-up, then live frames, until the
//! client or the server goes. The door (`web::room::socket`) checks the upgrade (Origin,
//! session, rights, a free slot) and hands over the TCP stream with plain values: who it is,
//! which room, and a [`Client`] that answers the client's frames (what a frame *does* is the
//! use cases' business, not the rooms').
//!
//! Rights can change while the socket is open, so every frame the client sends counts against
//! the person's rate limit and is checked against the rights as they are now (the client's
//! `handle`), and so is an idle socket once a minute (`recheck_idle`); when they are gone the
//! socket is told why and closed.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{
    self, Utf8Bytes, protocol::Role, protocol::WebSocketConfig, protocol::frame::coding::CloseCode,
};
use tokio_util::sync::CancellationToken;

use super::Hub;
use super::access::Denied;
use super::catchup::Feed;
use super::protocol::{self, Person};
use super::socket::Socket;
use super::wire::{self, Wire};
use crate::ids::{MessageId, RoomId};
use crate::store::Db;

/// How long a socket is given to take its close frame when the server stops.
const CLOSE_WITHIN: Duration = Duration::from_secs(2);

/// What answers a connection's client: its frames, its rate limit, its rights.
pub trait Client: Send {
    /// The reply to one text frame (errors, a ballot's receipt). `delivered`: the highest
    /// message id the client has been sent.
    fn handle(&mut self, text: &str, delivered: MessageId) -> impl Future<Output = Reply> + Send;

    /// May the client send one more frame now (pings, pongs and binary frames count too)?
    fn within_limit(&self) -> bool;

    /// On an idle socket, now and then: are the rights still there? `Err` closes the socket.
    fn recheck_idle(&mut self) -> impl Future<Output = Result<(), Denied>> + Send;

    /// An error frame in the person's language (`room.error.<code>`).
    fn error_frame(&self, code: &str) -> Utf8Bytes;
}

/// What to send back to the client after one of its frames, and whether to close.
#[derive(Default)]
pub struct Reply {
    pub frames: Vec<Utf8Bytes>,
    pub close: Option<Denied>,
}

impl Reply {
    pub fn frame(frame: Utf8Bytes) -> Reply {
        Reply {
            frames: vec![frame],
            close: None,
        }
    }
}

/// Where a connection stands, in plain values: the room as read at the door, who it is, and
/// what the running server lends it.
pub struct Opened {
    pub room: RoomId,
    /// The room's last message id when the door read it: every message up to it was
    /// committed then.
    pub covered: MessageId,
    /// Organisers are sent hidden messages too (marked).
    pub organiser: bool,
    pub me: Person,
    /// `after=` of the request: the client has every message up to it.
    pub after: Option<MessageId>,
    pub db: Db,
    pub hub: Arc<Hub>,
    /// Frames the room may queue behind a full socket before it is left to catch up.
    pub buffer: usize,
    /// Cancelled when the server stops.
    pub shutdown: CancellationToken,
}

/// The client's frames, read by tungstenite from what came past the handshake, then the socket.
fn client_frames(socket: &Arc<Socket>, early: Bytes) -> tungstenite::WebSocket<Wire> {
    let wire = Wire {
        socket: socket.clone(),
        early,
    };
    tungstenite::WebSocket::from_raw_socket(wire, Role::Server, Some(read_config()))
}

/// Client frames are short: a message is at most a few kilobytes of text.
fn read_config() -> WebSocketConfig {
    // Small buffers: tungstenite's defaults (128 KiB each way) would cost a quarter of a
    // megabyte per person; the read buffer is also allocated up front. It writes only pongs
    // and the answer to a close (to the socket's queue, at once).
    WebSocketConfig::default()
        .read_buffer_size(1024)
        .write_buffer_size(0)
        .max_message_size(Some(16 * 1024))
        .max_frame_size(Some(16 * 1024))
}

/// Serve one connection until it closes. `early`: what the client sent past the handshake.
pub async fn run(stream: TcpStream, early: Bytes, opened: Opened, client: impl Client) {
    let hub = opened.hub.clone();
    let room_id = opened.room;
    let me = opened.me.clone();
    let socket = Arc::new(Socket::new(stream, opened.buffer));
    let mut frames = client_frames(&socket, early);
    // Into the room's writer first (it leaves the socket alone until it goes live), so nothing
    // published falls between the history read and the live frames.
    hub.attach(room_id, &socket);
    let online = hub.join(room_id, me.clone());
    metrics::gauge!("salon_room_connections").increment(1.0);
    let mut live = Live {
        opened,
        client,
        socket: socket.clone(),
    };
    let mut ok = live.send_first(&online).await;
    let mut ping = tokio::time::interval(Duration::from_secs(25));
    ping.tick().await;
    // Made once: a fresh `cancelled()` per turn of the loop would lock the token's shared
    // waiter list twice per turn.
    let stopping = live.opened.shutdown.clone();
    let shutdown = stopping.cancelled();
    tokio::pin!(shutdown);
    let paused = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(paused);
    let mut pausing = false;
    while ok {
        let queued = socket.has_queued();
        // A client that sends without reading would make its own replies pile up here: its
        // frames wait (in the kernel) until the socket has drained.
        let backlogged = socket.backlogged();
        tokio::select! {
            ready = socket.readable(), if !backlogged && !pausing => {
                if ready.is_err() {
                    break;
                }
                match Box::pin(live.read_frames(&mut frames)).await {
                    Read::More => {}
                    Read::Paused => {
                        paused.as_mut().reset(tokio::time::Instant::now() + PAUSE);
                        pausing = true;
                    }
                    Read::Closed => {
                        let _ = socket.drain().await;
                        break;
                    }
                }
            }
            _ = &mut paused, if pausing => {
                pausing = false;
            }
            ready = socket.writable(), if queued => {
                ok = ready.is_ok() && socket.write_queued().is_ok();
            }
            _ = socket.woken() => {
                if socket.is_behind() {
                    ok = Box::pin(live.feed().catch_up()).await;
                }
            }
            _ = ping.tick() => {
                ok = Box::pin(live.keep_alive()).await;
            }
            _ = &mut shutdown => {
                // A client that reads nothing does not hold up the stop.
                let _ = tokio::time::timeout(CLOSE_WITHIN, say_goodbye(&socket, &mut frames)).await;
                break;
            }
        }
    }
    hub.leave(room_id, me.id);
    metrics::gauge!("salon_room_connections").decrement(1.0);
}

/// The server is stopping: send close 1001 ("going away"), then read and drop what the client
/// still sends until its own close frame (the close handshake). Closing the socket with the
/// client's frames unread would make the kernel reset the connection, and a reset can reach
/// the client before our close frame and destroy it.
async fn say_goodbye(
    socket: &Socket,
    frames: &mut tungstenite::WebSocket<Wire>,
) -> std::io::Result<()> {
    socket.send([wire::close(CloseCode::Away, "")]).await?;
    loop {
        match frames.read() {
            Ok(tungstenite::Message::Close(_)) => return Ok(()),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                socket.readable().await?
            }
            Err(_) => return Ok(()),
        }
    }
}

/// What reading the client's frames came to.
enum Read {
    More,
    /// Over the rate limit: read nothing more for a while ([`PAUSE`]).
    Paused,
    Closed,
}

/// How long a socket over its rate limit is not read from (a frame over the limit that is not
/// a message has no answer to carry the refusal).
const PAUSE: Duration = Duration::from_millis(250);

/// A connection, its client's answers and its socket, once the socket is open.
struct Live<C> {
    opened: Opened,
    client: C,
    socket: Arc<Socket>,
}

impl<C: Client> Live<C> {
    /// Hello, the history (after `after=`, or the latest), and the catch-up to what the room
    /// published meanwhile; false when the socket or the database failed.
    async fn send_first(&self, online: &super::hub::Online) -> bool {
        let o = &self.opened;
        let hello = wire::text(&protocol::hello(o.room, &o.me, online));
        if self.socket.send([hello]).await.is_err() {
            return false;
        }
        let sent = match o.after {
            Some(after) => Box::pin(self.feed().stored(after, o.covered)).await,
            None => Box::pin(self.feed().latest(o.covered)).await,
        };
        sent && Box::pin(self.feed().catch_up()).await
    }

    /// Every 25 seconds: the rights of an idle socket checked again (gone: told why, and
    /// closed), and a ping. False when the connection ends.
    async fn keep_alive(&mut self) -> bool {
        if let Err(denied) = Box::pin(self.client.recheck_idle()).await {
            let frame = self.client.error_frame(denied.code());
            let close = wire::close(CloseCode::Policy, denied.code());
            let _ = self.socket.send([wire::text(&frame), close]).await;
            return false;
        }
        self.socket.push([wire::ping()]);
        self.socket.write_queued().is_ok()
    }

    /// Every frame the client has sent so far, each answered; then what tungstenite answers
    /// itself (pongs) is written too.
    async fn read_frames(&mut self, frames: &mut tungstenite::WebSocket<Wire>) -> Read {
        loop {
            // A client that never stops sending would keep this loop from the stop signal.
            if self.opened.shutdown.is_cancelled() {
                break;
            }
            match frames.read() {
                Ok(tungstenite::Message::Text(text)) => {
                    // Boxed, like every database call here: an async fn's state is as large as
                    // its largest await, and sqlx's futures are kilobytes; kept inline, they
                    // would make every idle connection's task that large.
                    let reply =
                        Box::pin(self.client.handle(text.as_str(), self.socket.last())).await;
                    self.socket.push(reply.frames.iter().map(|f| wire::text(f)));
                    if let Some(denied) = reply.close {
                        self.socket
                            .push([wire::close(CloseCode::Policy, denied.code())]);
                        return Read::Closed;
                    }
                    if self.socket.backlogged() {
                        // The rest waits until the socket drains (the socket stays readable:
                        // what is unread has not been asked for yet).
                        break;
                    }
                }
                Ok(tungstenite::Message::Close(_)) => {
                    // tungstenite queued its answer; writing it is the caller's drain.
                    let _ = frames.flush();
                    return Read::Closed;
                }
                Ok(_) => {
                    // Pings (tungstenite queues the pong; one waits at most, `Socket::push_pong`),
                    // pongs and binary frames count against the person's limit like a message:
                    // past it, the rest waits in the kernel (and the client's own buffers).
                    if !self.client.within_limit() {
                        let _ = frames.flush();
                        return if self.socket.write_queued().is_err() {
                            Read::Closed
                        } else {
                            Read::Paused
                        };
                    }
                    if self.socket.backlogged() {
                        break;
                    }
                }
                Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    break;
                }
                Err(_) => return Read::Closed, // gone, or not speaking the protocol
            }
        }
        let _ = frames.flush();
        if self.socket.write_queued().is_err() {
            return Read::Closed;
        }
        Read::More
    }

    fn feed(&self) -> Feed<'_> {
        Feed {
            db: &self.opened.db,
            hub: &self.opened.hub,
            socket: &self.socket,
            room: self.opened.room,
            organiser: self.opened.organiser,
        }
    }
}
