//! Learning the weight of each kind of evidence from labelled stories:
//! L2-regularised logistic regression solved by Newton's method, over a few
//! structural features plus a small vocabulary of context words.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::TopicError;
use crate::definition::TopicDefinition;
use crate::document::Document;
use crate::evidence::{
    self, Compiled, F_DATELINE, F_PASSING, F_PASSING_PHRASE, F_WEAK, FEATURE_NAMES, FEATURE_SIGNS,
    N_FEATURES,
};
use crate::model::{MODEL_FORMAT, TopicModel, TrainingSummary};

/// Cross-validation: training on folds and scoring the held-out ones.
pub(crate) mod cv;

/// A story with its label.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelledStory {
    pub id: String,
    pub title: String,
    pub dateline: Option<String>,
    pub body: String,
    pub relevant: bool,
}

/// Training knobs. The defaults produced the shipped model.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub definition: TopicDefinition,
    /// L2 penalty on structural feature weights.
    pub l2: f64,
    /// L2 penalty on context-word weights; strong, so a word needs many
    /// stories behind it to matter.
    pub vocab_l2: f64,
    /// How many context words to learn (0 = none).
    pub vocab_size: usize,
    /// A context word must occur in this many topic-mentioning stories.
    pub vocab_min_df: usize,
    /// Decision threshold written into the model (unless `threshold_folds`
    /// chooses it).
    pub threshold: f32,
    /// When 2 or more: choose the threshold by an inner cross-validation
    /// of this many folds over the training stories only (the F1-best
    /// point of a grid, ties to the one nearest 0.5), so a held-out fold
    /// never sees its own threshold chosen on it. 0 = use `threshold`.
    pub threshold_folds: usize,
    /// Weight of the `weak` feature, fixed rather than learned: weak terms
    /// are Persian-press words an English corpus never shows.
    pub weak_weight: f32,
    /// Weight of the `passing` feature, fixed: the site's editorial rule
    /// ("a story that only mentions Iran in passing does not belong")
    /// rather than Reuters' indexing, which often lists every country a
    /// table names.
    pub passing_weight: f32,
    /// Weight of the `dateline` feature when the training stories never
    /// show a topic place in a dateline (Reuters 1987 has no Tehran
    /// dateline; today's wires do): a prior, not a guess of zero. A
    /// dateline is where the reporter stands, so the prior is strong
    /// enough that a Tehran dateline alone, with the place named once,
    /// passes the default threshold.
    pub dateline_prior: f32,
    /// Weight of the `passing_phrase` feature when the training stories
    /// never show one (Iranian-American, Persian rug): a prior against.
    pub passing_phrase_prior: f32,
    /// Written into the model as [`TopicModel::language_priors`].
    pub language_priors: BTreeMap<String, f32>,
    /// The label standard of the training stories, written into the model
    /// (see [`crate::LABEL_STANDARD`]).
    pub label_standard: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            definition: TopicDefinition::iran(),
            l2: 1.0,
            vocab_l2: 8.0,
            vocab_size: 450,
            vocab_min_df: 3,
            threshold: 0.5,
            threshold_folds: 0,
            weak_weight: 3.0,
            passing_weight: -4.0,
            dateline_prior: 5.0,
            passing_phrase_prior: -3.0,
            label_standard: crate::model::LABEL_STANDARD.to_string(),
            // A conservative guess: one Persian-language story in ten is
            // about Iran (outlets inside Iran: most; diaspora and
            // international Persian services: many).
            language_priors: BTreeMap::from([("fa".to_string(), 0.1)]),
        }
    }
}

/// One training row: structural features, context-word indices.
struct Row {
    x: [f32; N_FEATURES],
    vocab_tokens: Vec<String>,
    mentions: bool,
    relevant: bool,
}

fn rows(stories: &[LabelledStory], compiled: &Compiled) -> Vec<Row> {
    stories
        .iter()
        .map(|s| {
            let doc = Document::new(&s.title, s.dateline.as_deref(), &s.body);
            let ev = evidence::gather(compiled, &doc);
            let mut vocab_tokens = Vec::new();
            if ev.mentions > 0 {
                vocab_tokens = evidence::context_tokens(&doc, &ev)
                    .map(str::to_string)
                    .collect();
                vocab_tokens.sort_unstable();
                vocab_tokens.dedup();
            }
            Row {
                x: ev.x,
                vocab_tokens,
                mentions: ev.mentions > 0,
                relevant: s.relevant,
            }
        })
        .collect()
}

/// Words that tell relevant from irrelevant among stories that mention the
/// topic: smoothed log-odds of document frequency, times the square root
/// of support so rare words need a very lopsided split.
fn select_vocabulary(rows: &[Row], options: &TrainOptions, topic_terms: &[String]) -> Vec<String> {
    if options.vocab_size == 0 {
        return Vec::new();
    }
    let mut df: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
    let (mut npos, mut nneg) = (0f64, 0f64);
    for r in rows.iter().filter(|r| r.mentions) {
        if r.relevant {
            npos += 1.0
        } else {
            nneg += 1.0
        }
        for t in &r.vocab_tokens {
            let e = df.entry(t.as_str()).or_default();
            if r.relevant { e.0 += 1 } else { e.1 += 1 }
        }
    }
    let mut scored: Vec<(f64, &str)> = df
        .into_iter()
        .filter(|(t, (p, n))| {
            (p + n) as usize >= options.vocab_min_df
                && t.chars().count() >= 3
                && t.chars().all(|c| c.is_alphabetic())
                && !topic_terms.iter().any(|k| k == t)
        })
        .map(|(t, (p, n))| {
            let lp = ((p as f64 + 0.5) / (npos + 1.0)).ln();
            let ln = ((n as f64 + 0.5) / (nneg + 1.0)).ln();
            ((lp - ln).abs() * ((p + n) as f64).sqrt(), t)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(options.vocab_size)
        .map(|(_, t)| t.to_string())
        .collect()
}

/// Identical rows merged, with their counts of relevant and irrelevant
/// stories: most stories never mention the topic and share one row.
struct Group {
    /// (parameter index, value); index 0 is the bias.
    x: Vec<(usize, f64)>,
    offset: f64,
    pos: f64,
    neg: f64,
}

/// Which structural features are learned and which have fixed weights:
/// `weak` always (see [`TrainOptions::weak_weight`]), and any feature the
/// training stories never show (its prior: `dateline_prior` for the
/// dateline, else 0).
struct Layout {
    /// Feature -> parameter index (index 0 is the bias), or fixed weight.
    slot: [Result<usize, f64>; N_FEATURES],
    n_struct: usize,
}

impl Layout {
    fn new(rows: &[Row], options: &TrainOptions, zeroed: &[bool; N_FEATURES]) -> Layout {
        let mut slot = [Err(0.0); N_FEATURES];
        let mut next = 1;
        for (f, s) in slot.iter_mut().enumerate() {
            let seen = rows.iter().any(|r| r.x[f] != 0.0);
            *s = if f == F_WEAK {
                Err(options.weak_weight as f64)
            } else if f == F_PASSING {
                Err(options.passing_weight as f64)
            } else if zeroed[f] {
                Err(0.0)
            } else if !seen {
                Err(match f {
                    F_DATELINE => options.dateline_prior as f64,
                    F_PASSING_PHRASE => options.passing_phrase_prior as f64,
                    _ => 0.0,
                })
            } else {
                next += 1;
                Ok(next - 1)
            };
        }
        Layout {
            slot,
            n_struct: next,
        }
    }
}

fn groups(rows: &[Row], vocab: &[String], layout: &Layout) -> Vec<Group> {
    let index: FxHashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();
    let mut map: BTreeMap<Vec<u64>, Group> = BTreeMap::new();
    for r in rows {
        let mut x = vec![(0usize, 1.0f64)];
        let mut offset = 0.0;
        for (f, &v) in r.x.iter().enumerate() {
            if v == 0.0 {
                continue;
            }
            match layout.slot[f] {
                Ok(p) => x.push((p, v as f64)),
                Err(w) => offset += w * v as f64,
            }
        }
        let mut vh: Vec<usize> = r
            .vocab_tokens
            .iter()
            .filter_map(|t| index.get(t.as_str()).copied())
            .collect();
        vh.sort_unstable();
        for v in vh {
            x.push((layout.n_struct + v, 1.0));
        }
        let key: Vec<u64> = x
            .iter()
            .flat_map(|(i, v)| [*i as u64, v.to_bits()])
            .chain([offset.to_bits()])
            .collect();
        let g = map.entry(key).or_insert(Group {
            x,
            offset,
            pos: 0.0,
            neg: 0.0,
        });
        if r.relevant {
            g.pos += 1.0
        } else {
            g.neg += 1.0
        }
    }
    map.into_values().collect()
}

/// Solves `a x = b` for symmetric positive definite `a` (Cholesky).
fn solve_spd(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k * n + i] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    true
}

fn newton(groups: &[Group], n: usize, l2: &[f64]) -> Result<Vec<f64>, TopicError> {
    let mut w = vec![0.0f64; n];
    for _ in 0..100 {
        let mut g: Vec<f64> = (0..n).map(|i| l2[i] * w[i]).collect();
        let mut h = vec![0.0f64; n * n];
        for i in 0..n {
            h[i * n + i] = l2[i].max(1e-6);
        }
        for gr in groups {
            let z: f64 = gr.offset + gr.x.iter().map(|(i, v)| w[*i] * v).sum::<f64>();
            let p = 1.0 / (1.0 + (-z).exp());
            let cnt = gr.pos + gr.neg;
            let r = cnt * p - gr.pos;
            let s = cnt * p * (1.0 - p);
            for &(i, vi) in &gr.x {
                g[i] += r * vi;
                for &(j, vj) in &gr.x {
                    h[i * n + j] += s * vi * vj;
                }
            }
        }
        if !solve_spd(&mut h, &mut g, n) {
            return Err(TopicError::Training(
                "Newton step failed (singular Hessian)".into(),
            ));
        }
        let mut step = 0.0f64;
        for i in 0..n {
            w[i] -= g[i];
            step = step.max(g[i].abs());
        }
        if step < 1e-9 {
            break;
        }
    }
    Ok(w)
}

/// Trains a topic model on labelled stories.
pub fn train(stories: &[LabelledStory], options: &TrainOptions) -> Result<TopicModel, TopicError> {
    let relevant = stories.iter().filter(|s| s.relevant).count();
    if relevant == 0 || relevant == stories.len() {
        return Err(TopicError::Training(
            "need both relevant and irrelevant stories".into(),
        ));
    }
    let threshold = if options.threshold_folds >= 2 {
        inner_threshold(stories, options)?
    } else {
        options.threshold
    };
    let compiled = Compiled::new(&options.definition);
    let rows = rows(stories, &compiled);
    let g = &options.definition.gazetteer;
    let topic_terms: Vec<String> = [&g.country, &g.place, &g.institution, &g.person, &g.event]
        .into_iter()
        .flatten()
        .filter_map(|t| evidence::vocab_key(t))
        .collect();
    let vocab = select_vocabulary(&rows, options, &topic_terms);
    // Fit; any weight with the wrong sign is fixed at zero and the rest
    // refitted, until all signs agree with FEATURE_SIGNS.
    let mut zeroed = [false; N_FEATURES];
    let (layout, w) = loop {
        let layout = Layout::new(&rows, options, &zeroed);
        let groups = groups(&rows, &vocab, &layout);
        let n = layout.n_struct + vocab.len();
        let mut l2 = vec![options.l2; n];
        l2[0] = 0.0;
        for v in l2.iter_mut().skip(layout.n_struct) {
            *v = options.vocab_l2;
        }
        let w = newton(&groups, n, &l2)?;
        let wrong = (0..N_FEATURES).find(|&f| match layout.slot[f] {
            Ok(p) => (FEATURE_SIGNS[f] as f64) * w[p] < 0.0,
            Err(_) => false,
        });
        match wrong {
            Some(f) => zeroed[f] = true,
            None => break (layout, w),
        }
    };
    let mut weights = vec![0.0f32; N_FEATURES];
    for (f, wt) in weights.iter_mut().enumerate() {
        *wt = match layout.slot[f] {
            Ok(p) => w[p] as f32,
            Err(fixed) => fixed as f32,
        };
    }
    let vocabulary = vocab
        .into_iter()
        .enumerate()
        .map(|(i, word)| (word, w[layout.n_struct + i] as f32))
        .collect();
    Ok(TopicModel {
        format: MODEL_FORMAT,
        definition: options.definition.clone(),
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights,
        bias: w[0] as f32,
        vocabulary,
        threshold,
        language_priors: options.language_priors.clone(),
        label_standard: options.label_standard.clone(),
        training: TrainingSummary {
            stories: stories.len(),
            relevant,
            l2: options.l2 as f32,
            vocab_l2: options.vocab_l2 as f32,
            vocab_size: options.vocab_size,
        },
    })
}

/// The decision threshold that maximises F1 over an inner cross-validation
/// of the training stories (see [`TrainOptions::threshold_folds`]).
fn inner_threshold(stories: &[LabelledStory], options: &TrainOptions) -> Result<f32, TopicError> {
    let inner = TrainOptions {
        threshold_folds: 0,
        ..options.clone()
    };
    let report = cv::cross_validate(stories, options.threshold_folds, &inner);
    if let Some(e) = report.errors.first() {
        return Err(TopicError::Training(format!("inner cross-validation: {e}")));
    }
    let mut best = (f64::MIN, f32::MAX, options.threshold);
    for step in 4..=16 {
        let t = step as f32 * 0.05;
        let f1 = report.scores_at(t).f1;
        let dist = (t - 0.5).abs();
        if f1 > best.0 + 1e-12 || ((f1 - best.0).abs() <= 1e-12 && dist < best.1) {
            best = (f1, dist, t);
        }
    }
    Ok(best.2)
}
