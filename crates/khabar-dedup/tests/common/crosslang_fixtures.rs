//! The cross-language fixtures (`tests/data/crosslang-reports.jsonl`) and
//! their labelled pairs, shared by `tests/crosslang.rs` and
//! `examples/train_crosslang.rs`.
//!
//! Each line is one report: `id`, `cluster` (reports of one day about the
//! same people or places), `event`, `lang` (`en`/`fa`), `published`
//! (RFC 3339), `title`, `body`. The labelled pairs are every English x
//! Persian pair of a cluster: the same event when `event` is equal, a hard
//! negative otherwise (same day, shared entities, different happening).
//! A pair is in the validation part when FNV-1a 64 of its id
//! (`"{en id}|{fa id}"`) mod 100 < 30, the project's fixed split.
#![allow(dead_code)]

use std::path::PathBuf;

use khabar_dedup::{CrossLangReport, Lang};

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub cluster: String,
    pub event: String,
    pub lang: Lang,
    pub published: i64,
    pub title: String,
    pub body: String,
}

impl Report {
    pub fn as_report(&self) -> CrossLangReport<'_> {
        CrossLangReport {
            title: &self.title,
            body: &self.body,
            lang: self.lang,
            published_unix: Some(self.published),
        }
    }
}

/// A labelled English x Persian pair (indices into the report list).
#[derive(Debug, Clone)]
pub struct Pair {
    pub id: String,
    pub en: usize,
    pub fa: usize,
    pub same_event: bool,
    pub validation: bool,
}

/// FNV-1a 64 of a key: the project's fit/validation split.
pub fn fnv1a64(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// True for keys of the validation part.
pub fn is_validation(key: &str) -> bool {
    fnv1a64(key) % 100 < 30
}

pub fn fixtures_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/crosslang-reports.jsonl")
}

/// Every report of the fixtures, in file order.
pub fn reports() -> Vec<Report> {
    let path = fixtures_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixtures {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("fixture line is JSON");
            let s = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("{k} in {l}"))
                    .to_string()
            };
            Report {
                id: s("id"),
                cluster: s("cluster"),
                event: s("event"),
                lang: Lang::from_code(&s("lang")).expect("en or fa"),
                published: chrono::DateTime::parse_from_rfc3339(&s("published"))
                    .expect("RFC 3339 time")
                    .timestamp(),
                title: s("title"),
                body: s("body"),
            }
        })
        .collect()
}

/// Every English x Persian pair within a cluster.
pub fn pairs(reports: &[Report]) -> Vec<Pair> {
    let mut out = Vec::new();
    for (i, a) in reports.iter().enumerate() {
        if a.lang != Lang::English {
            continue;
        }
        for (j, b) in reports.iter().enumerate() {
            if b.lang != Lang::Persian || b.cluster != a.cluster {
                continue;
            }
            let id = format!("{}|{}", a.id, b.id);
            out.push(Pair {
                validation: is_validation(&id),
                id,
                en: i,
                fa: j,
                same_event: a.event == b.event,
            });
        }
    }
    out
}

/// Precision and recall counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fneg: usize,
    pub tn: usize,
}

impl Counts {
    pub fn add(&mut self, truth: bool, said: bool) {
        match (truth, said) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fneg += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fneg).max(1) as f64
    }
}

/// Training hyper-parameters: fixed, so the weights file is reproducible.
pub const L2: f64 = 1e-3;
pub const ROUNDS: usize = 4000;
pub const RATE: f64 = 0.5;
/// Precision the threshold must reach on the fit part.
pub const FIT_PRECISION: f64 = 0.99;

/// A model trained on the fit pairs that pass the matcher's gates, and
/// the smallest threshold (0.50, 0.55, ... 0.95) whose fit precision is at
/// least [`FIT_PRECISION`]. The validation part is never read.
pub fn fit_model(
    matcher: &khabar_dedup::CrossLangMatcher,
    reports: &[Report],
) -> (khabar_dedup::Logistic, f64) {
    let facts: Vec<_> = reports
        .iter()
        .map(|r| matcher.facts(&r.as_report()))
        .collect();
    let fit: Vec<Pair> = pairs(reports)
        .into_iter()
        .filter(|p| !p.validation)
        .collect();
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut gated_positives = 0;
    for p in &fit {
        if matcher.gate(&facts[p.en], &facts[p.fa]).is_some() {
            gated_positives += usize::from(p.same_event);
            continue;
        }
        xs.push(matcher.features(&facts[p.en], &facts[p.fa]).0);
        ys.push(p.same_event);
    }
    let model = khabar_dedup::Logistic::train(&xs, &ys, L2, ROUNDS, RATE);
    let mut threshold = 0.95;
    for step in 0..10 {
        let t = 0.5 + 0.05 * step as f64;
        let mut c = Counts::default();
        for (x, &y) in xs.iter().zip(&ys) {
            c.add(y, model.probability(x) >= t);
        }
        c.fneg += gated_positives;
        if c.precision() >= FIT_PRECISION {
            threshold = t;
            break;
        }
    }
    (model, threshold)
}
