//! Importing an `.ics` file: every VEVENT becomes a draft salon. Lines are unfolded and parsed
//! with the `ical` crate's line reader and property parser; we check the structure ourselves,
//! so a broken file gets an error naming the line and the reason, and nothing is created.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use ical::line::LineReader;
use ical::property::{Property, PropertyParser};

use super::ics::unescape_text;
use crate::domain::time::local_to_utc;

/// The most events one file may hold, and its largest size.
pub const MAX_EVENTS: usize = 500;
pub const MAX_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEvent {
    pub line: usize,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub url: Option<String>,
}

/// What is wrong, and where. `code` names the message (`import.error.<code>`); `detail` is the
/// offending text or the parser's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub code: &'static str,
    pub detail: String,
}

fn fail(line: usize, code: &'static str, detail: impl Into<String>) -> ImportError {
    ImportError {
        line,
        code,
        detail: detail.into(),
    }
}

#[derive(Default)]
struct Pending {
    begin_line: usize,
    summary: Option<String>,
    description: Option<String>,
    dtstart: Option<(usize, Property)>,
    dtend: Option<(usize, Property)>,
    duration: Option<(usize, String)>,
    location: Option<String>,
    url: Option<String>,
}

/// One content line's property; the first line of a file that is no calendar at all gets
/// `not_calendar`, a broken line later `bad_line` with the parser's reason.
fn property_of(line: &str, number: usize, seen_any: bool) -> Result<Option<Property>, ImportError> {
    match PropertyParser::from_reader(line.as_bytes()).next() {
        Some(Ok(p)) => Ok(Some(p)),
        Some(Err(_)) if !seen_any => Err(fail(
            number,
            "not_calendar",
            line.chars().take(60).collect::<String>(),
        )),
        Some(Err(e)) => {
            let reason = e.to_string();
            let reason = reason
                .split_once(": ")
                .map(|(_, r)| r.to_string())
                .unwrap_or(reason);
            Err(fail(number, "bad_line", reason))
        }
        None => Ok(None),
    }
}

/// The file as text (a BOM dropped); a byte sequence that is not UTF-8 is an error naming its
/// line.
fn utf8_text(bytes: &[u8]) -> Result<&str, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            Err(fail(line, "not_utf8", ""))
        }
    }
}

pub fn parse(bytes: &[u8], default_tz: Tz) -> Result<Vec<ImportedEvent>, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(fail(1, "too_large", format!("{} bytes", bytes.len())));
    }
    let text = utf8_text(bytes)?;

    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut events = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut seen_any = false;
    for line in LineReader::new(text.as_bytes()) {
        let number = line.number();
        if line.as_str().trim().is_empty() {
            continue;
        }
        let Some(property) = property_of(line.as_str(), number, seen_any)? else {
            continue;
        };
        let name = property.name.to_ascii_uppercase();
        let value = property.value.clone().unwrap_or_default();
        if !seen_any {
            seen_any = true;
            if name != "BEGIN" || !value.eq_ignore_ascii_case("VCALENDAR") {
                return Err(fail(
                    number,
                    "not_calendar",
                    line.as_str().chars().take(60).collect::<String>(),
                ));
            }
        }
        match name.as_str() {
            "BEGIN" => {
                let component = value.to_ascii_uppercase();
                if component == "VEVENT"
                    && stack.last().map(|(c, _)| c.as_str()) == Some("VCALENDAR")
                {
                    pending = Some(Pending {
                        begin_line: number,
                        ..Pending::default()
                    });
                }
                stack.push((component, number));
            }
            "END" => {
                if let Some(p) = close(&mut stack, &mut pending, &value, number)? {
                    events.push(finish(p, default_tz)?);
                    if events.len() > MAX_EVENTS {
                        return Err(fail(number, "too_many_events", MAX_EVENTS.to_string()));
                    }
                }
            }
            _ => {
                // Properties of the event itself (not of a VALARM inside it).
                let in_event =
                    stack.last().map(|(c, _)| c.as_str()) == Some("VEVENT") && stack.len() == 2;
                if let (true, Some(p)) = (in_event, pending.as_mut()) {
                    p.take(&name, number, property, value);
                }
            }
        }
    }
    if !seen_any {
        return Err(fail(1, "empty", ""));
    }
    if let Some((open, line)) = stack.pop() {
        return Err(fail(line, "unclosed", format!("BEGIN:{open}")));
    }
    if events.is_empty() {
        return Err(fail(1, "no_events", ""));
    }
    Ok(events)
}

/// `END:` a component at line `number`: it must close the one opened last; the event it
/// ends, when it ends one of the calendar's events.
fn close(
    stack: &mut Vec<(String, usize)>,
    pending: &mut Option<Pending>,
    value: &str,
    number: usize,
) -> Result<Option<Pending>, ImportError> {
    let component = value.to_ascii_uppercase();
    match stack.pop() {
        Some((open, _)) if open == component => {}
        Some((open, _)) => {
            return Err(fail(
                number,
                "mismatched_end",
                format!("END:{component} / BEGIN:{open}"),
            ));
        }
        None => return Err(fail(number, "unexpected_end", format!("END:{component}"))),
    }
    if component == "VEVENT" && stack.last().map(|(c, _)| c.as_str()) == Some("VCALENDAR") {
        return Ok(pending.take());
    }
    Ok(None)
}

impl Pending {
    /// One property of the event (its own, not a VALARM's): kept where the event needs it.
    fn take(&mut self, name: &str, number: usize, property: Property, value: String) {
        match name {
            "SUMMARY" => self.summary = Some(unescape_text(&value)),
            "DESCRIPTION" => self.description = Some(unescape_text(&value)),
            "LOCATION" => self.location = Some(unescape_text(&value)),
            "URL" => self.url = Some(value.trim().to_string()),
            "DTSTART" => self.dtstart = Some((number, property)),
            "DTEND" => self.dtend = Some((number, property)),
            "DURATION" => self.duration = Some((number, value)),
            _ => {}
        }
    }
}

fn finish(p: Pending, default_tz: Tz) -> Result<ImportedEvent, ImportError> {
    let title = p
        .summary
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| fail(p.begin_line, "missing_summary", ""))?;
    let (start_line, start) = p
        .dtstart
        .ok_or_else(|| fail(p.begin_line, "missing_dtstart", ""))?;
    let (starts_at, all_day) = when(&start, start_line, default_tz)?;
    let ends_at = match (p.dtend, p.duration) {
        (Some((line, end)), _) => {
            let (t, end_all_day) = when(&end, line, default_tz)?;
            // An all-day DTEND is the exclusive next day; end at the working day's end before it.
            if end_all_day {
                t.checked_sub_signed(Duration::hours(16))
                    .ok_or_else(|| fail(line, "bad_time", String::new()))?
            } else {
                t
            }
        }
        (None, Some((line, d))) => parse_duration(&d)
            .and_then(|d| starts_at.checked_add_signed(d))
            .ok_or_else(|| fail(line, "bad_duration", d.clone()))?,
        (None, None) => starts_at
            .checked_add_signed(Duration::hours(if all_day { 8 } else { 2 }))
            .ok_or_else(|| fail(start_line, "bad_time", String::new()))?,
    };
    if ends_at <= starts_at {
        return Err(fail(start_line, "end_before_start", ""));
    }
    if ends_at - starts_at > MAX_EVENT {
        return Err(fail(start_line, "too_long", ""));
    }
    Ok(ImportedEvent {
        line: p.begin_line,
        title: title
            .chars()
            .take(crate::domain::salon::TITLE_MAX)
            .collect(),
        description: p.description.unwrap_or_default(),
        starts_at,
        ends_at,
        location: p.location.filter(|l| !l.trim().is_empty()),
        url: p
            .url
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
    })
}

fn param<'a>(p: &'a Property, name: &str) -> Option<&'a str> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first())
        .map(|v| v.trim_matches('"'))
}

/// A DTSTART/DTEND value as UTC, and whether it was a whole day (all-day events start at 09:00
/// local time).
fn when(p: &Property, line: usize, default_tz: Tz) -> Result<(DateTime<Utc>, bool), ImportError> {
    let value = p.value.as_deref().unwrap_or("").trim();
    let bad = || fail(line, "bad_time", value.to_string());
    // Salons happen in this world: a year far outside it is a broken file.
    let plausible = |at: DateTime<Utc>| {
        if (1900..=2200).contains(&at.year()) {
            Ok(at)
        } else {
            Err(bad())
        }
    };
    let is_date =
        param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8;
    if is_date {
        let date = NaiveDate::parse_from_str(value, "%Y%m%d").map_err(|_| bad())?;
        let tz = zone(p, line, default_tz)?;
        let local = date.and_hms_opt(9, 0, 0).ok_or_else(bad)?;
        let at = tz.from_local_datetime(&local).earliest().ok_or_else(bad)?;
        return Ok((plausible(at.with_timezone(&Utc))?, true));
    }
    if let Some(v) = value.strip_suffix('Z') {
        let naive = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
        return Ok((plausible(Utc.from_utc_datetime(&naive))?, false));
    }
    let naive = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
    let tz = zone(p, line, default_tz)?;
    let at = local_to_utc(&naive.format("%Y-%m-%dT%H:%M:%S").to_string(), tz).map_err(|_| bad())?;
    Ok((plausible(at)?, false))
}

fn zone(p: &Property, line: usize, default_tz: Tz) -> Result<Tz, ImportError> {
    match param(p, "TZID") {
        None => Ok(default_tz),
        Some(name) => name
            .trim_start_matches('/')
            .parse::<Tz>()
            .map_err(|_| fail(line, "unknown_tzid", name.to_string())),
    }
}

/// The longest event an import accepts: longer is a mistake in the file (or an attack on the
/// date arithmetic), not a salon.
pub const MAX_EVENT: Duration = Duration::days(31);

/// RFC 5545 durations: `PT1H30M`, `P1D`, `P1W`, `PT90M`. Checked arithmetic throughout: a
/// number of any size gives None (a line-numbered error), never an overflow.
fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim().strip_prefix('P')?;
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let mut total = Duration::zero();
    let mut number = String::new();
    let units = date
        .chars()
        .map(|c| (c, false))
        .chain(time.chars().map(|c| (c, true)));
    for (c, in_time) in units {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        let part = match (c, in_time) {
            ('W', false) => Duration::try_weeks(n),
            ('D', false) => Duration::try_days(n),
            ('H', true) => Duration::try_hours(n),
            ('M', true) => Duration::try_minutes(n),
            ('S', true) => Duration::try_seconds(n),
            _ => None,
        }?;
        total = total.checked_add(&part)?;
    }
    (number.is_empty() && total > Duration::zero() && total <= MAX_EVENT).then_some(total)
}

#[cfg(test)]
mod tests;
