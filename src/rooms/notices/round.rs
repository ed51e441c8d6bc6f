//! A priority round as JSON: the live `round_opened` / `round_results` / `round_closed` frames
//! and `GET /api/v1/salons/{id}/rounds`. Points, voters and the organisations that took part
//! only once the results may be shown.

use serde::Serialize;

use crate::ids::{OptionId, RoundId, SalonId};
use crate::store::Db;
use crate::store::rounds::{self, Round};

#[derive(Debug, Clone, Serialize)]
pub struct OptionJson {
    pub id: OptionId,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganisationJson {
    pub name: String,
    pub country: String,
}

/// A priority round; points, voters and the organisations that took part only once the
/// results may be shown (closed, or open with live results).
#[derive(Debug, Clone, Serialize)]
pub struct RoundJson {
    pub id: RoundId,
    pub salon: SalonId,
    pub question: String,
    pub state: &'static str,
    pub points_per_person: i64,
    pub max_per_option: i64,
    pub live_results: bool,
    pub options: Vec<OptionJson>,
    /// How many have cast a ballot: always shown, so people see the round fill up.
    pub ballots: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voters: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisations: Option<Vec<OrganisationJson>>,
}

impl RoundJson {
    pub async fn load(db: &Db, r: &Round) -> Result<RoundJson, sqlx::Error> {
        let visible = r.results_visible();
        let options = rounds::options(db, r.id)
            .await?
            .into_iter()
            .map(|o| OptionJson {
                id: o.id,
                label: o.label,
                points: visible.then_some(o.points),
            })
            .collect();
        let ballots = rounds::voters(db, r.id).await?;
        let (voters, organisations) = if visible {
            let orgs = rounds::organisations(db, r.id)
                .await?
                .into_iter()
                .map(|(_, name, country)| OrganisationJson { name, country });
            (Some(ballots), Some(orgs.collect()))
        } else {
            (None, None)
        };
        Ok(RoundJson {
            id: r.id,
            salon: r.salon_id,
            question: r.question.clone(),
            state: r.state().as_str(),
            points_per_person: r.points_per_person,
            max_per_option: r.max_per_option,
            live_results: r.live_results,
            options,
            ballots,
            voters,
            organisations,
        })
    }
}
