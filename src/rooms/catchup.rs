//! What a room socket is sent from the store and the hub rather than live: the history when
//! it opens, and the catch-up when it is behind (new, or it fell behind), after which the room's
//! writer takes over (`Socket::go_live`).

use std::sync::Arc;

use crate::ids::{MessageId, RoomId};
use crate::store::{Db, rooms};

use super::Hub;
use super::protocol;
use super::socket::Socket;
use super::wire;

/// How many messages a connection without `after` gets first.
const LATEST: i64 = 50;

/// Stored messages are read and sent in pages of this many: a client asking for everything
/// (`after=0`) in a long room gets it all, without the server holding it all at once.
const PAGE: i64 = 200;

/// One socket's feed from the store: false from each step when the socket or the database
/// failed (the connection then ends).
pub struct Feed<'a> {
    pub db: &'a Db,
    pub hub: &'a Arc<Hub>,
    pub socket: &'a Socket,
    pub room: RoomId,
    /// Organisers are sent hidden messages too (marked).
    pub organiser: bool,
}

impl Feed<'_> {
    /// The latest messages (a first connection without `after`). `covered`: the room's last
    /// message id as read before this (at the door): what is newer than the latest up to it is
    /// hidden from this person, and the socket stands there afterwards.
    pub async fn latest(&self, covered: MessageId) -> bool {
        match rooms::history(self.db, self.room, None, LATEST, self.organiser).await {
            Ok(messages) => {
                for m in messages {
                    self.socket
                        .push_message(m.id, wire::text(&protocol::message(&m)));
                }
                self.socket.read_up_to(covered);
                self.socket.drain().await.is_ok()
            }
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room, "room history failed");
                false
            }
        }
    }

    /// Every stored message after `after`, in order, a page at a time. `covered`: the room's last
    /// message id as read before the first page (at the door, for a connection): the socket then
    /// stands at least there (never beyond it, even when the client claims more, so that the
    /// room's next message reaches it). So a client that has seen everything is sent nothing
    /// again, here or by the catch-up after; and no extra query is needed for it (a connect
    /// burst of thousands is thousands of history reads already).
    pub async fn stored(&self, mut after: MessageId, covered: MessageId) -> bool {
        loop {
            metrics::counter!("salon_room_history_reads_total").increment(1);
            let page =
                match rooms::history(self.db, self.room, Some(after), PAGE, self.organiser).await {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::warn!(error = %e, room = %self.room, "room history failed");
                        return false;
                    }
                };
            let full = page.len() as i64 == PAGE;
            for m in page {
                after = after.max(m.id);
                self.socket
                    .push_message(m.id, wire::text(&protocol::message(&m)));
            }
            if self.socket.drain().await.is_err() {
                return false;
            }
            if !full {
                self.socket.read_up_to(covered);
                return true;
            }
        }
    }

    /// The socket is behind (new, or it fell behind): send what the room published meanwhile,
    /// from the hub's recent messages or the database, and the changes, presence and notices
    /// again if the room skipped any; repeat until nothing new was published, then go live.
    pub async fn catch_up(&self) -> bool {
        let hub = self.hub;
        let room = self.room;
        loop {
            if self.socket.drain().await.is_err() {
                return false;
            }
            let seen = hub.published(room);
            let (last, missed) = self.socket.begin_catch_up();
            match hub.messages_after(room, last) {
                Some(kept) => {
                    for (id, json) in kept {
                        self.socket.push_message(id, wire::text(&json));
                    }
                }
                None => {
                    // What the socket has is as far as this read is known to cover.
                    if !Box::pin(self.stored(last, last)).await {
                        return false;
                    }
                }
            }
            if missed {
                let (seq, frames) = hub.replay_since(room, self.socket.upto());
                self.socket
                    .push_replay(seq, frames.iter().map(|json| wire::text(json)));
            }
            if self.socket.drain().await.is_err() {
                return false;
            }
            if self.socket.go_live(seen, || hub.published(room)) {
                return true;
            }
        }
    }
}
