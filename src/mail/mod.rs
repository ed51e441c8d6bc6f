//! Outgoing mail: composition (`compose`), the transports (`transport`: SMTP or .eml files) and
//! the outbox worker (`worker`). Every mail is first a row in the outbox, written in the same
//! transaction as the change that causes it (`queue`); only the worker talks to the transport.

pub mod compose;
pub mod imap;
pub mod inbound;
pub mod notices;
pub mod reply_address;
pub mod smtp_pool;
pub mod summary;
pub mod time_poll;
pub mod transport;
pub mod worker;

use crate::ids::OutboxId;
use crate::store::{Conn, outbox};

pub use compose::Composed;

/// Put a composed mail in the outbox, inside the caller's transaction.
pub async fn queue(c: impl Into<Conn<'_>>, mail: &Composed) -> Result<OutboxId, sqlx::Error> {
    outbox::enqueue(
        c,
        &outbox::NewMail {
            message_id: &mail.message_id,
            kind: mail.kind,
            recipient: &mail.recipient,
            subject: &mail.subject,
            body: &mail.body,
        },
    )
    .await
}
