//! One `khabar fetch` over a local news server, then the site read over
//! HTTP: the whole pipeline, through the real binary, on the embedded store.

mod support;

use khabar_model::{SourceStatus, StoryStatus};
use khabar_store::Store;

use support::khabar_bin::{TestSource, run_fetch, start_site, write_config};
use support::news_server;
use support::stored::every_story;

const ADMIN_TOKEN: &str = "e2e-admin-token-0123456789";

const SOURCES: &[TestSource] = &[
    ("wire", "Wire Service", "/wire/rss.xml", "en"),
    ("atom", "Atom Daily", "/atom/feed.atom", "en"),
    ("jsonfeed", "JSON Times", "/json/feed.json", "en"),
    ("etag", "Etag Post", "/etag/rss.xml", "en"),
    ("persian", "خبرگزاری نمونه", "/fa/rss.xml", "fa"),
    ("legacy", "روزنامه قدیمی", "/legacy/rss.xml", "fa"),
    ("broken", "Broken Feed", "/broken/rss.xml", "en"),
];

async fn get(url: &str) -> (u16, String) {
    let resp = reqwest::get(url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

/// Links to story pages found in an HTML page, in order.
fn story_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/story/") {
        let tail = &rest[i + 6..];
        let end = tail.find('"').unwrap_or(0);
        let link = tail[..end].to_string();
        if !out.contains(&link) {
            out.push(link);
        }
        rest = &tail[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_then_read_the_site() {
    let server = news_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &server, SOURCES, Some(ADMIN_TOKEN));

    // ---- first run ----
    let first = run_fetch(&config);
    let reports = first["sources"].as_array().expect("sources in report");
    let report = |slug: &str| {
        reports
            .iter()
            .find(|r| r["slug"] == slug)
            .cloned()
            .expect(slug)
    };
    let broken = report("broken");
    let err = broken["error"]
        .as_str()
        .expect("broken source has an error");
    assert!(
        err.contains("500") && err.contains("/broken/rss.xml"),
        "error names cause and URL: {err}"
    );
    for slug in ["wire", "atom", "jsonfeed", "etag", "persian", "legacy"] {
        let r = report(slug);
        assert!(r["error"].is_null(), "{slug} failed: {r}");
        assert_eq!(r["article_error_count"], 0, "{slug}: {r}");
    }

    // ---- the store: published, rejected with reasons, failing source recorded ----
    let db = dir.path().join("data/khabar.db");
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("open store");
    let all = every_story(&store).await;
    let expected_total = server.stories.len() + 1; // + the shared copy
    assert_eq!(
        all.total as usize, expected_total,
        "every served story stored once"
    );
    for s in &server.stories {
        let url = server.url(&s.path);
        let stored = all
            .items
            .iter()
            .find(|x| x.url == url || x.canonical_url == url)
            .unwrap_or_else(|| panic!("{} not stored", s.path));
        if s.about_iran {
            assert_eq!(
                stored.status,
                StoryStatus::Published,
                "{}: {:?}",
                s.headline,
                stored.relevance
            );
        } else {
            assert_eq!(
                stored.status,
                StoryStatus::Rejected,
                "{}: {:?}",
                s.headline,
                stored.relevance
            );
            assert!(
                !stored.relevance.reasons.is_empty(),
                "rejection has a reason"
            );
        }
    }
    let broken_src = store
        .sources()
        .by_slug("broken")
        .await
        .unwrap()
        .expect("broken source");
    assert_eq!(broken_src.status, SourceStatus::Failing);
    assert!(
        broken_src
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("500")
    );
    assert!(
        broken_src.next_fetch_at.is_some(),
        "a failing source is retried later, not dropped"
    );

    // ---- the site over HTTP ----
    let (site, base) = start_site(&config);
    let (status, home) = get(&format!("{base}/")).await;
    assert_eq!(status, 200);
    let home_text = unescape(&home);
    assert!(home_text.contains("Persian News"), "site title on home");
    for s in server.stories.iter().filter(|s| s.about_iran) {
        assert!(
            home_text.contains(&s.headline),
            "home lists {:?}",
            s.headline
        );
    }
    for s in server.stories.iter().filter(|s| !s.about_iran) {
        assert!(
            !home_text.contains(&s.headline),
            "home must not list off-topic {:?}",
            s.headline
        );
    }
    assert_eq!(
        home_text.matches(&server.shared_headline).count(),
        1,
        "the story two sources carry appears once"
    );

    // Every story page: headline, body, date, original link.
    let mut links = story_links(&home);
    let (_, page2) = get(&format!("{}/?page=2", base)).await;
    links.extend(story_links(&page2));
    let mut checked = 0;
    for link in links {
        let (status, page) = get(&format!("{}{link}", base)).await;
        assert_eq!(status, 200, "{link}");
        let text = unescape(&page);
        let h1 = text
            .split("<h1")
            .nth(1)
            .and_then(|t| t.split('>').nth(1))
            .and_then(|t| t.split("</h1").next())
            .unwrap_or("");
        let Some(s) = server
            .stories
            .iter()
            .find(|s| s.about_iran && h1 == s.headline)
        else {
            continue;
        };
        checked += 1;
        assert!(
            text.contains(&s.body_probe),
            "{link} shows the body ({:?})",
            s.body_probe
        );
        assert!(
            text.contains(&server.url(&s.path)) || s.headline == server.shared_headline,
            "{link} links the original"
        );
        if let Some(d) = &s.dateline {
            let city = d.split(',').next().unwrap_or(d);
            assert!(text.contains(city), "{link} shows the dateline {d:?}");
        }
        assert!(
            text.contains(&s.date[..4]),
            "{link} shows the year of {}",
            s.date
        );
        if s.source == "persian" || s.source == "legacy" {
            assert!(
                page.contains("dir=\"rtl\""),
                "{link}: Persian story is right-to-left"
            );
        }
        if s.headline == server.shared_headline {
            assert!(
                text.contains("Atom Daily") && text.contains("Wire Service"),
                "{link}: both outlets credited"
            );
        }
    }
    let iran_count = server.stories.iter().filter(|s| s.about_iran).count();
    assert_eq!(checked, iran_count, "every Iran story has a reachable page");

    // Feeds out.
    let (status, atom) = get(&format!("{}/feed.atom", base)).await;
    assert_eq!(status, 200);
    assert!(unescape(&atom).contains(&server.shared_headline));
    let (status, rss) = get(&format!("{}/feed.rss", base)).await;
    assert_eq!(status, 200);
    assert!(rss.contains("<rss"));
    let (status, health) = get(&format!("{}/healthz", base)).await;
    assert_eq!(status, 200, "{health}");

    // ---- second run adds nothing; the ETag source answers 304 ----
    let before = server
        .not_modified_answers
        .load(std::sync::atomic::Ordering::SeqCst);
    let second = run_fetch(&config);
    let added: u64 = second["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stories_added"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(added, 0, "a second run adds nothing: {second}");
    assert!(
        server
            .not_modified_answers
            .load(std::sync::atomic::Ordering::SeqCst)
            > before,
        "conditional GET used"
    );
    let etag_src = store.sources().by_slug("etag").await.unwrap().unwrap();
    assert_eq!(etag_src.status, SourceStatus::NotModified);
    let again = every_story(&store).await;
    assert_eq!(again.total, all.total, "no duplicates after a re-run");
    drop(site);
    store.close().await;
    let _ = server.page_count();
}
