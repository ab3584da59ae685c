//! Shared fixtures for the contract tests: a fresh store per test on each
//! backend, story builders, and real corpus data.

#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use khabar_model::{Block, NewStory, Relevance, StoryStatus, TextDirection};
use khabar_store::{SourceKind, SourceSpec, Store};
use sqlx::Executor;

/// Instantiates each `async fn(&Store)` once per backend: SQLite in a temp
/// file and PostgreSQL in a fresh schema.
#[allow(unused_macros)]
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = crate::common::TestDb::sqlite().await;
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = crate::common::TestDb::postgres().await else { return };
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// Where tests find PostgreSQL; override with KHABAR_TEST_PG_URL.
pub fn pg_base_url() -> String {
    std::env::var("KHABAR_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A store for one test; dropping the schema / temp dir afterwards keeps runs apart.
pub struct TestDb {
    pub store: Store,
    dir: Option<tempfile::TempDir>,
    pg: Option<(sqlx::PgPool, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("khabar.db").display());
        let store = Store::connect(&url).await.expect("open sqlite store");
        TestDb {
            store,
            dir: Some(dir),
            pg: None,
        }
    }

    /// A store in a fresh schema `t_<random>`, or None (with a notice) when
    /// PostgreSQL is unreachable outside CI. In CI (env CI set) it panics.
    pub async fn postgres() -> Option<TestDb> {
        let base = pg_base_url();
        // A single connection first: its error says why (refused, auth, …), where a pool only says "timed out".
        let probe = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            <sqlx::PgConnection as sqlx::Connection>::connect(&base),
        )
        .await
        .unwrap_or_else(|_| Err(sqlx::Error::PoolTimedOut));
        if let Err(e) = probe {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "PostgreSQL is unreachable at {base} ({e}); CI must start it (or set KHABAR_TEST_PG_URL)"
                );
            }
            eprintln!("NOTICE: skipping PostgreSQL contract test: {base} unreachable ({e})");
            return None;
        }
        let admin = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&base)
            .await
            .expect("PostgreSQL answered the probe but not the pool");
        let schema = format!("t_{:016x}", rand::random::<u64>());
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .await
            .expect("create test schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let store = Store::connect(&url).await.expect("open postgres store");
        Some(TestDb {
            store,
            dir: None,
            pg: Some((admin, schema)),
        })
    }

    /// On PostgreSQL, a pool outside the store (default search path) and
    /// the test's schema, to act as another process would.
    pub fn pg_admin(&self) -> Option<(&sqlx::PgPool, &str)> {
        self.pg
            .as_ref()
            .map(|(pool, schema)| (pool, schema.as_str()))
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin, schema)) = self.pg {
            let _ = admin
                .execute(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .await;
            admin.close().await;
        }
        drop(self.dir);
    }
}

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("valid time")
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid day")
}

pub fn spec(slug: &str, lang: &str) -> SourceSpec {
    SourceSpec {
        slug: slug.into(),
        name: format!("Source {slug}"),
        url: format!("https://{slug}.example/feed.xml"),
        kind: SourceKind::Feed,
        lang: Some(lang.into()),
        full_text: true,
        dedicated: false,
        proxy: None,
        ..Default::default()
    }
}

/// A published story; `key` makes the URL unique.
pub fn story(
    source_id: i64,
    key: &str,
    headline: &str,
    body: &str,
    published: Option<DateTime<Utc>>,
) -> NewStory {
    let blocks: Vec<Block> = body.split("\n\n").map(Block::paragraph).collect();
    NewStory {
        source_id,
        url: format!("https://news.example/{key}?utm_source=x"),
        canonical_url: format!("https://news.example/{key}"),
        headline: headline.into(),
        dateline: None,
        byline: None,
        credits: None,
        published_at: published,
        fetched_at: at(2026, 1, 1, 0),
        lang: Some("en".into()),
        dir: TextDirection::Ltr,
        blocks,
        body_text: body.into(),
        excerpt: body.chars().take(120).collect(),
        lead_image: None,
        content_hash: khabar_text::content_hash(body),
        relevance: Relevance {
            relevant: true,
            score: 0.9,
            reasons: vec!["headline: \"Iran\" (+2.0)".into()],
            tags: vec![],
        },
        status: StoryStatus::Published,
        duplicate_of: None,
        event_id: None,
        excerpt_only: false,
        declared_url: None,
    }
}

/// The shared corpora: `$KHABAR_CORPUS` when set (so a crate can be tested
/// on its own, with the corpora anywhere), else `shared/corpus` beside the
/// repository, where CI clones it.
pub fn corpus() -> PathBuf {
    std::env::var_os("KHABAR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// A Reuters-21578 story.
#[derive(serde::Deserialize, Clone)]
pub struct Reuters {
    pub id: i64,
    pub date: String,
    pub title: String,
    pub dateline: String,
    pub body: String,
    pub places: Vec<String>,
}

pub fn reuters() -> Vec<Reuters> {
    let path = corpus().join("reuters21578/train.jsonl");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

pub fn reuters_story(source_id: i64, r: &Reuters) -> NewStory {
    let published = NaiveDateTime::parse_from_str(r.date.trim(), "%d-%b-%Y %H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc());
    let body = r.body.replace("\n", " ");
    let mut s = story(
        source_id,
        &format!("reuters/{}", r.id),
        &r.title,
        &body,
        published.map(|t| t.with_nanosecond0()),
    );
    s.dateline = Some(r.dateline.clone());
    s
}

trait NoNanos {
    fn with_nanosecond0(self) -> Self;
}
impl NoNanos for DateTime<Utc> {
    fn with_nanosecond0(self) -> Self {
        DateTime::from_timestamp(self.timestamp(), 0).unwrap_or(self)
    }
}

/// (link, title, description) of every item of the real Persian feed fixture.
pub fn hoder_items() -> Vec<(String, String, String)> {
    let path = corpus().join("feeds/hoder.xml");
    let xml =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let tag = |item: &str, name: &str| -> String {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        item.find(&open)
            .and_then(|a| {
                item[a + open.len()..]
                    .find(&close)
                    .map(|b| item[a + open.len()..a + open.len() + b].to_string())
            })
            .unwrap_or_default()
    };
    xml.split("<item>")
        .skip(1)
        .map(|item| {
            (
                tag(item, "link"),
                tag(item, "title"),
                tag(item, "description"),
            )
        })
        .collect()
}
