//! `khabar fetch` tells a scheduler the truth: a run in which every source
//! failed exits non-zero after its summary, `--strict` makes any failure
//! an error, and a damaged feed's note reaches the report.

mod support;

use std::path::Path;
use std::process::Output;

use support::khabar_bin::khabar;
use support::static_site::{self, Documents};

fn config(dir: &Path, sources: &[(&str, String)]) -> std::path::PathBuf {
    let db = format!("sqlite://{}", dir.join("khabar.db").display());
    let mut toml = format!(
        "[storage]\nurl = \"{db}\"\n\n[fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\ntimeout_secs = 5\n\n"
    );
    for (slug, url) in sources {
        toml.push_str(&format!(
            "[[sources]]\nslug = \"{slug}\"\nname = \"{slug}\"\nurl = \"{url}\"\nlang = \"en\"\n\n"
        ));
    }
    let path = dir.join("khabar.toml");
    std::fs::write(&path, toml).expect("write config");
    path
}

fn fetch(config: &Path, extra: &[&str]) -> Output {
    khabar(config).arg("fetch").args(extra).output().expect("run khabar fetch")
}

/// An address on this machine where nothing listens.
fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = l.local_addr().expect("addr");
    drop(l);
    format!("http://{addr}/rss.xml")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_where_every_source_failed_is_an_error_and_strict_counts_any() {
    let mut docs = Documents::new();
    // Cut short after its first item: read, and the damage noted.
    docs.insert(
        "/rss.xml".into(),
        (
            "application/rss+xml",
            b"<rss version=\"2.0\"><channel><title>T</title><link>/</link>\
              <item><title>Only a title</title><description>And its text.</description></item>\
              <item><title>Cut"
                .to_vec(),
        ),
    );
    let site = static_site::start(docs).await;
    let down = closed_port();

    let dir = tempfile::tempdir().expect("tempdir");
    let all_down = config(dir.path(), &[("down-a", down.clone()), ("down-b", format!("{down}?b"))]);
    let out = tokio::task::spawn_blocking(move || fetch(&all_down, &[])).await.expect("task");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "all sources failed but exit was 0: {stdout}");
    assert!(stdout.contains("down-a") && stdout.contains("FAILED"), "{stdout}");
    assert!(stderr.contains("all 2 sources failed"), "{stderr}");

    let dir = tempfile::tempdir().expect("tempdir");
    let mixed = config(dir.path(), &[("up", site.url("/rss.xml")), ("down", down)]);
    let m = mixed.clone();
    let out = tokio::task::spawn_blocking(move || fetch(&m, &[])).await.expect("task");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("truncated"), "the damage note is shown: {stdout}");
    let out = tokio::task::spawn_blocking(move || fetch(&mixed, &["--strict"])).await.expect("task");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 2 sources failed (--strict)"));
}
