//! The store under faults: `khabar serve` (and, on PostgreSQL, a `khabar
//! worker` beside it) killed with SIGKILL twenty times while it ingests a
//! local news server, then started once more with no manual step. Afterwards
//! every article is stored exactly once, every job is done, every published
//! primary is grouped, and the site's search index holds exactly the
//! searchable stories at the change log's head.
//!
//! A second set of faults: a PostgreSQL server that refuses connections when
//! `serve` starts (it waits, says why, and comes up when the database does),
//! and, on SQLite, a data folder that fills up and one that turns read-only
//! under a running site (clear errors, no corrupt file, ingest resumes by
//! itself when space or write access returns).

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar_store::{JobCounts, Store};

use support::khabar_bin::{Guarded, khabar};
use support::news_server::{self, NewsServer};
use support::postgres;

const KILLS: usize = 20;
/// Short leases, so the work a killed process held is free again soon.
const LEASE_SECS: u64 = 2;
const DEADLINE: Duration = Duration::from_secs(240);

/// A config for `sources` bulk feeds of the news server on the store `url`.
/// A small per-host gap (every source is on 127.0.0.1) keeps ingest slow
/// enough that the kills land in the middle of it.
fn write_config(
    dir: &Path,
    server: &NewsServer,
    sources: usize,
    url: &str,
    delay_ms: u64,
) -> PathBuf {
    let mut toml = format!(
        "[site]\nbase_url = \"http://127.0.0.1:9\"\n\n\
         [storage]\nurl = \"{url}\"\n\n\
         [fetch]\nallow_private_addresses = true\nper_host_concurrency = 4\n\
         per_host_delay_ms = {delay_ms}\ntimeout_secs = 10\nsource_concurrency = 8\n\n\
         [worker]\nlease_secs = {LEASE_SECS}\njob_concurrency = 4\nidle_poll_ms = 100\nretry_base_secs = 1\n\n"
    );
    toml.push_str(&server.bulk_sources_toml(sources));
    let path = dir.join("khabar.toml");
    std::fs::write(&path, toml).expect("write config");
    path
}

/// A running `khabar` process and everything it wrote on stderr so far.
struct Running {
    child: Guarded,
    stderr: Arc<Mutex<String>>,
}

impl Running {
    /// Starts `khabar <args>` and waits for its first stdout line (the
    /// banner), which it prints once the store is open.
    fn start(config: &Path, args: &[&str], env: &[(&str, &Path)]) -> (Running, String) {
        let (running, banner) = Running::spawn(config, args, env);
        let banner = banner
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no banner from khabar {args:?}:\n{}", running.stderr()));
        (running, banner)
    }

    /// Starts `khabar <args>`; its banner arrives on the channel when printed.
    fn spawn(
        config: &Path,
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> (Running, std::sync::mpsc::Receiver<String>) {
        let mut cmd = khabar(config);
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start khabar");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("stderr sink")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, rx) = std::sync::mpsc::channel();
        // Sends the banner, then keeps draining stdout so the pipe never fills.
        std::thread::spawn(move || {
            let mut line = String::new();
            let mut first = true;
            while out.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if first {
                    let _ = tx.send(line.clone());
                    first = false;
                }
                line.clear();
            }
        });
        (
            Running {
                child: Guarded(child),
                stderr,
            },
            rx,
        )
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr").clone()
    }

    fn kill(mut self) {
        self.child.0.kill().expect("SIGKILL");
        let _ = self.child.0.wait();
    }

    /// Sends `signal` (a `kill` name such as `STOP`).
    fn signal(&self, signal: &str) {
        let pid = self.child.0.id().to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "SIG{signal} to {pid}");
    }

    /// SIGTERM, then waits for a clean exit.
    fn terminate(mut self) {
        self.signal("TERM");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.0.try_wait().expect("wait") {
                assert!(
                    status.success(),
                    "stopped with {status}:\n{}",
                    self.stderr()
                );
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no clean stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn is_running(&mut self) -> bool {
        self.child.0.try_wait().expect("wait").is_none()
    }
}

fn base_of(banner: &str) -> String {
    banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in banner {banner:?}"))
        .trim_end_matches('/')
        .to_string()
}

/// A small deterministic generator, so each run kills at other moments of
/// the work but a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Waits until `life` has done a few more jobs than `before` (a random
/// number, 0 included, so some kills land in start-up or a feed poll), or a
/// random time has passed, then returns the counts seen last.
async fn let_it_work(store: &Store, before: i64, rng: &mut Lcg) -> JobCounts {
    let more = rng.below(12) as i64;
    let patience = Duration::from_millis(300 + rng.below(1200));
    let started = Instant::now();
    loop {
        let counts = store.jobs().counts().await.expect("job counts");
        if counts.done >= before + more || started.elapsed() >= patience {
            return counts;
        }
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

/// Waits until nothing is due, queued or held and `expected` jobs are done.
async fn wait_for_drain(store: &Store, expected: i64, running: &mut [&mut Running]) -> JobCounts {
    let started = Instant::now();
    loop {
        let c = store.jobs().counts().await.expect("job counts");
        if c.done + c.failed >= expected && c.queued == 0 && c.sources_due + c.sources_leased == 0 {
            return c;
        }
        for r in running.iter_mut() {
            assert!(r.is_running(), "a process ended early:\n{}", r.stderr());
        }
        assert!(
            started.elapsed() < DEADLINE,
            "ingest never finished after the kills: {c:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The database behind the store, read directly, as an operator would.
enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool, String),
}

impl Db {
    async fn sqlite(file: &Path) -> Db {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(file)
            .read_only(true);
        Db::Sqlite(
            sqlx::SqlitePool::connect_with(opts)
                .await
                .expect("open the SQLite file"),
        )
    }

    fn table(&self, name: &str) -> String {
        match self {
            Db::Sqlite(_) => name.to_string(),
            Db::Postgres(_, schema) => format!("{schema}.{name}"),
        }
    }

    /// The first column of every row `sql` returns, on either backend.
    async fn column<T>(&self, sql: String) -> Vec<T>
    where
        T: Send
            + Unpin
            + sqlx::Type<sqlx::Sqlite>
            + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
            + sqlx::Type<sqlx::Postgres>
            + for<'r> sqlx::Decode<'r, sqlx::Postgres>,
    {
        let q = sqlx::AssertSqlSafe(sql);
        match self {
            Db::Sqlite(p) => sqlx::query_scalar(q).fetch_all(p).await,
            Db::Postgres(p, _) => sqlx::query_scalar(q).fetch_all(p).await,
        }
        .expect("query")
    }

    async fn strings(&self, sql: String) -> Vec<String> {
        self.column(sql).await
    }

    async fn count(&self, sql: String) -> i64 {
        let counts: Vec<i64> = self.column(sql).await;
        counts[0]
    }
}

/// What must hold after the faults: each article stored once, each job
/// done, each published primary grouped, each poll credited with the
/// stories its articles became.
async fn assert_nothing_lost_or_doubled(
    store: &Store,
    db: &Db,
    server: &NewsServer,
    expected: usize,
) {
    let counts = store.jobs().counts().await.expect("job counts");
    assert_eq!(
        (counts.queued, counts.failed, counts.done),
        (0, 0, expected as i64),
        "every article job done once, none failed or left: {counts:?}"
    );
    let stories = db.table("stories");
    let urls = db
        .strings(format!("SELECT canonical_url FROM {stories}"))
        .await;
    let unique: HashSet<&str> = urls.iter().map(String::as_str).collect();
    assert_eq!(unique.len(), urls.len(), "no article stored twice");
    assert_eq!(urls.len(), expected, "one story per article, none lost");
    let bulk = server.url("/bulk/");
    for u in &urls {
        assert!(
            u.starts_with(&bulk),
            "a stored story is a served article: {u}"
        );
    }
    let ungrouped = db
        .count(format!(
            "SELECT COUNT(*) FROM {stories} WHERE status = 'published' \
             AND duplicate_of IS NULL AND dedup_sig IS NULL"
        ))
        .await;
    assert_eq!(ungrouped, 0, "published primaries left out of dedup");
    let credited = db
        .count(format!(
            "SELECT CAST(COALESCE(SUM(stories_added), 0) AS BIGINT) FROM {}",
            db.table("fetch_log")
        ))
        .await;
    assert_eq!(
        credited, expected as i64,
        "stories credited to the polls that found them"
    );
    assert!(
        store.counts().await.expect("counts").published > 0,
        "the run published stories (some articles are about Iran)"
    );
}

/// The index `serve` kept in `dir` holds exactly the searchable stories,
/// at the store's change-log head.
async fn assert_index_in_step(store: &Store, dir: &Path) {
    let index = khabar_search::StoryIndex::open(dir)
        .unwrap_or_else(|e| panic!("open the site's search index {}: {e}", dir.display()));
    let searchable = store
        .search_log()
        .indexable_after(0, 1_000_000)
        .await
        .expect("searchable stories");
    let head = store
        .search_log()
        .head()
        .await
        .expect("log head")
        .unwrap_or(0);
    let at = index.position().map(|p| p.seq);
    assert_eq!(at, Some(head), "the index is at the change log's head");
    assert_eq!(
        index.len(),
        searchable.len() as u64,
        "the index holds every searchable story and nothing else (searchable: {:?}; store: {:?})",
        searchable.iter().map(|d| d.id).collect::<Vec<_>>(),
        store.counts().await.expect("counts")
    );
}

/// Asks the site something that makes its search follower apply the log's
/// last changes, then waits for its background commit.
async fn settle_search(base: &str) {
    let client = reqwest::Client::new();
    for _ in 0..50 {
        let body = client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz")
            .text()
            .await
            .expect("healthz body");
        let health: serde_json::Value = serde_json::from_str(&body).expect("healthz json");
        if health["search"] == "index" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let r = client
        .get(format!("{base}/search?q=iran"))
        .send()
        .await
        .expect("search");
    assert!(r.status().is_success(), "search answers: {}", r.status());
    // The follower's own round commits within a second.
    tokio::time::sleep(Duration::from_millis(2500)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_killed_twenty_times_on_sqlite_loses_and_doubles_nothing() {
    const SOURCES: usize = 150;
    const PER_SOURCE: usize = 2;
    let server = news_server::start_with_bulk(SOURCES, PER_SOURCE).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("data/khabar.db");
    let config = write_config(
        dir.path(),
        &server,
        SOURCES,
        &format!("sqlite://{}", db.display()),
        4,
    );
    let serve_args = ["serve", "--listen", "127.0.0.1:0"];
    let mut rng = Lcg(0x6b68_6162_6172);

    let mut store: Option<Store> = None;
    let mut kills_mid_ingest = 0;
    let mut done_before = 0;
    for _ in 0..KILLS {
        let (mut life, banner) = Running::start(&config, &serve_args, &[]);
        assert!(
            banner.starts_with("khabar: serving"),
            "serve started: {banner:?}\n{}",
            life.stderr()
        );
        // The test's own connection, once the first serve made the schema.
        let st = match &store {
            Some(s) => s.clone(),
            None => {
                let s = Store::connect(&format!("sqlite://{}", db.display()))
                    .await
                    .expect("open the site's store");
                store = Some(s.clone());
                s
            }
        };
        let seen = let_it_work(&st, done_before, &mut rng).await;
        assert!(
            life.is_running(),
            "serve died by itself:\n{}",
            life.stderr()
        );
        life.kill();
        if seen.queued > 0 || seen.sources_due + seen.sources_leased > 0 {
            kills_mid_ingest += 1;
        }
        done_before = seen.done;
    }
    let store = store.expect("store opened");
    assert!(
        kills_mid_ingest >= KILLS - 2,
        "the kills landed while work was left ({kills_mid_ingest} of {KILLS})"
    );
    let after_kills = store.jobs().counts().await.expect("job counts");
    assert!(
        after_kills.done < (SOURCES * PER_SOURCE) as i64,
        "work was still left after the last kill: {after_kills:?}"
    );

    // One more start: it finishes what the killed ones left, by itself.
    let (mut last, banner) = Running::start(&config, &serve_args, &[]);
    let base = base_of(&banner);
    wait_for_drain(&store, (SOURCES * PER_SOURCE) as i64, &mut [&mut last]).await;
    settle_search(&base).await;
    last.terminate();

    let db = Db::sqlite(&db).await;
    assert_nothing_lost_or_doubled(&store, &db, &server, SOURCES * PER_SOURCE).await;
    let integrity = db.strings("PRAGMA integrity_check".into()).await;
    assert_eq!(integrity, ["ok"], "the SQLite file is sound");
    assert_index_in_step(&store, &dir.path().join("data/khabar.search")).await;
    store.close().await;
}

/// The one index folder a PostgreSQL web node keeps under `cache`.
fn pg_index_dir(cache: &Path) -> PathBuf {
    let root = cache.join("khabar");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("read {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(dirs.len(), 1, "one index for the one store: {dirs:?}");
    dirs.remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_and_worker_killed_twenty_times_on_postgres_lose_and_double_nothing() {
    const SOURCES: usize = 150;
    const PER_SOURCE: usize = 2;
    let Some(pg) = postgres::schema().await else {
        return;
    };
    let server = news_server::start_with_bulk(SOURCES, PER_SOURCE).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    // Two processes ingest here: a wider gap on the shared per-host clock
    // keeps the work going through all the kills (at 15 ms an idle machine
    // finished the 450 fetches after 16 of the 20 kills).
    let config = write_config(dir.path(), &server, SOURCES, &pg.url, 25);
    let serve_args = ["serve", "--listen", "127.0.0.1:0"];
    let worker_args = ["worker"];
    let env = [("XDG_CACHE_HOME", cache.as_path())];
    let store = Store::connect(&pg.url).await.expect("open the store");
    let mut rng = Lcg(0x7067_6b69_6c6c);

    // Both run throughout; each round one of them is killed and restarted.
    let (mut serve, banner) = Running::start(&config, &serve_args, &env);
    assert!(banner.starts_with("khabar: serving"), "{banner:?}");
    let mut serve_base = base_of(&banner);
    let (mut worker, banner) = Running::start(&config, &worker_args, &env);
    assert!(banner.starts_with("khabar: worker"), "{banner:?}");
    let mut kills_mid_ingest = 0;
    let mut done_before = 0;
    for round in 0..KILLS {
        let seen = let_it_work(&store, done_before, &mut rng).await;
        assert!(serve.is_running(), "serve died:\n{}", serve.stderr());
        assert!(worker.is_running(), "worker died:\n{}", worker.stderr());
        // The survivor is paused while the victim restarts: a restart
        // takes seconds on a loaded machine, and the survivor alone would
        // otherwise drain the work before all the kills had landed.
        if round % 2 == 0 {
            worker.signal("STOP");
            serve.kill();
            let (s, banner) = Running::start(&config, &serve_args, &env);
            assert!(banner.starts_with("khabar: serving"), "{banner:?}");
            serve_base = base_of(&banner);
            serve = s;
            worker.signal("CONT");
        } else {
            serve.signal("STOP");
            worker.kill();
            let (w, banner) = Running::start(&config, &worker_args, &env);
            assert!(banner.starts_with("khabar: worker"), "{banner:?}");
            worker = w;
            serve.signal("CONT");
        }
        if seen.queued > 0 || seen.sources_due + seen.sources_leased > 0 {
            kills_mid_ingest += 1;
        }
        done_before = seen.done;
    }
    assert!(
        kills_mid_ingest >= KILLS - 2,
        "the kills landed while work was left ({kills_mid_ingest} of {KILLS})"
    );
    wait_for_drain(
        &store,
        (SOURCES * PER_SOURCE) as i64,
        &mut [&mut serve, &mut worker],
    )
    .await;
    worker.terminate();
    settle_search(&serve_base).await;
    serve.terminate();

    let db = Db::Postgres(pg.pool().clone(), pg.name().to_string());
    assert_nothing_lost_or_doubled(&store, &db, &server, SOURCES * PER_SOURCE).await;
    assert_index_in_step(&store, &pg_index_dir(&cache)).await;
    store.close().await;
    pg.drop().await;
}

/// Forwards every connection to `target` until dropped: the database
/// "coming up" on the port `serve` was told to use.
async fn forward(listener: tokio::net::TcpListener, target: String) {
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else {
            return;
        };
        let target = target.clone();
        tokio::spawn(async move {
            if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_waits_for_a_postgres_that_refuses_connections_at_start() {
    let Some(pg) = postgres::schema().await else {
        return;
    };
    let server = news_server::start_with_bulk(2, 2).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // A port nobody listens on yet: connecting is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut real = url::Url::parse(&pg.url).expect("test store URL");
    let target = format!(
        "{}:{}",
        real.host_str().expect("host"),
        real.port().unwrap_or(5432)
    );
    real.set_host(Some("127.0.0.1")).expect("host");
    real.set_port(Some(port)).expect("port");
    let config = write_config(dir.path(), &server, 2, real.as_str(), 0);

    let (mut serve, banner) = Running::spawn(&config, &["serve", "--listen", "127.0.0.1:0"], &[]);
    // It neither exits nor serves while the database refuses it, and says why.
    let said = Instant::now();
    loop {
        let err = serve.stderr();
        if err.contains("cannot be reached yet") {
            assert!(
                err.contains(&format!("127.0.0.1:{port}")),
                "the error names the store: {err}"
            );
            assert!(
                err.to_lowercase().contains("refused"),
                "the error gives the cause: {err}"
            );
            break;
        }
        assert!(serve.is_running(), "serve gave up at once:\n{err}");
        assert!(
            said.elapsed() < Duration::from_secs(20),
            "serve never said why it waits:\n{err}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(serve.is_running(), "serve waits:\n{}", serve.stderr());
    assert!(banner.try_recv().is_err(), "no site before its store");

    // The database comes up: serve carries on by itself, no restart.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("take the port");
    let proxy = tokio::spawn(forward(listener, target));
    let banner = tokio::task::spawn_blocking(move || banner.recv_timeout(Duration::from_secs(60)))
        .await
        .expect("banner thread")
        .unwrap_or_else(|_| panic!("serve never came up:\n{}", serve.stderr()));
    let base = base_of(&banner);
    let health = reqwest::get(format!("{base}/healthz"))
        .await
        .expect("healthz");
    assert!(health.status().is_success(), "{}", health.status());
    serve.terminate();
    proxy.abort();
    pg.drop().await;
}

/// A small tmpfs of the test's own, so it can fill up and turn read-only.
/// Unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// None (with a notice) where the test may not mount; in CI (env CI
    /// set) that fails the test instead.
    fn mount(path: PathBuf, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(&path).expect("mount point");
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(SmallDisk { path }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                    Err(e) => e.to_string(),
                };
                if std::env::var_os("CI").is_some() {
                    panic!("cannot mount a tmpfs for the disk-fault test: {why}");
                }
                eprintln!("NOTICE: skipping the disk-fault test: cannot mount a tmpfs ({why})");
                None
            }
        }
    }

    fn remount(&self, mode: &str) {
        let ok = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.path)
            .status()
            .expect("run mount");
        assert!(ok.success(), "remount {mode}");
    }

    /// Writes zeros until the disk is full; returns the file.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path.join("filler");
        let mut f = std::fs::File::create(&filler).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

/// Waits until the process's stderr holds one of `words`, while it keeps
/// running.
async fn wait_for_words(life: &mut Running, words: &[&str], what: &str) -> String {
    let started = Instant::now();
    loop {
        let err = life.stderr();
        if let Some(line) = err
            .lines()
            .find(|l| words.iter().any(|w| l.to_lowercase().contains(w)))
        {
            return line.to_string();
        }
        assert!(life.is_running(), "serve died on {what}:\n{err}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no error said {what}:\n{err}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `n` jobs are done, while `life` keeps running.
async fn work(store: &Store, n: i64, life: &mut Running) -> JobCounts {
    let started = Instant::now();
    loop {
        let c = store.jobs().counts().await.expect("job counts");
        if c.done >= n {
            return c;
        }
        assert!(life.is_running(), "serve died:\n{}", life.stderr());
        assert!(
            started.elapsed() < DEADLINE,
            "ingest stalled: {c:?}\n{}",
            life.stderr()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_full_disk_and_read_only_folder_recover_without_restart() {
    const SOURCES: usize = 120;
    const PER_SOURCE: usize = 2;
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(disk) = SmallDisk::mount(dir.path().join("data"), "24m") else {
        return;
    };
    let server = news_server::start_with_bulk(SOURCES, PER_SOURCE).await;
    let db = disk.path.join("khabar.db");
    let config = write_config(
        dir.path(),
        &server,
        SOURCES,
        &format!("sqlite://{}", db.display()),
        4,
    );
    let (mut serve, banner) = Running::start(&config, &["serve", "--listen", "127.0.0.1:0"], &[]);
    let base = base_of(&banner);
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("open the site's store");
    let expected = (SOURCES * PER_SOURCE) as i64;
    // The disk fills in the middle of ingest.
    work(&store, 30, &mut serve).await;
    let filler = disk.fill();
    let said = wait_for_words(&mut serve, &["full"], "the disk is full").await;
    assert!(
        said.contains("khabar") || said.contains("store") || said.contains("database"),
        "the error names what failed: {said}"
    );
    // Pages already stored are still served.
    let home = reqwest::get(format!("{base}/")).await.expect("home page");
    assert!(
        home.status().is_success(),
        "home while full: {}",
        home.status()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    std::fs::remove_file(&filler).expect("free the space");
    let resumed = store.jobs().counts().await.expect("counts").done;
    assert!(resumed < expected, "work was left when space returned");
    work(&store, resumed + 20, &mut serve).await;

    // Space back: ingest finishes by itself.
    wait_for_drain(&store, expected, &mut [&mut serve]).await;
    settle_search(&base).await;
    serve.terminate();

    // A data folder that turned read-only while the site was down: start-up
    // stops at once and says so, and nothing in it changes.
    store.close().await;
    disk.remount("ro");
    let out = khabar(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .expect("run serve");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "serve refuses a read-only folder");
    assert!(
        said.contains("cannot be written") && said.contains(&disk.path.display().to_string()),
        "the error names the folder and the cause: {said}"
    );
    assert!(said.to_lowercase().contains("read-only"), "{said}");
    disk.remount("rw");
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("open the site's store again");
    let sqlite = Db::sqlite(&db).await;
    assert_nothing_lost_or_doubled(&store, &sqlite, &server, expected as usize).await;
    let integrity = sqlite.strings("PRAGMA integrity_check".into()).await;
    assert_eq!(integrity, ["ok"], "the SQLite file is sound");
    assert_index_in_step(&store, &disk.path.join("khabar.search")).await;
    store.close().await;
}
