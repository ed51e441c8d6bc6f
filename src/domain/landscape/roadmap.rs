//! The roadmap's time axis: agreements and services with dates laid out from the first year
//! any of them starts (or this year) to the last year any ends or is renegotiated, at most
//! [`YEARS_MAX`] years. Each row is a bar from its start to its end (to the axis' edge when it
//! has none) with a mark at its renegotiation; positions are fractions of the axis' width, so
//! the page draws them at any size.

use chrono::{Datelike, NaiveDate};

/// The widest axis drawn (dates beyond it are clipped to its edge; the table has them all).
pub const YEARS_MAX: i32 = 15;

/// What the axis is laid out from: one row per item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dates {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub renegotiate_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub first_year: i32,
    /// The year after the last one shown (the axis' right edge is its 1 January).
    pub end_year: i32,
    /// Where today is, from 0 to 1 (None when outside the axis).
    pub today: Option<f64>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The bar, from 0 to 1; `open_start`/`open_end` when the date is unknown or clipped.
    pub from: f64,
    pub to: f64,
    pub open_start: bool,
    pub open_end: bool,
    pub renegotiate: Option<f64>,
}

fn year_fraction(d: NaiveDate) -> f64 {
    let days = if NaiveDate::from_ymd_opt(d.year(), 12, 31).is_some_and(|x| x.ordinal() == 366) {
        366.0
    } else {
        365.0
    };
    d.year() as f64 + (d.ordinal0() as f64) / days
}

/// Lay out the rows (in the order given) on one axis around `today`.
pub fn layout(rows: &[Dates], today: NaiveDate) -> Axis {
    let years = rows
        .iter()
        .flat_map(|r| [r.starts_on, r.ends_on, r.renegotiate_on])
        .flatten()
        .map(|d| d.year());
    let first = years
        .clone()
        .min()
        .unwrap_or(today.year())
        .min(today.year());
    let last = years.max().unwrap_or(today.year()).max(today.year());
    // Too wide: keep the years around today (a 30-year agreement is clipped, not squeezed).
    let (first, last) = if last - first + 1 > YEARS_MAX {
        let from = first.max(today.year() - YEARS_MAX / 3);
        (from, from + YEARS_MAX - 1)
    } else {
        (first, last)
    };
    let span = (last + 1 - first) as f64;
    let at = |d: NaiveDate| ((year_fraction(d) - first as f64) / span).clamp(0.0, 1.0);
    let inside = |d: NaiveDate| d.year() >= first && d.year() <= last;
    Axis {
        first_year: first,
        end_year: last + 1,
        today: inside(today).then(|| at(today)),
        rows: rows
            .iter()
            .map(|r| Row {
                from: r.starts_on.map(at).unwrap_or(0.0),
                to: r.ends_on.map(at).unwrap_or(1.0),
                open_start: !r.starts_on.is_some_and(inside),
                open_end: !r.ends_on.is_some_and(inside),
                renegotiate: r.renegotiate_on.filter(|d| inside(*d)).map(at),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn the_axis_spans_the_years_of_the_dates_and_today() {
        let today = d("2026-12-06").unwrap();
        let a = layout(
            &[
                Dates {
                    starts_on: d("2025-01-01"),
                    ends_on: d("2028-12-31"),
                    renegotiate_on: d("2027-07-02"),
                },
                Dates {
                    starts_on: None,
                    ends_on: d("2027-01-01"),
                    renegotiate_on: None,
                },
            ],
            today,
        );
        assert_eq!((a.first_year, a.end_year), (2025, 2029));
        assert_eq!(a.rows[0].from, 0.0);
        assert!((a.rows[0].to - 1.0).abs() < 0.001, "{:?}", a.rows[0]);
        // Mid-2027 is five eighths of 2025..2029.
        let r = a.rows[0].renegotiate.unwrap();
        assert!((r - 0.625).abs() < 0.002, "{r}");
        assert!(a.rows[1].open_start && !a.rows[1].open_end);
        assert!((a.rows[1].to - 0.5).abs() < 0.001);
        // 6 December 2026 is 1.93 years into four.
        assert!(
            a.today.is_some_and(|t| t > 0.48 && t < 0.49),
            "{:?}",
            a.today
        );
    }

    #[test]
    fn a_very_long_agreement_is_clipped_around_today() {
        let today = d("2026-12-06").unwrap();
        let a = layout(
            &[Dates {
                starts_on: d("1990-01-01"),
                ends_on: d("2090-01-01"),
                renegotiate_on: None,
            }],
            today,
        );
        assert_eq!(a.end_year - a.first_year, YEARS_MAX);
        assert!(a.first_year <= 2026 && a.end_year > 2026);
        assert!(a.rows[0].open_start && a.rows[0].open_end);
        // Nothing at all: this year alone.
        let empty = layout(&[], today);
        assert_eq!((empty.first_year, empty.end_year), (2026, 2027));
    }
}
