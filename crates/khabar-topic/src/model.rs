use serde::{Deserialize, Serialize};

use crate::TopicError;
use crate::definition::TopicDefinition;
use crate::evidence::FEATURE_NAMES;

/// The model file format version this build reads and writes.
pub const MODEL_FORMAT: u32 = 2;

/// The label standard this build's models are trained on: the site's
/// editorial standard for "about Iran" (shared/corpus/README.md), by the
/// labels of `editorial-train.jsonl`. A model trained on another standard
/// (Reuters `places`, format 1) is refused.
pub const LABEL_STANDARD: &str = "editorial-2026";

/// The shipped Iran model, trained on Reuters-21578 `train.jsonl` labelled
/// by the editorial standard (`editorial-train.jsonl`) by `train`
/// with [`crate::TrainOptions::default`] (the `train_topic` example).
pub const IRAN_MODEL_JSON: &str = include_str!("../models/iran.json");

/// A trained topic model: the definition it was trained with (so a model
/// file is self-contained), one weight per kind of evidence, and a small
/// vocabulary of context words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicModel {
    pub format: u32,
    pub definition: TopicDefinition,
    /// Structural feature names, in weight order.
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// Context words (folded) and their weights; they only count in
    /// stories that mention the topic.
    pub vocabulary: Vec<(String, f32)>,
    /// Default decision threshold on the score.
    pub threshold: f32,
    /// Share of stories about the topic expected in the press of a
    /// language (primary subtag -> probability). The training corpus sets
    /// the base rate (Reuters 1987: 0.7% of English wire stories are about
    /// Iran); the Persian-language press writes about Iran far more often,
    /// and Bayes says the same evidence then means more. Languages not
    /// listed keep the training base rate.
    #[serde(default)]
    pub language_priors: std::collections::BTreeMap<String, f32>,
    /// What "relevant" meant in the training labels (see [`LABEL_STANDARD`]).
    #[serde(default)]
    pub label_standard: String,
    pub training: TrainingSummary,
}

/// What a model was trained on, for the record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSummary {
    pub stories: usize,
    pub relevant: usize,
    pub l2: f32,
    pub vocab_l2: f32,
    pub vocab_size: usize,
}

impl TopicModel {
    /// Log-odds to add for a story in `lang` (see `language_priors`).
    pub fn prior_shift(&self, lang: &str) -> f32 {
        let Some(&p) = self.language_priors.get(lang) else {
            return 0.0;
        };
        let base = self.training.relevant as f32 / self.training.stories.max(1) as f32;
        if base <= 0.0 || base >= 1.0 {
            return 0.0;
        }
        let logit = |q: f32| (q / (1.0 - q)).ln();
        logit(p) - logit(base)
    }

    /// The model as a JSON document (pretty-printed so a model change
    /// reads as a diff in review).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Reads and checks a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<TopicModel, TopicError> {
        // The label standard first: an old model fails on it with the
        // reason that matters, not on a field it lacks.
        #[derive(Deserialize)]
        struct Head {
            #[serde(default)]
            format: u32,
            #[serde(default)]
            label_standard: String,
        }
        let head: Head =
            serde_json::from_slice(bytes).map_err(|e| TopicError::Model(e.to_string()))?;
        if head.label_standard != LABEL_STANDARD {
            let was = if head.label_standard.is_empty() {
                "Reuters `places` (a format-1 model)".to_string()
            } else {
                format!("\"{}\"", head.label_standard)
            };
            return Err(TopicError::Model(format!(
                "trained on the label standard {was}, not the editorial standard \"{LABEL_STANDARD}\" this build uses; retrain it with the editorial labels (topic_cv/train_topic --labels editorial-train.jsonl)"
            )));
        }
        let _ = head.format;
        let model: TopicModel =
            serde_json::from_slice(bytes).map_err(|e| TopicError::Model(e.to_string()))?;
        if model.format != MODEL_FORMAT {
            return Err(TopicError::Model(format!(
                "format {} is not supported (this build reads {MODEL_FORMAT})",
                model.format
            )));
        }
        if model.features != FEATURE_NAMES || model.weights.len() != FEATURE_NAMES.len() {
            return Err(TopicError::Model(
                "feature set differs from this build's; retrain the model".into(),
            ));
        }
        let finite = model
            .weights
            .iter()
            .chain(model.vocabulary.iter().map(|(_, w)| w))
            .all(|w| w.is_finite());
        let priors_ok = model.language_priors.values().all(|p| *p > 0.0 && *p < 1.0);
        if !finite
            || !priors_ok
            || !model.bias.is_finite()
            || !(0.0..=1.0).contains(&model.threshold)
        {
            return Err(TopicError::Model(
                "weights or threshold out of range".into(),
            ));
        }
        Ok(model)
    }
}
