//! Polls of a series: single choice, multiple choice, ranked choice and score. They live as a
//! proposal does (`proposal::State`: open until the closing time or an organiser closes it;
//! results hidden until then if so chosen). Ranked choice is counted by Borda score: among n
//! options, a first place earns n - 1 points, a second n - 2, ..., an unranked option none; the
//! scores are shown. A score poll adds up each option's scores (0 to the poll's maximum). Equal
//! totals share a place (1, 1, 3).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::proposal::{self, FieldError};
use super::text;

pub const OPTION_MAX: usize = 200;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_SCORE: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Single,
    Multiple,
    Ranked,
    Score,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Single, Kind::Multiple, Kind::Ranked, Kind::Score];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Ranked => "ranked",
            Kind::Score => "score",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// A poll as its author typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollPlan {
    pub question: String,
    pub background: String,
    pub kind: Kind,
    pub options: Vec<String>,
    pub max_score: i64,
    pub closes_at: DateTime<Utc>,
}

/// A new poll as the form sends it.
pub struct PollInput<'a> {
    pub question: &'a str,
    pub background: &'a str,
    pub kind: &'a str,
    /// One option per line.
    pub options: &'a str,
    pub max_score: &'a str,
    /// The closing time as typed (`datetime-local`).
    pub closes: &'a str,
}

/// Check a new poll: options one per line (blank lines skipped, duplicates refused), 2 to
/// [`MAX_OPTIONS`]; the closing time as for a proposal (in the author's zone, ahead, within a
/// year); a score poll's maximum from 1 to [`MAX_SCORE`].
pub fn validate(
    f: &PollInput<'_>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<PollPlan, Vec<FieldError>> {
    // The question, background and closing time are checked as a proposal's are.
    let checked = proposal::validate(f.question, f.background, f.closes, tz, now);
    let (mut errors, checked) = match checked {
        Ok(t) => (Vec::new(), Some(t)),
        Err(e) => (e, None),
    };
    for e in &mut errors {
        if e.field == "title" {
            *e = FieldError {
                field: "question",
                code: "question",
            };
        }
    }
    let kind = Kind::parse(f.kind);
    if kind.is_none() {
        errors.push(FieldError {
            field: "kind",
            code: "kind",
        });
    }
    let list = text::option_lines(f.options, OPTION_MAX, 2..=MAX_OPTIONS).unwrap_or_else(|code| {
        errors.push(FieldError {
            field: "options",
            code,
        });
        Vec::new()
    });
    let max_score = match f.max_score.trim() {
        "" => Some(5),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|m| (1..=MAX_SCORE).contains(m)),
    };
    if max_score.is_none() {
        errors.push(FieldError {
            field: "max_score",
            code: "max_score",
        });
    }
    match (errors.is_empty(), checked, kind, max_score) {
        (true, Some(t), Some(kind), Some(max_score)) => Ok(PollPlan {
            question: t.title,
            background: t.background,
            kind,
            options: list,
            max_score,
            closes_at: t.closes_at,
        }),
        _ => Err(errors),
    }
}

/// Why an answer was refused (`poll.error.<code>`); nothing of it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerError {
    /// Nothing chosen, ranked or scored.
    Empty,
    /// More than one choice in a single-choice poll.
    OneOnly,
    /// An option that is not in this poll.
    UnknownOption,
    /// Not a whole number in range (a rank from 1 to the number of options, a score up to the
    /// maximum).
    OutOfRange,
    /// The same rank given twice.
    RankTwice,
}

impl AnswerError {
    pub fn code(self) -> &'static str {
        match self {
            AnswerError::Empty => "empty",
            AnswerError::OneOnly => "one_only",
            AnswerError::UnknownOption => "unknown_option",
            AnswerError::OutOfRange => "out_of_range",
            AnswerError::RankTwice => "rank_twice",
        }
    }
}

/// Check an answer: `given` is (option id, value as typed; blank means nothing given). Returns
/// the values to store, one per option given something (a score of 0 is stored: it was given).
pub fn validate_answer(
    kind: Kind,
    max_score: i64,
    options: &[i64],
    given: &[(i64, String)],
) -> Result<Vec<(i64, i64)>, AnswerError> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (option, raw) in given {
        if !options.contains(option) {
            return Err(AnswerError::UnknownOption);
        }
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let value = raw.parse::<i64>().map_err(|_| AnswerError::OutOfRange)?;
        let allowed = match kind {
            Kind::Single | Kind::Multiple => value == 1,
            Kind::Ranked => (1..=options.len() as i64).contains(&value),
            Kind::Score => (0..=max_score).contains(&value),
        };
        if !allowed {
            return Err(AnswerError::OutOfRange);
        }
        if out.iter().any(|(o, _)| o == option) {
            return Err(AnswerError::UnknownOption);
        }
        if kind == Kind::Ranked && out.iter().any(|(_, v)| *v == value) {
            return Err(AnswerError::RankTwice);
        }
        out.push((*option, value));
    }
    if out.is_empty() {
        return Err(AnswerError::Empty);
    }
    if kind == Kind::Single && out.len() > 1 {
        return Err(AnswerError::OneOnly);
    }
    Ok(out)
}

/// One option's result: its total (people who chose it; Borda points; summed scores) and its
/// place (equal totals share one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionResult {
    pub option: i64,
    pub total: i64,
    pub place: usize,
}

/// Count a poll: `options` in their order, `answers` as (person, option, value) rows. The
/// results come best first (ties in the options' order).
pub fn count(kind: Kind, options: &[i64], answers: &[(i64, i64, i64)]) -> Vec<OptionResult> {
    let n = options.len() as i64;
    let mut totals: Vec<(i64, i64)> = options.iter().map(|o| (*o, 0)).collect();
    for (_, option, value) in answers {
        let points = match kind {
            Kind::Single | Kind::Multiple => 1,
            Kind::Ranked => (n - value).max(0),
            Kind::Score => *value,
        };
        if let Some(t) = totals.iter_mut().find(|(o, _)| o == option) {
            t.1 = t.1.saturating_add(points);
        }
    }
    // A stable sort keeps the options' order among equal totals.
    totals.sort_by_key(|t| std::cmp::Reverse(t.1));
    let mut out: Vec<OptionResult> = Vec::with_capacity(totals.len());
    for (i, (option, total)) in totals.into_iter().enumerate() {
        let place = match out.last() {
            Some(prev) if prev.total == total => prev.place,
            _ => i + 1,
        };
        out.push(OptionResult {
            option,
            total,
            place,
        });
    }
    out
}

#[cfg(test)]
mod tests;
