//! RSS 0.9x/1.0/2.0, Atom and JSON Feed via feed-rs, mapped onto the
//! pipeline's [`FeedEntry`].

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{Entry, Feed, FeedType, Link};
use feed_rs::parser::{Builder, ParseErrorKind, ParseFeedError};
use khabar_model::{EntryLink, FeedEntry, FeedKind, ParsedFeed};
use url::Url;

use crate::canonical::resolve_http;
use crate::text::{has_markup, plain_text};
use crate::{FeedError, FeedReport};

pub(crate) fn parse_syndication(
    text: &str,
    base: Option<&Url>,
    json: bool,
) -> Result<FeedReport, FeedError> {
    let parser = Builder::new()
        .base_uri(base.map(Url::as_str))
        // An empty id marks "the feed gave none", instead of feed-rs's
        // hash, which would look like a real guid to the store.
        .id_generator(|_, _, _| String::new())
        .build();
    // feed-rs is third-party code fed hostile bytes; a panic inside it must
    // become an error for this one source, not take the crawler down.
    let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse(text.as_bytes())))
        .map_err(|_| FeedError::Parse("the feed parser crashed on this document".into()))?;
    let feed = parsed.map_err(|e| explain(e, text, json))?;
    let subjects = if json {
        None
    } else {
        crate::dc_subject::item_subjects(text)
    };
    Ok(map_feed(feed, base, subjects))
}

fn explain(err: ParseFeedError, text: &str, json: bool) -> FeedError {
    match err {
        ParseFeedError::JsonSerde(e) => FeedError::Json(e.to_string()),
        ParseFeedError::JsonUnsupportedVersion(v) => {
            FeedError::NotAFeed(format!("JSON without a JSON Feed version (version {v:?})"))
        }
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) if json => {
            FeedError::NotAFeed("JSON that is not a JSON Feed".into())
        }
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            FeedError::NotAFeed("XML without an RSS, Atom or RDF root".into())
        }
        other => {
            // feed-rs reports byte positions at best; roxmltree finds the
            // line of a well-formedness error for the operator.
            if !json && let Err(FeedError::Xml { line, message }) = crate::sitemap::parse_xml(text)
            {
                return FeedError::Xml { line, message };
            }
            FeedError::Parse(other.to_string())
        }
    }
}

fn map_feed(feed: Feed, base: Option<&Url>, subjects: Option<Vec<Vec<String>>>) -> FeedReport {
    // Only trusted when it lines up one-to-one with feed-rs's entries.
    let subjects = subjects.filter(|s| s.len() == feed.entries.len());
    let kind = match feed.feed_type {
        FeedType::Atom => FeedKind::Atom,
        FeedType::JSON => FeedKind::JsonFeed,
        _ => FeedKind::Rss,
    };
    let site_url = pick_link(&feed.links, base, true);
    // Relative item links resolve against the site when the feed names one
    // and the fetch URL otherwise.
    let item_base = base.cloned();
    let language = feed
        .language
        .as_ref()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    let mut entries: Vec<FeedEntry> = Vec::with_capacity(feed.entries.len());
    let mut seen: HashSet<(String, Option<String>)> = HashSet::new();
    let mut dropped = 0;
    for (i, e) in feed.entries.into_iter().enumerate() {
        match map_entry(e, item_base.as_ref()) {
            Some(mut entry) => {
                if let Some(extra) = subjects.as_ref().and_then(|s| s.get(i)) {
                    for subject in extra {
                        if !entry.categories.contains(subject) {
                            entry.categories.push(subject.clone());
                        }
                    }
                }
                if entry.language.is_none() {
                    entry.language.clone_from(&language);
                }
                if seen.insert((entry.url.clone(), entry.guid.clone())) {
                    entries.push(entry);
                }
            }
            None => dropped += 1,
        }
    }
    FeedReport {
        feed: ParsedFeed {
            kind,
            title: feed.title.and_then(|t| plain_text(&t.content)),
            site_url,
            language,
            entries,
            child_sitemaps: Vec::new(),
        },
        dropped_entries: dropped,
    }
}

fn map_entry(e: Entry, base: Option<&Url>) -> Option<FeedEntry> {
    let guid = Some(e.id.trim().to_string()).filter(|g| !g.is_empty());
    let (url, link_from) = match pick_link(&e.links, base, false) {
        Some(url) => (url, EntryLink::Link),
        // RSS items without <link> often carry the permalink as the guid.
        None => (
            guid.as_deref()
                .and_then(|g| Url::parse(g).ok())
                .and_then(|u| resolve_http(u.as_str(), None))?,
            EntryLink::Guid,
        ),
    };
    let summary_raw = e.summary.map(|s| s.content);
    let content_html = e
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty())
        // RSS puts whole posts in <description>; keep that HTML for the
        // extractor when there is no separate content.
        .or_else(|| summary_raw.clone().filter(|s| has_markup(s)));
    let image = e
        .media
        .iter()
        .flat_map(|m| {
            m.thumbnails.iter().map(|t| t.image.uri.clone()).chain(
                m.content
                    .iter()
                    .filter(|c| c.content_type.as_ref().is_none_or(|t| t.ty() == "image"))
                    .filter_map(|c| c.url.as_ref().map(|u| u.to_string())),
            )
        })
        .find_map(|u| resolve_http(&u, base));
    Some(FeedEntry {
        guid,
        url,
        title: e.title.and_then(|t| plain_text(&t.content)),
        summary: summary_raw.and_then(|s| plain_text(&s)),
        content_html,
        published: e.published,
        updated: e.updated,
        authors: e
            .authors
            .into_iter()
            .filter_map(|p| p.name.or(p.email))
            .filter_map(|n| plain_text(&n))
            .collect(),
        categories: e
            .categories
            .into_iter()
            .filter_map(|c| plain_text(c.label.as_deref().unwrap_or(&c.term)))
            .collect(),
        language: e
            .language
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
        image,
        link_from,
    })
}

/// The article link: an `alternate` (or unlabelled) link first, then any
/// other link that is not the feed itself or an enclosure.
fn pick_link(links: &[Link], base: Option<&Url>, site: bool) -> Option<String> {
    let rel = |l: &Link| l.rel.as_deref().map(str::to_ascii_lowercase);
    let preferred = links
        .iter()
        .filter(|l| matches!(rel(l).as_deref(), None | Some("alternate")))
        .find_map(|l| resolve_http(&l.href, base));
    preferred.or_else(|| {
        if site {
            return None;
        }
        links
            .iter()
            .filter(|l| {
                !matches!(
                    rel(l).as_deref(),
                    Some("self" | "enclosure" | "hub" | "replies" | "edit")
                )
            })
            .find_map(|l| resolve_http(&l.href, base))
    })
}
