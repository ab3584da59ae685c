//! Replays the corpus kept by the coverage-guided fuzzer (`fuzz/`, target
//! `extract`) so every test run re-checks the inputs that reached new code
//! paths, and the inputs that once crashed (`fuzz/regressions/extract`).
//!
//! Each file is what libFuzzer fed the target: one selector byte, then the
//! page. The replay runs the page under every header the target can choose,
//! so it covers at least what the fuzzer ran.

use std::path::{Path, PathBuf};

use khabar_extract::{ArticleExtractor, ExtractError};

const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=windows-1256"),
    Some("application/octet-stream"),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file());
    out.sort();
    out
}

#[test]
fn kept_fuzz_corpus_extracts_without_panicking() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let corpus = files(&fuzz.join("corpus/extract"));
    let regressions = files(&fuzz.join("regressions/extract"));
    // A missing or emptied corpus would make this test pass on nothing.
    assert!(corpus.len() >= 100, "kept corpus has only {} inputs", corpus.len());

    let extractor = ArticleExtractor::default();
    let (mut articles, mut refused) = (0usize, 0usize);
    let mut faults: Vec<String> = Vec::new();
    for file in corpus.iter().chain(&regressions) {
        let data = std::fs::read(file).expect("corpus file is readable");
        let page = data.get(1..).unwrap_or_default();
        for content_type in CONTENT_TYPES {
            for url in [Some("https://news.example/1402/09/12/story"), None] {
                match extractor.extract(page, url, content_type) {
                    Ok(article) => {
                        articles += 1;
                        // What the site republishes: no empty paragraph,
                        // no stray whitespace, no control characters.
                        for block in &article.blocks {
                            faults.extend(unclean(&block.text, file, "block"));
                        }
                        if let Some(title) = &article.title {
                            faults.extend(unclean(title, file, "title"));
                            if title.contains('\n') {
                                faults.push(format!("{}: title spans lines", file.display()));
                            }
                        }
                    }
                    Err(ExtractError::Empty | ExtractError::NotHtml(_)) => refused += 1,
                    Err(e) => panic!("{}: unexpected error {e}", file.display()),
                }
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults, first: {:#?}",
        faults.len(),
        &faults[..faults.len().min(10)]
    );
    // The corpus is mostly markup: most runs must give an article.
    assert!(articles > refused, "{articles} articles, {refused} refused");
}

fn unclean(text: &str, file: &Path, what: &str) -> Option<String> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if text.is_empty() {
        return Some(format!("{name}: empty {what}"));
    }
    if text != text.trim() {
        return Some(format!("{name}: {what} has edge whitespace: {text:?}"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Some(format!("{name}: {what} has a control character: {text:?}"));
    }
    None
}
