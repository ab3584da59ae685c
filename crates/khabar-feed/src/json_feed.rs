//! JSON Feed 1.0 and 1.1 via feed-rs, mapped onto the pipeline's
//! [`FeedEntry`] by the same address rules as the XML formats.

use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{Entry, Feed, Link};
use feed_rs::parser::{Builder, ParseErrorKind, ParseFeedError};
use khabar_model::{FeedEntry, FeedKind};
use url::Url;

use crate::assemble::{Channel, Item, assemble};
use crate::canonical::resolve_http;
use crate::text::{has_markup, plain_text};
use crate::{FeedError, FeedReport};

pub(crate) fn parse_json_feed(text: &str, base: Option<&Url>) -> Result<FeedReport, FeedError> {
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
    let feed = parsed.map_err(explain)?;
    Ok(map_feed(feed, base))
}

fn explain(err: ParseFeedError) -> FeedError {
    match err {
        ParseFeedError::JsonSerde(e) => FeedError::Json(e.to_string()),
        ParseFeedError::JsonUnsupportedVersion(v) => {
            FeedError::NotAFeed(format!("JSON without a JSON Feed version (version {v:?})"))
        }
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            FeedError::NotAFeed("JSON that is not a JSON Feed".into())
        }
        other => FeedError::Parse(other.to_string()),
    }
}

fn map_feed(feed: Feed, base: Option<&Url>) -> FeedReport {
    let language = feed
        .language
        .as_ref()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    let channel = Channel {
        kind: FeedKind::JsonFeed,
        title: feed.title.and_then(|t| plain_text(&t.content)),
        site_url: pick_link(&feed.links, base, true),
        language,
    };
    let items = feed
        .entries
        .into_iter()
        .map(|e| map_entry(e, base))
        .collect();
    assemble(channel, items, base)
}

fn map_entry(e: Entry, base: Option<&Url>) -> Item {
    let guid = Some(e.id.trim().to_string()).filter(|g| !g.is_empty());
    let link = pick_link(&e.links, base, false);
    let permalink = guid
        .as_deref()
        .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
        .and_then(|g| resolve_http(g, None));
    let enclosure = e
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .find_map(|l| resolve_http(&l.href, base));
    let summary_raw = e.summary.map(|s| s.content);
    let content_html = e
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty())
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
    Item {
        entry: FeedEntry {
            guid,
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
            ..Default::default()
        },
        link,
        permalink,
        enclosure,
    }
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
