//! Topic relevance: is this story about Iran?
//!
//! Pure (no I/O), fast (one pass of tokenising and one dictionary scan per
//! story) and explainable (every decision carries a score and the evidence
//! behind it).
//!
//! A topic is configuration: a [`TopicDefinition`] (gazetteer of the
//! country, places, institutions, people and events in English and Persian,
//! competing countries, sub-topic keywords) plus a [`TopicModel`] that
//! weighs the KINDS of evidence (headline, dateline, lead, coverage of
//! paragraphs and sentences, first-mention position, share of country
//! mentions, passing mentions in lists...) learned from labelled stories by
//! [`train`]. Because weights attach to kinds of evidence, not to words, a
//! model trained on English wire copy carries over to Persian stories
//! through the Persian side of the gazetteer.
//!
//! ```
//! use khabar_topic::{TopicClassifier, TopicInput, TopicSettings};
//!
//! // Build once (about a millisecond), share across threads.
//! let classifier = TopicClassifier::iran().with_settings(TopicSettings {
//!     exclude_terms: vec!["horoscope".into()],
//!     ..TopicSettings::default()
//! });
//! let r = classifier.classify(&TopicInput {
//!     title: "Rial slides as Majlis debates budget",
//!     dateline: Some("TEHRAN (Reuters) -"),
//!     body: "The currency fell to a record low in Tehran on Sunday.",
//!     lang: Some("en"),
//!     dedicated_source: false,
//! });
//! assert!(r.relevant);
//! assert!(r.reasons.iter().any(|x| x.starts_with("dateline names \"Tehran\"")));
//! assert!(r.tags.contains(&"sanctions-economy".to_string()));
//! ```
//!
//! Decisions on operator overrides: an exclude term wins over everything
//! (score 0), then a dedicated source, then an include term (score 1); the
//! model's own score is kept in the reasons.

mod classifier;
mod definition;
mod document;
mod editorial;
mod error;
mod evidence;
mod jsonl;
mod lexicon;
mod model;
mod settings;
mod train;

pub use classifier::{TopicClassifier, TopicInput};
pub use definition::{
    ACTOR_KINDS, Actor, ActorFile, Gazetteer, IRAN_ACTORS_TOML, IRAN_DEFINITION_TOML,
    TopicDefinition,
};
pub use editorial::{
    Spread, VALIDATION_PERCENT, apply_editorial_labels, cross_validate_by_id, fnv1a, fold_spread,
    is_validation, read_editorial_labels, split_fit_validation,
};
pub use error::TopicError;
pub use evidence::FEATURE_NAMES;
pub use jsonl::{ClassifyStats, LabelRule, classify_jsonl, read_labelled_jsonl};
pub use model::{IRAN_MODEL_JSON, LABEL_STANDARD, MODEL_FORMAT, TopicModel, TrainingSummary};
pub use settings::TopicSettings;
pub use train::cv::{
    CvReport, Prediction, Scores, cross_validate, cross_validate_shuffled, evaluate,
};
pub use train::{LabelledStory, TrainOptions, train};
