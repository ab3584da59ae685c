//! Prometheus metrics of the pipeline and the site, served at `/metrics`
//! in the Prometheus text format (`metrics` + `metrics-exporter-prometheus`),
//! each family with its HELP and TYPE.

use std::time::Instant;

use khabar_model::StoryStatus;
use metrics::Unit;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds: a cached page (sub-millisecond) to a slow
/// article fetch (the fetch timeout).
const SECONDS_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Installs the global recorder once; later calls return `None`.
pub fn install() -> Option<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS_BUCKETS)
        .ok()?
        .install_recorder()
        .ok()?;
    describe();
    Some(handle)
}

/// The HELP text of every family khabar writes (the site's included).
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "khabar_http_requests_total",
        "HTTP requests answered, by route pattern and status code."
    );
    describe_histogram!(
        "khabar_http_request_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request, by route pattern."
    );
    describe_counter!(
        "khabar_source_polls_total",
        "Source polls, by source and outcome (ok, not_modified, failing)."
    );
    describe_histogram!(
        "khabar_source_poll_seconds",
        Unit::Seconds,
        "Time to poll one source and process its new entries."
    );
    describe_counter!(
        "khabar_article_errors_total",
        "Feed entries that could not become stories (fetch, extraction or store errors)."
    );
    describe_counter!(
        "khabar_stories_stored_total",
        "Stories stored, by topic decision (published, rejected)."
    );
    describe_histogram!(
        "khabar_stage_seconds",
        Unit::Seconds,
        "Time spent in each pipeline stage (fetch, extract, topic, store, dedup) per call."
    );
    describe_counter!(
        "khabar_store_errors_total",
        "Store operations that failed, by operation."
    );
    describe_counter!(
        "khabar_jobs_total",
        "Entry jobs run by workers, by outcome."
    );
    describe_counter!(
        "khabar_push_total",
        "Push-out attempts (webhooks, WebSub pings), by kind and outcome."
    );
    describe_gauge!(
        "khabar_queue_jobs",
        "Entry jobs in the shared queue at scrape time, by state."
    );
    describe_gauge!(
        "khabar_sources_due",
        "Sources due for a poll at scrape time."
    );
    describe_gauge!(
        "khabar_store_up",
        "1 when the store answered at scrape time, else 0."
    );
}

/// Records the time since `started` as one call of a pipeline stage.
pub(crate) fn stage(stage: &'static str, started: Instant) {
    metrics::histogram!("khabar_stage_seconds", "stage" => stage)
        .record(started.elapsed().as_secs_f64());
}

pub(crate) fn store_error(op: &'static str) {
    metrics::counter!("khabar_store_errors_total", "op" => op).increment(1);
}

pub(crate) fn source_polled(slug: &str, status: &str, article_errors: usize, elapsed_ms: u128) {
    metrics::counter!(
        "khabar_source_polls_total",
        "source" => slug.to_string(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::counter!("khabar_article_errors_total").increment(article_errors as u64);
    metrics::histogram!("khabar_source_poll_seconds").record(elapsed_ms as f64 / 1000.0);
}

pub(crate) fn story_stored(status: StoryStatus) {
    metrics::counter!("khabar_stories_stored_total", "status" => status.as_str()).increment(1);
}
