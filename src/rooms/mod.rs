//! Live rooms: the hub (per-room fan-out and presence), the websocket protocol, access rules.
//!
//! A message is stored before it is broadcast, and each instance publishes a room's messages in
//! id order; each message is encoded to JSON once and shared (reference-counted bytes) by every
//! receiver. A receiver that falls behind (`Lagged`) or sees a gap in the ids catches up from the
//! hub's recent messages (`recent`) or the database, and is sent the changes (hidden, votes,
//! answered) and presence again, so nobody silently loses a message or a moderation. Priority
//! rounds, themes, decisions and actions are shown live through the same hub (`strategy`).

pub mod access;
pub mod actions;
pub mod bridge;
pub mod hub;
pub mod protocol;
pub mod recent;
pub mod slots;
pub mod socket;
pub mod strategy;
pub mod wire;
pub mod writer;
pub mod ws;

pub use hub::Hub;
