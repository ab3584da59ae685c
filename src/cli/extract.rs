//! `khabar extract <files or folders>`: one JSON line per page.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use khabar_extract::ArticleExtractor;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// .html, .htm or .html.gz files, or folders holding them (searched recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for p in &args.paths {
        collect(p, &mut files).with_context(|| p.display().to_string())?;
    }
    files.sort();
    let extractor = ArticleExtractor::new(Default::default());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in files {
        let line = match read_maybe_gz(&file).and_then(|bytes| {
            extractor
                .extract(&bytes, None, None)
                .map_err(|e| anyhow::anyhow!("{e}"))
        }) {
            Ok(a) => serde_json::json!({
                "file": file.display().to_string(),
                "url": a.canonical_url.or(a.url),
                "title": a.title,
                "byline": a.byline,
                "published": a.published.map(|d| d.to_rfc3339()),
                "dateline": a.dateline,
                "credits": a.credits,
                "lang": a.lang,
                "page_type": a.page_type.as_str(),
                "text": a.text,
            }),
            Err(e) => {
                serde_json::json!({ "file": file.display().to_string(), "error": format!("{e:#}") })
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

fn is_page(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    name.ends_with(".html")
        || name.ends_with(".htm")
        || name.ends_with(".html.gz")
        || name.ends_with(".htm.gz")
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if p.is_dir() {
        for entry in std::fs::read_dir(p)? {
            let path = entry?.path();
            if path.is_dir() {
                collect(&path, out)?;
            } else if is_page(&path) {
                out.push(path);
            }
        }
    } else if p.exists() {
        out.push(p.to_path_buf());
    } else {
        anyhow::bail!("no such file or folder");
    }
    Ok(())
}

/// Reads a file, gunzipping it when it is gzip (by magic bytes, not name).
/// Capped at 64 MiB so a wrong path cannot exhaust memory.
pub(crate) fn read_maybe_gz(path: &Path) -> anyhow::Result<Vec<u8>> {
    const CAP: u64 = 64 * 1024 * 1024;
    let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .take(CAP)
            .read_to_end(&mut out)
            .with_context(|| format!("{}: broken gzip", path.display()))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}
