//! Cross-validation splits: the shuffled variant is reproducible, stays
//! stratified, holds every story out exactly once, and seed 0 is the plain
//! input-order split.

use std::collections::BTreeMap;

use khabar_topic::{
    CvReport, LabelledStory, TrainOptions, cross_validate, cross_validate_shuffled,
};

/// 15 stories about Iran and 35 that are not (10 of them name Iran once,
/// in a list), small enough to train 5 folds in a debug build quickly.
fn stories() -> Vec<LabelledStory> {
    let mut out = Vec::new();
    for i in 0..50 {
        let (title, body, relevant) = if i % 10 < 3 {
            (
                format!("Iran raises oil output, story {i}"),
                format!(
                    "Iran said on Monday its crude output rose. Tehran officials said \
                     Iranian exports would follow. The Iranian oil ministry gave figure {i}."
                ),
                true,
            )
        } else if i % 10 < 5 {
            (
                format!("Grain shipments in 1986, story {i}"),
                format!(
                    "Argentina shipped wheat to Brazil, Chile, Iran, Egypt and Peru. \
                     Argentina expects more sales to Brazil and Chile, said trader {i}."
                ),
                false,
            )
        } else {
            (
                format!("Bank rates steady, story {i}"),
                format!("The central bank left rates unchanged on day {i}, dealers said."),
                false,
            )
        };
        out.push(LabelledStory {
            id: format!("s{i}"),
            title,
            dateline: None,
            body,
            relevant,
        });
    }
    out
}

fn options() -> TrainOptions {
    TrainOptions {
        vocab_size: 0,
        ..TrainOptions::default()
    }
}

fn held_out_once(report: &CvReport, stories: &[LabelledStory]) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &report.predictions {
        *seen.entry(p.id.as_str()).or_default() += 1;
    }
    assert_eq!(seen.len(), stories.len());
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
}

#[test]
fn seed_zero_is_the_input_order_split() {
    let s = stories();
    let plain = cross_validate(&s, 5, &options());
    let zero = cross_validate_shuffled(&s, 5, 0, &options());
    assert!(plain.errors.is_empty(), "{:?}", plain.errors);
    assert_eq!(plain.predictions, zero.predictions);
    assert_eq!(plain.pooled, zero.pooled);
}

#[test]
fn shuffled_split_is_reproducible_stratified_and_complete() {
    let s = stories();
    let a = cross_validate_shuffled(&s, 5, 7, &options());
    let b = cross_validate_shuffled(&s, 5, 7, &options());
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.predictions, b.predictions, "same seed, same split");
    held_out_once(&a, &s);
    // 15 relevant stories over 5 folds: 3 in each.
    assert_eq!(a.folds.len(), 5);
    for f in &a.folds {
        assert_eq!(f.true_positives + f.false_negatives, 3, "{f:?}");
    }
    // A different seed deals the stories into other folds.
    let plain = cross_validate(&s, 5, &options());
    let ids = |r: &CvReport| {
        r.predictions
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>()
    };
    assert_ne!(ids(&a), ids(&plain));
    let c = cross_validate_shuffled(&s, 5, 8, &options());
    assert_ne!(ids(&a), ids(&c));
    // The easy synthetic set is learned whatever the split.
    assert!(a.pooled.f1 >= 0.9, "{:?}", a.pooled);
}
