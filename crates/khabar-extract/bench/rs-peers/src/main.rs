//! Runs khabar-extract, dom_smoothie and rs-trafilatura over the same
//! folder of pages in one process, page by page (each page read and
//! decompressed once, outside the timed region; each tool timed from the
//! raw bytes, charset decoding included), and writes each tool's text.
//!
//! ```text
//! rs-peers <folder> --out-dir DIR [--urls ground-truth.json] [--tools khabar,dom_smoothie]
//! ```
//! Writes `DIR/<tool>.jsonl` (`{"file", "text"}`, score-wcxb's input) and
//! `DIR/<tool>-body.json` (`{id: {"articleBody"}}`, score-extraction's),
//! and prints one line per tool: pages, errors, median / mean / p95 ms.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Instant;

const TOOLS: [&str; 3] = ["khabar", "dom_smoothie", "rs-trafilatura"];

fn page_bytes(p: &PathBuf) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    if p.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(std::fs::File::open(p)?).read_to_end(&mut out)?;
    } else {
        out = std::fs::read(p)?;
    }
    Ok(out)
}

fn urls(path: Option<&String>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        return map;
    };
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(&text) {
        for (k, v) in o {
            if let Some(u) = v.get("url").and_then(|u| u.as_str()) {
                map.insert(k, u.to_string());
            }
        }
    }
    map
}

/// One tool's text of one page; `None` when it failed or panicked.
fn run(tool: &str, ex: &khabar_extract::ArticleExtractor, bytes: &[u8], url: Option<&str>) -> Option<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match tool {
        "khabar" => ex.extract(bytes, url, None).ok().map(|a| a.text),
        "dom_smoothie" => {
            let html = String::from_utf8_lossy(bytes);
            let mut r = dom_smoothie::Readability::new(html.as_ref(), url, None).ok()?;
            r.parse().ok().map(|a| a.text_content.to_string())
        }
        _ => rs_trafilatura::extract_bytes(bytes).ok().map(|r| r.content_text),
    }))
    .ok()
    .flatten()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut folder = None;
    let mut opts: HashMap<&str, String> = HashMap::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            a @ ("--out-dir" | "--urls" | "--tools") => {
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
    let (Some(folder), Some(out)) = (folder, opts.get("--out-dir")) else {
        eprintln!("usage: rs-peers <folder> --out-dir DIR [--urls ground-truth.json]");
        std::process::exit(2);
    };
    std::fs::create_dir_all(out)?;
    let urls = urls(opts.get("--urls"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".html") || s.ends_with(".gz")))
        .collect();
    files.sort();
    // `--tools khabar,dom_smoothie` runs only those (for profiling one).
    let only: Vec<&str> = opts.get("--tools").map_or(TOOLS.to_vec(), |t| t.split(',').collect());
    std::panic::set_hook(Box::new(|_| {}));
    let ex = khabar_extract::ArticleExtractor::default();
    let mut jsonl = Vec::new();
    let mut body = Vec::new();
    for t in TOOLS {
        jsonl.push(std::io::BufWriter::new(std::fs::File::create(format!(
            "{out}/{t}.jsonl"
        ))?));
        let mut b = std::io::BufWriter::new(std::fs::File::create(format!("{out}/{t}-body.json"))?);
        b.write_all(b"{")?;
        body.push(b);
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); TOOLS.len()];
    let mut errors = [0usize; TOOLS.len()];
    for (n, p) in files.iter().enumerate() {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let key = name.split('.').next().unwrap_or("").to_string();
        let bytes = page_bytes(p)?;
        let url = urls.get(&key).map(String::as_str);
        for (k, t) in TOOLS.iter().enumerate() {
            if !only.contains(t) {
                continue;
            }
            let start = Instant::now();
            let text = run(t, &ex, &bytes, url);
            times[k].push(start.elapsed().as_secs_f64() * 1000.0);
            if text.is_none() {
                errors[k] += 1;
            }
            let text = text.unwrap_or_default();
            serde_json::to_writer(&mut jsonl[k], &serde_json::json!({ "file": name, "text": text }))?;
            jsonl[k].write_all(b"\n")?;
            if n > 0 {
                body[k].write_all(b",")?;
            }
            serde_json::to_writer(&mut body[k], &key)?;
            body[k].write_all(b":")?;
            serde_json::to_writer(&mut body[k], &serde_json::json!({ "articleBody": text }))?;
        }
    }
    for (k, t) in TOOLS.iter().enumerate() {
        if !only.contains(t) {
            continue;
        }
        body[k].write_all(b"}")?;
        body[k].flush()?;
        jsonl[k].flush()?;
        let mut s = times[k].clone();
        s.sort_by(f64::total_cmp);
        let n = s.len().max(1);
        println!(
            "{t} pages={} errors={} median_ms={:.3} mean_ms={:.3} p95_ms={:.3}",
            s.len(),
            errors[k],
            s.get(n / 2).copied().unwrap_or(0.0),
            s.iter().sum::<f64>() / n as f64,
            s.get((n * 95 / 100).min(n - 1)).copied().unwrap_or(0.0)
        );
    }
    Ok(())
}
