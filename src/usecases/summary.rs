//! A salon's summary: when it has ended, an organiser reviews it and sends it, once, to everyone
//! who had a seat (through the outbox, in each person's language); it stays on the salon page.
//! It says which themes were discussed (with their conclusions), the priority results (the top
//! options of each closed round), the decisions and the actions, and where the transcript is.

use rust_i18n::t;

use super::Failure;
use crate::app::App;
use crate::domain::rsvp::Standing;
use crate::domain::summary::{RoundResult, Summary, ties};
use crate::domain::time::now;
use crate::ids::PersonId;
use crate::store::salons::Salon;
use crate::store::{outcomes, people, rounds, rsvps, themes};

/// The summary in language `l`, with the organiser's `intro`.
pub async fn build(app: &App, salon: &Salon, l: &str, intro: &str) -> Result<Summary, Failure> {
    let themes = themes::of_salon(&app.db, salon.id)
        .await?
        .into_iter()
        .map(|th| (th.title, th.conclusion))
        .collect();
    let mut results = Vec::new();
    for r in rounds::of_salon(&app.db, salon.id).await? {
        if r.state() != crate::domain::round::State::Closed {
            continue;
        }
        let mut options: Vec<(String, i64)> = rounds::options(&app.db, r.id)
            .await?
            .into_iter()
            .map(|o| (o.label, o.points))
            .collect();
        options.sort_by_key(|o| std::cmp::Reverse(o.1));
        results.push(RoundResult {
            question: r.question.clone(),
            ties: ties(&options),
            options,
            voters: rounds::voters(&app.db, r.id).await?,
        });
    }
    let decisions = outcomes::decisions_of_salon(&app.db, salon.id)
        .await?
        .into_iter()
        .map(|d| d.body)
        .collect();
    let actions = outcomes::actions_of_salon(&app.db, salon.id)
        .await?
        .into_iter()
        .map(|a| {
            let who = [a.owner, a.organisation]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let due = a.due.map(|d| crate::i18n::timefmt::day(d, l));
            (a.what, who, due)
        })
        .collect();
    let materials = crate::store::materials::of_salon(&app.db, salon.id)
        .await?
        .into_iter()
        .map(|m| {
            let href = m.href();
            let url = if m.url.is_some() {
                href
            } else {
                app.config.url(&href)
            };
            (m.title, url)
        })
        .collect();
    Ok(Summary {
        lead: t!("summary.lead", locale = l, title = salon.title).to_string(),
        intro: intro.trim().to_string(),
        themes,
        rounds: results,
        decisions,
        actions,
        materials,
        transcript: app.config.url(&format!("/salons/{}/room", salon.id)),
    })
}

/// Why a summary was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSent {
    /// The salon has not ended yet.
    NotEnded,
    /// It was sent before.
    AlreadySent,
}

/// The longest introduction, in characters.
pub const INTRO_MAX: usize = 4000;

/// Send the summary, with the organiser's introduction, to everyone with a seat; returns how
/// many.
pub async fn send(
    app: &App,
    salon: &Salon,
    by: PersonId,
    intro: &str,
) -> Result<Result<usize, NotSent>, Failure> {
    if now() < salon.ends_at {
        return Ok(Err(NotSent::NotEnded));
    }
    let seated: Vec<PersonId> = rsvps::participants(&app.db, salon.id)
        .await?
        .into_iter()
        .filter(|p| p.standing() == Standing::Seated)
        .map(|p| p.person_id)
        .collect();
    let mut mails = Vec::new();
    for id in seated {
        let Some(person) = people::by_id(&app.db, id).await? else {
            continue;
        };
        let summary = build(app, salon, person.locale().code(), intro).await?;
        mails.push(crate::mail::compose::summary(
            &app.config,
            &person,
            salon,
            &summary,
        )?);
    }
    let mut tx = app.db.begin().await?;
    if !crate::store::summaries::claim_summary(&mut tx, salon.id, by, intro.trim()).await? {
        return Ok(Err(NotSent::AlreadySent));
    }
    for mail in &mails {
        crate::mail::queue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    // The salon's page shows the summary from now on.
    app.generations.salon_changed();
    app.mail_wake.notify_one();
    Ok(Ok(mails.len()))
}
