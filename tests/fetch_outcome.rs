//! `khabar fetch` tells a scheduler the truth: a run in which every source
//! failed exits non-zero after its summary, `--strict` makes any failure
//! an error, and a damaged feed's note reaches the report.

mod support;

use std::path::Path;
use std::process::Output;

use support::khabar_bin::{khabar, start_site};
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
    khabar(config)
        .arg("fetch")
        .args(extra)
        .output()
        .expect("run khabar fetch")
}

/// GET `url`: the status and the body.
async fn get(http: &reqwest::Client, url: &str) -> (u16, String) {
    let resp = http
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    (
        status,
        resp.text()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}")),
    )
}

/// A feed of one item whose link is dead (HTTP 404).
async fn dead_link_feed() -> static_site::StaticSite {
    let mut docs = Documents::new();
    docs.insert(
        "/rss.xml".into(),
        (
            "application/rss+xml",
            b"<rss version=\"2.0\"><channel><title>T</title><link>/</link>\
              <item><title>Gone</title><link>/gone.html</link></item></channel></rss>"
                .to_vec(),
        ),
    );
    static_site::start(docs).await
}

/// Runs `khabar worker --until-idle` to the end; it must succeed.
async fn drain_with_a_worker(cfg: &Path) {
    let c = cfg.to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        khabar(&c)
            .args(["worker", "--until-idle"])
            .output()
            .expect("run worker")
    })
    .await
    .expect("task");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `khabar jobs --json`: the queue's counts and its failed jobs.
fn jobs(cfg: &Path) -> serde_json::Value {
    let out = khabar(cfg)
        .args(["jobs", "--json"])
        .output()
        .expect("run jobs");
    serde_json::from_slice(&out.stdout).expect("jobs json")
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
    let all_down = config(
        dir.path(),
        &[("down-a", down.clone()), ("down-b", format!("{down}?b"))],
    );
    // Before any run the site says its sources have not been fetched.
    let (guard, base) = start_site(&all_down);
    let http = reqwest::Client::new();
    let (_, home) = get(&http, &format!("{base}/")).await;
    assert!(
        home.contains("the 2 sources have not been fetched"),
        "{home}"
    );
    let (status, health) = get(&http, &format!("{base}/health")).await;
    assert_eq!(status, 200);
    let h: serde_json::Value = serde_json::from_str(&health).expect("health json");
    assert_eq!(h["status"], "degraded", "{h}");
    assert_eq!(h["sources"]["never_fetched"], 2, "{h}");
    let a = all_down.clone();
    let out = tokio::task::spawn_blocking(move || fetch(&a, &[]))
        .await
        .expect("task");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "all sources failed but exit was 0: {stdout}"
    );
    assert!(
        stdout.contains("down-a") && stdout.contains("FAILED"),
        "{stdout}"
    );
    assert!(stderr.contains("all 2 sources failed"), "{stderr}");
    // After it, the same site says every source is failing, and readiness
    // fails with each source's error.
    let (_, home) = get(&http, &format!("{base}/")).await;
    assert!(home.contains("all 2 sources are failing"), "{home}");
    let (status, health) = get(&http, &format!("{base}/health")).await;
    assert_eq!(status, 503);
    let h: serde_json::Value = serde_json::from_str(&health).expect("health json");
    assert_eq!(h["status"], "failing", "{h}");
    assert_eq!(h["per_source"][0]["consecutive_failures"], 1, "{h}");
    assert!(
        h["per_source"][0]["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "{h}"
    );
    assert_eq!(h["per_source"][0]["error_kind"], "connect", "{h}");
    let (live, _) = get(&http, &format!("{base}/healthz")).await;
    assert_eq!(live, 200, "liveness stays up");
    drop(guard);

    let dir = tempfile::tempdir().expect("tempdir");
    let mixed = config(dir.path(), &[("up", site.url("/rss.xml")), ("down", down)]);
    let m = mixed.clone();
    let out = tokio::task::spawn_blocking(move || fetch(&m, &[]))
        .await
        .expect("task");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("truncated"),
        "the damage note is shown: {stdout}"
    );
    let out = tokio::task::spawn_blocking(move || fetch(&mixed, &["--strict"]))
        .await
        .expect("task");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 2 sources failed (--strict)"));
}

/// A worker gives up a dead link at once (HTTP 404) instead of trying it
/// `max_attempts` times, and records the kind with the error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_article_link_is_given_up_at_once() {
    let site = dead_link_feed().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(dir.path(), &[("src", site.url("/rss.xml"))]);
    drain_with_a_worker(&cfg).await;
    let j = jobs(&cfg);
    assert_eq!(j["counts"]["failed"], 1, "{j}");
    assert_eq!(j["counts"]["queued"], 0, "not waiting for a retry: {j}");
    let failed = j["failed"].to_string();
    assert!(
        failed.contains("http_4xx") && failed.contains("404"),
        "{failed}"
    );
}

/// An editor's "publish anyway" becomes a training label: `khabar labels`
/// writes the story as a labelled JSON line that `train-topic` reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editors_decision_becomes_a_training_label() {
    let page =
        |title: &str, body: &str| {
            format!(
            "<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body><article>\
             <h1>{title}</h1>{}</article></body></html>",
            body.split(". ").map(|p| format!("<p>{p}.</p>")).collect::<String>()
        )
        .into_bytes()
        };
    let mut docs = Documents::new();
    docs.insert(
        "/rss.xml".into(),
        (
            "application/rss+xml",
            b"<rss version=\"2.0\"><channel><title>T</title><link>/</link>\
              <item><title>Local football results</title><link>/football.html</link></item>\
              </channel></rss>"
                .to_vec(),
        ),
    );
    let sport = "The home side won the local derby by two goals to one on Saturday afternoon. \
        The visitors scored first after ten minutes but the hosts equalised before half time. \
        A late header from the captain settled the match in front of a full stadium. \
        The coach praised the young defenders and said the team would rest players midweek. \
        Next week the club travels to the coast for the last away game of the season";
    docs.insert(
        "/football.html".into(),
        (
            "text/html; charset=utf-8",
            page("Local football results", sport),
        ),
    );
    let site = static_site::start(docs).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(dir.path(), &[("src", site.url("/rss.xml"))]);
    let c = cfg.clone();
    let out = tokio::task::spawn_blocking(move || fetch(&c, &["--json"]))
        .await
        .expect("task");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("fetch report");
    assert_eq!(report["sources"][0]["rejected"], 1, "{report}");

    let store = khabar_store::Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("khabar.db").display()
    ))
    .await
    .expect("store");
    let rejected = store
        .stories(&khabar_store::StoryQuery {
            statuses: vec![khabar_model::StoryStatus::Rejected],
            include_copies: true,
            ..Default::default()
        })
        .await
        .expect("stories")
        .items;
    let id = rejected[0].id;
    // Nothing to learn before an editor decides.
    let none = khabar(&cfg).arg("labels").output().expect("labels");
    assert!(none.stdout.is_empty());
    store
        .set_status(
            id,
            khabar_model::StoryStatus::Published,
            Some("published against the topic decision by the admin: club owned by a ministry"),
        )
        .await
        .expect("publish anyway");
    let out = khabar(&cfg).arg("labels").output().expect("labels");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("one JSON line");
    assert_eq!(line["relevant"], 1);
    assert_eq!(line["title"], "Local football results");
    assert!(
        line["body"]
            .as_str()
            .is_some_and(|b| b.contains("local derby")),
        "{line}"
    );
    assert!(
        line["why"]
            .as_str()
            .is_some_and(|w| w.contains("club owned by a ministry")),
        "{line}"
    );

    // The opposite mark makes a negative label of the same story.
    store
        .set_status(
            id,
            khabar_model::StoryStatus::Rejected,
            Some("marked not about the topic by the admin"),
        )
        .await
        .expect("mark off-topic");
    let out = khabar(&cfg).arg("labels").output().expect("labels");
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("one JSON line");
    assert_eq!(line["relevant"], 0, "{line}");
}

/// Runs one SQL statement on the test's SQLite store, as an operator would.
async fn sqlite_exec(db: &Path, sql: &str) {
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .connect()
        .await
        .expect("open the store");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A poll whose feed was read but whose new entries the store could not
/// sort from the stored ones queues nothing; the source must stay due so
/// those entries are queued as soon as the store answers, not a whole poll
/// interval later (a drained worker would otherwise stop with them unseen).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_the_store_could_not_list_are_polled_again_at_once() {
    let site = dead_link_feed().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(dir.path(), &[("src", site.url("/rss.xml"))]);
    let db = dir.path().join("khabar.db");
    // The store exists; then the lookup of known URLs is made to fail.
    assert_eq!(jobs(&cfg)["counts"]["failed"], 0);
    sqlite_exec(
        &db,
        "ALTER TABLE stories RENAME COLUMN canonical_url TO canonical_url_away",
    )
    .await;
    let c = cfg.clone();
    let out = tokio::task::spawn_blocking(move || fetch(&c, &["--json"]))
        .await
        .expect("task");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("store: "), "the listing failed: {report}");

    // The store answers again: a draining worker still finds the source due,
    // polls it and queues its entry (a dead link, given up at once).
    sqlite_exec(
        &db,
        "ALTER TABLE stories RENAME COLUMN canonical_url_away TO canonical_url",
    )
    .await;
    drain_with_a_worker(&cfg).await;
    let j = jobs(&cfg);
    assert_eq!(j["counts"]["failed"], 1, "the entry was queued: {j}");
}
