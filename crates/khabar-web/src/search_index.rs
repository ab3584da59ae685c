//! Site search through a tantivy index kept beside the store, on every
//! backend.
//!
//! The index ([`khabar_search::StoryIndex`]) follows the store's change log
//! (SQLite migration 0004, PostgreSQL migration 0010): before answering, a
//! search checks the log's head (one primary-key read) and applies any newer
//! changes, so a story published, hidden or edited by any process is found,
//! or no longer found, on the very next search. A background task also
//! applies changes every second, so searches seldom wait for it.
//!
//! Where it lives: beside an embedded store's file (`khabar.db` →
//! `khabar.search/`); for PostgreSQL, each web node keeps its own in the
//! user's cache directory (`$XDG_CACHE_HOME` or `~/.cache`, then
//! `khabar/search-<store identity>`), so every node answers from the same
//! log and a node restarted catches up from where it stopped. An in-memory
//! SQLite store gets an in-memory index.
//!
//! A new index, one written under another schema, or one that has fallen
//! behind a pruned log is rebuilt in the background from the store, and one
//! far behind (a site restarted after a long pause) catches up there; until
//! it is ready, or if another process holds the index's writer lock (two
//! nodes on one machine), searches run in the database ([`Store::search`],
//! the documented fallback with the same analyser; its doc says where its
//! engines differ). The index is derived data: deleting its folder costs a
//! rebuild, nothing else.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use khabar_search::{IndexQuery, IndexSort, LogPosition, StoryIndex};
use khabar_store::{Backend, Page, SearchHit, SearchQuery, SearchSort, Store};

use crate::error::WebResult;

/// Changes read from the log per round.
const CHANGES_PER_ROUND: i64 = 2_000;
/// Stories read from the store per round of a rebuild.
const REBUILD_BATCH: i64 = 500;
/// Log entries kept behind the follower's position, for other processes'
/// indexes over the same store; an index further behind rebuilds.
const LOG_KEPT_BEHIND: i64 = 100_000;
/// How often the background task applies new changes.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);
/// An index this many changes behind at start catches up in the background
/// before it answers, rather than in the first reader's search.
const BEHIND_AT_START: i64 = 10_000;

/// What the background task does before following the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Startup {
    Ready,
    CatchUp,
    Rebuild,
}

/// Why the index could not be brought up to date or asked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FollowError {
    #[error("store: {0}")]
    Store(#[from] khabar_store::StoreError),
    #[error("{0}")]
    Index(#[from] khabar_search::SearchError),
    #[error("index task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Runs blocking index work off the async runtime's threads.
async fn on_index<T: Send + 'static>(
    index: &Arc<StoryIndex>,
    work: impl FnOnce(&StoryIndex) -> khabar_search::Result<T> + Send + 'static,
) -> Result<T, FollowError> {
    let index = index.clone();
    Ok(tokio::task::spawn_blocking(move || work(&index)).await??)
}

/// The index and how far into the store's change log it is.
pub(crate) struct SearchFollower {
    index: Arc<StoryIndex>,
    store: Store,
    /// The store's identity, recorded with every commit.
    store_id: String,
    /// Log position applied and committed; held while applying, so one
    /// catch-up runs at a time and others wait for its result.
    applied: tokio::sync::Mutex<i64>,
    /// False while a rebuild runs: searches go to the store meanwhile.
    ready: AtomicBool,
    /// A write to the index failed (a full disk, a folder turned
    /// read-only): what it holds can no longer be trusted to match its
    /// recorded position, so it is rebuilt from the store once writes work
    /// again, and searches go to the store until then.
    damaged: AtomicBool,
}

/// Where the index of `store` lives: beside its database file; for a
/// server database, in this machine's cache, named by the database's
/// identity; `None` (in memory) for an in-memory database.
fn index_dir(store: &Store, store_id: &str) -> Option<PathBuf> {
    if let Some(file) = store.sqlite_file() {
        return Some(file.with_extension("search"));
    }
    match store.backend() {
        Backend::Postgres => Some(cache_root().join(format!("search-{store_id}"))),
        Backend::Sqlite => None,
    }
}

/// The user's cache directory for khabar (`$XDG_CACHE_HOME/khabar`,
/// `~/.cache/khabar`, or the temporary directory when neither is known).
fn cache_root() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("khabar")
}

impl SearchFollower {
    /// Opens the index for `store` and starts following its log; `None`
    /// when the store has no log yet or the index cannot be opened (the
    /// reason is logged, and search runs in the database).
    pub(crate) async fn start(store: &Store) -> Option<Arc<SearchFollower>> {
        let (store_id, head) = match (
            store.search_log().store_identity().await,
            store.search_log().head().await,
        ) {
            (Ok(Some(id)), Ok(Some(head))) => (id, head),
            (Ok(None), _) | (_, Ok(None)) => return None,
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "search log unreadable; searching in the database");
                return None;
            }
        };
        let dir = index_dir(store, &store_id);
        let opened = tokio::task::spawn_blocking(move || match &dir {
            Some(dir) => StoryIndex::open(dir),
            None => StoryIndex::in_memory(),
        })
        .await;
        let index = match opened {
            Ok(Ok(index)) => Arc::new(index),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "search index unavailable; searching in the database");
                return None;
            }
            Err(e) => {
                tracing::warn!(error = %e, "search index open failed; searching in the database");
                return None;
            }
        };
        let tail = store.search_log().tail().await.ok().flatten();
        // Usable: written for this very database, not ahead of its log, and
        // not behind the oldest change the log still keeps.
        let cursor = index
            .position()
            .filter(|at| at.store == store_id)
            .map(|at| at.seq);
        let usable = cursor.is_some_and(|c| c <= head && tail.is_none_or(|t| t <= c + 1));
        let startup = match cursor {
            _ if !usable => Startup::Rebuild,
            Some(c) if head - c > BEHIND_AT_START => Startup::CatchUp,
            _ => Startup::Ready,
        };
        let follower = Arc::new(SearchFollower {
            index,
            store: store.clone(),
            store_id,
            applied: tokio::sync::Mutex::new(cursor.unwrap_or(0)),
            ready: AtomicBool::new(startup == Startup::Ready),
            damaged: AtomicBool::new(false),
        });
        if startup != Startup::Ready {
            tracing::info!(
                index = ?follower.index.path(),
                cursor, head, ?startup, "search index is behind the store; the database answers until it is current"
            );
        }
        tokio::spawn(follow(Arc::downgrade(&follower), startup));
        Some(follower)
    }

    pub(crate) fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Searches through the index; the store answers instead while the index
    /// is not ready, cannot be brought up to date or fails the query (each
    /// logged), so a reader never sees an error the database could have spared.
    pub(crate) async fn search(&self, q: &SearchQuery) -> WebResult<Page<SearchHit>> {
        if !self.is_ready() || self.damaged.load(Ordering::Acquire) {
            return Ok(self.store.search(q).await?);
        }
        if let Err(e) = self.catch_up().await {
            tracing::warn!(error = %e, "search index could not catch up; searching in the database");
            return Ok(self.store.search(q).await?);
        }
        let limit = q.page_limit();
        let offset = q.offset.max(0);
        let source_id = match q.source_slug.as_deref().filter(|s| !s.is_empty()) {
            Some(slug) => match self.store.sources().by_slug(slug).await? {
                Some(src) => Some(src.id),
                None => return Ok(Page::empty(offset, limit)),
            },
            None => None,
        };
        let (since, until) = q.time_window();
        let iq = IndexQuery {
            text: q.text.clone(),
            lang: q.lang.clone(),
            source_id,
            tag: q.tag.clone(),
            since,
            until,
            sort: match q.sort {
                SearchSort::Relevance => IndexSort::Relevance,
                SearchSort::Date => IndexSort::Date,
            },
            offset: offset as usize,
            limit: limit as usize,
        };
        let ranked = match on_index(&self.index, move |index| index.search(&iq)).await {
            Ok(ranked) => ranked,
            Err(e) => {
                tracing::warn!(error = %e, "search index failed a query; searching in the database");
                return Ok(self.store.search(q).await?);
            }
        };
        let items = self
            .store
            .search_log()
            .hits_for(&ranked.hits, &q.text)
            .await?;
        Ok(Page {
            items,
            total: ranked.total as i64,
            offset,
            limit,
            total_exact: true,
        })
    }

    fn position(&self, seq: i64) -> LogPosition {
        LogPosition {
            store: self.store_id.clone(),
            seq,
        }
    }

    /// Applies every change the log holds past the applied position.
    async fn catch_up(&self) -> Result<(), FollowError> {
        let head = self.store.search_log().head().await?.unwrap_or(0);
        let mut applied = self.applied.lock().await;
        while *applied < head {
            let changes = self
                .store
                .search_log()
                .changes(*applied, CHANGES_PER_ROUND)
                .await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let at = self.position(last);
            let mut seen = HashSet::new();
            let ids: Vec<i64> = changes
                .iter()
                .map(|c| c.story_id)
                .filter(|id| seen.insert(*id))
                .collect();
            let mut docs = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                docs.extend(self.store.search_log().indexable_stories(chunk).await?);
            }
            let applied_batch = on_index(&self.index, move |index| {
                let kept: HashSet<i64> = docs.iter().map(|d| d.id).collect();
                for id in ids.iter().filter(|id| !kept.contains(id)) {
                    index.remove(*id);
                }
                let written = docs
                    .iter()
                    .try_for_each(|d| index.upsert(d))
                    .and_then(|()| index.commit(&at));
                if written.is_err() {
                    let _ = index.rollback();
                }
                written
            })
            .await;
            if let Err(e) = applied_batch {
                self.damaged.store(true, Ordering::Release);
                return Err(e);
            }
            *applied = last;
        }
        Ok(())
    }

    /// Refills the index from the store: every published primary, then
    /// whatever changed while that ran.
    async fn rebuild(&self) -> Result<(), FollowError> {
        let mut applied = self.applied.lock().await;
        let head = self.store.search_log().head().await?.unwrap_or(0);
        on_index(&self.index, |index| index.clear()).await?;
        let mut after = 0;
        let mut total = 0usize;
        loop {
            let batch = self
                .store
                .search_log()
                .indexable_after(after, REBUILD_BATCH)
                .await?;
            let Some(last) = batch.last().map(|s| s.id) else {
                break;
            };
            after = last;
            total += batch.len();
            on_index(&self.index, move |index| {
                batch.into_iter().try_for_each(|s| index.add(&s))
            })
            .await?;
        }
        // Changes made during the walk sit after `head` in the log and are
        // applied next; applying one twice is harmless.
        let at = self.position(head);
        on_index(&self.index, move |index| index.commit(&at)).await?;
        *applied = head;
        tracing::info!(stories = total, "search index rebuilt");
        Ok(())
    }

    /// Forgets log entries far behind this index.
    async fn prune(&self) {
        let applied = *self.applied.lock().await;
        let upto = applied - LOG_KEPT_BEHIND;
        if upto > 0
            && let Err(e) = self.store.search_log().prune(upto).await
        {
            tracing::warn!(error = %e, "search log could not be pruned");
        }
    }
}

/// Rebuilds or catches up when asked, then applies new changes every
/// second for as long as the follower is in use.
async fn follow(follower: Weak<SearchFollower>, startup: Startup) {
    if startup != Startup::Ready {
        let Some(f) = follower.upgrade() else { return };
        let mut wait = Duration::from_secs(1);
        loop {
            let done = match startup {
                Startup::Rebuild => f.rebuild().await,
                _ => f.catch_up().await,
            };
            match done {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!(error = %e, ?startup, "search index could not be brought up to date; retrying");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(60));
                }
            }
        }
        f.ready.store(true, Ordering::Release);
        tracing::info!("search index is current");
    }
    let mut rounds: u64 = 0;
    loop {
        tokio::time::sleep(FOLLOW_EVERY).await;
        let Some(f) = follower.upgrade() else { return };
        if f.damaged.load(Ordering::Acquire) {
            f.ready.store(false, Ordering::Release);
            match f.rebuild().await {
                Ok(()) => {
                    f.damaged.store(false, Ordering::Release);
                    f.ready.store(true, Ordering::Release);
                }
                Err(e) => {
                    let _ = on_index(&f.index, |index| index.rollback()).await;
                    tracing::warn!(error = %e, "search index could not be rebuilt after a failed write; retrying");
                }
            }
        } else if let Err(e) = f.catch_up().await {
            tracing::warn!(error = %e, "search index could not apply new changes");
        }
        rounds += 1;
        if rounds.is_multiple_of(600) {
            f.prune().await;
        }
    }
}
