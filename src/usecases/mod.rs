//! Use cases: each is one function that owns its transaction and the mail it queues, called
//! from every place that does it (pages, answer links, the demo). Handlers parse, call one of
//! these, and render; rules stay in `domain`, SQL in `store`.
//!
//! - [`rsvp`]: an answer to a salon (yes / maybe / no) and the promotion mails it causes.
//! - [`salons`]: create, edit (a larger capacity promotes the waitlist), publish, cancel.
//! - [`invitations`]: invite people, organisations and pasted addresses; tell the invited
//!   about an update or a cancellation.
//! - [`registration`]: someone not yet known asks to register, and confirms from the mail.
//! - [`inbound`]: one inbound mail: a calendar reply becomes an answer, a bounce marks the
//!   address; everything else is set aside; each is recorded for `/admin/inbox`.
//! - [`outcomes`]: record decisions (also from a room message) and actions, mark actions done.
//! - [`rounds`]: open and close a priority round, cast a ballot (pages and websocket alike).
//! - [`people`]: admins add people and change roles (on the audit trail).
//! - [`privacy`]: a person's data export, and the deletion of their account.
//! - [`retention`]: the daily job that deletes what is kept no longer (one instance at a time).
//! - [`reminders`]: the reminders that are due, once per person and salon.
//! - [`sign_in`]: mail a sign-in link; use it once for a new session.
//! - [`summary`]: a salon's summary, sent once to everyone who had a seat.
//! - [`themes`]: propose, support, comment; reword, move on, schedule and merge (audited).
//! - [`room`]: what people do in a live room: post, vote a question up, hide, mute, mark a
//!   question answered (websocket and plain forms alike).
//! - [`announce`]: tell the rooms about a committed change of a round, theme, decision or
//!   action (now, or coalesced).

pub mod announce;
pub mod attendance;
pub mod concerns;
pub mod group_work;
pub mod groups;
pub mod inbound;
pub mod invitations;
pub mod landscape;
pub mod materials;
pub mod outcome_edits;
pub mod outcomes;
pub mod people;
pub mod polls;
pub mod privacy;
pub mod proposals;
pub mod registration;
pub mod reminders;
pub mod retention;
pub mod room;
pub mod room_pass;
pub mod rounds;
pub mod rsvp;
pub mod salons;
pub mod sign_in;
pub mod summary;
pub mod themes;
pub mod time_polls;

use crate::mail::compose::ComposeError;

/// What can go wrong underneath a use case: the database, or composing a mail.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Mail(#[from] ComposeError),
    #[error("a background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Something that holds by construction did not (a bug, logged with its detail).
    #[error("{0}")]
    Invariant(String),
}

impl From<Failure> for crate::error::AppError {
    fn from(e: Failure) -> Self {
        anyhow::Error::from(e).into()
    }
}
