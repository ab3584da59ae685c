//! The site's editorial labels ("about Iran" as the corpus README defines
//! it), the fixed fit/validation split, and cross-validation with folds
//! fixed by story id.
//!
//! Everything here is keyed on a hash of the story id, never on input
//! order, so the same story always lands in the same part whoever reads
//! the file and in whatever order.

use std::collections::HashMap;
use std::io::BufRead;

use serde::Deserialize;
use serde_json::Value;

use crate::TopicError;
use crate::train::cv::{CvReport, Scores, cross_validate_folds};
use crate::train::{LabelledStory, TrainOptions};

/// FNV-1a (64-bit) of a story id as its decimal/string form.
pub fn fnv1a(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Share of stories (in percent) kept aside for validation.
pub const VALIDATION_PERCENT: u64 = 30;

/// True when the story belongs to the validation part: FNV-1a of the id
/// mod 100 below [`VALIDATION_PERCENT`]. Model selection never sees these.
pub fn is_validation(id: &str) -> bool {
    fnv1a(id) % 100 < VALIDATION_PERCENT
}

/// Splits stories into (fit, validation) by [`is_validation`].
pub fn split_fit_validation(
    stories: Vec<LabelledStory>,
) -> (Vec<LabelledStory>, Vec<LabelledStory>) {
    stories.into_iter().partition(|s| !is_validation(&s.id))
}

#[derive(Deserialize)]
struct LabelLine {
    id: Value,
    relevant: Option<Value>,
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads an editorial labels file (`{"id", "relevant": 1|0|null, "why"}`
/// per line): id -> Some(label), or None for a split call to leave out.
pub fn read_editorial_labels(
    input: impl BufRead,
) -> Result<HashMap<String, Option<bool>>, TopicError> {
    let mut out = HashMap::new();
    for item in crate::jsonl::json_lines::<LabelLine>(input) {
        let (line, l) = item?;
        let bad = |reason: String| TopicError::BadLine { line, reason };
        let label = match l.relevant {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(1) => Some(true),
                Some(0) => Some(false),
                _ => return Err(bad(format!("`relevant` is {n}, not 0/1/null"))),
            },
            Some(other) => return Err(bad(format!("`relevant` is {other}, not 0/1/null"))),
        };
        out.insert(id_string(&l.id), label);
    }
    Ok(out)
}

/// Relabels stories by the editorial standard: a listed story takes its
/// label, a story listed as `null` is left out, every other story is not
/// about the topic.
pub fn apply_editorial_labels(
    stories: Vec<LabelledStory>,
    labels: &HashMap<String, Option<bool>>,
) -> Vec<LabelledStory> {
    stories
        .into_iter()
        .filter_map(|mut s| match labels.get(&s.id) {
            Some(None) => None,
            Some(Some(l)) => {
                s.relevant = *l;
                Some(s)
            }
            None => {
                s.relevant = false;
                Some(s)
            }
        })
        .collect()
}

/// Stratified k-fold cross-validation with the folds fixed by story id:
/// within each class, stories are ordered by a salted FNV-1a of the id and
/// dealt round-robin, so every fold has its share of relevant stories and a
/// story's fold depends on its id alone (and on the class sizes).
pub fn cross_validate_by_id(
    stories: &[LabelledStory],
    folds: usize,
    options: &TrainOptions,
) -> CvReport {
    let k = folds.max(2);
    let key = |s: &LabelledStory| fnv1a(&format!("fold:{}", s.id));
    let mut fold_of = vec![0usize; stories.len()];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..stories.len())
            .filter(|&i| stories[i].relevant == class)
            .collect();
        idx.sort_by_key(|&i| (key(&stories[i]), i));
        for (n, i) in idx.into_iter().enumerate() {
            fold_of[i] = n % k;
        }
    }
    cross_validate_folds(stories, &fold_of, k, options)
}

/// Mean and range of per-fold figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Spread {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    pub std: f64,
}

impl Spread {
    pub fn of(xs: impl IntoIterator<Item = f64>) -> Spread {
        let v: Vec<f64> = xs.into_iter().collect();
        if v.is_empty() {
            return Spread::default();
        }
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        Spread {
            mean,
            min: v.iter().copied().fold(f64::MAX, f64::min),
            max: v.iter().copied().fold(f64::MIN, f64::max),
            std: var.sqrt(),
        }
    }
}

/// Per-fold F1, precision and recall summarised.
pub fn fold_spread(folds: &[Scores]) -> (Spread, Spread, Spread) {
    (
        Spread::of(folds.iter().map(|f| f.f1)),
        Spread::of(folds.iter().map(|f| f.precision)),
        Spread::of(folds.iter().map(|f| f.recall)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn labels_file_reads_one_zero_and_null() {
        let text = "{\"id\": 1, \"relevant\": 1, \"why\": \"x\"}\n{\"id\": 2, \"relevant\": 0}\n{\"id\": 3, \"relevant\": null}\n";
        let l = read_editorial_labels(text.as_bytes()).unwrap();
        assert_eq!(l["1"], Some(true));
        assert_eq!(l["2"], Some(false));
        assert_eq!(l["3"], None);
        let stories: Vec<LabelledStory> = (1..=4)
            .map(|i| LabelledStory {
                id: i.to_string(),
                relevant: i == 4,
                ..Default::default()
            })
            .collect();
        let out = apply_editorial_labels(stories, &l);
        let got: Vec<(&str, bool)> = out.iter().map(|s| (s.id.as_str(), s.relevant)).collect();
        assert_eq!(got, [("1", true), ("2", false), ("4", false)]);
    }
}
