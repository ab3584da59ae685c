//! khabar feed stage: bytes of a feed or sitemap in, [`ParsedFeed`] out.
//!
//! Pure: no I/O. Everything a source can serve is sniffed here (RSS 0.90
//! to 2.0, RSS 1.0/RDF, Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1, sitemaps,
//! sitemap indexes, Google News sitemaps) so the pipeline need not trust the
//! `kind` an operator configured or the Content-Type a server sent. What the
//! HTTP response said ([`HttpContext`]) takes part in decoding and in
//! resolving links; a damaged document gives what can be read of it and
//! says what was wrong ([`FeedReport::damage`]).
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

mod assemble;
mod canonical;
mod dates;
mod decode;
mod error;
mod gunzip;
mod json_feed;
pub mod opml;
mod repair;
mod sitemap;
mod sniff;
mod text;
mod text_sitemap;
mod xml_feed;

pub use canonical::canonicalize_url;
pub use error::{FeedError, UrlError};
use khabar_model::ParsedFeed;

use crate::sniff::Sniffed;

/// A parsed feed plus what had to be thrown away or repaired, so an
/// operator can see a source whose items have no usable links or whose
/// document is damaged.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedReport {
    pub feed: ParsedFeed,
    /// Entries dropped because they had no usable http(s) URL.
    pub dropped_entries: usize,
    /// The character encoding the document was read in (an encoding_rs
    /// name such as `UTF-8` or `windows-1252`).
    pub encoding: &'static str,
    /// What was wrong with a document that was read all the same: cut
    /// short (the items before the cut are kept), not well-formed and
    /// repaired, its declared charset wrong. Empty for a clean document.
    pub damage: Vec<String>,
    /// Items that could not become stories, each with why (no link, no
    /// permalink, no enclosure and nothing to publish in its place).
    pub skipped: Vec<String>,
}

impl FeedReport {
    /// A report of a clean document; [`parse_feed_http`] fills in the
    /// encoding and the damage found before the format's parser ran.
    pub(crate) fn new(feed: ParsedFeed, dropped_entries: usize) -> FeedReport {
        FeedReport {
            feed,
            dropped_entries,
            encoding: "UTF-8",
            damage: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

/// What the HTTP response said about a document, beside its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpContext<'a> {
    /// The `Content-Type` header: its `charset` outranks the XML
    /// declaration (RFC 7303).
    pub content_type: Option<&'a str>,
    /// The `Content-Location` header: relative links resolve against it
    /// (itself resolved against the fetch URL) before the fetch URL.
    pub content_location: Option<&'a str>,
    /// The `Content-Language` header: the feed's language when the feed
    /// itself names none.
    pub content_language: Option<&'a str>,
}

/// Parses any supported feed or sitemap. Item URLs are absolute, resolved
/// against `base_url` (the URL the document was fetched from); entries
/// without an http(s) URL are dropped (see [`parse_feed_report`] for the
/// count).
pub fn parse_feed(bytes: &[u8], base_url: &str) -> Result<ParsedFeed, FeedError> {
    parse_feed_report(bytes, base_url).map(|r| r.feed)
}

/// [`parse_feed`], also reporting what was dropped or repaired.
pub fn parse_feed_report(bytes: &[u8], base_url: &str) -> Result<FeedReport, FeedError> {
    parse_feed_http(bytes, base_url, HttpContext::default())
}

/// [`parse_feed_report`] for a document fetched over HTTP: the response's
/// `Content-Type` charset and `Content-Location` take part in decoding and
/// in resolving relative links.
pub fn parse_feed_http(
    bytes: &[u8],
    base_url: &str,
    http: HttpContext<'_>,
) -> Result<FeedReport, FeedError> {
    // `sitemap.xml.gz` is served as a gzip file, not with Content-Encoding,
    // so the HTTP client hands us the compressed bytes.
    let inflated = gunzip::maybe_gunzip(bytes)?;
    let bytes: &[u8] = inflated.as_deref().unwrap_or(bytes);
    sniff::reject_binary(bytes)?;
    let charset = http.content_type.and_then(decode::charset_param);
    let decoded = decode::decode_document(bytes, charset.as_deref());
    let text = decoded.text;
    sniff::reject_control_chars(&text)?;
    let fetched = url::Url::parse(base_url.trim()).ok();
    let base = http
        .content_location
        .and_then(|loc| match &fetched {
            Some(f) => f.join(loc.trim()).ok(),
            None => url::Url::parse(loc.trim()).ok(),
        })
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .or(fetched);
    let mut report = match parse_text(&text, base.as_ref()) {
        Ok(report) => report,
        Err(first) => {
            let retry = match first {
                FeedError::Xml { .. } | FeedError::NotAFeed(_) | FeedError::Parse(_) => {
                    repair::repair(&text)
                }
                _ => None,
            };
            match retry.map(|fixed| parse_text(&fixed, base.as_ref())) {
                Some(Ok(mut report)) => {
                    report.damage.insert(0, format!("repaired: {first}"));
                    report
                }
                _ => return Err(first),
            }
        }
    };
    report.encoding = decoded.encoding;
    if report.feed.language.is_none() {
        report.feed.language = http
            .content_language
            .and_then(|l| l.split(',').next())
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
    }
    if let Some(why) = decoded.damage {
        report.damage.insert(0, why);
    }
    Ok(report)
}

fn parse_text(text: &str, base: Option<&url::Url>) -> Result<FeedReport, FeedError> {
    if let Some(report) = text_sitemap::parse_text_sitemap(text, base) {
        return Ok(report);
    }
    match sniff::sniff(text)? {
        Sniffed::Json => json_feed::parse_json_feed(text, base),
        Sniffed::Xml { local, qname } => {
            let kind = local.to_ascii_lowercase();
            let known = matches!(
                kind.as_str(),
                "rss" | "rdf" | "feed" | "channel" | "urlset" | "sitemapindex"
            );
            if !known {
                return Err(FeedError::NotAFeed(format!(
                    "XML with root element <{qname}>"
                )));
            }
            if sniff::is_truncated(text, &qname) {
                return parse_truncated(text, &qname, &kind, base);
            }
            parse_xml_root(&kind, text, base)
        }
    }
}

/// An XML document whose root (lower-cased local name) is known: a sitemap
/// or a syndication feed.
fn parse_xml_root(
    kind: &str,
    text: &str,
    base: Option<&url::Url>,
) -> Result<FeedReport, FeedError> {
    match kind {
        "urlset" | "sitemapindex" => sitemap::parse_sitemap(text, base),
        _ => xml_feed::parse_xml_feed(text, base),
    }
}

/// A document cut short (a download that stopped, a feed generator that
/// died mid-way): the items before the cut are kept and the damage is
/// recorded, so a source does not lose a whole poll to one bad byte range.
fn parse_truncated(
    text: &str,
    qname: &str,
    kind: &str,
    base: Option<&url::Url>,
) -> Result<FeedReport, FeedError> {
    let cut = FeedError::Xml {
        line: sniff::line_of(text, text.len()),
        message: format!("document ends before </{qname}> (truncated download?)"),
    };
    let Some(closed) = repair::close_truncated(text) else {
        return Err(cut);
    };
    // The cut may leave what the repair pass fixes (an entity of HTML's).
    let parsed = parse_xml_root(kind, &closed, base).or_else(|e| {
        let fixed = repair::repair(&closed).ok_or(e)?;
        parse_xml_root(kind, &fixed, base)
    });
    let mut report = parsed.map_err(|_| cut.clone())?;
    report.damage.push(format!(
        "{cut}: the {} items before the cut were kept",
        report.feed.entries.len()
    ));
    Ok(report)
}
