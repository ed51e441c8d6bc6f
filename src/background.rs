//! What every background loop (outbox, reminders, housekeeping, the rooms bridge) shares: one
//! failing row is logged with its id, counted in `/metrics`
//! (`salon_background_failures_total{task=...}`), and skipped; the loop goes on. A round runs in
//! a task of its own, so even a panic ends that round only, never the loop. Rounds are counted
//! (`salon_background_rounds_total{task=...}`).

use std::fmt::Display;
use std::future::Future;

/// Record one row the loop `task` could not handle; the caller goes on with the next.
pub fn row_failed(task: &'static str, row: impl Display, error: impl Display) {
    metrics::counter!("salon_background_failures_total", "task" => task).increment(1);
    tracing::warn!(task, row = %row, error = %error, "background row failed; skipped");
}

/// Run one round of a loop in its own task. A panic in it is logged and counted like a failed
/// row, and the loop's next round runs as usual.
pub async fn round<F>(task: &'static str, work: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    if let Err(e) = tokio::spawn(work).await {
        metrics::counter!("salon_background_failures_total", "task" => task).increment(1);
        tracing::error!(task, error = %e, "background round panicked; the loop goes on");
    }
    // Rounds done (also those that failed): shows a loop is alive, and lets a test know that a
    // round ran after something it expects not to have been acted on.
    metrics::counter!("salon_background_rounds_total", "task" => task).increment(1);
}

/// Wait for a background task at shutdown; one that panicked is logged, not swallowed.
pub async fn join(task: &'static str, handle: tokio::task::JoinHandle<()>) {
    if let Err(e) = handle.await {
        tracing::error!(task, error = %e, "background task ended abnormally");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_round_does_not_end_the_caller() {
        round("test", async { panic!("one bad row") }).await;
        let mut ran = false;
        round("test", async {}).await;
        ran = !ran;
        assert!(ran);
    }
}
