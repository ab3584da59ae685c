//! XML sitemaps, sitemap indexes and Google News sitemaps.
//!
//! Elements are matched by local name, not namespace: generators get the
//! namespace URIs wrong often enough (http vs https, missing `news:`
//! declaration) that being strict would lose real articles.

use std::collections::HashSet;

use khabar_model::{FeedEntry, FeedKind, ParsedFeed};
use roxmltree::{Document, Node, ParsingOptions};
use url::Url;

use crate::canonical::resolve_http;
use crate::dates::parse_feed_date;
use crate::text::plain_text;
use crate::{FeedError, FeedReport};

pub(crate) fn parse_sitemap(text: &str, base: Option<&Url>) -> Result<FeedReport, FeedError> {
    let doc = parse_xml(text)?;
    let root = doc.root_element();
    match root.tag_name().name() {
        "sitemapindex" => Ok(parse_index(root, base)),
        _ => Ok(parse_urlset(root, base)),
    }
}

pub(crate) fn parse_xml(text: &str) -> Result<Document<'_>, FeedError> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).map_err(|e| FeedError::Xml {
        line: e.pos().row,
        message: e.to_string(),
    })
}

fn parse_index(root: Node<'_, '_>, base: Option<&Url>) -> FeedReport {
    let mut children = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut dropped = 0;
    for sm in root.children().filter(|n| is(n, "sitemap")) {
        match child_text(sm, "loc").and_then(|l| resolve_http(&l, base)) {
            Some(u) if seen.insert(u.clone()) => children.push(u),
            Some(_) => {}
            None => dropped += 1,
        }
    }
    FeedReport::new(
        ParsedFeed {
            kind: FeedKind::SitemapIndex,
            title: None,
            site_url: base.map(site_root),
            language: None,
            entries: Vec::new(),
            child_sitemaps: children,
        },
        dropped,
    )
}

fn parse_urlset(root: Node<'_, '_>, base: Option<&Url>) -> FeedReport {
    let mut entries: Vec<FeedEntry> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut dropped = 0;
    let mut any_news = false;
    let mut publication: Option<String> = None;
    let mut language: Option<String> = None;
    for node in root.children().filter(|n| is(n, "url")) {
        let Some(url) = child_text(node, "loc").and_then(|l| resolve_http(&l, base)) else {
            dropped += 1;
            continue;
        };
        if !seen.insert(url.clone()) {
            continue;
        }
        let mut entry = FeedEntry {
            url,
            updated: child_text(node, "lastmod").and_then(|d| parse_feed_date(&d)),
            ..FeedEntry::default()
        };
        if let Some(news) = child(node, "news") {
            any_news = true;
            entry.title = child_text(news, "title").and_then(|t| plain_text(&t));
            entry.published =
                child_text(news, "publication_date").and_then(|d| parse_feed_date(&d));
            if let Some(publ) = child(news, "publication") {
                entry.language = child_text(publ, "language")
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty());
                if publication.is_none() {
                    publication = child_text(publ, "name").and_then(|n| plain_text(&n));
                }
            }
            if let Some(kw) = child_text(news, "keywords") {
                entry.categories = kw
                    .split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(String::from)
                    .collect();
            }
            if language.is_none() {
                language.clone_from(&entry.language);
            }
        }
        entry.image = child(node, "image")
            .and_then(|img| child_text(img, "loc"))
            .and_then(|l| resolve_http(&l, base));
        entries.push(entry);
    }
    FeedReport::new(
        ParsedFeed {
            kind: if any_news {
                FeedKind::GoogleNewsSitemap
            } else {
                FeedKind::Sitemap
            },
            title: publication,
            site_url: base.map(site_root),
            language,
            entries,
            child_sitemaps: Vec::new(),
        },
        dropped,
    )
}

pub(crate) fn site_root(base: &Url) -> String {
    base.join("/")
        .map(String::from)
        .unwrap_or_else(|_| base.to_string())
}

fn is(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local
}

fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, local))
}

/// All text inside the named child (text and CDATA pieces joined), trimmed.
fn child_text(n: Node<'_, '_>, local: &str) -> Option<String> {
    let c = child(n, local)?;
    let s: String = c
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}
