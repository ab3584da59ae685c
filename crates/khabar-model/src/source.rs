use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How khabar discovers articles of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// RSS, Atom or JSON Feed; the format is sniffed from the document.
    #[default]
    Feed,
    /// A sitemap, sitemap index or Google News sitemap.
    Sitemap,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
        }
    }

    /// The kind named `s` (stored, configured or typed); unknown is an error.
    pub fn parse(s: &str) -> Result<Self, crate::UnknownName> {
        crate::unknown_name::by_name(
            s,
            "source kind",
            &[SourceKind::Feed, SourceKind::Sitemap],
            &["feed", "sitemap"],
            Self::as_str,
        )
    }
}

/// The last poll's outcome, as shown to operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    #[default]
    New,
    Ok,
    NotModified,
    Failing,
}

impl SourceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::New => "new",
            SourceStatus::Ok => "ok",
            SourceStatus::NotModified => "not_modified",
            SourceStatus::Failing => "failing",
        }
    }
    /// The status stored as `s`; unknown is an error.
    pub fn parse(s: &str) -> Result<Self, crate::UnknownName> {
        use SourceStatus::*;
        crate::unknown_name::by_name(
            s,
            "source status",
            &[New, Ok, NotModified, Failing],
            &["new", "ok", "not_modified", "failing"],
            Self::as_str,
        )
    }
}

/// A news source and its polling state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: i64,
    /// Short unique name used on the CLI and in URLs, e.g. `bbc-persian`.
    pub slug: String,
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    /// Expected language, used when a page does not declare one.
    pub lang: Option<String>,
    /// Republish the full text (true) or only an excerpt linking to the original.
    pub full_text: bool,
    /// Every story of a dedicated source is on topic.
    pub dedicated: bool,
    /// Optional proxy URL (http, https or socks5) for this source's fetches.
    pub proxy: Option<String>,
    /// Who runs the source, for the coverage views ("reported only by
    /// state media"); the operator's call, [`crate::OutletKind::Other`] when unset.
    #[serde(default)]
    pub outlet: crate::OutletKind,
    /// The operator's note on why the source is of that kind, shown to
    /// readers on the sources page.
    #[serde(default)]
    pub outlet_note: Option<String>,
    // Polling state.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub status: SourceStatus,
    pub last_fetch_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The kind of the last error, for filtering failing sources.
    #[serde(default)]
    pub last_error_kind: Option<crate::FailureKind>,
    pub consecutive_failures: i64,
    /// Not polled again before this time (backoff, Retry-After).
    pub next_fetch_at: Option<DateTime<Utc>>,
}
