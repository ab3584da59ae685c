//! Full-text search over khabar's stories, as an index beside the store.
//!
//! The store stays the truth; this crate keeps a [tantivy] index of the
//! published primary stories so a search ranks its top results without
//! visiting every match in the database. SQLite's FTS5 scores every match
//! and joins each to its story row, which grows with the store (13.5 ms for
//! a two-word query at 100,000 stories, about 10x that at 1,000,000);
//! tantivy reads posting lists and fast columns only.
//!
//! Text is analysed by one analyser ([`analyze`]) for the index, for queries
//! and for the store's own search and snippets: khabar's folding (Arabic yeh
//! and kaf to Persian, ZWNJ and diacritics dropped, digits to ASCII), Persian
//! prefixes and suffixes written apart joined to their word, Persian plural,
//! comparative and ezafe endings folded to the stem, and English accents
//! dropped and words stemmed. The crate does no network or
//! database I/O: the caller feeds it [`SearchDoc`]s and tells it up to which
//! point of which store's change log they are applied ([`StoryIndex::commit`]
//! with a [`LogPosition`]).

mod analysis;
mod analyzer;
mod error;
mod index;
mod persian;
mod query;

pub use analysis::{Term, analyze, mark_words, query_terms};
pub use error::{Result, SearchError};
pub use index::{LogPosition, StoryIndex};
pub use khabar_model::SearchDoc;
pub use query::{IndexQuery, IndexSort, Ranked};
