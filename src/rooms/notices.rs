//! Notices of the series' work shown live in the rooms: priority rounds, themes, decisions and
//! actions.
//!
//! The JSON shapes here are the API's too (`/api/v1/salons/{id}/rounds`, `/api/v1/series/{id}/
//! themes`, `/api/v1/series/{id}/outcomes`), so a client reads one shape in both places.
//!
//! A change is announced (`usecases::announce`) after it is committed: the frame is built once from
//! the database (each frame carries the item's whole state, so a client never has to add up
//! deltas, and a connection that fell behind is sent only the latest frame per item) and
//! published to the rooms it concerns that someone on this instance is in: a round's, a
//! decision's or an action's salon, a theme's whole series. Other instances are told *what*
//! changed and build the same frame from their database (a round with twenty long options does
//! not fit in a NOTIFY payload). Announcing is best effort: the database is the record, and a
//! page load or a reconnect shows the same state.
//!
//! Frames (server to client), beside those of `protocol`:
//! ```text
//! {"type":"round_opened","round":ROUND}    {"type":"round_closed","round":ROUND}
//! {"type":"round_results","round":ROUND}   new totals (or, results hidden, the ballots count),
//!                                          at most every COALESCE_EVERY
//! {"type":"ballot_accepted","round":ID,"points":{"OPTION_ID":N,...}}   to the voter only
//! {"type":"theme","theme":THEME}  {"type":"decision","decision":DECISION}  {"type":"action","action":ACTION}
//! {"type":"rooms","rooms":[{"id":ID,"name":"..."},...]}   the salon's rooms, the main one first
//! {"type":"agenda","current":N}   the agenda item under way (its position from 0; null: none)
//! {"type":"proposal","proposal":PROPOSAL}   {"type":"poll","poll":POLL}
//! {"type":"materials","materials":[MATERIAL,...]}
//! ```

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

mod materials;
mod polls;
mod proposals;
mod round;
pub use materials::MaterialJson;
pub use polls::PollJson;
pub use proposals::{ProposalJson, ROOM_STANCES};
pub use round::{OptionJson, OrganisationJson, RoundJson};

use super::Hub;
use super::hub::Event;
use crate::domain::round::State as RoundState;
use crate::ids::{
    ActionId, DecisionId, OptionId, PollId, ProposalId, RoundId, SalonId, SeriesId, ThemeId,
};
use crate::store::outcomes::{self, Action, Decision};
use crate::store::rounds;
use crate::store::themes::{self, Theme};
use crate::store::{Db, Drafts, rooms};

/// Live results go out at most this often per round (a thousand ballots in ten seconds would
/// otherwise be a thousand result frames to each of a thousand people), and a theme's support
/// at most this often per theme (support and withdraw in a loop would otherwise be a frame to
/// every listener in every room of the series for each click).
pub const COALESCE_EVERY: Duration = Duration::from_millis(500);

/// A theme of a series; `merged_into` once it was merged into another (it is then not listed).
#[derive(Debug, Clone, Serialize)]
pub struct ThemeJson {
    pub id: ThemeId,
    pub title: String,
    pub why: String,
    pub state: &'static str,
    pub support: i64,
    pub salons: Vec<SalonId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<ThemeId>,
}

impl ThemeJson {
    /// `drafts`: whether the salons it is scheduled into include drafts (organisers only).
    pub async fn load(db: &Db, t: &Theme, drafts: Drafts) -> Result<ThemeJson, sqlx::Error> {
        Ok(ThemeJson {
            id: t.id,
            title: t.title.clone(),
            why: t.why.clone(),
            state: t.state().as_str(),
            support: t.support,
            salons: themes::salons_of(db, t.id, drafts).await?,
            merged_into: t.merged_into,
        })
    }
}

/// An action: what, who (a person, an organisation), due (YYYY-MM-DD), open or done.
#[derive(Debug, Clone, Serialize)]
pub struct ActionJson {
    pub id: ActionId,
    pub salon: SalonId,
    pub what: String,
    pub owner: Option<String>,
    pub organisation: Option<String>,
    pub due: Option<String>,
    pub status: &'static str,
    /// Withdrawn after the fact: clients take it off the list.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

impl From<Action> for ActionJson {
    fn from(a: Action) -> ActionJson {
        ActionJson {
            id: a.id,
            salon: a.salon_id,
            status: a.status().as_str(),
            withdrawn: a.withdrawn_at.is_some(),
            what: a.what,
            owner: a.owner,
            organisation: a.organisation,
            due: a.due.map(|d| d.to_string()),
        }
    }
}

/// What changed, as other instances are told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "t", content = "id", rename_all = "lowercase")]
pub enum About {
    /// Opened or closed.
    Round(RoundId),
    /// New ballots in an open round: new totals where results are live, else a new count.
    Results(RoundId),
    Theme(ThemeId),
    Decision(DecisionId),
    Action(ActionId),
    /// The salon's rooms (a breakout room was added).
    Rooms(SalonId),
    /// The agenda item under way (the organiser moved it).
    Agenda(SalonId),
    /// A proposal put to a salon: put, a stance taken or changed, closed.
    Proposal(ProposalId),
    /// A salon's materials (one added or removed).
    Materials(SalonId),
    /// A poll put to a salon: put, answered, closed.
    Poll(PollId),
}

/// Where a frame goes.
enum Target {
    Salon(SalonId),
    Series(SeriesId),
}

struct Frame {
    key: Arc<str>,
    json: String,
    target: Target,
}

/// The frame about a change, or None when there is nothing to show (a draft round, hidden
/// results, a row deleted meanwhile).
async fn frame(db: &Db, about: About) -> Result<Option<Frame>, sqlx::Error> {
    let (key, json, target) = match about {
        About::Round(id) | About::Results(id) => {
            let Some(r) = rounds::by_id(db, id).await? else {
                return Ok(None);
            };
            let kind = match (about, r.state()) {
                (_, RoundState::Draft) => return Ok(None),
                // New totals, or (results hidden) only how many have voted.
                (About::Results(_), RoundState::Open) => "round_results",
                (_, RoundState::Open) => "round_opened",
                (_, RoundState::Closed) => "round_closed",
            };
            let round = RoundJson::load(db, &r).await?;
            (
                format!("round:{id}"),
                serde_json::json!({"type": kind, "round": round}),
                Target::Salon(r.salon_id),
            )
        }
        About::Theme(id) => {
            let Some(t) = themes::get(db, id).await? else {
                return Ok(None);
            };
            // Sent to everyone in the series' rooms, members too.
            let theme = ThemeJson::load(db, &t, Drafts::LeftOut).await?;
            (
                format!("theme:{id}"),
                serde_json::json!({"type": "theme", "theme": theme}),
                Target::Series(t.series_id),
            )
        }
        About::Decision(id) => {
            let Some(d): Option<Decision> = outcomes::decision(db, id).await? else {
                return Ok(None);
            };
            let salon = d.salon_id;
            (
                format!("decision:{id}"),
                serde_json::json!({"type": "decision", "decision": d}),
                Target::Salon(salon),
            )
        }
        About::Rooms(salon) => {
            let list: Vec<serde_json::Value> = rooms::of_salon_creating_main(db, salon)
                .await?
                .into_iter()
                .map(|r| serde_json::json!({"id": r.id, "name": r.name}))
                .collect();
            (
                format!("rooms:{salon}"),
                serde_json::json!({"type": "rooms", "rooms": list}),
                Target::Salon(salon),
            )
        }
        About::Agenda(salon) => {
            let Some(s) = crate::store::salons::get(db, salon).await? else {
                return Ok(None);
            };
            let items = crate::store::salons::agenda(db, salon).await?;
            let moved = crate::store::agenda_now::get(db, salon).await?;
            let current = crate::domain::agenda::current_item(
                &items,
                moved,
                s.starts_at,
                s.ends_at,
                s.tz(),
                crate::domain::time::now(),
            );
            (
                format!("agenda:{salon}"),
                serde_json::json!({"type": "agenda", "current": current}),
                Target::Salon(salon),
            )
        }
        About::Proposal(id) => {
            // Only a proposal put to a salon is shown live, in that salon's rooms.
            let Some(p) = crate::store::proposals::get(db, id).await? else {
                return Ok(None);
            };
            let Some(salon) = p.salon_id else {
                return Ok(None);
            };
            let proposal =
                ProposalJson::load(db, &p, crate::domain::time::now(), Some(ROOM_STANCES)).await?;
            (
                format!("proposal:{id}"),
                serde_json::json!({"type": "proposal", "proposal": proposal}),
                Target::Salon(salon),
            )
        }
        About::Poll(id) => {
            // As a proposal: only a poll put to a salon is shown live, in that salon's rooms.
            let Some(p) = crate::store::polls::get(db, id).await? else {
                return Ok(None);
            };
            let Some(salon) = p.salon_id else {
                return Ok(None);
            };
            let poll = PollJson::load(db, &p, crate::domain::time::now()).await?;
            (
                format!("poll:{id}"),
                serde_json::json!({"type": "poll", "poll": poll}),
                Target::Salon(salon),
            )
        }
        About::Materials(salon) => (
            format!("materials:{salon}"),
            serde_json::json!({"type": "materials", "materials": MaterialJson::of_salon(db, salon, None).await?}),
            Target::Salon(salon),
        ),
        About::Action(id) => {
            let Some(a) = outcomes::action(db, id).await? else {
                return Ok(None);
            };
            let salon = a.salon_id;
            (
                format!("action:{id}"),
                serde_json::json!({"type": "action", "action": ActionJson::from(a)}),
                Target::Salon(salon),
            )
        }
    };
    Ok(Some(Frame {
        key: key.into(),
        json: json.to_string(),
        target,
    }))
}

impl About {
    /// Whether the change shows outside the rooms (on the board): new totals of an open
    /// round do not.
    pub fn changes_pages(self) -> bool {
        !matches!(self, About::Results(_) | About::Rooms(_) | About::Agenda(_))
    }
}

/// Build the frame and publish it to the live rooms it concerns on this instance.
pub async fn publish_here(db: &Db, hub: &Arc<Hub>, about: About) {
    let result = async {
        let Some(f) = frame(db, about).await? else {
            return Ok(());
        };
        let room_ids = match f.target {
            Target::Salon(salon) => rooms::ids_of_salon(db, salon).await?,
            Target::Series(series) => rooms::ids_of_series(db, series).await?,
        };
        let json: tokio_tungstenite::tungstenite::Utf8Bytes = f.json.into();
        for room in room_ids.into_iter().filter(|r| hub.is_live(*r)) {
            hub.publish_local(
                room,
                Event::Notice {
                    key: f.key.clone(),
                    json: json.clone(),
                },
            );
        }
        Ok::<(), sqlx::Error>(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, ?about, "a strategy change could not be shown in the rooms");
    }
}

/// Changes whose announcement is waiting to go out once for all of them ([`announce_soon`]).
#[derive(Default)]
pub struct Due(Mutex<HashSet<About>>);

impl Due {
    /// Note that `about` is due; true when it was not due yet (its announcement is to be
    /// scheduled).
    pub fn note(&self, about: About) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(about)
    }

    /// `about` is being announced: a change after this schedules the next announcement.
    pub fn taken(&self, about: About) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&about);
    }
}

/// The reply to the voter: their ballot as stored.
pub fn ballot_accepted(round: RoundId, points: &[(OptionId, i64)]) -> String {
    let points: serde_json::Map<String, serde_json::Value> = points
        .iter()
        .map(|(o, n)| (o.to_string(), (*n).into()))
        .collect();
    serde_json::json!({"type": "ballot_accepted", "round": round, "points": points}).to_string()
}
