//! A time poll to find a date (as Doodle or a Loomio time poll): an organiser offers a few
//! start times for a salon, in the salon's zone; each invited person answers yes, if need be
//! or no per time; the grid shows who can when; the organiser picks one, which becomes a draft
//! salon at that time. Times are kept in UTC and shown in each reader's own zone.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::{text, time};

pub const TITLE_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 4000;
/// At least two times (one is not a question), at most twenty (a grid one can read).
pub const SLOTS_MIN: usize = 2;
pub const SLOTS_MAX: usize = 20;
/// A salon lasts a quarter of an hour to a whole day.
pub const MINUTES_MIN: i64 = 15;
pub const MINUTES_MAX: i64 = 720;
/// How far ahead a time may be offered.
pub const AHEAD_DAYS: i64 = 730;

/// One person's answer for one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Yes,
    /// If need be (Doodle's "(yes)"): possible, but not what they would choose.
    Maybe,
    No,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::Maybe, Answer::No];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Maybe => "maybe",
            Answer::No => "no",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// A refused field: the form's field and the code translated as `timepoll.error.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

/// A time poll as the organiser typed it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct TimePollText {
    pub title: String,
    pub description: String,
    pub time_zone: Tz,
    pub minutes: i64,
    /// The offered start times, in UTC, earliest first.
    pub slots: Vec<DateTime<Utc>>,
}

/// Check a new time poll. `slots` holds one start per line (`2027-03-29 10:00`, or the
/// `datetime-local` form) in the zone `zone`; each must be in the future, within two years, and
/// exist there (not in the hour a spring change skips); no two alike.
pub fn validate(
    title: &str,
    description: &str,
    zone: &str,
    minutes: &str,
    slots: &str,
    now: DateTime<Utc>,
) -> Result<TimePollText, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut refuse = |field, code| errors.push(FieldError { field, code });
    let title = text::line(title, TITLE_MAX, true).unwrap_or_else(|_| {
        refuse("title", "title");
        String::new()
    });
    let description = text::multiline(description, DESCRIPTION_MAX, false).unwrap_or_else(|_| {
        refuse("description", "description");
        String::new()
    });
    let tz = time::parse_time_zone(zone.trim());
    if tz.is_none() {
        refuse("time_zone", "time_zone");
    }
    let minutes = match minutes.trim().parse::<i64>() {
        Ok(m) if (MINUTES_MIN..=MINUTES_MAX).contains(&m) => m,
        _ => {
            refuse("minutes", "minutes");
            0
        }
    };
    let mut starts = Vec::new();
    let mut slot_refused = false;
    if let Some(tz) = tz {
        for line in slots.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match time::local_to_utc(line, tz) {
                Ok(at) if at <= now => {
                    refuse("slots", "slot_past");
                    slot_refused = true;
                    break;
                }
                Ok(at) if at > now + Duration::days(AHEAD_DAYS) => {
                    refuse("slots", "slot_far");
                    slot_refused = true;
                    break;
                }
                Ok(at) if starts.contains(&at) => {
                    refuse("slots", "slot_twice");
                    slot_refused = true;
                    break;
                }
                Ok(at) => starts.push(at),
                Err("time_nonexistent") => {
                    refuse("slots", "slot_nonexistent");
                    slot_refused = true;
                    break;
                }
                Err(_) => {
                    refuse("slots", "slot_invalid");
                    slot_refused = true;
                    break;
                }
            }
        }
        if !slot_refused && !(SLOTS_MIN..=SLOTS_MAX).contains(&starts.len()) {
            refuse("slots", "slot_count");
        }
    }
    starts.sort();
    match (errors.is_empty(), tz) {
        (true, Some(time_zone)) => Ok(TimePollText {
            title,
            description,
            time_zone,
            minutes,
            slots: starts,
        }),
        _ => Err(errors),
    }
}

/// How a time stands: how many said yes and how many if need be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlotCount {
    pub yes: i64,
    pub maybe: i64,
}

impl SlotCount {
    pub fn add(&mut self, a: Answer) {
        match a {
            Answer::Yes => self.yes += 1,
            Answer::Maybe => self.maybe += 1,
            Answer::No => {}
        }
    }
}

/// The best times: most who can come (yes or if need be), then most plain yes; all that tie
/// (none while nobody can come).
pub fn best(counts: &[SlotCount]) -> Vec<usize> {
    let key = |c: &SlotCount| (c.yes + c.maybe, c.yes);
    let Some(top) = counts.iter().map(key).max() else {
        return Vec::new();
    };
    if top.0 == 0 {
        return Vec::new();
    }
    (0..counts.len())
        .filter(|i| key(&counts[*i]) == top)
        .collect()
}

#[cfg(test)]
mod tests;
