//! The short mails (text and HTML, one call to action): sign-in, registration confirmation,
//! waitlist promotion, reminders before a salon and before an action's due date, the salon
//! summary. Invitations with calendar parts are in `compose`.

use rust_i18n::t;

use super::compose::{ComposeError, Composed, Simple, salon_when, simple};
use crate::config::Config;
use crate::i18n::Locale;

/// "A seat has freed up: you are now registered."
pub fn promoted(
    config: &Config,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    let when = salon_when(salon, l);
    simple(
        config,
        Simple {
            kind: "promoted",
            locale,
            name: &person.name,
            email: &person.email,
            subject: t!("mail.promoted.subject", locale = l, title = salon.title).to_string(),
            paragraphs: vec![
                t!(
                    "mail.promoted.body",
                    locale = l,
                    title = salon.title,
                    when = when
                )
                .to_string(),
                t!("mail.promoted.change", locale = l).to_string(),
            ],
            action: Some((
                t!("mail.open_salon", locale = l).to_string(),
                config.url(&format!("/salons/{}", salon.id)),
            )),
            after: Vec::new(),
        },
    )
}

/// What became of an answer given with the calendar's own button, when it was not simply taken
/// (past the deadline, or onto the waitlist).
pub fn calendar_answer(
    config: &Config,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
    paragraph: String,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    simple(
        config,
        Simple {
            kind: "calendar_answer",
            locale,
            name: &person.name,
            email: &person.email,
            subject: t!(
                "mail.calendar_answer.subject",
                locale = l,
                title = salon.title
            )
            .to_string(),
            paragraphs: vec![
                t!("mail.calendar_answer.body", locale = l, title = salon.title).to_string(),
                paragraph,
            ],
            action: Some((
                t!("mail.open_salon", locale = l).to_string(),
                config.url(&format!("/salons/{}", salon.id)),
            )),
            after: Vec::new(),
        },
    )
}

/// To the salon's organiser: someone's calendar sent a comment or proposed another time.
pub fn calendar_note(
    config: &Config,
    organiser: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
    who: &str,
    note: &str,
) -> Result<Composed, ComposeError> {
    let locale = organiser.locale();
    let l = locale.code();
    simple(
        config,
        Simple {
            kind: "calendar_note",
            locale,
            name: &organiser.name,
            email: &organiser.email,
            subject: t!(
                "mail.calendar_note.subject",
                locale = l,
                title = salon.title,
                name = crate::domain::text::defang(who)
            )
            .to_string(),
            paragraphs: vec![
                t!(
                    "mail.calendar_note.body",
                    locale = l,
                    name = who,
                    title = salon.title
                )
                .to_string(),
                note.chars().take(1000).collect(),
            ],
            action: Some((
                t!("mail.calendar_note.action", locale = l).to_string(),
                config.url(&format!("/salons/{}/participants", salon.id)),
            )),
            after: Vec::new(),
        },
    )
}

/// The double opt-in mail for someone registering for an open salon.
/// The confirmation of a registration, to an address nobody has confirmed yet: it names no
/// one (the name was typed by whoever registered, who may not own the address), neither in
/// the greeting nor in the To header.
pub fn confirm_registration(
    config: &Config,
    email: &str,
    locale: Locale,
    salon: &crate::store::salons::Salon,
    link: &str,
) -> Result<Composed, ComposeError> {
    let l = locale.code();
    let when = salon_when(salon, l);
    simple(
        config,
        Simple {
            kind: "confirm_registration",
            locale,
            name: "",
            email,
            subject: t!("mail.confirm.subject", locale = l, title = salon.title).to_string(),
            paragraphs: vec![
                t!(
                    "mail.confirm.body",
                    locale = l,
                    title = salon.title,
                    when = when
                )
                .to_string(),
                t!("mail.confirm.ignore", locale = l).to_string(),
            ],
            action: Some((
                t!("mail.confirm.button", locale = l).to_string(),
                link.to_string(),
            )),
            after: Vec::new(),
        },
    )
}

/// The reminder before a salon, to people with a seat.
pub fn reminder(
    config: &Config,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    let when = salon_when(salon, l);
    let mut paragraphs = vec![
        t!(
            "mail.reminder.body",
            locale = l,
            title = salon.title,
            when = when
        )
        .to_string(),
    ];
    if let Some(a) = &salon.address {
        paragraphs.push(t!("mail.place", locale = l, place = a).to_string());
    }
    if let Some(link) = &salon.meeting_url {
        paragraphs.push(t!("mail.reminder.meeting", locale = l, link = link).to_string());
    }
    paragraphs.push(
        t!(
            "mail.reminder.room",
            locale = l,
            link = config.url(&format!("/salons/{}/room", salon.id))
        )
        .to_string(),
    );
    simple(
        config,
        Simple {
            kind: "reminder",
            locale,
            name: &person.name,
            email: &person.email,
            subject: t!("mail.reminder.subject", locale = l, title = salon.title).to_string(),
            paragraphs,
            action: Some((
                t!("mail.open_salon", locale = l).to_string(),
                config.url(&format!("/salons/{}", salon.id)),
            )),
            after: Vec::new(),
        },
    )
}

/// A reminder of an action that is due soon, to its owner.
pub fn action_reminder(
    config: &Config,
    person: &crate::store::people::Person,
    action: &crate::store::outcomes::Action,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    let due = action
        .due
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default();
    simple(
        config,
        Simple {
            kind: "action_reminder",
            locale,
            name: &person.name,
            email: &person.email,
            subject: t!(
                "mail.action_reminder.subject",
                locale = l,
                what = action.what
            )
            .to_string(),
            paragraphs: vec![
                t!(
                    "mail.action_reminder.body",
                    locale = l,
                    what = action.what,
                    due = due
                )
                .to_string(),
            ],
            action: Some((
                t!("outcome.heading", locale = l).to_string(),
                config.url(&format!("/salons/{}/outcomes", action.salon_id)),
            )),
            after: Vec::new(),
        },
    )
}

/// A working group's coordinator reminded of a deliverable due soon.
pub fn deliverable_reminder(
    config: &Config,
    person: &crate::store::people::Person,
    d: &crate::store::group_work::Deliverable,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    let due = d.due_on.format("%d.%m.%Y").to_string();
    simple(
        config,
        Simple {
            kind: "deliverable_reminder",
            locale,
            name: &person.name,
            email: &person.email,
            subject: t!(
                "mail.deliverable_reminder.subject",
                locale = l,
                title = d.title
            )
            .to_string(),
            paragraphs: vec![
                t!(
                    "mail.deliverable_reminder.body",
                    locale = l,
                    title = d.title,
                    group = d.group_name,
                    due = due
                )
                .to_string(),
            ],
            action: Some((
                t!("group.open", locale = l).to_string(),
                config.url(&format!("/groups/{}", d.group_id)),
            )),
            after: Vec::new(),
        },
    )
}

/// The sign-in mail, in the person's language.
pub fn sign_in(
    config: &Config,
    name: &str,
    email: &str,
    locale: Locale,
    link: &str,
) -> Result<Composed, ComposeError> {
    let l = locale.code();
    simple(
        config,
        Simple {
            kind: "sign_in",
            locale,
            name,
            email,
            subject: t!("mail.sign_in.subject", locale = l).to_string(),
            paragraphs: vec![t!("mail.sign_in.intro", locale = l).to_string()],
            action: Some((
                t!("mail.sign_in.button", locale = l).to_string(),
                link.to_string(),
            )),
            after: vec![
                t!("mail.sign_in.expiry", locale = l).to_string(),
                t!("mail.sign_in.ignore", locale = l).to_string(),
            ],
        },
    )
}
