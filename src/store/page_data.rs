//! What every viewer of a page sees alike, as plain values, kept between page loads in the
//! app's caches (`App::room_cache`, `App::salon_cache`) until the data behind it changes: read
//! by the pages' doors (`web::room::shared`, `web::salon_page`). Here, below the app, so the
//! caches can name it.

use std::collections::HashMap;

use crate::domain::salon::AgendaItem;
use crate::ids::{OptionId, PersonId, RoundId};
use crate::store::outcomes::{Action, Decision};
use crate::store::rooms::{Message, Room};
use crate::store::rounds::{Round, RoundOption};
use crate::store::themes::Theme;

/// A room page's shared part: organisers see hidden messages and draft rounds, so they have an
/// entry of their own.
pub struct RoomShared {
    pub all_rooms: Vec<Room>,
    pub history: Vec<Message>,
    pub questions: Vec<Message>,
    pub agenda: Vec<AgendaItem>,
    pub agenda_moved: Option<i64>,
    /// The salon's rounds (drafts for organisers only), with their options and voter counts.
    pub rounds: Vec<(Round, Vec<RoundOption>, i64)>,
    /// Each open round's ballots, by person: a page shows only the viewer's own, and keeping
    /// them here saves a query on every page load while a round is open (a ballot moves the
    /// rooms' generation when it is stored, so the voter's reload shows it).
    pub ballots: HashMap<RoundId, HashMap<PersonId, HashMap<OptionId, i64>>>,
    pub themes: Vec<Theme>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<Action>,
    /// The proposals put to the salon, each with its stances (a page shows the viewer's own
    /// in the form, and the rest once the results may be shown).
    pub proposals: Vec<(
        crate::store::proposals::Proposal,
        Vec<crate::store::proposals::Stance>,
    )>,
    /// The salon's materials.
    pub materials: Vec<crate::store::materials::Material>,
    /// The polls put to the salon, each with its options and every answer (a page shows the
    /// viewer's own in the form, and the counted results once they may be shown).
    pub polls: Vec<RoomPoll>,
}

/// A poll in a room's panel: the poll, its options, and its answers (person, option, value).
pub type RoomPoll = (
    crate::store::polls::Poll,
    Vec<crate::store::polls::PollOption>,
    Vec<(PersonId, crate::ids::PollOptionId, i64)>,
);

/// A salon page's shared part, in one language (the summary is written in it).
pub struct SalonShared {
    pub agenda: Vec<AgendaItem>,
    pub counts: crate::store::rsvps::Counts,
    pub series: Option<crate::store::series::Series>,
    pub organiser: Option<crate::store::people::Person>,
    /// The public participant list.
    pub shown: Vec<(String, Option<String>)>,
    /// The series' themes scheduled into this salon.
    pub themes: Vec<Theme>,
    /// "From last time": the series' previous salon, its open actions and its closed rounds.
    pub last_time: Option<LastTime>,
    /// The summary, once it was sent.
    pub summary: Option<crate::domain::summary::Summary>,
    /// Links and files: pre-reads and what came of the salon.
    pub materials: Vec<crate::store::materials::Material>,
    /// "From the working groups": each group's latest update and what fell due (salons to
    /// come of a series with groups).
    pub from_groups: Vec<crate::store::group_work::Report>,
}

pub struct LastTime {
    pub salon: crate::store::salons::Salon,
    pub open_actions: Vec<Action>,
    pub rounds: Vec<(Round, Vec<RoundOption>)>,
}
