//! Outcomes of a salon: decisions (what was agreed) and actions (what someone will do, by when).
//! Organisers and the note-takers they name record them.

use chrono::NaiveDate;

use super::text;

pub const DECISION_MAX: usize = 2000;
pub const WHAT_MAX: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Open, Status::Done]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A refused field (`outcome.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

pub fn decision(body: &str) -> Result<String, FieldError> {
    text::multiline(body, DECISION_MAX, true).map_err(|_| FieldError {
        field: "body",
        code: "decision",
    })
}

/// [`action`], refused together with the caller's own findings (`errors`: an unknown owner or
/// organisation), so a form shows every mistake at once.
pub fn action_with(
    what: &str,
    due: &str,
    mut errors: Vec<FieldError>,
) -> Result<(String, Option<NaiveDate>), Vec<FieldError>> {
    match action(what, due) {
        Ok(parsed) if errors.is_empty() => Ok(parsed),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.extend(e);
            Err(errors)
        }
    }
}

/// An action: what (one line), and an optional due date (`YYYY-MM-DD`, as a date field sends
/// it) from 2000 to 2200.
pub fn action(what: &str, due: &str) -> Result<(String, Option<NaiveDate>), Vec<FieldError>> {
    let what = text::line(what, WHAT_MAX, true).map_err(|_| FieldError {
        field: "what",
        code: "what",
    });
    let due = match due.trim() {
        "" => Ok(None),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2200).contains(&chrono::Datelike::year(d)))
            .map(Some)
            .ok_or(FieldError {
                field: "due",
                code: "due",
            }),
    };
    match (what, due) {
        (Ok(w), Ok(d)) => Ok((w, d)),
        (w, d) => Err([w.err(), d.err()].into_iter().flatten().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_need_what_and_a_real_date() {
        assert_eq!(
            action("Indkøbsgruppe nedsættes", "2027-05-01").map(|a| a.1.is_some()),
            Ok(true)
        );
        assert_eq!(action("X", "").map(|a| a.1), Ok(None));
        let codes: Vec<_> = action("", "2027-13-01")
            .unwrap_err()
            .iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["what", "due"]);
        assert!(action("X", "99999-01-01").is_err());
        assert!(decision(" ").is_err());
    }
}
