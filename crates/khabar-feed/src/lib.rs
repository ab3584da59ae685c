//! khabar feed stage: bytes of a feed or sitemap in, [`ParsedFeed`] out.
//!
//! Pure: no I/O. Everything a source can serve is sniffed here (RSS 0.9x,
//! 1.0 and 2.0, Atom, JSON Feed, sitemaps, sitemap indexes, Google News
//! sitemaps) so the pipeline need not trust the `kind` an operator
//! configured or the Content-Type a server sent.
//!
//! ```
//! let rss = br#"<rss version="2.0"><channel><title>BBC &amp; co</title>
//!   <item><title>Talks resume</title><link>/news/1?utm_source=rss</link></item>
//! </channel></rss>"#;
//! let feed = khabar_feed::parse_feed(rss, "https://example.com/feed.xml")?;
//! assert_eq!(feed.entries[0].url, "https://example.com/news/1?utm_source=rss");
//! let canonical = khabar_feed::canonicalize_url(&feed.entries[0].url)?;
//! assert_eq!(canonical, "https://example.com/news/1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canonical;
mod dates;
mod dc_subject;
mod decode;
mod error;
mod gunzip;
pub mod opml;
mod repair;
mod sitemap;
mod sniff;
mod syndication;
mod text;
mod text_sitemap;

pub use canonical::canonicalize_url;
pub use error::{FeedError, UrlError};
use khabar_model::ParsedFeed;

use crate::sniff::Sniffed;

/// A parsed feed plus what had to be thrown away, so an operator can see a
/// source whose items have no usable links.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedReport {
    pub feed: ParsedFeed,
    /// Entries dropped because they had no usable http(s) URL.
    pub dropped_entries: usize,
}

/// Parses any supported feed or sitemap. Item URLs are absolute, resolved
/// against `base_url` (the URL the document was fetched from); entries
/// without an http(s) URL are dropped (see [`parse_feed_report`] for the
/// count).
pub fn parse_feed(bytes: &[u8], base_url: &str) -> Result<ParsedFeed, FeedError> {
    parse_feed_report(bytes, base_url).map(|r| r.feed)
}

/// [`parse_feed`], also reporting how many entries were dropped.
pub fn parse_feed_report(bytes: &[u8], base_url: &str) -> Result<FeedReport, FeedError> {
    // `sitemap.xml.gz` is served as a gzip file, not with Content-Encoding,
    // so the HTTP client hands us the compressed bytes.
    let inflated = gunzip::maybe_gunzip(bytes)?;
    let bytes: &[u8] = inflated.as_deref().unwrap_or(bytes);
    sniff::reject_binary(bytes)?;
    let text = decode::decode_document(bytes)?;
    sniff::reject_control_chars(&text)?;
    let base = url::Url::parse(base_url.trim()).ok();
    match parse_text(&text, base.as_ref()) {
        Ok(report) => Ok(report),
        Err(first) => {
            let retry = match first {
                FeedError::Xml { .. } | FeedError::NotAFeed(_) | FeedError::Parse(_) => {
                    repair::repair(&text)
                }
                _ => None,
            };
            match retry.map(|fixed| parse_text(&fixed, base.as_ref())) {
                Some(Ok(report)) => Ok(report),
                _ => Err(first),
            }
        }
    }
}

fn parse_text(text: &str, base: Option<&url::Url>) -> Result<FeedReport, FeedError> {
    if let Some(report) = text_sitemap::parse_text_sitemap(text, base) {
        return Ok(report);
    }
    match sniff::sniff(text)? {
        Sniffed::Json => syndication::parse_syndication(text, base, true),
        Sniffed::Xml { local, qname } => {
            let kind = local.to_ascii_lowercase();
            let known = matches!(
                kind.as_str(),
                "rss" | "rdf" | "feed" | "urlset" | "sitemapindex"
            );
            if !known {
                return Err(FeedError::NotAFeed(format!(
                    "XML with root element <{qname}>"
                )));
            }
            if sniff::is_truncated(text, &qname) {
                return Err(FeedError::Xml {
                    line: sniff::line_of(text, text.len()),
                    message: format!("document ends before </{qname}> (truncated download?)"),
                });
            }
            match kind.as_str() {
                "urlset" | "sitemapindex" => sitemap::parse_sitemap(text, base),
                "rss" => {
                    let fixed = fix_rss_version(text);
                    syndication::parse_syndication(&fixed, base, false)
                }
                _ => syndication::parse_syndication(text, base, false),
            }
        }
    }
}

/// feed-rs recognises `<rss>` only with version 0.91, 0.92, 2.0 or empty;
/// real feeds also say 0.90, 0.93, 0.94, 2.01 or nothing at all. All of
/// these are read as RSS 2.0 (a superset for the elements we use).
fn fix_rss_version(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let Some(start) = find_root_tag(text) else {
        return Cow::Borrowed(text);
    };
    let Some(len) = text[start..].find('>') else {
        return Cow::Borrowed(text);
    };
    let tag = &text[start..start + len];
    let version = attr_value(tag, "version");
    if matches!(version.as_deref(), Some("0.91" | "0.92" | "2.0" | "")) {
        return Cow::Borrowed(text);
    }
    let new_tag = match version {
        Some(v) => {
            tag.replacen(&format!("\"{v}\""), "\"2.0\"", 1)
                .replacen(&format!("'{v}'"), "'2.0'", 1)
        }
        None => format!("{} version=\"2.0\"{}", &tag[..4], &tag[4..]),
    };
    Cow::Owned(format!(
        "{}{}{}",
        &text[..start],
        new_tag,
        &text[start + len..]
    ))
}

fn find_root_tag(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("<rss") {
        let at = from + i;
        let next = text[at + 4..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '>') {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn attr_value(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        let before_ok = tag[..at].ends_with(|c: char| c.is_whitespace());
        let rest = tag[at + name.len()..].trim_start();
        if before_ok && let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let q = r.chars().next()?;
            if q == '"' || q == '\'' {
                let v = &r[1..];
                return v.find(q).map(|e| v[..e].to_string());
            }
        }
        from = at + name.len();
    }
    None
}
