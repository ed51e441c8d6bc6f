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

use std::sync::Weak;

use tokio::sync::mpsc;

use super::hub::Event;
use super::socket::{Frame, Offered, Socket};
use super::wire;

/// What a room's writer is sent, in order.
pub enum Out {
    /// An event, numbered by the room's publish count (see `Socket::push_replay`).
    Event(u64, Event),
    /// A connection joined; it starts behind (its task sends the history, then goes live).
    Join(Weak<Socket>),
}

/// At most this many events are written together (each socket gets them in one write).
const BATCH: usize = super::socket::MAX_BATCH;

pub async fn run(mut inbox: mpsc::UnboundedReceiver<Out>) {
    let mut sockets: Vec<Weak<Socket>> = Vec::new();
    let mut batch: Vec<Frame> = Vec::with_capacity(BATCH);
    let mut taken: Vec<Out> = Vec::with_capacity(BATCH);
    while inbox.recv_many(&mut taken, BATCH).await > 0 {
        for out in taken.drain(..) {
            match out {
                Out::Join(socket) => sockets.push(socket),
                // Nobody here (yet): nothing to encode.
                Out::Event(..) if sockets.is_empty() => {}
                Out::Event(seq, event) => batch.push(encode(seq, &event)),
            }
        }
        if batch.is_empty() {
            continue;
        }
        // From taking the batch to the last socket written: the server's own part of every
        // delivery's latency (the rest is the network and the reader).
        let started = std::time::Instant::now();
        let mut written = 0u64;
        sockets.retain(|weak| {
            let Some(socket) = weak.upgrade() else { return false };
            match socket.offer(&batch) {
                Offered::Written => {
                    written += 1;
                    true
                }
                Offered::WentBehind => {
                    metrics::counter!("salon_room_resyncs_total").increment(1);
                    true
                }
                Offered::Gone => false,
            }
        });
        metrics::counter!("salon_room_writes_total").increment(written);
        metrics::histogram!("salon_room_fanout_duration_seconds").record(started.elapsed().as_secs_f64());
        batch.clear();
    }
}

fn encode(seq: u64, event: &Event) -> Frame {
    match event {
        Event::Message { id, json } => Frame::Message { id: *id, wire: wire::text(json) },
        Event::Change { json, .. } | Event::Presence(json) | Event::Notice { json, .. } => Frame::Other { seq, wire: wire::text(json) },
    }
}
