//! Today's news (tests/data/modern-topic.jsonl): 151 English and 102
//! Persian short stories in the style of today's wires and Persian outlets,
//! each labelled by the editorial standard with a one-line `why`, 89 of
//! them not about Iran, nearly all of those hard negatives (`kind`: list,
//! background, diaspora, culture, gulf, afghan, tajik). Written for this
//! test, in our own words; a test set, never trained on.

mod common;

use std::collections::BTreeMap;

use khabar_topic::{LabelledStory, TopicClassifier, TopicInput, evaluate};

fn stories(lang: &str) -> Vec<LabelledStory> {
    common::labelled_file(&common::crate_file("tests/data/modern-topic.jsonl"))
        .into_iter()
        .filter(|s| s.id.starts_with(&format!("modern-{lang}-")))
        .collect()
}

fn floor(lang: &str, n: usize, f1: f64) {
    let set = stories(lang);
    assert_eq!(set.len(), n);
    let (s, preds) = evaluate(&TopicClassifier::iran(), &set);
    let wrong: Vec<_> = preds
        .iter()
        .filter(|p| p.relevant != p.predicted)
        .map(|p| (&p.id, p.score))
        .collect();
    eprintln!("modern-{lang}: {s:?}; wrong: {wrong:?}");
    assert!(s.f1 >= f1, "modern-{lang}: {s:?}; wrong: {wrong:?}");
}

// Measured with the shipped model (BENCHMARKS.md): English F1 0.985
// (P 0.970, R 1.000; tp 97 fp 3 fn 0), Persian F1 0.970 (tp 65 fp 2 fn 2).
// Floors a little under (one or two stories more wrong still pass), both
// above the 0.95.
#[test]
fn modern_english_set_reaches_the_floor() {
    floor("en", 151, 0.97);
}

#[test]
fn modern_persian_set_reaches_the_floor() {
    floor("fa", 102, 0.96);
}

#[test]
fn fixture_lines_carry_a_label_a_kind_and_a_reason() {
    let path = common::crate_file("tests/data/modern-topic.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["relevant"].is_boolean(), "{line}");
        assert!(v["why"].as_str().is_some_and(|w| w.len() > 5), "{line}");
        *kinds
            .entry(v["kind"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let negatives: usize = kinds
        .iter()
        .filter(|(k, _)| *k != "about")
        .map(|(_, n)| n)
        .sum();
    assert!(negatives * 3 >= text.lines().count(), "{kinds:?}");
    for k in ["list", "background", "diaspora", "culture", "gulf"] {
        assert!(kinds.get(k).copied().unwrap_or(0) >= 3, "{k}: {kinds:?}");
    }
}

/// A passing-mention phrase is not a mention, and the reasons say so.
#[test]
fn passing_phrases_are_not_mentions_and_reasons_say_why() {
    let c = TopicClassifier::iran();
    let r = c.classify(&TopicInput {
        title: "Iranian-American chef opens a bakery in Chicago",
        body: "The bakery sells Persian rugs as decoration and bread from Illinois wheat.",
        lang: Some("en"),
        ..Default::default()
    });
    assert!(!r.relevant, "{r:?}");
    assert!(
        r.reasons.iter().any(|x| x.contains("no Iran terms found")),
        "{:?}",
        r.reasons
    );
    let r = c.classify(&TopicInput {
        title: "Visa limits for 12 countries",
        body: "Travellers from Afghanistan, Chad, Eritrea, Haiti, Iran, Libya, Somalia, Sudan and Yemen face new limits, officials said on Wednesday.",
        lang: Some("en"),
        ..Default::default()
    });
    assert!(!r.relevant, "{r:?}");
    assert!(
        r.reasons
            .iter()
            .any(|x| x.contains("only a passing mention: one of")),
        "{:?}",
        r.reasons
    );
    let r = c.classify(&TopicInput {
        title: "Iran seizes tanker in Strait of Hormuz",
        body: "Iran's Revolutionary Guards said they had seized a foreign tanker near Bandar Abbas.",
        lang: Some("en"),
        ..Default::default()
    });
    assert!(r.relevant, "{r:?}");
    assert!(
        r.reasons
            .iter()
            .any(|x| x.contains("is the subject of the headline")),
        "{:?}",
        r.reasons
    );
}
