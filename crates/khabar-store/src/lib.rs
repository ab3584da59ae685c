//! The khabar store: sources, stories, likes and search behind one API.
//!
//! SQLite (embedded, the default) and PostgreSQL (scale-out) sit behind the
//! one [`Store`] type; callers never see which. Both schemas are kept column
//! for column identical (times are unix seconds in both), so almost every SQL
//! statement is written once with `$N` placeholders and run on either pool;
//! only full-text search differs (FTS5 vs tsvector). All queries are checked
//! at run time (no `DATABASE_URL` at build time).
//!
//! The [`Store`] itself answers for stories: insert, lists, moderation,
//! grouping, tags, likes, counts, search. Each other concern is a small
//! view borrowed from it, so a reader holds one concern at a time:
//! [`Store::sources`] ([`Sources`]: rows, polls, fetch log, health),
//! [`Store::jobs`] ([`Jobs`]: leased polls, article jobs, host slots),
//! [`Store::search_log`] ([`SearchLog`]: the change log search indexes
//! follow), [`Store::deliveries`] ([`Deliveries`]: push-out) and
//! [`Store::images`] ([`Images`]: lead images and their refusals).

mod connect;
mod coverage;
mod error;
mod fts;
mod grouping;
mod images;
mod jobs;
mod locks;
mod migrate;
mod push;
mod row;
mod search;
mod search_log;
mod snippet;
mod source_row;
mod sources;
mod sql;
mod sqlite_faults;
mod stories;
mod tags;
mod time;
mod types;

pub use error::{Result, StoreError};
pub use grouping::{CrossLangRow, GroupingWrites};
pub use images::{ImageRecord, Images, NewImage, NewImageVariant, RefusedImage, StoredVariant};
pub use jobs::{EntryJob, JobCounts, Jobs};
pub use khabar_model::{
    NewStory, SearchDoc, Source, SourceKind, SourceStatus, StoredStory, StoryStatus,
};
pub use locks::GroupingLock;
pub use push::{
    Deliveries, Delivery, DeliveryCounts, DeliveryKind, DeliveryOutcome, DeliveryRecord,
    DeliveryStats,
};
pub use search_log::{SearchChange, SearchLog};
pub use snippet::snippet_html;
pub use sources::Sources;
pub use tags::tag_slug;
pub use types::{
    Backend, DedupRecord, FetchLogEntry, FetchRecord, InsertOutcome, MigrateReport, Page,
    SearchHit, SearchQuery, SearchSort, SourceHealth, SourceSpec, StoreCounts, StoryOrder,
    StoryQuery, StoryStamp,
};

use sqlx::{PgPool, SqlitePool};

/// Handle to the store. Cheap to clone: it holds a connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// The connect URL with any password redacted, for error messages and logs.
    url: String,
    /// The SQLite database file, when there is one.
    sqlite_file: Option<std::path::PathBuf>,
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Opens `sqlite://path/to/khabar.db` (file and parent directories created
    /// if missing; WAL, foreign keys, busy timeout), `sqlite::memory:` or
    /// `postgres://…`, and runs that backend's migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        connect::connect(url).await
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL this store was opened with, password redacted.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The embedded store's database file (`None` in memory and on
    /// PostgreSQL); derived data such as the search index lives beside it.
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        self.sqlite_file.as_deref()
    }

    /// Refreshes the query planner's statistics (SQLite `PRAGMA optimize`,
    /// PostgreSQL `VACUUM (ANALYZE)` of the store's tables). Worth calling after a bulk import or migration,
    /// and now and then (e.g. daily) from the pipeline.
    pub async fn optimize(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query("PRAGMA optimize=0x10002").execute(p).await?;
            }
            Pool::Postgres(p) => {
                // VACUUM sets the visibility map, which index-only scans (list counts) need.
                // Simple-protocol call: VACUUM cannot run as a prepared statement.
                sqlx::raw_sql(
                    "VACUUM (ANALYZE) sources, stories, story_tags, story_search, likes, fetch_log",
                )
                .execute(p)
                .await?;
            }
        }
        Ok(())
    }

    /// Waits for in-flight queries and closes every connection (SQLite then
    /// checkpoints its WAL into the main file).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}
