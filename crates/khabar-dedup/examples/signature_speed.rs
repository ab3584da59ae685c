//! Mean cost of `Signature::of` over every Reuters story (3 passes):
//! `cargo run --release -p khabar-dedup --example signature_speed`

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let stories = common::reuters();
    let chars: usize = stories.iter().map(|s| s.body.len()).sum();
    let t = std::time::Instant::now();
    let mut n = 0usize;
    for _ in 0..3 {
        for s in &stories {
            std::hint::black_box(khabar_dedup::Signature::of(&s.title, &s.body));
            n += 1;
        }
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!(
        "Signature::of: {us:.1} µs mean over {n} stories (mean body {} bytes)",
        chars / stories.len()
    );
}
