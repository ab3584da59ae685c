//! Push out over a real pipeline run: a local WebSub hub and local webhook
//! receivers record what they get while khabar ingests the local news
//! server's wire feed.
//!
//! The pipeline only queues: when its run ends nothing has been sent, so a
//! receiver can never hold up ingest. The background sender then delivers:
//! the hub is pinged for each feed the new stories appear in; a webhook
//! that answers 500 twice gets each story on the third attempt and the
//! delivery is recorded as delivered; the body is the API's story JSON,
//! signed with the webhook's secret; a dead receiver and one that never
//! answers end `failed` with their error; a keyword alert gets only the
//! stories matching its query. The site's feeds name the hub when one is
//! configured and not otherwise.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

use khabar::config::Config;
use khabar::pipeline::Pipeline;
use khabar_model::{StoredStory, StoryStatus};
use khabar_store::{DeliveryRecord, Store};
use khabar_web::{AppState, SiteSettings};

use support::khabar_bin::{TestSource, khabar, write_config_for_store};
use support::news_server;
use support::postgres;
use support::stored::every_story;

const SOURCES: &[TestSource] = &[("wire", "Wire Service", "/wire/rss.xml", "en")];
/// `write_config` gives the site this address.
const SITE: &str = "http://127.0.0.1:9";
const SECRET: &str = "flaky-receiver-secret";
const ADMIN_TOKEN: &str = "push-admin-token-0123456789";

/// What one receiver was sent: (headers, body), in order.
type Log = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A local receiver on 127.0.0.1:0. `answer` picks the status from the
/// number of earlier requests carrying the same `X-Khabar-Delivery`.
async fn receiver(answer: fn(usize) -> StatusCode) -> (String, Log) {
    let log: Log = Arc::default();
    let seen = log.clone();
    let app = Router::new().route(
        "/",
        post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            async move {
                let mut seen = seen.lock().expect("log");
                let id = headers.get("x-khabar-delivery").cloned();
                let earlier = seen
                    .iter()
                    .filter(|(h, _)| id.is_some() && h.get("x-khabar-delivery") == id.as_ref())
                    .count();
                seen.push((headers, body));
                answer(earlier)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind receiver");
    let addr = listener.local_addr().expect("receiver address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/"), log)
}

/// Accepts connections and never answers.
async fn silent_receiver() -> (String, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind silent receiver");
    let url = format!("http://{}/", listener.local_addr().expect("address"));
    let accepted = Arc::new(Mutex::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            *count.lock().expect("count") += 1;
            held.push(s);
        }
    });
    (url, accepted)
}

/// An address nothing listens on.
fn dead_address() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", l.local_addr().expect("address"));
    drop(l);
    url
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A word of one wire story's headline that no other wire story's headline
/// has: the keyword alert's query.
fn alert_word(server: &news_server::NewsServer) -> String {
    let wire: Vec<&news_server::ServedStory> = server
        .stories
        .iter()
        .filter(|s| s.source == "wire" && s.about_iran)
        .collect();
    let first = wire.first().expect("wire carries Iran stories");
    let others: BTreeSet<String> = wire[1..].iter().flat_map(|s| words(&s.headline)).collect();
    let mut candidates: Vec<String> = words(&first.headline)
        .into_iter()
        .filter(|w| w.chars().count() >= 5 && !others.contains(w) && w != "iran")
        .collect();
    candidates.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    candidates
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no distinctive word in {:?}", first.headline))
}

fn form(body: &[u8]) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

async fn deliveries(store: &Store) -> Vec<DeliveryRecord> {
    store
        .deliveries()
        .recent(None, 1000)
        .await
        .expect("read deliveries")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stories_are_pushed_out_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("data/khabar.db").display());
    push_out(dir.path(), &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stories_are_pushed_out_on_postgres() {
    let Some(schema) = postgres::schema().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    push_out(dir.path(), &schema.url).await;
    schema.drop().await;
}

async fn push_out(dir: &std::path::Path, store_url: &str) {
    let server = news_server::start().await;
    let (hub, hub_log) = receiver(|_| StatusCode::ACCEPTED).await;
    let (flaky, flaky_log) = receiver(|earlier| {
        if earlier < 2 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        }
    })
    .await;
    let (alert, alert_log) = receiver(|_| StatusCode::NO_CONTENT).await;
    let (silent, silent_accepted) = silent_receiver().await;
    let dead = dead_address();
    let query = alert_word(&server);

    let config_path = write_config_for_store(dir, &server, SOURCES, None, store_url);
    let mut text = std::fs::read_to_string(&config_path).expect("read config");
    // The section goes before the sources' array of tables.
    let at = text.find("[[sources]]").expect("sources in config");
    text.insert_str(
        at,
        &format!(
            "[push]\nwebsub_hub = \"{hub}\"\nmax_attempts = 3\nretry_base_ms = 100\n\
             retry_max_ms = 300\ntimeout_secs = 1\nconcurrency = 8\npoll_ms = 20\n\n\
             [[push.webhooks]]\nname = \"flaky\"\nurl = \"{flaky}\"\nsecret = \"{SECRET}\"\n\n\
             [[push.webhooks]]\nname = \"dead\"\nurl = \"{dead}\"\nsecret = \"d\"\n\n\
             [[push.webhooks]]\nname = \"silent\"\nurl = \"{silent}\"\nsecret = \"q\"\n\n\
             [[push.webhooks]]\nname = \"alert\"\nurl = \"{alert}\"\nsecret = \"a\"\nquery = \"{query}\"\n\n"
        ),
    );
    std::fs::write(&config_path, &text).expect("write config");
    let config = Config::load(Some(&config_path), Vec::new()).expect("config loads");
    let config = Arc::new(config);

    // ---- ingest: only queues ----
    let store = khabar::open_store(&config).await.expect("open store");
    khabar::sync_config_sources(&store, &config)
        .await
        .expect("sources");
    let pipeline = Pipeline::new(store.clone(), config.clone())
        .await
        .expect("pipeline");
    let sources = store.sources().all().await.expect("sources");
    let report = pipeline.run(sources, |_| {}).await;
    assert_eq!(report.failed_sources(), 0, "{report:?}");
    assert!(report.published() >= 3, "{report:?}");
    assert!(flaky_log.lock().unwrap().is_empty(), "nothing sent inline");
    assert!(hub_log.lock().unwrap().is_empty(), "nothing sent inline");
    assert_eq!(*silent_accepted.lock().unwrap(), 0, "nothing sent inline");
    let queued = deliveries(&store).await;
    assert!(
        queued
            .iter()
            .all(|d| d.status == "pending" && d.attempts == 0)
    );

    let stored = every_story(&store).await.items;
    let published: Vec<&StoredStory> = stored
        .iter()
        .filter(|s| s.status == StoryStatus::Published && s.duplicate_of.is_none())
        .collect();
    let published_ids: BTreeSet<i64> = published.iter().map(|s| s.id).collect();
    assert!(published_ids.len() >= 3);

    // ---- the background sender delivers ----
    let sender = khabar::push::Sender::new(store.clone(), &config, "test-sender")
        .expect("sender")
        .expect("push is configured");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move { sender.run(stop_rx).await });
    let started = Instant::now();
    loop {
        let all = deliveries(&store).await;
        if all.iter().all(|d| d.status != "pending") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "deliveries still pending: {all:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = stop_tx.send(true);
    task.await.expect("sender stops");
    let all = deliveries(&store).await;
    let of = |target: &str| -> Vec<&DeliveryRecord> {
        all.iter().filter(|d| d.target == target).collect()
    };

    // The flaky webhook: every published story, on the third attempt.
    let flaky_rows = of("flaky");
    let flaky_ids: BTreeSet<i64> = flaky_rows.iter().filter_map(|d| d.story_id).collect();
    assert_eq!(flaky_ids, published_ids, "one delivery per published story");
    for d in &flaky_rows {
        assert_eq!(d.status, "delivered", "{d:?}");
        assert_eq!(d.attempts, 3, "{d:?}");
        assert_eq!(d.http_status, Some(200), "{d:?}");
    }
    let received = flaky_log.lock().unwrap().clone();
    assert_eq!(received.len(), 3 * published_ids.len());
    let mut by_delivery: HashMap<String, Vec<&Bytes>> = HashMap::new();
    for (h, body) in &received {
        let id = h["x-khabar-delivery"].to_str().expect("id").to_string();
        assert_eq!(h["content-type"], "application/json");
        let sig = h["x-khabar-signature"].to_str().expect("signature");
        assert!(sig.starts_with("sha256="), "{sig}");
        assert!(
            khabar_push::verify(SECRET, body, sig),
            "signed with the secret"
        );
        assert!(!khabar_push::verify("another-secret", body, sig));
        by_delivery.entry(id).or_default().push(body);
    }
    assert_eq!(by_delivery.len(), published_ids.len());
    assert!(
        by_delivery
            .values()
            .all(|bodies| bodies.len() == 3 && bodies.iter().all(|b| *b == bodies[0])),
        "every attempt sends the same body"
    );

    // The body is the story as the API shows it.
    let site = serve_site(&store, Some(&hub)).await;
    for bodies in by_delivery.values() {
        let got: serde_json::Value = serde_json::from_slice(bodies[0]).expect("JSON body");
        let id = got["id"].as_i64().expect("story id");
        let api: serde_json::Value = serde_json::from_str(
            &reqwest::get(format!("{site}/api/v1/stories/{id}"))
                .await
                .expect("API")
                .text()
                .await
                .expect("API body"),
        )
        .expect("API JSON");
        assert_eq!(got, api, "webhook body = /api/v1/stories/{id}");
        let story = published.iter().find(|s| s.id == id).expect("published");
        assert_eq!(got["headline"], story.headline);
        assert_eq!(got["original_url"], story.url);
        assert!(got["url"].as_str().unwrap().starts_with(SITE));
    }

    // A dead receiver and a silent one: given up, with their errors.
    for d in of("dead") {
        assert_eq!(d.status, "failed", "{d:?}");
        assert_eq!(d.attempts, 3);
        let e = d.last_error.as_deref().unwrap_or_default();
        assert!(e.contains("cannot connect") && e.contains(&dead), "{e}");
    }
    assert_eq!(of("dead").len(), published_ids.len());
    for d in of("silent") {
        assert_eq!(d.status, "failed", "{d:?}");
        let e = d.last_error.as_deref().unwrap_or_default();
        assert!(e.contains("no answer within 1s"), "{e}");
    }
    assert!(*silent_accepted.lock().unwrap() >= published_ids.len());

    // The keyword alert: only the stories that hold its word.
    let expected: BTreeSet<i64> = published
        .iter()
        .filter(|s| words(&format!("{}\n{}", s.headline, s.body_text)).contains(&query))
        .map(|s| s.id)
        .collect();
    assert!(!expected.is_empty(), "{query} is in its own story");
    assert!(
        expected.len() < published_ids.len(),
        "{query} must leave some stories out"
    );
    let alerted: BTreeSet<i64> = alert_log
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| {
            serde_json::from_slice::<serde_json::Value>(b).expect("JSON")["id"]
                .as_i64()
                .expect("id")
        })
        .collect();
    assert_eq!(alerted, expected, "alert {query:?}");
    assert!(of("alert").iter().all(|d| d.status == "delivered"));

    // The hub: one publish ping per changed feed, naming it.
    let pings: Vec<BTreeMap<String, String>> = hub_log
        .lock()
        .unwrap()
        .iter()
        .map(|(h, b)| {
            assert_eq!(h["content-type"], "application/x-www-form-urlencoded");
            form(b)
        })
        .collect();
    assert!(
        pings.iter().all(|p| p["hub.mode"] == "publish"),
        "{pings:?}"
    );
    let topics: BTreeSet<&str> = pings.iter().map(|p| p["hub.url"].as_str()).collect();
    for feed in [
        "/feed.atom",
        "/feed.rss",
        "/feed.json",
        "/feed.rss?lang=en",
        "/source/wire/feed.atom",
        "/source/wire/feed.json",
    ] {
        assert!(
            topics.contains(format!("{SITE}{feed}").as_str()),
            "{feed} pinged: {topics:?}"
        );
    }
    // … and each story's own feed, for the readers following it.
    for id in &published_ids {
        let feed = format!("{SITE}/story/{id}/feed.atom");
        assert!(topics.contains(feed.as_str()), "{feed} pinged: {topics:?}");
    }
    assert!(
        of(&hub).iter().all(|d| d.status == "delivered"),
        "{:?}",
        of(&hub)
    );

    // The feeds name the hub, in the body and the Link header.
    for (path, needle) in [
        ("/feed.rss", format!("href=\"{hub}\" rel=\"hub\"")),
        ("/feed.atom", format!("href=\"{hub}\" rel=\"hub\"")),
        (
            "/source/wire/feed.rss",
            format!("href=\"{hub}\" rel=\"hub\""),
        ),
        ("/feed.json", format!("\"url\": \"{hub}\"")),
    ] {
        let resp = reqwest::get(format!("{site}{path}")).await.expect("feed");
        let link = resp.headers()["link"].to_str().expect("link").to_string();
        assert_eq!(
            link,
            format!("<{hub}>; rel=\"hub\", <{SITE}{path}>; rel=\"self\"")
        );
        let body = resp.text().await.expect("feed body");
        assert!(body.contains(&needle), "{path}: {body}");
    }
    // … and no hub without one configured.
    let plain = serve_site(&store, None).await;
    for path in ["/feed.rss", "/feed.atom", "/feed.json"] {
        let resp = reqwest::get(format!("{plain}{path}")).await.expect("feed");
        assert!(resp.headers().get("link").is_none(), "{path}");
        let body = resp.text().await.expect("feed body");
        assert!(
            !body.contains("rel=\"hub\"") && !body.contains("hubs"),
            "{path}"
        );
    }

    // Operators see it: on the admin page, …
    let admin = reqwest::Client::new()
        .get(format!("{site}/admin"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("admin page")
        .text()
        .await
        .expect("admin body");
    let table = &admin[admin.find("<h2>Push out</h2>").expect("push table")..];
    for needle in [
        "flaky",
        "dead",
        "silent",
        "alert",
        hub.as_str(),
        "cannot connect",
    ] {
        assert!(
            table.contains(needle),
            "{needle} on the admin page: {table}"
        );
    }
    // … in `khabar push status` and in `khabar source show`.
    store.close().await;
    let out = khabar(&config_path)
        .args(["push", "status", "--json"])
        .output()
        .expect("run push status");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    let targets = status["targets"].as_array().expect("targets");
    let target = |name: &str| {
        targets
            .iter()
            .find(|t| t["target"] == name)
            .unwrap_or_else(|| panic!("{name} in {status}"))
    };
    let n = published_ids.len() as i64;
    assert_eq!(target("flaky")["delivered"], n);
    assert_eq!(target("dead")["failed"], n);
    assert!(
        target("dead")["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot connect")),
        "{status}"
    );
    assert_eq!(target(&hub)["kind"], "websub");
    assert!(status["failed"].as_array().is_some_and(|f| !f.is_empty()));
    let out = khabar(&config_path)
        .args(["source", "show", "wire"])
        .output()
        .expect("run source show");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("show JSON");
    let pushed = &shown["webhook_deliveries"];
    assert_eq!(pushed["pending"], 0);
    assert_eq!(pushed["failed"], 2 * n, "{shown}");
    assert_eq!(pushed["delivered"], n + expected.len() as i64, "{shown}");
}

/// The site over `store` on a free port, naming `hub` in its feeds.
async fn serve_site(store: &Store, hub: Option<&str>) -> String {
    let settings = SiteSettings {
        base_url: SITE.into(),
        like_salt: "push-test-salt".into(),
        admin_token: Some(ADMIN_TOKEN.into()),
        websub_hub: hub.map(str::to_string),
        ..Default::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind site");
    let addr: SocketAddr = listener.local_addr().expect("site address");
    let state = AppState::new(store.clone(), settings);
    tokio::spawn(async move { khabar_web::serve(listener, state).await });
    format!("http://{addr}")
}

/// Writes the news server's wire source with a `[push]` section.
fn config_with_push(
    dir: &std::path::Path,
    server: &news_server::NewsServer,
    push: &str,
) -> std::path::PathBuf {
    let db = format!("sqlite://{}", dir.join("data/khabar.db").display());
    let path = write_config_for_store(dir, server, SOURCES, None, &db);
    let mut text = std::fs::read_to_string(&path).expect("read config");
    let at = text.find("[[sources]]").expect("sources in config");
    text.insert_str(at, push);
    std::fs::write(&path, &text).expect("write config");
    path
}

/// The ids of the stories a receiver got, once per request.
fn story_ids(log: &Log) -> Vec<i64> {
    log.lock()
        .unwrap()
        .iter()
        .map(|(_, b)| {
            serde_json::from_slice::<serde_json::Value>(b).expect("JSON")["id"]
                .as_i64()
                .expect("id")
        })
        .collect()
}

/// The one-off commands push too: `khabar fetch` and a draining `khabar
/// worker` each make one attempt at every due delivery before they exit,
/// and leave what failed queued for its retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_and_draining_workers_make_one_attempt_each() {
    for command in [&["fetch", "--json"][..], &["worker", "--until-idle"][..]] {
        let server = news_server::start().await;
        let (ok, ok_log) = receiver(|_| StatusCode::OK).await;
        let (down, down_log) = receiver(|_| StatusCode::SERVICE_UNAVAILABLE).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let config = config_with_push(
            dir.path(),
            &server,
            &format!(
                "[push]\nretry_base_ms = 600000\n\n\
                 [[push.webhooks]]\nname = \"ok\"\nurl = \"{ok}\"\nsecret = \"s\"\n\n\
                 [[push.webhooks]]\nname = \"down\"\nurl = \"{down}\"\nsecret = \"s\"\n\n"
            ),
        );
        let out = khabar(&config).args(command).output().expect("run khabar");
        assert!(
            out.status.success(),
            "{command:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let store = Store::connect(&format!(
            "sqlite://{}",
            dir.path().join("data/khabar.db").display()
        ))
        .await
        .expect("open store");
        let published: BTreeSet<i64> = every_story(&store)
            .await
            .items
            .iter()
            .filter(|s| s.status == StoryStatus::Published && s.duplicate_of.is_none())
            .map(|s| s.id)
            .collect();
        assert!(published.len() >= 3, "{command:?}");
        let got = story_ids(&ok_log);
        assert_eq!(got.len(), published.len(), "{command:?}: once each");
        assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), published);
        assert_eq!(story_ids(&down_log).len(), published.len(), "{command:?}");
        let stats = store.deliveries().stats().await.expect("stats");
        let down_stats = stats.iter().find(|s| s.target == "down").expect("down");
        assert_eq!(down_stats.pending, published.len() as i64, "{command:?}");
        assert_eq!(down_stats.last_http_status, Some(503));
        let ok_stats = stats.iter().find(|s| s.target == "ok").expect("ok");
        assert_eq!(ok_stats.delivered, published.len() as i64, "{command:?}");
        store.close().await;
    }
}

/// Keyword alerts meet Persian spellings end to end: a query written with
/// Arabic yeh and a space where the story has Persian yeh and a ZWNJ gets
/// that story, and only it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persian_alerts_meet_other_spellings() {
    const PERSIAN: &[TestSource] = &[
        ("persian", "خبرگزاری نمونه", "/fa/rss.xml", "fa"),
        ("legacy", "روزنامه قدیمی", "/legacy/rss.xml", "fa"),
    ];
    let server = news_server::start().await;
    let (sanctions, sanctions_log) = receiver(|_| StatusCode::OK).await;
    let (drought, drought_log) = receiver(|_| StatusCode::OK).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("data/khabar.db").display());
    let path = write_config_for_store(dir.path(), &server, PERSIAN, None, &db);
    let mut text = std::fs::read_to_string(&path).expect("read config");
    let at = text.find("[[sources]]").expect("sources in config");
    // "تحریم‌های" (Persian yeh, ZWNJ) asked as "تحريم هاي" (Arabic yeh,
    // space); "کم‌آبی" asked as "كم آبي".
    text.insert_str(
        at,
        &format!(
            "[[push.webhooks]]\nname = \"sanctions\"\nurl = \"{sanctions}\"\nsecret = \"s\"\n\
             query = \"تحريم هاي\"\n\n\
             [[push.webhooks]]\nname = \"drought\"\nurl = \"{drought}\"\nsecret = \"s\"\n\
             query = \"كم آبي\"\n\n"
        ),
    );
    std::fs::write(&path, &text).expect("write config");
    let report = support::khabar_bin::run_fetch(&path);
    assert_eq!(
        report["sources"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );

    let store = Store::connect(&db).await.expect("open store");
    let stories = every_story(&store).await.items;
    let id_of = |path: &str| {
        let url = server.url(path);
        stories
            .iter()
            .find(|s| s.url == url || s.canonical_url == url)
            .filter(|s| s.status == StoryStatus::Published)
            .unwrap_or_else(|| panic!("{path} published: {stories:?}"))
            .id
    };
    assert_eq!(story_ids(&sanctions_log), vec![id_of("/fa/news/1001")]);
    assert_eq!(
        story_ids(&drought_log),
        vec![id_of("/legacy/article.php?id=77")]
    );
    store.close().await;
}
