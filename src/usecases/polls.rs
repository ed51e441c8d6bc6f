//! Polls: put one to a series (or one of its salons), answer or change one's answer until it
//! closes, and close it, optionally with an outcome recorded as a decision of one of the
//! series' salons. Who may put and close is the caller's check (as for proposals). A poll put
//! to a salon is announced in its rooms (a `poll` frame) when it is put, when answers come in
//! (coalesced) and when it closes.

use crate::app::SharedApp;
use crate::domain::poll::{self, PollPlan};
use crate::ids::{DecisionId, PersonId, PollId, PollOptionId, SalonId, SeriesId};
use crate::rooms::notices::About;
use crate::store::outcomes::{self, NewDecision};
use crate::store::polls::{self, NewPoll, Poll};
use crate::usecases::announce::{announce, announce_soon};
use crate::usecases::proposals::salon_of_series;

/// Put a poll; `None` when the salon named is not one of the series'.
pub async fn put(
    app: &SharedApp,
    series: SeriesId,
    salon: Option<SalonId>,
    plan: &PollPlan,
    hide_results: bool,
    by: PersonId,
) -> Result<Option<PollId>, sqlx::Error> {
    if let Some(salon) = salon
        && !salon_of_series(app, salon, series).await?
    {
        return Ok(None);
    }
    let mut tx = app.db.begin().await?;
    let new = NewPoll {
        series_id: series,
        salon_id: salon,
        plan,
        hide_results,
        by,
    };
    let id = polls::create(&mut tx, &new).await?;
    tx.commit().await?;
    if salon.is_some() {
        announce(app, About::Poll(id)).await;
    }
    Ok(Some(id))
}

/// What became of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    Stored,
    /// Refused, nothing stored (`poll.error.<code>`).
    Refused(&'static str),
}

/// Answer or change one's answer: `given` is (option id as written, value as written).
pub async fn answer(
    app: &SharedApp,
    p: &Poll,
    person: PersonId,
    given: &[(String, String)],
) -> Result<Answered, sqlx::Error> {
    let options: Vec<i64> = polls::options(&app.db, p.id)
        .await?
        .iter()
        .map(|o| o.id.0)
        .collect();
    let mut parsed = Vec::with_capacity(given.len());
    for (option, value) in given {
        let Ok(option) = option.trim().parse::<i64>() else {
            return Ok(Answered::Refused("unknown_option"));
        };
        parsed.push((option, value.clone()));
    }
    let values = match poll::validate_answer(p.kind(), p.max_score, &options, &parsed) {
        Ok(v) => v
            .into_iter()
            .map(|(o, v)| (PollOptionId(o), v))
            .collect::<Vec<_>>(),
        Err(e) => return Ok(Answered::Refused(e.code())),
    };
    let mut tx = app.db.begin().await?;
    if !polls::answer(&mut tx, p.id, person, &values).await? {
        return Ok(Answered::Refused("closed"));
    }
    tx.commit().await?;
    // As a stance: the person's next page load shows the answer; the rooms see the new count
    // (and results) soon after, once for a burst of answers.
    app.generations.room_changed();
    if p.salon_id.is_some() {
        announce_soon(app, About::Poll(p.id));
    }
    Ok(Answered::Stored)
}

/// Why a poll was not closed; nothing stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotClosed {
    AlreadyClosed,
    /// An outcome was written but the salon for its decision is not one of the series'.
    NoSuchSalon,
}

/// Close a poll; a non-empty `outcome` is recorded as a decision of `salon`.
pub async fn close(
    app: &SharedApp,
    p: &Poll,
    salon: Option<SalonId>,
    outcome: &str,
    by: PersonId,
) -> Result<Result<Option<DecisionId>, NotClosed>, sqlx::Error> {
    // Closed already (as read): said before anything about the outcome's salon.
    if p.closed_at.is_some() {
        return Ok(Err(NotClosed::AlreadyClosed));
    }
    let salon = match (outcome.is_empty(), salon) {
        (true, _) => None,
        (false, Some(s)) if salon_of_series(app, s, p.series_id).await? => Some(s),
        (false, _) => return Ok(Err(NotClosed::NoSuchSalon)),
    };
    let mut tx = app.db.begin().await?;
    if !polls::lock_unclosed(&mut tx, p.id).await? {
        return Ok(Err(NotClosed::AlreadyClosed));
    }
    let decision = match salon {
        Some(salon) => Some(
            outcomes::decide(
                &mut tx,
                &NewDecision {
                    salon,
                    body: outcome,
                    theme: None,
                    round: None,
                    message: None,
                    by,
                },
            )
            .await?,
        ),
        None => None,
    };
    polls::close(&mut tx, p.id, outcome, decision).await?;
    tx.commit().await?;
    if let Some(d) = decision {
        announce(app, About::Decision(d)).await;
    }
    if p.salon_id.is_some() {
        announce(app, About::Poll(p.id)).await;
    }
    Ok(Ok(decision))
}
