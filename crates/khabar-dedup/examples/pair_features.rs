//! Prints the signature-level features of every labelled pair in
//! `tests/data/reuters_pairs.tsv`, for choosing thresholds:
//! `cargo run --release -p khabar-dedup --example pair_features > features.tsv`
//! Columns: id_a id_b label jaccard containment shingles_a shingles_b gap_hours.

use std::collections::HashMap;
use std::io::BufRead;

use khabar_dedup::{Signature, parse_time};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../../../shared/corpus/reuters21578");
    let mut stories: HashMap<u64, (Option<i64>, Signature)> = HashMap::new();
    for f in ["train.jsonl", "unused.jsonl"] {
        for line in std::io::BufReader::new(std::fs::File::open(corpus.join(f))?).lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            let sig = Signature::of(
                v["title"].as_str().unwrap_or(""),
                v["body"].as_str().unwrap_or(""),
            );
            stories.insert(
                v["id"].as_u64().unwrap_or(0),
                (v["date"].as_str().and_then(parse_time), sig),
            );
        }
    }
    let cfg = khabar_dedup::DedupConfig::default();
    let labels = std::fs::read_to_string(root.join("tests/data/reuters_pairs.tsv"))?;
    for l in labels
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("id_a"))
    {
        let f: Vec<&str> = l.split('\t').collect();
        let (a, b): (u64, u64) = (f[0].parse()?, f[1].parse()?);
        let (Some((ta, sa)), Some((tb, sb))) = (stories.get(&a), stories.get(&b)) else {
            continue;
        };
        let gap_s = match (ta, tb) {
            (Some(x), Some(y)) => Some(x - y),
            _ => None,
        };
        let gap = match (ta, tb) {
            (Some(x), Some(y)) => (x - y).abs() / 3600,
            _ => -1,
        };
        println!(
            "{a}\t{b}\t{}\t{:.3}\t{:.3}\t{}\t{}\t{gap}\t{:.3}\t{}\t{}\t{}\t{}",
            f[2],
            sa.jaccard(sb),
            sa.containment(sb),
            sa.shingle_count(),
            sb.shingle_count(),
            sa.figure_overlap(sb).unwrap_or(-1.0),
            khabar_dedup::is_copy(&cfg, sa, sb, gap_s).is_some() as u8,
            sa.figures().map_or(-1, |f| f.len() as i64),
            sb.figures().map_or(-1, |f| f.len() as i64),
            match (sa.figures(), sb.figures()) {
                (Some(x), Some(y)) => x.iter().filter(|v| y.contains(v)).count() as i64,
                _ => -1,
            }
        );
    }
    Ok(())
}
