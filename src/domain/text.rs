//! User text checked at the edge: what may be stored in a name, a title or a description.
//!
//! Control characters never get in. A line break in a name reaches mail headers (lettre refuses
//! it), CSV exports and calendar lines; a NUL is refused by PostgreSQL; bidirectional overrides
//! make a name read differently from what it is. Single-line fields refuse all of them;
//! multi-line fields keep line breaks (normalised to `\n`) and tabs, and refuse the rest.

/// Why a piece of text was refused; `code()` is translated as `error.text.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("required")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("contains control characters")]
    Control,
}

impl TextError {
    pub fn code(self) -> &'static str {
        match self {
            TextError::Empty => "empty",
            TextError::TooLong => "too_long",
            TextError::Control => "control",
        }
    }
}

/// Characters no stored text may hold: C0/C1 controls (line breaks are handled by the caller),
/// the Unicode line and paragraph separators, and the bidirectional embedding, override and
/// isolate marks (U+202A-U+202E, U+2066-U+2069).
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A one-line field (name, title, address): trimmed, at most `max` characters, no control
/// characters at all. `Ok("")` when empty and not `required`.
pub fn line(raw: &str, max: usize, required: bool) -> Result<String, TextError> {
    let s = raw.trim();
    if s.chars().any(forbidden) {
        return Err(TextError::Control);
    }
    check_length(s, max, required)
}

/// A multi-line field (description, message): line ends normalised to `\n`, trimmed, at most
/// `max` characters; tabs and line breaks allowed, other control characters refused.
pub fn multiline(raw: &str, max: usize, required: bool) -> Result<String, TextError> {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    let s = normalised.trim();
    if s.chars().any(|c| c != '\n' && c != '\t' && forbidden(c)) {
        return Err(TextError::Control);
    }
    check_length(s, max, required)
}

/// Options typed one per line (a priority round's, a poll's): blank lines skipped, each a
/// one-line field of at most `max` characters, no two alike, and `count` of them. The refusal
/// is the code `option` (a bad or repeated line) or `option_count`.
pub fn option_lines(
    raw: &str,
    max: usize,
    count: std::ops::RangeInclusive<usize>,
) -> Result<Vec<String>, &'static str> {
    let mut list: Vec<String> = Vec::new();
    for l in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line(l, max, true) {
            Ok(o) if !list.contains(&o) => list.push(o),
            _ => return Err("option"),
        }
    }
    if !count.contains(&list.len()) {
        return Err("option_count");
    }
    Ok(list)
}

fn check_length(s: &str, max: usize, required: bool) -> Result<String, TextError> {
    if s.is_empty() {
        return if required {
            Err(TextError::Empty)
        } else {
            Ok(String::new())
        };
    }
    if s.chars().count() > max {
        return Err(TextError::TooLong);
    }
    Ok(s.to_string())
}

/// Text that was stored before these checks existed (or came from somewhere that skipped them),
/// made safe for a one-line context such as a mail header: each forbidden character becomes a
/// space. Used where refusing is no longer possible (a reminder to a stored person).
pub fn defang(s: &str) -> String {
    if !s.chars().any(forbidden) {
        return s.to_string();
    }
    s.chars()
        .map(|c| if forbidden(c) { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_refuses_every_control_character() {
        for bad in [
            "Mette\r\nBcc: x@evil.example",
            "a\nb",
            "a\tb",
            "a\0b",
            "a\u{85}b",
            "a\u{202E}b",
            "a\u{2028}b",
            "\u{7f}",
        ] {
            assert_eq!(line(bad, 200, true), Err(TextError::Control), "{bad:?}");
        }
        assert_eq!(line("  Åse Ødegård  ", 200, true), Ok("Åse Ødegård".into()));
        assert_eq!(line("   ", 200, true), Err(TextError::Empty));
        assert_eq!(line("", 200, false), Ok(String::new()));
        assert_eq!(line(&"x".repeat(201), 200, true), Err(TextError::TooLong));
        assert_eq!(
            line(&"æ".repeat(200), 200, true).map(|s| s.chars().count()),
            Ok(200)
        );
    }

    #[test]
    fn multiline_keeps_line_breaks_and_normalises_them() {
        assert_eq!(
            multiline("a\r\nb\rc\n\td", 100, true),
            Ok("a\nb\nc\n\td".into())
        );
        assert_eq!(
            multiline("a\u{1b}[31mb", 100, true),
            Err(TextError::Control)
        );
        assert_eq!(multiline("a\0b", 100, true), Err(TextError::Control));
    }

    #[test]
    fn defang_makes_stored_text_one_line() {
        assert_eq!(defang("Mette\r\nBcc: x"), "Mette  Bcc: x");
        assert_eq!(defang("Åse"), "Åse");
    }
}
