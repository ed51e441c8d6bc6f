//! A salon's rules: what a valid salon is, and the plain types for its mode, status and
//! registration policy. The web layer turns field errors into translated messages
//! (`salon.error.<code>`); nothing here knows about HTTP or SQL.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub use super::agenda::{AgendaItem, agenda_to_text, parse_agenda};
use super::text::{self, TextError};
use super::time::{local_to_utc, parse_time_zone};
use crate::ids::SeriesId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    InPerson,
    Online,
    Hybrid,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::InPerson, Mode::Online, Mode::Hybrid];
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::InPerson => "in_person",
            Mode::Online => "online",
            Mode::Hybrid => "hybrid",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn has_place(self) -> bool {
        matches!(self, Mode::InPerson | Mode::Hybrid)
    }
    pub fn has_link(self) -> bool {
        matches!(self, Mode::Online | Mode::Hybrid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Published, Status::Cancelled]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

impl Status {
    /// Who may see a salon in this status, the one rule for pages, feeds and rooms: drafts
    /// only organisers (everyone else is told it does not exist, not that it is forbidden, so
    /// drafts do not leak); published and cancelled salons everyone. `viewer`: the role of who
    /// looks (None: a visitor, or a public feed, which never shows drafts).
    pub fn visible_to(self, viewer: Option<crate::domain::Role>) -> bool {
        self != Status::Draft || viewer.is_some_and(|r| r.at_least(crate::domain::Role::Organiser))
    }
}

/// Why a salon cannot change to a status (`salon.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// A cancelled salon stays cancelled: invited people were told, and their calendars too.
    CannotRepublish,
}

impl TransitionError {
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::CannotRepublish => "cannot_republish",
        }
    }
}

/// What a status change does: nothing (already so) or a real change, which raises the
/// calendar SEQUENCE (publish and cancel both change what calendars show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Unchanged,
    Change,
}

impl Status {
    /// May a salon in this status become `to`?
    pub fn transition(self, to: Status) -> Result<Transition, TransitionError> {
        match (self, to) {
            (from, to) if from == to => Ok(Transition::Unchanged),
            (Status::Cancelled, Status::Published) => Err(TransitionError::CannotRepublish),
            _ => Ok(Transition::Change),
        }
    }
}

/// Where and when a salon is: what a calendar shows. A change of any of it is a new version of
/// the event (RFC 5546: the organiser raises SEQUENCE), and invited people should hear of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement<'a> {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: &'a str,
    pub mode: &'a str,
    pub address: Option<&'a str>,
    pub meeting_url: Option<&'a str>,
}

impl ValidSalon {
    pub fn placement(&self) -> Placement<'_> {
        Placement {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: self.time_zone.name(),
            mode: self.mode.as_str(),
            address: self.address.as_deref(),
            meeting_url: self.meeting_url.as_deref(),
        }
    }
}

/// The revision (calendar SEQUENCE) after an edit: one higher when the placement moved, the
/// same when only the title, description, capacity or agenda changed.
pub fn revision_after_edit(revision: i64, before: &Placement<'_>, after: &Placement<'_>) -> i64 {
    revision + i64::from(before != after)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// Any signed-in member may answer; people not yet known may register (double opt-in).
    Open,
    /// Only invited people (and organisers) may answer.
    Invitation,
}

impl Registration {
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::Open => "open",
            Registration::Invitation => "invitation",
        }
    }
    pub fn parse(s: &str) -> Option<Registration> {
        match s {
            "open" => Some(Registration::Open),
            "invitation" => Some(Registration::Invitation),
            _ => None,
        }
    }
}

/// What the organiser typed, as text.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SalonInput {
    pub title: String,
    pub description: String,
    pub series_id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    pub mode: String,
    pub address: String,
    pub meeting_url: String,
    pub capacity: String,
    pub rsvp_deadline: String,
    pub registration: String,
    pub agenda: String,
}

/// A salon that passed every rule.
#[derive(Debug, Clone)]
pub struct ValidSalon {
    pub title: String,
    pub description: String,
    pub series_id: Option<SeriesId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub mode: Mode,
    pub address: Option<String>,
    pub meeting_url: Option<String>,
    pub capacity: Option<i64>,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub registration: Registration,
    pub agenda: Vec<AgendaItem>,
}

/// A rule broken by one field. `code` names the message (`salon.error.<code>`); `line` points
/// into the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub line: Option<usize>,
}

pub(super) fn err(field: &'static str, code: &'static str) -> FieldError {
    FieldError {
        field,
        code,
        line: None,
    }
}

mod validate;
use validate::text_code;
pub use validate::{TEXT_MAX, TITLE_MAX, validate};

/// A series: a title and an optional description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSeries {
    pub title: String,
    pub description: String,
}

pub fn validate_series(title: &str, description: &str) -> Result<ValidSeries, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = text::line(title, TITLE_MAX, true).unwrap_or_else(|e| {
        errors.push(err(
            "title",
            text_code(e, "title_required", "title_too_long"),
        ));
        String::new()
    });
    let description = text::multiline(description, TEXT_MAX, false).unwrap_or_else(|e| {
        errors.push(err(
            "description",
            text_code(e, "text_too_long", "text_too_long"),
        ));
        String::new()
    });
    if errors.is_empty() {
        Ok(ValidSeries { title, description })
    } else {
        Err(errors)
    }
}

/// The longest name of a room a salon adds (breakouts, themes).
pub const ROOM_NAME_MAX: usize = 100;

/// A room's name: one line, required, at most [`ROOM_NAME_MAX`] characters.
pub fn room_name(raw: &str) -> Result<String, TextError> {
    text::line(raw, ROOM_NAME_MAX, true)
}

#[cfg(test)]
mod tests;
