//! `Email`: an address that has been checked and normalised once, at the edge.

use std::fmt;

/// A syntactically valid email address, trimmed and lower-cased so that one person has one
/// address however they type it (the `person_email_key` constraint relies on this).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the address is empty")]
    Empty,
    #[error("the address is too long")]
    TooLong,
    #[error("the address is not a valid email address")]
    Invalid,
}

impl EmailError {
    /// Stable code, translated by the web layer (`error.email.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "empty",
            EmailError::TooLong => "too_long",
            EmailError::Invalid => "invalid",
        }
    }
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        // RFC 5321 limits a path to 256 octets, the address to 254.
        if trimmed.len() > 254 {
            return Err(EmailError::TooLong);
        }
        // Display names, comments and quoted local parts are valid RFC 5322 but never what a
        // person means in a sign-in box; they would also complicate headers. Refuse them.
        if trimmed.contains(['<', '>', '"', '(', ')', ',', ';', ' ', '\\']) {
            return Err(EmailError::Invalid);
        }
        let parsed: email_address::EmailAddress =
            trimmed.parse().map_err(|_| EmailError::Invalid)?;
        // Require a dot in the domain: "user@localhost" is valid syntax but never a real
        // recipient for an invitation, and usually a typo ("name@gmailcom").
        let domain = parsed.domain();
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(EmailError::Invalid);
        }
        Ok(Email(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        assert_eq!(
            Email::parse("  Mette@KB.dk ").map(|e| e.0),
            Ok("mette@kb.dk".into())
        );
    }

    #[test]
    fn accepts_nordic_domains() {
        assert!(Email::parse("leder@bibliotek.øresund.dk").is_ok());
    }

    #[test]
    fn rejects_what_people_mistype() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        assert_eq!(Email::parse("no-at-sign"), Err(EmailError::Invalid));
        assert_eq!(Email::parse("a@b"), Err(EmailError::Invalid));
        assert_eq!(
            Email::parse("Mette <mette@kb.dk>"),
            Err(EmailError::Invalid)
        );
        assert_eq!(Email::parse("a@@kb.dk"), Err(EmailError::Invalid));
        assert_eq!(Email::parse("two words@kb.dk"), Err(EmailError::Invalid));
        let long = format!("{}@kb.dk", "a".repeat(260));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
