//! Cross-language event matching (English <-> Persian) on the fixtures of
//! `tests/data/crosslang-reports.jsonl` (see `common/crosslang_fixtures.rs`
//! and `docs/bench/crosslang.md`): every report goes through the
//! [`CrossLangIndex`] in publication order, as the pipeline would feed it,
//! and the pairs it links are judged against the labels: the same event,
//! or a hard negative (same day, same people or places, another event).

#[path = "common/crosslang_fixtures.rs"]
mod fixtures;

use std::collections::{HashMap, HashSet};

use fixtures::{Counts, is_validation};
use khabar_dedup::{CrossLangIndex, CrossLangMatcher, FEATURE_NAMES, Lang};

#[test]
fn cross_language_matching_meets_the_floors_on_validation() {
    let reports = fixtures::reports();
    let pairs = fixtures::pairs(&reports);
    let positives = pairs.iter().filter(|p| p.same_event).count();
    let negatives = pairs.len() - positives;
    assert!(positives >= 100, "too few same-event pairs: {positives}");
    assert!(negatives >= 200, "too few hard negatives: {negatives}");

    let matcher = CrossLangMatcher::bundled().expect("bundled matcher");
    let mut index = CrossLangIndex::new(matcher.clone());
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by_key(|&i| (reports[i].published, reports[i].id.clone()));
    let ids: HashMap<u64, usize> = order.iter().map(|&i| (i as u64, i)).collect();
    let mut linked: HashSet<(usize, usize)> = HashSet::new();
    let mut compared = 0usize;
    for &i in &order {
        let facts = matcher.facts(&reports[i].as_report());
        compared += index.candidates(&facts).len();
        for m in index.insert(i as u64, &reports[i].as_report()) {
            let j = ids[&m.id];
            let key = if reports[i].lang == Lang::English {
                (i, j)
            } else {
                (j, i)
            };
            linked.insert(key);
        }
    }
    let en = reports.iter().filter(|r| r.lang == Lang::English).count();
    let all_pairs = en * (reports.len() - en);
    println!(
        "fixtures: {} reports, {positives} same-event pairs, {negatives} hard negatives; \
         index compared {compared} candidate pairs of {all_pairs} possible",
        reports.len()
    );

    let (mut fit, mut val) = (Counts::default(), Counts::default());
    let mut confusions = Vec::new();
    let labelled: HashSet<(usize, usize)> = pairs.iter().map(|p| (p.en, p.fa)).collect();
    for p in &pairs {
        let said = linked.contains(&(p.en, p.fa));
        let c = if p.validation { &mut val } else { &mut fit };
        c.add(p.same_event, said);
        if said != p.same_event {
            let d = matcher.decide(&reports[p.en].as_report(), &reports[p.fa].as_report());
            confusions.push(format!(
                "  {} {} [{}] score {:.3}: {}",
                if said { "FALSE MATCH" } else { "MISS" },
                p.id,
                if p.validation { "val" } else { "fit" },
                d.score,
                d.reasons.join("; ")
            ));
        }
    }
    // Links between reports of different clusters are false by design
    // (clusters are days apart); none is expected inside the window.
    for &(a, b) in linked.difference(&labelled) {
        let id = format!("{}|{}", reports[a].id, reports[b].id);
        let c = if is_validation(&id) {
            &mut val
        } else {
            &mut fit
        };
        c.add(false, true);
        confusions.push(format!("  FALSE MATCH across clusters {id}"));
    }
    for (name, c) in [("fit", fit), ("validation", val)] {
        println!(
            "{name}: precision {:.4}, recall {:.4} (tp {}, fp {}, fn {}, tn {})",
            c.precision(),
            c.recall(),
            c.tp,
            c.fp,
            c.fneg,
            c.tn
        );
    }
    println!(
        "confusions ({}):\n{}",
        confusions.len(),
        confusions.join("\n")
    );

    // How near the line the decisions are, and what the gate alone
    // (a shared non-generic entity within the window) would say.
    let (mut gate_only, mut low_pos, mut high_neg) = (Counts::default(), 1.0f64, 0.0f64);
    for p in pairs.iter().filter(|p| p.validation) {
        let fa = matcher.facts(&reports[p.en].as_report());
        let fb = matcher.facts(&reports[p.fa].as_report());
        let passes = matcher.gate(&fa, &fb).is_none();
        gate_only.add(p.same_event, passes);
        if passes {
            let score = matcher.compare(&fa, &fb).score;
            if p.same_event {
                low_pos = low_pos.min(score);
            } else {
                high_neg = high_neg.max(score);
            }
        }
    }
    println!(
        "validation, gate alone: precision {:.4}, recall {:.4}; scored pairs: \
         lowest same-event {low_pos:.3}, highest hard negative {high_neg:.3}",
        gate_only.precision(),
        gate_only.recall()
    );

    assert!(
        compared * 4 < all_pairs,
        "index compared {compared} of {all_pairs}: candidates are not narrowed"
    );
    assert!(
        val.precision() >= 0.98,
        "validation precision {}",
        val.precision()
    );
    assert!(val.recall() >= 0.80, "validation recall {}", val.recall());
}

#[test]
fn bundled_weights_are_what_the_fit_part_trains_to() {
    let matcher = CrossLangMatcher::bundled().expect("bundled matcher");
    let reports = fixtures::reports();
    let (model, threshold) = fixtures::fit_model(&matcher, &reports);
    let text = include_str!("../data/crosslang-weights.toml");
    let v: toml::Value = toml::from_str(text).expect("weights toml");
    let stored: Vec<f64> = v["weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(|w| w.as_float().expect("float"))
        .collect();
    assert_eq!(stored.len(), FEATURE_NAMES.len());
    for (name, (s, t)) in FEATURE_NAMES.iter().zip(stored.iter().zip(&model.weights)) {
        assert!(
            (s - t).abs() < 1e-5,
            "{name}: stored {s}, retrained {t}: rerun train_crosslang"
        );
    }
    let bias = v["bias"].as_float().expect("bias");
    assert!(
        (bias - model.bias).abs() < 1e-5,
        "bias {bias} vs {}",
        model.bias
    );
    let stored_t = v["threshold"].as_float().expect("threshold");
    assert!(
        (stored_t - threshold).abs() < 1e-9,
        "threshold {stored_t} vs {threshold}"
    );
}

#[test]
fn reasons_say_what_aligned_and_one_name_is_not_enough() {
    let matcher = CrossLangMatcher::bundled().expect("bundled matcher");
    let reports = fixtures::reports();
    let by_id = |id: &str| {
        reports
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id} in fixtures"))
            .as_report()
    };
    let same = matcher.decide(
        &by_id("quakes-day/quake-bandar-abbas/en"),
        &by_id("quakes-day/quake-bandar-abbas/fa"),
    );
    assert!(same.same_event, "{same:?}");
    let reasons = same.reasons.join("; ");
    assert!(reasons.contains("Bandar Abbas"), "{reasons}");
    assert!(
        reasons.contains("5.6") && reasons.contains("14"),
        "{reasons}"
    );

    // The other quake in the same province the same day.
    let other = matcher.decide(
        &by_id("quakes-day/quake-bandar-abbas/en"),
        &by_id("quakes-day/quake-qeshm/fa"),
    );
    assert!(!other.same_event, "{other:?}");

    // Only generic names in common: not even scored.
    let generic = matcher.decide(
        &khabar_dedup::CrossLangReport {
            title: "Iran says talks possible",
            body: "Tehran said on Monday that talks were possible.",
            lang: Lang::English,
            published_unix: Some(0),
        },
        &khabar_dedup::CrossLangReport {
            title: "ایران: آلودگی هوا در تهران",
            body: "مدارس تهران تعطیل شد.",
            lang: Lang::Persian,
            published_unix: Some(0),
        },
    );
    assert!(!generic.same_event && generic.score == 0.0, "{generic:?}");
}
