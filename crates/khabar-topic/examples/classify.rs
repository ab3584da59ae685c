//! `khabar classify` in miniature: classifies a jsonl file with the shipped
//! Iran model and writes one JSON line per story to stdout.
//!
//! cargo run --release -p khabar-topic --example classify -- <stories.jsonl>

use std::fs::File;
use std::io::{BufReader, BufWriter};

use khabar_topic::{TopicClassifier, classify_jsonl};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: classify <stories.jsonl>")?;
    let input = BufReader::new(File::open(&path)?);
    let out = BufWriter::new(std::io::stdout().lock());
    let stats = classify_jsonl(input, out, &TopicClassifier::iran())?;
    eprintln!("{}", serde_json::to_string(&stats)?);
    Ok(())
}
