//! Replays the corpus kept by the coverage-guided fuzzer (`fuzz/`, target
//! `feed`) and the inputs that once crashed it (`fuzz/regressions/feed`),
//! so every test run re-checks them without a fuzzer.

use std::path::{Path, PathBuf};

use khabar_feed::{FeedError, canonicalize_url, opml::parse_opml, parse_feed_report};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file());
    out.sort();
    out
}

#[test]
fn kept_fuzz_corpus_parses_without_panicking() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let corpus = files(&fuzz.join("corpus/feed"));
    let regressions = files(&fuzz.join("regressions/feed"));
    // A missing or emptied corpus would make this test pass on nothing.
    assert!(
        corpus.len() >= 100,
        "kept corpus has only {} inputs",
        corpus.len()
    );

    let mut entries = 0usize;
    for file in corpus.iter().chain(&regressions) {
        let data = std::fs::read(file).expect("corpus file is readable");
        let _ = parse_opml(&data);
        let report = match parse_feed_report(&data, "https://news.example/feed") {
            Ok(report) => report,
            // The parser's panic guard turns a crash into this error; the
            // guard is a safety net, not a way to pass this test.
            Err(FeedError::Parse(m)) if m.contains("crashed") => {
                panic!("{}: the feed parser crashed", file.display())
            }
            Err(_) => continue,
        };
        // The poller fetches these URLs as they are: each must be an
        // absolute http(s) URL that canonicalises.
        for entry in &report.feed.entries {
            entries += 1;
            let url = url::Url::parse(&entry.url)
                .unwrap_or_else(|e| panic!("{}: entry URL {:?}: {e}", file.display(), entry.url));
            assert!(
                matches!(url.scheme(), "http" | "https"),
                "{}: entry URL {:?} is not http(s)",
                file.display(),
                entry.url
            );
            assert!(
                canonicalize_url(&entry.url).is_ok(),
                "{}: entry URL {:?} does not canonicalise",
                file.display(),
                entry.url
            );
        }
    }
    // The corpus holds real feeds: some of its inputs must give entries.
    assert!(entries > 0, "no input of the corpus gave an entry");
}
