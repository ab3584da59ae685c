//! Persian queries as readers type them, over 250 real Persian stories
//! (`tests/data/persian-stories.jsonl`): every spelling of a word in a
//! story finds it (space, ZWNJ or joined compounds; the singular of a
//! plural; Arabic yeh and kaf; Persian, Arabic-Indic or Latin digits), and
//! words a story does not hold do not.
//!
//! The queries are drawn from the stories themselves (every prefixed verb,
//! every plural, every number in them), so the sweep covers the corpus's
//! real vocabulary rather than a few chosen words.

use khabar_search::{IndexQuery, IndexSort, LogPosition, SearchDoc, StoryIndex};

const ZWNJ: char = '\u{200C}';

struct Story {
    id: i64,
    text: String,
}

fn stories() -> Vec<Story> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/persian-stories.jsonl"
    );
    let raw = std::fs::read_to_string(path).expect("tests/data/persian-stories.jsonl");
    raw.lines()
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let title = v["title"].as_str().expect("title");
            let body = v["body"].as_str().expect("body");
            Story {
                id: i as i64 + 1,
                text: format!("{title}\n{body}"),
            }
        })
        .collect()
}

fn indexed(stories: &[Story]) -> StoryIndex {
    let index = StoryIndex::in_memory().expect("index");
    for s in stories {
        let (headline, body) = s.text.split_once('\n').expect("two parts");
        index
            .add(&SearchDoc {
                id: s.id,
                headline: headline.into(),
                body: body.into(),
                lang: Some("fa".into()),
                source_id: 1,
                tags: Vec::new(),
                sort_at: s.id,
            })
            .expect("add");
    }
    index
        .commit(&LogPosition {
            store: "test".into(),
            seq: 1,
        })
        .expect("commit");
    index
}

fn found(index: &StoryIndex, text: &str) -> Vec<i64> {
    index
        .search(&IndexQuery {
            text: text.into(),
            sort: IndexSort::Date,
            limit: 1000,
            ..Default::default()
        })
        .expect("search")
        .hits
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// Words of a text as written, ZWNJ kept inside them.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        !(c.is_alphanumeric() || c == ZWNJ || ('\u{064B}'..='\u{0652}').contains(&c))
    })
    .filter(|w| !w.is_empty())
}

fn arabic_letters(s: &str) -> String {
    s.replace('ی', "ي").replace('ک', "ك")
}

/// Asserts that every query finds its story, and reports how many ran.
fn assert_all_found(index: &StoryIndex, cases: &[(String, i64)]) -> usize {
    let missed: Vec<&(String, i64)> = cases
        .iter()
        .filter(|(q, id)| !found(index, q).contains(id))
        .collect();
    assert!(
        missed.is_empty(),
        "{} of {} queries missed their story: {missed:?}",
        missed.len(),
        cases.len()
    );
    cases.len()
}

#[test]
fn every_spelling_of_a_prefixed_verb_finds_the_story() {
    let stories = stories();
    let index = indexed(&stories);
    let mut cases = Vec::new();
    for s in &stories {
        let text: Vec<&str> = s.text.split_whitespace().collect();
        // Written with ZWNJ or joined: `می‌گوید`, `میگوید`.
        for w in words(&s.text) {
            for prefix in ["نمی", "می"] {
                let Some(rest) = w
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix(ZWNJ))
                    .filter(|r| r.chars().count() >= 2)
                else {
                    continue;
                };
                for q in [
                    format!("{prefix}{ZWNJ}{rest}"),
                    format!("{prefix} {rest}"),
                    format!("{prefix}{rest}"),
                    arabic_letters(&format!("{prefix} {rest}")),
                ] {
                    cases.push((q, s.id));
                }
                break;
            }
        }
        // Written with a space: `می شود` is found as `می‌شود` and `میشود`.
        for pair in text.windows(2) {
            if matches!(pair[0], "می" | "نمی") && pair[1].chars().all(char::is_alphabetic) {
                cases.push((format!("{}{ZWNJ}{}", pair[0], pair[1]), s.id));
                cases.push((format!("{}{}", pair[0], pair[1]), s.id));
            }
        }
    }
    let n = assert_all_found(&index, &cases);
    assert!(n > 400, "the stories hold many prefixed verbs: {n}");
}

#[test]
fn the_singular_finds_the_plural_in_every_spelling() {
    let stories = stories();
    let index = indexed(&stories);
    let mut cases = Vec::new();
    for s in &stories {
        for w in words(&s.text) {
            let Some((stem, suffix)) = w.split_once(ZWNJ) else {
                continue;
            };
            // The stem lengths the rules require (`ده‌ها`, tens, is left whole
            // so that `تنها` is not cut to `تن`).
            let min = match suffix {
                "ها" => 3,
                "های" | "هایی" => 2,
                _ => continue,
            };
            if stem.chars().count() < min || stem.contains(ZWNJ) {
                continue;
            }
            cases.push((stem.to_string(), s.id));
            cases.push((format!("{stem} {suffix}"), s.id));
            cases.push((format!("{stem}{suffix}"), s.id));
            cases.push((arabic_letters(stem), s.id));
        }
    }
    let n = assert_all_found(&index, &cases);
    assert!(n > 200, "the stories hold many plurals: {n}");

    // And the other way: a plural query finds the story that has the singular.
    let tahrim: Vec<i64> = found(&index, "تحریم");
    assert!(tahrim.len() >= 3, "{tahrim:?}");
    assert_eq!(found(&index, "تحریم‌ها"), tahrim);
    assert_eq!(found(&index, "تحریم ها"), tahrim);
    assert_eq!(found(&index, "تحريم هاي"), tahrim);
}

#[test]
fn numbers_are_found_in_every_script() {
    let stories = stories();
    let index = indexed(&stories);
    let mut cases = Vec::new();
    for s in &stories {
        for w in words(&s.text) {
            if !w.chars().all(|c| ('۰'..='۹').contains(&c)) {
                continue;
            }
            let digit = |base: u32| -> String {
                w.chars()
                    .map(|c| char::from_u32(base + (c as u32 - '۰' as u32)).expect("digit"))
                    .collect()
            };
            cases.push((digit('0' as u32), s.id));
            cases.push((digit('٠' as u32), s.id));
            cases.push((w.to_string(), s.id));
        }
    }
    let n = assert_all_found(&index, &cases);
    assert!(n > 300, "{n}");
}

#[test]
fn arabic_and_persian_letter_forms_find_each_other() {
    let stories = stories();
    let index = indexed(&stories);
    let mut cases = Vec::new();
    let mut arabic_stories = 0;
    for s in &stories {
        let arabic = s.text.contains(['ي', 'ك']);
        arabic_stories += usize::from(arabic);
        let all: Vec<&str> = words(&s.text).collect();
        for (i, w) in all
            .iter()
            .enumerate()
            .filter(|(_, w)| w.chars().count() >= 3)
        {
            // A suffix or verb written apart belongs to its neighbour, and is
            // found as part of it (tested above), not alone.
            let persian = w.replace('ي', "ی").replace('ك', "ک");
            let after_prefix =
                i > 0 && matches!(all[i - 1].replace('ي', "ی").as_str(), "می" | "نمی");
            if after_prefix || matches!(persian.as_str(), "های" | "هایی" | "ترین") {
                continue;
            }
            if arabic && w.contains(['ي', 'ك']) {
                // Typed on a Persian keyboard, found in a story with Arabic letters.
                cases.push((w.replace('ي', "ی").replace('ك', "ک"), s.id));
            } else if w.contains(['ی', 'ک']) {
                cases.push((arabic_letters(w), s.id));
            }
        }
    }
    assert!(arabic_stories >= 5, "{arabic_stories}");
    let n = assert_all_found(&index, &cases);
    assert!(n > 1000, "{n}");
}

/// Every story a query finds holds the query's word, by plain folded text
/// (ZWNJ and spaces of a compound removed): the analyser finds spellings,
/// it does not invent matches.
#[test]
fn words_a_story_does_not_hold_do_not_find_it() {
    let stories = stories();
    let index = indexed(&stories);
    let folded: Vec<(i64, String)> = stories
        .iter()
        .map(|s| (s.id, khabar_text::fold(&s.text).replace(' ', "")))
        .collect();
    let holding = |needle: &str| -> Vec<i64> {
        let needle = khabar_text::fold(needle);
        folded
            .iter()
            .filter(|(_, t)| t.contains(&needle))
            .map(|(id, _)| *id)
            .collect()
    };
    for (query, needle) in [
        ("ایران", "ایران"),
        ("تهران", "تهران"),
        ("می گوید", "میگوید"),
        ("تحریم", "تحریم"),
        ("استان", "استان"),
        ("کشورها", "کشور"),
        ("نفت", "نفت"),
    ] {
        let got = found(&index, query);
        assert!(!got.is_empty(), "{query}");
        let holds = holding(needle);
        let strays: Vec<&i64> = got.iter().filter(|id| !holds.contains(id)).collect();
        assert!(
            strays.is_empty(),
            "{query}: found {strays:?} without {needle}"
        );
    }

    // Short words are not cut or merged into longer ones: `ایران` does not
    // find `ایرلند`, nor `به` (to) a story whose only `به…` is `بهترین`.
    let tokens_of = |id: i64| -> Vec<String> {
        let s = stories.iter().find(|s| s.id == id).expect("story");
        khabar_text::tokens(&s.text).collect()
    };
    for (query, allowed) in [
        ("به", &["به"][..]),
        ("تن", &["تن", "تنهای", "تنهایی"][..]),
        ("ماه", &["ماه", "ماهها", "ماههای", "ماههایی"][..]),
        ("است", &["است", "استها"][..]),
    ] {
        for id in found(&index, query) {
            let toks = tokens_of(id);
            assert!(
                toks.iter().any(|t| allowed.contains(&t.as_str())),
                "{query} found story {id} without the word: {toks:?}"
            );
        }
    }
    assert!(found(&index, "ایر").is_empty());
    assert!(found(&index, "زبرجدستان").is_empty());
    assert!(found(&index, "zebra").is_empty());
}
