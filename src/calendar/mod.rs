//! Calendars: our own RFC 5545 serialiser (`ics`), the VEVENT for a salon (`event`), and the
//! `.ics` import (`import`, parsed with the `ical` crate). The `ical` crate's own generator gets
//! folding and escaping wrong, so we emit with ours; the tests parse what we emit with `ical`.

pub mod event;
pub mod ics;
pub mod import;
