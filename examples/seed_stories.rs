//! Fills an embedded (SQLite) store with N published stories so the site can
//! be load-tested at a realistic size (docs/bench/web-load.md).
//!
//! Stories are Reuters-21578 articles from the shared corpus, cycled when N
//! exceeds the corpus; each cycle gets its own URLs and dates so every row is
//! a distinct story, as after months of crawling.
//!
//! `cargo run --release --example seed_stories -- <sqlite-file> <stories>`

use std::path::PathBuf;
use std::time::Instant;

use chrono::{Duration, Utc};
use khabar_model::{Block, NewStory, Relevance, StoryStatus};
use khabar_store::{SourceKind, SourceSpec, Store};

struct Doc {
    id: String,
    title: String,
    dateline: Option<String>,
    blocks: Vec<Block>,
}

fn corpus_docs() -> Vec<Doc> {
    let corpus =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/reuters21578/train.jsonl");
    let text = std::fs::read_to_string(&corpus)
        .unwrap_or_else(|e| panic!("read {}: {e}", corpus.display()));
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| {
            let title = v["title"].as_str()?.trim().to_string();
            let body = v["body"].as_str()?;
            if title.is_empty() || body.len() < 200 {
                return None;
            }
            let blocks = body
                .split("\n    ")
                .map(|p| Block::paragraph(p.split_whitespace().collect::<Vec<_>>().join(" ")))
                .collect();
            Some(Doc {
                id: v["id"].to_string(),
                title,
                dateline: v["dateline"].as_str().map(str::to_string),
                blocks,
            })
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(n)) = (
        args.next(),
        args.next().and_then(|a| a.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: seed_stories <sqlite-file> <stories>");
        std::process::exit(2);
    };
    let docs = corpus_docs();
    assert!(
        !docs.is_empty(),
        "no usable Reuters documents in the corpus"
    );
    let store = Store::connect(&format!("sqlite://{db}"))
        .await
        .expect("open store");
    let src = store
        .sources()
        .upsert(&SourceSpec {
            slug: "reuters".into(),
            name: "Reuters".into(),
            url: "https://reuters.example/".into(),
            kind: SourceKind::Feed,
            lang: Some("en".into()),
            full_text: true,
            ..Default::default()
        })
        .await
        .expect("source");
    let t0 = Instant::now();
    let now = Utc::now();
    for i in 0..n {
        let doc = &docs[i % docs.len()];
        let cycle = i / docs.len();
        let body_text = khabar_model::Article::text_from_blocks(&doc.blocks);
        let t = now - Duration::minutes(i as i64 * 7);
        let url = format!("https://reuters.example/{cycle}/{}", doc.id);
        let story = NewStory {
            source_id: src.id,
            url: url.clone(),
            canonical_url: url,
            headline: doc.title.clone(),
            dateline: doc.dateline.clone(),
            published_at: Some(t),
            fetched_at: t,
            lang: Some("en".into()),
            excerpt: body_text.chars().take(200).collect(),
            content_hash: khabar_text::content_hash(&format!("{cycle}\n{body_text}")),
            body_text,
            blocks: doc.blocks.clone(),
            relevance: Relevance {
                relevant: true,
                score: 0.8,
                reasons: vec![],
                tags: vec!["economy".into()],
            },
            status: StoryStatus::Published,
            ..Default::default()
        };
        store.insert_story(&story).await.expect("insert story");
        if (i + 1) % 10_000 == 0 {
            eprintln!("{} stories, {:.0} s", i + 1, t0.elapsed().as_secs_f64());
        }
    }
    store.optimize().await.expect("optimize");
    println!("seeded {n} stories in {:.1} s", t0.elapsed().as_secs_f64());
    store.close().await;
}
