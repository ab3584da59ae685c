//! Hostile input never panics: arbitrary bytes, and arbitrary tag soup.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use khabar_extract::ArticleExtractor;
use proptest::prelude::*;

/// A few real pages (UTF-8 news, a Persian fixture) to cut and corrupt.
fn real_pages() -> &'static Vec<Vec<u8>> {
    static PAGES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let aeb = root.join("../../../shared/corpus/aeb-dev/html");
        if let Ok(rd) = std::fs::read_dir(&aeb) {
            let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files.into_iter().take(3) {
                let mut b = Vec::new();
                if let Ok(file) = std::fs::File::open(&f)
                    && flate2::read::GzDecoder::new(file).read_to_end(&mut b).is_ok()
                {
                    out.push(b);
                }
            }
        }
        let fa = root.join("../../tests/fixtures/persian-pages");
        if let Ok(rd) = std::fs::read_dir(&fa) {
            let mut files: Vec<_> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect();
            files.sort();
            for f in files.into_iter().take(2) {
                if let Ok(b) = std::fs::read(f) {
                    out.push(b);
                }
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = ArticleExtractor::default().extract(&bytes, Some("https://example.com/2023/12/03/x"), None);
    }

    #[test]
    fn arbitrary_tag_soup_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("<div>".to_string()), Just("</div>".to_string()), Just("<p>".to_string()),
            Just("<table><tr><td>".to_string()), Just("<br><br>".to_string()),
            Just("<script>{\"@type\":\"NewsArticle\",\"author\":[".to_string()),
            Just("<meta charset=windows-1256>".to_string()), Just("<time datetime='2023-13-45'>".to_string()),
            "[a-zA-Z ,.\u{0600}-\u{06FF}\u{200C}]{0,40}",
        ], 0..200)) {
        let page = parts.concat();
        let _ = ArticleExtractor::default().extract(page.as_bytes(), None, Some("text/html; charset=utf-8"));
    }

    /// Metadata strings of any script and length (site-name stripping,
    /// title cleaning and byline parsing slice strings).
    #[test]
    fn arbitrary_metadata_never_panics(
        title in "\\PC{0,60}",
        site in "\\PC{0,20}",
        author in "\\PC{0,30}",
        date in "\\PC{0,30}",
    ) {
        let page = format!(
            "<html><head><title>{title}</title><meta property=og:site_name content=\"{site}\">\
             <meta name=author content=\"{author}\"><meta name=date content=\"{date}\"></head>\
             <body><h1>{title}</h1><p class=byline>By {author}</p><p>{title} {site}, {date}.</p></body></html>"
        );
        let _ = ArticleExtractor::default().extract(page.as_bytes(), Some("https://example.com/a"), None);
    }

    /// Real pages cut at any byte and with bytes overwritten: truncated
    /// markup, split UTF-8 sequences, broken JSON-LD.
    #[test]
    fn truncated_and_corrupted_real_pages_never_panic(
        page in 0usize..5,
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..20),
    ) {
        let pages = real_pages();
        prop_assume!(!pages.is_empty());
        let mut b = pages[page % pages.len()].clone();
        b.truncate((b.len() as f64 * cut) as usize);
        let n = b.len();
        for (at, byte) in flips {
            if n > 0 {
                b[((n as f64 * at) as usize).min(n - 1)] = byte;
            }
        }
        let _ = ArticleExtractor::default().extract(&b, Some("https://example.com/2023/12/03/x"), None);
    }
}
