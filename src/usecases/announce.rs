//! Telling the rooms about a committed change of the series' work (a round, a theme, a
//! decision, an action): on this instance through the hub, on the others through the relay
//! (`rooms::bridge`), which build the same frame from their database (`rooms::notices`). Each
//! announcement also moves the strategy pages' cache generation (`App::generations`).

use std::sync::atomic::Ordering;

use crate::app::SharedApp;
use crate::ids::RoomId;
use crate::rooms::bridge::What;
use crate::rooms::notices::{self, About, COALESCE_EVERY};

/// Announce a committed change in the rooms it concerns, on every instance.
pub async fn announce(app: &SharedApp, about: About) {
    if about.changes_pages() {
        app.generations.strategy.fetch_add(1, Ordering::Relaxed);
    }
    // Every announcement shows in the room pages (rounds' counts, rooms, the agenda).
    app.generations.room_changed();
    notices::publish_here(&app.db, &app.hub, about).await;
    // The room is not the point of a strategy note: the receiver finds the rooms itself.
    app.hub.relay(RoomId(0), What::Strategy { about });
}

/// A change that may come in bursts (new totals of a round with live results, a theme's
/// support): announce it within [`COALESCE_EVERY`], once for every change made meanwhile. The
/// state is read after the item leaves the set, so a change committed later schedules the next
/// announcement: none is left out.
pub fn announce_soon(app: &SharedApp, about: About) {
    if !app.announcements_due.note(about) {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        tokio::time::sleep(COALESCE_EVERY).await;
        app.announcements_due.taken(about);
        announce(&app, about).await;
    });
}
