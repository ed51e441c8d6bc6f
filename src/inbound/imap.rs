//! The reply mailbox's loop: with several instances one reads at a time (a lease row in the
//! database, renewed while it reads); every message is taken in through `usecases::inbound`
//! and then moved aside by `mail::imap` (or, when it could not be taken in, left for the next
//! look), so nothing is read twice or lost. A failure is logged, counted and retried with
//! back-off until the server stops.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::app::SharedApp;
use crate::config::imap::ImapConfig;
use crate::mail::imap::{Mailbox, Taker};
use crate::store::leases;
use crate::usecases::inbound::{self, Source};

/// The lease's name, and how long it lasts without renewal.
const LEASE: &str = "imap";
const LEASE_TTL: Duration = Duration::from_secs(90);

/// Read the mailbox until shutdown; a failure is logged and retried with back-off.
pub fn start(
    app: SharedApp,
    config: ImapConfig,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let holder = app.hub.instance().to_string();
        let mut backoff = Duration::from_secs(1);
        while !shutdown.is_cancelled() {
            let held = match leases::take(&app.db, LEASE, &holder, LEASE_TTL).await {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(error = %e, "imap lease");
                    false
                }
            };
            if !held {
                // Another instance reads; look again when its lease could have run out.
                tokio::select! { _ = tokio::time::sleep(LEASE_TTL / 3) => {}, _ = shutdown.cancelled() => break }
                continue;
            }
            match read_until_shutdown(&app, &config, &holder, &shutdown).await {
                Ok(()) => backoff = Duration::from_secs(1),
                Err(e) => {
                    metrics::counter!("salon_background_failures_total", "task" => "imap")
                        .increment(1);
                    tracing::warn!(error = %e, retry_in = ?backoff, "imap mailbox");
                    tokio::select! { _ = tokio::time::sleep(backoff) => {}, _ = shutdown.cancelled() => break }
                    backoff = (backoff * 2).min(Duration::from_secs(300));
                }
            }
        }
        let _ = leases::release(&app.db, LEASE, &holder).await;
    })
}

/// Take in what is there, renew the lease, wait for more; until the server stops or the lease
/// is lost (this instance was too slow: let the other read).
async fn read_until_shutdown(
    app: &SharedApp,
    config: &ImapConfig,
    holder: &str,
    shutdown: &CancellationToken,
) -> anyhow::Result<()> {
    let mut mailbox = Mailbox::open(config).await?;
    let mut taker = TakeIn(app);
    loop {
        mailbox.take_all(&mut taker).await?;
        if !leases::take(&app.db, LEASE, holder, LEASE_TTL).await? {
            return Ok(());
        }
        match mailbox.wait(config.poll, shutdown).await? {
            Some(open) => mailbox = open,
            None => return Ok(()),
        }
    }
}

/// Takes a message in through the one inbound use case.
struct TakeIn<'a>(&'a SharedApp);

impl Taker for TakeIn<'_> {
    async fn take(&mut self, raw: &[u8]) -> anyhow::Result<()> {
        inbound::ingest(self.0, raw, Source::Imap).await?;
        Ok(())
    }

    async fn too_large(&mut self, size: usize) -> anyhow::Result<()> {
        inbound::too_large(self.0, size, Source::Imap).await?;
        Ok(())
    }
}
