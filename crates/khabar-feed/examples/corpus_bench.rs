//! Parses every feed file under a folder, several times, and prints the
//! time per document: khabar's side of `bench/side_by_side.sh`, which runs
//! feedparser over the same files in the same run.
//!
//!     cargo run --release -p khabar-feed --example corpus_bench -- DIR [REPEAT]

use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml" || x == "json") {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: corpus_bench DIR [REPEAT]"));
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    let docs: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let mut per_doc = Vec::with_capacity(docs.len());
    let mut entries = 0usize;
    let started = Instant::now();
    for doc in &docs {
        let t = Instant::now();
        for _ in 0..repeat {
            if let Ok(r) =
                khabar_feed::parse_feed_report(std::hint::black_box(doc), "http://127.0.0.1:8097/")
            {
                entries += r.feed.entries.len();
            }
        }
        per_doc.push(t.elapsed().as_secs_f64() * 1e6 / repeat as f64);
    }
    let total = started.elapsed().as_secs_f64();
    per_doc.sort_by(f64::total_cmp);
    let median = per_doc[per_doc.len() / 2];
    let mean = per_doc.iter().sum::<f64>() / per_doc.len() as f64;
    println!(
        "khabar-feed: {} documents ({:.1} KiB), {repeat} passes: median {median:.1} µs/doc, mean {mean:.1} µs/doc, {:.1} MiB/s, {} entries/pass",
        docs.len(),
        bytes as f64 / 1024.0,
        bytes as f64 * repeat as f64 / total / (1024.0 * 1024.0),
        entries / repeat
    );
}
