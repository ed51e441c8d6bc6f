//! The agenda of a salon, typed one item per line (`10.00 Welcome | a note`): parsed with a
//! line-numbered error for each line that is wrong, and turned back into text for editing.

use super::salon::{FieldError, TITLE_MAX, err};
use super::text;

/// One line of the agenda: an optional local start time ("HH:MM"), a title, a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub start_time: Option<String>,
    pub title: String,
    pub note: String,
}

impl AgendaItem {
    /// "10:00 Welcome – a note": the item on one line, as mails and calendar entries write it.
    pub fn line(&self) -> String {
        let mut line = String::new();
        if let Some(time) = &self.start_time {
            line.push_str(time);
            line.push(' ');
        }
        line.push_str(&self.title);
        if !self.note.is_empty() {
            line.push_str(" – ");
            line.push_str(&self.note);
        }
        line
    }
}

/// The agenda is typed one item per line: `10:00 Welcome | a note`. The time and the note are
/// optional. A plain textarea keeps the form usable without JavaScript.
pub fn parse_agenda(text: &str) -> Result<Vec<AgendaItem>, Vec<FieldError>> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if text::line(line, usize::MAX, false).is_err() {
            errors.push(FieldError {
                field: "agenda",
                code: "text_control",
                line: Some(index + 1),
            });
            continue;
        }
        let (head, note) = match line.split_once('|') {
            Some((h, n)) => (h.trim(), n.trim().to_string()),
            None => (line, String::new()),
        };
        let (start_time, title) = match head.split_once(char::is_whitespace) {
            Some((first, rest)) if looks_like_time(first) => match normalise_time(first) {
                Some(t) => (Some(t), rest.trim().to_string()),
                None => {
                    errors.push(FieldError {
                        field: "agenda",
                        code: "agenda_bad_time",
                        line: Some(index + 1),
                    });
                    continue;
                }
            },
            _ => (None, head.to_string()),
        };
        if title.is_empty() {
            errors.push(FieldError {
                field: "agenda",
                code: "agenda_no_title",
                line: Some(index + 1),
            });
            continue;
        }
        if title.chars().count() > TITLE_MAX || note.chars().count() > 2000 {
            errors.push(FieldError {
                field: "agenda",
                code: "text_too_long",
                line: Some(index + 1),
            });
            continue;
        }
        items.push(AgendaItem {
            start_time,
            title,
            note,
        });
    }
    if items.len() > 100 {
        errors.push(err("agenda", "agenda_too_long"));
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

fn looks_like_time(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit()) && s.contains([':', '.'])
}

/// "9.30" or "09:30" -> "09:30"; None when it is not a time of day.
fn normalise_time(s: &str) -> Option<String> {
    let (h, m) = s.split_once([':', '.'])?;
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// The item under way: the one the organiser moved the salon to (`moved`, its position), else
/// by the clock while the salon runs (the last item whose start time, in the salon's zone, has
/// come), else none. A moved position past the end counts as the last item.
pub fn current_item(
    items: &[AgendaItem],
    moved: Option<i64>,
    starts_at: chrono::DateTime<chrono::Utc>,
    ends_at: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<usize> {
    if items.is_empty() {
        return None;
    }
    if let Some(p) = moved {
        return Some(usize::try_from(p).unwrap_or(0).min(items.len() - 1));
    }
    if !(starts_at <= now && now < ends_at) {
        return None;
    }
    let clock = now.with_timezone(&tz).format("%H:%M").to_string();
    items
        .iter()
        .rposition(|i| i.start_time.as_deref().is_some_and(|t| t <= clock.as_str()))
}

/// The agenda back as the text the organiser typed (for the edit form).
pub fn agenda_to_text(items: &[AgendaItem]) -> String {
    items
        .iter()
        .map(|i| {
            let mut line = String::new();
            if let Some(t) = &i.start_time {
                line.push_str(t);
                line.push(' ');
            }
            line.push_str(&i.title);
            if !i.note.is_empty() {
                line.push_str(" | ");
                line.push_str(&i.note);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_round_trips() {
        let items = parse_agenda("9.00 Velkomst | kaffe\nDiskussion").unwrap_or_default();
        assert_eq!(agenda_to_text(&items), "09:00 Velkomst | kaffe\nDiskussion");
    }
}
