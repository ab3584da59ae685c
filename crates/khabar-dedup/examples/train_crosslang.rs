//! Trains the cross-language matcher's weights on the FIT part of the
//! fixtures and writes `data/crosslang-weights.toml`.
//!
//! `cargo run -p khabar-dedup --example train_crosslang` (then review the
//! diff of the weights file and run `cargo test -p khabar-dedup --test
//! crosslang -- --nocapture`).

#[path = "../tests/common/crosslang_fixtures.rs"]
mod fixtures;

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

use khabar_dedup::{CrossLangMatcher, FEATURE_NAMES};

fn main() -> Result<(), Box<dyn Error>> {
    let matcher = CrossLangMatcher::bundled()?;
    let reports = fixtures::reports();
    let (model, threshold) = fixtures::fit_model(&matcher, &reports);
    let mut out = String::new();
    writeln!(
        out,
        "# Learned weights of the cross-language matcher (crosslang.rs).\n\
         # Written by `cargo run -p khabar-dedup --example train_crosslang`: logistic\n\
         # regression (L2 {}, {} rounds, rate {}) on the FIT part of\n\
         # tests/data/crosslang-reports.jsonl (pairs whose FNV-1a 64 id mod 100 >= 30);\n\
         # threshold = smallest of 0.50..0.95 with fit precision >= {}.\n\
         # tests/crosslang.rs checks that retraining gives these numbers.",
        fixtures::L2,
        fixtures::ROUNDS,
        fixtures::RATE,
        fixtures::FIT_PRECISION
    )?;
    let names: Vec<String> = FEATURE_NAMES.iter().map(|n| format!("\"{n}\"")).collect();
    writeln!(out, "features = [{}]", names.join(", "))?;
    let ws: Vec<String> = model.weights.iter().map(|w| format!("{w:.6}")).collect();
    writeln!(out, "weights = [{}]", ws.join(", "))?;
    writeln!(out, "bias = {:.6}", model.bias)?;
    writeln!(out, "threshold = {threshold:.2}")?;
    writeln!(out, "window_hours = 48.0")?;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/crosslang-weights.toml");
    std::fs::write(&path, &out)?;
    print!("{out}");
    eprintln!("wrote {}", path.display());
    Ok(())
}
