//! Priority rounds: open, close, cast a ballot. Called by the round pages' plain forms and by
//! the room's websocket alike; each change is announced in the salon's rooms once committed.
//! Whether the person may take part (admitted to the salon's room) is the caller's check.

use crate::app::SharedApp;
use crate::domain::round::{self, State};
use crate::ids::{OptionId, PersonId, RoundId, SalonId};
use crate::rooms::notices::About;
use crate::store::rounds;
use crate::usecases::announce::{announce, announce_soon};

/// What became of a ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cast {
    /// Stored, replacing the person's earlier ballot: points per option (zeros left out).
    Accepted(Vec<(OptionId, i64)>),
    /// Refused, nothing stored (`round.error.<code>`).
    Refused(&'static str),
}

/// Cast or change a ballot: `given` is (option id as written, points as written).
pub async fn cast(
    app: &SharedApp,
    salon: SalonId,
    id: RoundId,
    person: PersonId,
    given: &[(String, String)],
) -> Result<Cast, sqlx::Error> {
    let Some(r) = rounds::get(&app.db, salon, id).await? else {
        return Ok(Cast::Refused("no_such_round"));
    };
    if r.state() != State::Open {
        return Ok(Cast::Refused("not_open"));
    }
    let mut parsed = Vec::with_capacity(given.len());
    for (option, points) in given {
        let Ok(option) = option.trim().parse::<i64>() else {
            return Ok(Cast::Refused("unknown_option"));
        };
        parsed.push((option, points.clone()));
    }
    let options: Vec<i64> = rounds::options(&app.db, r.id)
        .await?
        .iter()
        .map(|o| o.id.0)
        .collect();
    let points =
        match round::validate_ballot(r.points_per_person, r.max_per_option, &options, &parsed) {
            Ok(p) => p
                .into_iter()
                .map(|(o, n)| (OptionId(o), n))
                .collect::<Vec<_>>(),
            Err(e) => return Ok(Cast::Refused(e.code())),
        };
    // The round may have closed since it was read: `cast` checks again under the round's lock.
    if !rounds::cast(&app.db, r.id, person, &points).await? {
        return Ok(Cast::Refused("not_open"));
    }
    // The voter's next page load shows the ballot (pages keep the open rounds' ballots).
    app.generations.room_changed();
    // Everyone sees how many have voted (and, with live results, the totals).
    announce_soon(app, About::Results(r.id));
    Ok(Cast::Accepted(points))
}

/// Open a draft round (false: no such draft in the salon).
pub async fn open(app: &SharedApp, salon: SalonId, id: RoundId) -> Result<bool, sqlx::Error> {
    advance(app, salon, id, State::Draft, State::Open).await
}

/// Close an open round; its results are frozen from here on (false: no such open round).
pub async fn close(app: &SharedApp, salon: SalonId, id: RoundId) -> Result<bool, sqlx::Error> {
    advance(app, salon, id, State::Open, State::Closed).await
}

async fn advance(
    app: &SharedApp,
    salon: SalonId,
    id: RoundId,
    from: State,
    to: State,
) -> Result<bool, sqlx::Error> {
    let Some(r) = rounds::get(&app.db, salon, id).await? else {
        return Ok(false);
    };
    if !rounds::advance(&app.db, r.id, from, to).await? {
        return Ok(false);
    }
    announce(app, About::Round(r.id)).await;
    Ok(true)
}
