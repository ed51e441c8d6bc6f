//! Themes of a series: what the alliance wants to talk about. Anyone signed in proposes one
//! (a title and why it matters); others support it; organisers merge duplicates, reword,
//! schedule a theme into salons, and move it on: proposed -> scheduled -> discussed ->
//! concluded (with a short conclusion).

use super::text::{self, TextError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Proposed,
    Scheduled,
    Discussed,
    Concluded,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Proposed,
        State::Scheduled,
        State::Discussed,
        State::Concluded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Proposed => "proposed",
            State::Scheduled => "scheduled",
            State::Discussed => "discussed",
            State::Concluded => "concluded",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// An organiser may move a theme to any state (a theme can go back to "proposed" when a
    /// salon is moved); concluding needs a conclusion.
    pub fn needs_conclusion(self) -> bool {
        self == State::Concluded
    }

    /// The state after the theme is scheduled into a salon: a proposed theme is now scheduled;
    /// one that has got further (discussed, concluded) stays where it is.
    pub fn after_scheduling(self) -> State {
        match self {
            State::Proposed => State::Scheduled,
            other => other,
        }
    }
}

pub const TITLE_MAX: usize = 200;
pub const WHY_MAX: usize = 2000;
pub const COMMENT_MAX: usize = 2000;

/// A theme as proposed or reworded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeText {
    pub title: String,
    pub why: String,
}

/// A refused field (`theme.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

fn code(e: TextError, empty: &'static str, too_long: &'static str) -> &'static str {
    match e {
        TextError::Empty => empty,
        TextError::TooLong => too_long,
        TextError::Control => "control",
    }
}

pub fn validate(title: &str, why: &str) -> Result<ThemeText, Vec<FieldError>> {
    let title = text::line(title, TITLE_MAX, true).map_err(|e| FieldError {
        field: "title",
        code: code(e, "title_required", "title_too_long"),
    });
    let why = text::multiline(why, WHY_MAX, false).map_err(|e| FieldError {
        field: "why",
        code: code(e, "why_too_long", "why_too_long"),
    });
    match (title, why) {
        (Ok(title), Ok(why)) => Ok(ThemeText { title, why }),
        (title, why) => Err([title.err(), why.err()].into_iter().flatten().collect()),
    }
}

pub fn comment(body: &str) -> Result<String, FieldError> {
    text::multiline(body, COMMENT_MAX, true).map_err(|e| FieldError {
        field: "body",
        code: code(e, "comment_required", "comment_too_long"),
    })
}

pub fn conclusion(body: &str) -> Result<String, FieldError> {
    text::multiline(body, WHY_MAX, true).map_err(|e| FieldError {
        field: "conclusion",
        code: code(e, "conclusion_required", "why_too_long"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_needs_a_one_line_title_and_may_say_why() {
        assert_eq!(
            validate(" Fælles e-bøger ", "Fordi\r\nvi deler"),
            Ok(ThemeText {
                title: "Fælles e-bøger".into(),
                why: "Fordi\nvi deler".into()
            })
        );
        let errors = validate("", &"x".repeat(WHY_MAX + 1)).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.code).collect::<Vec<_>>(),
            ["title_required", "why_too_long"]
        );
        assert_eq!(validate("a\nb", "").unwrap_err()[0].code, "control");
        assert_eq!(comment("  ").unwrap_err().code, "comment_required");
        assert_eq!(State::parse("scheduled"), Some(State::Scheduled));
        assert!(State::Concluded.needs_conclusion());
    }
}
