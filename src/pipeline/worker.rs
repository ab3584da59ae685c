//! A worker: claims due source polls and article jobs from the store under
//! leases, does them, and records the outcome. Any number of workers (on any
//! machines) can share one PostgreSQL store; `khabar serve` runs one inside
//! the site process.
//!
//! Two loops share the process: the poll loop leases due sources, fetches
//! their feeds and queues the new articles as jobs; the job loop keeps up to
//! `worker.job_concurrency` article jobs in flight. A third task renews the
//! leases of both every third of the lease time, so a slow page is not taken
//! away while it is worked on, and a dead worker's work is free again within
//! one lease time.
//!
//! Nothing is done twice to a visible effect: a story is keyed by its
//! canonical URL, so a job retried after a crash finds the story stored and
//! only completes what may be missing (its grouping); a job whose lease
//! passed to another worker cannot be marked done by the old holder.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinSet;

use khabar_model::Source;
use khabar_store::EntryJob;

use super::Pipeline;
use super::poll::NewEntries;
use super::story::EntryOutcome;
use crate::config::WorkerConfig;

/// The longest a failed article waits before its next attempt.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// How often finished jobs older than `keep_finished_days` are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// What one worker did, printed when it stops.
#[derive(Debug, Default, Clone, Serialize)]
pub struct WorkerReport {
    pub worker: String,
    pub polls: u64,
    pub failed_polls: u64,
    pub jobs_done: u64,
    pub stories_stored: u64,
    pub jobs_failed: u64,
    /// Jobs whose lease had passed to another worker when this one finished.
    pub leases_lost: u64,
    pub elapsed_ms: u128,
}

#[derive(Default)]
struct Tally {
    polls: AtomicU64,
    failed_polls: AtomicU64,
    jobs_done: AtomicU64,
    stories_stored: AtomicU64,
    jobs_failed: AtomicU64,
    leases_lost: AtomicU64,
}

/// The work this worker holds right now: only these leases are renewed.
#[derive(Default)]
struct InHand {
    jobs: Mutex<HashSet<i64>>,
    sources: Mutex<HashSet<i64>>,
}

impl InHand {
    fn take(set: &Mutex<HashSet<i64>>, id: i64) {
        if let Ok(mut s) = set.lock() {
            s.insert(id);
        }
    }
    fn drop_id(set: &Mutex<HashSet<i64>>, id: i64) {
        if let Ok(mut s) = set.lock() {
            s.remove(&id);
        }
    }
    fn snapshot(set: &Mutex<HashSet<i64>>) -> Vec<i64> {
        set.lock()
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }
}

/// One worker process's share of the pipeline.
pub struct Worker {
    pipeline: Pipeline,
    settings: WorkerConfig,
    tally: Arc<Tally>,
    in_hand: Arc<InHand>,
}

impl Worker {
    /// A worker over `pipeline`, spacing fetches per host with every other
    /// worker of the store.
    pub fn new(mut pipeline: Pipeline) -> Worker {
        pipeline.shared_host_pacing = true;
        let settings = pipeline.config.worker.clone();
        Worker {
            pipeline,
            settings,
            tally: Arc::default(),
            in_hand: Arc::default(),
        }
    }

    pub fn id(&self) -> &str {
        &self.pipeline.worker_id
    }

    fn lease(&self) -> Duration {
        Duration::from_secs(self.settings.lease_secs)
    }

    fn idle(&self) -> Duration {
        Duration::from_millis(self.settings.idle_poll_ms.max(10))
    }

    /// Works until `shutdown` turns true, or, with `until_idle`, until no
    /// work is left anywhere in the store (nothing due, queued or leased by
    /// any worker), which is how a one-off run or a test drains the queue.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>, until_idle: bool) -> WorkerReport {
        let started = Instant::now();
        tracing::info!(worker = self.id(), "worker started");
        let renewer = tokio::spawn(renew_leases(
            self.pipeline.clone(),
            self.in_hand.clone(),
            self.lease(),
            shutdown.clone(),
        ));
        // Draining, each loop stops only when the whole store is idle, so
        // neither needs to wait for the other.
        let mut poll_stop = shutdown.clone();
        tokio::join!(
            self.poll_loop(&mut poll_stop, until_idle),
            self.job_loop(&mut shutdown, until_idle)
        );
        renewer.abort();
        let t = &self.tally;
        let report = WorkerReport {
            worker: self.id().to_string(),
            polls: t.polls.load(Ordering::Relaxed),
            failed_polls: t.failed_polls.load(Ordering::Relaxed),
            jobs_done: t.jobs_done.load(Ordering::Relaxed),
            stories_stored: t.stories_stored.load(Ordering::Relaxed),
            jobs_failed: t.jobs_failed.load(Ordering::Relaxed),
            leases_lost: t.leases_lost.load(Ordering::Relaxed),
            elapsed_ms: started.elapsed().as_millis(),
        };
        tracing::info!(worker = self.id(), ?report, "worker stopped");
        report
    }

    /// Leases due sources, polls them, queues their new articles.
    async fn poll_loop(&self, shutdown: &mut watch::Receiver<bool>, until_idle: bool) {
        let store = &self.pipeline.store;
        let batch = self.pipeline.config.fetch.source_concurrency.max(1);
        loop {
            if *shutdown.borrow() {
                return;
            }
            let claimed = store
                .jobs()
                .claim_due_sources(self.id(), self.lease(), batch as i64)
                .await;
            let sources = match claimed {
                Ok(s) => s,
                Err(e) => {
                    // Connection loss or a database restart: log and back off.
                    tracing::error!(worker = self.id(), "cannot claim sources: {e}");
                    Vec::new()
                }
            };
            if sources.is_empty() {
                if until_idle && self.no_polls_left().await {
                    return;
                }
                if stop_or_sleep(shutdown, self.idle()).await {
                    return;
                }
                continue;
            }
            let mut polls = futures_util::stream::iter(sources.into_iter().map(|s| {
                let pipeline = self.pipeline.clone();
                let in_hand = self.in_hand.clone();
                async move {
                    let id = s.id;
                    InHand::take(&in_hand.sources, id);
                    let report = pipeline.poll_source_with(s, NewEntries::Enqueue).await;
                    InHand::drop_id(&in_hand.sources, id);
                    if let Err(e) = pipeline
                        .store
                        .jobs()
                        .release_source(id, &pipeline.worker_id)
                        .await
                    {
                        tracing::warn!(source = id, "cannot release source lease: {e}");
                    }
                    report
                }
            }))
            .buffer_unordered(batch);
            while let Some(report) = polls.next().await {
                self.tally.polls.fetch_add(1, Ordering::Relaxed);
                if report.error.is_some() {
                    self.tally.failed_polls.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    /// The poll loop of a draining worker stops only when the whole store is
    /// idle: a source whose poller died becomes due again once its lease
    /// runs out, and someone must still be polling then.
    async fn no_polls_left(&self) -> bool {
        !self.work_left().await
    }

    /// Keeps up to `job_concurrency` article jobs in flight.
    async fn job_loop(&self, shutdown: &mut watch::Receiver<bool>, until_idle: bool) {
        let store = &self.pipeline.store;
        let width = self.settings.job_concurrency.max(1);
        let mut running: JoinSet<()> = JoinSet::new();
        let mut sources: HashMap<i64, Source> = HashMap::new();
        let mut last_purge = Instant::now();
        loop {
            if *shutdown.borrow() {
                break;
            }
            while running.try_join_next().is_some() {}
            let free = width.saturating_sub(running.len());
            let mut claimed = Vec::new();
            if free > 0 {
                match store
                    .jobs()
                    .claim_entry_jobs(self.id(), self.lease(), free as i64)
                    .await
                {
                    Ok(jobs) => claimed = jobs,
                    Err(e) => tracing::error!(worker = self.id(), "cannot claim jobs: {e}"),
                }
            }
            let got_work = !claimed.is_empty();
            for job in &claimed {
                InHand::take(&self.in_hand.jobs, job.id);
            }
            for job in claimed {
                let source = match self.source_for(&mut sources, job.source_id).await {
                    Ok(s) => s,
                    Err(message) => {
                        // The job's source could not be read: the store's
                        // trouble, tried again like any transient failure.
                        let error = super::entry_error::EntryError::new(
                            khabar_model::FailureKind::Store,
                            message,
                        );
                        record_failure(&self.pipeline, &self.settings, &self.tally, &job, &error)
                            .await;
                        InHand::drop_id(&self.in_hand.jobs, job.id);
                        continue;
                    }
                };
                let pipeline = self.pipeline.clone();
                let settings = self.settings.clone();
                let tally = self.tally.clone();
                let in_hand = self.in_hand.clone();
                running.spawn(async move {
                    let id = job.id;
                    run_job(pipeline, settings, tally, source, job).await;
                    // Recorded, or given up on after retries: either way no
                    // longer renewed, so an unrecorded job's lease runs out.
                    InHand::drop_id(&in_hand.jobs, id);
                });
            }
            if last_purge.elapsed() > PURGE_EVERY {
                last_purge = Instant::now();
                self.purge().await;
            }
            if got_work && running.len() < width {
                continue;
            }
            if !running.is_empty() {
                // Wait for a free slot, or a short while to pick up new jobs.
                tokio::select! {
                    _ = running.join_next() => {}
                    _ = tokio::time::sleep(self.idle()) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            if until_idle && !self.work_left().await {
                break;
            }
            if stop_or_sleep(shutdown, self.idle()).await {
                break;
            }
            // Sources change rarely; re-read them after an idle spell.
            sources.clear();
        }
        // Shutting down: let in-flight jobs finish (bounded by fetch
        // timeouts) rather than leave their leases to expire.
        while running.join_next().await.is_some() {}
    }

    async fn source_for(
        &self,
        cache: &mut HashMap<i64, Source>,
        id: i64,
    ) -> Result<Source, String> {
        if let Some(s) = cache.get(&id) {
            return Ok(s.clone());
        }
        match self.pipeline.store.sources().by_id(id).await {
            Ok(Some(s)) => {
                cache.insert(id, s.clone());
                Ok(s)
            }
            Ok(None) => Err(format!("source {id} no longer exists")),
            Err(e) => Err(format!("store: {e}")),
        }
    }

    async fn work_left(&self) -> bool {
        match self.pipeline.store.jobs().counts().await {
            Ok(c) => c.busy(),
            // Cannot tell: keep going rather than stop with work outstanding.
            Err(_) => true,
        }
    }

    async fn purge(&self) {
        let age = Duration::from_secs(self.settings.keep_finished_days * 86_400);
        match self.pipeline.store.jobs().purge_finished(age).await {
            Ok(n) if n > 0 => tracing::info!(jobs = n, "finished jobs purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot purge finished jobs: {e}"),
        }
    }
}

async fn run_job(
    pipeline: Pipeline,
    settings: WorkerConfig,
    tally: Arc<Tally>,
    source: Source,
    job: EntryJob,
) {
    let outcome = pipeline
        .process_entry(&source, job.entry.clone(), job.canonical_url.clone())
        .await;
    let error = match outcome {
        Ok(outcome) => {
            if let EntryOutcome::Stored { .. } = outcome {
                tally.stories_stored.fetch_add(1, Ordering::Relaxed);
            }
            let completed = with_retries(|| {
                pipeline
                    .store
                    .jobs()
                    .complete_entry_job(job.id, &pipeline.worker_id)
            })
            .await;
            match completed {
                Ok(true) => {
                    tally.jobs_done.fetch_add(1, Ordering::Relaxed);
                    metrics::counter!("khabar_jobs_total", "outcome" => "done").increment(1);
                }
                Ok(false) => {
                    // Another worker took the job over; it will find the
                    // story stored and complete the job itself.
                    tally.leases_lost.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(job = job.id, url = %job.canonical_url, "lease lost before completion");
                }
                // The job's lease runs out and another worker redoes it; the
                // story is keyed by URL, so it is stored once.
                Err(e) => tracing::error!(
                    job = job.id,
                    "cannot complete job, leaving it to expire: {e}"
                ),
            }
            return;
        }
        Err(e) => e,
    };
    record_failure(&pipeline, &settings, &tally, &job, &error).await;
}

async fn record_failure(
    pipeline: &Pipeline,
    settings: &WorkerConfig,
    tally: &Tally,
    job: &EntryJob,
    error: &super::entry_error::EntryError,
) {
    let delay = retry_delay(settings, job.attempts);
    // A dead link or a page with no article fails the same way every
    // time: given up now instead of after `max_attempts` tries.
    let max_attempts = if error.is_permanent() {
        0
    } else {
        i64::from(settings.max_attempts)
    };
    let message = format!("[{}] {error}", error.kind);
    tracing::warn!(
        job = job.id,
        attempt = job.attempts,
        permanent = error.is_permanent(),
        "{message}"
    );
    tally.jobs_failed.fetch_add(1, Ordering::Relaxed);
    metrics::counter!("khabar_jobs_total", "outcome" => "failed_attempt").increment(1);
    let recorded = with_retries(|| {
        pipeline.store.jobs().fail_entry_job(
            job.id,
            &pipeline.worker_id,
            &message,
            delay,
            max_attempts,
        )
    })
    .await;
    if let Err(e) = recorded {
        tracing::error!(
            job = job.id,
            "cannot record job failure, leaving it to expire: {e}"
        );
    }
}

/// Tries a store write up to four times over about two seconds: after a
/// dropped connection the pool needs a moment to reconnect.
async fn with_retries<T, F, Fut>(mut write: F) -> khabar_store::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = khabar_store::Result<T>>,
{
    let mut pause = Duration::from_millis(250);
    let mut tries = 1;
    loop {
        match write().await {
            Ok(v) => return Ok(v),
            Err(e) if tries >= 4 => return Err(e),
            Err(e) => {
                tracing::warn!("store write failed (try {tries} of 4), retrying: {e}");
                tokio::time::sleep(pause).await;
                pause *= 2;
                tries += 1;
            }
        }
    }
}

/// `retry_base_secs`, doubled for every attempt after the first, capped.
fn retry_delay(settings: &WorkerConfig, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    Duration::from_secs(settings.retry_base_secs)
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_RETRY_DELAY)
}

/// Renews the leases of the work in hand, every third of the lease time.
async fn renew_leases(
    pipeline: Pipeline,
    in_hand: Arc<InHand>,
    lease: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let every = lease / 3;
    loop {
        if stop_or_sleep(&mut shutdown, every).await {
            return;
        }
        let jobs = InHand::snapshot(&in_hand.jobs);
        let sources = InHand::snapshot(&in_hand.sources);
        if jobs.is_empty() && sources.is_empty() {
            continue;
        }
        if let Err(e) = pipeline
            .store
            .jobs()
            .renew_leases(&pipeline.worker_id, lease, &jobs, &sources)
            .await
        {
            // The store is unreachable: leases may run out and the work pass
            // to another worker, which is safe; keep trying.
            tracing::error!(worker = %pipeline.worker_id, "cannot renew leases: {e}");
        }
    }
}

/// Sleeps `d`, or returns true at once when shutdown is signalled.
async fn stop_or_sleep(shutdown: &mut watch::Receiver<bool>, d: Duration) -> bool {
    if *shutdown.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => false,
        changed = shutdown.changed() => changed.is_err() || *shutdown.borrow(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_are_capped() {
        let s = WorkerConfig {
            retry_base_secs: 60,
            ..WorkerConfig::default()
        };
        assert_eq!(retry_delay(&s, 1), Duration::from_secs(60));
        assert_eq!(retry_delay(&s, 2), Duration::from_secs(120));
        assert_eq!(retry_delay(&s, 4), Duration::from_secs(480));
        assert_eq!(retry_delay(&s, 30), MAX_RETRY_DELAY);
        assert_eq!(retry_delay(&s, 0), Duration::from_secs(60));
    }
}
