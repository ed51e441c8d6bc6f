//! The websocket protocol (DESIGN.md): JSON text frames.
//!
//! Server: `hello`, `message`, `presence`, `error`, and for live updates `hide`, `votes`,
//! `answered`; the strategy frames (rounds, themes, decisions, actions) are in `strategy`.
//! Client: `send` (the same client_id twice is one message), `vote`, `ballot` (a priority
//! round's points), and for organisers `hide` and `answer`.

use std::collections::HashMap;

use crate::ids::{MessageId, PersonId, RoomId, RoundId};
use serde::{Deserialize, Serialize};

use super::hub::Online;
use crate::store::rooms::Message;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub org: Option<String>,
}

#[derive(Serialize)]
struct MessageFrame<'a> {
    r#type: &'static str,
    id: MessageId,
    client_id: &'a str,
    author: Person,
    body: &'a str,
    at: String,
    question: bool,
    votes: i64,
    answered: bool,
    hidden: bool,
}

/// A message frame, encoded once.
pub fn message(m: &Message) -> String {
    let frame = MessageFrame {
        r#type: "message",
        id: m.id,
        client_id: &m.client_id,
        author: Person {
            id: m.author_id.unwrap_or_default(),
            name: m.author_name.clone().unwrap_or_default(),
            org: m.author_org.clone(),
        },
        body: &m.body,
        at: m.created_at.to_rfc3339(),
        question: m.is_question,
        votes: m.votes,
        answered: m.answered,
        hidden: m.hidden,
    };
    serde_json::to_string(&frame).unwrap_or_default()
}

/// `online` names at most [`PRESENCE_NAMES`](super::hub::PRESENCE_NAMES) people (by name);
/// `count` is how many are in the room.
pub fn hello(room: RoomId, me: &Person, online: &Online) -> String {
    serde_json::json!({"type": "hello", "room": room, "me": me, "online": online.people, "count": online.count}).to_string()
}

pub fn presence(online: &Online) -> String {
    serde_json::json!({"type": "presence", "online": online.people, "count": online.count})
        .to_string()
}

pub fn error(code: &str, message: &str) -> String {
    serde_json::json!({"type": "error", "code": code, "message": message}).to_string()
}

/// A refused ballot: the error frame, naming the round it was for.
pub fn round_error(round: RoundId, code: &str, message: &str) -> String {
    serde_json::json!({"type": "error", "code": code, "message": message, "round": round})
        .to_string()
}

pub fn hide(id: MessageId) -> String {
    serde_json::json!({"type": "hide", "id": id}).to_string()
}

pub fn votes(id: MessageId, votes: i64) -> String {
    serde_json::json!({"type": "votes", "id": id, "votes": votes}).to_string()
}

pub fn answered(id: MessageId) -> String {
    serde_json::json!({"type": "answered", "id": id}).to_string()
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ClientFrame {
    Send {
        body: String,
        client_id: String,
        #[serde(default)]
        question: bool,
    },
    Vote {
        id: MessageId,
    },
    Hide {
        id: MessageId,
    },
    Answer {
        id: MessageId,
    },
    /// Points per option (`{"OPTION_ID": N}`); replaces the person's earlier ballot.
    Ballot {
        round: RoundId,
        #[serde(default)]
        points: HashMap<String, serde_json::Value>,
    },
}
