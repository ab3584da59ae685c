//! Real material from `../shared/corpus`, picked deterministically.

use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;

/// The shared corpora: `$KHABAR_CORPUS` when set (so a crate can be tested
/// on its own, with the corpora anywhere), else `shared/corpus` beside the
/// repository, where CI clones it.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("KHABAR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReutersStory {
    pub id: u64,
    pub title: String,
    pub dateline: String,
    pub body: String,
    pub places: Vec<String>,
}

impl ReutersStory {
    /// Paragraphs as the wire laid them out: `&\t` or an indent starts a
    /// new paragraph, other line breaks are just wrapping.
    pub fn paragraphs(&self) -> Vec<String> {
        let mut paras: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in self.body.split('\n') {
            let starts_para = line.starts_with("&\\t") || line.starts_with("    ");
            let text = line.trim_start_matches("&\\t").trim();
            if starts_para && !current.is_empty() {
                paras.push(std::mem::take(&mut current));
            }
            if !text.is_empty() {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(text);
            }
        }
        if !current.is_empty() {
            paras.push(current);
        }
        paras
            .into_iter()
            .map(|p| {
                p.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .filter(|p| !p.trim_end().ends_with("Reuter") || p.len() > 12)
            .collect()
    }

    /// The wire headline in title case, as a web outlet would print it.
    pub fn headline(&self) -> String {
        self.title
            .split_whitespace()
            .map(|w| {
                let lower = w.to_lowercase();
                let mut c = lower.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `ANCHORAGE, Alaska, Feb 26 -` → `ANCHORAGE, Alaska, Feb 26 (Reuters) -`.
    pub fn web_dateline(&self) -> String {
        let d = self.dateline.trim().trim_end_matches('-').trim();
        format!("{d} (Reuters) -")
    }
}

pub fn reuters() -> Vec<ReutersStory> {
    let path = corpus_dir().join("reuters21578/train.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Stories plainly about Iran: labelled so by Reuters and naming Iran in the headline.
/// Titles are unique within the pick (the wire re-uses headlines for
/// different stories, which would make pages ambiguous to check).
pub fn iran_stories(n: usize) -> Vec<ReutersStory> {
    let mut titles = std::collections::HashSet::new();
    reuters()
        .into_iter()
        .filter(|s| {
            s.places.iter().any(|p| p == "iran") && s.title.contains("IRAN") && s.body.len() > 600
        })
        .filter(|s| titles.insert(s.title.clone()))
        .take(n)
        .collect()
}

/// Stories plainly not about Iran: no Iran label, no Gulf or Middle East words.
pub fn off_topic_stories(n: usize) -> Vec<ReutersStory> {
    let banned = [
        "iran",
        "iraq",
        "gulf",
        "opec",
        "tehran",
        "persian",
        "middle east",
        "arab",
        "israel",
        "oil",
    ];
    reuters()
        .into_iter()
        .filter(|s| {
            let all = format!("{} {}", s.title, s.body).to_lowercase();
            !s.places.iter().any(|p| p == "iran")
                && s.body.len() > 600
                && !banned.iter().any(|b| all.contains(b))
        })
        .take(n)
        .collect()
}

/// AEB news pages (real HTML) whose text never mentions Iran.
pub fn aeb_off_topic_pages(n: usize) -> Vec<(String, String)> {
    let dir = corpus_dir().join("aeb-dev/html");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for p in names {
        let raw = std::fs::read(&p).expect("read aeb page");
        let mut html = String::new();
        if flate2::read::GzDecoder::new(&raw[..])
            .read_to_string(&mut html)
            .is_err()
        {
            continue;
        }
        let lower = html.to_lowercase();
        if lower.contains("iran") || lower.contains("tehran") || !lower.contains("<article") {
            continue;
        }
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("x")
            .split('.')
            .next()
            .unwrap_or("x")
            .to_string();
        out.push((name, html));
        if out.len() == n {
            break;
        }
    }
    out
}
