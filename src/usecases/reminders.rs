//! Reminders before salons: `SALON_REMINDER_HOURS` before a salon, everyone with a seat gets
//! one, exactly once per person and salon, also across restarts and several instances (the
//! claim is a row in `reminder_sent`, written in the same transaction as the mail). And
//! reminders of actions: [`ACTION_DAYS`] days before an open action is due, its owner gets one,
//! exactly once (the claim is the action's `reminded_at`, set in the same transaction).

use crate::app::App;
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};
use crate::mail::{self, compose};
use crate::store::{outcomes, people, reminders, salons};

/// Queue the reminders that are due now; returns how many. A row that fails is logged and
/// counted, and the others are still sent: a database error leaves it for the next round, a
/// mail that cannot be composed (an address that is no address) is claimed without a mail, so
/// it is not tried again every minute.
pub async fn send_due(app: &App) -> anyhow::Result<usize> {
    let window = chrono::Duration::from_std(app.config.reminder_before)
        .unwrap_or(chrono::Duration::hours(24));
    let due = reminders::due(&app.db, now() + window).await?;
    let mut sent = 0;
    for (salon_id, person_id) in due {
        match remind(app, salon_id, person_id).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => crate::background::row_failed(
                "reminders",
                format!("salon {salon_id}, person {person_id}"),
                format!("{e:#}"),
            ),
        }
    }
    metrics::counter!("salon_reminders_total").increment(sent as u64);
    Ok(sent)
}

/// One reminder: true when it was queued now.
async fn remind(app: &App, salon_id: SalonId, person_id: PersonId) -> anyhow::Result<bool> {
    let (Some(salon), Some(person)) = (
        salons::get(&app.db, salon_id).await?,
        people::by_id(&app.db, person_id).await?,
    ) else {
        return Ok(false);
    };
    let mut tx = app.db.begin().await?;
    if !reminders::claim(&mut tx, salon_id, person_id).await? {
        return Ok(false); // another instance got there first
    }
    match compose::reminder(&app.config, &person, &salon) {
        Ok(mail) => {
            mail::queue(&mut tx, &mail).await?;
            tx.commit().await?;
            Ok(true)
        }
        Err(e) => {
            // Claimed without a mail: composing will not succeed on the next round either.
            tx.commit().await?;
            Err(e.into())
        }
    }
}

/// The reminders of work between salons: actions' owners, then deliverables' coordinators.
pub async fn send_due_work(app: &App) -> anyhow::Result<usize> {
    let actions = send_due_actions(app).await?;
    Ok(actions + super::group_work::send_due_reminders(app).await?)
}

/// How many days before its due date an action's owner is reminded.
pub const ACTION_DAYS: i64 = 3;

/// Queue the action reminders that are due now; returns how many. Failing rows are logged,
/// counted and skipped, as for salon reminders.
pub async fn send_due_actions(app: &App) -> anyhow::Result<usize> {
    let until = (now() + chrono::Duration::days(ACTION_DAYS)).date_naive();
    let mut sent = 0;
    for action in outcomes::due_for_reminder(&app.db, until).await? {
        match remind_action(app, &action).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => crate::background::row_failed(
                "action reminders",
                format!("action {}", action.id),
                format!("{e:#}"),
            ),
        }
    }
    metrics::counter!("salon_action_reminders_total").increment(sent as u64);
    Ok(sent)
}

async fn remind_action(app: &App, action: &outcomes::Action) -> anyhow::Result<bool> {
    let Some(owner) = action.owner_id else {
        return Ok(false);
    };
    let Some(person) = people::by_id(&app.db, owner).await? else {
        return Ok(false);
    };
    let mut tx = app.db.begin().await?;
    if !outcomes::claim_reminder(&mut tx, action.id).await? {
        return Ok(false);
    }
    // As for salons: a mail that cannot be composed is claimed without one (not retried).
    let composed = compose::action_reminder(&app.config, &person, action);
    if let Ok(mail) = &composed {
        mail::queue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    composed.map(|_| true).map_err(Into::into)
}
