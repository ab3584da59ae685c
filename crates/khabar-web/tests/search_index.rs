//! Site search through the tantivy index beside the store, on SQLite and on
//! PostgreSQL: the same matches as the database's own full-text search over
//! real Reuters and Persian text, every spelling a Persian reader types
//! finding the story, every writer's change visible on the next search, and
//! an index that is reused after a restart or rebuilt when its folder is lost.
//!
//! The PostgreSQL runs use a fresh schema of the server at `127.0.0.1:5432`
//! (database `test`, or `KHABAR_TEST_PG_URL`), and say so and pass when it
//! cannot be reached, as the store's contract tests do.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use common::{new_story, reuters, spec};
use khabar_model::StoryStatus;
use khabar_store::{Page, SearchHit, SearchQuery, SearchSort, Store};
use khabar_web::{AppState, SearchStatus, SiteSettings};

fn settings() -> SiteSettings {
    SiteSettings {
        base_url: "http://127.0.0.1/".into(),
        like_salt: "salt".into(),
        ..Default::default()
    }
}

async fn open(dir: &Path) -> Store {
    Store::connect(&format!("sqlite://{}", dir.join("site.db").display()))
        .await
        .expect("store")
}

/// Adds `n` Reuters stories over two sources; Iran stories are tagged `iran`,
/// the others `economy`. Returns the second source's id.
async fn load(store: &Store, n: usize) -> i64 {
    load_from(store, 0, n).await
}

/// Like [`load`], starting at the corpus's `skip`-th story.
async fn load_from(store: &Store, skip: usize, n: usize) -> i64 {
    let a = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .expect("source");
    let b = store
        .sources()
        .upsert(&spec("wire", "en"))
        .await
        .expect("source");
    for (i, w) in reuters().into_iter().skip(skip).take(n).enumerate() {
        let source = if i % 3 == 0 { b.id } else { a.id };
        let mut s = new_story(
            source,
            format!("https://reuters.example/{}", w.id),
            w.title,
            "en",
            w.dateline,
            w.paragraphs,
            i as i64 * 37 + 5,
        );
        s.relevance.tags = vec![if w.about_iran { "iran" } else { "economy" }.into()];
        store.insert_story(&s).await.expect("insert");
    }
    b.id
}

/// Waits until searches are answered by the index.
async fn index_ready(state: &AppState) {
    for _ in 0..600 {
        if state.search_status().await == SearchStatus::Index {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the search index never became ready");
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        sort: SearchSort::Date,
        limit: 100,
        ..Default::default()
    }
}

fn ids(page: &Page<SearchHit>) -> Vec<i64> {
    page.items.iter().map(|h| h.story.id).collect()
}

#[tokio::test]
async fn the_index_finds_what_the_database_finds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    index_agrees_with_the_database(&store).await;
    assert!(
        dir.path().join("site.search").join("meta.json").exists(),
        "the index lives beside the database file"
    );
}

#[tokio::test]
async fn the_index_finds_what_the_database_finds_on_postgres() {
    let Some(db) = PgSchema::new().await else {
        return;
    };
    index_agrees_with_the_database(&db.store).await;
    assert!(db.index_dir().await.join("meta.json").exists());
    db.finish().await;
}

async fn index_agrees_with_the_database(store: &Store) {
    load(store, 1500).await;
    // Opened over a filled store: built from it in the background.
    let state = AppState::new(store.clone(), settings());
    state.prepare_search().await;
    index_ready(&state).await;

    let today = Utc::now().date_naive();
    let mut cases: Vec<SearchQuery> = [
        "oil prices",
        "iran",
        "opec output",
        "tehran",
        "wheat exports",
        "Gulf shipping",
        "dollar",
    ]
    .into_iter()
    .map(query)
    .collect();
    let mut by_source = query("oil");
    by_source.source_slug = Some("wire".into());
    let mut by_tag = query("oil");
    by_tag.tag = Some("iran".into());
    let mut by_lang = query("bank");
    by_lang.lang = Some("en".into());
    let mut by_days = query("oil");
    by_days.from = today.checked_sub_days(chrono::Days::new(10));
    by_days.to = today.checked_sub_days(chrono::Days::new(3));
    let mut second_page = query("oil");
    second_page.limit = 20;
    second_page.offset = 20;
    let mut unknown_source = query("oil");
    unknown_source.source_slug = Some("nobody".into());
    cases.extend([
        by_source,
        by_tag,
        by_lang,
        by_days,
        second_page,
        unknown_source,
    ]);

    let mut matched = 0;
    for q in &cases {
        let db = store.search(q).await.expect("database search");
        let ix = state.search(q).await.expect("index search");
        assert_eq!(ix.total, db.total, "total for {:?}", q.text);
        assert_eq!(ids(&ix), ids(&db), "date-ordered page for {q:?}");
        assert!(
            ix.items.iter().all(|h| h.snippet_html.contains("<mark>")),
            "snippets highlight the words"
        );
        matched += db.total;
    }
    assert!(matched > 300, "the queries exercise real volume: {matched}");

    // Relevance order: headline matches first, as in the database.
    let mut oil = query("oil");
    oil.sort = SearchSort::Relevance;
    oil.limit = 10;
    let ix = state.search(&oil).await.expect("search");
    assert_eq!(ix.items.len(), 10);
    assert!(
        ix.items
            .iter()
            .take(5)
            .all(|h| h.story.headline.to_lowercase().contains("oil"))
    );
    assert!(ix.items.windows(2).all(|w| w[0].rank >= w[1].rank));
}

#[tokio::test]
async fn every_change_is_searchable_on_the_next_search() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    // A second handle stands for another process writing the same database.
    let other = open(dir.path()).await;
    changes_are_searchable_at_once(&store, &other).await;
}

#[tokio::test]
async fn every_change_is_searchable_on_the_next_search_on_postgres() {
    let Some(db) = PgSchema::new().await else {
        return;
    };
    let other = Store::connect(&db.url).await.expect("second handle");
    changes_are_searchable_at_once(&db.store, &other).await;
    other.close().await;
    db.finish().await;
}

async fn changes_are_searchable_at_once(store: &Store, other: &Store) {
    let state = AppState::new(store.clone(), settings());
    state.prepare_search().await;
    index_ready(&state).await;
    // Stories arrive after the index is up: followed through the change log.
    let wire = load(store, 300).await;
    let q = query("zanzibar cloves");
    assert_eq!(state.search(&q).await.expect("search").total, 0);
    let mut s = new_story(
        wire,
        "https://wire.example/zanzibar".into(),
        "Zanzibar cloves harvest".into(),
        "en",
        None,
        vec!["Zanzibar's cloves harvest rose this year.".into()],
        1,
    );
    s.relevance.tags = vec!["economy".into()];
    let id = other.insert_story(&s).await.expect("insert").id();
    let found = state.search(&q).await.expect("search");
    assert_eq!(ids(&found), vec![id], "found on the very next search");

    other
        .set_status(id, StoryStatus::Hidden, Some("test"))
        .await
        .expect("hide");
    assert_eq!(state.search(&q).await.expect("search").total, 0, "hidden");
    other
        .set_status(id, StoryStatus::Published, None)
        .await
        .expect("publish");
    assert_eq!(state.search(&q).await.expect("search").total, 1, "back");

    // Becoming a copy takes a story out of search; its primary stays.
    let primary = state.search(&query("oil")).await.expect("search").items[0]
        .story
        .id;
    other
        .set_duplicate_of(id, Some(primary))
        .await
        .expect("copy");
    assert_eq!(
        state.search(&q).await.expect("search").total,
        0,
        "copies are not listed"
    );
    other
        .set_duplicate_of(id, None)
        .await
        .expect("primary again");
    assert_eq!(state.search(&q).await.expect("search").total, 1);

    other
        .set_status(id, StoryStatus::TakenDown, Some("legal"))
        .await
        .expect("takedown");
    assert_eq!(
        state.search(&q).await.expect("search").total,
        0,
        "taken down"
    );
    assert_eq!(state.search_status().await, SearchStatus::Index);
}

#[tokio::test]
async fn the_index_is_reused_after_a_restart_and_rebuilt_when_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    load(&store, 400).await;
    let q = query("oil");
    let want = store.search(&q).await.expect("database search");
    assert!(want.total > 20);

    {
        let state = AppState::new(store.clone(), settings());
        state.prepare_search().await;
        index_ready(&state).await;
        assert_eq!(ids(&state.search(&q).await.expect("search")), ids(&want));
    }

    // A restart finds the index current: ready at once, no rebuild.
    let state = reopen(&store).await;
    assert_eq!(state.search_status().await, SearchStatus::Index);
    assert_eq!(ids(&state.search(&q).await.expect("search")), ids(&want));
    drop(state);

    // The folder is lost: rebuilt, and searches are answered meanwhile.
    let folder = dir.path().join("site.search");
    std::fs::remove_dir_all(&folder).expect("remove index");
    let state = reopen(&store).await;
    assert_eq!(ids(&state.search(&q).await.expect("search")), ids(&want));
    index_ready(&state).await;
    assert!(folder.join("meta.json").exists());
    assert_eq!(ids(&state.search(&q).await.expect("search")), ids(&want));
    drop(state);
    store.close().await;

    // Another database, other stories under the same ids, moved in at the
    // same path with its log already past the index's position: told apart
    // by its identity, and rebuilt.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let other = open(elsewhere.path()).await;
    load_from(&other, 2000, 450).await;
    let want = other.search(&q).await.expect("database search");
    other.close().await;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("site.db{suffix}")));
    }
    std::fs::copy(elsewhere.path().join("site.db"), dir.path().join("site.db")).expect("copy");
    let store = open(dir.path()).await;
    let state = reopen(&store).await;
    index_ready(&state).await;
    let got = state.search(&q).await.expect("search");
    assert_eq!((got.total, ids(&got)), (want.total, ids(&want)));
}

/// A fresh site over `store` once the previous one let go of the index's
/// writer lock (its background task may still hold it for a moment).
async fn reopen(store: &Store) -> AppState {
    for _ in 0..100 {
        let state = AppState::new(store.clone(), settings());
        state.prepare_search().await;
        if state.search_status().await != SearchStatus::Database {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the index stayed locked");
}

/// The index of a PostgreSQL store is kept in the machine's cache and found
/// again by a restarted site: ready at once, with what changed meanwhile.
#[tokio::test]
async fn a_restarted_node_catches_up_on_postgres() {
    let Some(db) = PgSchema::new().await else {
        return;
    };
    load(&db.store, 400).await;
    let q = query("oil");
    {
        let state = AppState::new(db.store.clone(), settings());
        state.prepare_search().await;
        index_ready(&state).await;
        assert_eq!(
            ids(&state.search(&q).await.expect("search")),
            ids(&db.store.search(&q).await.expect("database search"))
        );
    }
    // Written while no node followed the log.
    load_from(&db.store, 400, 100).await;
    let want = db.store.search(&q).await.expect("database search");
    let state = reopen(&db.store).await;
    assert_eq!(state.search_status().await, SearchStatus::Index);
    let got = state.search(&q).await.expect("search");
    assert_eq!((got.total, ids(&got)), (want.total, ids(&want)));
    drop(state);
    db.finish().await;
}

/// Persian stories as the corpus spells them (ZWNJ, spaces, joined, Arabic
/// letters, Persian digits), one line each: `{"title", "body", ...}`.
fn persian_stories() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/persian-stories.jsonl");
    std::fs::read_to_string(&path)
        .expect("tests/data/persian-stories.jsonl")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            (
                v["title"].as_str().expect("title").to_string(),
                v["body"].as_str().expect("body").to_string(),
            )
        })
        .collect()
}

/// Every spelling a reader types finds the same stories, through the index
/// and through the database's fallback alike, and only stories that hold
/// the word.
async fn persian_spellings_find_the_story(store: &Store) {
    let fa = store
        .sources()
        .upsert(&spec("akhbar", "fa"))
        .await
        .expect("source");
    let stories = persian_stories();
    for (i, (title, body)) in stories.iter().enumerate() {
        let s = new_story(
            fa.id,
            format!("https://akhbar.example/{i}"),
            title.clone(),
            "fa",
            None,
            vec![body.clone()],
            i as i64,
        );
        store.insert_story(&s).await.expect("insert");
    }
    let state = AppState::new(store.clone(), settings());
    state.prepare_search().await;
    index_ready(&state).await;

    // Each group: the spellings of one word, and what a story must hold
    // (folded, ZWNJ and spaces removed) to be found by it.
    let groups: [(&[&str], &str); 6] = [
        (&["می‌گوید", "می گوید", "میگوید", "مي گويد"], "میگوید"),
        (&["می‌شود", "می شود", "میشود", "مي شود"], "میشود"),
        (&["تحریم", "تحریم‌ها", "تحریم ها", "تحريم"], "تحریم"),
        (&["مقام", "مقام‌های", "مقام های", "مقامها"], "مقام"),
        (&["۲۰", "20", "٢٠"], "20"),
        (&["کشور", "كشور", "کشورها", "کشورهای"], "کشور"),
    ];
    let folded: Vec<(String, String)> = stories
        .iter()
        .map(|(t, b)| {
            let key = khabar_text::fold(&format!("{t} {b}")).replace(' ', "");
            (t.clone(), key)
        })
        .collect();
    for (spellings, needle) in groups {
        let mut first: Option<Vec<i64>> = None;
        for q in spellings {
            let mut q = query(q);
            q.limit = 200;
            let ix = state.search(&q).await.expect("index search");
            let db = store.search(&q).await.expect("database search");
            let mut got = ids(&ix);
            assert!(!got.is_empty(), "{:?} found nothing", q.text);
            assert_eq!(got, ids(&db), "index and database agree on {:?}", q.text);
            for h in &ix.items {
                let (_, key) = folded
                    .iter()
                    .find(|(t, _)| *t == h.story.headline)
                    .expect("a loaded story");
                assert!(
                    key.contains(needle),
                    "{:?} found a story without {needle}",
                    q.text
                );
                // The snippet is of the body: a headline-only match has no mark.
                let in_headline = khabar_text::fold(&h.story.headline)
                    .replace(' ', "")
                    .contains(needle);
                assert!(
                    h.snippet_html.contains("<mark>") || in_headline,
                    "{:?}: {}",
                    q.text,
                    h.snippet_html
                );
            }
            got.sort_unstable();
            match &first {
                None => first = Some(got),
                Some(want) => assert_eq!(
                    &got, want,
                    "{:?} finds what {:?} finds",
                    q.text, spellings[0]
                ),
            }
        }
    }
    for nothing in ["ایر", "زبرجدستان"] {
        assert_eq!(
            state.search(&query(nothing)).await.expect("search").total,
            0,
            "{nothing}"
        );
    }
}

#[tokio::test]
async fn persian_spellings_find_the_story_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    persian_spellings_find_the_story(&store).await;
}

#[tokio::test]
async fn persian_spellings_find_the_story_on_postgres() {
    let Some(db) = PgSchema::new().await else {
        return;
    };
    persian_spellings_find_the_story(&db.store).await;
    db.finish().await;
}

/// A store in a fresh schema of the test PostgreSQL server.
struct PgSchema {
    store: Store,
    url: String,
    admin: sqlx::PgPool,
    schema: String,
}

impl PgSchema {
    /// `None`, with a notice, when the server cannot be reached.
    async fn new() -> Option<PgSchema> {
        let base = std::env::var("KHABAR_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let admin = match sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .connect(&base)
            .await
        {
            Ok(p) => p,
            Err(e) => {
                eprintln!("PostgreSQL is unreachable at {base} ({e}); skipping");
                return None;
            }
        };
        let schema = format!("t_{:016x}", rand::random::<u64>());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .expect("create test schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let store = Store::connect(&url).await.expect("open postgres store");
        Some(PgSchema {
            store,
            url,
            admin,
            schema,
        })
    }

    /// Where the site keeps this store's index (see `search_index.rs`).
    async fn index_dir(&self) -> PathBuf {
        let id = self
            .store
            .search_log()
            .store_identity()
            .await
            .expect("identity")
            .expect("a PostgreSQL store has an identity");
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        cache.join("khabar").join(format!("search-{id}"))
    }

    /// Drops the schema and the index kept for it.
    async fn finish(self) {
        let dir = self.index_dir().await;
        self.store.close().await;
        let _ = std::fs::remove_dir_all(dir);
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {} CASCADE",
            self.schema
        )))
        .execute(&self.admin)
        .await
        .expect("drop test schema");
    }
}
