//! Live rooms: the hub (per-room events and presence), the room writer, the websocket protocol,
//! access rules.
//!
//! A message is stored before it is published, and each instance publishes a room's messages in
//! id order. Each live room has one writer (`writer`) that encodes every frame once (`wire`)
//! and writes it to each socket (`socket`) straight to the kernel, never waiting; a socket that
//! falls behind (its queue full, or a gap in the ids) is left to its connection's task (`ws`),
//! which catches up (`catchup`) from the hub's recent messages (`recent`) or the database and sends the
//! changes (hidden, votes, answered), presence and notices again, so nobody silently loses a
//! message or a moderation, and nobody waits for a slow reader. Messages relayed from another
//! instance are put back in id order first (`order`). Priority rounds, themes,
//! decisions and actions are shown live through the same hub (`notices`).

pub mod access;

pub mod bridge;
pub mod catchup;
pub mod connection;
pub mod hub;
pub mod notices;
pub mod order;
pub mod progress;
pub mod protocol;
pub mod recent;
pub mod slots;
pub mod socket;
pub mod wire;
pub mod writer;

pub use hub::Hub;
