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
                .any(|x| x.starts_with("headline mentions \"خامنه‌ای\"")),
            "{:?}",
            r.reasons
        );
        assert!(
            r.reasons.iter().any(|x| x.contains("4 mentions")),
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
