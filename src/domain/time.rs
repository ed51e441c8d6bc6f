//! Time: one representation of "now" for both databases, and local times in a salon's zone.

use chrono::{DateTime, LocalResult, NaiveDateTime, SubsecRound, TimeZone, Utc};
use chrono_tz::Tz;

/// The current time truncated to microseconds: PostgreSQL keeps microseconds, so a value written
/// and read back compares equal on both backends, and SQLite's RFC 3339 text sorts correctly.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The zones offered in forms: the alliance's countries first, then UTC.
pub const OFFERED_ZONES: &[&str] = &[
    "Europe/Copenhagen",
    "Europe/Oslo",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Atlantic/Reykjavik",
    "Atlantic/Faroe",
    "America/Nuuk",
    "UTC",
];

pub fn parse_time_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// A local date and time as typed in a form (`2027-03-10T09:00`, what `<input
/// type=datetime-local>` sends) in `tz`, as UTC. In the autumn hour that happens twice the
/// earlier one is taken; a spring-forward time that never happens is an error.
pub fn local_to_utc(raw: &str, tz: Tz) -> Result<DateTime<Utc>, &'static str> {
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| "time_invalid")?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => Err("time_nonexistent"),
    }
}

/// The value for `<input type=datetime-local>`: `at` in `tz`.
pub fn to_local_input(at: &DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copenhagen_summer_and_winter_time() {
        let cph = chrono_tz::Europe::Copenhagen;
        assert_eq!(
            local_to_utc("2027-01-10T10:00", cph).map(|t| t.to_rfc3339()),
            Ok("2027-01-10T09:00:00+00:00".into())
        );
        assert_eq!(
            local_to_utc("2027-07-10T10:00", cph).map(|t| t.to_rfc3339()),
            Ok("2027-07-10T08:00:00+00:00".into())
        );
        // 31 October 2027, 02:30 happens twice: the first (summer time) is taken.
        assert_eq!(
            local_to_utc("2027-10-31T02:30", cph).map(|t| t.to_rfc3339()),
            Ok("2027-10-31T00:30:00+00:00".into())
        );
        assert_eq!(
            local_to_utc("2027-03-28T02:30", cph),
            Err("time_nonexistent")
        );
        assert_eq!(local_to_utc("soon", cph), Err("time_invalid"));
    }
}
