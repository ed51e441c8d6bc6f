//! Inbound mail for tests: the calendar part of an invitation that arrived, and calendar
//! replies built from the fixtures in `tests/fixtures/inbound` (see its README).

use std::path::Path;

use super::{Mail, mails_to};

/// The SEQUENCE of an invitation's calendar.
pub fn sequence_of(mail: &Mail) -> i64 {
    let raw = String::from_utf8_lossy(&mail.raw).to_string();
    let text = mail
        .parsed()
        .subparts
        .iter()
        .flat_map(|p| p.subparts.iter())
        .filter(|p| p.ctype.mimetype == "text/calendar")
        .filter_map(|p| p.get_body().ok())
        .next()
        .unwrap_or(raw);
    text.lines()
        .find(|l| l.starts_with("SEQUENCE:"))
        .and_then(|l| l["SEQUENCE:".len()..].trim().parse().ok())
        .unwrap()
}

/// The ORGANIZER address, the UID and the Message-ID (without brackets) of an invitation.
pub fn calendar_of(mail: &Mail) -> (String, String, String) {
    fn calendar(p: &mailparse::ParsedMail<'_>) -> Option<String> {
        if p.ctype.mimetype == "text/calendar" {
            return p.get_body().ok();
        }
        p.subparts.iter().find_map(calendar)
    }
    let ics = calendar(&mail.parsed())
        .expect("a calendar part")
        .replace("\r\n ", "");
    let organizer = ics
        .lines()
        .find(|l| l.starts_with("ORGANIZER"))
        .unwrap()
        .rsplit_once("mailto:")
        .unwrap()
        .1
        .trim()
        .to_string();
    let uid = ics.lines().find(|l| l.starts_with("UID:")).unwrap()["UID:".len()..]
        .trim()
        .to_string();
    let message_id = mail
        .header("Message-ID")
        .unwrap()
        .trim()
        .trim_matches(['<', '>'])
        .to_string();
    (organizer, uid, message_id)
}

/// The same for the newest invitation to `email`.
pub fn invitation_calendar(dir: &Path, email: &str) -> (String, String, String) {
    calendar_of(mails_to(dir, email).last().expect("an invitation"))
}

pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out.as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// Quoted-printable, with soft line breaks.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for line in text.split("\r\n") {
        let mut width = 0;
        for b in line.bytes() {
            let piece = if (b == b' ' || b.is_ascii_graphic()) && b != b'=' {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if width + piece.len() > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out.push_str("\r\n");
    }
    out
}

pub struct ReplyTo<'a> {
    pub to: &'a str,
    pub from: &'a str,
    pub uid: &'a str,
    pub attendee: &'a str,
    pub partstat: &'a str,
    pub dtstamp: &'a str,
    pub sequence: i64,
}

/// A reply as `client` sends it (fixture `client.eml` with `client.ics`).
pub fn reply(client: &str, r: &ReplyTo<'_>) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inbound");
    let ics = std::fs::read_to_string(dir.join(format!("{client}.ics")))
        .unwrap()
        .replace("{UID}", r.uid)
        .replace("{ATTENDEE}", r.attendee)
        .replace("{PARTSTAT}", r.partstat)
        .replace("{DTSTAMP}", r.dtstamp)
        .replace("{SEQUENCE}", &r.sequence.to_string())
        .replace('\n', "\r\n");
    let eml = std::fs::read_to_string(dir.join(format!("{client}.eml"))).unwrap();
    eml.replace("{TO}", r.to)
        .replace("{FROM}", r.from)
        .replace("{MESSAGE_ID}", &format!("<{}@mail.example>", uuid()))
        .replace("{CALENDAR_B64}", &base64(ics.as_bytes()))
        .replace("{CALENDAR_QP}", &quoted_printable(&ics))
        .replace("{CALENDAR}", &ics)
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n")
        .into_bytes()
}

pub fn uuid() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// The throwaway Dovecot's port (scripts/test starts it). Without one the test fails rather
/// than pass without having run.
pub fn imap_port() -> Option<u16> {
    match std::env::var("SALON_TEST_IMAP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
    {
        Some(p) => Some(p),
        None => panic!(
            "no IMAP server for this test: SALON_TEST_IMAP_PORT is not set (run scripts/test, which starts Dovecot)"
        ),
    }
}

/// An IMAP URL for a mailbox of this test's own (any user name signs in).
pub fn imap_url(port: u16, user: &str) -> String {
    format!("imap://{user}:secret@127.0.0.1:{port}/INBOX?tls=none")
}

/// A session as `user`, through the app's own IMAP client.
pub async fn imap_session(port: u16, user: &str) -> async_imap::Session<salon::mail::imap::Stream> {
    let config = salon::config::imap::ImapConfig::parse(
        &imap_url(port, user),
        None,
        std::time::Duration::from_secs(1),
    )
    .unwrap();
    salon::mail::imap::connect(&config).await.unwrap()
}

/// How many messages a folder holds (0 when it does not exist yet).
pub async fn imap_count(port: u16, user: &str, folder: &str) -> u32 {
    let mut s = imap_session(port, user).await;
    let n = s.select(folder).await.map(|m| m.exists).unwrap_or(0);
    let _ = s.logout().await;
    n
}
