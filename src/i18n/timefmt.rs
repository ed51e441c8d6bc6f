//! Dates and times as people read them, in the salon's zone and the reader's language, always
//! with a machine-readable `<time datetime>` beside.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use maud::{Markup, html};
use rust_i18n::t;

use super::Locale;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A language's day and month names, date pattern and clock format, read from the
/// translations once: the front page formats hundreds of dates, and a lookup per name showed in
/// the benchmark.
struct Names {
    weekdays: Vec<String>,
    months: Vec<String>,
    pattern: String,
    /// A strftime pattern: "%H.%M" (Danish, Norwegian, Swedish), "%-H.%M" (Finnish), "%H:%M".
    clock: Vec<chrono::format::Item<'static>>,
    /// Between a date and its time: ", " or " kl. " / " klo ".
    at: String,
}

impl Names {
    fn load(l: &str) -> Names {
        // A clock pattern that is not strftime falls back to 24-hour "09:00" (and a test fails).
        let pattern = t!("time.clock", locale = l).to_string();
        let items: Vec<_> = chrono::format::StrftimeItems::new(&pattern)
            .parse_to_owned()
            .unwrap_or_default();
        let clock = if items.is_empty() {
            chrono::format::StrftimeItems::new("%H:%M")
                .parse_to_owned()
                .unwrap_or_default()
        } else {
            items
        };
        Names {
            weekdays: WEEKDAYS
                .iter()
                .map(|d| t!(format!("time.weekday.{d}"), locale = l).to_string())
                .collect(),
            months: (1..=12)
                .map(|m| t!(format!("time.month.{m}"), locale = l).to_string())
                .collect(),
            pattern: t!("time.date", locale = l).to_string(),
            clock,
            at: t!("time.at", locale = l).to_string(),
        }
    }
}

static NAMES: LazyLock<Vec<(&'static str, Names)>> = LazyLock::new(|| {
    Locale::OFFERED
        .into_iter()
        .map(|l| (l.code(), Names::load(l.code())))
        .collect()
});

fn names(l: &str) -> &'static Names {
    let all = &*NAMES;
    all.iter()
        .find(|(code, _)| *code == l)
        .or_else(|| all.first())
        .map(|(_, n)| n)
        .unwrap_or_else(|| unreachable_names())
}

/// Never reached: OFFERED is not empty. A fixed English set keeps the signature total.
fn unreachable_names() -> &'static Names {
    static EMPTY: LazyLock<Names> = LazyLock::new(|| Names::load("en"));
    &EMPTY
}

/// "tirsdag 10. marts 2027" / "tisdag 10 mars 2027" / "tiistaina 10. maaliskuuta 2027".
pub fn date(at: &DateTime<Tz>, l: &str) -> String {
    let n = names(l);
    let weekday = n
        .weekdays
        .get(at.weekday().num_days_from_monday() as usize)
        .map(String::as_str)
        .unwrap_or("");
    let month = n
        .months
        .get(at.month0() as usize)
        .map(String::as_str)
        .unwrap_or("");
    n.pattern
        .replace("%{weekday}", weekday)
        .replace("%{day}", &at.day().to_string())
        .replace("%{month}", month)
        .replace("%{year}", &at.year().to_string())
}

/// A day written short, as the language does: "01.05.2027" (da, nb), "2027-05-01" (sv),
/// "1.5.2027" (fi), "1 May 2027" (en). For due dates and the like.
pub fn day(d: chrono::NaiveDate, l: &str) -> String {
    let pattern = t!("time.day", locale = l);
    let items: Vec<chrono::format::Item<'_>> =
        chrono::format::StrftimeItems::new(&pattern).collect();
    if items
        .iter()
        .any(|i| matches!(i, chrono::format::Item::Error))
    {
        return d.format("%Y-%m-%d").to_string();
    }
    d.format_with_items(items.into_iter()).to_string()
}

/// "09.00" in Danish, "9.00" in Finnish, "09:00" in English.
pub fn clock(at: &DateTime<Tz>, l: &str) -> String {
    at.format_with_items(names(l).clock.iter()).to_string()
}

/// A time of day written "HH:MM" (an agenda item's start) as the language writes it.
pub fn hhmm(value: &str, l: &str) -> String {
    match chrono::NaiveTime::parse_from_str(value, "%H:%M") {
        Ok(t) => t.format_with_items(names(l).clock.iter()).to_string(),
        Err(_) => value.to_string(),
    }
}

/// A date and its time: "mandag 14. desember 2026 kl. 09.00".
pub fn date_and_clock(at: &DateTime<Tz>, l: &str) -> String {
    format!("{}{}{}", date(at, l), names(l).at, clock(at, l))
}

/// A list as the language writes it: "A, B og C", "A, B och C", "A, B ja C", "A, B and C".
pub fn list(items: &[String], l: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), t!("list.and", locale = l)),
    }
}

/// A start and an end in one zone: "tirsdag 10. marts 2027, 09.00–12.30", or both dates when
/// the salon runs over midnight.
pub fn span(starts: &DateTime<Utc>, ends: &DateTime<Utc>, tz: Tz, l: &str) -> Markup {
    let s = starts.with_timezone(&tz);
    let e = ends.with_timezone(&tz);
    let same_day = s.date_naive() == e.date_naive();
    html! {
        time datetime=(starts.to_rfc3339()) { (date_and_clock(&s, l)) }
        "–"
        time datetime=(ends.to_rfc3339()) {
            @if same_day { (clock(&e, l)) } @else { (date_and_clock(&e, l)) }
        }
    }
}

/// A start and an end in one zone as plain text (mail, the time poll's grid), with the zone:
/// "tirsdag 10. marts 2027 kl. 09.00–12.30 (Copenhagen)".
pub fn span_text(starts: &DateTime<Utc>, ends: &DateTime<Utc>, tz: Tz, l: &str) -> String {
    let s = starts.with_timezone(&tz);
    let e = ends.with_timezone(&tz);
    let end = if s.date_naive() == e.date_naive() {
        clock(&e, l)
    } else {
        date_and_clock(&e, l)
    };
    format!("{}–{end} ({})", date_and_clock(&s, l), zone_label(tz))
}

/// The zone's name as shown: "Europe/Copenhagen" -> "Copenhagen".
pub fn zone_label(tz: Tz) -> String {
    tz.name()
        .rsplit('/')
        .next()
        .unwrap_or(tz.name())
        .replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn lists_end_with_each_languages_and() {
        let three: Vec<String> = ["KB", "DDF", "KOMBIT"].map(String::from).to_vec();
        assert_eq!(list(&three, "da"), "KB, DDF og KOMBIT");
        assert_eq!(list(&three, "sv"), "KB, DDF och KOMBIT");
        assert_eq!(list(&three, "fi"), "KB, DDF ja KOMBIT");
        assert_eq!(list(&three[..1], "en"), "KB");
        assert_eq!(list(&[], "nb"), "");
    }
}
