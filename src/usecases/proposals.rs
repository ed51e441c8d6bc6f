//! Proposals with consent: put one to a series, take or change a stance until it closes, and
//! close it with an outcome that is recorded as a decision of one of the series' salons (the
//! decision is announced in that salon's rooms like any other). A proposal put to a salon is
//! announced in its rooms when it is put, when stances change and when it closes. Who may
//! propose and who may close is the caller's check (the series' setting, the organiser role).

use crate::app::SharedApp;
use crate::domain::proposal::{Choice, ProposalText};
use crate::ids::{DecisionId, PersonId, ProposalId, SalonId, SeriesId};
use crate::rooms::notices::About;
use crate::store::outcomes::{self, NewDecision};
use crate::store::proposals::{self, NewProposal};
use crate::store::salons;
use crate::usecases::announce::{announce, announce_soon};

/// Put a proposal to a series, or to one of its salons (`salon`; `None` comes back when it is
/// not one of the series').
pub async fn propose(
    app: &SharedApp,
    series: SeriesId,
    salon: Option<SalonId>,
    text: &ProposalText,
    hide_results: bool,
    by: PersonId,
) -> Result<Option<ProposalId>, sqlx::Error> {
    if let Some(salon) = salon
        && !salon_of_series(app, salon, series).await?
    {
        return Ok(None);
    }
    let new = NewProposal {
        series_id: series,
        salon_id: salon,
        text,
        hide_results,
        by,
    };
    let id = proposals::create(&app.db, &new).await?;
    if salon.is_some() {
        announce(app, About::Proposal(id)).await;
    }
    Ok(Some(id))
}

/// Whether the salon is one of the series' (a proposal's or a poll's salon must be).
pub(crate) async fn salon_of_series(
    app: &SharedApp,
    salon: SalonId,
    series: SeriesId,
) -> Result<bool, sqlx::Error> {
    Ok(salons::get(&app.db, salon)
        .await?
        .is_some_and(|s| s.series_id == Some(series)))
}

/// Take or change a stance (checked by `domain::proposal::stance`); false when the proposal
/// has closed meanwhile (nothing stored).
pub async fn take_stance(
    app: &SharedApp,
    id: ProposalId,
    person: PersonId,
    choice: Choice,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    if !proposals::set_stance(&mut tx, id, person, choice, reason).await? {
        return Ok(false);
    }
    tx.commit().await?;
    // The person's next page load shows the stance; the rooms see the new tally soon after
    // (stances come in bursts when a proposal is opened in a salon).
    app.generations.room_changed();
    announce_soon(app, About::Proposal(id));
    Ok(true)
}

/// Why a proposal was not closed; nothing stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotClosed {
    /// The outcome was written already (by someone else, a moment ago).
    AlreadyClosed,
    /// The salon named for the decision is not one of the series'.
    NoSuchSalon,
}

/// Close a proposal with its outcome (checked by `domain::proposal::outcome`), recorded as a
/// decision of `salon`; stances end here even if the closing time has not come.
pub async fn close(
    app: &SharedApp,
    id: ProposalId,
    series: SeriesId,
    salon: SalonId,
    outcome: &str,
    by: PersonId,
) -> Result<Result<DecisionId, NotClosed>, sqlx::Error> {
    if !salon_of_series(app, salon, series).await? {
        return Ok(Err(NotClosed::NoSuchSalon));
    }
    let mut tx = app.db.begin().await?;
    if !proposals::lock_unclosed(&mut tx, id).await? {
        return Ok(Err(NotClosed::AlreadyClosed));
    }
    let decision = outcomes::decide(
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
    .await?;
    proposals::close(&mut tx, id, outcome, decision).await?;
    tx.commit().await?;
    announce(app, About::Decision(decision)).await;
    announce(app, About::Proposal(id)).await;
    Ok(Ok(decision))
}
