//! Working groups: what a group, a deliverable and a status update may hold, and who may be
//! named. A group is set up by an organiser (directly or to carry out a decision) with a
//! mandate, members from the organisations and a coordinator among them; it delivers things by
//! dates and says how it stands. Field errors are translated as `group.error.<code>`.

use chrono::NaiveDate;

pub use super::proposal::FieldError;
use super::text;
use crate::ids::PersonId;

pub const NAME_MAX: usize = 120;
pub const MANDATE_MAX: usize = 3000;
pub const TITLE_MAX: usize = 200;
pub const NOTE_MAX: usize = 1000;
pub const UPDATE_MAX: usize = 2000;
/// How many days before its due date a deliverable's coordinator is reminded.
pub const REMIND_DAYS: i64 = 3;

/// Where a deliverable stands (`group.state.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotStarted,
    InProgress,
    Delivered,
}

impl State {
    pub const ALL: [State; 3] = [State::NotStarted, State::InProgress, State::Delivered];
    pub fn as_str(self) -> &'static str {
        match self {
            State::NotStarted => "not_started",
            State::InProgress => "in_progress",
            State::Delivered => "delivered",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// How a group says it stands (`group.status.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    OnTrack,
    AtRisk,
    Blocked,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::OnTrack, Status::AtRisk, Status::Blocked];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::Blocked => "blocked",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

fn err(field: &'static str, code: &'static str) -> FieldError {
    FieldError { field, code }
}

/// A group's own words, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupText {
    pub name: String,
    pub mandate: String,
}

/// Check a group: a name, a mandate within its length, both free of control characters; the
/// coordinator (if any) among the members. Whether the people exist is the caller's check
/// against the store.
pub fn validate(
    name: &str,
    mandate: &str,
    members: &[PersonId],
    coordinator: Option<PersonId>,
) -> Result<GroupText, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text::line(name, NAME_MAX, true).unwrap_or_else(|e| {
        errors.push(err("name", e.code()));
        String::new()
    });
    let mandate = text::multiline(mandate, MANDATE_MAX, false).unwrap_or_else(|e| {
        errors.push(err("mandate", e.code()));
        String::new()
    });
    if coordinator.is_some_and(|c| !members.contains(&c)) {
        errors.push(err("coordinator", "not_member"));
    }
    if errors.is_empty() {
        Ok(GroupText { name, mandate })
    } else {
        Err(errors)
    }
}

/// A deliverable, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverableText {
    pub title: String,
    pub due_on: NaiveDate,
    pub state: State,
    pub link: String,
    pub note: String,
}

/// Check a deliverable: a title, a due date that exists (YYYY-MM-DD), a known state, a link
/// that is http(s) or nothing, and a note within its length.
pub fn deliverable(
    title: &str,
    due_on: &str,
    state: &str,
    link: &str,
    note: &str,
) -> Result<DeliverableText, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = text::line(title, TITLE_MAX, true).unwrap_or_else(|e| {
        errors.push(err("title", e.code()));
        String::new()
    });
    let due_on = match NaiveDate::parse_from_str(due_on.trim(), "%Y-%m-%d") {
        Ok(d) if (2000..=2200).contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            errors.push(err("due_on", "date"));
            None
        }
    };
    let state = State::parse(state).unwrap_or_else(|| {
        errors.push(err("state", "state"));
        State::NotStarted
    });
    let link = match link.trim() {
        "" => String::new(),
        l => super::material::link(l).unwrap_or_else(|_| {
            errors.push(err("link", "link"));
            String::new()
        }),
    };
    let note = text::multiline(note, NOTE_MAX, false).unwrap_or_else(|e| {
        errors.push(err("note", e.code()));
        String::new()
    });
    match (due_on, errors.is_empty()) {
        (Some(due_on), true) => Ok(DeliverableText {
            title,
            due_on,
            state,
            link,
            note,
        }),
        _ => Err(errors),
    }
}

/// Check a status update: a known status and a short text.
pub fn update(status: &str, body: &str) -> Result<(Status, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let status = Status::parse(status);
    if status.is_none() {
        errors.push(err("status", "status"));
    }
    let body = text::multiline(body, UPDATE_MAX, true).unwrap_or_else(|e| {
        errors.push(err("body", e.code()));
        String::new()
    });
    match status {
        Some(s) if errors.is_empty() => Ok((s, body)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
