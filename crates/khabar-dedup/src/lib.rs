//! Stories, not copies: near-duplicate detection and story grouping.
//!
//! The same wire report appears on dozens of sites, each with its own
//! headline, furniture, trimmed ending or added paragraph, and agencies
//! re-issue a story as it develops. This crate turns that stream into
//! *groups* (copies of one report; the most complete copy is the primary)
//! and *events* (different reports of the same happening).
//!
//! * [`Signature::of`] folds the text (case, punctuation, Persian spelling,
//!   see `khabar_text`), drops furniture lines by their shape, and takes a
//!   128-value MinHash of 4-word shingles plus the salient words of title
//!   and lead. Signatures serialise to a small blob for the store.
//! * [`DedupIndex::insert`] finds candidates through LSH bands, verifies them
//!   by estimated containment and Jaccard, and links related reports by
//!   keyword overlap within a time window. Pure: no I/O, no clock.
//! * [`dedup_jsonl`] runs the whole thing over a jsonl file, for the CLI.

mod band_table;
mod boilerplate;
mod config;
mod error;
mod fast_hash;
mod hash;
mod index;
mod jsonl;
mod keywords;
mod signature;

pub use boilerplate::content_lines;
pub use config::DedupConfig;
pub use error::DedupError;
pub use index::{DedupDecision, DedupIndex, GroupView, StoryMeta, is_copy};
pub use jsonl::{DedupStats, dedup_jsonl, parse_time};
pub use signature::{NUM_HASHES, SHINGLE_WORDS, Signature, containment_from_jaccard};
