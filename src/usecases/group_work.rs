//! What a working group does between salons: its deliverables (added and moved on by its
//! members, its coordinator and organisers) and its status updates, and the reminder a
//! coordinator gets [`REMIND_DAYS`] days before a deliverable is due: exactly once, also across
//! restarts and instances (the claim is the deliverable's `reminded_at`, set in the same
//! transaction as the mail; a new due date is reminded about again).

use crate::app::{App, SharedApp};
use crate::domain::group::{DeliverableText, REMIND_DAYS, Status};
use crate::domain::time::now;
use crate::ids::{DeliverableId, GroupId, GroupUpdateId, PersonId};
use crate::mail::{self, compose};
use crate::store::{group_work as store, people};

pub async fn add_deliverable(
    app: &SharedApp,
    group: GroupId,
    d: &DeliverableText,
) -> Result<DeliverableId, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let id = store::add_deliverable(&mut tx, group, d).await?;
    tx.commit().await?;
    super::groups::changed(app);
    Ok(id)
}

/// Save a deliverable; false when it is not one of the group's.
pub async fn change_deliverable(
    app: &SharedApp,
    group: GroupId,
    id: DeliverableId,
    d: &DeliverableText,
) -> Result<bool, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let found = store::update_deliverable(&mut tx, group, id, d).await?;
    tx.commit().await?;
    super::groups::changed(app);
    Ok(found)
}

pub async fn post_update(
    app: &SharedApp,
    group: GroupId,
    author: PersonId,
    status: Status,
    body: &str,
) -> Result<GroupUpdateId, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let id = store::add_update(&mut tx, group, author, status, body).await?;
    tx.commit().await?;
    super::groups::changed(app);
    Ok(id)
}

/// Queue the deliverable reminders due now; returns how many. A row that fails is logged,
/// counted and skipped, as for action reminders.
pub async fn send_due_reminders(app: &App) -> anyhow::Result<usize> {
    let until = (now() + chrono::Duration::days(REMIND_DAYS)).date_naive();
    let mut sent = 0;
    for d in store::due_for_reminder(&app.db, until).await? {
        match remind(app, &d).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => crate::background::row_failed(
                "deliverable reminders",
                format!("deliverable {}", d.id),
                format!("{e:#}"),
            ),
        }
    }
    metrics::counter!("salon_deliverable_reminders_total").increment(sent as u64);
    Ok(sent)
}

async fn remind(app: &App, d: &store::Deliverable) -> anyhow::Result<bool> {
    let Some(coordinator) = d.coordinator_id else {
        return Ok(false);
    };
    let Some(person) = people::by_id(&app.db, coordinator).await? else {
        return Ok(false);
    };
    let mut tx = app.db.begin().await?;
    if !store::claim_reminder(&mut tx, d.id).await? {
        return Ok(false);
    }
    // A mail that cannot be composed is claimed without one (it would fail every round).
    let composed = compose::deliverable_reminder(&app.config, &person, d);
    if let Ok(mail) = &composed {
        mail::queue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    composed.map(|_| true).map_err(Into::into)
}
