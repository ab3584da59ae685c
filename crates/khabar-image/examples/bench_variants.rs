//! Time to turn a typical 1600x900 news photo (JPEG, quality 90) into the
//! srcset variants, and the bytes the variants save against the source.
//!
//! `cargo run --release -p khabar-image --features fixtures --example bench_variants`

use std::time::Instant;

use khabar_image::{ImagePolicy, OutputFormat, fixtures, process};

fn main() {
    let src = fixtures::photo_jpeg(1600, 900);
    let policy = ImagePolicy::default();
    // Warm up once, then time.
    let _ = process(&src, Some("image/jpeg"), &policy);
    let runs = 10;
    let started = Instant::now();
    let mut last = None;
    for _ in 0..runs {
        last = Some(process(&src, Some("image/jpeg"), &policy).expect("a photo is accepted"));
    }
    let per_image = started.elapsed() / runs;
    let p = last.expect("ran");
    println!("source: 1600x900 JPEG q90, {} bytes", src.len());
    println!(
        "process into {} variants: {:.1} ms per image (mean of {runs})",
        p.variants.len(),
        per_image.as_secs_f64() * 1000.0
    );
    for v in &p.variants {
        println!(
            "  {:>4}x{:<4} {:<4} {:>7} bytes",
            v.width,
            v.height,
            v.format.as_str(),
            v.bytes.len()
        );
    }
    let size = |f: OutputFormat, w: u32| {
        p.variants
            .iter()
            .find(|v| v.format == f && v.width == w)
            .map_or(0, |v| v.bytes.len())
    };
    for w in p.widths() {
        let (webp, jpeg) = (size(OutputFormat::WebP, w), size(OutputFormat::Jpeg, w));
        println!(
            "  {w}px: WebP {webp} vs JPEG {jpeg} bytes ({:.0}% smaller); vs source {:.0}% smaller",
            100.0 * (1.0 - webp as f64 / jpeg as f64),
            100.0 * (1.0 - webp as f64 / src.len() as f64)
        );
    }
}
