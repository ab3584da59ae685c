//! Trains the topic model and writes the model file the crate ships.
//!
//! cargo run --release -p khabar-topic --example train_topic -- \
//!     ../shared/corpus/reuters21578/train.jsonl crates/khabar-topic/models/iran.json \
//!     --labels ../shared/corpus/reuters21578/editorial-train.jsonl
//!
//! The stories are labelled by the editorial standard: `--labels` gives the
//! reviewed labels (null = left out, an unlisted story is not about Iran).
//! Without `--labels` every line must carry its own `relevant` field
//! (editorial labels already applied, e.g. operator marks).
//! `--fit-only` trains on the fit part only (the validation part, FNV-1a
//! of the id mod 100 < 30, left out), as the validation test does.

use std::fs::File;
use std::io::BufReader;

use khabar_topic::{
    LabelRule, TrainOptions, apply_editorial_labels, read_editorial_labels, read_labelled_jsonl,
    split_fit_validation, train,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(out)) = (args.get(1), args.get(2)) else {
        return Err(
            "usage: train_topic <stories.jsonl> <model.json> [--labels editorial.jsonl] [--fit-only]"
                .into(),
        );
    };
    let labels = args
        .iter()
        .position(|a| a == "--labels")
        .and_then(|i| args.get(i + 1));
    let mut stories = match labels {
        Some(l) => {
            let labels = read_editorial_labels(BufReader::new(File::open(l)?))?;
            let s = read_labelled_jsonl(BufReader::new(File::open(input)?), LabelRule::Unlabelled)?;
            apply_editorial_labels(s, &labels)
        }
        None => read_labelled_jsonl(
            BufReader::new(File::open(input)?),
            LabelRule::Field("relevant".into()),
        )?,
    };
    if args.iter().any(|a| a == "--fit-only") {
        stories = split_fit_validation(stories).0;
    }
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
