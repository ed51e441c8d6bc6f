//! What a person may be called: the name and job title every way in (registration, the admin
//! form, `salon admin add`, pasted invitations) checks here, once.

use super::text::{self, TextError};

/// Names and job titles are at most this many characters.
pub const NAME_MAX: usize = 200;

/// A name and an optional job title, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    pub name: String,
    pub title: Option<String>,
}

/// Which field was refused, and why; `message_key()` is the translation of the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub error: TextError,
}

impl FieldError {
    pub fn message_key(self) -> &'static str {
        match (self.field, self.error) {
            ("name", TextError::Empty) => "error.name_required",
            ("name", TextError::TooLong) => "error.name_too_long",
            (_, TextError::TooLong) => "error.title_too_long",
            (_, TextError::Empty) => "error.name_required",
            (_, TextError::Control) => "error.text.control",
        }
    }
}

/// A person's name (required) and job title (optional).
pub fn parse(name: &str, title: &str) -> Result<PersonFields, Vec<FieldError>> {
    let name = text::line(name, NAME_MAX, true).map_err(|error| FieldError {
        field: "name",
        error,
    });
    let title = text::line(title, NAME_MAX, false).map_err(|error| FieldError {
        field: "title",
        error,
    });
    match (name, title) {
        (Ok(name), Ok(title)) => Ok(PersonFields {
            name,
            title: Some(title).filter(|t| !t.is_empty()),
        }),
        (name, title) => Err([name.err(), title.err()].into_iter().flatten().collect()),
    }
}

/// Only a name (where there is no title field).
pub fn name(raw: &str) -> Result<String, FieldError> {
    text::line(raw, NAME_MAX, true).map_err(|error| FieldError {
        field: "name",
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fields_are_checked_and_reported_together() {
        let errors = parse("Mette\r\nBcc: x", &"x".repeat(201)).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.message_key()).collect::<Vec<_>>(),
            ["error.text.control", "error.title_too_long"]
        );
        assert_eq!(
            parse(" Åse ", " Direktør "),
            Ok(PersonFields {
                name: "Åse".into(),
                title: Some("Direktør".into())
            })
        );
        assert_eq!(parse("Åse", "").map(|p| p.title), Ok(None));
        assert_eq!(
            name("").map_err(|e| e.message_key()),
            Err("error.name_required")
        );
    }
}
