//! Prints the extracted article of one page as JSON (debugging aid).
//! `cargo run -p khabar-extract --example extract_one -- page.html[.gz] [url]`
use std::io::Read;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: extract_one <page.html[.gz]> [url]");
        std::process::exit(2);
    };
    let url = args.next();
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&path).and_then(|f| {
        if path.ends_with(".gz") {
            flate2::read::GzDecoder::new(f).read_to_end(&mut bytes)
        } else {
            let mut f = f;
            f.read_to_end(&mut bytes)
        }
    });
    if let Err(e) = read {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1);
    }
    match khabar_extract::ArticleExtractor::default().extract(&bytes, url.as_deref(), None) {
        Ok(a) => println!("{}", serde_json::to_string_pretty(&a).unwrap_or_default()),
        Err(e) => eprintln!("error: {e}"),
    }
}
