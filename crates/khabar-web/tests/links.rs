//! Links the site shows and the answers of `/api/`: tracking tags never
//! reach a reader, the original is the article's own declared address, an
//! API client always gets JSON, and a removed source's links keep working.

mod common;

use std::net::SocketAddr;

use khabar_store::Store;
use khabar_web::{AppState, SiteSettings};
use reqwest::StatusCode;

/// A feed link full of campaign tags, for a story whose page declared no
/// canonical address.
const TAGGED: &str =
    "https://wire.example/world/iran-talks-7?utm_source=rss&id=7&fbclid=AbC&utm_medium=feed";
/// The same link as a reader should see it.
const CLEAN: &str = "https://wire.example/world/iran-talks-7?id=7";
/// A feed link whose page declared its own address.
const REDIRECTOR: &str = "https://feeds.paper.example/r/abc123?utm_campaign=x";
const DECLARED: &str = "https://www.paper.example/2026/12/iran-oil-exports";

struct Site {
    base: String,
    store: Store,
    tagged: i64,
    declared: i64,
    _dir: tempfile::TempDir,
}

async fn start() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("links.db").display()
    ))
    .await
    .unwrap();
    let wire = store
        .sources()
        .upsert(&common::spec("wire", "en"))
        .await
        .unwrap();
    let paper = store
        .sources()
        .upsert(&common::spec("paper", "en"))
        .await
        .unwrap();
    let tagged = common::new_story(
        wire.id,
        TAGGED.into(),
        "Iran and the agency resume talks in Vienna".into(),
        "en",
        Some("VIENNA (Reuters) -".into()),
        vec!["Iran and the International Atomic Energy Agency resumed talks on Monday.".into()],
        30,
    );
    let mut declared = common::new_story(
        paper.id,
        REDIRECTOR.into(),
        "Iran's oil exports climb despite sanctions".into(),
        "en",
        None,
        vec!["Iran's crude exports rose for a third month, tanker trackers said.".into()],
        60,
    );
    declared.canonical_url = "https://feeds.paper.example/r/abc123".into();
    declared.declared_url = Some(DECLARED.into());
    let tagged = store.insert_story(&tagged).await.unwrap().id();
    let declared = store.insert_story(&declared).await.unwrap().id();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let settings = SiteSettings {
        base_url: base.clone(),
        like_salt: "test-salt".into(),
        ..Default::default()
    };
    let state = AppState::new(store.clone(), settings);
    tokio::spawn(async move {
        let _ = khabar_web::serve(listener, state).await;
    });
    Site {
        base,
        store,
        tagged,
        declared,
        _dir: dir,
    }
}

impl Site {
    async fn get(&self, path: &str) -> (StatusCode, String, String) {
        let r = reqwest::get(format!("{}{path}", self.base)).await.unwrap();
        let status = r.status();
        let ctype = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, ctype, r.text().await.unwrap())
    }

    async fn ok(&self, path: &str) -> String {
        let (status, _, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }
}

/// Every place a story's original is shown: its page, each feed format,
/// the API's list and story answers.
const PLACES: &[&str] = &["/feed.atom", "/feed.rss", "/feed.json", "/api/v1/stories"];

#[tokio::test]
async fn tracking_tags_never_reach_a_reader() {
    let site = start().await;
    let story = site.ok(&format!("/story/{}", site.tagged)).await;
    let api_story = site.ok(&format!("/api/v1/stories/{}", site.tagged)).await;
    let mut places = vec![story, api_story];
    for p in PLACES {
        places.push(site.ok(p).await);
    }
    for (i, body) in places.iter().enumerate() {
        for tag in ["utm_", "fbclid"] {
            assert!(!body.contains(tag), "place {i} shows a tracking tag {tag}");
        }
    }
    // The parameter the page needs is still there: the link opens the same page.
    let story = &places[0];
    assert!(
        story.contains(&format!("href=\"{}\"", CLEAN.replace('&', "&amp;"))),
        "the Original News link is the clean one"
    );
    let api: serde_json::Value = serde_json::from_str(&places[1]).unwrap();
    assert_eq!(api["original_url"], CLEAN);
    // The stored original is kept as it came, for dedup.
    let stored = site.store.story(site.tagged).await.unwrap().unwrap();
    assert_eq!(stored.url, TAGGED);
}

#[tokio::test]
async fn the_original_is_the_address_the_page_declared() {
    let site = start().await;
    let page = site.ok(&format!("/story/{}", site.declared)).await;
    assert!(
        page.contains(&format!("href=\"{DECLARED}\"")),
        "Original News link"
    );
    assert!(
        !page.contains("feeds.paper.example"),
        "no redirector link is shown"
    );
    // JSON-LD names the same original.
    let ld_start = page.find("application/ld+json").expect("JSON-LD");
    let ld = &page[ld_start..];
    let ld = &ld[ld.find('>').unwrap() + 1..ld.find("</script>").unwrap()];
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["isBasedOn"], DECLARED);
    let api: serde_json::Value =
        serde_json::from_str(&site.ok(&format!("/api/v1/stories/{}", site.declared)).await)
            .unwrap();
    assert_eq!(api["original_url"], DECLARED);
    let feed: serde_json::Value = serde_json::from_str(&site.ok("/feed.json").await).unwrap();
    let item = feed["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["title"] == "Iran's oil exports climb despite sanctions")
        })
        .expect("the story is in the site feed");
    assert_eq!(item["external_url"], DECLARED);
}

#[tokio::test]
async fn every_api_path_answers_json_errors() {
    let site = start().await;
    for (path, status) in [
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND),
        ("/api/v2/stories", StatusCode::NOT_FOUND),
        ("/api/whatever", StatusCode::NOT_FOUND),
        ("/api/v1/stories/999999", StatusCode::NOT_FOUND),
        ("/api/v1/stories/not-a-number", StatusCode::NOT_FOUND),
        // axum's own query rejection (a repeated field), plain text unless turned to JSON.
        ("/api/v1/stories?page=2&page=3", StatusCode::BAD_REQUEST),
        ("/api/v1/search", StatusCode::BAD_REQUEST),
    ] {
        let (got, ctype, body) = site.get(path).await;
        assert_eq!(got, status, "GET {path}: {body}");
        assert!(ctype.starts_with("application/json"), "GET {path}: {ctype}");
        let v: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"));
        assert!(
            v["error"].as_str().is_some_and(|m| !m.is_empty()),
            "GET {path}: {body}"
        );
    }
    // A wrong method is JSON too.
    let r = reqwest::Client::new()
        .delete(format!("{}/api/v1/stories", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["error"].is_string());
    // The reader's site keeps its HTML error page.
    let (status, ctype, _) = site.get("/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(ctype.starts_with("text/html"));
}

#[tokio::test]
async fn a_removed_source_keeps_its_page_feeds_and_stories() {
    let site = start().await;
    assert!(site.store.sources().remove("wire").await.unwrap());
    let story = site.ok(&format!("/story/{}", site.tagged)).await;
    assert!(story.contains("href=\"/source/wire\""));
    let page = site.ok("/source/wire").await;
    assert!(page.contains("Iran and the agency resume talks"));
    let feed = site.ok("/source/wire/feed.atom").await;
    assert!(feed.contains("Iran and the agency resume talks"));
    // An unknown source is still not found.
    let (status, _, _) = site.get("/source/never-was").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tag_and_source_feeds_keep_the_language_filter_of_their_page() {
    let site = start().await;
    let persian = common::new_story(
        site.store
            .sources()
            .by_slug("paper")
            .await
            .unwrap()
            .unwrap()
            .id,
        "https://paper.example/fa/1".into(),
        "صادرات نفت ایران افزایش یافت".into(),
        "fa",
        None,
        vec!["صادرات نفت خام ایران برای سومین ماه افزایش یافت.".into()],
        10,
    );
    site.store.insert_story(&persian).await.unwrap();
    let titles = |body: String| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    for base in ["/source/paper/feed.json", "/tag/iran/feed.json"] {
        let all = titles(site.ok(base).await);
        let fa = titles(site.ok(&format!("{base}?lang=fa")).await);
        let en = titles(site.ok(&format!("{base}?lang=en")).await);
        assert!(
            all.iter().any(|t| t.starts_with("صادرات")),
            "{base}: {all:?}"
        );
        assert_eq!(
            fa,
            vec!["صادرات نفت ایران افزایش یافت".to_string()],
            "{base}"
        );
        assert!(
            !en.is_empty() && en.iter().all(|t| !t.starts_with("صادرات")),
            "{base}: {en:?}"
        );
        // The filtered feed names itself with its filter and its language.
        let atom = site
            .ok(&format!("{}?lang=fa", base.replace(".json", ".atom")))
            .await;
        assert!(atom.contains("xml:lang=\"fa\""), "{base}");
        assert!(
            atom.contains("feed.atom?lang=fa"),
            "{base}: self link keeps the filter"
        );
    }
}
