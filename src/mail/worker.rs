//! The outbox worker: claims due rows, sends them, records the outcome.
//!
//! Temporary failures (4xx, timeouts, an unreachable server) are retried with exponential
//! back-off (base * 2^(attempt-1), capped, with jitter so instances do not retry in lock-step);
//! permanent failures (5xx) and rows out of attempts are marked failed and shown at
//! /admin/outbox. The worker is woken at once when this instance queues mail, and polls for rows
//! queued by other instances or due for a retry.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use lettre::Address;
use rand::Rng;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::transport::{SendError, Transport};
use crate::config::OutboxConfig;
use crate::domain::time::now;
use crate::ids::OutboxId;
use crate::store::{Db, outbox};

/// Rows claimed per round trip.
const BATCH: i64 = 64;

/// Mails in flight at once. The SMTP transport pools connections (lettre's default pool keeps
/// up to 10), so a few concurrent sends hide each one's round trips; measured in BENCHMARKS.md.
const IN_FLIGHT: usize = 16;

pub struct Worker {
    pub db: Db,
    pub transport: Transport,
    pub from: Address,
    pub config: OutboxConfig,
    pub smtp_timeout: Duration,
    pub wake: Arc<Notify>,
}

impl Worker {
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(transport = %self.transport.describe(), "outbox worker started");
        loop {
            if let Err(e) = self.drain(&shutdown).await {
                tracing::warn!(error = %e, "outbox round failed; will retry");
            }
            if let Ok(queue) = outbox::queue(&self.db).await {
                queue.publish();
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.config.poll) => {}
            }
        }
        tracing::info!("outbox worker stopped");
    }

    /// Send everything that is due now.
    async fn drain(&self, shutdown: &CancellationToken) -> Result<(), sqlx::Error> {
        loop {
            let lock = chrono::Duration::from_std(self.lock_duration())
                .unwrap_or(chrono::Duration::minutes(5));
            let batch = outbox::claim(&self.db, now() + lock, BATCH).await?;
            if batch.is_empty() {
                return Ok(());
            }
            let results: Vec<(OutboxId, Result<Option<OutboxId>, sqlx::Error>)> =
                futures_util::stream::iter(batch)
                    .map(|row| async move {
                        let id = row.id;
                        let result = if shutdown.is_cancelled() {
                            // Hand the row back at once rather than waiting for its lock to run out.
                            outbox::mark_retry(&self.db, row.id, now(), "interrupted by shutdown")
                                .await
                                .map(|_| None)
                        } else {
                            self.deliver(row).await
                        };
                        (id, result)
                    })
                    .buffer_unordered(IN_FLIGHT)
                    .collect()
                    .await;
            // One row whose outcome could not be recorded does not stop the others being marked
            // (its lock runs out and it is tried again). Successes are recorded together: one
            // statement per batch instead of one per mail.
            let mut sent = Vec::with_capacity(results.len());
            for (id, result) in results {
                match result {
                    Ok(Some(id)) => sent.push(id),
                    Ok(None) => {}
                    Err(e) => {
                        crate::background::row_failed("outbox", format!("outbox row {id}"), e)
                    }
                }
            }
            outbox::mark_sent_many(&self.db, &sent).await?;
            if shutdown.is_cancelled() {
                return Ok(());
            }
        }
    }

    /// Send one row; `Some(id)` when it was accepted (the caller marks it sent), failures are
    /// recorded here.
    async fn deliver(&self, row: outbox::Claimed) -> Result<Option<OutboxId>, sqlx::Error> {
        let result = self
            .transport
            .send(row.id, &row.kind, &self.from, &row.recipient, &row.body)
            .await;
        match result {
            Ok(()) => {
                metrics::counter!("salon_mail_sent_total", "kind" => row.kind.clone()).increment(1);
                tracing::debug!(id = %row.id, kind = %row.kind, attempts = row.attempts, "mail sent");
                return Ok(Some(row.id));
            }
            Err(SendError::Permanent(error)) => {
                outbox::mark_failed(&self.db, row.id, &error).await?;
                metrics::counter!("salon_mail_failed_total", "kind" => row.kind.clone())
                    .increment(1);
                tracing::warn!(id = %row.id, %error, "mail failed permanently");
            }
            Err(SendError::Temporary(error)) if row.attempts >= self.config.max_attempts as i32 => {
                let error = format!("gave up after {} attempts: {error}", row.attempts);
                outbox::mark_failed(&self.db, row.id, &error).await?;
                metrics::counter!("salon_mail_failed_total", "kind" => row.kind.clone())
                    .increment(1);
                tracing::warn!(id = %row.id, %error, "mail failed");
            }
            Err(SendError::Temporary(error)) => {
                let delay = backoff(&self.config, row.attempts);
                let next =
                    now() + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1));
                outbox::mark_retry(&self.db, row.id, next, &error).await?;
                metrics::counter!("salon_mail_retries_total").increment(1);
                tracing::info!(id = %row.id, attempts = row.attempts, retry_in_ms = delay.as_millis() as u64, %error, "mail deferred");
            }
        }
        Ok(None)
    }

    /// Long enough for one batch to be sent with every send timing out; a process killed
    /// mid-batch leaves its rows to others after this (five minutes with the defaults).
    fn lock_duration(&self) -> Duration {
        Duration::from_secs(60) + self.smtp_timeout * (BATCH as u32).div_ceil(IN_FLIGHT as u32)
    }
}

/// Delay before attempt `attempts + 1`.
pub fn backoff(config: &OutboxConfig, attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 20) as u32 - 1;
    let raw = config.retry_base.saturating_mul(1u32 << exponent.min(16));
    let capped = raw.min(config.retry_cap);
    // ±20 % jitter.
    let factor = rand::rng().random_range(0.8..1.2);
    capped.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let config = OutboxConfig {
            poll: Duration::from_secs(1),
            retry_base: Duration::from_secs(30),
            retry_cap: Duration::from_secs(3600),
            max_attempts: 12,
        };
        let first = backoff(&config, 1).as_secs_f64();
        let third = backoff(&config, 3).as_secs_f64();
        assert!((24.0..=36.0).contains(&first), "{first}");
        assert!((96.0..=144.0).contains(&third), "{third}");
        assert!(backoff(&config, 50).as_secs_f64() <= 3600.0 * 1.2);
    }
}
