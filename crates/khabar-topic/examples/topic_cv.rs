//! Cross-validates the topic model on a labelled jsonl file and lists the
//! held-out errors, to study the labelling and tune options.
//!
//! cargo run --release -p khabar-topic --example topic_cv -- <train.jsonl> [folds] [unseen.jsonl]
//!     (Reuters `places` labels, the old standard, kept for comparison)
//! cargo run --release -p khabar-topic --example topic_cv -- <train.jsonl> --labels <editorial-train.jsonl> [--validate] [--eval FILE]...
//! Options via environment: TOPIC_L2, TOPIC_VOCAB_L2, TOPIC_VOCAB, TOPIC_MIN_DF, TOPIC_THRESHOLD,
//! TOPIC_THRESHOLD_FOLDS, TOPIC_PASSING, TOPIC_WEAK; TOPIC_SEEDS=1,2,3,4,5 also
//! reruns the cross-validation on those shuffled splits and prints the spread.
//! With --labels: TOPIC_WEIGHTS prints the fit-part model's weights,
//! TOPIC_SWEEP a threshold sweep, TOPIC_SHOW=id,id the held-out scores of
//! chosen stories, TOPIC_SEEDS=1,2,3 the CV on shuffled splits of the fit part.

use std::fs::File;
use std::io::BufReader;

use khabar_topic::*;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `--labels FILE`: the editorial standard. The stories of the jsonl are
/// relabelled by FILE (null = left out, unlisted = not about Iran), the
/// validation part (FNV-1a of the id mod 100 < 30) is set aside, and 5-fold
/// stratified CV with folds fixed by id runs on the fit part only. The
/// validation figures are printed only with `--validate` (once, at the end
/// of model selection); `--eval FILE` (repeatable) scores fixture sets with
/// the model trained on the fit part.
fn editorial(args: &[String], options: &TrainOptions) -> Result<(), Box<dyn std::error::Error>> {
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let path = &args[1];
    let labels = read_editorial_labels(BufReader::new(File::open(flag("--labels").unwrap())?))?;
    let folds: usize = flag("--folds").and_then(|f| f.parse().ok()).unwrap_or(5);
    let stories = read_labelled_jsonl(BufReader::new(File::open(path)?), LabelRule::Unlabelled)?;
    let stories = apply_editorial_labels(stories, &labels);
    let (fit, validation) = split_fit_validation(stories);
    let npos = |v: &[LabelledStory]| v.iter().filter(|s| s.relevant).count();
    println!(
        "fit {} stories ({} about Iran); validation {} ({}) set aside",
        fit.len(),
        npos(&fit),
        validation.len(),
        npos(&validation)
    );
    let report = cross_validate_by_id(&fit, folds, options);
    if let Some(e) = report.errors.first() {
        return Err(e.clone().into());
    }
    for (i, f) in report.folds.iter().enumerate() {
        println!(
            "fold {i}: P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            f.precision, f.recall, f.f1, f.true_positives, f.false_positives, f.false_negatives
        );
    }
    let (f1, p, r) = fold_spread(&report.folds);
    let show = |n: &str, s: Spread| {
        println!(
            "  {n:9} mean {:.3} ± {:.3} (min {:.3}, max {:.3})",
            s.mean, s.std, s.min, s.max
        )
    };
    println!("fit CV, {folds} folds fixed by id:");
    show("F1", f1);
    show("precision", p);
    show("recall", r);
    let pooled = report.pooled;
    println!(
        "  pooled: P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
        pooled.precision,
        pooled.recall,
        pooled.f1,
        pooled.true_positives,
        pooled.false_positives,
        pooled.false_negatives
    );
    // TOPIC_SEEDS=1,2,3: the same CV on other stratified splits of the fit
    // part (shuffled, seeded), to see how much of a difference is the split.
    if let Ok(seeds) = std::env::var("TOPIC_SEEDS") {
        for seed in seeds
            .split(',')
            .filter_map(|x| x.trim().parse::<u64>().ok())
        {
            let r = cross_validate_shuffled(&fit, folds, seed, options);
            let (f1, p, rc) = fold_spread(&r.folds);
            let s = r.pooled;
            println!(
                "  split seed {seed}: F1 mean {:.3} (P {:.3}, R {:.3}); pooled tp {} fp {} fn {}",
                f1.mean, p.mean, rc.mean, s.true_positives, s.false_positives, s.false_negatives
            );
        }
    }
    if std::env::var("TOPIC_SWEEP").is_ok() {
        for t in [0.3f32, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7] {
            let s = report.scores_at(t);
            println!(
                "  at threshold {t:.2}: P {:.3} R {:.3} F1 {:.3} (fp {} fn {})",
                s.precision, s.recall, s.f1, s.false_positives, s.false_negatives
            );
        }
    }
    let by_id: std::collections::HashMap<&str, &LabelledStory> =
        fit.iter().map(|s| (s.id.as_str(), s)).collect();
    // TOPIC_SHOW=id,id: the held-out score of chosen stories (before/after cases).
    let show: Vec<String> = std::env::var("TOPIC_SHOW")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for pr in report.predictions.iter().filter(|p| show.contains(&p.id)) {
        println!(
            "  show id {} label {} score {:.3}",
            pr.id, pr.relevant as u8, pr.score
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
                "  {} id {} score {:.3} | {}",
                if pr.relevant { "FN" } else { "FP" },
                pr.id,
                pr.score,
                s.title
            );
        }
    }
    let model = train(&fit, options)?;
    if std::env::var("TOPIC_WEIGHTS").is_ok() {
        println!("fit-part model: bias {:.2}", model.bias);
        for (n, w) in model.features.iter().zip(&model.weights) {
            println!("  {n:16} {w:+.2}");
        }
    }
    let c = TopicClassifier::from_model(model, TopicSettings::default());
    let mut sets: Vec<(String, Vec<LabelledStory>)> = Vec::new();
    if args.iter().any(|a| a == "--validate") {
        sets.push(("validation (untouched)".into(), validation));
    }
    for (i, a) in args.iter().enumerate() {
        if a == "--eval" {
            let f = &args[i + 1];
            sets.push((
                f.clone(),
                read_labelled_jsonl(BufReader::new(File::open(f)?), LabelRule::Auto)?,
            ));
        }
    }
    for (name, set) in sets {
        let (s, preds) = evaluate(&c, &set);
        println!(
            "{name} ({} stories, {} relevant): P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            set.len(),
            npos(&set),
            s.precision,
            s.recall,
            s.f1,
            s.true_positives,
            s.false_positives,
            s.false_negatives
        );
        if std::env::var("TOPIC_ERRORS").is_ok() {
            for pr in preds.iter().filter(|p| p.relevant != p.predicted) {
                let t = set
                    .iter()
                    .find(|s| s.id == pr.id)
                    .map_or("", |s| s.title.as_str());
                println!(
                    "  {} id {} score {:.3} | {t}",
                    if pr.relevant { "FN" } else { "FP" },
                    pr.id,
                    pr.score
                );
            }
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--labels") {
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
        return editorial(&args, &options);
    }
    let path = args
        .get(1)
        .ok_or("usage: topic_cv <train.jsonl> [folds] [unseen.jsonl]")?;
    let folds: usize = args.get(2).and_then(|f| f.parse().ok()).unwrap_or(5);
    let stories = read_labelled_jsonl(
        BufReader::new(File::open(path)?),
        LabelRule::PlacesContains("iran".into()),
    )?;
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
        let test = read_labelled_jsonl(
            BufReader::new(File::open(unseen)?),
            LabelRule::PlacesContains("iran".into()),
        )?;
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
