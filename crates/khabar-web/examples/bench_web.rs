//! Latency of the site's main pages over real HTTP on loopback, with a
//! store of N Reuters-21578 stories (default 2000).
//!
//! `cargo run --release -p khabar-web --example bench_web -- [stories] [requests-per-path]`

use std::path::PathBuf;
use std::time::Instant;

use chrono::{Duration, Utc};
use khabar_model::{Block, NewStory, Relevance, StoryStatus};
use khabar_store::{SourceKind, SourceSpec, Store};
use khabar_web::{AppState, SiteSettings};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let reps: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/reuters21578/train.jsonl");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("b.db").display()))
        .await
        .expect("store");
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
    let text = std::fs::read_to_string(&corpus).expect("corpus");
    let t0 = Instant::now();
    let mut inserted = 0;
    for line in text.lines() {
        if inserted == n {
            break;
        }
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(title), Some(body)) = (v["title"].as_str(), v["body"].as_str()) else {
            continue;
        };
        if title.is_empty() || body.len() < 200 {
            continue;
        }
        let blocks: Vec<Block> = body
            .split("\n    ")
            .map(|p| Block::paragraph(p.split_whitespace().collect::<Vec<_>>().join(" ")))
            .collect();
        let body_text = khabar_model::Article::text_from_blocks(&blocks);
        let t = Utc::now() - Duration::minutes(inserted as i64 * 13);
        let s = NewStory {
            source_id: src.id,
            url: format!("https://reuters.example/{}", v["id"]),
            canonical_url: format!("https://reuters.example/{}", v["id"]),
            headline: title.to_string(),
            dateline: v["dateline"].as_str().map(str::to_string),
            published_at: Some(t),
            fetched_at: t,
            lang: Some("en".into()),
            excerpt: body_text.chars().take(200).collect(),
            content_hash: khabar_text::content_hash(&body_text),
            body_text,
            blocks,
            relevance: Relevance {
                relevant: true,
                score: 0.8,
                reasons: vec![],
                tags: vec!["economy".into()],
            },
            status: StoryStatus::Published,
            ..Default::default()
        };
        store.insert_story(&s).await.expect("insert");
        inserted += 1;
    }
    println!(
        "seeded {inserted} stories in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let mid = store
        .stories(&khabar_store::StoryQuery {
            offset: inserted as i64 / 2,
            limit: 1,
            ..Default::default()
        })
        .await
        .expect("story")
        .items[0]
        .id;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let settings = SiteSettings {
        base_url: base.clone(),
        like_salt: "bench".into(),
        ..Default::default()
    };
    tokio::spawn(khabar_web::serve(listener, AppState::new(store, settings)));
    let http = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .build()
        .expect("client");

    println!("| path | requests | mean ms | p50 ms | p99 ms | body bytes | gzip bytes |");
    println!("|---|---|---|---|---|---|---|");
    for path in [
        "/".to_string(),
        "/?page=50".to_string(),
        format!("/story/{mid}"),
        "/search?q=oil+prices".to_string(),
        "/feed.atom".to_string(),
        "/feed.json".to_string(),
        "/sitemap.xml".to_string(),
        "/api/v1/stories".to_string(),
    ] {
        let url = format!("{base}{path}");
        let mut times = Vec::with_capacity(reps);
        let mut size = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let body = http
                .get(&url)
                .send()
                .await
                .expect("get")
                .bytes()
                .await
                .expect("body");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            size = body.len();
        }
        let gz = http
            .get(&url)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("get")
            .bytes()
            .await
            .expect("body")
            .len();
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let p = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "| `{path}` | {reps} | {mean:.2} | {:.2} | {:.2} | {size} | {gz} |",
            p(0.5),
            p(0.99)
        );
    }
}
