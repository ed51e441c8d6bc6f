//! Plain types and rules with no I/O: validated newtypes, roles, tokens, time, and the checks
//! every piece of user text passes at the edge (`text`, `person`).
//! Nothing here imports axum or sqlx, so every rule can be tested on its own.

pub mod agenda;
pub mod attendance;
pub mod audit;
pub mod email;
pub mod glossary;
pub mod group;
pub mod landscape;
pub mod material;
pub mod outcome;
pub mod person;
pub mod poll;
pub mod proposal;
pub mod role;
pub mod round;
pub mod rsvp;
pub mod salon;
pub mod search;
pub mod summary;
pub mod text;
pub mod theme;
pub mod time;
pub mod time_poll;
pub mod token;

pub use email::Email;
pub use role::Role;
