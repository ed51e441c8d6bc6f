//! # Salon
//!
//! A self-hosted platform for a series of conversation salons: organisers schedule salons and
//! send invitations with real calendar invites; library leaders sign in by emailed link, RSVP
//! and talk in live rooms. See `../shared/DESIGN.md` for the product and its contracts.
//!
//! ## Layout
//!
//! The folders stand in layers; each imports only the ones below it (no import circle:
//! `tests/it/layers.rs` checks it on every run), and every door from outside is at the top:
//!
//! ```text
//! main.rs, web/ (HTTP, websocket upgrade), inbound/ (IMAP loop, stdin)   the doors
//! usecases/, ops/                              one function per use case; operator commands
//! app.rs, error.rs                             the shared state; the one error type
//! rooms/, mail/                                live rooms; mail out and in
//! calendar/, demo/                             iCalendar; the demo alliance
//! store/                                       all SQL
//! domain/, config/, i18n/, ids.rs, background.rs   rules, settings, words, ids
//! ```
//!
//! - `main.rs`: the CLI (`serve`, `migrate`, `demo`, `admin`, `mail ingest`, `check`, `backup`,
//!   `restore`). [`ops`]: `check` (the configuration tested without serving) and `backup`
//!   (SQLite `VACUUM INTO` while serving; restore). `deploy/`: the systemd unit, the package's
//!   settings file and scripts, nginx and Caddy configurations, Prometheus rules.
//! - [`web`]: the HTTP side. `web/router.rs` registers every route, grouped by area: it is the
//!   route table (one route per room action, the `.ics` files by name, the machine endpoints
//!   outside the page context). Page context and CSRF, extractors (`SalonPath` for the salon in
//!   the path and its visibility; `within_limit` for the per-person limits), `pager`, handlers
//!   and maud views per area (`salon_page/`, `room/`: the room page and its forms, the
//!   websocket door `room/socket.rs` and what a client's frame does `room/frames.rs`, the
//!   strategy panel `room/panel.rs`, and `room/items.rs`: a message and a question rendered in
//!   one place, for the history and as the `<template>` room.js fills for what arrives live);
//!   `proposals/`: a series' proposals, a stance, the closing and their JSON; `polls/`: the
//!   same for polls; `checkin`: the organisers' check-in at the door and the attendance JSON;
//!   `participation`: a series' attendance per organisation (table and chart); `materials`: a
//!   salon's links and files (the upload is routed outside the request timeout);
//!   `time_polls`: finding a date (the grid, answers signed in or by the mail's link);
//!   `search`: the search page (rules of visibility in `store::search`, stems in
//!   `domain::search`); the field's map: `organisations` (actors: mandate, influence, what
//!   they own), `landscape` (the register, an item and its form, the roadmap and CSV; steward
//!   rights and revisions in `usecases::landscape`; `diagram`: the dependencies drawn),
//!   `glossary` (the key to the abbreviations; `marked`: the first known one per page as
//!   `<abbr>`, found by `domain::glossary`; room.js marks live messages alike), `concerns`
//!   (what a theme, decision or action concerns in the map; what was said about an item),
//!   `groups` (working groups: members, deliverables, updates, meetings, their standing room;
//!   `report`: what the next salon and the board show); `stack`: the layers around the routes;
//!   `markdown` escapes user text in the Markdown exports;
//!   data protection: `my_data`, `audit`, `statements` (`/privacy`, `/accessibility`).
//! - [`inbound`]: the doors inbound mail comes in by besides HTTP: the reply mailbox's loop
//!   (`imap`: one instance at a time by a lease) and one mail on stdin (`stdin`).
//! - [`usecases`]: one function per use case (answer, create/edit/publish a salon, invite,
//!   register, sign in, enter a running salon's room from the invitation (`room_pass`),
//!   reminders, rounds and ballots, themes, decisions and actions, proposals and stances
//!   (`proposals`), polls (`polls`), attendance (in the room, or checked in at the door),
//!   materials (a file checked by `domain::material`), time polls that become a draft salon,
//!   working groups (`groups`, `group_work`: deliverables, updates, the coordinator's
//!   reminder), `concerns`, what people do in a room (`room`), announce a change in the rooms
//!   (`announce`), send a summary, take in an inbound mail, export or delete a person's data,
//!   the retention job) that owns its transaction, the mail it queues, its audit row and the
//!   live announcement it makes in the rooms.
//! - [`app`]: the shared state ([`app::App`]): config, database, rate limits, metrics, the
//!   rooms' hub, the page caches and their generations.
//! - [`rooms`]: live rooms, with no HTTP types: the hub (per-room events under each room's own
//!   lock, coalesced presence, a room let go when idle, a bounded queue to its writer), the
//!   room writer that encodes each frame once and writes it to every socket without waiting
//!   (`writer`, `socket`, `wire`), `progress` (how far a socket has got: the fan-out's
//!   invariants), one open connection (`connection`, given plain values by the door), the
//!   history and catch-up from the store (`catchup`), the recent messages and changes
//!   (`recent`), the websocket protocol, access rules (`access`: at the door and again for
//!   every action), connection slots per person, the PostgreSQL LISTEN/NOTIFY bridge between
//!   instances, and `notices`: the JSON of rounds, themes, decisions, actions, proposals, polls
//!   and materials (shared with the API) and their live frames.
//! - [`mail`]: composing mail (`compose`: invitations with calendar parts; `notices`: sign-in,
//!   reminders, promotion, summary, ...), the durable outbox worker, the SMTP (TCP_NODELAY
//!   pool) and file transports; reading inbound mail: `reply_address` (each invitation's own
//!   ORGANIZER address), `inbound` (what a message is: a calendar reply, a bounce, an
//!   auto-reply) and `imap` (reading and moving the reply mailbox's messages).
//! - [`calendar`]: our RFC 5545 serialiser, the salon VEVENT (invitations, cancellations,
//!   feeds), and the `.ics` import.
//! - [`store`]: all SQL, one module per aggregate, over SQLite or PostgreSQL ([`store::Db`]).
//!   Every function takes a [`store::Conn`] (the pool or an open transaction); the
//!   `rows!`/`values!`/`execute!` macros write each query once for both backends.
//! - [`domain`]: plain types and rules with no I/O (`Email`, `Role`, tokens, time zones, what a
//!   valid salon is (`salon::validate`) and who may see it (`Status::visible_to`), its
//!   `agenda`, RSVP/waitlist rules, what user text may hold: `text`, `person`; the strategy
//!   work: `theme`, `round` (dot voting), `outcome` (decisions and actions), `proposal`
//!   (consent: stances, the block's reason, the tally by organisation), `poll` (single,
//!   multiple, ranked by Borda score, score; the answer rules and the count); `group`: working
//!   groups, deliverables, status updates; `audit`: the kinds of action the trail records).
//! - [`config`]: every setting, from flags and environment, validated into [`config::Config`]
//!   (`config/read.rs` reads each group); `config::imap`: the reply mailbox; `config::privacy`:
//!   session lifetimes, retention periods and the statements' facts.
//! - [`ids`]: typed ids (`SalonId`, `PersonId`, `RoomId`, ...), so swapped ids do not compile.
//! - [`error`]: one `AppError`, rendered as a friendly page or JSON.
//! - [`background`]: what every background loop shares: a failing row is logged, counted and
//!   skipped; a round runs in its own task so a panic ends only that round.
//! - [`server`]: the HTTP server: hyper's HTTP/1.1 connections with the router, a header read
//!   timeout, graceful end (not `axum::serve`, so an upgraded websocket is the plain `TcpStream`
//!   again).
//! - [`i18n`]: the five languages (`Locale`); the texts are in `locales/` (`app.yml`: Danish
//!   and English side by side; `nb.yml`, `sv.yml`, `fi.yml`: one file per other language);
//!   `timefmt` writes dates and times as each language does, for pages and mails alike.
//! - [`demo`]: the demo alliance (`salon demo`, `salon serve --demo`), its series' work, map
//!   and working groups.
//! - `bin/bench.rs`, `bin/roomload.rs`, `benches/`: benchmark helpers and load generators
//!   (figures in BENCHMARKS.md).
//!
//! A file's unit tests that would make it long live beside it (`x.rs` with `x/tests.rs`).
//! Outside `src/`: `tests/it/` is the one integration test binary (a module per area, each
//! test run on SQLite and on PostgreSQL; `tests/it/common` is the harness: fresh database, app
//! on port 0, real SMTP server, and `common::browser` for headless Chromium with axe-core);
//! `static/` the stylesheet and `room.js`; `migrations/` one tree per database;
//! `scripts/test` the one test command.
//!
//! ## Running
//!
//! [`build`] connects and migrates the database and prepares the services; [`run`] serves a
//! bound listener until the shutdown token is cancelled, with the outbox worker, the reminder
//! loop and housekeeping (the retention job) beside it. Tests call both with a listener on port 0.
//! A graceful stop finishes in-flight requests, says goodbye to every room socket (close 1001),
//! then stops the background loops and closes the database.
//!
//! Data flows one way: door (parse) -> use case (domain rules, then store, inside one
//! transaction that also queues any mail in the outbox) -> response. A lower layer never
//! imports a higher one (see the layers above).

pub mod app;
pub mod background;
pub mod calendar;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod inbound;
pub mod mail;
pub mod ops;
pub mod rooms;
pub mod server;
pub mod store;
pub mod usecases;
pub mod web;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::app::{App, RateLimits, SharedApp};
use crate::config::Config;
use crate::mail::transport::Transport;
use crate::mail::worker::Worker;
use crate::store::Db;

rust_i18n::i18n!("locales", fallback = "en");

/// Connect to the database and apply migrations.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database)
        .await
        .context("could not open the database (DATABASE_URL)")?;
    db.migrate()
        .await
        .context("could not apply database migrations")?;
    Ok(db)
}

/// Everything `run` needs, built from a validated config.
pub async fn build(config: Config) -> anyhow::Result<SharedApp> {
    let db = open_database(&config).await?;
    let csrf_key =
        store::settings::get_or_init(&db, "csrf_key", || domain::token::generate().secret)
            .await
            .context("could not read the installation secret")?;
    // Publish the outbox's depth and age before the first request, so /metrics always has them.
    let queue = store::outbox::queue(&db)
        .await
        .context("could not read the outbox")?;
    let metrics = app::metrics_handle()?;
    queue.publish();
    let room_rate = config.room_rate;
    Ok(Arc::new(App {
        config,
        db,
        mail_wake: Arc::new(Notify::new()),
        csrf_key: csrf_key.into_bytes(),
        limits: RateLimits::new(room_rate),
        metrics,
        generations: Default::default(),
        front_page_cache: Default::default(),
        board_cache: Default::default(),
        room_cache: Default::default(),
        salon_cache: Default::default(),
        glossary_cache: Default::default(),
        landscape_cache: Default::default(),
        hub: Arc::new(rooms::Hub::new(std::time::Duration::from_secs(1))),
        announcements_due: Default::default(),
        room_slots: rooms::slots::Slots::new(rooms::slots::PER_PERSON),
        shutdown: CancellationToken::new(),
        socket_tasks: tokio_util::task::TaskTracker::new(),
    }))
}

/// Serve on `listener` until `shutdown` is cancelled; then finish in-flight requests, stop the
/// outbox worker after its current send, and close the database.
pub async fn run(
    app: SharedApp,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let transport =
        Transport::from_config(&app.config.mail).context("could not set up the mail transport")?;
    let worker = Worker {
        db: app.db.clone(),
        transport,
        from: app.config.mail.from.email.clone(),
        config: app.config.outbox.clone(),
        smtp_timeout: app.config.mail.smtp_timeout,
        wake: app.mail_wake.clone(),
    };
    let worker = tokio::spawn(worker.run(shutdown.clone()));
    let housekeeping = tokio::spawn(housekeeping(app.clone(), shutdown.clone()));
    // With PostgreSQL, rooms are relayed between instances (LISTEN/NOTIFY).
    let bridge = start_bridge(&app, &shutdown).await;
    let reminders = tokio::spawn(reminders(app.clone(), shutdown.clone()));
    // Calendar replies and bounces from the reply mailbox, if one is configured.
    let imap = app
        .config
        .imap
        .clone()
        .map(|c| inbound::imap::start(app.clone(), c, shutdown.clone()));

    let router = web::router(app.clone());
    let server_shutdown = shutdown.clone();
    // Websocket connections watch the app's own token; the server waits for them to close.
    let app_shutdown = app.shutdown.clone();
    let linked = shutdown.clone();
    tokio::spawn(async move {
        linked.cancelled().await;
        app_shutdown.cancel();
    });
    let served = server::serve(listener, router, server_shutdown).await;
    // However the server ended, stop the background services too.
    shutdown.cancel();
    app.shutdown.cancel();
    say_goodbye_to_sockets(&app).await;
    background::join("outbox", worker).await;
    background::join("housekeeping", housekeeping).await;
    background::join("reminders", reminders).await;
    if let Some(imap) = imap {
        background::join("imap", imap).await;
    }
    for task in bridge {
        background::join("rooms bridge", task).await;
    }
    app.db.close().await;
    served.context("the HTTP server failed")
}

/// With PostgreSQL, the rooms' relay between instances: its sender and its listener, started
/// once the LISTEN is in place (or has failed).
async fn start_bridge(
    app: &SharedApp,
    shutdown: &CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut bridge = Vec::new();
    if let store::Db::Postgres(pool) = &app.db {
        // Unbounded on purpose: every note comes from something limited at its source (posts,
        // votes and moderation by the per-person room limit, presence coalesced to a frame a
        // second per room, strategy notes by the per-person click and writing limits), and when
        // the database is away no message is stored, so none is announced. Dropping notes
        // instead would lose moderation on the other instances, which cannot catch it up.
        let (notes, queue) = tokio::sync::mpsc::unbounded_channel();
        app.hub.relay_to(notes);
        bridge.push(rooms::bridge::start_sender(
            pool.clone(),
            queue,
            shutdown.clone(),
        ));
        let (listening, heard) = tokio::sync::oneshot::channel();
        bridge.push(rooms::bridge::start_listener(
            app.db.clone(),
            pool.clone(),
            app.hub.clone(),
            app.generations.strategy.clone(),
            app.generations.rooms.clone(),
            shutdown.clone(),
            listening,
        ));
        // Serve once this instance hears the others (a failed LISTEN is logged and drops the
        // sender: serve then, rooms local); a round opened elsewhere a moment after someone
        // entered a room here would otherwise not reach them.
        if tokio::time::timeout(std::time::Duration::from_secs(10), heard)
            .await
            .is_err()
        {
            tracing::warn!("room LISTEN not ready after 10 s; serving anyway");
        }
    }
    bridge
}

/// Every room socket is told the server is going away (close 1001) and leaves its room
/// before the database closes under it; a client that reads nothing is given up on after a
/// moment (`rooms::connection`), so this wait is bounded.
async fn say_goodbye_to_sockets(app: &App) {
    app.socket_tasks.close();
    if tokio::time::timeout(SOCKETS_CLOSE_WITHIN, app.socket_tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            left = app.socket_tasks.len(),
            "room sockets still closing after {SOCKETS_CLOSE_WITHIN:?}; stopping anyway"
        );
    }
}

/// How long a graceful stop waits for the room sockets to close.
const SOCKETS_CLOSE_WITHIN: Duration = Duration::from_secs(5);

/// Reminders before salons, exactly once per person and salon (see `store::reminders`).
async fn reminders(app: SharedApp, shutdown: CancellationToken) {
    loop {
        let round_app = app.clone();
        background::round("reminders", async move {
            match usecases::reminders::send_due_work(&round_app).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(count = n, "action and deliverable reminders queued");
                    round_app.mail_wake.notify_one();
                }
                Err(e) => tracing::warn!(
                    error = format!("{e:#}"),
                    "action or deliverable reminder round failed; will retry"
                ),
            }
            match usecases::reminders::send_due(&round_app).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(count = n, "reminders queued");
                    round_app.mail_wake.notify_one();
                }
                Err(e) => tracing::warn!(
                    error = format!("{e:#}"),
                    "reminder round failed; will retry"
                ),
            }
        })
        .await;
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(app.config.reminder_poll) => {}
        }
    }
}

/// Hourly: the retention job (on one instance at a time, through a lease that outlives a
/// crashed holder by at most two hours) and idle rate-limit keys (every instance has its own).
async fn housekeeping(app: SharedApp, shutdown: CancellationToken) {
    const LEASE: &str = "retention";
    const EVERY: Duration = Duration::from_secs(3600);
    let holder = app.hub.instance().to_string();
    loop {
        let round_app = app.clone();
        let holder = holder.clone();
        background::round("housekeeping", async move {
            match store::leases::take(&round_app.db, LEASE, &holder, EVERY * 2).await {
                Ok(true) => {
                    usecases::retention::run(
                        &round_app.db,
                        &round_app.config.privacy.retention,
                        domain::time::now(),
                    )
                    .await;
                }
                Ok(false) => {}
                Err(e) => background::row_failed("housekeeping", "retention lease", e),
            }
            round_app.limits.shrink();
        })
        .await;
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(EVERY) => {}
        }
    }
    // Stopping cleanly: another instance (or this one restarted) need not wait for the lease.
    if let Err(e) = store::leases::release(&app.db, LEASE, &holder).await {
        tracing::warn!(error = %e, "could not release the retention lease");
    }
}

pub use server::shutdown_signal;
