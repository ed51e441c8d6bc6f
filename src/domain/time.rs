//! One representation of "now" for both databases.

use chrono::{DateTime, SubsecRound, Utc};

/// The current time truncated to microseconds: PostgreSQL keeps microseconds, so a value written
/// and read back compares equal on both backends, and SQLite's RFC 3339 text sorts correctly.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
