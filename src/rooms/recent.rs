//! What a room's connection needs to catch up without the database: the latest messages and
//! the latest change to each earlier message (hidden, votes, answered).
//!
//! A socket the room's writer left behind (its queue overflowed, a gap in the ids, or the
//! writer's own queue was full: `rooms::progress`) has missed messages and may have missed
//! changes, presence and notices, which are not in the database's message history. Its
//! catch-up (`rooms::catchup`) sends the missed messages from here (or from the database when
//! they are older than what is kept) and then the latest change, notice and presence frame
//! published since the socket's publish count. Without
//! this store, a thousand connections falling behind at once meant a thousand identical history
//! queries, which slowed the server further.

use crate::ids::MessageId;
use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// How many of a room's latest messages are kept.
pub const KEEP: usize = 1024;

/// What a change frame changes about a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Hidden,
    Votes,
    Answered,
}

#[derive(Default)]
pub struct Recent {
    /// The latest messages, with consecutive ids (never a hidden one: a hide empties it).
    messages: VecDeque<(MessageId, Utf8Bytes)>,
    /// The latest frame of each kind of change, per message. Each frame kept here carries the
    /// room's publish count when it was published (`seq`), so a catch-up sends only what is
    /// newer than what the connection has.
    changes: BTreeMap<(MessageId, Change), (u64, Utf8Bytes)>,
    presence: Option<(u64, Utf8Bytes)>,
    /// The latest frame about each strategy item (a round, a theme, a decision, an action),
    /// by key: each frame carries the item's whole state, so the latest one is enough.
    notices: BTreeMap<String, (u64, Utf8Bytes)>,
}

impl Recent {
    pub fn message(&mut self, id: MessageId, json: &Utf8Bytes) {
        match self.messages.back() {
            Some((last, _)) if id <= *last => return, // already here (a relayed copy)
            Some((last, _)) if id != last.next() => self.messages.clear(), // a gap: start afresh
            _ => {}
        }
        self.messages.push_back((id, json.clone()));
        if self.messages.len() > KEEP {
            self.messages.pop_front();
        }
    }

    pub fn change(&mut self, seq: u64, id: MessageId, kind: Change, json: &Utf8Bytes) {
        if kind == Change::Hidden {
            // Members must not be sent a hidden message again; the database knows who may.
            self.messages.clear();
        }
        self.changes.insert((id, kind), (seq, json.clone()));
    }

    pub fn presence(&mut self, seq: u64, json: &Utf8Bytes) {
        self.presence = Some((seq, json.clone()));
    }

    pub fn notice(&mut self, seq: u64, key: &str, json: &Utf8Bytes) {
        self.notices.insert(key.to_string(), (seq, json.clone()));
    }

    /// Every message after `after`, in order; None when some of them are no longer kept.
    pub fn messages_after(&self, after: MessageId) -> Option<Vec<(MessageId, Utf8Bytes)>> {
        // Nothing kept answers nothing: whether anything came after `after` only the database knows.
        let (first, _) = self.messages.front()?;
        (*first <= after.next()).then(|| {
            self.messages
                .iter()
                .filter(|(id, _)| *id > after)
                .cloned()
                .collect()
        })
    }

    /// The changes, the strategy notices and the last presence frame published after `since`
    /// (a publish count), in the order they were published: what a connection that fell behind
    /// has not been sent.
    pub fn replay_since(&self, since: u64) -> Vec<Utf8Bytes> {
        let mut newer: Vec<&(u64, Utf8Bytes)> = self
            .changes
            .values()
            .chain(self.notices.values())
            .chain(self.presence.as_ref())
            .filter(|(seq, _)| *seq > since)
            .collect();
        newer.sort_by_key(|(seq, _)| *seq);
        newer.into_iter().map(|(_, json)| json.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(id: i64) -> Utf8Bytes {
        format!("m{id}").into()
    }

    fn ids(v: Option<Vec<(MessageId, Utf8Bytes)>>) -> Option<Vec<i64>> {
        v.map(|v| v.into_iter().map(|(id, _)| id.0).collect())
    }

    #[test]
    fn serves_what_it_kept_and_sends_older_requests_to_the_database() {
        let mut r = Recent::default();
        assert_eq!(ids(r.messages_after(MessageId(0))), None);
        for id in 1..=KEEP as i64 + 10 {
            r.message(MessageId(id), &frame(id));
        }
        assert_eq!(
            ids(r.messages_after(MessageId(KEEP as i64 + 7))),
            Some(vec![KEEP as i64 + 8, KEEP as i64 + 9, KEEP as i64 + 10])
        );
        assert_eq!(
            ids(r.messages_after(MessageId(10))),
            Some((11..=KEEP as i64 + 10).collect())
        );
        assert_eq!(ids(r.messages_after(MessageId(9))), None);
        assert_eq!(
            ids(r.messages_after(MessageId(KEEP as i64 + 10))),
            Some(vec![])
        );
    }

    #[test]
    fn a_gap_or_a_hide_starts_afresh_so_nothing_is_skipped_or_shown_hidden() {
        let mut r = Recent::default();
        r.message(MessageId(1), &frame(1));
        r.message(MessageId(2), &frame(2));
        r.message(MessageId(2), &frame(2));
        r.message(MessageId(4), &frame(4));
        assert_eq!(ids(r.messages_after(MessageId(1))), None);
        assert_eq!(ids(r.messages_after(MessageId(3))), Some(vec![4]));
        r.change(1, MessageId(4), Change::Hidden, &"h4".into());
        assert_eq!(ids(r.messages_after(MessageId(3))), None);
        r.change(2, MessageId(4), Change::Votes, &"v4=1".into());
        r.change(4, MessageId(4), Change::Votes, &"v4=2".into());
        r.presence(3, &"p".into());
        r.notice(5, "round:1", &"opened".into());
        r.notice(6, "round:1", &"closed".into());
        let replay = |since| {
            r.replay_since(since)
                .iter()
                .map(|f| f.as_str().to_string())
                .collect::<Vec<_>>()
        };
        // The latest of each, in the order published; only what is newer than `since`.
        assert_eq!(replay(0), vec!["h4", "p", "v4=2", "closed"]);
        assert_eq!(replay(3), vec!["v4=2", "closed"]);
        assert_eq!(replay(6), Vec::<String>::new());
    }
}
