use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Block, Relevance, TextDirection};

/// Whether readers see a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryStatus {
    #[default]
    Published,
    /// Off topic; kept with its reason, never shown to readers.
    Rejected,
    /// Hidden by an operator.
    Hidden,
    /// Removed on a takedown request; body dropped, reason kept.
    TakenDown,
}

impl StoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryStatus::Published => "published",
            StoryStatus::Rejected => "rejected",
            StoryStatus::Hidden => "hidden",
            StoryStatus::TakenDown => "taken_down",
        }
    }
    pub const ALL: [StoryStatus; 4] = [
        StoryStatus::Published,
        StoryStatus::Rejected,
        StoryStatus::Hidden,
        StoryStatus::TakenDown,
    ];

    /// The status stored as `s`; an unknown word is an error, never
    /// "published".
    pub fn parse(s: &str) -> Result<Self, crate::UnknownName> {
        const NAMES: &[&str] = &["published", "rejected", "hidden", "taken_down"];
        crate::unknown_name::by_name(s, "story status", &Self::ALL, NAMES, Self::as_str)
    }
}

/// A story as the pipeline hands it to the store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewStory {
    pub source_id: i64,
    /// The URL as the feed gave it.
    pub url: String,
    /// Canonicalised URL (tracking parameters stripped); unique in the store.
    pub canonical_url: String,
    /// The article's own address as its page declares it (`rel=canonical`
    /// or `og:url`), when that is on the same site as the page: what the
    /// site shows and links as the original. `url` stays for dedup.
    pub declared_url: Option<String>,
    pub headline: String,
    pub dateline: Option<String>,
    pub byline: Option<String>,
    pub credits: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    pub lang: Option<String>,
    pub dir: TextDirection,
    pub blocks: Vec<Block>,
    /// Plain-text body.
    pub body_text: String,
    /// Short plain-text summary for lists and excerpt-only sources.
    pub excerpt: String,
    pub lead_image: Option<String>,
    /// Hash of the normalised body, for exact-duplicate suppression.
    pub content_hash: String,
    pub relevance: Relevance,
    pub status: StoryStatus,
    /// Id of the story this one is a copy of (dedup), if any.
    pub duplicate_of: Option<i64>,
    /// Event cluster id (related coverage), if any.
    pub event_id: Option<i64>,
    /// Republish only the excerpt, whatever the source allows: the story
    /// was built from a feed item with no article link of its own.
    pub excerpt_only: bool,
}

/// A story read back from the store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredStory {
    pub id: i64,
    pub source_id: i64,
    pub source_name: String,
    pub source_slug: String,
    /// The full text may be republished: the source allows it and the
    /// story is not excerpt-only of itself.
    pub full_text: bool,
    pub url: String,
    pub canonical_url: String,
    /// See [`NewStory::declared_url`].
    pub declared_url: Option<String>,
    pub headline: String,
    pub dateline: Option<String>,
    pub byline: Option<String>,
    pub credits: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    pub lang: Option<String>,
    pub dir: TextDirection,
    pub blocks: Vec<Block>,
    pub body_text: String,
    pub excerpt: String,
    pub lead_image: Option<String>,
    pub content_hash: String,
    pub relevance: Relevance,
    pub status: StoryStatus,
    pub duplicate_of: Option<i64>,
    pub event_id: Option<i64>,
    pub likes: i64,
    pub pinned: bool,
    /// The lead image khabar made variants of, when it accepted one.
    pub image: Option<StoryImage>,
    /// When the text was last replaced by a newer version of the same
    /// report (`None`: never revised). Feeds give it as the entry's
    /// `updated`, so readers see a story change.
    pub updated_at: Option<DateTime<Utc>>,
    /// The cross-language group: reports of the same event in other
    /// languages share it (the id of the story that started it).
    pub crosslang_id: Option<i64>,
}

/// A lead image as khabar serves it from its own address (never the
/// source's): the variant widths it has and what the page said about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryImage {
    pub id: i64,
    /// The largest variant's size.
    pub width: u32,
    pub height: u32,
    /// Variant widths, smallest first.
    pub widths: Vec<u32>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

impl StoredStory {
    /// The time to show and sort by: the publish time when known, else
    /// when khabar fetched it.
    pub fn display_time(&self) -> DateTime<Utc> {
        self.published_at.unwrap_or(self.fetched_at)
    }
}
