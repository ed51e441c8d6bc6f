//! The words of an invitation, update, cancellation or confirmation: greeting, what it is,
//! where (with the video link where the person may join it), the personal answer links (none in
//! a cancellation or a confirmation), the salon's page (and its room, once registered).

use maud::html;
use rust_i18n::t;

use super::{InviteKind, html_frame};

/// The plain and HTML parts of an invitation: greeting, what changed, where, the personal
/// answer links (none in a cancellation), the salon's page.
pub(super) fn invitation_texts(
    kind: InviteKind,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
    subject: &str,
    when: &str,
    url: &str,
    rsvp_link: Option<&str>,
) -> (String, String) {
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

    let mut text = format!("{greeting}\n\n{lead}\n{place_line}\n\n");
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
            p { (lead) @for line in place_line.lines() { br; (line) } }
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
