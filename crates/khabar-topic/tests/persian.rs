//! Persian stories: the model is trained on English wire copy only, so
//! these check that the Persian side of the gazetteer and the
//! language-neutral evidence carry the decision.

mod common;

use khabar_topic::{TopicClassifier, TopicInput, evaluate};

#[test]
fn persian_seed_examples_are_classified_without_persian_training() {
    let stories = common::labelled_file(&common::crate_file("tests/data/persian-seed.jsonl"));
    assert_eq!(stories.len(), 20);
    let c = TopicClassifier::iran();
    let (scores, preds) = evaluate(&c, &stories);
    let wrong: Vec<_> = preds.iter().filter(|p| p.relevant != p.predicted).collect();
    assert!(scores.f1 >= 0.95, "F1 {:.3}; wrong: {wrong:?}", scores.f1);
}

/// The Persian topic set (tests/fixtures/persian-topic.jsonl at the
/// workspace root: 250 headlines with leads, half about Iran, in agency,
/// diaspora, Afghan, Tajik and world-desk styles). A test set: nothing is
/// trained on it.
#[test]
fn persian_topic_set_reaches_the_floor() {
    let path = common::crate_file("../../tests/fixtures/persian-topic.jsonl");
    let stories = common::labelled_file(&path);
    assert!(stories.len() >= 240, "{}", stories.len());
    assert_issue_floor("persian-topic", &stories);
}

/// The held-out Persian set (tests/fixtures/persian-topic-heldout.jsonl:
/// 120 stories written after the model was final, by someone not shown
/// it). Scored once before this test existed: F1 0.983. Its floor is the
/// issue's, so a change that only fits the first set shows up here.
#[test]
fn persian_heldout_set_reaches_the_floor() {
    let path = common::crate_file("../../tests/fixtures/persian-topic-heldout.jsonl");
    let stories = common::labelled_file(&path);
    assert_eq!(stories.len(), 120);
    assert_issue_floor("persian-topic-heldout", &stories);
}

/// The issue's Persian floor: F1 at least 0.95, precision and recall both
/// above 0.92; a failure lists the stories decided wrongly.
fn assert_issue_floor(name: &str, stories: &[khabar_topic::LabelledStory]) {
    let (s, preds) = evaluate(&TopicClassifier::iran(), stories);
    let wrong: Vec<_> = preds
        .iter()
        .filter(|p| p.relevant != p.predicted)
        .map(|p| (&p.id, p.score))
        .collect();
    eprintln!("{name}: {s:?}");
    assert!(s.f1 >= 0.95, "{name}: F1 {:.3}; wrong: {wrong:?}", s.f1);
    assert!(
        s.precision > 0.92 && s.recall > 0.92,
        "{name}: {s:?}; wrong: {wrong:?}"
    );
}

#[test]
fn persian_reasons_name_persian_terms() {
    let c = TopicClassifier::iran();
    let r = c.classify(&TopicInput {
        title: "سپاه پاسداران از آزمایش موشک جدید خبر داد",
        body: "فرمانده نیروی هوافضای سپاه گفت این موشک در نزدیکی شیراز آزمایش شد.",
        lang: Some("fa"),
        ..Default::default()
    });
    assert!(r.relevant, "{r:?}");
    assert!(
        r.reasons
            .iter()
            .any(|x| x.contains("headline") && x.contains("سپاه پاسداران")),
        "{:?}",
        r.reasons
    );
}

#[test]
fn arabic_spelling_and_zwnj_variants_are_the_same_evidence() {
    let c = TopicClassifier::iran();
    let persian = c.classify(&TopicInput {
        title: "سخنرانی خامنه‌ای در مشهد",
        body: "رهبر جمهوری اسلامی در مشهد سخنرانی کرد.",
        ..Default::default()
    });
    let arabic = c.classify(&TopicInput {
        title: "سخنراني خامنه اي در مشهد",
        body: "رهبر جمهوري اسلامي در مشهد سخنراني كرد.",
        ..Default::default()
    });
    assert!(persian.relevant && arabic.relevant);
    // Same evidence; only the word count differs (the spaced spelling is
    // two words), so the density term moves the score a hair.
    for r in [&persian, &arabic] {
        assert!(
            r.reasons
                .iter()
                .any(|x| x.starts_with("mentions Iran:") && x.contains("خامنه‌ای")),
            "{:?}",
            r.reasons
        );
        assert!(
            r.reasons
                .iter()
                .any(|x| x.starts_with("4 mentions of Iran terms")),
            "{:?}",
            r.reasons
        );
    }
    assert!(
        (persian.score - arabic.score).abs() < 1e-3,
        "{} vs {}",
        persian.score,
        arabic.score
    );
}
