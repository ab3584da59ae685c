//! Lists candidate copy pairs in the Reuters corpus by brute force over
//! signatures (every pair within 7 days), for building the hand-labelled
//! evaluation in `tests/data/reuters_pairs.tsv`.
//!
//! `cargo run --release -p khabar-dedup --example pair_candidates > pairs.tsv`
//! prints `id_a  id_b  jaccard  containment` for pairs with containment >= 0.3.

use std::io::BufRead;

use khabar_dedup::{Signature, parse_time};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/reuters21578");
    let mut stories = Vec::new();
    for f in ["train.jsonl", "unused.jsonl"] {
        let file = std::io::BufReader::new(std::fs::File::open(corpus.join(f))?);
        for line in file.lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            let id = v["id"].as_u64().unwrap_or(0);
            let t = v["date"].as_str().and_then(parse_time).unwrap_or(0);
            let sig = Signature::of(
                v["title"].as_str().unwrap_or(""),
                v["body"].as_str().unwrap_or(""),
            );
            stories.push((id, t, sig));
        }
    }
    stories.sort_by_key(|s| s.1);
    for i in 0..stories.len() {
        for j in i + 1..stories.len() {
            if stories[j].1 - stories[i].1 > 7 * 86400 {
                break;
            }
            let (a, b) = (&stories[i].2, &stories[j].2);
            let c = a.containment(b);
            if c >= 0.3 {
                let (x, y) = (
                    stories[i].0.min(stories[j].0),
                    stories[i].0.max(stories[j].0),
                );
                println!("{x}\t{y}\t{:.3}\t{c:.3}", a.jaccard(b));
            }
        }
    }
    Ok(())
}
