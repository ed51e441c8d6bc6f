//! One room connection's socket, shared by two writers: the room's writer (`rooms::writer`),
//! which writes the room's frames to every socket in a loop without waiting, and the
//! connection's own task (`rooms::connection`), which reads the client's frames, writes its replies and
//! the stored messages, and waits for a full socket to drain.
//!
//! Both write whole frames under one small lock, straight to the kernel (`try_write`); what the
//! kernel does not take waits in this socket's queue, and only the connection's task waits for
//! the socket to become writable again. A socket that falls further behind than its queue holds
//! (a reader that stopped reading) is no longer written to by the room: it is *behind*, and its
//! task catches up from the hub's recent messages or the database once the socket drains, as
//! a connection that joins does. So a slow reader never holds up the others, and loses nothing.
//!
//! Lock order: a socket's lock is taken before a room's (`go_live` reads the room's publish
//! count under it) and never while a room's lock is held (`Hub::attach` sets where a socket
//! starts after it has let go of the room). The writer holds no room lock while it offers.

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::sync::Mutex;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::sync::Notify;

use super::progress::{ForMessage, Progress};
use crate::ids::MessageId;

/// The most frames one offer takes (the room writer's batch): the frames picked for a socket
/// are gathered on the stack; only a write of several frames at once takes a small vector of
/// slices (`write_now`).
pub const MAX_BATCH: usize = 64;

/// No frame (fills the unused places of the gathering array).
static NONE: Bytes = Bytes::new();

/// One encoded frame as the room writer offers it to each socket.
#[derive(Debug, Clone)]
pub enum Frame {
    /// A stored message: written only in id order.
    Message { id: MessageId, wire: Bytes },
    /// Anything else (a change, presence, a strategy notice): written as it comes, unless the
    /// socket's catch-up already sent it again (`seq`: the room's publish count).
    Other { seq: u64, wire: Bytes },
}

pub struct Socket {
    pub(super) stream: TcpStream,
    state: Mutex<State>,
    /// The connection's task: there is queued output to drain, or the socket fell behind.
    wake: Notify,
    /// Frames the room may queue behind a full socket before it is left to catch up.
    limit: usize,
}

struct State {
    /// Output the kernel has not taken yet, in order; the first may be the tail of a frame.
    queue: VecDeque<Bytes>,
    /// What the socket has been sent, and whether it is live or catching up.
    progress: Progress,
    /// A write failed: the peer is gone.
    broken: bool,
    /// How many frames (or frame tails) have left the queue's front since the socket opened:
    /// with the queue's length, it places a queued frame for good.
    popped: u64,
    /// Where the answer to the client's latest ping waits in the queue (a place as `popped`
    /// counts), so that a client pinging without reading has one pong waiting, not millions.
    pong: Option<u64>,
}

/// What the room writer's offer did.
pub enum Offered {
    /// Written (or queued behind what the kernel has not taken yet).
    Written,
    /// Nothing in the offer was new to this socket (or it is behind).
    Nothing,
    /// The socket went behind just now (its queue overflowed, or a message id was skipped).
    WentBehind,
    Gone,
}

impl Socket {
    /// A socket that starts behind: its task sends the history first, then lets the room in.
    pub fn new(stream: TcpStream, limit: usize) -> Socket {
        Socket {
            stream,
            state: Mutex::new(State {
                queue: VecDeque::new(),
                progress: Progress::new(),
                broken: false,
                popped: 0,
                pong: None,
            }),
            wake: Notify::new(),
            limit: limit.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The room writer's turn: the frames of `batch` (at most [`MAX_BATCH`]; more are not
    /// looked at) this socket should get, written now. Never waits.
    pub fn offer(&self, batch: &[Frame]) -> Offered {
        let mut s = self.lock();
        if s.broken {
            return Offered::Gone;
        }
        let was_live = s.progress.is_live();
        let mut gathered = [&NONE; MAX_BATCH];
        let mut n = 0;
        let mut pick = |wire| {
            gathered[n] = wire;
            n += 1;
        };
        for frame in batch.iter().take(MAX_BATCH) {
            match frame {
                // A gap (an earlier message was published after this one, by another
                // instance) sends the socket to catch up: it reads them in order.
                Frame::Message { id, wire } => {
                    if s.progress.offer_message(*id) == ForMessage::Write {
                        pick(wire);
                    }
                }
                Frame::Other { seq, wire } => {
                    if s.progress.offer_other(*seq) {
                        pick(wire);
                    }
                }
            }
        }
        let picked = &gathered[..n];
        if !picked.is_empty() {
            if s.queue.is_empty() {
                match write_now(&self.stream, picked) {
                    Ok(written) => queue_rest(&mut s.queue, picked, written),
                    Err(_) => {
                        s.broken = true;
                        self.wake.notify_one();
                        return Offered::Gone;
                    }
                }
            } else {
                s.queue.extend(picked.iter().map(|b| (*b).clone()));
            }
            if !s.queue.is_empty() {
                if s.queue.len() > self.limit {
                    // Falling further behind than the queue holds: stop here and catch up later.
                    s.progress.overflowed();
                }
                self.wake.notify_one();
            }
        }
        if was_live && !s.progress.is_live() {
            self.wake.notify_one();
            return Offered::WentBehind;
        }
        if n == 0 {
            Offered::Nothing
        } else {
            Offered::Written
        }
    }

    /// Queue frames of the connection's own (replies, history); [`Socket::drain`] writes them.
    pub fn push(&self, frames: impl IntoIterator<Item = Bytes>) {
        self.lock().queue.extend(frames);
    }

    /// Queue frames and wait until the kernel has taken everything queued.
    pub async fn send(&self, frames: impl IntoIterator<Item = Bytes>) -> io::Result<()> {
        self.push(frames);
        self.drain().await
    }

    /// Write what is queued, waiting for the socket when it is full.
    pub async fn drain(&self) -> io::Result<()> {
        loop {
            if self.write_queued()? {
                return Ok(());
            }
            self.stream.writable().await?;
        }
    }

    /// Write what the kernel takes now; true when the queue is empty.
    pub fn write_queued(&self) -> io::Result<bool> {
        let mut s = self.lock();
        if s.broken {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        while !s.queue.is_empty() {
            let written = {
                let slices: Vec<IoSlice<'_>> =
                    s.queue.iter().take(64).map(|b| IoSlice::new(b)).collect();
                self.stream.try_write_vectored(&slices)
            };
            match written {
                Ok(0) => {
                    s.broken = true;
                    return Err(io::ErrorKind::WriteZero.into());
                }
                Ok(mut n) => {
                    while n > 0 {
                        let Some(front) = s.queue.front_mut() else {
                            break;
                        };
                        if n >= front.len() {
                            n -= front.len();
                            s.queue.pop_front();
                            s.popped += 1;
                        } else {
                            let rest = front.slice(n..);
                            *front = rest;
                            n = 0;
                        }
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) => {
                    s.broken = true;
                    return Err(e);
                }
            }
        }
        Ok(true)
    }

    /// Queue the answer to a ping. While an earlier pong still waits untouched in the queue, the
    /// new one takes its place (RFC 6455 5.5.3: answering only the latest ping is allowed); one
    /// already being written stands, and the new one is not needed.
    pub fn push_pong(&self, pong: Bytes) {
        let mut s = self.lock();
        let end = s.popped + s.queue.len() as u64;
        if let Some(at) = s.pong
            && at >= s.popped
            && at < end
        {
            if at > s.popped {
                // Not at the front, so not one byte of it written yet.
                let i = (at - s.popped) as usize;
                s.queue[i] = pong;
            }
            return;
        }
        s.pong = Some(end);
        s.queue.push_back(pong);
    }

    pub fn has_queued(&self) -> bool {
        !self.lock().queue.is_empty()
    }

    /// More waits than the room may queue: read no more of the client's frames until it drains.
    pub fn backlogged(&self) -> bool {
        self.lock().queue.len() > self.limit
    }

    pub async fn writable(&self) -> io::Result<()> {
        self.stream.writable().await
    }

    pub async fn readable(&self) -> io::Result<()> {
        self.stream.readable().await
    }

    /// Woken by the room writer: output queued behind a full socket, or the socket fell behind.
    pub async fn woken(&self) {
        self.wake.notified().await
    }

    /// The room no longer writes here: the connection's task must catch up.
    pub fn is_behind(&self) -> bool {
        !self.lock().progress.is_live()
    }

    /// The highest message id written or queued to this socket.
    pub fn last(&self) -> MessageId {
        self.lock().progress.last()
    }

    /// A catch-up begins: the highest message id this socket has, and whether frames other
    /// than messages were skipped meanwhile (the mark is taken: the catch-up sends them).
    pub fn begin_catch_up(&self) -> (MessageId, bool) {
        self.lock().progress.begin_catch_up()
    }

    /// Set where this socket starts (the room's publish count when it joined).
    pub fn starts_at(&self, seq: u64) {
        self.lock().progress.starts_at(seq);
    }

    /// What the socket has of the room's changes, presence and notices (a publish count).
    pub fn upto(&self) -> u64 {
        self.lock().progress.upto()
    }

    /// Queue the catch-up's changes, presence and notices: everything published up to `seq`.
    pub fn push_replay(&self, seq: u64, frames: impl IntoIterator<Item = Bytes>) {
        let mut s = self.lock();
        s.progress.replayed_up_to(seq);
        s.queue.extend(frames);
    }

    /// Queue one message frame of the catch-up (the socket is behind: the room does not write).
    pub fn push_message(&self, id: MessageId, wire: Bytes) {
        let mut s = self.lock();
        if s.progress.catch_up_message(id) {
            s.queue.push_back(wire);
        }
    }

    /// The room's writer left events out for this room (it was too far behind): stop writing
    /// here and let the connection's task catch up, messages and the rest alike.
    pub fn fall_behind(&self) {
        if self.lock().progress.fall_behind() {
            self.wake.notify_one();
        }
    }

    /// The store has been read up to `id` for this socket: everything up to it was sent, is
    /// hidden from this person, or was already the client's (`after=`). The room writer and the
    /// catch-up then start after it, not at the room's first message.
    pub fn read_up_to(&self, id: MessageId) {
        self.lock().progress.read_up_to(id);
    }

    /// Let the room write again if nothing was published since `seen` (read with
    /// `published()`), decided under this socket's lock so that no frame falls between: a
    /// frame published after the check finds the socket live; one before it was in what the
    /// catch-up read. False: read again.
    pub fn go_live(&self, seen: u64, published: impl FnOnce() -> u64) -> bool {
        self.lock().progress.go_live(|| published() == seen)
    }
}

/// One write of the picked frames; how many bytes the kernel took (0 when full).
fn write_now(stream: &TcpStream, picked: &[&Bytes]) -> io::Result<usize> {
    let result = match picked {
        [one] => stream.try_write(one),
        many => {
            let slices: Vec<IoSlice<'_>> = many.iter().map(|b| IoSlice::new(b)).collect();
            stream.try_write_vectored(&slices)
        }
    };
    match result {
        Ok(0) if !picked.iter().all(|b| b.is_empty()) => Err(io::ErrorKind::WriteZero.into()),
        Ok(n) => Ok(n),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
        Err(e) => Err(e),
    }
}

/// Queue what the kernel did not take of `picked` after `written` bytes.
fn queue_rest(queue: &mut VecDeque<Bytes>, picked: &[&Bytes], mut written: usize) {
    for frame in picked {
        if written >= frame.len() {
            written -= frame.len();
        } else {
            queue.push_back(frame.slice(written..));
            written = 0;
        }
    }
}
