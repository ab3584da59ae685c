use khabar_model::Relevance;
use rustc_hash::FxHashMap;

use crate::document::Document;
use crate::evidence::{self, Compiled, Evidence};
use crate::lexicon::Lexicon;
use crate::model::{IRAN_MODEL_JSON, TopicModel};
use crate::{TopicError, TopicSettings};
use reasons::explain;

/// Why a story scored as it did, in the operator's words.
mod reasons;

/// One story to classify.
#[derive(Debug, Clone, Copy, Default)]
pub struct TopicInput<'a> {
    pub title: &'a str,
    /// Wire dateline ("TEHRAN (Reuters) -"); when `None` a leading dateline
    /// in the body is recognised.
    pub dateline: Option<&'a str>,
    pub body: &'a str,
    /// BCP-47 language. Selects the model's language prior (see
    /// [`TopicModel::language_priors`]); when `None`, text mostly in Arabic
    /// script counts as Persian. The evidence itself is language-neutral.
    pub lang: Option<&'a str>,
    /// The story comes from a source dedicated to the topic.
    pub dedicated_source: bool,
}

/// Decides whether stories are about the topic, with score and reasons.
/// Immutable after construction, so one instance serves all threads.
pub struct TopicClassifier {
    model: TopicModel,
    compiled: Compiled,
    vocab: FxHashMap<String, u32>,
    vocab_weights: Vec<f32>,
    vocab_words: Vec<String>,
    settings: TopicSettings,
    include: Lexicon,
    exclude: Lexicon,
}

/// Everything the model computed about one story, before overrides.
pub(crate) struct Scored {
    pub doc: Document,
    /// Language whose prior applied, and the log-odds it added.
    pub prior: Option<(String, f32)>,
    pub ev: Evidence,
    pub vocab_hits: Vec<u32>,
    pub z: f32,
}

pub(crate) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// Primary language subtag of a story: the caller's, else `fa` for text
/// mostly in Arabic script (Persian sources are the ones khabar follows),
/// else `en`.
fn story_language(input: &TopicInput) -> String {
    if let Some(l) = input.lang {
        let primary = l
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !primary.is_empty() {
            return primary;
        }
    }
    // Majority script of the first 200 letters (headline first).
    let (mut arabic, mut latin) = (0u32, 0u32);
    for c in input
        .title
        .chars()
        .chain(input.body.chars())
        .filter(|c| c.is_alphabetic())
        .take(200)
    {
        match c as u32 {
            0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => arabic += 1,
            _ => latin += 1,
        }
    }
    if arabic > latin {
        "fa".into()
    } else {
        "en".into()
    }
}

impl TopicClassifier {
    /// The shipped Iran model with default settings.
    pub fn iran() -> TopicClassifier {
        // The model is compiled in and checked by the tests, so this
        // cannot fail at run time.
        let model = TopicModel::from_bytes(IRAN_MODEL_JSON.as_bytes())
            .expect("embedded models/iran.json is valid");
        Self::from_model(model, TopicSettings::default())
    }

    pub fn from_model_bytes(
        bytes: &[u8],
        settings: TopicSettings,
    ) -> Result<TopicClassifier, TopicError> {
        Ok(Self::from_model(TopicModel::from_bytes(bytes)?, settings))
    }

    pub fn from_model(model: TopicModel, settings: TopicSettings) -> TopicClassifier {
        let compiled = Compiled::new(&model.definition);
        let mut vocab = FxHashMap::default();
        let mut vocab_weights = Vec::with_capacity(model.vocabulary.len());
        let mut vocab_words = Vec::with_capacity(model.vocabulary.len());
        for (word, w) in &model.vocabulary {
            if let Some(key) = evidence::vocab_key(word)
                && !vocab.contains_key(&key)
            {
                vocab.insert(key.clone(), vocab_weights.len() as u32);
                vocab_weights.push(*w);
                vocab_words.push(key);
            }
        }
        TopicClassifier {
            model,
            compiled,
            vocab,
            vocab_weights,
            vocab_words,
            settings: TopicSettings::default(),
            include: Lexicon::default(),
            exclude: Lexicon::default(),
        }
        .with_settings(settings)
    }

    pub fn with_settings(mut self, settings: TopicSettings) -> Self {
        self.include = Lexicon::default();
        self.exclude = Lexicon::default();
        for (i, t) in settings.include_terms.iter().enumerate() {
            self.include.add(t, i as u32);
        }
        for (i, t) in settings.exclude_terms.iter().enumerate() {
            self.exclude.add(t, i as u32);
        }
        self.settings = settings;
        self
    }

    pub fn model(&self) -> &TopicModel {
        &self.model
    }

    pub fn settings(&self) -> &TopicSettings {
        &self.settings
    }

    /// The threshold in force: the operator's, else the model's.
    pub fn threshold(&self) -> f32 {
        self.settings
            .threshold
            .unwrap_or(self.model.threshold)
            .clamp(0.0, 1.0)
    }

    pub(crate) fn score_parts(&self, input: &TopicInput) -> Scored {
        let doc = Document::new(input.title, input.dateline, input.body);
        let ev = evidence::gather(&self.compiled, &doc);
        let vocab_hits = evidence::vocab_hits(&self.vocab, &doc, &ev);
        let mut z = self.model.bias;
        for (w, x) in self.model.weights.iter().zip(ev.x.iter()) {
            z += w * x;
        }
        for &h in &vocab_hits {
            z += self.vocab_weights[h as usize];
        }
        let lang = story_language(input);
        let shift = self.model.prior_shift(&lang);
        let prior = (shift != 0.0).then_some((lang, shift));
        z += shift;
        Scored {
            doc,
            prior,
            ev,
            vocab_hits,
            z,
        }
    }

    /// Score only, without reasons or tags (for training and evaluation).
    pub fn score(&self, input: &TopicInput) -> f32 {
        sigmoid(self.score_parts(input).z)
    }

    pub fn classify(&self, input: &TopicInput) -> khabar_model::Relevance {
        let s = self.score_parts(input);
        let model_score = sigmoid(s.z);
        let threshold = self.threshold();
        let mut relevant = model_score >= threshold;
        let mut score = model_score;
        let mut reasons = explain(self, &s);
        let name = &self.compiled.topic_name;

        let first_term = |lex: &Lexicon, terms: &[String]| {
            let mut found = None;
            if !lex.is_empty() {
                lex.scan(&s.doc, |m| {
                    found.get_or_insert(m.payload as usize);
                });
            }
            found.and_then(|i| terms.get(i).cloned())
        };
        let excluded = first_term(&self.exclude, &self.settings.exclude_terms);
        let included = first_term(&self.include, &self.settings.include_terms);
        let forced = if let Some(t) = excluded {
            relevant = false;
            score = 0.0;
            Some(format!("operator exclude term \"{t}\" present"))
        } else if input.dedicated_source {
            relevant = true;
            score = 1.0;
            Some(format!("source is dedicated to {name}"))
        } else if let Some(t) = included {
            relevant = true;
            score = 1.0;
            Some(format!("operator include term \"{t}\" present"))
        } else {
            None
        };
        if let Some(f) = forced {
            reasons.insert(0, f);
            reasons.push(format!(
                "model score {model_score:.2} (threshold {threshold:.2}) overridden"
            ));
        }
        let tags = if relevant {
            self.compiled.tags(&s.doc)
        } else {
            Vec::new()
        };
        Relevance {
            relevant,
            score,
            reasons,
            tags,
        }
    }

    pub(crate) fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    pub(crate) fn vocab_word(&self, idx: u32) -> (&str, f32) {
        (
            &self.vocab_words[idx as usize],
            self.vocab_weights[idx as usize],
        )
    }
}
