//! The site over real data: Iran stories from the Reuters-21578 corpus and
//! the items of a real Persian RSS feed (with Arabic-yeh spellings), served
//! over HTTP and read back through pages, search and feeds.

mod common;

use common::{corpus, new_story, spec};
use khabar_store::Store;
use khabar_web::{AppState, SiteSettings};
use reqwest::StatusCode;

/// Loads the corpus into a fresh store; returns (store, reuters count, persian count).
async fn load(dir: &std::path::Path) -> (Store, usize, usize) {
    let store = Store::connect(&format!("sqlite://{}", dir.join("c.db").display()))
        .await
        .unwrap();
    let reuters = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap();
    let hoder = store.sources().upsert(&spec("hoder", "fa")).await.unwrap();

    let mut n_en = 0;
    for w in common::reuters()
        .into_iter()
        .filter(|w| w.about_iran)
        .take(40)
    {
        let s = new_story(
            reuters.id,
            format!("https://reuters.example/{}", w.id),
            w.title,
            "en",
            w.dateline,
            w.paragraphs,
            (n_en as i64) * 7 + 30,
        );
        store.insert_story(&s).await.unwrap();
        n_en += 1;
    }

    let xml = std::fs::read(corpus().join("feeds/hoder.xml")).unwrap();
    let feed = feed_rs::parser::parse(xml.as_slice()).unwrap();
    let mut n_fa = 0;
    for (i, e) in feed.entries.iter().enumerate() {
        let title = e
            .title
            .as_ref()
            .map(|t| t.content.clone())
            .unwrap_or_default();
        let summary = e
            .summary
            .as_ref()
            .map(|t| t.content.clone())
            .unwrap_or_default();
        let link = e
            .links
            .first()
            .map(|l| l.href.clone())
            .unwrap_or_else(|| format!("https://hoder.example/{i}"));
        let s = new_story(
            hoder.id,
            format!("{link}#{i}"),
            title,
            "fa",
            None,
            vec![summary],
            i as i64 * 5 + 1,
        );
        store.insert_story(&s).await.unwrap();
        n_fa += 1;
    }
    (store, n_en, n_fa)
}

#[tokio::test]
async fn real_stories_are_browsable_searchable_and_syndicated() {
    let dir = tempfile::tempdir().unwrap();
    let (store, n_en, n_fa) = load(dir.path()).await;
    assert!(n_en >= 30 && n_fa >= 5, "{n_en} {n_fa}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = SiteSettings {
        base_url: base.clone(),
        like_salt: "salt".into(),
        page_size: 10,
        ..Default::default()
    };
    tokio::spawn(khabar_web::serve(listener, AppState::new(store, settings)));
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move {
            let r = http.get(&url).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };

    // Paging over the real volume: 10 per page.
    let total = n_en + n_fa;
    let pages = total.div_ceil(10);
    let (status, last) = get(&format!("/?page={pages}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(last.contains(&format!("Page {pages} of {pages}")));
    assert_eq!(
        get(&format!("/?page={}", pages + 1)).await.0,
        StatusCode::NOT_FOUND
    );

    // The real feed spells "لینکدونی" with an Arabic yeh (ي); readers type the Persian one (ی).
    let (status, found) = get(&format!(
        "/search?q={}",
        khabar_web::view::query_escape("لینکدونی")
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains("لينکدونی"),
        "the feed's own Arabic-yeh spelling is found"
    );
    assert!(found.contains("<li lang=\"fa\" dir=\"rtl\">"));
    let api: serde_json::Value = http
        .get(format!(
            "{base}/api/v1/search?q={}&lang=fa",
            khabar_web::view::query_escape("لینکدونی")
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(api["total"].as_i64().unwrap() >= 2, "{api}");

    // English search over Reuters bodies.
    let (_, oil) = get("/search?q=oil").await;
    assert!(oil.contains("stories found") && oil.contains("<mark>"));

    // Feeds carry 30 items and parse back.
    for path in [
        "/feed.atom",
        "/feed.rss",
        "/feed.json",
        "/source/hoder/feed.atom",
        "/tag/iran/feed.json",
    ] {
        let (status, body) = get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let feed =
            feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let want = if path.starts_with("/source/hoder") {
            n_fa
        } else {
            30
        };
        assert_eq!(feed.entries.len(), want, "{path}");
    }

    // A Reuters story page keeps the wire dateline at the head of the body.
    let list: serde_json::Value = http
        .get(format!("{base}/api/v1/stories?source=reuters&per_page=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_i64().unwrap();
    let dateline = list["items"][0]["dateline"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let (status, page) = get(&format!("/story/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    if !dateline.is_empty() {
        let escaped = khabar_web::body::escape(&dateline);
        assert!(
            page.contains(&format!("<strong class=\"dateline\">{escaped}</strong>")),
            "{dateline}"
        );
    }
}
