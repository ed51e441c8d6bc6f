//! The demo series' open proposal, so a newcomer sees consent at work: a proposal on shared
//! e-book purchasing closing in a week, with four stances (one a block, with its reason).
//! Members may put proposals to the demo series. Loaded once: a series with a proposal is left
//! as it is.

use chrono::Duration;

use crate::domain::Email;
use crate::domain::proposal::{Choice, ProposalText};
use crate::domain::time::now;
use crate::ids::SeriesId;
use crate::store::{Db, people, proposals, series};

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
