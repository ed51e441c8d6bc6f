//! Live rooms: the hub (per-room fan-out and presence), the websocket protocol, access rules.
//!
//! A message is stored before it is broadcast; each message is encoded to JSON once and shared
//! (`Arc<str>`) by every receiver. A receiver that falls behind (`Lagged`) or sees a gap in the
//! ids resynchronises from the database, so nobody silently loses a message.

pub mod access;
pub mod actions;
pub mod bridge;
pub mod hub;
pub mod protocol;
pub mod ws;

pub use hub::Hub;
