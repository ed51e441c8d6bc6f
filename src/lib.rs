//! # Salon
//!
//! A self-hosted platform for a series of conversation salons: organisers schedule salons and
//! send invitations with real calendar invites; library leaders sign in by emailed link, RSVP
//! and talk in live rooms. See `../shared/DESIGN.md` for the product and its contracts.
//!
//! ## Layout
//!
//! - `main.rs`: the CLI (`serve`, `migrate`, `demo`, `admin ...`); nothing else.
//! - [`config`]: every setting, from flags and environment, validated into [`config::Config`];
//!   `config::privacy`: session lifetimes, retention periods and the statements' facts.
//! - [`app`]: the shared state ([`app::App`]): config, database, rate limits, metrics.
//! - [`store`]: all SQL, one module per aggregate, over SQLite or PostgreSQL ([`store::Db`]).
//!   Every function takes a [`store::Conn`] (the pool or an open transaction); the
//!   `rows!`/`values!`/`execute!` macros write each query once for both backends.
//! - [`ids`]: typed ids (`SalonId`, `PersonId`, `RoomId`, ...), so swapped ids do not compile.
//! - [`usecases`]: one function per use case (answer, create/edit/publish a salon, invite,
//!   register, sign in, reminders, open/close a round and cast a ballot, propose, support and
//!   move on themes, record decisions and actions, send a summary, take in an inbound mail (one
//!   transaction), export or delete a person's data, the retention job) that owns its transaction, the mail it queues, its audit row and the live
//!   announcement it makes in the rooms.
//! - [`domain`]: plain types and rules with no I/O (`Email`, `Role`, tokens, time zones, what a
//!   valid salon is and its `agenda`, RSVP/waitlist rules, what user text may hold: `text`, `person`; the
//!   strategy work: `theme`, `round` (dot voting), `outcome` (decisions and actions); `audit`:
//!   the kinds of action the audit trail records).
//! - [`background`]: what every background loop shares: a failing row is logged, counted and
//!   skipped; a round runs in its own task so a panic ends only that round.
//! - [`calendar`]: our RFC 5545 serialiser, the salon VEVENT (invitations, cancellations,
//!   feeds), and the `.ics` import.
//! - [`mail`]: composing mail (`compose`: invitations with calendar parts; `notices`: sign-in,
//!   reminders, promotion, summary, ...), the
//!   durable outbox worker, the SMTP (TCP_NODELAY pool) and file transports; inbound mail:
//!   `reply_address` (each invitation's own ORGANIZER address), `inbound` (what a message is:
//!   a calendar reply, a bounce, an auto-reply) and `imap` (reading the reply mailbox).
//! - [`server`]: the HTTP server: hyper's HTTP/1.1 connections with the router, a header read
//!   timeout, graceful end (not `axum::serve`, so an upgraded websocket is the plain `TcpStream`
//!   again).
//! - [`rooms`]: live rooms: the hub (per-room events under each room's own lock, coalesced
//!   presence, a room let go when idle, a bounded queue to its writer), the room writer that
//!   encodes each frame once and writes it to every socket without waiting (`writer`, `socket`,
//!   `wire`), the history and catch-up a socket is sent from the store (`catchup`), the recent messages
//!   and changes a connection that fell behind catches up from, the websocket protocol and
//!   endpoint, access rules (at the door and again for every action), connection slots per
//!   person, the PostgreSQL LISTEN/NOTIFY bridge between instances, and `strategy`: the JSON
//!   of rounds, themes, decisions and actions (shared with the API) and their live frames.
//! - [`web`]: the router (`web/router.rs` registers every route, grouped by area: it is the
//!   route table), page context and CSRF, extractors (`SalonPath` for the salon in the path
//!   and its visibility; `within_limit` for the per-person limits), `pager` (pages of long
//!   lists), handlers and maud views per area (`salon_page/` and `room/` split
//!   into handlers and `view`; the room's strategy panel is `room/strategy.rs`); data
//!   protection: `my_data` (export, deletion, sign out everywhere), `audit` (the trail for
//!   admins), `statements` (`/privacy`, `/accessibility`).
//! - [`i18n`]: the five languages (`Locale`); the texts are in `locales/` (`app.yml`: Danish
//!   and English side by side; `nb.yml`, `sv.yml`, `fi.yml`: one file per other language);
//!   `timefmt` writes dates and times as each language does, for pages and mails alike.
//! - [`demo`]: the demo alliance (`salon demo`, `salon serve --demo`), with its series'
//!   strategy work (`demo/strategy.rs`).
//! - `bin/bench.rs`, `bin/roomload.rs`, `benches/`: benchmark helpers and load generators
//!   (figures in BENCHMARKS.md).
//!
//! Outside `src/`: `tests/` holds the integration tests, each run on SQLite and on PostgreSQL
//! (`tests/common` is the harness: fresh database, app on port 0, real SMTP server, and
//! `common::browser` for headless Chromium with axe-core); `static/` the stylesheet and
//! `room.js`; `migrations/` one tree per database; `scripts/test` the one test command.
//!
//! ## Running
//!
//! [`build`] connects and migrates the database and prepares the services; [`run`] serves a
//! bound listener until the shutdown token is cancelled, with the outbox worker, the reminder
//! loop and housekeeping (the retention job) beside it. Tests call both with a listener on port 0.
//! A graceful stop finishes in-flight requests, says goodbye to every room socket (close 1001),
//! then stops the background loops and closes the database.
//!
//! Data flows one way: handler (parse) -> use case (domain rules, then store, inside one
//! transaction that also queues any mail in the outbox) -> response. A lower layer never
//! imports a higher one: `store`, `domain`, `mail` and `rooms` do not import `web`.

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
pub mod rooms;
pub mod server;
pub mod store;
pub mod usecases;
pub mod web;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
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

/// The process-wide Prometheus recorder. `metrics` has one global recorder, so every `App` in a
/// process (several in tests) shares it.
fn metrics_handle() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        // The rooms' latencies are milliseconds: finer buckets there (this matcher wins over
        // the suffix one below: prefixes are matched first).
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Prefix("salon_room_".into()),
            &[
                0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05,
                0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 10.0,
            ],
        )
        .context("metrics buckets")?
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Suffix("duration_seconds".into()),
            &[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
            ],
        )
        .context("metrics buckets")?
        .install_recorder()
        .or_else(|e| HANDLE.get().cloned().ok_or(e))
        .context("could not install the metrics recorder")?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Everything `run` needs, built from a validated config.
pub async fn build(config: Config) -> anyhow::Result<SharedApp> {
    let db = open_database(&config).await?;
    let csrf_key =
        store::settings::get_or_init(&db, "csrf_key", || domain::token::generate().secret)
            .await
            .context("could not read the installation secret")?;
    // Publish the outbox depth before the first request, so /metrics always has it.
    let depth = store::outbox::depth(&db)
        .await
        .context("could not read the outbox")?;
    let metrics = metrics_handle()?;
    metrics::gauge!("salon_outbox_depth").set(depth as f64);
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
    // Every room socket is told the server is going away (close 1001) and leaves its room
    // before the database closes under it; a client that reads nothing is given up on after a
    // moment (`rooms::connection`), so this wait is bounded.
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

/// How long a graceful stop waits for the room sockets to close.
const SOCKETS_CLOSE_WITHIN: Duration = Duration::from_secs(5);

/// Reminders before salons, exactly once per person and salon (see `store::reminders`).
async fn reminders(app: SharedApp, shutdown: CancellationToken) {
    loop {
        let round_app = app.clone();
        background::round("reminders", async move {
            match usecases::reminders::send_due_actions(&round_app).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(count = n, "action reminders queued");
                    round_app.mail_wake.notify_one();
                }
                Err(e) => tracing::warn!(
                    error = format!("{e:#}"),
                    "action reminder round failed; will retry"
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

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
