//! The doors inbound mail comes in by, besides the HTTP endpoint (`web::inbound`): the reply
//! mailbox read over IMAP (`imap`) and one mail on standard input (`stdin`, `salon mail
//! ingest`). Each is thin: it gets the raw message and calls the one use case that takes it in
//! (`usecases::inbound::ingest`); reading and parsing mail is `mail`'s.

pub mod imap;
pub mod stdin;
