//! A room's writer: one task per live room that encodes each event once and writes it to every
//! socket in the room in a loop (`Socket::offer`: straight to the kernel, never waiting).
//!
//! Before, each connection had its own task, woken through a broadcast channel for every
//! message, that framed the message into its own buffer and wrote it: per delivery a task
//! wake-up, a readiness re-registration and a copy. Now a delivery is one `write(2)` of shared
//! bytes; events that arrive while the writer is busy are taken together and written to each
//! socket with one vectored write. A socket whose kernel buffer is full keeps the rest in its
//! own queue, drained by its own task; one that falls further behind is left to catch up
//! (`rooms::socket`), so no socket holds up the room.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Instant;

use tokio::sync::mpsc;

use super::hub::Event;
use super::socket::{Frame, Offered, Socket};
use super::wire;

/// What a room's writer is sent, in order.
pub enum Out {
    /// An event, numbered by the room's publish count (see `Socket::push_replay`), and when it
    /// was published (the fan-out's latency is measured from there).
    Event { seq: u64, event: Event, at: Instant },
    /// A connection joined; it starts behind (its task sends the history, then goes live).
    Join(Weak<Socket>),
}

/// At most this many events are written together (each socket gets them in one write).
const BATCH: usize = super::socket::MAX_BATCH;

/// How many sockets the writer writes between looks for events that arrived meanwhile.
const LOOK_EVERY: usize = 32;

/// How many sockets the writer writes before it lets other tasks run (a multiple of LOOK_EVERY).
const YIELD_EVERY: usize = 128;

/// Runs until the room is let go (its sender dropped). `queued`: events sent and not yet taken,
/// shared with the hub, which stops queueing past `hub::MAX_QUEUED`; a gap in the publish
/// counts then tells this writer that events were left out, and every socket catches up.
pub async fn run(inbox: mpsc::UnboundedReceiver<Out>, queued: Arc<AtomicUsize>) {
    let mut writer = Writer {
        inbox,
        queued,
        sockets: Vec::new(),
        last_seq: None,
        batch: Vec::with_capacity(BATCH),
        published: Vec::with_capacity(BATCH),
        taken: Vec::with_capacity(BATCH),
        held: None,
    };
    while writer.take().await {
        if !writer.batch.is_empty() {
            writer.write_round().await;
        }
    }
}

/// A room's writer between rounds: its sockets, and the events of the round being written.
struct Writer {
    inbox: mpsc::UnboundedReceiver<Out>,
    queued: Arc<AtomicUsize>,
    sockets: Vec<Weak<Socket>>,
    /// The publish count of the last event taken (None before the first).
    last_seq: Option<u64>,
    /// The round's frames, encoded once.
    batch: Vec<Frame>,
    /// When each event of the batch was published.
    published: Vec<Instant>,
    taken: Vec<Out>,
    /// A join that arrived in the middle of a round: it opens the next one.
    held: Option<Out>,
}

impl Writer {
    /// Wait for what comes next (a held join first) and take up to a batch of it: joins
    /// become sockets, events frames of the round. False when the room is let go.
    async fn take(&mut self) -> bool {
        match self.held.take() {
            Some(join) => {
                self.taken.push(join);
                while self.taken.len() < BATCH {
                    let Ok(out) = self.inbox.try_recv() else {
                        break;
                    };
                    self.taken.push(out);
                }
            }
            None => {
                if self.inbox.recv_many(&mut self.taken, BATCH).await == 0 {
                    return false;
                }
            }
        }
        // Out of `self` while it is read (the vector, and its capacity, go back after).
        let mut taken = std::mem::take(&mut self.taken);
        for out in taken.drain(..) {
            if let Out::Event { seq, .. } = &out {
                self.counted(*seq);
            }
            match out {
                Out::Join(socket) => self.sockets.push(socket),
                // Nobody here (yet): nothing to encode.
                Out::Event { .. } if self.sockets.is_empty() => {}
                Out::Event { seq, event, at } => {
                    self.batch.push(encode(seq, &event));
                    self.published.push(at);
                }
            }
        }
        self.taken = taken;
        true
    }

    /// An event numbered `seq` was taken from the queue: a gap since the last one means the
    /// hub left events out, and every socket catches up.
    fn counted(&mut self, seq: u64) {
        self.queued.fetch_sub(1, Ordering::Relaxed);
        if self.last_seq.is_some_and(|last| seq > last + 1) {
            left_out(&self.sockets);
        }
        self.last_seq = Some(seq);
    }

    /// Write the round's frames to every socket. Events that arrive while the round is under
    /// way join it at once for the sockets still to come (in the same write as the rest: under
    /// load, fewer writes per delivery, and no wait for the next round); the sockets already
    /// written get them just after.
    async fn write_round(&mut self) {
        let mut written = 0u64;
        let mut joined: Option<(usize, usize)> = None;
        let mut i = 0;
        while i < self.sockets.len() {
            if i > 0 && i.is_multiple_of(LOOK_EVERY) {
                if i.is_multiple_of(YIELD_EVERY) {
                    // Let the room's other tasks run (the next post's database replies): the
                    // events they publish can then join this round.
                    tokio::task::yield_now().await;
                }
                if self.held.is_none() {
                    let before = self.batch.len();
                    self.take_arrived();
                    if self.batch.len() > before {
                        // Everything from the first event that joined, for every socket written
                        // before the last look that found some.
                        let from = joined.map_or(before, |(_, from)| from);
                        joined = Some((i, from));
                    }
                }
            }
            i = offer_at(&mut self.sockets, i, &self.batch, &mut written);
        }
        let first = joined.map_or(self.batch.len(), |(_, from)| from);
        fanned_out(&self.published[..first]);
        if let Some((before, from)) = joined {
            // The sockets written before events joined get them now. A socket skips what it
            // already has (message ids, publish counts), so those written between two looks
            // that found events are offered some frames twice, harmlessly.
            let added = &self.batch[from..];
            let mut i = 0;
            while i < before.min(self.sockets.len()) {
                if i.is_multiple_of(YIELD_EVERY) {
                    tokio::task::yield_now().await;
                }
                i = offer_at(&mut self.sockets, i, added, &mut written);
            }
        }
        fanned_out(&self.published[first..]);
        metrics::counter!("salon_room_writes_total").increment(written);
        self.batch.clear();
        self.published.clear();
    }

    /// Add the events waiting in the inbox to the batch (while it has room); a join stops the
    /// taking and is held for the next round, as the events after it must reach the new socket.
    fn take_arrived(&mut self) {
        while self.batch.len() < BATCH {
            match self.inbox.try_recv() {
                Ok(Out::Event { seq, event, at }) => {
                    self.counted(seq);
                    self.batch.push(encode(seq, &event));
                    self.published.push(at);
                }
                Ok(join) => {
                    self.held = Some(join);
                    return;
                }
                Err(_) => return,
            }
        }
    }
}

/// Events were not queued for this writer (it was too far behind): every socket catches up
/// from the hub's recent messages or the database, as one that fell behind does.
fn left_out(sockets: &[Weak<Socket>]) {
    metrics::counter!("salon_room_resyncs_total").increment(sockets.len() as u64);
    for socket in sockets.iter().filter_map(Weak::upgrade) {
        socket.fall_behind();
    }
}

/// These events have been written to every socket that takes them: from each one's publishing
/// to here (its wait behind an earlier round, and the round) is the server's own part of the
/// latency of its slowest delivery (the rest is the network and the reader).
fn fanned_out(published: &[Instant]) {
    let now = Instant::now();
    for at in published {
        metrics::histogram!("salon_room_fanout_duration_seconds")
            .record(now.duration_since(*at).as_secs_f64());
    }
}

/// Offer the frames to socket `i`; the index of the next socket to offer to. A socket that is
/// gone is dropped and the last one (not yet offered to in this pass) takes its place, so
/// those before `i` stay where they are.
fn offer_at(
    sockets: &mut Vec<Weak<Socket>>,
    i: usize,
    frames: &[Frame],
    written: &mut u64,
) -> usize {
    if offer(&sockets[i], frames, written) {
        i + 1
    } else {
        sockets.swap_remove(i);
        i
    }
}

/// Offer the frames to one socket; false when it is gone (the writer drops it).
fn offer(weak: &Weak<Socket>, frames: &[Frame], written: &mut u64) -> bool {
    let Some(socket) = weak.upgrade() else {
        return false;
    };
    match socket.offer(frames) {
        Offered::Written => {
            *written += 1;
            true
        }
        Offered::Nothing => true,
        Offered::WentBehind => {
            metrics::counter!("salon_room_resyncs_total").increment(1);
            true
        }
        Offered::Gone => false,
    }
}

fn encode(seq: u64, event: &Event) -> Frame {
    match event {
        Event::Message { id, json } => Frame::Message {
            id: *id,
            wire: wire::text(json),
        },
        Event::Change { json, .. } | Event::Presence(json) | Event::Notice { json, .. } => {
            Frame::Other {
                seq,
                wire: wire::text(json),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;
    use tokio::net::{TcpListener, TcpStream};

    use super::*;
    use crate::ids::MessageId;

    /// Text frames from the server (unmasked, short) as their payloads.
    fn payloads(mut bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        while bytes.len() >= 2 {
            assert_eq!(bytes[0], 0x81, "a final text frame");
            let len = usize::from(bytes[1]);
            assert!(len < 126, "short frames only in this test");
            out.push(String::from_utf8(bytes[2..2 + len].to_vec()).unwrap());
            bytes = &bytes[2 + len..];
        }
        out
    }

    /// Events arrive while the writer is in the middle of a round (it lets this task run every
    /// YIELD_EVERY sockets, and this task publishes one event each time it runs): they join the
    /// round, and still every socket gets every message once, in order, and none falls behind
    /// (a socket written between two looks that found events must get the later ones too).
    #[tokio::test(flavor = "current_thread")]
    async fn events_joining_a_round_reach_every_socket_once_in_order() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        let mut sockets = Vec::new();
        let mut clients = Vec::new();
        for _ in 0..3 * YIELD_EVERY + 7 {
            let client = TcpStream::connect(addr).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            let socket = Arc::new(Socket::new(server, 1000));
            assert!(socket.go_live(0, || 0));
            tx.send(Out::Join(Arc::downgrade(&socket))).unwrap();
            sockets.push(socket);
            clients.push(client);
        }
        let writer = tokio::spawn(run(rx, Arc::new(AtomicUsize::new(60))));
        let n: i64 = 60;
        for id in 1..=n {
            let json = format!("m{id}");
            let event = Event::Message {
                id: MessageId(id),
                json: json.into(),
            };
            tx.send(Out::Event {
                seq: id as u64,
                event,
                at: Instant::now(),
            })
            .unwrap();
            tokio::task::yield_now().await;
        }
        drop(tx);
        writer.await.unwrap();
        let expected: Vec<String> = (1..=n).map(|id| format!("m{id}")).collect();
        for (socket, client) in sockets.iter().zip(&mut clients) {
            assert!(!socket.is_behind(), "no socket fell behind");
            assert!(!socket.has_queued());
            let mut got = Vec::new();
            while payloads(&got).len() < expected.len() {
                let mut buf = [0u8; 4096];
                let read = client.read(&mut buf).await.unwrap();
                assert!(read > 0);
                got.extend_from_slice(&buf[..read]);
            }
            assert_eq!(payloads(&got), expected);
        }
    }

    /// Events the hub did not queue (the writer was too far behind) leave a gap in the publish
    /// counts: every socket is sent to catch up.
    #[tokio::test(flavor = "current_thread")]
    async fn a_gap_in_the_publish_counts_sends_every_socket_to_catch_up() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let _client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let socket = Arc::new(Socket::new(server, 1000));
        assert!(socket.go_live(0, || 0));
        let (tx, rx) = mpsc::unbounded_channel();
        tx.send(Out::Join(Arc::downgrade(&socket))).unwrap();
        let message = |id: i64| Out::Event {
            seq: id as u64,
            event: Event::Message {
                id: MessageId(id),
                json: format!("m{id}").into(),
            },
            at: Instant::now(),
        };
        tx.send(message(1)).unwrap();
        tx.send(message(2)).unwrap();
        let writer = tokio::spawn(run(rx, Arc::new(AtomicUsize::new(4))));
        tokio::task::yield_now().await;
        assert!(!socket.is_behind());
        // 3 and 4 were not queued.
        tx.send(message(5)).unwrap();
        drop(tx);
        writer.await.unwrap();
        assert!(socket.is_behind(), "sent to catch up");
        assert_eq!(socket.last(), MessageId(2), "and not written past the gap");
    }
}
