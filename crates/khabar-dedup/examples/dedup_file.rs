//! Runs `dedup_jsonl` over a file, as `khabar dedup <jsonl>` will:
//! `cargo run --release -p khabar-dedup --example dedup_file -- stories.jsonl > groups.jsonl`
//! Stats go to stderr.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: dedup_file <stories.jsonl>")?;
    let input = std::io::BufReader::new(std::fs::File::open(&path)?);
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let t = std::time::Instant::now();
    let stats = khabar_dedup::dedup_jsonl(input, out, &khabar_dedup::DedupConfig::default())?;
    eprintln!("{stats:?} in {:.2} s", t.elapsed().as_secs_f64());
    Ok(())
}
