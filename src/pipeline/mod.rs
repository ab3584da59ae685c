//! The pipeline: sources → fetch → feed parse → article fetch → extract →
//! topic → dedup → store.
//!
//! This module only orchestrates: every stage lives in its own crate and is
//! called through its plain data types. A failure in one source is recorded
//! on that source and never stops the others; a story is written to the
//! store in one statement, so a crash mid-run loses nothing already stored
//! and the next run carries on where this one stopped (known URLs are
//! skipped).

mod dedup;
mod poll;
mod schedule;
mod story;

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
pub use schedule::run_scheduler;

/// Everything one pipeline run needs, shared by all sources of the run.
#[derive(Clone)]
pub struct Pipeline {
    pub(crate) store: Store,
    pub(crate) fetcher: Fetcher,
    pub(crate) extractor: Arc<ArticleExtractor>,
    pub(crate) topic: Arc<TopicClassifier>,
    pub(crate) grouper: Arc<StoryGrouper>,
    pub(crate) config: Arc<Config>,
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
        let grouper = Arc::new(StoryGrouper::load(&store).await?);
        Ok(Pipeline {
            store,
            fetcher,
            extractor,
            topic,
            grouper,
            config,
        })
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

    /// Sources whose next poll time has come (new sources included).
    pub async fn due_sources(&self) -> anyhow::Result<Vec<Source>> {
        let now = chrono::Utc::now();
        Ok(self
            .store
            .sources()
            .await?
            .into_iter()
            .filter(|s| s.next_fetch_at.is_none_or(|t| t <= now))
            .collect())
    }

    pub(crate) fn poll_interval(&self) -> Duration {
        self.config.schedule.poll_interval()
    }
}
