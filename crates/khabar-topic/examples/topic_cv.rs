//! Cross-validates the topic model on a labelled jsonl file and lists the
//! held-out errors, to study the labelling and tune options.
//!
//! cargo run --release -p khabar-topic --example topic_cv -- <train.jsonl> [folds] [unseen.jsonl]
//! Options via environment: TOPIC_L2, TOPIC_VOCAB_L2, TOPIC_VOCAB, TOPIC_MIN_DF, TOPIC_THRESHOLD,
//! TOPIC_THRESHOLD_FOLDS, TOPIC_PASSING, TOPIC_WEAK; TOPIC_SEEDS=1,2,3,4,5 also
//! reruns the cross-validation on those shuffled splits and prints the spread.

use std::fs::File;
use std::io::BufReader;

use khabar_topic::*;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: topic_cv <train.jsonl> [folds] [unseen.jsonl]")?;
    let folds: usize = args.get(2).and_then(|f| f.parse().ok()).unwrap_or(5);
    let stories = read_labelled_jsonl(BufReader::new(File::open(path)?), LabelRule::Auto)?;
    let d = TrainOptions::default();
    let options = TrainOptions {
        l2: env_or("TOPIC_L2", d.l2),
        vocab_l2: env_or("TOPIC_VOCAB_L2", d.vocab_l2),
        vocab_size: env_or("TOPIC_VOCAB", d.vocab_size),
        vocab_min_df: env_or("TOPIC_MIN_DF", d.vocab_min_df),
        threshold: env_or("TOPIC_THRESHOLD", d.threshold),
        threshold_folds: env_or("TOPIC_THRESHOLD_FOLDS", d.threshold_folds),
        passing_weight: env_or("TOPIC_PASSING", d.passing_weight),
        weak_weight: env_or("TOPIC_WEAK", d.weak_weight),
        ..d
    };
    let by_id: std::collections::HashMap<&str, &LabelledStory> =
        stories.iter().map(|s| (s.id.as_str(), s)).collect();
    let report = cross_validate(&stories, folds, &options);
    for (i, f) in report.folds.iter().enumerate() {
        println!(
            "fold {i}: P {:.3} R {:.3} F1 {:.3}",
            f.precision, f.recall, f.f1
        );
    }
    let p = report.pooled;
    println!(
        "pooled ({} stories, {} relevant): P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
        stories.len(),
        stories.iter().filter(|s| s.relevant).count(),
        p.precision,
        p.recall,
        p.f1,
        p.true_positives,
        p.false_positives,
        p.false_negatives
    );
    for t in [0.1f32, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6] {
        let tp = report
            .predictions
            .iter()
            .filter(|p| p.relevant && p.score >= t)
            .count();
        let fp = report
            .predictions
            .iter()
            .filter(|p| !p.relevant && p.score >= t)
            .count();
        let fn_ = report
            .predictions
            .iter()
            .filter(|p| p.relevant && p.score < t)
            .count();
        let s = Scores::from_counts(tp, fp, fn_);
        println!(
            "  at threshold {t:.2}: P {:.3} R {:.3} F1 {:.3} (fp {fp} fn {fn_})",
            s.precision, s.recall, s.f1
        );
    }
    if let Ok(seeds) = std::env::var("TOPIC_SEEDS") {
        let mut f1s = vec![p.f1];
        for seed in seeds
            .split(',')
            .filter_map(|x| x.trim().parse::<u64>().ok())
        {
            let s = cross_validate_shuffled(&stories, folds, seed, &options).pooled;
            println!(
                "  split seed {seed}: P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
                s.precision, s.recall, s.f1, s.true_positives, s.false_positives, s.false_negatives
            );
            f1s.push(s.f1);
        }
        let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
        let (lo, hi) = f1s
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
        println!(
            "  F1 over {} splits (input order + seeds): mean {mean:.3}, min {lo:.3}, max {hi:.3}",
            f1s.len()
        );
    }
    if std::env::var("TOPIC_ERRORS").is_ok() {
        for pr in report
            .predictions
            .iter()
            .filter(|p| p.relevant != p.predicted)
        {
            let s = by_id[pr.id.as_str()];
            println!(
                "{} id {} score {:.3} | {}",
                if pr.relevant { "FN" } else { "FP" },
                pr.id,
                pr.score,
                s.title
            );
        }
    }
    let model = train(&stories, &options)?;
    println!("bias {:.2} threshold {:.2}", model.bias, model.threshold);
    for (n, w) in model.features.iter().zip(&model.weights) {
        println!("  {n:16} {w:+.2}");
    }
    let mut vocab = model.vocabulary.clone();
    vocab.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!(
        "vocab: {}",
        vocab
            .iter()
            .map(|(w, x)| format!("{w} {x:+.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(unseen) = args.get(3) {
        let test = read_labelled_jsonl(BufReader::new(File::open(unseen)?), LabelRule::Auto)?;
        let c = TopicClassifier::from_model(model, TopicSettings::default());
        let (s, preds) = evaluate(&c, &test);
        println!(
            "unseen {} ({} stories, {} relevant): P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            unseen,
            test.len(),
            test.iter().filter(|s| s.relevant).count(),
            s.precision,
            s.recall,
            s.f1,
            s.true_positives,
            s.false_positives,
            s.false_negatives
        );
        for pr in preds.iter().filter(|p| p.relevant != p.predicted) {
            let st = test
                .iter()
                .find(|s| s.id == pr.id)
                .map_or("", |s| s.title.as_str());
            println!(
                "  {} id {} score {:.3} | {}",
                if pr.relevant { "FN" } else { "FP" },
                pr.id,
                pr.score,
                st
            );
        }
    }
    Ok(())
}
