//! The background schedule of `khabar serve`: poll every source when its
//! time has come, forever, until shutdown.

use std::time::Duration;

use tokio::sync::watch;

use super::Pipeline;

/// How often the scheduler looks for sources that are due. Short enough
/// that a Retry-After or backoff deadline is honoured closely.
const TICK: Duration = Duration::from_secs(20);

pub async fn run_scheduler(pipeline: Pipeline, mut shutdown: watch::Receiver<bool>) {
    loop {
        match pipeline.due_sources().await {
            Ok(due) if !due.is_empty() => {
                let n = due.len();
                let report = pipeline.run(due, |_| {}).await;
                tracing::info!(
                    sources = n,
                    added = report.stories_added(),
                    published = report.published(),
                    failed = report.failed_sources(),
                    ms = report.elapsed_ms as u64,
                    "pipeline run"
                );
            }
            Ok(_) => {}
            // A database hiccup: log and try again on the next tick.
            Err(e) => tracing::error!("cannot list due sources: {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.changed() => {
                if *shutdown.borrow() { return; }
            }
        }
    }
}
