//! Bounces (delivery status notifications, RFC 3464, and the plain ones some servers send):
//! which of our mails came back, for whom, and why.

use mail_parser::{Message, MimeHeaders};

use super::Bounce;

/// A delivery status notification, standard or not.
pub(super) fn bounce(m: &Message<'_>) -> Option<Bounce> {
    if !looks_like_a_bounce(m) {
        return None;
    }
    let mut text = String::new();
    for part in &m.parts {
        if let Some(t) = part.text_contents() {
            text.push_str(&t.chars().take(200_000).collect::<String>());
            text.push('\n');
        }
        if let Some(nested) = part.message()
            && let Some(id) = nested.message_id()
        {
            text.push_str(&format!("\nMessage-ID: <{id}>\n"));
        }
    }
    let (status, permanent) = status_of(&text);
    let original_ids = message_ids(&text);
    Some(Bounce {
        original_ids,
        permanent,
        status,
    })
}

/// A delivery status report (multipart/report), or a message from a mailer daemon or with a
/// bounce's subject in one of the languages seen.
fn looks_like_a_bounce(m: &Message<'_>) -> bool {
    let ct = m.content_type();
    let is_report = ct.is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_ascii_lowercase();
    let subject = m.subject().unwrap_or("").to_ascii_lowercase();
    let looks_like_bounce = from.starts_with("mailer-daemon@")
        || from.starts_with("postmaster@")
        || [
            "undeliverable",
            "delivery status notification",
            "mail delivery failed",
            "returned mail",
            "unzustellbar",
            "ikke leveret",
            "kunne ikke leveres",
        ]
        .iter()
        .any(|s| subject.contains(s));
    is_report || looks_like_bounce
}

/// The delivery status (and diagnostic) of a report's text, and whether the failure is
/// permanent; a non-standard bounce is read for an SMTP 5xx reply or the words for one.
fn status_of(text: &str) -> (String, bool) {
    let mut status = String::new();
    let mut permanent = false;
    for line in text.lines() {
        let lower = line.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("status:") {
            let code = rest.split_whitespace().next().unwrap_or("").to_string();
            permanent |= code.starts_with('5');
            if status.is_empty() {
                status = code;
            }
        } else if let Some(rest) = lower.strip_prefix("diagnostic-code:")
            && status.len() < 200
        {
            status = format!("{status} {}", rest.trim())
                .trim()
                .chars()
                .take(200)
                .collect();
        }
    }
    if status.is_empty() {
        // Non-standard: an SMTP 5xx reply or the words for a permanent failure.
        let lower = text.to_ascii_lowercase();
        permanent = lower.contains(" 550 ")
            || lower.contains(" 550-")
            || lower.contains("550 5.")
            || lower.contains("permanent")
            || lower.contains("user unknown")
            || lower.contains("does not exist");
        status = if permanent {
            "5.0.0".to_string()
        } else {
            "4.0.0".to_string()
        };
    }
    (status, permanent)
}

/// The Message-IDs named in a report: `Message-ID:` / `Original-Message-ID:` lines (at most 20).
fn message_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for line in text.lines() {
        let lower = line.trim_start().to_ascii_lowercase();
        if (lower.starts_with("message-id:") || lower.starts_with("original-message-id:"))
            && let Some(start) = line.find('<')
            && let Some(len) = line[start..].find('>')
        {
            let id = line[start + 1..start + len].trim().to_string();
            if !id.is_empty() && !ids.contains(&id) && ids.len() < 20 {
                ids.push(id);
            }
        }
    }
    ids
}
