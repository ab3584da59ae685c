#![allow(dead_code)]
use std::path::PathBuf;

/// The shared corpora (`rel` inside them): `$KHABAR_CORPUS` when set (so a crate can be tested
/// on its own, with the corpora anywhere), else `shared/corpus` beside the
/// repository, where CI clones it.
pub fn corpus(rel: &str) -> PathBuf {
    std::env::var_os("KHABAR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
        .join(rel)
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
