//! Serves the site on 127.0.0.1 with a temporary store of real corpus stories
//! (Reuters Iran stories, the Persian hoder feed), to look at it in a browser.
//!
//! `cargo run -p khabar-web --example demo_site -- [port]`   (admin token: `demo`)

use std::path::PathBuf;

use chrono::{Duration, Utc};
use khabar_model::{Block, NewStory, Relevance, StoryStatus, TextDirection};
use khabar_store::{SourceKind, SourceSpec, Store};
use khabar_web::{AppState, SiteSettings};

fn spec(slug: &str, name: &str, lang: &str) -> SourceSpec {
    SourceSpec {
        slug: slug.into(),
        name: name.into(),
        url: format!("https://{slug}.example/"),
        kind: SourceKind::Feed,
        lang: Some(lang.into()),
        full_text: true,
        ..Default::default()
    }
}

fn story(
    source_id: i64,
    url: String,
    headline: String,
    lang: &str,
    dateline: Option<String>,
    paras: Vec<String>,
    minutes_ago: i64,
) -> NewStory {
    let blocks: Vec<Block> = paras.into_iter().map(Block::paragraph).collect();
    let body_text = khabar_model::Article::text_from_blocks(&blocks);
    let t = Utc::now() - Duration::minutes(minutes_ago);
    NewStory {
        source_id,
        canonical_url: url.clone(),
        url,
        headline,
        dateline,
        published_at: Some(t),
        fetched_at: t,
        lang: Some(lang.into()),
        dir: if lang == "fa" {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        },
        excerpt: body_text.chars().take(220).collect(),
        content_hash: khabar_text::content_hash(&body_text),
        body_text,
        blocks,
        relevance: Relevance {
            relevant: true,
            score: 0.8,
            reasons: vec![],
            tags: vec!["iran".into()],
        },
        status: StoryStatus::Published,
        ..Default::default()
    }
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(8088);
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("demo.db").display()
    ))
    .await
    .expect("store");
    let reuters = store
        .sources()
        .upsert(&spec("reuters", "Reuters", "en"))
        .await
        .expect("source");
    let hoder = store
        .sources()
        .upsert(&spec("hoder", "Editor: Myself", "fa"))
        .await
        .expect("source");
    let text = std::fs::read_to_string(corpus.join("reuters21578/train.jsonl")).expect("corpus");
    let mut n = 0;
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if !v["places"]
            .as_array()
            .is_some_and(|p| p.iter().any(|x| x == "iran"))
        {
            continue;
        }
        let (Some(title), Some(body)) = (v["title"].as_str(), v["body"].as_str()) else {
            continue;
        };
        let paras = body
            .split("\n    ")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect();
        let s = story(
            reuters.id,
            format!("https://reuters.example/{}", v["id"]),
            title.to_string(),
            "en",
            v["dateline"].as_str().map(str::to_string),
            paras,
            n * 37,
        );
        store.insert_story(&s).await.expect("insert");
        n += 1;
    }
    let xml = std::fs::read(corpus.join("feeds/hoder.xml")).expect("feed");
    let feed = feed_rs::parser::parse(xml.as_slice()).expect("parse");
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
        let link = e.links.first().map(|l| l.href.clone()).unwrap_or_default();
        store
            .insert_story(&story(
                hoder.id,
                format!("{link}#{i}"),
                title,
                "fa",
                None,
                vec![summary],
                i as i64 * 11 + 5,
            ))
            .await
            .expect("insert");
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    let settings = SiteSettings {
        base_url: format!("http://127.0.0.1:{port}"),
        admin_token: Some("demo".into()),
        like_salt: "demo".into(),
        ..Default::default()
    };
    println!(
        "serving {n} Reuters and {} Persian stories on http://127.0.0.1:{port}/",
        feed.entries.len()
    );
    khabar_web::serve(listener, AppState::new(store, settings))
        .await
        .expect("serve");
}
