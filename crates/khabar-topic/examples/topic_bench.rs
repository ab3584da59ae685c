//! Throughput of the topic stage on one core, over the Reuters corpus.
//!
//! cargo run --release -p khabar-topic --example topic_bench -- ../shared/corpus/reuters21578/train.jsonl [passes]

use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

use khabar_topic::{IRAN_MODEL_JSON, LabelRule, TopicClassifier, TopicInput, read_labelled_jsonl};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: topic_bench <stories.jsonl> [passes]")?;
    let passes: usize = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(3);
    let stories = read_labelled_jsonl(
        BufReader::new(File::open(path)?),
        LabelRule::PlacesContains("iran".into()),
    )?;
    let bytes: usize = stories.iter().map(|s| s.title.len() + s.body.len()).sum();
    let t0 = Instant::now();
    let c = TopicClassifier::iran();
    let load = t0.elapsed();
    let inputs: Vec<TopicInput> = stories
        .iter()
        .map(|s| TopicInput {
            title: &s.title,
            dateline: s.dateline.as_deref(),
            body: &s.body,
            lang: None,
            dedicated_source: false,
        })
        .collect();
    let mut relevant = 0usize;
    let mut best_full = f64::MAX;
    let mut best_score = f64::MAX;
    for _ in 0..passes {
        let t = Instant::now();
        relevant = inputs.iter().filter(|i| c.classify(i).relevant).count();
        best_full = best_full.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let n = inputs.iter().filter(|i| c.score(i) >= 0.5).count();
        best_score = best_score.min(t.elapsed().as_secs_f64());
        assert_eq!(n, relevant);
    }
    let n = inputs.len() as f64;
    println!(
        "stories: {} ({:.1} MB of text), relevant: {relevant}",
        inputs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "model: {} bytes, load {:.1} ms",
        IRAN_MODEL_JSON.len(),
        load.as_secs_f64() * 1e3
    );
    println!(
        "classify (score+reasons+tags): {:.0} stories/s, {:.1} µs/story, {:.1} MB/s (best of {passes})",
        n / best_full,
        best_full / n * 1e6,
        bytes as f64 / 1e6 / best_full
    );
    println!(
        "score only: {:.0} stories/s, {:.1} µs/story",
        n / best_score,
        best_score / n * 1e6
    );
    Ok(())
}
