#![allow(dead_code)]

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use khabar_topic::{
    LabelRule, LabelledStory, apply_editorial_labels, read_editorial_labels, read_labelled_jsonl,
};

/// The shared corpora: `$KHABAR_CORPUS` when set (so a crate can be tested
/// on its own, with the corpora anywhere), else `shared/corpus` beside the
/// repository, where CI clones it.
pub fn corpus() -> PathBuf {
    std::env::var_os("KHABAR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

pub fn reuters(split: &str) -> Vec<LabelledStory> {
    let path = corpus().join("reuters21578").join(split);
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_labelled_jsonl(
        BufReader::new(file),
        LabelRule::PlacesContains("iran".into()),
    )
    .unwrap()
}

pub fn crate_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn labelled_file(path: &PathBuf) -> Vec<LabelledStory> {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_labelled_jsonl(BufReader::new(file), LabelRule::Auto).unwrap()
}

/// `train.jsonl` labelled by the editorial standard
/// (`editorial-train.jsonl`: null = left out, unlisted = not about Iran).
pub fn editorial_train() -> Vec<LabelledStory> {
    let path = corpus().join("reuters21578/editorial-train.jsonl");
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let labels = read_editorial_labels(BufReader::new(file)).unwrap();
    apply_editorial_labels(reuters("train.jsonl"), &labels)
}
