use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which syndication format a document was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    Rss,
    Atom,
    JsonFeed,
    Sitemap,
    SitemapIndex,
    GoogleNewsSitemap,
}

/// One item of a feed or sitemap: a pointer to an article plus whatever the
/// feed says about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// The feed's own id/guid, if any.
    pub guid: Option<String>,
    /// Absolute article URL (resolved against the feed URL).
    pub url: String,
    pub title: Option<String>,
    /// Short description or summary, as HTML or text.
    pub summary: Option<String>,
    /// Full content HTML when the feed carries it (content:encoded, atom content).
    pub content_html: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    /// Where `url` came from. Anything but [`EntryLink::Link`] means the
    /// feed gave no article link: the story is published from the feed's
    /// own text, excerpt-only, linking to whatever the feed did give.
    #[serde(default)]
    pub link_from: EntryLink,
}

/// The element of a feed item that its `url` was taken from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryLink {
    /// An article link (`<link>`, Atom `alternate`, JSON `url`, sitemap `<loc>`).
    #[default]
    Link,
    /// A `<guid isPermaLink="true">` or an id that is an http(s) URL.
    Guid,
    /// The item's enclosure (a podcast episode, a video).
    Enclosure,
    /// The feed's own site link: the item has no address of its own.
    SiteLink,
}

/// A parsed feed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedFeed {
    pub kind: FeedKind,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub language: Option<String>,
    pub entries: Vec<FeedEntry>,
    /// Child sitemaps of a sitemap index, to be fetched in turn.
    pub child_sitemaps: Vec<String>,
}
