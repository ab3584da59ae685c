//! Request and answer types of the store API (see notes/store-api.md).

use chrono::{DateTime, NaiveDate, Utc};
use khabar_model::{Source, SourceKind, SourceStatus, StoredStory, StoryStatus};
use serde::{Deserialize, Serialize};

/// Which database a [`crate::Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The operator-editable part of a source (config file / CLI). Polling
/// state is never part of it, so re-reading the config does not reset backoff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceSpec {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    pub lang: Option<String>,
    pub full_text: bool,
    pub dedicated: bool,
    pub proxy: Option<String>,
    /// See [`khabar_model::Source::outlet`].
    pub outlet: khabar_model::OutletKind,
    pub outlet_note: Option<String>,
}

/// The outcome of one poll of a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchRecord {
    pub at: DateTime<Utc>,
    pub status: SourceStatus,
    pub http_status: Option<u16>,
    pub error: Option<String>,
    /// New validators; `None` keeps the stored ones.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_fetch_at: Option<DateTime<Utc>>,
    pub consecutive_failures: i64,
    pub items_seen: i64,
    pub stories_added: i64,
    pub duration_ms: i64,
    /// What a successful poll had to leave out: the document was cut short
    /// (the items before the cut were kept), items skipped and why.
    pub note: Option<String>,
    /// The kind of `error`, when the poll failed.
    pub error_kind: Option<khabar_model::FailureKind>,
}

/// One row of a source's fetch log (the last 50 polls are kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchLogEntry {
    pub id: i64,
    pub source_id: i64,
    pub at: DateTime<Utc>,
    pub status: SourceStatus,
    pub http_status: Option<u16>,
    pub error: Option<String>,
    pub items_seen: i64,
    pub stories_added: i64,
    pub duration_ms: i64,
    pub note: Option<String>,
    pub error_kind: Option<khabar_model::FailureKind>,
}

/// What an operator needs to judge a source: volume, freshness and whether
/// extraction still works on its pages (a site redesign shows up here first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    pub source: Source,
    pub published: i64,
    pub rejected: i64,
    pub total: i64,
    /// When the newest story of this source was fetched.
    pub last_story_at: Option<DateTime<Utc>>,
    /// Number of recent stories the shares below are computed over (at most 50).
    pub recent: i64,
    /// Share of recent stories whose body has at least 80 words.
    pub share_plausible_body: f32,
    pub share_dated: f32,
    pub share_bylined: f32,
}

/// Result of [`crate::Store::insert_story`]: inserting the same canonical URL twice is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InsertOutcome {
    Inserted(i64),
    Existing(i64),
}

impl InsertOutcome {
    pub fn id(self) -> i64 {
        match self {
            InsertOutcome::Inserted(id) | InsertOutcome::Existing(id) => id,
        }
    }
    pub fn is_new(self) -> bool {
        matches!(self, InsertOutcome::Inserted(_))
    }
}

/// Order of a story list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryOrder {
    /// Pinned first, then newest (published time, else fetch time).
    #[default]
    Latest,
    /// Stories reported by more outlets (copies + same event) first, then newest.
    EventSize,
}

/// A filtered, paged list of stories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryQuery {
    /// Empty means `[Published]`.
    pub statuses: Vec<StoryStatus>,
    /// `fa` also matches `fa-IR`.
    pub lang: Option<String>,
    pub source_slug: Option<String>,
    pub tag: Option<String>,
    /// One UTC day of the display time.
    pub day: Option<NaiveDate>,
    /// Inclusive UTC day range of the display time.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// false: only primaries (`duplicate_of IS NULL`).
    pub include_copies: bool,
    /// Only the stories of this coverage view (who carried them).
    pub coverage: Option<khabar_model::CoverageView>,
    pub order: StoryOrder,
    pub offset: i64,
    pub limit: i64,
}

impl Default for StoryQuery {
    fn default() -> Self {
        StoryQuery {
            statuses: vec![StoryStatus::Published],
            lang: None,
            source_slug: None,
            tag: None,
            day: None,
            from: None,
            to: None,
            include_copies: false,
            coverage: None,
            order: StoryOrder::Latest,
            offset: 0,
            limit: 20,
        }
    }
}

/// What changes a story page without moving the store generation, read
/// together with that generation ([`crate::Store::story_stamp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryStamp {
    pub generation: i64,
    pub likes: i64,
}

/// One page of results plus the total number of matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The number of matches, or with `total_exact == false` a lower bound:
    /// counting every match of a broad search (or a tag list) would cost as
    /// much as the search itself, so such counts stop at a cap well past the page.
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    /// false when `total` stopped at the cap ("1,000+ results").
    #[serde(default = "exact_by_default")]
    pub total_exact: bool,
}

fn exact_by_default() -> bool {
    true
}

impl<T> Page<T> {
    /// A page with nothing on it and nothing matched (a search without
    /// words, a filter on a source that does not exist).
    pub fn empty(offset: i64, limit: i64) -> Page<T> {
        Page {
            items: Vec::new(),
            total: 0,
            offset,
            limit,
            total_exact: true,
        }
    }
}

/// Order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    #[default]
    Relevance,
    Date,
}

/// A full-text search over published primary stories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub text: String,
    pub lang: Option<String>,
    pub source_slug: Option<String>,
    pub tag: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: SearchSort,
    pub offset: i64,
    pub limit: i64,
}

impl SearchQuery {
    /// The page size a search actually uses (20 when unset, at most the store's cap).
    pub fn page_limit(&self) -> i64 {
        crate::stories::clamp_limit(self.limit)
    }

    /// The `from`–`to` filter as Unix seconds: since (inclusive), until
    /// (exclusive); both days are included whole, as in the store's search.
    pub fn time_window(&self) -> (Option<i64>, Option<i64>) {
        crate::stories::day_window(self.from, self.to)
    }
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            lang: None,
            source_slug: None,
            tag: None,
            from: None,
            to: None,
            sort: SearchSort::Relevance,
            offset: 0,
            limit: 20,
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub story: StoredStory,
    /// Safe HTML: HTML-escaped text from the original body with matches in `<mark>…</mark>`.
    pub snippet_html: String,
    /// Higher is better; only comparable within one result list.
    pub rank: f32,
}

/// Story and source totals for the admin overview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreCounts {
    pub published: i64,
    pub rejected: i64,
    pub hidden: i64,
    pub taken_down: i64,
    pub total_stories: i64,
    /// Primaries among published stories (what the front page lists).
    pub published_primaries: i64,
    /// Active (not removed) sources.
    pub sources: i64,
    pub likes: i64,
}

/// What [`crate::Store::migrate_to`] copied; every count was verified on the target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrateReport {
    pub sources: u64,
    pub stories: u64,
    pub tags: u64,
    pub versions: u64,
    pub likes: u64,
    pub fetch_log: u64,
    pub moderation_log: u64,
}

/// One saved dedup signature with its place in the index's insertion order.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupRecord {
    pub seq: i64,
    pub story_id: i64,
    pub signature: Vec<u8>,
    pub published_unix: Option<i64>,
    pub body_chars: i64,
}
