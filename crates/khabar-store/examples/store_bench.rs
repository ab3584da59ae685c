//! Store benchmark: inserts N stories (Reuters-21578 wire copy, cycled with
//! unique URLs and spread over a year), then times the reads the web site
//! makes: front page (stories() page 1), one story, search (p50/p99).
//!
//! cargo run --release -p khabar-store --example store_bench -- [N] [URL]
//!   N defaults to 10000; URL defaults to a fresh SQLite file in a temp dir.
//!   For PostgreSQL pass e.g. "postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench"
//!   (the schema must exist and be empty).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use khabar_model::{Block, NewStory, Relevance, StoryStatus, TextDirection};
use khabar_store::{SearchQuery, SearchSort, SourceKind, SourceSpec, Store, StoryQuery};

#[derive(serde::Deserialize)]
struct Reuters {
    title: String,
    body: String,
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::tempdir()?;
    let url = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| format!("sqlite://{}", tmp.path().join("bench.db").display()));
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/reuters21578/train.jsonl");
    let wire: Vec<Reuters> = std::fs::read_to_string(&corpus)?
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|r: &Reuters| r.body.len() > 200)
        .collect();

    let store = Store::connect(&url).await?;
    let mut sources = Vec::new();
    for i in 0..20 {
        let spec = SourceSpec {
            slug: format!("source-{i}"),
            name: format!("Source {i}"),
            url: format!("https://source{i}.example/feed"),
            kind: SourceKind::Feed,
            lang: Some("en".into()),
            full_text: true,
            dedicated: false,
            proxy: None,
            ..Default::default()
        };
        sources.push(store.sources().upsert(&spec).await?.id);
    }
    let start_time = DateTime::<Utc>::from_timestamp(1_735_689_600, 0).unwrap_or_default();
    let t0 = Instant::now();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let r = &wire[i % wire.len()];
        let body = r.body.replace('\n', " ");
        let published = start_time + chrono::Duration::seconds((i as i64) * 31_536_000 / n as i64);
        let s = NewStory {
            source_id: sources[i % sources.len()],
            url: format!("https://news.example/{i}"),
            canonical_url: format!("https://news.example/{i}"),
            headline: r.title.clone(),
            published_at: Some(published),
            fetched_at: published,
            lang: Some("en".into()),
            dir: TextDirection::Ltr,
            blocks: vec![Block::paragraph(body.clone())],
            excerpt: body.chars().take(200).collect(),
            content_hash: format!("{i:032x}"),
            body_text: body,
            relevance: Relevance {
                relevant: true,
                score: 0.8,
                reasons: vec!["bench".into()],
                tags: vec![format!("tag-{}", i % 7)],
            },
            status: StoryStatus::Published,
            ..Default::default()
        };
        ids.push(store.insert_story(&s).await?.id());
    }
    let insert = t0.elapsed();
    store.optimize().await?;

    let mut front = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let page = store.stories(&StoryQuery::default()).await?;
        front.push(t.elapsed());
        assert_eq!(page.items.len(), 20);
    }
    front.sort();
    let mut one = Vec::new();
    for k in 0..2000 {
        let id = ids[(k * 7919) % ids.len()];
        let t = Instant::now();
        let s = store.story(id).await?;
        one.push(t.elapsed());
        assert!(s.is_some());
    }
    one.sort();
    let queries = [
        "iran",
        "oil prices",
        "attacked",
        "gulf shipping",
        "tehran",
        "missiles",
        "sanctions",
        "opec output",
        "federal reserve",
        "grain exports",
    ];
    let mut search = Vec::new();
    let mut hits_total = 0i64;
    for round in 0..20 {
        for q in queries {
            let sort = if round % 2 == 0 {
                SearchSort::Relevance
            } else {
                SearchSort::Date
            };
            let t = Instant::now();
            let page = store
                .search(&SearchQuery {
                    text: q.into(),
                    sort,
                    ..Default::default()
                })
                .await?;
            search.push(t.elapsed());
            hits_total += page.total;
        }
    }
    search.sort();
    let db_size = if let Some(path) = url.strip_prefix("sqlite://") {
        let p = std::path::PathBuf::from(path);
        let wal = std::path::PathBuf::from(format!("{path}-wal"));
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        format!("{:.1} MB", size as f64 / 1e6)
    } else {
        "n/a".into()
    };
    println!(
        "| {} | {n} | {:.0} stories/s | {} / {} | {} / {} | {} / {} | {} |",
        store.backend().as_str(),
        n as f64 / insert.as_secs_f64(),
        ms(pct(&front, 0.5)),
        ms(pct(&front, 0.99)),
        ms(pct(&one, 0.5)),
        ms(pct(&one, 0.99)),
        ms(pct(&search, 0.5)),
        ms(pct(&search, 0.99)),
        db_size
    );
    eprintln!(
        "(mean hits per search: {})",
        hits_total / search.len() as i64
    );
    store.close().await;
    Ok(())
}
