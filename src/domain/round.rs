//! Priority rounds (dot voting): an organiser asks a question with options; each person admitted
//! to the room spreads a number of points over the options (at most so many on one option),
//! and may change them until the round is closed. Results are frozen once closed.

use super::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Draft,
    Open,
    Closed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Open => "open",
            State::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        [State::Draft, State::Open, State::Closed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

pub const QUESTION_MAX: usize = 300;
pub const OPTION_MAX: usize = 200;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_POINTS: i64 = 100;

/// A round as an organiser prepares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundPlan {
    pub question: String,
    pub options: Vec<String>,
    pub points_per_person: i64,
    pub max_per_option: i64,
    pub live_results: bool,
}

/// A refused field (`round.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

/// Options come one per line; blank lines are skipped, duplicates refused.
pub fn validate_plan(
    question: &str,
    options: &str,
    points: &str,
    max: &str,
    live: bool,
) -> Result<RoundPlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let question = text::line(question, QUESTION_MAX, true).unwrap_or_else(|_| {
        errors.push(FieldError {
            field: "question",
            code: "question",
        });
        String::new()
    });
    let list = text::option_lines(options, OPTION_MAX, 2..=MAX_OPTIONS).unwrap_or_else(|code| {
        errors.push(FieldError {
            field: "options",
            code,
        });
        Vec::new()
    });
    let number = |raw: &str, default: i64| {
        if raw.trim().is_empty() {
            Some(default)
        } else {
            raw.trim().parse::<i64>().ok()
        }
    };
    let points_per_person = number(points, 5).filter(|p| (1..=MAX_POINTS).contains(p));
    if points_per_person.is_none() {
        errors.push(FieldError {
            field: "points_per_person",
            code: "points",
        });
    }
    let max_per_option =
        number(max, 3).filter(|m| *m >= 1 && points_per_person.is_none_or(|p| *m <= p));
    if max_per_option.is_none() {
        errors.push(FieldError {
            field: "max_per_option",
            code: "max",
        });
    }
    match (errors.is_empty(), points_per_person, max_per_option) {
        (true, Some(points_per_person), Some(max_per_option)) => Ok(RoundPlan {
            question,
            options: list,
            points_per_person,
            max_per_option,
            live_results: live,
        }),
        _ => Err(errors),
    }
}

/// Why a ballot was refused (`round.error.<code>`); nothing of it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotError {
    /// Not a whole number from 0 up.
    NotANumber,
    /// More than the maximum on one option.
    OverMax,
    /// More points in all than a person has.
    OverTotal,
    /// An option that is not in this round.
    UnknownOption,
    /// The same option twice in one ballot.
    RepeatedOption,
}

impl BallotError {
    pub fn code(self) -> &'static str {
        match self {
            BallotError::NotANumber => "not_a_number",
            BallotError::OverMax => "over_max",
            BallotError::OverTotal => "over_total",
            BallotError::UnknownOption => "unknown_option",
            BallotError::RepeatedOption => "repeated_option",
        }
    }
}

/// Check a ballot: `given` is (option id, points as typed); `options` the round's option ids.
/// Returns the options with points (zeros dropped).
pub fn validate_ballot(
    points_per_person: i64,
    max_per_option: i64,
    options: &[i64],
    given: &[(i64, String)],
) -> Result<Vec<(i64, i64)>, BallotError> {
    let mut out = Vec::new();
    let mut total: i64 = 0;
    for (option, raw) in given {
        if !options.contains(option) {
            return Err(BallotError::UnknownOption);
        }
        if given.iter().filter(|(o, _)| o == option).count() > 1 {
            return Err(BallotError::RepeatedOption);
        }
        let raw = raw.trim();
        let points = if raw.is_empty() {
            0
        } else {
            raw.parse::<i64>().map_err(|_| BallotError::NotANumber)?
        };
        if points < 0 {
            return Err(BallotError::NotANumber);
        }
        if points > max_per_option {
            return Err(BallotError::OverMax);
        }
        total = total.checked_add(points).ok_or(BallotError::OverTotal)?;
        if points > 0 {
            out.push((*option, points));
        }
    }
    if total > points_per_person {
        return Err(BallotError::OverTotal);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_needs_a_question_two_options_and_sane_numbers() {
        let plan = validate_plan(
            "Hvad prioriterer vi?",
            "E-bøger\n\nKompetencer\n",
            "",
            "",
            false,
        )
        .unwrap();
        assert_eq!(
            (
                plan.options.len(),
                plan.points_per_person,
                plan.max_per_option
            ),
            (2, 5, 3)
        );
        let codes = |r: Result<RoundPlan, Vec<FieldError>>| {
            r.unwrap_err().iter().map(|e| e.code).collect::<Vec<_>>()
        };
        assert_eq!(
            codes(validate_plan("", "a", "0", "9", false)),
            ["question", "option_count", "points"]
        );
        assert_eq!(
            codes(validate_plan("Q", "a\na", "5", "6", false)),
            ["option", "max"]
        );
    }

    #[test]
    fn a_ballot_keeps_within_the_points_and_the_maximum() {
        let opts = [1, 2, 3];
        let b = |v: &[(i64, &str)]| {
            v.iter()
                .map(|(o, p)| (*o, p.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "3"), (2, "2"), (3, "")])),
            Ok(vec![(1, 3), (2, 2)])
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "4")])),
            Err(BallotError::OverMax)
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "3"), (2, "3")])),
            Err(BallotError::OverTotal)
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(9, "1")])),
            Err(BallotError::UnknownOption)
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "-1")])),
            Err(BallotError::NotANumber)
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "1"), (1, "1")])),
            Err(BallotError::RepeatedOption)
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "1e9")])),
            Err(BallotError::NotANumber)
        );
        assert_eq!(
            validate_ballot(5, 3, &opts, &b(&[(1, "99999999999999999999")])),
            Err(BallotError::NotANumber)
        );
    }
}
