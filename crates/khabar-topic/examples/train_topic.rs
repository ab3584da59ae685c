//! Trains the topic model and writes the model file the crate ships.
//!
//! cargo run --release -p khabar-topic --example train_topic -- \
//!     ../shared/corpus/reuters21578/train.jsonl crates/khabar-topic/models/iran.json

use std::fs::File;
use std::io::BufReader;

use khabar_topic::{LabelRule, TrainOptions, read_labelled_jsonl, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(out)) = (args.get(1), args.get(2)) else {
        return Err("usage: train_topic <labelled.jsonl> <model.json>".into());
    };
    let stories = read_labelled_jsonl(BufReader::new(File::open(input)?), LabelRule::Auto)?;
    let model = train(&stories, &TrainOptions::default())?;
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes)?;
    eprintln!(
        "trained on {} stories ({} relevant); wrote {} bytes to {out}",
        model.training.stories,
        model.training.relevant,
        bytes.len()
    );
    Ok(())
}
