//! Scale-out on PostgreSQL: three `khabar worker` processes share a news
//! server of 300 sources through the store; one is killed with SIGKILL in
//! the middle of the run, and the others lose their database connections
//! once. Afterwards every article is stored exactly once, none is missing,
//! and the killed worker's jobs were finished by the others.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use khabar_store::Store;

use support::khabar_bin::{Guarded, khabar};
use support::news_server::{self, NewsServer};
use support::postgres;

const SOURCES: usize = 300;
const PER_SOURCE: usize = 2;
/// Short leases so the killed worker's work is free again within seconds.
const LEASE_SECS: u64 = 3;
const DEADLINE: Duration = Duration::from_secs(300);

fn write_config(dir: &Path, server: &NewsServer, db_url: &str) -> std::path::PathBuf {
    let mut toml = format!(
        "[storage]\nurl = \"{db_url}\"\n\n\
         [fetch]\nallow_private_addresses = true\nper_host_concurrency = 8\n\
         # Every source is on 127.0.0.1: a small gap still makes all workers\n\
         # take turns on the store's shared clock for that host, and keeps\n\
         # the 600 articles busy for at least 3 s, so the victim is caught\n\
         # holding work.\n\
         per_host_delay_ms = 5\ntimeout_secs = 20\nsource_concurrency = 8\n\n\
         [worker]\nlease_secs = {LEASE_SECS}\njob_concurrency = 4\nidle_poll_ms = 100\nretry_base_secs = 1\n\n"
    );
    toml.push_str(&server.bulk_sources_toml(SOURCES));
    let path = dir.join("khabar.toml");
    std::fs::write(&path, toml).expect("write config");
    path
}

/// Starts `khabar worker --until-idle` and reads its name from the banner.
fn start_worker(config: &Path) -> (Guarded, String) {
    let mut child = khabar(config)
        .args(["worker", "--until-idle"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start khabar worker");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).expect("read worker banner");
    let name = line
        .strip_prefix("khabar: worker ")
        .and_then(|l| l.strip_suffix(" started\n"))
        .unwrap_or_else(|| panic!("unexpected worker banner {line:?}"))
        .to_string();
    // Keep reading the rest (the final report) so the pipe never fills.
    std::thread::spawn(move || {
        let mut rest = String::new();
        while reader.read_line(&mut rest).map(|n| n > 0).unwrap_or(false) {}
    });
    (Guarded(child), name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_one_killed_store_every_story_once() {
    let Some(pg) = postgres::schema().await else {
        return;
    };
    let server = news_server::start_with_bulk(SOURCES, PER_SOURCE).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // Tagged connections, so the test can cut exactly the workers' ones.
    let app = format!("khabar-workers-{}", std::process::id());
    let db_url = format!("{}&application_name={app}", pg.url);
    let config = write_config(dir.path(), &server, &db_url);
    let jobs = pg.table("entry_jobs");

    let mut workers: Vec<(Guarded, String)> = (0..3).map(|_| start_worker(&config)).collect();
    let victim = workers[0].1.clone();

    // Wait until the victim is mid-run: holding article jobs while others are done.
    let started = Instant::now();
    let held: Vec<i64> = loop {
        let held: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {jobs} WHERE lease_owner = $1 AND state = 'queued'"
        )))
        .bind(&victim)
        .fetch_all(pg.pool())
        .await
        .unwrap_or_default();
        let done: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {jobs} WHERE state = 'done'"
        )))
        .fetch_one(pg.pool())
        .await
        .unwrap_or(0);
        if !held.is_empty() && done >= 20 {
            break held;
        }
        if let Some(status) = workers[0].0.0.try_wait().expect("wait victim") {
            panic!("worker {victim} ended before it could be killed: {status} (done {done})");
        }
        assert!(
            started.elapsed() < DEADLINE,
            "the victim never held jobs mid-run (done {done})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let pid = workers[0].0.0.id();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success(), "SIGKILL sent to worker {victim}");
    let _ = workers[0].0.0.wait();
    // What the victim held when it died (it may have finished some of the
    // jobs seen above in the moment before the signal landed).
    let orphaned: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM {jobs} WHERE lease_owner = $1 AND state = 'queued'"
    )))
    .bind(&victim)
    .fetch_all(pg.pool())
    .await
    .expect("the victim's jobs");
    assert!(
        !orphaned.is_empty(),
        "the victim held jobs when killed (it held {held:?} just before)"
    );

    // The survivors also lose their database connections once, as in a
    // database restart: they must reconnect and carry on.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(&app)
    .fetch_all(pg.pool())
    .await
    .expect("terminate the workers' connections");
    assert!(!cut.is_empty(), "the survivors had connections to cut");

    // The survivors drain the queue, the victim's expired leases included.
    for (child, name) in workers.iter_mut().skip(1) {
        let waited = Instant::now();
        loop {
            if let Some(status) = child.0.try_wait().expect("wait worker") {
                assert!(status.success(), "worker {name} failed: {status}");
                break;
            }
            assert!(waited.elapsed() < DEADLINE, "worker {name} never finished");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    let store = Store::connect(&pg.url)
        .await
        .expect("open the workers' store");
    let counts = store.jobs().counts().await.expect("job counts");
    let expected = SOURCES * PER_SOURCE;
    assert_eq!(
        (counts.queued, counts.failed, counts.done),
        (0, 0, expected as i64),
        "every article job done once, none failed or left: {counts:?}"
    );
    assert_eq!(counts.sources_due + counts.sources_leased, 0, "{counts:?}");

    // Every served article stored exactly once.
    let stories = pg.table("stories");
    let urls: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT canonical_url FROM {stories}"
    )))
    .fetch_all(pg.pool())
    .await
    .expect("stored URLs");
    let unique: HashSet<&str> = urls.iter().map(String::as_str).collect();
    assert_eq!(urls.len(), expected, "one story per article");
    assert_eq!(unique.len(), expected, "no article stored twice");
    for k in [0, SOURCES / 2, SOURCES - 1] {
        let needle = format!("/bulk/{k}/story/");
        let n = urls.iter().filter(|u| u.contains(&needle)).count();
        assert_eq!(n, PER_SOURCE, "source bulk-{k} fully stored");
    }

    // The victim's jobs were finished by the survivors.
    let finishers: Vec<(i64, Option<String>, String)> = sqlx::query_as(sqlx::AssertSqlSafe(
        format!("SELECT id, finished_by, state FROM {jobs} WHERE id = ANY($1)"),
    ))
    .bind(&orphaned)
    .fetch_all(pg.pool())
    .await
    .expect("the victim's jobs");
    assert_eq!(finishers.len(), orphaned.len());
    let survivors: HashSet<&str> = workers[1..].iter().map(|(_, n)| n.as_str()).collect();
    for (id, by, state) in &finishers {
        assert_eq!(state, "done", "job {id} of the killed worker was finished");
        let by = by.as_deref().unwrap_or("nobody");
        assert!(
            survivors.contains(by),
            "job {id} finished by {by}, not by a surviving worker {survivors:?}"
        );
    }

    // Each poll's log row counts the stories its articles became, whichever
    // worker stored them, the victim's and the taken-over jobs' included.
    let credited: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(SUM(stories_added), 0)::BIGINT FROM {}",
        pg.table("fetch_log")
    )))
    .fetch_one(pg.pool())
    .await
    .expect("fetch log credits");
    assert_eq!(
        credited, expected as i64,
        "stories credited to the polls that found them"
    );

    // Grouping is complete: every published primary is in the dedup index,
    // including any the victim stored but did not get to group.
    let ungrouped: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {stories} WHERE status = 'published' AND duplicate_of IS NULL AND dedup_sig IS NULL"
    )))
    .fetch_one(pg.pool())
    .await
    .expect("ungrouped count");
    assert_eq!(ungrouped, 0, "published stories left out of dedup");
    // Some stories of the run are about Iran, so the run published something.
    let published = store.counts().await.expect("counts").published;
    assert!(published > 0, "the run published stories");

    store.close().await;
    drop(workers);
    pg.drop().await;
}
