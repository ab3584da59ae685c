//! How insert+query latency and memory grow with the number of stories.
//!
//! `cargo run --release -p khabar-dedup --example dedup_bench -- --max 1000000`
//!
//! Synthetic stories are built from real Reuters sentences: a random
//! headline and 4–10 random sentences, each with about one word in ten
//! replaced from the corpus vocabulary and a fresh figure, so stories share
//! wording the way real news does without being copies; one story in ten is
//! a syndicated copy (intro trimmed, ending cut, furniture added) of a
//! recent one. Signatures are computed outside the timed region (reported
//! separately); the timed region is `DedupIndex::insert`, which finds the
//! copies and the event of the story and adds it. Latency percentiles are
//! over the last 10,000 inserts before each checkpoint; RSS is the process
//! resident set (including the corpus text pool), heap is the index's own
//! estimate.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::{Rng, paragraphs, reuters};
use khabar_dedup::{DedupConfig, DedupIndex, Signature, StoryMeta};

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let max: usize = args
        .iter()
        .position(|a| a == "--max")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);

    let stories = reuters();
    let mut sentences: Vec<String> = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    for s in &stories {
        if !s.title.is_empty() {
            titles.push(s.title.clone());
        }
        for p in paragraphs(&s.body) {
            for sent in p.split(". ") {
                if sent.split_whitespace().count() >= 6 {
                    sentences.push(sent.trim_end_matches('.').to_string() + ".");
                }
            }
        }
    }
    let vocab: Vec<String> = sentences
        .iter()
        .take(20_000)
        .flat_map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    drop(stories);
    let base_rss = rss_mb();
    println!(
        "pool: {} sentences, {} titles, {} vocab words; RSS before index {:.0} MB",
        sentences.len(),
        titles.len(),
        vocab.len(),
        base_rss
    );

    let mut rng = Rng::new(42);
    let mut index = DedupIndex::new(DedupConfig::default());
    let checkpoints: Vec<usize> = [10_000, 100_000, 1_000_000, max]
        .into_iter()
        .filter(|&c| c <= max)
        .collect();
    let mut lat: Vec<u64> = Vec::with_capacity(10_000);
    let mut sig_ns: u128 = 0;
    let mut recent: Vec<(String, String)> = Vec::new();
    let (mut copies_made, mut copies_found) = (0usize, 0usize);
    println!(
        "| stories | insert p50 µs | p90 µs | p99 µs | max µs | signature mean µs | RSS MB | peak RSS MB | index heap MB | groups | events |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let t0 = Instant::now();
    for i in 0..max {
        let is_copy = i > 100 && rng.chance(0.1) && !recent.is_empty();
        let (title, body) = if is_copy {
            let (t, b) = &recent[rng.below(recent.len())];
            let mut paras: Vec<&str> = b.split("\n\n").collect();
            if paras.len() > 3 {
                paras.pop();
            }
            let mut body = String::from("Advertisement\n\n");
            body.push_str(&paras.join("\n\n"));
            body.push_str("\n\nReporting by staff; Editing by desk");
            (format!("UPDATE 1-{t}"), body)
        } else {
            let mut title = titles[rng.below(titles.len())].clone();
            title.push(' ');
            title.push_str(&vocab[rng.below(vocab.len())]);
            let n = 4 + rng.below(7);
            let mut paras = Vec::with_capacity(n);
            for _ in 0..n {
                let s = &sentences[rng.below(sentences.len())];
                let words: Vec<String> = s
                    .split_whitespace()
                    .map(|w| {
                        if rng.chance(0.1) {
                            vocab[rng.below(vocab.len())].clone()
                        } else {
                            w.to_string()
                        }
                    })
                    .collect();
                paras.push(format!("{} {}.", words.join(" "), rng.below(100_000)));
            }
            (title, paras.join("\n\n"))
        };
        let s0 = Instant::now();
        let sig = Signature::of(&title, &body);
        sig_ns += s0.elapsed().as_nanos();
        let meta = StoryMeta {
            published_unix: Some(1_700_000_000 + i as i64 * 30),
            body_len: body.len(),
            source: Some(format!("outlet-{}", rng.below(500))),
        };
        let t = Instant::now();
        let d = index.insert(i as u64, sig, meta);
        let ns = t.elapsed().as_nanos() as u64;
        if is_copy {
            copies_made += 1;
            copies_found += d.copy_of.is_some() as usize;
        }
        if !is_copy {
            if recent.len() < 2000 {
                recent.push((title, body));
            } else {
                let k = rng.below(recent.len());
                recent[k] = (title, body);
            }
        }
        let n = i + 1;
        let window_start = checkpoints
            .iter()
            .find(|&&c| c >= n)
            .map_or(0, |c| c.saturating_sub(10_000));
        if n > window_start {
            lat.push(ns);
        }
        if checkpoints.contains(&n) {
            lat.sort_unstable();
            let (g, e) = index.counts();
            println!(
                "| {n} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {:.0} | {g} | {e} |",
                pct(&lat, 0.5),
                pct(&lat, 0.9),
                pct(&lat, 0.99),
                pct(&lat, 1.0),
                sig_ns as f64 / n as f64 / 1000.0,
                rss_mb(),
                peak_rss_mb(),
                index.heap_bytes() as f64 / 1048576.0
            );
            lat.clear();
        }
    }
    println!(
        "total {:.1} s; synthetic copies found {copies_found}/{copies_made}",
        t0.elapsed().as_secs_f64()
    );
}
