//! How far one socket has got in its room: the one place that decides what a socket is sent.
//!
//! A room's frames are of two kinds. Messages carry ids that rise strictly per room (the
//! store's order); everything else (a change such as hidden or votes, presence, a notice of the
//! series' work) carries the room's publish count (`Hub::published`), which rises with every
//! event the room publishes. A socket is either *live* (the room's writer writes to it) or
//! *catching up* (its connection's task reads what it lacks from the hub's recent events or the
//! store, then asks to go live again). The invariants, checked by debug assertions:
//!
//! 1. `last`, the highest message id written or queued, never decreases, and a message reaches
//!    the socket only if its id is above `last`: no message is sent twice.
//! 2. While live, the writer writes a message only if its id is `last + 1`; a gap (an earlier
//!    message not yet published here) ends live writing, and the catch-up reads the gap in
//!    order: no message is skipped.
//! 3. `upto`, the publish count up to which every change, presence and notice has been
//!    written or queued, never decreases, and such a frame reaches the socket only if its
//!    count is above `upto`: none is sent twice.
//! 4. While catching up, the writer writes nothing; if it passes over a frame that is not a
//!    message, `missed` is set, and the catch-up sends the changes, presence and notices again
//!    (the latest of each) before the socket goes live.
//! 5. The socket goes live only when nothing was missed and nothing was published since the
//!    catch-up read the publish count (decided under the socket's lock, see
//!    `Socket::go_live`): a frame published after that finds the socket live, one before it
//!    was in what the catch-up read.

use crate::ids::MessageId;

#[derive(Debug, Default)]
pub struct Progress {
    /// The highest message id written or queued (invariant 1).
    last: MessageId,
    /// The room's writer writes to this socket; false while the connection's task catches up.
    live: bool,
    /// The writer passed over a frame other than a message while the socket was not live.
    missed: bool,
    /// Every change, presence and notice published up to this count has been written or
    /// queued (invariant 3).
    upto: u64,
}

/// What the writer does with a message it offers to a live socket.
#[derive(Debug, PartialEq, Eq)]
pub enum ForMessage {
    /// The socket has it already.
    Skip,
    /// The next one: write it.
    Write,
    /// An earlier message is missing here: the socket now catches up.
    Gap,
}

impl Progress {
    /// A socket that starts catching up, with nothing sent.
    pub fn new() -> Progress {
        Progress::default()
    }

    pub fn is_live(&self) -> bool {
        self.live
    }

    pub fn last(&self) -> MessageId {
        self.last
    }

    pub fn upto(&self) -> u64 {
        self.upto
    }

    /// The writer offers message `id` (invariants 1, 2 and 4).
    #[inline]
    pub fn offer_message(&mut self, id: MessageId) -> ForMessage {
        if !self.live {
            return ForMessage::Skip;
        }
        if id <= self.last {
            ForMessage::Skip
        } else if id == self.last.next() {
            self.last = id;
            ForMessage::Write
        } else {
            self.live = false;
            ForMessage::Gap
        }
    }

    /// The writer offers a frame that is not a message, numbered `seq` by the room's publish
    /// count: true when it is to be written (invariants 3 and 4).
    #[inline]
    pub fn offer_other(&mut self, seq: u64) -> bool {
        if !self.live {
            self.missed = true;
            return false;
        }
        if seq <= self.upto {
            return false;
        }
        self.upto = seq;
        true
    }

    /// The socket's queue overflowed: the writer stops here, the connection's task catches up.
    pub fn overflowed(&mut self) {
        self.live = false;
    }

    /// The writer left events out (it was too far behind): catch up on everything. True when
    /// the socket was live until now.
    pub fn fall_behind(&mut self) -> bool {
        if !self.live {
            return false; // catching up already: it reads the room's publish count anew
        }
        self.live = false;
        self.missed = true;
        true
    }

    /// A stored message of the history or the catch-up: true when it is to be queued
    /// (invariant 1).
    pub fn catch_up_message(&mut self, id: MessageId) -> bool {
        debug_assert!(
            !self.live,
            "only a socket that is catching up is sent stored messages"
        );
        if id > self.last {
            self.last = id;
            true
        } else {
            false
        }
    }

    /// The store has been read up to `id` for this socket (sent, hidden from this person, or
    /// the client's already): the writer and the catch-up start after it.
    pub fn read_up_to(&mut self, id: MessageId) {
        self.last = self.last.max(id);
    }

    /// Where the socket starts among the room's publish counts (when it joined the writer).
    pub fn starts_at(&mut self, seq: u64) {
        debug_assert!(
            !self.live && self.upto == 0,
            "a socket starts once, before it is live"
        );
        self.upto = seq;
    }

    /// The catch-up sent everything published up to `seq` again.
    pub fn replayed_up_to(&mut self, seq: u64) {
        self.upto = self.upto.max(seq);
    }

    /// A catch-up begins: the last message id the socket has, and whether frames other than
    /// messages were missed (which the catch-up then sends again; the mark is taken).
    pub fn begin_catch_up(&mut self) -> (MessageId, bool) {
        (self.last, std::mem::take(&mut self.missed))
    }

    /// Go live if nothing was missed and `unchanged()` (nothing was published since the
    /// catch-up read the publish count; asked only when nothing was missed): invariant 5.
    pub fn go_live(&mut self, unchanged: impl FnOnce() -> bool) -> bool {
        if self.missed || !unchanged() {
            return false;
        }
        self.live = true;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_socket_takes_messages_in_order_and_each_once() {
        let mut p = Progress::new();
        p.read_up_to(MessageId(3));
        assert!(p.go_live(|| true));
        assert_eq!(p.offer_message(MessageId(3)), ForMessage::Skip);
        assert_eq!(p.offer_message(MessageId(4)), ForMessage::Write);
        assert_eq!(p.offer_message(MessageId(4)), ForMessage::Skip);
        assert_eq!(p.offer_message(MessageId(6)), ForMessage::Gap);
        assert!(!p.is_live(), "a gap sends the socket to catch up");
        assert_eq!(p.offer_message(MessageId(5)), ForMessage::Skip);
        assert_eq!(p.last(), MessageId(4));
    }

    #[test]
    fn what_the_writer_passes_over_is_sent_again_before_going_live() {
        let mut p = Progress::new();
        p.starts_at(10);
        assert!(!p.offer_other(11), "not live: not written");
        let (last, missed) = p.begin_catch_up();
        assert_eq!((last, missed), (MessageId(0), true));
        p.replayed_up_to(11);
        assert!(p.go_live(|| true));
        assert!(!p.offer_other(11), "sent by the catch-up already");
        assert!(p.offer_other(12));
    }

    #[test]
    fn a_socket_does_not_go_live_while_the_room_moved_on() {
        let mut p = Progress::new();
        assert!(!p.go_live(|| false), "published meanwhile: read again");
        assert!(p.go_live(|| true));
        assert!(p.fall_behind());
        assert!(!p.fall_behind(), "once");
        assert!(!p.go_live(|| true), "missed is set: replay first");
        let _ = p.begin_catch_up();
        assert!(p.go_live(|| true));
    }
}
