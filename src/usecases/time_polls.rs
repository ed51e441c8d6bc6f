//! Time polls to find a date: an organiser offers times and asks people (chosen, whole
//! organisations, pasted addresses, as for invitations); each gets a mail with a personal link
//! to answer without signing in. Answers can be changed until a time is picked. Picking a time
//! makes a draft salon of the series at that time, in the poll's zone; its invite page then
//! has the poll's people ticked, ready to invite.

use super::Failure;
use super::invitations::{Invitees, resolve};
use crate::app::App;
use crate::domain::salon::{self, SalonInput};
use crate::domain::time::to_local_input;
use crate::domain::time_poll::{Answer, TimePollText};
use crate::ids::{PersonId, SalonId, SeriesId, TimePollId, TimeSlotId};
use crate::store::people::{self, Person};
use crate::store::time_polls;

/// Create a poll and ask everyone in `who` (one mail each, through the outbox, in the same
/// transaction); returns the poll and how many were asked.
pub async fn create(
    app: &App,
    series: SeriesId,
    text: &TimePollText,
    who: &Invitees,
    by: &Person,
) -> Result<(TimePollId, usize), Failure> {
    let mut tx = app.db.begin().await?;
    let id = time_polls::create(&mut tx, series, text, by.id).await?;
    let poll = time_polls::get(&mut tx, id)
        .await?
        .ok_or_else(|| Failure::Invariant(format!("time poll {id} vanished")))?;
    let slots = time_polls::slots(&mut tx, id).await?;
    let mut asked = 0;
    for person_id in resolve(&mut tx, who).await? {
        let Some(secret) = time_polls::invite(&mut tx, id, person_id).await? else {
            continue;
        };
        let Some(person) = people::by_id(&mut tx, person_id).await? else {
            continue;
        };
        let link = app.config.url(&format!("/timepolls/link/{secret}"));
        let mail = crate::mail::time_poll::invitation(&app.config, &person, &poll, &slots, &link)?;
        crate::mail::queue(&mut tx, &mail).await?;
        asked += 1;
    }
    tx.commit().await?;
    app.mail_wake.notify_one();
    Ok((id, asked))
}

/// Why answers or a pick were not taken; nothing stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A time was picked already.
    Decided,
    /// A time that is not one of the poll's.
    NoSuchTime,
}

/// Replace a person's answers (one per offered time; times left out count as not answered).
pub async fn answer(
    app: &App,
    poll: TimePollId,
    person: PersonId,
    answers: &[(TimeSlotId, Answer)],
) -> Result<Result<(), Refused>, Failure> {
    let mut tx = app.db.begin().await?;
    if time_polls::lock_undecided(&mut tx, poll).await?.is_none() {
        return Ok(Err(Refused::Decided));
    }
    let slots = time_polls::slots(&mut tx, poll).await?;
    if answers
        .iter()
        .any(|(s, _)| !slots.iter().any(|known| known.id == *s))
    {
        return Ok(Err(Refused::NoSuchTime));
    }
    time_polls::set_answers(&mut tx, poll, person, answers).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Pick a time: a draft salon of the series at that time (in the poll's zone, online, its
/// meeting link still to be given), recorded on the poll in the same transaction.
pub async fn choose(
    app: &App,
    poll: TimePollId,
    slot: TimeSlotId,
    by: &Person,
) -> Result<Result<SalonId, Refused>, Failure> {
    let mut tx = app.db.begin().await?;
    let Some(p) = time_polls::lock_undecided(&mut tx, poll).await? else {
        return Ok(Err(Refused::Decided));
    };
    let slots = time_polls::slots(&mut tx, poll).await?;
    let Some(s) = slots.iter().find(|s| s.id == slot) else {
        return Ok(Err(Refused::NoSuchTime));
    };
    let tz = p.tz();
    let ends = s.starts_at + chrono::Duration::minutes(p.minutes);
    // The salon rules want a link for an online salon: checked with a placeholder, stored as
    // none; the draft's edit form asks for the real one (as an imported salon's does).
    let placeholder = app.config.url("/");
    let input = SalonInput {
        title: p.title.clone(),
        description: p.description.clone(),
        series_id: p.series_id.to_string(),
        starts_at: to_local_input(&s.starts_at, tz),
        ends_at: to_local_input(&ends, tz),
        time_zone: tz.name().into(),
        mode: "online".into(),
        meeting_url: placeholder,
        registration: "invitation".into(),
        ..Default::default()
    };
    let mut valid = salon::validate(&input, 0).map_err(|e| {
        Failure::Invariant(format!("a time poll's salon did not pass the rules: {e:?}"))
    })?;
    valid.meeting_url = None;
    let id = crate::store::salons::create(&mut tx, &valid, Some(by.id)).await?;
    time_polls::choose(&mut tx, poll, slot, id).await?;
    tx.commit().await?;
    app.generations.salon_changed();
    Ok(Ok(id))
}
