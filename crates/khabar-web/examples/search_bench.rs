//! Site search at scale on both backends: p50/p99 of `AppState::search`
//! (the tantivy index, with the page's stories and snippets read from the
//! store) beside the database's own fallback, the index build from an
//! existing store, and the catch-up of a restarted site.
//!
//! ```sh
//! cargo run --release -p khabar-web --example search_bench -- \
//!     /tmp/sb/100k.db 100000 ../shared/corpus/reuters21578/train.jsonl \
//!     'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dsearch_bench'
//! ```
//!
//! The SQLite file is filled to N stories when empty: Reuters-21578 articles,
//! cycled with distinct URLs and dates, and every tenth story one of the
//! Persian stories of `tests/data/persian-stories.jsonl` (so Persian queries
//! have real matches). With a PostgreSQL URL (its schema must exist) the
//! same stories are copied there (`Store::migrate_to`) when it is empty, and
//! every figure is taken on both.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use khabar_model::{Block, NewStory, Relevance, StoryStatus};
use khabar_store::{SearchQuery, SearchSort, SourceKind, SourceSpec, Store};
use khabar_web::{AppState, SearchStatus, SiteSettings};

/// Searches timed per query (after 20 untimed).
const RUNS: usize = 300;
/// Database-fallback searches timed per query (it is much slower).
const DB_RUNS: usize = 40;
/// Stories changed while the site is down, before the catch-up is timed:
/// two log entries each (hidden, then published again).
const CHANGED: i64 = 10_000;

const QUERIES: &[(&str, SearchSort)] = &[
    ("oil prices", SearchSort::Relevance),
    ("oil prices", SearchSort::Date),
    ("iran", SearchSort::Relevance),
    ("opec output quota", SearchSort::Relevance),
    ("تحریم", SearchSort::Relevance),
    ("می گوید", SearchSort::Relevance),
];

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(file), Some(n), Some(corpus)) = (
        args.first(),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!(
            "usage: search_bench <sqlite-file> <stories> <reuters train.jsonl> [postgres-url]"
        );
        std::process::exit(2);
    };
    let sqlite = Store::connect(&format!("sqlite://{file}"))
        .await
        .expect("open sqlite store");
    seed(&sqlite, n, Path::new(corpus)).await;
    let mut stores = vec![("sqlite", sqlite.clone())];
    if let Some(url) = args.get(3) {
        let pg = Store::connect(url).await.expect("open postgres store");
        if pg.counts().await.expect("counts").total_stories == 0 {
            let t = Instant::now();
            sqlite
                .migrate_to(&pg, |_, _, _| {})
                .await
                .expect("copy to postgres");
            pg.optimize().await.expect("analyze");
            eprintln!("copied to PostgreSQL in {:.0} s", t.elapsed().as_secs_f64());
        }
        stores.push(("postgres", pg));
    }
    println!(
        "| backend | stories | query | sort | index p50 | index p99 | database p50 | database p99 | matches |"
    );
    println!("|---|---:|---|---|---:|---:|---:|---:|---:|");
    let mut builds = Vec::new();
    for (name, store) in &stores {
        let stories = store.counts().await.expect("counts").published;
        // 1. The index built from the store, from nothing.
        if let Some(dir) = index_dir(store).await {
            let _ = std::fs::remove_dir_all(&dir);
        }
        let t = Instant::now();
        let state = site(store).await;
        wait_ready(&state).await;
        let build = t.elapsed();

        // 2. Searches.
        for (text, sort) in QUERIES {
            let q = SearchQuery {
                text: (*text).into(),
                sort: *sort,
                limit: 20,
                ..Default::default()
            };
            let (ix50, ix99, total) = time(RUNS, || async {
                state.search(&q).await.expect("search").total
            })
            .await;
            let (db50, db99, _) = time(DB_RUNS, || async {
                store.search(&q).await.expect("search").total
            })
            .await;
            println!(
                "| {name} | {stories} | `{text}` | {sort:?} | {} | {} | {} | {} | {total} |",
                ms(ix50),
                ms(ix99),
                ms(db50),
                ms(db99)
            );
        }
        drop(state);

        // 3. A restart with the index current, then one after CHANGED
        // stories changed while no site followed the log.
        let t = Instant::now();
        let state = reopen(store).await;
        wait_ready(&state).await;
        let current = t.elapsed();
        drop(state);
        let mut ids: Vec<i64> = Vec::new();
        while (ids.len() as i64) < CHANGED {
            let after = ids.last().copied().unwrap_or(0);
            let batch = store
                .search_log()
                .indexable_after(after, 500)
                .await
                .expect("ids");
            if batch.is_empty() {
                break;
            }
            ids.extend(batch.iter().map(|d| d.id));
        }
        ids.truncate(CHANGED as usize);
        for id in &ids {
            store
                .set_status(*id, StoryStatus::Hidden, Some("bench"))
                .await
                .expect("hide");
            store
                .set_status(*id, StoryStatus::Published, None)
                .await
                .expect("publish");
        }
        let t = Instant::now();
        let state = reopen(store).await;
        wait_ready(&state).await;
        let caught_up = t.elapsed();
        drop(state);
        builds.push((name, stories, build, current, caught_up));
    }
    println!();
    println!(
        "| backend | stories | index built from the store | restart, index current | restart, {} changes behind |",
        CHANGED * 2
    );
    println!("|---|---:|---:|---:|---:|");
    for (name, stories, build, current, caught_up) in builds {
        println!(
            "| {name} | {stories} | {:.1} s | {} | {:.2} s |",
            build.as_secs_f64(),
            ms(current),
            caught_up.as_secs_f64()
        );
    }
}

/// p50, p99 and the last result of `runs` timed calls after 20 untimed.
async fn time<F, Fut>(runs: usize, f: F) -> (Duration, Duration, i64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = i64>,
{
    let mut last = 0;
    for _ in 0..20 {
        last = f().await;
    }
    let mut took = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        last = f().await;
        took.push(t.elapsed());
    }
    took.sort();
    let at = |p: f64| took[((took.len() as f64 * p) as usize).min(took.len() - 1)];
    (at(0.50), at(0.99), last)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn settings() -> SiteSettings {
    SiteSettings {
        base_url: "http://127.0.0.1/".into(),
        like_salt: "bench".into(),
        ..Default::default()
    }
}

async fn site(store: &Store) -> AppState {
    let state = AppState::new(store.clone(), settings());
    state.prepare_search().await;
    state
}

/// A new site once the previous one let go of the index's writer lock.
async fn reopen(store: &Store) -> AppState {
    loop {
        let state = site(store).await;
        if state.search_status().await != SearchStatus::Database {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn wait_ready(state: &AppState) {
    while state.search_status().await != SearchStatus::Index {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Where the site keeps the index of `store` (see `search_index.rs`).
async fn index_dir(store: &Store) -> Option<PathBuf> {
    if let Some(file) = store.sqlite_file() {
        return Some(file.with_extension("search"));
    }
    let id = store.search_log().store_identity().await.ok()??;
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    Some(cache.join("khabar").join(format!("search-{id}")))
}

struct Doc {
    title: String,
    blocks: Vec<Block>,
    lang: &'static str,
}

fn docs(path: &Path, lang: &'static str, body_min: usize) -> Vec<Doc> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| {
            let title = v["title"].as_str()?.trim().to_string();
            let body = v["body"].as_str()?;
            (!title.is_empty() && body.len() >= body_min).then(|| Doc {
                title,
                blocks: body
                    .split("\n    ")
                    .map(|p| Block::paragraph(p.split_whitespace().collect::<Vec<_>>().join(" ")))
                    .collect(),
                lang,
            })
        })
        .collect()
}

/// Fills an empty store with `n` stories (see the module documentation).
async fn seed(store: &Store, n: usize, reuters: &Path) {
    if store.counts().await.expect("counts").total_stories > 0 {
        return;
    }
    let english = docs(reuters, "en", 200);
    let persian = docs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/persian-stories.jsonl"),
        "fa",
        0,
    );
    assert!(
        !english.is_empty() && !persian.is_empty(),
        "no stories to seed"
    );
    let mut sources = Vec::new();
    for (slug, lang) in [("reuters", "en"), ("akhbar", "fa")] {
        let src = store
            .sources()
            .upsert(&SourceSpec {
                slug: slug.into(),
                name: slug.into(),
                url: format!("https://{slug}.example/"),
                kind: SourceKind::Feed,
                lang: Some(lang.into()),
                full_text: true,
                ..Default::default()
            })
            .await
            .expect("source");
        sources.push(src.id);
    }
    let t0 = Instant::now();
    let now = Utc::now();
    for i in 0..n {
        let (doc, source, k) = if i % 10 == 9 {
            (&persian[(i / 10) % persian.len()], sources[1], i / 10)
        } else {
            (&english[i % english.len()], sources[0], i)
        };
        let cycle = k / if doc.lang == "fa" {
            persian.len()
        } else {
            english.len()
        };
        let body_text = khabar_model::Article::text_from_blocks(&doc.blocks);
        let t = now - chrono::Duration::minutes(i as i64 * 7);
        let url = format!("https://{}.example/{i}", doc.lang);
        let story = NewStory {
            source_id: source,
            url: url.clone(),
            canonical_url: url,
            headline: doc.title.clone(),
            published_at: Some(t),
            fetched_at: t,
            lang: Some(doc.lang.into()),
            excerpt: body_text.chars().take(200).collect(),
            content_hash: khabar_text::content_hash(&format!("{cycle}\n{i}\n{body_text}")),
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
        store.insert_story(&story).await.expect("insert");
    }
    store.optimize().await.expect("optimize");
    eprintln!("seeded {n} stories in {:.0} s", t0.elapsed().as_secs_f64());
}
