//! Prometheus metrics of the pipeline, served by the site at `/metrics`.

use khabar_model::StoryStatus;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::pipeline::SourceReport;

/// Installs the global recorder once; later calls return `None`.
pub fn install() -> Option<PrometheusHandle> {
    PrometheusBuilder::new().install_recorder().ok()
}

pub(crate) fn source_polled(report: &SourceReport) {
    metrics::counter!("khabar_source_polls_total", "status" => report.status.clone()).increment(1);
    metrics::counter!("khabar_article_errors_total").increment(report.article_error_count as u64);
    metrics::histogram!("khabar_source_poll_seconds").record(report.elapsed_ms as f64 / 1000.0);
}

pub(crate) fn story_stored(status: StoryStatus) {
    metrics::counter!("khabar_stories_stored_total", "status" => status.as_str()).increment(1);
}
