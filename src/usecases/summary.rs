//! A salon's summary: when it has ended, an organiser reviews it and sends it, once, to everyone
//! who had a seat (through the outbox, in each person's language); it stays on the salon page.
//! It says which themes were discussed (with their conclusions), the priority results (the top
//! options of each closed round), the decisions and the actions, and where the transcript is.

use rust_i18n::t;

use super::Failure;
use crate::app::App;
use crate::domain::rsvp::Standing;
use crate::domain::time::now;
use crate::ids::PersonId;
use crate::store::salons::Salon;
use crate::store::{outcomes, people, rounds, rsvps, themes};

/// The summary's paragraphs in language `l` (also what the salon page shows).
pub async fn paragraphs(app: &App, salon: &Salon, l: &str) -> Result<Vec<String>, Failure> {
    let mut out = vec![t!("summary.lead", locale = l, title = salon.title).to_string()];
    let discussed = themes::of_salon(&app.db, salon.id).await?;
    if !discussed.is_empty() {
        let mut p = t!("summary.themes", locale = l).to_string();
        for th in &discussed {
            p.push_str(&format!("\n- {}", th.title));
            if !th.conclusion.is_empty() {
                p.push_str(&format!(": {}", th.conclusion));
            }
        }
        out.push(p);
    }
    for r in rounds::of_salon(&app.db, salon.id).await? {
        if r.state() != crate::domain::round::State::Closed {
            continue;
        }
        let mut options = rounds::options(&app.db, r.id).await?;
        options.sort_by_key(|o| std::cmp::Reverse(o.points));
        let mut p = t!("summary.round", locale = l, question = r.question).to_string();
        for o in options.iter().take(3) {
            p.push_str(&format!(
                "\n- {} ({})",
                o.label,
                crate::i18n::plural("salon.points", o.points, l)
            ));
        }
        out.push(p);
    }
    let decisions = outcomes::decisions_of_salon(&app.db, salon.id).await?;
    if !decisions.is_empty() {
        let mut p = t!("outcome.decisions", locale = l).to_string();
        for d in &decisions {
            p.push_str(&format!("\n- {}", d.body.replace('\n', " ")));
        }
        out.push(p);
    }
    let actions = outcomes::actions_of_salon(&app.db, salon.id).await?;
    if !actions.is_empty() {
        let mut p = t!("outcome.actions", locale = l).to_string();
        for a in &actions {
            let who = [a.owner.clone(), a.organisation.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let due = a
                .due
                .map(|d| {
                    format!(
                        ", {}",
                        t!(
                            "outcome.due",
                            locale = l,
                            date = d.format("%d.%m.%Y").to_string()
                        )
                    )
                })
                .unwrap_or_default();
            p.push_str(&format!("\n- {} ({who}{due})", a.what));
        }
        out.push(p);
    }
    out.push(
        t!(
            "summary.transcript",
            locale = l,
            link = app.config.url(&format!("/salons/{}/room", salon.id))
        )
        .to_string(),
    );
    Ok(out)
}

/// Why a summary was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSent {
    /// The salon has not ended yet.
    NotEnded,
    /// It was sent before.
    AlreadySent,
}

/// Send the summary to everyone with a seat; returns how many.
pub async fn send(
    app: &App,
    salon: &Salon,
    by: PersonId,
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
        let text = paragraphs(app, salon, person.locale().code()).await?;
        mails.push(crate::mail::compose::summary(
            &app.config,
            &person,
            salon,
            text,
        )?);
    }
    let mut tx = app.db.begin().await?;
    if !outcomes::claim_summary(&mut tx, salon.id, by).await? {
        return Ok(Err(NotSent::AlreadySent));
    }
    for mail in &mails {
        crate::mail::queue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    app.mail_wake.notify_one();
    Ok(Ok(mails.len()))
}
