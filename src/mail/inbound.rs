//! Reading inbound mail (no I/O): what a message is, for `usecases::inbound` to act on.
//!
//! - A calendar reply (iTIP, RFC 5546): a `text/calendar` part or an `.ics` attachment with
//!   METHOD:REPLY (in the Content-Type's `method` or only in the calendar) or METHOD:COUNTER;
//!   its ATTENDEE, PARTSTAT, DELEGATED-FROM, UID, SEQUENCE, DTSTAMP and COMMENT.
//! - A bounce: a delivery status notification (RFC 3464 `multipart/report;
//!   report-type=delivery-status`) or a common non-standard one (a "Mail Delivery" text with the
//!   original message quoted); the original Message-IDs it names and whether it is permanent.
//! - An auto-reply (RFC 3834 `Auto-Submitted`, `X-Autoreply`, `Precedence: auto_reply/bulk`,
//!   out-of-office subjects): set aside, never answered.
//! - Anything else.
//!
//! The sub-address tokens of the recipients (`salon+i-TOKEN@...`) say who the reply is from;
//! the From header is never trusted for that. Limits: 5 MB, 50 calendar components; every
//! input gives an answer, never a panic (a property test feeds it random and mutated mail).

use ical::line::LineReader;
use ical::property::PropertyParser;
use mail_parser::{Message, MessageParser, MimeHeaders};

/// The largest message taken in.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most components (VEVENT, VTIMEZONE, ...) in a reply's calendar.
pub const MAX_COMPONENTS: usize = 50;

/// What a message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    Reply(Reply),
    Bounce(Bounce),
    AutoReply,
    /// Not something Salon acts on, with why (`inbox.reason.<code>`).
    Other(&'static str),
}

/// What the mail said about itself, kept for the inbox list whatever it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    pub message_id: Option<String>,
    pub from: String,
    pub subject: String,
    /// Tokens of `+i-TOKEN` sub-addresses among the recipients (lowercase).
    pub tokens: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// REPLY, or COUNTER (a proposed new time).
    pub counter: bool,
    pub uid: String,
    pub sequence: i64,
    /// As written, UTC (`YYYYMMDDTHHMMSSZ`); replies are ordered by it.
    pub dtstamp: String,
    /// The attendee's address (without `mailto:`, lowercase).
    pub attendee: String,
    pub delegated_from: Option<String>,
    /// ACCEPTED, TENTATIVE, DECLINED, ... (uppercase).
    pub partstat: String,
    pub comment: String,
    /// A counter-proposal's DTSTART, as written.
    pub proposed_start: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounce {
    /// Message-IDs (without angle brackets) the report names as the original mail.
    pub original_ids: Vec<String>,
    /// A 5.x.x status (or a non-standard report saying the failure is permanent).
    pub permanent: bool,
    /// The status code and diagnostic, short, for the organisers.
    pub status: String,
}

/// Read a raw message: what it says about itself, and what it is.
pub fn read(raw: &[u8]) -> (Envelope, Inbound) {
    if raw.len() > MAX_BYTES {
        return (Envelope::default(), Inbound::Other("too_large"));
    }
    let Some(message) = MessageParser::default().parse(raw) else {
        return (Envelope::default(), Inbound::Other("unreadable"));
    };
    let envelope = envelope(&message);
    // Bounces first: a delivery report is automatic mail too (Postfix marks it auto-replied).
    let what = if let Some(bounce) = bounce::bounce(&message) {
        Inbound::Bounce(bounce)
    } else if is_auto_reply(&message) {
        Inbound::AutoReply
    } else {
        match calendar_of(&message) {
            Some(text) => match reply(&text) {
                Ok(r) => Inbound::Reply(r),
                Err(reason) => Inbound::Other(reason),
            },
            None => Inbound::Other("no_calendar"),
        }
    };
    (envelope, what)
}

fn envelope(m: &Message<'_>) -> Envelope {
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    let subject = m.subject().unwrap_or("").chars().take(200).collect();
    let mut tokens = Vec::new();
    let addresses = m
        .to()
        .into_iter()
        .chain(m.cc())
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address().map(str::to_string));
    // Delivered-To / X-Original-To carry the envelope recipient when To was rewritten.
    let delivered = ["Delivered-To", "X-Original-To", "Envelope-To"]
        .into_iter()
        .filter_map(|h| m.header_raw(h))
        .map(|v| v.trim().trim_matches(['<', '>']).to_string());
    for address in addresses.chain(delivered) {
        if let Some(t) = token_in(&address)
            && !tokens.contains(&t)
        {
            tokens.push(t);
        }
    }
    Envelope {
        message_id: m.message_id().map(|s| s.chars().take(300).collect()),
        from,
        subject,
        tokens,
    }
}

/// The token of a `local+i-TOKEN@domain` address, lowercase, if it has the shape of one.
pub fn token_in(address: &str) -> Option<String> {
    let local = address
        .trim()
        .trim_start_matches("mailto:")
        .trim_start_matches("MAILTO:")
        .split('@')
        .next()?;
    let (_, tag) = local.split_once('+')?;
    let token = tag
        .strip_prefix("i-")
        .or_else(|| tag.strip_prefix("I-"))?
        .to_ascii_lowercase();
    (token.len() == super::reply_address::TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)))
    .then_some(token)
}

fn header_text(m: &Message<'_>, name: &str) -> String {
    m.header_raw(name).unwrap_or("").trim().to_ascii_lowercase()
}

/// RFC 3834 and the common non-standard marks of automatic mail.
fn is_auto_reply(m: &Message<'_>) -> bool {
    let auto = header_text(m, "Auto-Submitted");
    if !auto.is_empty() && auto != "no" {
        return true;
    }
    if m.header_raw("X-Autoreply").is_some()
        || m.header_raw("X-Autorespond").is_some()
        || m.header_raw("X-Auto-Response-Suppress")
            .is_some_and(|v| v.to_ascii_lowercase().contains("oof"))
    {
        return true;
    }
    let precedence = header_text(m, "Precedence");
    if matches!(precedence.as_str(), "auto_reply" | "bulk" | "junk" | "list") {
        return true;
    }
    let subject = m.subject().unwrap_or("").to_ascii_lowercase();
    [
        "out of office",
        "automatic reply",
        "autosvar",
        "fraværende",
        "abwesenheitsnotiz",
        "poissa",
    ]
    .iter()
    .any(|s| subject.contains(s))
}

/// The calendar of a reply: a text/calendar part, or an attachment named .ics, or
/// application/ics; the first one that holds a METHOD.
fn calendar_of(m: &Message<'_>) -> Option<String> {
    for part in &m.parts {
        let ct = part.content_type();
        let is_calendar = ct.is_some_and(|c| {
            let (t, s) = (
                c.ctype().to_ascii_lowercase(),
                c.subtype().unwrap_or("").to_ascii_lowercase(),
            );
            (t == "text" && s == "calendar")
                || (t == "application" && (s == "ics" || s == "calendar"))
        }) || part
            .attachment_name()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".ics"));
        if is_calendar
            && let Some(text) = part.text_contents()
            && text.to_ascii_uppercase().contains("METHOD:")
        {
            return Some(text.to_string());
        }
    }
    None
}

/// Read an iTIP REPLY or COUNTER. Errors are `inbox.reason.<code>`.
pub fn reply(text: &str) -> Result<Reply, &'static str> {
    let mut r = Reply::default();
    let mut method = String::new();
    let mut components = 0usize;
    let mut in_event = 0usize;
    let mut events = 0usize;
    for line in LineReader::new(text.as_bytes()) {
        if line.as_str().trim().is_empty() {
            continue;
        }
        let Some(Ok(p)) = PropertyParser::from_reader(line.as_str().as_bytes()).next() else {
            return Err("bad_calendar");
        };
        let name = p.name.to_ascii_uppercase();
        let value = p.value.clone().unwrap_or_default();
        let param = |key: &str| {
            p.params
                .as_ref()
                .and_then(|ps| ps.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .and_then(|(_, v)| v.first().cloned())
        };
        match name.as_str() {
            "BEGIN" => {
                components += 1;
                if components > MAX_COMPONENTS {
                    return Err("too_many_components");
                }
                if value.eq_ignore_ascii_case("VEVENT") {
                    in_event += 1;
                    events += 1;
                }
            }
            "END" if value.eq_ignore_ascii_case("VEVENT") => in_event = in_event.saturating_sub(1),
            "METHOD" => method = value.trim().to_ascii_uppercase(),
            _ if in_event == 0 || events > 1 => {} // only the first event's properties
            "UID" => r.uid = value.trim().to_string(),
            "SEQUENCE" => r.sequence = value.trim().parse().unwrap_or(0),
            "DTSTAMP" => r.dtstamp = value.trim().to_string(),
            "DTSTART" => r.proposed_start = Some(value.trim().to_string()),
            "COMMENT" => r.comment = unescape(&value).chars().take(1000).collect(),
            "ATTENDEE" if r.attendee.is_empty() => {
                r.attendee = mailto(&value);
                r.partstat = param("PARTSTAT").unwrap_or_default().to_ascii_uppercase();
                r.delegated_from = param("DELEGATED-FROM").map(|d| mailto(&d));
            }
            _ => {}
        }
    }
    match method.as_str() {
        "REPLY" => {}
        "COUNTER" => r.counter = true,
        "" => return Err("no_method"),
        _ => return Err("not_a_reply"),
    }
    if !r.counter {
        r.proposed_start = None;
    }
    if r.attendee.is_empty() || r.uid.is_empty() {
        return Err("incomplete_reply");
    }
    Ok(r)
}

/// `mailto:Someone@Example.org` (any case, quoted or not) -> `someone@example.org`.
fn mailto(value: &str) -> String {
    let v = value.trim().trim_matches('"');
    let v = if v.len() >= 7 && v[..7].eq_ignore_ascii_case("mailto:") {
        &v[7..]
    } else {
        v
    };
    v.trim().to_ascii_lowercase()
}

fn unescape(v: &str) -> String {
    v.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

mod bounce;

#[cfg(test)]
mod tests;
