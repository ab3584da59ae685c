//! `mark_words` (the fast path that snippets use) marks exactly what
//! comparing `analyze`'s terms with the query marks, over real text: the
//! Reuters wire stories of the shared corpus and the 250 Persian stories
//! beside this test, with queries drawn from the stories' own words (so
//! every first letter, inflection and spelling of the corpus is tried),
//! plus mixed-script and possessive queries.

use std::collections::HashSet;

use khabar_search::{analyze, mark_words, query_terms};

/// The marking as it was before the fast path: every word analysed.
fn marked_by_analyze(text: &str, wanted: &HashSet<String>) -> Vec<(usize, usize, bool)> {
    let mut out: Vec<(usize, usize, bool)> = Vec::new();
    for t in analyze(text) {
        let hit = wanted.contains(&t.text);
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (t.start, t.end) => last.2 |= hit,
            _ => out.push((t.start, t.end, hit)),
        }
    }
    out
}

fn texts() -> Vec<String> {
    let mut out = Vec::new();
    let persian = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/persian-stories.jsonl"
    );
    let raw = std::fs::read_to_string(persian).expect("tests/data/persian-stories.jsonl");
    for line in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        out.push(format!(
            "{}\n{}",
            v["title"].as_str().unwrap_or_default(),
            v["body"].as_str().unwrap_or_default()
        ));
    }
    let reuters = std::env::var_os("KHABAR_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        })
        .join("reuters21578/train.jsonl");
    let raw =
        std::fs::read_to_string(&reuters).unwrap_or_else(|e| panic!("{}: {e}", reuters.display()));
    // Every 7th story: ~2,000 stories of every length and desk.
    for line in raw.lines().step_by(7) {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        out.push(format!(
            "{}\n{}",
            v["title"].as_str().unwrap_or_default(),
            v["body"].as_str().unwrap_or_default()
        ));
    }
    out
}

#[test]
fn the_fast_marking_agrees_with_full_analysis() {
    let texts = texts();
    assert!(texts.len() > 2000, "{} texts", texts.len());
    let fixed = [
        "oil prices",
        "Iran's sanctions",
        "U.S. talks",
        "1987",
        "تحریم ها",
        "می گوید",
        "ايران oil",
        "café",
    ];
    let (mut checked, mut marked) = (0usize, 0usize);
    for (n, text) in texts.iter().enumerate() {
        // Three words of the story itself, from different places.
        let words: Vec<&str> = text.split_whitespace().collect();
        let own = [n % 5, words.len() / 2, words.len().saturating_sub(2)]
            .iter()
            .filter_map(|&i| words.get(i).copied())
            .collect::<Vec<_>>()
            .join(" ");
        for query in fixed.iter().copied().chain([own.as_str()]) {
            let wanted: HashSet<String> = query_terms(query).into_iter().collect();
            let fast = mark_words(text, &wanted);
            let full = marked_by_analyze(text, &wanted);
            assert_eq!(fast, full, "query {query:?} over text {n}");
            checked += 1;
            marked += fast.iter().filter(|w| w.2).count();
        }
    }
    // The sweep really marked things (not a vacuous agreement on nothing):
    // every story's own words are among its queries, so each is marked.
    assert!(
        marked > 5 * texts.len(),
        "{marked} marks over {checked} runs"
    );
}
