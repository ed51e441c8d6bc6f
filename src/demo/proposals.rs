//! The demo series' open proposal, so a newcomer sees consent at work: a proposal on shared
//! e-book purchasing closing in a week, with four stances (one a block, with its reason); and
//! a closed ranked-choice poll with its Borda scores. Members may put proposals to the demo
//! series. Loaded once: a series with a proposal is left as it is.

use chrono::Duration;

use crate::domain::Email;
use crate::domain::poll::{Kind, PollPlan};
use crate::domain::proposal::{Choice, ProposalText};
use crate::domain::time::now;
use crate::ids::SeriesId;
use crate::store::{Db, people, polls, proposals, series};

const STANCES: &[(&str, Choice, &str)] = &[
    ("lars.brandt@kb.example", Choice::Agree, ""),
    (
        "sofie.aa@ddf.example",
        Choice::Agree,
        "DDF kan stå for forhandlingen, som vi gør for e-reolen.",
    ),
    (
        "birgitte.noergaard@cb.example",
        Choice::Abstain,
        "Centralbibliotekerne afventer kommunernes budgetter.",
    ),
    (
        "jens.riis@kombit.example",
        Choice::Block,
        "Kommunernes nuværende aftaler løber til 2029; et fælles indkøb fra 2028 binder dem dobbelt.",
    ),
];

pub async fn load(db: &Db, series_id: SeriesId) -> anyhow::Result<()> {
    if !proposals::of_series(db, series_id).await?.is_empty() {
        return Ok(());
    }
    series::set_members_propose(db, series_id, true).await?;
    let organiser = Email::parse(super::ORGANISER_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(by) = people::by_email(db, &organiser).await?.map(|p| p.id) else {
        return Ok(());
    };
    let text = ProposalText {
        title: "Vi indkøber e-bøger og lydbøger i fællesskab fra 2028".into(),
        background: "I dag forhandler hver kommune sine egne aftaler. Et fælles indkøb giver \
                     borgerne det samme tilbud overalt og os én stemme over for leverandørerne."
            .into(),
        closes_at: now() + Duration::days(7),
    };
    let id = proposals::create(
        db,
        &proposals::NewProposal {
            series_id,
            salon_id: None,
            text: &text,
            hide_results: false,
            by,
        },
    )
    .await?;
    load_poll(db, series_id, by).await?;
    for (email, choice, reason) in STANCES {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(p) = people::by_email(db, &email).await? {
            let mut tx = db.begin().await?;
            proposals::set_stance(&mut tx, id, p.id, *choice, reason).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// (person, the options' places in the order of the poll's options; 0: unranked)
const RANKINGS: &[(&str, [i64; 4])] = &[
    ("lars.brandt@kb.example", [1, 2, 3, 0]),
    ("sofie.aa@ddf.example", [2, 1, 0, 3]),
    ("jens.riis@kombit.example", [1, 3, 2, 0]),
    ("birgitte.noergaard@cb.example", [2, 1, 3, 4]),
    ("ingrid.solberg@bibliotek24.example", [1, 0, 2, 0]),
];

/// A ranked-choice poll that has closed: which theme the spring salons take up first.
async fn load_poll(db: &Db, series_id: SeriesId, by: crate::ids::PersonId) -> anyhow::Result<()> {
    let plan = PollPlan {
        question: "Hvilket tema tager vi op først i foråret?".into(),
        background: String::new(),
        kind: Kind::Ranked,
        options: [
            "Fælles digitalt indhold",
            "En fælles investeringsplan",
            "Kompetencer",
            "Data om brugerne",
        ]
        .map(String::from)
        .to_vec(),
        max_score: 5,
        closes_at: now() + Duration::days(1),
    };
    let mut tx = db.begin().await?;
    let new = polls::NewPoll {
        series_id,
        salon_id: None,
        plan: &plan,
        hide_results: false,
        by,
    };
    let id = polls::create(&mut tx, &new).await?;
    tx.commit().await?;
    let options = polls::options(db, id).await?;
    for (email, places) in RANKINGS {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let Some(p) = people::by_email(db, &email).await? else {
            continue;
        };
        let values: Vec<_> = options
            .iter()
            .zip(places)
            .filter(|(_, place)| **place > 0)
            .map(|(o, place)| (o.id, *place))
            .collect();
        let mut tx = db.begin().await?;
        polls::answer(&mut tx, id, p.id, &values).await?;
        tx.commit().await?;
    }
    let mut tx = db.begin().await?;
    if polls::lock_unclosed(&mut tx, id).await? {
        polls::close(&mut tx, id, "", None).await?;
    }
    tx.commit().await?;
    Ok(())
}
