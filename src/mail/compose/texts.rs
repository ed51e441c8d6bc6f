//! The words of an invitation, update, cancellation or confirmation: greeting, the organiser's
//! personal note (a first invitation), what it is, where (with the video link where the person
//! may join it), what it is about and its agenda (not in a cancellation), the personal answer
//! links (none in a cancellation or a confirmation), the salon's page (and its room, once
//! registered).

use maud::html;
use rust_i18n::t;

use super::{InviteKind, html_frame};

/// Everything one invitation's words are made of.
pub(super) struct Letter<'a> {
    pub kind: InviteKind,
    pub person: &'a crate::store::people::Person,
    pub salon: &'a crate::store::salons::Salon,
    pub agenda: &'a [crate::domain::salon::AgendaItem],
    pub subject: &'a str,
    pub when: &'a str,
    pub url: &'a str,
    pub rsvp_link: Option<&'a str>,
    pub note: Option<super::Note<'a>>,
    pub check_in: Option<&'a str>,
}

/// The plain and HTML parts of an invitation: greeting, note, what changed, where, what it is
/// about, the personal answer links (none in a cancellation), the salon's page.
pub(super) fn invitation_texts(letter: &Letter<'_>) -> (String, String) {
    let Letter {
        kind,
        person,
        salon,
        agenda,
        subject,
        when,
        url,
        rsvp_link,
        note,
        check_in,
    } = *letter;
    let locale = person.locale();
    let l = locale.code();
    let code = kind.code();
    let greeting = t!("mail.greeting", locale = l, name = person.name).to_string();
    let now = crate::domain::time::now();
    // Invited while it runs (an online salon takes answers until its end): it reads so.
    let running = kind == InviteKind::Invitation && salon.starts_at <= now && now < salon.ends_at;
    let key = if running {
        "mail.invitation.running".to_string()
    } else {
        format!("mail.{code}.body")
    };
    let lead = t!(key, locale = l, title = salon.title, when = when).to_string();
    // Registered: the room is where they go.
    let room = (kind == InviteKind::Confirmation).then(|| {
        t!(
            "mail.confirmation.room",
            locale = l,
            url = format!("{url}/room")
        )
        .to_string()
    });
    let place = match (&salon.address, salon.mode().has_link()) {
        (Some(a), true) => format!("{a} ({})", t!("calendar.online", locale = l)),
        (Some(a), false) => a.clone(),
        (None, _) => t!("calendar.online", locale = l).to_string(),
    };
    let mut place_line = t!("mail.place", locale = l, place = place).to_string();
    if let Some(link) =
        crate::calendar::event::meeting_of(salon).filter(|_| kind != InviteKind::Cancellation)
    {
        place_line.push('\n');
        place_line.push_str(&t!("calendar.join", locale = l, url = link));
    }
    // At the door of a salon with a place, the organiser checks people in by this code.
    if let Some(code) =
        check_in.filter(|_| salon.address.is_some() && kind != InviteKind::Cancellation)
    {
        place_line.push('\n');
        place_line.push_str(&t!("mail.check_in_code", locale = l, code = code));
    }
    let answers: Vec<(String, String)> = match rsvp_link {
        Some(link) => crate::domain::rsvp::Response::ALL
            .iter()
            .map(|r| {
                (
                    t!(format!("rsvp.answer.{}", r.as_str()), locale = l).to_string(),
                    format!("{link}?answer={}", r.as_str()),
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let answer_intro = t!("mail.answer_intro", locale = l).to_string();
    let see = t!("mail.open_salon", locale = l).to_string();
    // The organiser's note is theirs alone: only in a first invitation, signed with their name.
    let note = note
        .filter(|n| kind == InviteKind::Invitation && !n.text.trim().is_empty())
        .map(|n| {
            (
                t!("mail.note_from", locale = l, name = n.by).to_string(),
                n.text.trim(),
            )
        });
    // What it is about: a cancellation needs none of it.
    let about = kind != InviteKind::Cancellation;
    let description = salon.description.trim();
    let agenda_title = t!("salon.agenda", locale = l).to_string();
    let agenda_lines: Vec<String> = agenda.iter().map(|item| item.line()).collect();

    let mut text = format!("{greeting}\n\n");
    if let Some((by, words)) = &note {
        text.push_str(&format!("{by}\n{}\n\n", quoted(words)));
    }
    text.push_str(&format!("{lead}\n{place_line}\n\n"));
    if about && !description.is_empty() {
        text.push_str(description);
        text.push_str("\n\n");
    }
    if about && !agenda_lines.is_empty() {
        text.push_str(&format!("{agenda_title}:\n"));
        for line in &agenda_lines {
            text.push_str(&format!("  - {line}\n"));
        }
        text.push('\n');
    }
    if let Some(room) = &room {
        text.push_str(room);
        text.push_str("\n\n");
    }
    if !answers.is_empty() {
        text.push_str(&answer_intro);
        text.push('\n');
        for (label, link) in &answers {
            text.push_str(&format!("  {label}: {link}\n"));
        }
        text.push('\n');
    }
    text.push_str(&format!(
        "{see}: {url}\n\n-- \n{}\n",
        t!("mail.footer", locale = l)
    ));
    let html = html_frame(
        locale,
        subject,
        html! {
            p { (greeting) }
            @if let Some((by, words)) = &note {
                p { (by) }
                blockquote style="margin: 0 0 1em 0; padding-left: 1em; border-left: 3px solid #888;" {
                    (paragraphs(words))
                }
            }
            p { (lead) @for line in place_line.lines() { br; (line) } }
            @if about && !description.is_empty() { (paragraphs(description)) }
            @if about && !agenda_lines.is_empty() {
                h2 style="font-size: 1.1em;" { (agenda_title) }
                ul { @for line in &agenda_lines { li { (line) } } }
            }
            @if let Some(room) = &room { p { (room) } }
            @if !answers.is_empty() {
                p { (answer_intro) }
                p { @for (label, link) in &answers { a href=(link) style="display: inline-block; margin-right: 1em; font-weight: bold;" { (label) } } }
            }
            p { a href=(url) { (see) } }
        },
    );

    (text, html)
}

/// A note in the plain part, each line marked as quoted the way mail programs do.
fn quoted(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text with blank lines between paragraphs as HTML paragraphs, line breaks kept; escaped.
fn paragraphs(text: &str) -> maud::Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { @for (i, line) in para.lines().enumerate() { @if i > 0 { br; } (line) } }
        }
    }
}
