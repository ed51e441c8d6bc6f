//! A room's messages go out in id order, also when they come from several instances.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::ids::MessageId;

/// How long a message waits for an earlier one still on its way from another instance before
/// it goes out anyway.
pub const HOLD: Duration = Duration::from_millis(500);

/// Messages go out in id order, also across instances. A message posted here can be
/// published before an earlier one posted on another instance has been relayed here (its
/// NOTIFY, then its read from the database, take a few milliseconds). Sent on at once, every
/// connection in the room would see a gap and read the missing message from the database: a
/// thousand reads per message, which made PostgreSQL the limit with two instances. So such a
/// message is held here until the earlier one arrives, and then both go out in order; if it
/// does not come within [`HOLD`] (a notification lost while the listener reconnected) the held
/// messages go out anyway and the connections fill the gap from the database, as before.
#[derive(Default)]
pub struct Order {
    /// The highest id published with every earlier one published too (None: none seen yet).
    upto: Option<MessageId>,
    held: BTreeMap<MessageId, Utf8Bytes>,
    /// Counts holds, so a timer releases only the hold it was started for.
    hold: u64,
}

impl Order {
    /// The messages that may go out now, in order, and the hold to time out if this one
    /// started one.
    pub fn accept(
        &mut self,
        id: MessageId,
        json: Utf8Bytes,
    ) -> (Vec<(MessageId, Utf8Bytes)>, Option<u64>) {
        let upto = match self.upto {
            // The first message seen, or an old one again: connections skip what they have.
            None => id,
            Some(upto) if id <= upto => return (vec![(id, json)], None),
            Some(upto) if id == upto.next() => id,
            Some(_) => {
                let starts = self.held.is_empty();
                self.held.insert(id, json);
                if starts {
                    self.hold += 1;
                    return (Vec::new(), Some(self.hold));
                }
                return (Vec::new(), None);
            }
        };
        let mut ready = vec![(id, json)];
        let mut upto = upto;
        while let Some(next) = self.held.remove(&upto.next()) {
            upto = upto.next();
            ready.push((upto, next));
        }
        self.upto = Some(upto);
        (ready, None)
    }

    /// Nothing is held (a room with nothing held may be let go).
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// The hold timed out: everything held goes out, in order, gaps and all.
    pub fn release(&mut self, hold: u64) -> Vec<(MessageId, Utf8Bytes)> {
        if hold != self.hold {
            return Vec::new();
        }
        let held: Vec<_> = std::mem::take(&mut self.held).into_iter().collect();
        if let Some((last, _)) = held.last() {
            self.upto = Some(*last);
        }
        held
    }
}
