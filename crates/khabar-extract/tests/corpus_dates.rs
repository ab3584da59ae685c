//! Publish dates and page metadata on the development corpora, on the
//! fixed fit/validation split (see `is_validation`): htmldate-dev's publish
//! days, and wcxb-dev's gold title, author and publish date. Run with
//! `-- --nocapture` for the figures; `KHABAR_MISSES=1` also lists the fit
//! part's misses (never the validation part's: tune on fit only).

use std::io::Read;
use std::path::{Path, PathBuf};

use khabar_extract::ArticleExtractor;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn read_gz(p: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    flate2::read::GzDecoder::new(f).read_to_end(&mut out).expect("gzip");
    out
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

/// The project's fixed split, as in `corpus_quality.rs`: validation when
/// FNV-1a 64 of the page key mod 100 is below 30.
fn is_validation(key: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % 100 < 30
}

/// Hits and totals, `[fit, validation]`.
#[derive(Default)]
struct Parts([(usize, usize); 2]);

impl Parts {
    fn add(&mut self, key: &str, hit: bool) {
        let p = &mut self.0[is_validation(key) as usize];
        p.0 += hit as usize;
        p.1 += 1;
    }
    fn rate(&self, val: bool) -> f64 {
        let (h, n) = self.0[val as usize];
        h as f64 / n.max(1) as f64
    }
    fn show(&self) -> String {
        format!(
            "fit {:.3} of {}, validation {:.3} of {}",
            self.rate(false),
            self.0[0].1,
            self.rate(true),
            self.0[1].1
        )
    }
}

fn show_misses() -> bool {
    std::env::var_os("KHABAR_MISSES").is_some()
}

#[test]
fn htmldate_publish_days_fit_and_validation() {
    let dir = corpus().join("htmldate-dev");
    let gold = json(&dir.join("gold.json"));
    let ex = ArticleExtractor::default();
    let mut parts = Parts::default();
    for (url, g) in gold.as_object().expect("object") {
        let file = g["file"].as_str().expect("file");
        let bytes = read_gz(&dir.join("pages").join(format!("{file}.gz")));
        let got = ex.extract(&bytes, Some(url), None).ok().and_then(|a| a.published);
        let got = got.map(|d| d.date_naive().to_string());
        let hit = got.as_deref() == g["date"].as_str();
        parts.add(file, hit);
        if !hit && show_misses() && !is_validation(file) {
            eprintln!("miss {file} {url}: got {got:?}, gold {}", g["date"]);
        }
    }
    eprintln!("htmldate publish day: {}", parts.show());
    assert!(
        parts.rate(true) >= 0.92,
        "validation {:.3} below 0.92",
        parts.rate(true)
    );
    assert!(parts.rate(false) >= 0.92, "fit {:.3} below 0.92", parts.rate(false));
}

/// Case- and space-insensitive equality of two metadata strings.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

#[test]
fn wcxb_title_author_date_fit_and_validation() {
    let dir = corpus().join("wcxb-dev");
    let ex = ArticleExtractor::default();
    let (mut title, mut author, mut date) = (Parts::default(), Parts::default(), Parts::default());
    let mut names: Vec<_> = std::fs::read_dir(dir.join("ground-truth"))
        .expect("ground-truth")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    for name in names {
        let Some(id) = name.strip_suffix(".json") else {
            continue;
        };
        let g = json(&dir.join("ground-truth").join(&name));
        let url = g["url"].as_str();
        let gt = &g["ground_truth"];
        let bytes = read_gz(&dir.join("html").join(format!("{id}.html.gz")));
        let Ok(a) = ex.extract(&bytes, url, None) else {
            for (p, f) in [
                (&mut title, "title"),
                (&mut author, "author"),
                (&mut date, "publish_date"),
            ] {
                if gt[f].as_str().is_some_and(|s| !s.is_empty()) {
                    p.add(id, false);
                }
            }
            continue;
        };
        if let Some(t) = gt["title"].as_str().filter(|s| !s.is_empty()) {
            title.add(id, same_text(t, a.title.as_deref().unwrap_or("")));
        }
        if let Some(t) = gt["author"].as_str().filter(|s| !s.is_empty()) {
            // The gold names the author; a byline may add "By" or a role.
            let want = t.to_lowercase();
            let hit = a.byline.iter().chain(a.authors.iter()).any(|got| {
                let got = got.to_lowercase();
                !got.is_empty() && (same_text(&want, &got) || got.contains(&want))
            });
            author.add(id, hit);
        }
        if let Some(t) = gt["publish_date"].as_str().filter(|s| !s.is_empty()) {
            let got = a.published.map(|d| d.date_naive().to_string());
            let hit = got.as_deref() == t.get(..10);
            date.add(id, hit);
            if !hit && show_misses() && !is_validation(id) {
                eprintln!("wcxb date miss {id} {}: got {got:?}, gold {t}", url.unwrap_or(""));
            }
        }
    }
    eprintln!("wcxb title: {}", title.show());
    eprintln!("wcxb author: {}", author.show());
    eprintln!("wcxb publish date: {}", date.show());
    assert!(
        date.rate(true) >= 0.5,
        "wcxb validation date rate {:.3}",
        date.rate(true)
    );
}
