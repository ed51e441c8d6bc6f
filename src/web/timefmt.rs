//! Dates and times as people read them, in the salon's zone and the reader's language, always
//! with a machine-readable `<time datetime>` beside.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use maud::{Markup, html};
use rust_i18n::t;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// "tirsdag 10. marts 2027" / "Tuesday 10 March 2027".
pub fn date(at: &DateTime<Tz>, l: &str) -> String {
    let weekday = t!(format!("time.weekday.{}", WEEKDAYS[at.weekday().num_days_from_monday() as usize]), locale = l);
    let month = t!(format!("time.month.{}", at.month()), locale = l);
    t!("time.date", locale = l, weekday = weekday, day = at.day(), month = month, year = at.year()).to_string()
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
