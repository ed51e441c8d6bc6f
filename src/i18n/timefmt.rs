//! Dates and times as people read them, in the salon's zone and the reader's language, always
//! with a machine-readable `<time datetime>` beside.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use maud::{Markup, html};
use rust_i18n::t;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A language's day and month names and date pattern, read from the translations once: the
/// front page formats hundreds of dates, and a lookup per name showed in the benchmark.
struct Names {
    weekdays: Vec<String>,
    months: Vec<String>,
    pattern: String,
}

impl Names {
    fn load(l: &str) -> Names {
        Names {
            weekdays: WEEKDAYS.iter().map(|d| t!(format!("time.weekday.{d}"), locale = l).to_string()).collect(),
            months: (1..=12).map(|m| t!(format!("time.month.{m}"), locale = l).to_string()).collect(),
            pattern: t!("time.date", locale = l).to_string(),
        }
    }
}

static DA: LazyLock<Names> = LazyLock::new(|| Names::load("da"));
static EN: LazyLock<Names> = LazyLock::new(|| Names::load("en"));

fn names(l: &str) -> &'static Names {
    if l == "da" { &DA } else { &EN }
}

/// "tirsdag 10. marts 2027" / "Tuesday 10 March 2027".
pub fn date(at: &DateTime<Tz>, l: &str) -> String {
    let n = names(l);
    let weekday = n.weekdays.get(at.weekday().num_days_from_monday() as usize).map(String::as_str).unwrap_or("");
    let month = n.months.get(at.month0() as usize).map(String::as_str).unwrap_or("");
    n.pattern
        .replace("%{weekday}", weekday)
        .replace("%{day}", &at.day().to_string())
        .replace("%{month}", month)
        .replace("%{year}", &at.year().to_string())
}

/// "09.00" in Danish, "09:00" in English.
pub fn clock(at: &DateTime<Tz>, l: &str) -> String {
    at.format(if l == "da" { "%H.%M" } else { "%H:%M" }).to_string()
}

/// A start and an end in one zone: "tirsdag 10. marts 2027, 09.00–12.30", or both dates when
/// the salon runs over midnight.
pub fn span(starts: &DateTime<Utc>, ends: &DateTime<Utc>, tz: Tz, l: &str) -> Markup {
    let s = starts.with_timezone(&tz);
    let e = ends.with_timezone(&tz);
    let same_day = s.date_naive() == e.date_naive();
    html! {
        time datetime=(starts.to_rfc3339()) { (date(&s, l)) ", " (clock(&s, l)) }
        "–"
        time datetime=(ends.to_rfc3339()) {
            @if !same_day { (date(&e, l)) ", " }
            (clock(&e, l))
        }
    }
}

/// The zone's name as shown: "Europe/Copenhagen" -> "Copenhagen".
pub fn zone_label(tz: Tz) -> String {
    tz.name().rsplit('/').next().unwrap_or(tz.name()).replace('_', " ")
}
