//! Shared loaders for the evaluation tests and the benchmark: the Reuters
//! corpus, a seeded random stream, and the syndication perturbations.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Story {
    pub id: u64,
    pub title: String,
    pub body: String,
    pub published: Option<i64>,
    pub day: String,
    pub places: Vec<String>,
    pub topics: Vec<String>,
}

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/reuters21578")
}

/// Every Reuters story of train.jsonl and unused.jsonl, in file order.
pub fn reuters() -> Vec<Story> {
    let mut out = Vec::new();
    for f in ["train.jsonl", "unused.jsonl"] {
        let path = corpus_dir().join(f);
        let file = std::fs::File::open(&path)
            .unwrap_or_else(|e| panic!("corpus file {}: {e}", path.display()));
        for line in std::io::BufReader::new(file).lines() {
            let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            let date = v["date"].as_str().unwrap_or("");
            let list = |k: &str| -> Vec<String> {
                v[k].as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            out.push(Story {
                id: v["id"].as_u64().unwrap(),
                title: v["title"].as_str().unwrap_or("").to_string(),
                body: v["body"].as_str().unwrap_or("").to_string(),
                published: khabar_dedup::parse_time(date),
                day: date.split_whitespace().next().unwrap_or("").to_string(),
                places: list("places"),
                topics: list("topics"),
            });
        }
    }
    out
}

/// Hand-labelled pairs: (id_a, id_b, is_copy).
pub fn labelled_pairs() -> Vec<(u64, u64, bool)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reuters_pairs.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("id_a"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap(), f[2] == "1")
        })
        .collect()
}

/// splitmix64: a tiny deterministic random stream.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// Paragraphs of a wire body: a new paragraph starts at a line indented
/// with whitespace or the corpus's `&\t` marker; hard wraps are joined.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in body.lines() {
        let starts_para =
            line.starts_with(char::is_whitespace) || line.starts_with("&\\t") || out.is_empty();
        let clean = line.trim_start_matches("&\\t").trim();
        if clean.is_empty() {
            continue;
        }
        if starts_para {
            out.push(clean.to_string());
        } else if let Some(last) = out.last_mut() {
            last.push(' ');
            last.push_str(clean);
        }
    }
    out.retain(|p| !p.eq_ignore_ascii_case("reuter") && !p.starts_with("&#"));
    out
}

const FURNITURE_BEFORE: &[&str] = &["Advertisement", "Share this article", "Sponsored", "Tweet"];
const FURNITURE_AFTER: &[&str] = &[
    "Reporting by Parisa Hafezi; Editing by Alex Richardson",
    "Read more: https://news.example.org/world/middle-east",
    "© 2024 Example News Ltd. All rights reserved.",
    "Click here to subscribe to our newsletter",
    "Follow us on Twitter",
    "Copyright Example Media Group",
    "Additional reporting by Reuters staff",
];
const HEADLINE_PREFIXES: &[&str] = &["UPDATE 1-", "UPDATE 2-", "WRAPUP ", "Breaking: ", ""];

/// A syndicated variant of a story, made the way outlets alter wire copy:
/// new headline, trimmed intro, furniture added, last paragraphs cut, one
/// paragraph from elsewhere inserted, lines re-wrapped. Each variant gets a
/// random mix (at least two) of these edits, with moderate strength.
pub fn syndicate(title: &str, body: &str, filler: &str, rng: &mut Rng) -> (String, String) {
    let mut paras = paragraphs(body);
    let mut ops = 0;
    let mut new_title = title.to_string();
    while ops < 2 {
        if rng.chance(0.6) {
            // Headline rewrite: prefix, case change, a word dropped.
            let mut words: Vec<String> =
                title.split_whitespace().map(|w| w.to_lowercase()).collect();
            if words.len() > 3 {
                words.remove(rng.below(words.len()));
            }
            let mut t = words.join(" ");
            if let Some(first) = t.get(..1) {
                t = first.to_uppercase() + &t[1..];
            }
            new_title = format!(
                "{}{}",
                HEADLINE_PREFIXES[rng.below(HEADLINE_PREFIXES.len())],
                t
            );
            ops += 1;
        }
        if rng.chance(0.5) && !paras.is_empty() {
            // Intro trimmed: the first sentence's opening words dropped.
            let words: Vec<&str> = paras[0].split_whitespace().collect();
            let cut = (words.len() / 4).min(8);
            paras[0] = words[cut..].join(" ");
            ops += 1;
        }
        if rng.chance(0.5) && paras.len() >= 4 {
            // Last paragraphs cut: keep at least 70% of them.
            let keep = paras.len() - rng.below(paras.len() * 3 / 10 + 1);
            paras.truncate(keep.max(3));
            ops += 1;
        }
        if rng.chance(0.5) {
            // One paragraph inserted from another story.
            let fp = paragraphs(filler);
            if let Some(p) = fp.get(rng.below(fp.len())) {
                let at = 1 + rng.below(paras.len().max(1));
                paras.insert(at.min(paras.len()), p.clone());
            }
            ops += 1;
        }
        if rng.chance(0.6) {
            // Furniture around the text.
            paras.insert(
                0,
                FURNITURE_BEFORE[rng.below(FURNITURE_BEFORE.len())].to_string(),
            );
            for _ in 0..1 + rng.below(3) {
                paras.push(FURNITURE_AFTER[rng.below(FURNITURE_AFTER.len())].to_string());
            }
            ops += 1;
        }
    }
    (new_title, paras.join("\n\n"))
}

/// Index of stories by id.
pub fn by_id(stories: &[Story]) -> HashMap<u64, &Story> {
    stories.iter().map(|s| (s.id, s)).collect()
}
