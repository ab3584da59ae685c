//! Plain-text sitemaps: one URL per line (sitemaps.org allows them).

use std::collections::HashSet;

use khabar_model::{FeedEntry, FeedKind, ParsedFeed};
use url::Url;

use crate::FeedReport;
use crate::canonical::resolve_http;

/// `Some` when every non-blank line is an absolute http(s) URL; anything
/// else (markup, prose, one odd line) is left to the other parsers.
pub(crate) fn parse_text_sitemap(text: &str, base: Option<&Url>) -> Option<FeedReport> {
    let body = text.trim_start_matches('\u{FEFF}').trim();
    if !(body.starts_with("http://") || body.starts_with("https://")) {
        return None;
    }
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.contains(char::is_whitespace) || line.contains('<') {
            return None;
        }
        let url = resolve_http(line, None)?;
        if seen.insert(url.clone()) {
            entries.push(FeedEntry {
                url,
                ..FeedEntry::default()
            });
        }
    }
    Some(FeedReport::new(
        ParsedFeed {
            kind: FeedKind::Sitemap,
            title: None,
            site_url: base.and_then(|b| b.join("/").ok()).map(String::from),
            language: None,
            entries,
            child_sitemaps: Vec::new(),
        },
        0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_url_per_line() {
        let r = parse_text_sitemap(
            "https://a.example/1\r\n\nhttps://a.example/2\nhttps://a.example/1\n",
            None,
        )
        .unwrap();
        let urls: Vec<_> = r.feed.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://a.example/1", "https://a.example/2"]);
    }

    #[test]
    fn prose_is_not_a_sitemap() {
        assert!(parse_text_sitemap("https://a.example/1 is down", None).is_none());
        assert!(parse_text_sitemap("see https://a.example/1", None).is_none());
        assert!(parse_text_sitemap("https://a.example/1\nftp://x/2", None).is_none());
    }
}
