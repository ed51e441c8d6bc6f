//! The mail that asks a person when they can come: what the poll is for, the times offered
//! (in the person's own zone and language) and their personal link to answer without signing
//! in. It has no calendar entry: there is no date yet; the invitation with the calendar entry
//! comes when a time is picked and the salon is invited to.

use rust_i18n::t;

use super::compose::{ComposeError, Composed, Simple, simple};
use crate::config::Config;
use crate::store::people::Person;
use crate::store::time_polls::{Slot, TimePoll};

pub fn invitation(
    config: &Config,
    person: &Person,
    poll: &TimePoll,
    slots: &[Slot],
    link: &str,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    let tz = person.time_zone().unwrap_or(poll.tz());
    let mut paragraphs = vec![t!("mail.timepoll.body", locale = l, title = poll.title).to_string()];
    if !poll.description.is_empty() {
        paragraphs.push(poll.description.clone());
    }
    let times: Vec<String> = slots
        .iter()
        .map(|s| {
            let ends = s.starts_at + chrono::Duration::minutes(poll.minutes);
            format!(
                "– {}",
                crate::i18n::timefmt::span_text(&s.starts_at, &ends, tz, l)
            )
        })
        .collect();
    paragraphs.push(t!("mail.timepoll.times", locale = l).to_string());
    paragraphs.extend(times);
    simple(
        config,
        Simple {
            kind: "time_poll",
            locale,
            name: &person.name,
            email: &person.email,
            subject: t!("mail.timepoll.subject", locale = l, title = poll.title).to_string(),
            paragraphs,
            action: Some((
                t!("mail.timepoll.button", locale = l).to_string(),
                link.to_string(),
            )),
            after: vec![t!("mail.timepoll.no_calendar", locale = l).to_string()],
        },
    )
}
