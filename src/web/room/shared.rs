//! What every viewer of a room page sees alike (the history, the questions, the agenda, the
//! rounds with their options and voter counts, the series' themes, the salon's decisions and
//! actions, proposals and polls, the salon's rooms), read once and kept for the next page loads until the room or
//! the strategy work changes (`App::generations`: moved by every room action and announcement,
//! this instance's and, with PostgreSQL, other instances' relayed ones) or ten seconds pass.
//! Organisers see hidden messages and draft rounds, so they have an entry of their own. What is
//! the viewer's own rights and note-taking are read per request; their ballot is picked out of
//! the open rounds' ballots kept here.
//! A message posted meanwhile from another instance is at most ten seconds late on a reload,
//! and room.js's catch-up (`?after=`) brings it at once.

use std::sync::Arc;

use crate::app::SharedApp;
use crate::error::AppResult;
use crate::ids::RoomId;
pub use crate::store::page_data::RoomShared as Shared;
use crate::store::rooms;
use crate::store::salons::Salon;

/// The most supported themes of the series shown in the room's panel (the whole list is a
/// link away, paged).
const ROOM_THEMES: i64 = 30;

/// The room's shared data, from the cache or read now.
pub async fn get(
    app: &SharedApp,
    salon: &Salon,
    room: RoomId,
    organiser: bool,
) -> AppResult<Arc<Shared>> {
    let generation = (
        app.generations
            .rooms()
            .wrapping_add(app.generations.strategy()),
        crate::domain::time::now().timestamp() / 10,
    );
    app.room_cache
        .get_or_render(&(room, organiser), generation, || {
            load(app, salon, room, organiser)
        })
        .await
}

async fn load(app: &SharedApp, salon: &Salon, room: RoomId, organiser: bool) -> AppResult<Shared> {
    let db = &app.db;
    let mut rounds = Vec::new();
    let mut ballots = std::collections::HashMap::new();
    for round in crate::store::rounds::of_salon(db, salon.id).await? {
        // Drafts are the organiser's, to open from the panel.
        if round.state() == crate::domain::round::State::Draft && !organiser {
            continue;
        }
        let options = crate::store::rounds::options(db, round.id).await?;
        let voters = crate::store::rounds::voters(db, round.id).await?;
        if round.state() == crate::domain::round::State::Open {
            let mut by_person: std::collections::HashMap<_, std::collections::HashMap<_, _>> =
                std::collections::HashMap::new();
            for (person, option, points) in crate::store::rounds::ballots(db, round.id).await? {
                by_person.entry(person).or_default().insert(option, points);
            }
            ballots.insert(round.id, by_person);
        }
        rounds.push((round, options, voters));
    }
    let themes = match salon.series_id {
        Some(series) => {
            crate::store::themes::of_series(
                db,
                series,
                None,
                crate::store::Window::first(ROOM_THEMES),
            )
            .await?
        }
        None => Vec::new(),
    };
    let mut proposals = Vec::new();
    for p in crate::store::proposals::of_salon(db, salon.id).await? {
        let stances = crate::store::proposals::stances(db, p.id).await?;
        proposals.push((p, stances));
    }
    let mut polls = Vec::new();
    for p in crate::store::polls::of_salon(db, salon.id).await? {
        let options = crate::store::polls::options(db, p.id).await?;
        let answers = crate::store::polls::answers(db, p.id).await?;
        polls.push((p, options, answers));
    }
    Ok(Shared {
        all_rooms: rooms::of_salon_creating_main(db, salon.id).await?,
        history: rooms::history(db, room, None, 200, organiser).await?,
        questions: rooms::questions(db, room, organiser).await?,
        agenda: crate::store::salons::agenda(db, salon.id).await?,
        agenda_moved: crate::store::agenda_now::get(db, salon.id).await?,
        rounds,
        ballots,
        themes,
        decisions: crate::store::outcomes::decisions_of_salon(db, salon.id).await?,
        actions: crate::store::outcomes::actions_of_salon(db, salon.id).await?,
        proposals,
        materials: crate::store::materials::of_salon(db, salon.id).await?,
        polls,
    })
}
