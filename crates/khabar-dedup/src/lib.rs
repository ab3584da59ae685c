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
//!   128-value MinHash of 4-word shingles (plus title 2-shingles), the
//!   body's figures and the salient words of title and lead. Signatures
//!   serialise to a small blob ([`Signature::to_bytes`]) so the store can
//!   rebuild the index on restart without re-reading bodies.
//! * [`DedupIndex::insert`] finds candidates through LSH bands, verifies
//!   them (containment and Jaccard estimated from 8-bit MinHash values,
//!   agreement of figures for short and medium items, the headline's
//!   ticker, first words and figures for templated wire items (see
//!   `DedupConfig::named_min_figure_overlap`), publication within
//!   [`DedupConfig::copy_window_secs`]), keeps copies as one group whose
//!   primary is the most complete version, and links different reports of
//!   the same happening into an event by keyword overlap within a time
//!   window. Pure: no I/O, no clock.
//! * [`is_copy`] gives the same verdict for two signatures without an index.
//! * [`dedup_jsonl`] runs the whole thing over a jsonl file, for the CLI.
//! * [`CrossLangMatcher`] decides whether an English and a Persian report
//!   tell of the same event, from entities aligned through the bilingual
//!   gazetteer (`data/bilingual-gazetteer.toml`), figures and named days
//!   within a time window, with learned weights
//!   (`data/crosslang-weights.toml`); [`CrossLangIndex`] finds the
//!   candidates of a new report without comparing all pairs. Measured in
//!   `docs/bench/crosslang.md`.
//!
//! Measured quality and speed: `docs/bench/dedup.md`.

mod band_table;
mod boilerplate;
mod config;
mod crosslang;
mod crosslang_dates;
mod crosslang_error;
mod crosslang_figures;
mod crosslang_index;
mod error;
mod event_kinds;
mod fast_fold;
mod fast_hash;
mod gazetteer;
mod hash;
mod index;
mod jsonl;
mod keywords;
mod logistic;
mod signature;
mod wire_words;

pub use boilerplate::content_lines;
pub use config::DedupConfig;
pub use crosslang::{
    CrossLangDecision, CrossLangMatcher, CrossLangReport, FEATURE_NAMES, ReportFacts,
};
pub use crosslang_error::CrossLangError;
pub use crosslang_index::{CrossLangIndex, CrossLangMatch};
pub use error::DedupError;
pub use event_kinds::EventKinds;
pub use gazetteer::{Entity, EntityHit, Gazetteer, Lang, Tier};
pub use index::{DedupDecision, DedupIndex, GroupView, Rebuilt, StoryMeta, is_copy};
pub use jsonl::{DedupStats, dedup_jsonl, parse_time};
pub use logistic::Logistic;
pub use signature::{NUM_HASHES, SHINGLE_WORDS, Signature, containment_from_jaccard};
