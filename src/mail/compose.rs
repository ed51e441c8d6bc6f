//! Building messages. A mail is composed once, completely (headers, Message-ID, all parts), and
//! stored in the outbox as bytes; the worker sends exactly those bytes on every attempt.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use maud::{DOCTYPE, Markup, html};
use rust_i18n::t;

use crate::config::Config;
use crate::domain::text::defang;

mod texts;
use texts::invitation_texts;

pub use super::notices::{
    action_reminder, confirm_registration, deliverable_reminder, promoted, reminder, sign_in,
};
pub use super::summary::summary;
use crate::i18n::Locale;

/// A message ready for the outbox.
#[derive(Debug, Clone)]
pub struct Composed {
    pub kind: &'static str,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("invalid recipient address: {0}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// A new, globally unique Message-ID in the sender's domain (RFC 5322 §3.6.4).
pub fn new_message_id(from: &Mailbox) -> String {
    format!("<{}@{}>", uuid::Uuid::new_v4(), from.email.domain())
}

/// The recipient's mailbox. Names are checked when they are stored, but one stored before that
/// check (or by hand) must still not reach lettre: its header writer panics on a line break.
fn mailbox(name: &str, email: &str) -> Result<Mailbox, ComposeError> {
    let address = email
        .parse()
        .map_err(|_| ComposeError::Address(email.to_string()))?;
    Ok(Mailbox::new(
        (!name.is_empty()).then(|| defang(name)),
        address,
    ))
}

/// A subject line made of stored text (a salon's title) and our own words: one line, always.
fn subject_line(subject: String) -> String {
    defang(&subject)
}

/// The HTML frame shared by our mails: simple, readable in every client, no remote images.
pub(super) fn html_frame(locale: Locale, title: &str, content: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(locale.code()) {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933; max-width: 40em;" {
                (content)
                hr;
                p style="color: #52606d; font-size: 0.9em;" { (t!("mail.footer", locale = locale.code())) }
            }
        }
    }
    .into_string()
}

/// A plain two-part (text and HTML) mail from paragraphs and one call to action.
pub(super) struct Simple<'a> {
    pub(super) kind: &'static str,
    pub(super) locale: Locale,
    pub(super) name: &'a str,
    pub(super) email: &'a str,
    pub(super) subject: String,
    pub(super) paragraphs: Vec<String>,
    pub(super) action: Option<(String, String)>,
    /// Paragraphs after the call to action.
    pub(super) after: Vec<String>,
}

pub(super) fn simple(config: &Config, m: Simple<'_>) -> Result<Composed, ComposeError> {
    let l = m.locale.code();
    // An address nobody has confirmed is greeted without a name: the name came from whoever
    // typed it, and could be any sentence at all.
    let greeting = match m.name {
        "" => t!("mail.greeting_unnamed", locale = l).to_string(),
        name => t!("mail.greeting", locale = l, name = name).to_string(),
    };
    let mut text = format!("{greeting}\n\n");
    for p in &m.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some((label, url)) = &m.action {
        text.push_str(&format!("{label}:\n{url}\n\n"));
    }
    for p in &m.after {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(&format!("-- \n{}\n", t!("mail.footer", locale = l)));
    let html = html_frame(
        m.locale,
        &m.subject,
        html! {
            p { (greeting) }
            @for p in &m.paragraphs { p { (p) } }
            @if let Some((label, url)) = &m.action { p { a href=(url) style="font-weight: bold;" { (label) } } }
            @for p in &m.after { p { (p) } }
        },
    );
    two_part(
        config,
        Addressed {
            kind: m.kind,
            name: m.name,
            email: m.email,
            subject: m.subject,
        },
        text,
        html,
    )
}

/// Who a two-part mail goes to, what it is and its subject.
pub(super) struct Addressed<'a> {
    pub(super) kind: &'static str,
    pub(super) name: &'a str,
    pub(super) email: &'a str,
    pub(super) subject: String,
}

/// A mail of a text and an HTML part (multipart/alternative), ready for the outbox.
pub(super) fn two_part(
    config: &Config,
    to: Addressed<'_>,
    text: String,
    html: String,
) -> Result<Composed, ComposeError> {
    let from = config.mail.from.clone();
    let message_id = new_message_id(&from);
    let message = Message::builder()
        .from(from)
        .to(mailbox(to.name, to.email)?)
        .subject(subject_line(to.subject.clone()))
        .message_id(Some(message_id.clone()))
        .multipart(MultiPart::alternative_plain_html(text, html))?;
    Ok(Composed {
        kind: to.kind,
        message_id,
        recipient: to.email.to_string(),
        subject: to.subject,
        body: message.formatted(),
    })
}

/// Which calendar mail: a first invitation, an update (higher SEQUENCE), or a cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteKind {
    Invitation,
    Update,
    Cancellation,
    /// After a yes that took a seat: the entry again, accepted, with the video link.
    Confirmation,
}

impl InviteKind {
    fn code(self) -> &'static str {
        match self {
            InviteKind::Invitation => "invitation",
            InviteKind::Update => "update",
            InviteKind::Cancellation => "cancellation",
            InviteKind::Confirmation => "confirmation",
        }
    }
}

/// An invitation, update or cancellation with a real calendar invite:
/// multipart/mixed [ multipart/alternative [ text/plain, text/html,
/// text/calendar; method=REQUEST|CANCEL ], invite.ics ]. The recipient is the only ATTENDEE.
/// `rsvp_link` is the personal answer page (`/rsvp/{token}`), absent in cancellations.
/// What is the recipient's own in an invitation: their answer link, and the reply address that
/// is the calendar's ORGANIZER (`mail::reply_address`; else the sender's address).
#[derive(Debug, Clone, Copy, Default)]
pub struct Personal<'a> {
    pub rsvp_link: Option<&'a str>,
    pub reply_address: Option<&'a str>,
    /// The organiser's own words above a first invitation (checked at the edge).
    pub note: Option<Note<'a>>,
    /// The personal code for the check-in at the door (`domain::attendance`), said where the
    /// salon has a place to come to.
    pub check_in_code: Option<&'a str>,
}

/// A personal note in an invitation: who wrote it and what they wrote.
#[derive(Debug, Clone, Copy)]
pub struct Note<'a> {
    pub by: &'a str,
    pub text: &'a str,
}

pub fn invitation(
    config: &Config,
    kind: InviteKind,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
    agenda: &[crate::domain::salon::AgendaItem],
    response: Option<&str>,
    personal: Personal<'_>,
) -> Result<Composed, ComposeError> {
    let rsvp_link = personal.rsvp_link;
    let locale = person.locale();
    let l = locale.code();
    let when = salon_when(salon, l);
    let url = config.url(&format!("/salons/{}", salon.id));
    let (method, ics) = invite_calendar(
        config,
        kind,
        person,
        salon,
        agenda,
        response,
        personal.reply_address,
    );

    let code = kind.code();
    let subject = t!(
        format!("mail.{code}.subject"),
        locale = l,
        title = salon.title
    )
    .to_string();
    let (text, html) = invitation_texts(&texts::Letter {
        kind,
        person,
        salon,
        agenda,
        subject: &subject,
        when: &when,
        url: url.as_str(),
        rsvp_link,
        note: personal.note,
        check_in: personal.check_in_code,
    });

    let calendar_type = ContentType::parse(&format!(
        "text/calendar; method={}; charset=UTF-8",
        method.as_str()
    ))
    .map_err(|e| ComposeError::Address(format!("content type: {e}")))?;
    let attachment_type = ContentType::parse("application/ics; charset=UTF-8")
        .map_err(|e| ComposeError::Address(format!("content type: {e}")))?;
    let from = config.mail.from.clone();
    let message_id = new_message_id(&from);
    let message = Message::builder()
        .from(from)
        .to(mailbox(&person.name, &person.email)?)
        .subject(subject_line(subject.clone()))
        .message_id(Some(message_id.clone()))
        .multipart(
            MultiPart::mixed()
                .multipart(
                    MultiPart::alternative()
                        .singlepart(SinglePart::plain(text))
                        .singlepart(SinglePart::html(html))
                        .singlepart(
                            SinglePart::builder()
                                .header(calendar_type)
                                .body(ics.clone()),
                        ),
                )
                .singlepart(Attachment::new("invite.ics".to_string()).body(ics, attachment_type)),
        )?;
    Ok(Composed {
        kind: code,
        message_id,
        recipient: person.email.clone(),
        subject,
        body: message.formatted(),
    })
}

/// The calendar of an invitation, update or cancellation: REQUEST or CANCEL, the recipient
/// the only ATTENDEE.
pub(super) fn invite_calendar(
    config: &Config,
    kind: InviteKind,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
    agenda: &[crate::domain::salon::AgendaItem],
    response: Option<&str>,
    reply_address: Option<&str>,
) -> (crate::calendar::event::Method, String) {
    let url = config.url(&format!("/salons/{}", salon.id));
    use crate::calendar::event::{self, Attendee, CalendarHeader, Event, Method};
    let method = if kind == InviteKind::Cancellation {
        Method::Cancel
    } else {
        Method::Request
    };
    let organiser_name = config
        .mail
        .from
        .name
        .clone()
        .unwrap_or_else(|| "Salon".to_string());
    let organiser_email = reply_address
        .map(str::to_string)
        .unwrap_or_else(|| config.mail.from.email.to_string());
    let host = config.base_url.host_str().unwrap_or("salon").to_string();
    let ics = event::calendar(
        &CalendarHeader {
            method: Some(method),
            feed_name: None,
        },
        &[Event {
            salon,
            agenda,
            url: url.to_string(),
            uid: event::uid(salon.id, &host),
            organiser_name: &organiser_name,
            organiser_email: &organiser_email,
            attendee: Some(Attendee {
                name: &person.name,
                email: &person.email,
                partstat: event::partstat(response),
            }),
            dtstamp: crate::domain::time::now(),
            status_override: None,
            // An invitation is personal: the invited may join the video meeting.
            meeting_url: if kind == InviteKind::Cancellation {
                None
            } else {
                event::meeting_of(salon)
            },
            locale: person.locale().code(),
        }],
    );
    (method, ics)
}

/// "mandag 14. desember 2026 kl. 09.00 (Oslo)" for mail text, in the reader's language.
pub(super) fn salon_when(salon: &crate::store::salons::Salon, l: &str) -> String {
    let tz = salon.tz();
    let start = salon.starts_at.with_timezone(&tz);
    format!(
        "{} ({})",
        crate::i18n::timefmt::date_and_clock(&start, l),
        crate::i18n::timefmt::zone_label(tz)
    )
}
