//! Hostile input never panics: arbitrary bytes, and arbitrary tag soup.

use khabar_extract::ArticleExtractor;
use proptest::prelude::*;

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
}
