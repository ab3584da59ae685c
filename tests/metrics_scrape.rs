//! `/metrics` of a site running its own pipeline, read with a Prometheus
//! text-format parser: every family has HELP and TYPE, and the families an
//! operator acts on are there with their labels.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use support::khabar_bin::{Guarded, TestSource, khabar, write_config};
use support::news_server;

const SOURCES: &[TestSource] = &[
    ("wire", "Wire Service", "/wire/rss.xml", "en"),
    ("persian", "خبرگزاری نمونه", "/fa/rss.xml", "fa"),
    ("broken", "Broken Feed", "/broken/rss.xml", "en"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_prometheus_text_with_help_and_type() {
    let server = news_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &server, SOURCES, None);
    // The full server: site and pipeline in one process, as `serve` runs.
    let mut child = khabar(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start khabar serve");
    let stdout = child.stdout.take().expect("stdout");
    let _guard = Guarded(child);
    let mut banner = String::new();
    BufReader::new(stdout)
        .read_line(&mut banner)
        .expect("banner");
    let base = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("address in banner")
        .trim_end_matches('/')
        .to_string();
    let http = reqwest::Client::new();
    // Wait for the first pipeline run to publish.
    let mut published = false;
    for _ in 0..100 {
        let health = http
            .get(format!("{base}/health"))
            .send()
            .await
            .expect("health");
        let h: serde_json::Value =
            serde_json::from_str(&health.text().await.expect("body")).expect("health json");
        if h["sources"]["never_fetched"] == 0
            && http
                .get(format!("{base}/api/v1/stories"))
                .send()
                .await
                .expect("api")
                .text()
                .await
                .expect("body")
                .contains("\"headline\"")
        {
            published = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(published, "the pipeline published nothing");
    for path in ["/", "/feed.atom", "/no/such/page"] {
        http.get(format!("{base}{path}")).send().await.expect("get");
    }

    let text = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    let families = parse_with_prometheus_client(&text);
    let family = |name: &str| families.iter().find(|f| f["name"] == name);
    // Every family has its TYPE and HELP.
    for f in &families {
        assert!(
            f["help"].as_str().is_some_and(|h| !h.is_empty()),
            "no HELP: {f}"
        );
        assert!(
            f["type"].as_str().is_some_and(|t| t != "unknown"),
            "no TYPE: {f}"
        );
    }
    let has = |name: &str, sample: &str, label: &str, value: &str| {
        family(name).is_some_and(|f| {
            f["samples"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|s| s["name"] == sample && s["labels"][label].as_str() == Some(value))
        })
    };
    // The client parser names a counter family without `_total`.
    assert!(
        has(
            "khabar_http_requests",
            "khabar_http_requests_total",
            "route",
            "/"
        ),
        "{text}"
    );
    assert!(
        has(
            "khabar_http_requests",
            "khabar_http_requests_total",
            "status",
            "404"
        ),
        "{text}"
    );
    assert_eq!(
        family("khabar_http_request_seconds").map(|f| f["type"].clone()),
        Some("histogram".into())
    );
    assert!(
        has(
            "khabar_http_request_seconds",
            "khabar_http_request_seconds_bucket",
            "route",
            "/feed.atom"
        ),
        "{text}"
    );
    for stage in ["fetch", "extract", "topic", "store"] {
        assert!(
            has(
                "khabar_stage_seconds",
                "khabar_stage_seconds_count",
                "stage",
                stage
            ),
            "stage {stage}: {text}"
        );
    }
    assert!(
        has(
            "khabar_source_polls",
            "khabar_source_polls_total",
            "source",
            "wire"
        ),
        "{text}"
    );
    assert!(
        has(
            "khabar_source_polls",
            "khabar_source_polls_total",
            "status",
            "failing"
        ),
        "the broken source: {text}"
    );
    assert!(
        has(
            "khabar_stories_stored",
            "khabar_stories_stored_total",
            "status",
            "published"
        ),
        "{text}"
    );
    assert!(
        has("khabar_queue_jobs", "khabar_queue_jobs", "state", "queued"),
        "{text}"
    );
    let store_up = family("khabar_store_up").expect("khabar_store_up");
    assert_eq!(store_up["samples"][0]["value"], 1.0);
}

/// The exposition read by the official Python client's parser
/// (`scripts/parse-metrics.py` in the test venv), as JSON families.
fn parse_with_prometheus_client(text: &str) -> Vec<serde_json::Value> {
    use std::io::Write;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The pinned venv, made on first use (the script does nothing when it
    // is there), so `cargo test` alone runs this test on a fresh machine.
    let install = std::process::Command::new("bash")
        .arg(root.join("scripts/install-test-tools"))
        .output()
        .expect("run scripts/install-test-tools");
    assert!(
        install.status.success(),
        "scripts/install-test-tools failed (it makes the Python venv the tests read /metrics \
         with):\n{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let python = root.join("target/test-venv/bin/python");
    let mut child = std::process::Command::new(python)
        .arg(root.join("scripts/parse-metrics.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run parse-metrics.py");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write metrics");
    let out = child.wait_with_output().expect("parse-metrics.py");
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("parse-metrics.py prints JSON")
}
