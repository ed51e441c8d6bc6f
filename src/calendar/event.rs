//! The VCALENDAR/VEVENT for salons: invitations (REQUEST with the recipient alone as ATTENDEE),
//! cancellations (CANCEL) and feeds (PUBLISH, no ATTENDEE lines).
//!
//! Times are written in UTC (`Z`), which every client reads the same way; the salon's own zone
//! is shown on its page. UID is stable per salon; SEQUENCE is the salon's revision.

use chrono::{DateTime, Utc};
use rust_i18n::t;

use super::ics::{Writer, utc};
use crate::domain::salon::{AgendaItem, Mode, Status};
use crate::store::salons::Salon;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Publish,
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The invited person, in an invitation only.
pub struct Attendee<'a> {
    pub name: &'a str,
    pub email: &'a str,
    /// NEEDS-ACTION, ACCEPTED, TENTATIVE or DECLINED.
    pub partstat: &'static str,
}

pub struct Event<'a> {
    pub salon: &'a Salon,
    pub agenda: &'a [AgendaItem],
    /// The salon page.
    pub url: String,
    /// A stable id, unique per salon and installation.
    pub uid: String,
    pub organiser_name: &'a str,
    pub organiser_email: &'a str,
    pub attendee: Option<Attendee<'a>>,
    /// Invitations: now. Feeds: the salon's last change, so an unchanged feed is byte-identical.
    pub dtstamp: DateTime<Utc>,
    /// For personal feeds: TENTATIVE for a "maybe".
    pub status_override: Option<&'static str>,
    /// The video meeting's link, for people who may join it (an invitation, a personal feed);
    /// never in a public feed.
    pub meeting_url: Option<&'a str>,
    pub locale: &'a str,
}

/// `salon-42@salon.example.org`.
pub fn uid(salon_id: crate::ids::SalonId, host: &str) -> String {
    format!("salon-{salon_id}@{host}")
}

/// Map an RSVP standing to PARTSTAT.
pub fn partstat(response: Option<&str>) -> &'static str {
    match response {
        Some("yes") => "ACCEPTED",
        Some("maybe") => "TENTATIVE",
        Some("no") => "DECLINED",
        _ => "NEEDS-ACTION",
    }
}

pub struct CalendarHeader<'a> {
    pub method: Option<Method>,
    /// Feeds: the calendar's name and how often clients should refresh.
    pub feed_name: Option<&'a str>,
}

pub fn calendar(header: &CalendarHeader<'_>, events: &[Event<'_>]) -> String {
    let mut w = Writer::new();
    w.begin("VCALENDAR");
    w.raw("PRODID", &[], "-//Salon//Salon samtalesaloner//DA");
    w.raw("VERSION", &[], "2.0");
    w.raw("CALSCALE", &[], "GREGORIAN");
    if let Some(m) = header.method {
        w.raw("METHOD", &[], m.as_str());
    }
    if let Some(name) = header.feed_name {
        w.text("X-WR-CALNAME", &[], name);
        w.raw("REFRESH-INTERVAL", &[("VALUE", "DURATION")], "PT1H");
        w.raw("X-PUBLISHED-TTL", &[], "PT1H");
    }
    for e in events {
        vevent(&mut w, header.method, e);
    }
    w.end("VCALENDAR");
    w.finish()
}

fn vevent(w: &mut Writer, method: Option<Method>, e: &Event<'_>) {
    let s = e.salon;
    let cancelled = method == Some(Method::Cancel) || s.status() == Status::Cancelled;
    w.begin("VEVENT");
    w.raw("UID", &[], &e.uid);
    w.raw("SEQUENCE", &[], &s.revision.to_string());
    w.raw("DTSTAMP", &[], &utc(&e.dtstamp));
    w.raw("DTSTART", &[], &utc(&s.starts_at));
    w.raw("DTEND", &[], &utc(&s.ends_at));
    w.raw("LAST-MODIFIED", &[], &utc(&s.updated_at));
    w.text("SUMMARY", &[], &s.title);
    w.text("DESCRIPTION", &[], &description(e));
    w.text("LOCATION", &[], &location(s, e.locale, e.meeting_url));
    // The link people act on: the video meeting where they may join it (Outlook, Gmail and
    // Apple Calendar show URL and LOCATION), else the salon's page (always in DESCRIPTION).
    w.raw("URL", &[], e.meeting_url.unwrap_or(&e.url));
    if let Some(link) = e.meeting_url {
        // RFC 7986: clients that know CONFERENCE offer a "join" button.
        let label = t!("calendar.video", locale = e.locale).to_string();
        w.raw(
            "CONFERENCE",
            &[("VALUE", "URI"), ("FEATURE", "VIDEO"), ("LABEL", &label)],
            link,
        );
    }
    let status = if cancelled {
        "CANCELLED"
    } else {
        e.status_override.unwrap_or("CONFIRMED")
    };
    w.raw("STATUS", &[], status);
    w.raw(
        "TRANSP",
        &[],
        if status == "TENTATIVE" {
            "TRANSPARENT"
        } else {
            "OPAQUE"
        },
    );
    w.raw(
        "ORGANIZER",
        &[("CN", e.organiser_name)],
        &format!("mailto:{}", e.organiser_email),
    );
    if let Some(a) = &e.attendee {
        w.raw(
            "ATTENDEE",
            &[
                ("CN", a.name),
                ("ROLE", "REQ-PARTICIPANT"),
                ("PARTSTAT", a.partstat),
                ("RSVP", "TRUE"),
            ],
            &format!("mailto:{}", a.email),
        );
    }
    w.end("VEVENT");
}

fn location(s: &Salon, l: &str, meeting: Option<&str>) -> String {
    let online = match meeting {
        Some(link) => link.to_string(),
        None => t!("calendar.online", locale = l).to_string(),
    };
    match (s.mode(), &s.address) {
        (Mode::InPerson, Some(a)) => a.clone(),
        (Mode::Hybrid, Some(a)) => format!("{a} ({online})"),
        _ => online,
    }
}

/// The salon's video link where it has one (online and hybrid salons).
pub fn meeting_of(s: &Salon) -> Option<&str> {
    s.meeting_url
        .as_deref()
        .filter(|u| !u.is_empty() && s.mode().has_link())
}

fn description(e: &Event<'_>) -> String {
    let l = e.locale;
    let mut text = String::new();
    if let Some(link) = e.meeting_url {
        text.push_str(&t!("calendar.join", locale = l, url = link));
        text.push_str("\n\n");
    }
    text.push_str(&e.salon.description);
    if !e.agenda.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&t!("salon.agenda", locale = l));
        text.push(':');
        for item in e.agenda {
            text.push('\n');
            text.push_str(&item.line());
        }
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&t!("calendar.more_at", locale = l, url = e.url));
    text
}
