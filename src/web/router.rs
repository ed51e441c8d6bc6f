//! The route table: every route is registered here, grouped by area, so this file is the map
//! of the site. Handlers live in one module per area (named in each group's comment); the
//! layers around the three groups of routes are in `web::stack`.
//!
//! Who may call what is enforced by the handlers' extractors (`auth::SignedIn`, `Organiser`,
//! `Admin`) and, for rooms, `room::Entered`; every state-changing request passes the CSRF and
//! Origin check in `context::layer`.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower_http::timeout::TimeoutLayer;

use super::{
    admin, api, assets, audit, board, checkin, concerns, feeds, glossary, groups, health, home,
    import, inbound, invite, landscape, lang, login, materials, me, my_data, organisations,
    organise, outcomes, participants, participation, polls, proposals, room, rounds, rsvp,
    rsvp_link, salon_page, search, statements, summary, themes, time_polls, transcript,
};
use crate::app::SharedApp;
use crate::error::AppError;

/// Request bodies beyond this are refused with 413 (forms are small; the .ics import raises it
/// on its own route).
pub(super) const BODY_LIMIT: usize = 64 * 1024;

/// The pages and their forms: they get the page context (user, language, CSRF) and friendly
/// error pages.
pub(super) fn pages() -> Router<SharedApp> {
    Router::new()
        // Public pages (home, salon_page): upcoming and past salons, a salon, a series.
        .route("/", get(home::front_page))
        .route("/past", get(home::past))
        .route("/salons/{id}", get(salon_page::show))
        .route("/series/{id}", get(salon_page::show_series))
        // The field's map (organisations, landscape): anyone reads; organisers add and edit,
        // and an item's stewards edit it.
        .route("/organisations", get(organisations::list))
        .route("/organisations/{short}", get(organisations::show))
        .route(
            "/organisations/{short}/edit",
            get(organisations::edit_form).post(organisations::update),
        )
        .route("/glossary", get(glossary::show).post(glossary::add))
        .route(
            "/glossary/{id}/edit",
            get(glossary::edit_form).post(glossary::update),
        )
        .route("/glossary/{id}/remove", post(glossary::remove))
        .route("/landscape", get(landscape::list).post(landscape::create))
        .route("/landscape.csv", get(landscape::csv))
        .route("/landscape/new", get(landscape::new_form))
        .route("/landscape/roadmap", get(landscape::roadmap))
        .route("/landscape/roadmap.csv", get(landscape::roadmap_csv))
        .route("/landscape/{id}", get(landscape::show))
        .route(
            "/landscape/{id}/edit",
            get(landscape::edit_form).post(landscape::update),
        )
        // Working groups (groups): members read; organisers set up and change a group and its
        // meetings; its members and organisers add deliverables and post status updates.
        .route(
            "/series/{id}/groups",
            get(groups::list).post(groups::create),
        )
        .route("/series/{id}/groups/new", get(groups::new_form))
        .route("/groups/{id}", get(groups::show))
        .route(
            "/groups/{id}/edit",
            get(groups::edit_form).post(groups::update),
        )
        .route("/groups/{id}/deliverables", post(groups::add_deliverable))
        .route(
            "/groups/{id}/deliverables/{did}",
            post(groups::change_deliverable),
        )
        .route("/groups/{id}/updates", post(groups::post_update))
        .route("/groups/{id}/meetings", post(groups::set_meeting))
        .route(
            "/groups/{id}/meetings/{salon}/invite",
            post(groups::invite_members),
        )
        // What a theme, decision or action concerns in the map (concerns): organisers and
        // the salon's note-takers.
        .route(
            "/concerns/{kind}/{id}",
            get(concerns::edit_form).post(concerns::save),
        )
        // Search (search): everything the reader may see, best first.
        .route("/search", get(search::show))
        // Answers (rsvp, rsvp_link): signed in, by the link in a mail, or registering anew.
        .route("/salons/{id}/rsvp", post(rsvp::answer))
        .route("/salons/{id}/register", post(rsvp::register))
        .route(
            "/register/{token}",
            get(rsvp::confirm_page).post(rsvp::confirm),
        )
        .route(
            "/rsvp/{token}",
            get(rsvp_link::show).post(rsvp_link::record),
        )
        // Into the running salon's room from the invitation, without a sign-in mail.
        .route("/rsvp/{token}/room", post(rsvp_link::enter_room))
        // Themes of a series (themes): anyone signed in proposes, supports, comments;
        // organisers reword, move on, schedule and merge.
        .route(
            "/series/{id}/themes",
            get(themes::list).post(themes::propose),
        )
        // Proposals of a series (proposals): signed in; organisers (and members where the
        // series allows) propose, everyone takes a stance, organisers close with an outcome.
        .route(
            "/series/{id}/proposals",
            get(proposals::list).post(proposals::create),
        )
        .route("/proposals/{id}", get(proposals::show))
        .route("/proposals/{id}/stance", post(proposals::stance))
        .route("/proposals/{id}/close", post(proposals::close))
        // Polls of a series (polls): the same people as proposals; single, multiple, ranked
        // (Borda) and score polls.
        .route("/series/{id}/polls", get(polls::list).post(polls::create))
        // Time polls to find a date (time_polls): organisers offer times and ask people, who
        // answer signed in or from their personal link; a picked time becomes a draft salon.
        .route(
            "/series/{id}/timepolls",
            get(time_polls::list).post(time_polls::create),
        )
        .route("/timepolls/{id}", get(time_polls::show))
        .route("/timepolls/{id}/answer", post(time_polls::answer))
        .route("/timepolls/{id}/choose", post(time_polls::choose))
        .route(
            "/timepolls/link/{token}",
            get(time_polls::link_page).post(time_polls::link_answer),
        )
        // Participation per organisation over a series' salons (participation): signed in.
        .route("/series/{id}/attendance", get(participation::show))
        .route("/polls/{id}", get(polls::show))
        .route("/polls/{id}/answer", post(polls::answer))
        .route("/polls/{id}/close", post(polls::close))
        .route("/series/{id}/board", get(board::show))
        .route("/series/{id}/board.md", get(board::markdown))
        .route("/themes/{id}", get(themes::show))
        .route("/themes/{id}/support", post(themes::support))
        .route("/themes/{id}/withdraw", post(themes::withdraw))
        .route("/themes/{id}/comments", post(themes::comment))
        .route("/themes/{id}/reword", post(themes::reword))
        .route("/themes/{id}/state", post(themes::set_state))
        .route("/themes/{id}/schedule", post(themes::schedule))
        .route("/themes/{id}/merge", post(themes::merge))
        // Priority rounds in a salon (rounds): organisers prepare, open and close; people
        // admitted to the room cast their points.
        .route(
            "/salons/{id}/rounds",
            get(rounds::list).post(rounds::create),
        )
        .route("/salons/{id}/rounds/{round}", get(rounds::show))
        .route("/salons/{id}/rounds/{round}/results.csv", get(rounds::csv))
        .route("/salons/{id}/rounds/{round}/ballot", post(rounds::ballot))
        .route("/salons/{id}/rounds/{round}/open", post(rounds::open))
        .route("/salons/{id}/rounds/{round}/close", post(rounds::close))
        // Outcomes of a salon (outcomes): decisions and actions by organisers and note-takers.
        .route("/salons/{id}/outcomes", get(outcomes::show))
        .route("/salons/{id}/outcomes/decisions", post(outcomes::decide))
        .route("/salons/{id}/outcomes/actions", post(outcomes::add_action))
        .route(
            "/salons/{id}/outcomes/actions/{action}/{status}",
            post(outcomes::set_action),
        )
        .route(
            "/salons/{id}/outcomes/actions/{action}/change",
            post(outcomes::change_action),
        )
        .route(
            "/salons/{id}/outcomes/actions/{action}/withdraw",
            post(outcomes::withdraw_action),
        )
        .route(
            "/salons/{id}/outcomes/decisions/{decision}/reword",
            post(outcomes::reword_decision),
        )
        .route(
            "/salons/{id}/outcomes/decisions/{decision}/withdraw",
            post(outcomes::withdraw_decision),
        )
        .route(
            "/salons/{id}/outcomes/note-takers",
            post(outcomes::add_note_taker),
        )
        .route(
            "/salons/{id}/summary",
            get(summary::show).post(summary::send),
        )
        // Organising (organise, import): salons, series, status changes, import from .ics.
        .route("/organise", get(organise::overview))
        .route(
            "/salons/new",
            get(organise::new_salon).post(organise::create_salon),
        )
        .route(
            "/salons/{id}/edit",
            get(organise::edit_salon).post(organise::update_salon),
        )
        .route("/salons/{id}/publish", post(organise::publish))
        .route("/salons/{id}/cancel", post(organise::cancel))
        .route("/salons/{id}/duplicate", post(organise::duplicate))
        .route(
            "/series/new",
            get(organise::new_series).post(organise::create_series),
        )
        .route(
            "/series/{id}/edit",
            get(organise::edit_series).post(organise::update_series),
        )
        .route(
            "/salons/import",
            get(import::form)
                .post(import::upload)
                .layer(DefaultBodyLimit::max(import::BODY_LIMIT)),
        )
        // Invitations and participants (invite, participants): organisers.
        .route("/salons/{id}/invite", get(invite::form).post(invite::send))
        .route("/salons/{id}/notify", post(invite::notify))
        .route("/salons/{id}/participants", get(participants::show))
        // Materials of a salon (materials): whoever may see the salon; organisers and
        // note-takers add links here and files through `uploads`, and remove them.
        .route("/salons/{id}/materials", get(materials::show))
        .route("/salons/{id}/materials/link", post(materials::add_link))
        .route(
            "/salons/{id}/materials/{material}/remove",
            post(materials::remove),
        )
        .route(
            "/salons/{id}/materials/{material}/file",
            get(materials::file),
        )
        // Check-in at the door (checkin): organisers, by name or by the invitation's code.
        .route(
            "/salons/{id}/checkin",
            get(checkin::show).post(checkin::by_name),
        )
        .route("/salons/{id}/checkin/code", post(checkin::by_code))
        .route("/salons/{id}/checkin/{person}/undo", post(checkin::undo))
        .route("/salons/{id}/participants.csv", get(participants::csv))
        .route(
            "/salons/{id}/participants/{person}/revoke-links",
            post(participants::revoke_links),
        )
        .route(
            "/salons/{id}/participants/{person}/answer",
            post(participants::answer_for),
        )
        // Live rooms (room, room::socket, transcript): registered people and organisers. The
        // plain forms do what the websocket's frames do, one route per action.
        .route("/salons/{id}/room", get(room::show))
        .route("/salons/{id}/room/ws", get(room::socket::upgrade))
        .route("/salons/{id}/room/messages", post(room::post_message))
        .route("/salons/{id}/room/messages/{mid}/vote", post(room::vote))
        .route("/salons/{id}/room/messages/{mid}/hide", post(room::hide))
        .route(
            "/salons/{id}/room/messages/{mid}/answered",
            post(room::mark_answered),
        )
        .route(
            "/salons/{id}/room/messages/{mid}/theme",
            post(room::message_to_theme),
        )
        .route(
            "/salons/{id}/room/messages/{mid}/decision",
            post(room::message_to_decision),
        )
        .route("/salons/{id}/room/mute/{person}", post(room::mute))
        .route("/salons/{id}/rooms", post(room::add_room))
        .route("/salons/{id}/room/agenda", post(room::move_agenda))
        .route(
            "/salons/{id}/room/transcript.md",
            get(transcript::transcript_md),
        )
        .route(
            "/salons/{id}/room/transcript.html",
            get(transcript::transcript_html),
        )
        // Calendars (feeds): all salons, one salon, a series, a person's own. Their public
        // names end in `.ics` (`/salons/{id}.ics`, `/series/{id}.ics`, `/feeds/{token}.ics`):
        // see `calendar_files` for how those reach these routes.
        .route("/calendar.ics", get(feeds::all))
        .route("/salons/{id}/calendar.ics", get(feeds::one_salon))
        .route("/series/{id}/calendar.ics", get(feeds::one_series))
        .route("/feeds/{token}/calendar.ics", get(feeds::personal))
        // Signing in and the person's own settings (login, lang, me).
        .route("/login", get(login::form).post(login::request_link))
        .route("/login/{token}", get(login::confirm).post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .route("/lang", post(lang::switch))
        .route("/me", get(me::show).post(me::save))
        .route("/me/feed", post(me::renew_feed))
        // A person's own data (my_data): export, deletion, signing out everywhere.
        .route("/me/export.json", get(my_data::export_mine))
        .route(
            "/me/delete",
            get(my_data::confirm_mine).post(my_data::delete_mine),
        )
        .route("/me/sessions/end", post(my_data::sign_out_everywhere))
        // The statements the law asks for (statements), linked from every footer.
        .route("/privacy", get(statements::privacy))
        .route("/accessibility", get(statements::accessibility))
        // Administration (admin): the outbox for organisers, people for admins.
        .route("/admin/outbox", get(admin::outbox_page))
        .route("/admin/inbox", get(inbound::inbox_page))
        .route(
            "/admin/people",
            get(admin::people_page).post(admin::add_person),
        )
        .route("/admin/people/{id}/role", post(admin::set_role))
        .route("/admin/people/{id}/export.json", get(my_data::export_for))
        .route(
            "/admin/people/{id}/delete",
            get(my_data::confirm_for).post(my_data::delete_for),
        )
        // The audit trail (audit): admins only.
        .route("/admin/audit", get(audit::page_for_admins))
        .route("/admin/audit.csv", get(audit::csv))
        // JSON API (api): public data of published salons.
        .route("/api/v1/salons", get(api::list))
        .route("/api/v1/salons/{id}", get(api::one))
        .route("/api/v1/series/{id}/themes", get(api::series_themes))
        .route("/api/v1/salons/{id}/rounds", get(api::salon_rounds))
        .route("/api/v1/series/{id}/outcomes", get(api::series_outcomes))
        .route("/api/v1/series/{id}/proposals", get(proposals::api))
        .route("/api/v1/series/{id}/polls", get(polls::api))
        .route("/api/v1/salons/{id}/attendance", get(checkin::api))
        .route("/api/v1/salons/{id}/materials", get(materials::api))
        .route("/api/v1/organisations", get(organisations::api))
        .route("/api/v1/landscape", get(landscape::api))
        .route("/api/v1/series/{id}/groups", get(groups::api))
        .fallback(|| async { AppError::NotFound })
}

/// How long an upload may take: 20 MB on a slow line takes minutes, not the 30 seconds every
/// other request gets; a body that trickles in slower than this is cut off.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// File uploads (materials): pages like the others, but outside the 30-second timeout and the
/// 64 KiB body limit; the handler counts the file against `SALON_UPLOAD_MAX_MB` as it arrives.
pub(super) fn uploads() -> Router<SharedApp> {
    Router::new()
        .route("/salons/{id}/materials/file", post(materials::upload))
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            UPLOAD_TIMEOUT,
        ))
}

/// Endpoints for machines, not browsers: outside the page context, so no session, no CSRF
/// token and no HTML error pages. Each authenticates itself (or serves public data).
pub(super) fn machines() -> Router<SharedApp> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .route("/static/{file}", get(assets::serve))
        // Inbound mail from a provider (inbound): a shared secret in a header, not a session.
        .route(
            "/inbound/mail",
            post(inbound::mail).layer(inbound::body_limit()),
        )
}
