//! Runs the extractor over a folder of pages, prints timing and peak
//! memory, and writes predictions in the formats of
//! `shared/tools/score-extraction`.
//!
//! ```text
//! cargo run --release -p khabar-extract --example extract_bench -- <folder>
//!     [--urls ground-truth.json|gold.json] [--body out.json] [--dates out.json]
//!     [--meta out.json] [--repeat N]
//! ```
//! `<folder>` holds `*.html`, `*.html.gz`, `*.gz` files, or sub-folders with
//! a `source.html` (Readability's test pages). Pages are read and
//! decompressed one at a time, outside the timed region; only `extract`
//! is timed, and peak RSS covers the whole run.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use khabar_extract::{ArticleExtractor, ExtractOptions};

struct Page {
    /// Id for body/meta predictions (file stem or folder name).
    key: String,
    /// File name without `.gz`, the key of date predictions.
    file: String,
    url: Option<String>,
    path: PathBuf,
}

impl Page {
    fn bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        if self.path.extension().is_some_and(|e| e == "gz") {
            flate2::read::GzDecoder::new(std::fs::File::open(&self.path)?).read_to_end(&mut out)?;
        } else {
            out = std::fs::read(&self.path)?;
        }
        Ok(out)
    }
}

fn read_pages(dir: &Path, urls: &HashMap<String, String>) -> std::io::Result<Vec<Page>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let mut pages = Vec::new();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let (key, path) = if p.is_dir() {
            let src = p.join("source.html");
            if !src.exists() {
                continue;
            }
            (name.clone(), src)
        } else if let Some(stem) = name.strip_suffix(".gz") {
            (stem.trim_end_matches(".html").to_string(), p.clone())
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            (
                name.trim_end_matches(".html").trim_end_matches(".htm").to_string(),
                p.clone(),
            )
        } else {
            continue;
        };
        let file = name.trim_end_matches(".gz").to_string();
        let url = urls.get(&key).or_else(|| urls.get(&file)).cloned();
        pages.push(Page { key, file, url, path });
    }
    Ok(pages)
}

/// Accepts both gold shapes: `{id: {"url": ..}}` and `{url: {"file": ..}}`.
fn read_urls(path: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        return map;
    };
    let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(&text) else {
        return map;
    };
    for (k, v) in o {
        if let Some(u) = v.get("url").and_then(|u| u.as_str()) {
            map.insert(k.clone(), u.to_string());
        }
        if let Some(f) = v.get("file").and_then(|f| f.as_str()) {
            let f = f.trim_end_matches(".gz").to_string();
            map.insert(f.trim_end_matches(".html").to_string(), k.clone());
            map.insert(f, k.clone());
        }
    }
    map
}

fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut folder = None;
    let mut opts: HashMap<&str, String> = HashMap::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            a @ ("--urls" | "--body" | "--dates" | "--meta" | "--repeat" | "--jsonl") => {
                if let Some(v) = args.get(i + 1) {
                    opts.insert(a, v.clone());
                }
                i += 2;
            }
            a => {
                folder = Some(a.to_string());
                i += 1;
            }
        }
    }
    let Some(folder) = folder else {
        eprintln!(
            "usage: extract_bench <folder> [--urls gold.json] [--body f] [--dates f] [--meta f] [--jsonl f] [--repeat N]"
        );
        std::process::exit(2);
    };
    let urls = opts.get("--urls").map(|p| read_urls(p)).unwrap_or_default();
    let pages = match read_pages(Path::new(&folder), &urls) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot read {folder}: {e}");
            std::process::exit(1);
        }
    };
    let repeat: usize = opts.get("--repeat").and_then(|r| r.parse().ok()).unwrap_or(1).max(1);
    let ex = ArticleExtractor::new(ExtractOptions::default());
    let mut times = Vec::with_capacity(pages.len());
    // Predictions go to their files as each page is done: holding every
    // page's output until the end made the bench, not the extractor, the
    // largest user of memory over a 1,500-page folder.
    let mut body = ObjectWriter::open(opts.get("--body"));
    let mut dates = ObjectWriter::open(opts.get("--dates"));
    let mut meta = ObjectWriter::open(opts.get("--meta"));
    let mut jsonl = opts.get("--jsonl").and_then(|p| match std::fs::File::create(p) {
        Ok(f) => Some(std::io::BufWriter::new(f)),
        Err(e) => {
            eprintln!("cannot write {p}: {e}");
            None
        }
    });
    let mut errors = 0;
    for p in &pages {
        let bytes = match p.bytes() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("cannot read {}: {e}", p.path.display());
                errors += 1;
                continue;
            }
        };
        let mut best = f64::MAX;
        let mut result = None;
        for _ in 0..repeat {
            // The previous pass's result is dropped first, so a repeat
            // never holds two extractions of the page at once.
            drop(result.take());
            let t = Instant::now();
            let r = ex.extract(&bytes, p.url.as_deref(), None);
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
            result = Some(r);
        }
        drop(bytes);
        times.push(best);
        match result {
            Some(Ok(a)) => {
                body.entry(&p.key, || serde_json::json!({ "articleBody": a.text }));
                dates.entry(&p.file, || {
                    a.published
                        .map(|d| serde_json::Value::String(d.date_naive().to_string()))
                        .unwrap_or(serde_json::Value::Null)
                });
                meta.entry(&p.key, || {
                    serde_json::json!({
                        "title": a.title, "byline": a.byline,
                        "publishedTime": a.published.map(|d| d.to_rfc3339()),
                    })
                });
                if let Some(w) = jsonl.as_mut() {
                    let line = serde_json::json!({
                        "file": p.key, "url": a.url, "title": a.title, "byline": a.byline,
                        "published": a.published.map(|d| d.to_rfc3339()),
                        "modified": a.modified.map(|d| d.to_rfc3339()), "dateline": a.dateline,
                        "credits": a.credits, "lang": a.lang, "page_type": a.page_type.as_str(), "text": a.text,
                    });
                    let r = serde_json::to_writer(&mut *w, &line)
                        .map_err(std::io::Error::from)
                        .and_then(|()| w.write_all(b"\n"));
                    if let Err(e) = r {
                        eprintln!("cannot write jsonl: {e}");
                    }
                }
            }
            _ => errors += 1,
        }
    }
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let n = sorted.len().max(1);
    let median = sorted.get(n / 2).copied().unwrap_or(0.0);
    let p95 = sorted.get((n * 95 / 100).min(n - 1)).copied().unwrap_or(0.0);
    let mean = sorted.iter().sum::<f64>() / n as f64;
    println!(
        "pages={} errors={} median_ms={:.3} mean_ms={:.3} p95_ms={:.3} max_ms={:.3} peak_rss_mb={:.1}",
        pages.len(),
        errors,
        median,
        mean,
        p95,
        sorted.last().copied().unwrap_or(0.0),
        peak_rss_kb().unwrap_or(0) as f64 / 1024.0
    );
    body.finish();
    dates.finish();
    meta.finish();
    if let Some(mut w) = jsonl
        && let Err(e) = w.flush()
    {
        eprintln!("cannot write jsonl: {e}");
    }
}

/// A JSON object written member by member (`{"key": value, ...}`), so a
/// run over any number of pages holds one page's output at a time.
struct ObjectWriter {
    out: Option<std::io::BufWriter<std::fs::File>>,
    path: String,
    first: bool,
}

impl ObjectWriter {
    fn open(path: Option<&String>) -> Self {
        let out = path.and_then(|p| match std::fs::File::create(p) {
            Ok(f) => Some(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("cannot write {p}: {e}");
                None
            }
        });
        ObjectWriter {
            out,
            path: path.cloned().unwrap_or_default(),
            first: true,
        }
    }

    /// Writes one member; `value` is built only when the file was asked for.
    fn entry(&mut self, key: &str, value: impl FnOnce() -> serde_json::Value) {
        let Some(w) = self.out.as_mut() else { return };
        let sep: &[u8] = if self.first { b"{" } else { b"," };
        self.first = false;
        let r = w
            .write_all(sep)
            .and_then(|()| Ok(serde_json::to_writer(&mut *w, key)?))
            .and_then(|()| w.write_all(b":"))
            .and_then(|()| Ok(serde_json::to_writer(&mut *w, &value())?));
        if let Err(e) = r {
            eprintln!("cannot write {}: {e}", self.path);
            self.out = None;
        }
    }

    fn finish(self) {
        let Some(mut w) = self.out else { return };
        let end: &[u8] = if self.first { b"{}" } else { b"}" };
        if let Err(e) = w.write_all(end).and_then(|()| w.flush()) {
            eprintln!("cannot write {}: {e}", self.path);
        }
    }
}
