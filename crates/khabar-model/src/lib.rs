//! Plain data types shared by the khabar pipeline stages.
//!
//! Stages (fetch, feed, extract, topic, dedup, store, web) talk to each other
//! only through these types, so each stage can be tested, benchmarked and
//! replaced on its own. Nothing here does I/O or holds behaviour beyond small
//! conveniences.

mod article;
mod coverage;
mod failure;
mod feed;
mod outlet;
mod page_type;
mod relevance;
mod search;
mod source;
mod story;
mod unknown_name;

pub use article::{Article, Block, BlockKind, TextDirection};
pub use coverage::{Coverage, CoverageView};
pub use failure::FailureKind;
pub use feed::{EntryLink, FeedEntry, FeedKind, ParsedFeed};
pub use outlet::OutletKind;
pub use page_type::PageType;
pub use relevance::Relevance;
pub use search::SearchDoc;
pub use source::{Source, SourceKind, SourceStatus};
pub use story::{NewStory, StoredStory, StoryImage, StoryStatus};
pub use unknown_name::UnknownName;
