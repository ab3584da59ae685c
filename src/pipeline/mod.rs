//! The pipeline: sources → fetch → feed parse → article fetch → extract →
//! topic → dedup → store.
//!
//! This module only orchestrates: every stage lives in its own crate and is
//! called through its plain data types. A failure in one source is recorded
//! on that source and never stops the others; a story is written to the
//! store in one statement, so a crash mid-run loses nothing already stored
//! and the next run carries on where this one stopped (known URLs are
//! skipped).

mod crosslang;
mod declared_url;
mod dedup;
mod entry_error;
mod image;
mod poll;
mod story;
mod worker;

use std::sync::Arc;
use std::time::{Duration, Instant};

use khabar_extract::ArticleExtractor;
use khabar_fetch::Fetcher;
use khabar_model::Source;
use khabar_store::Store;
use khabar_topic::TopicClassifier;

use crate::config::Config;

pub use dedup::StoryGrouper;
pub use poll::SourceReport;
pub use worker::{Worker, WorkerReport};

/// Everything one pipeline run needs, shared by all sources of the run.
#[derive(Clone)]
pub struct Pipeline {
    pub(crate) store: Store,
    pub(crate) fetcher: Fetcher,
    pub(crate) extractor: Arc<ArticleExtractor>,
    pub(crate) topic: Arc<TopicClassifier>,
    pub(crate) grouper: Arc<StoryGrouper>,
    pub(crate) config: Arc<Config>,
    /// Names this process in leases and locks: host, pid and a random tag,
    /// so two processes never share a name even on one machine.
    pub(crate) worker_id: Arc<str>,
    /// Space fetches to one host through the store, for all processes
    /// together (workers), rather than only within this one.
    pub(crate) shared_host_pacing: bool,
}

/// What one run over a set of sources did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunReport {
    pub sources: Vec<SourceReport>,
    pub elapsed_ms: u128,
}

impl RunReport {
    pub fn stories_added(&self) -> usize {
        self.sources.iter().map(|s| s.stories_added).sum()
    }
    pub fn published(&self) -> usize {
        self.sources.iter().map(|s| s.published).sum()
    }
    pub fn failed_sources(&self) -> usize {
        self.sources.iter().filter(|s| s.error.is_some()).count()
    }
}

impl Pipeline {
    /// Builds the stages from the configuration and rebuilds the dedup
    /// index from the signatures kept in the store.
    pub async fn new(store: Store, config: Arc<Config>) -> anyhow::Result<Pipeline> {
        let fetcher = Fetcher::new(crate::fetch_config(&config.fetch))?;
        let extractor = Arc::new(ArticleExtractor::new(Default::default()));
        let topic = Arc::new(crate::topic_classifier(&config.topic)?);
        let worker_id: Arc<str> = worker_name().into();
        let grouper = Arc::new(StoryGrouper::load(&store, &worker_id).await?);
        Ok(Pipeline {
            store,
            fetcher,
            extractor,
            topic,
            grouper,
            config,
            worker_id,
            shared_host_pacing: false,
        })
    }

    /// Fetches through the shared per-host clock when `shared_host_pacing`
    /// is on (the fetcher's own per-host limits always apply as well).
    pub(crate) async fn fetch(
        &self,
        req: &khabar_fetch::FetchRequest,
    ) -> Result<khabar_fetch::FetchOutcome, khabar_fetch::FetchError> {
        let gap = Duration::from_millis(self.config.fetch.per_host_delay_ms);
        if self.shared_host_pacing && !gap.is_zero() {
            self.wait_for_host_slot(&req.url, gap).await;
        }
        let started = std::time::Instant::now();
        let outcome = self.fetcher.fetch(req).await;
        crate::metrics::stage("fetch", started);
        outcome
    }

    async fn wait_for_host_slot(&self, url: &str, gap: Duration) {
        let Some(host) = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        else {
            return; // the fetcher reports the bad URL
        };
        match self.store.jobs().claim_host_slot(&host, gap).await {
            Ok(start_ms) => {
                let wait = start_ms - chrono::Utc::now().timestamp_millis();
                if wait > 0 {
                    tokio::time::sleep(Duration::from_millis(wait as u64)).await;
                }
            }
            // Without the shared clock the process-local limits still hold.
            Err(e) => tracing::warn!(host, "shared host pacing unavailable: {e}"),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Polls the given sources once, `fetch.source_concurrency` at a time,
    /// calling `on_done` after each source (for progress bars).
    pub async fn run(
        &self,
        sources: Vec<Source>,
        on_done: impl Fn(&SourceReport) + Send + Sync,
    ) -> RunReport {
        use futures_util::StreamExt;
        let started = Instant::now();
        let limit = self.config.fetch.source_concurrency.max(1);
        let mut reports = Vec::with_capacity(sources.len());
        let mut stream = futures_util::stream::iter(sources.into_iter().map(|s| {
            let this = self.clone();
            async move { this.poll_source(s).await }
        }))
        .buffer_unordered(limit);
        while let Some(report) = stream.next().await {
            on_done(&report);
            reports.push(report);
        }
        reports.sort_by(|a, b| a.slug.cmp(&b.slug));
        RunReport {
            sources: reports,
            elapsed_ms: started.elapsed().as_millis(),
        }
    }

    pub(crate) fn poll_interval(&self) -> Duration {
        self.config.schedule.poll_interval()
    }
}

/// `host:pid:tag` — readable in the job tables, unique across restarts.
fn worker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".into());
    format!(
        "{host}:{}:{:04x}",
        std::process::id(),
        rand::random::<u16>()
    )
}
