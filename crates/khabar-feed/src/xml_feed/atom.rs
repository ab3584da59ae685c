//! Atom 1.0 and its predecessor Atom 0.3 (`issued`/`modified`, content
//! `mode="escaped"`/`"base64"`), which blogs and old CMSes still serve.

use base64::Engine;
use khabar_model::FeedKind;
use roxmltree::Node;
use url::Url;

use super::node::{Ns, Vocab, attr, children_markup, inner_html, lang_of, non_empty, text};
use super::{item_image, url_at};
use crate::assemble::{Channel, Item};
use crate::dates::parse_feed_date;
use crate::text::plain_text;

/// Atom elements are the root's own (`Core`) or, in a feed that declares
/// the Atom namespace under a prefix, `Atom`.
fn atom(v: &Vocab<'_>, n: Node<'_, '_>, local: &str) -> bool {
    v.is(n, Ns::Core, local) || v.is(n, Ns::Atom, local)
}

fn first<'a, 'i>(v: &Vocab<'_>, n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| atom(v, *c, local))
}

pub(super) fn read(v: &Vocab<'_>, root: Node<'_, '_>, base: Option<&Url>) -> (Channel, Vec<Item>) {
    let head = Channel {
        kind: FeedKind::Atom,
        title: first(v, root, "title")
            .map(content_html)
            .and_then(|t| plain_text(&t)),
        site_url: alternate(v, root, base),
        language: lang_of(root),
    };
    let feed_authors = authors(v, root);
    // `item` in an Atom feed is a generator mixing up its formats.
    let items = root
        .children()
        .filter(|c| atom(v, *c, "entry") || atom(v, *c, "item"))
        .map(|e| read_entry(v, e, base, &feed_authors))
        .collect();
    (head, items)
}

fn read_entry(v: &Vocab<'_>, e: Node<'_, '_>, base: Option<&Url>, feed_authors: &[String]) -> Item {
    let id_node = first(v, e, "id");
    // An id written as a path is relative to the base, like any Atom IRI.
    let guid = id_node.and_then(|i| non_empty(text(i))).map(|id| {
        if id.starts_with('/') {
            url_at(e, &id, base).unwrap_or(id)
        } else {
            id
        }
    });
    let permalink = id_node
        .map(text)
        .filter(|t| {
            let t = t.trim();
            t.starts_with("http://") || t.starts_with("https://")
        })
        .and_then(|t| url_at(e, t.trim(), base));
    let enclosure = links(v, e)
        .filter(|l| rel(*l) == "enclosure")
        .find_map(|l| href(l).and_then(|h| url_at(l, &h, base)));
    let summary_raw = first(v, e, "summary").map(content_html).and_then(non_empty);
    let content = first(v, e, "content").map(content_html).and_then(non_empty);
    // A repeated date element: the last one stands, as later values
    // overwrite earlier ones in every reader.
    let date = |local: &str| {
        e.children()
            .filter(|c| atom(v, *c, local))
            .filter_map(|c| parse_feed_date(&text(c)))
            .next_back()
    };
    let mut entry_authors = authors(v, e);
    if entry_authors.is_empty() {
        entry_authors = feed_authors.to_vec();
    }
    entry_authors.extend(
        v.children(e, Ns::Dc, "creator")
            .filter_map(|c| plain_text(&text(c))),
    );
    let mut categories: Vec<String> = e
        .children()
        .filter(|c| atom(v, *c, "category"))
        .filter_map(|c| attr(c, "label").or(attr(c, "term")).and_then(plain_text))
        .chain(
            v.children(e, Ns::Dc, "subject")
                .filter_map(|c| plain_text(&text(c))),
        )
        .collect();
    let mut seen = std::collections::HashSet::new();
    categories.retain(|c| seen.insert(c.clone()));
    let image = item_image(v, e, base).or_else(|| {
        links(v, e)
            .filter(|l| rel(*l) == "enclosure")
            .filter(|l| {
                attr(*l, "type").is_some_and(|t| t.to_ascii_lowercase().starts_with("image/"))
            })
            .find_map(|l| attr(l, "href").and_then(|h| url_at(l, h, base)))
    });
    Item {
        entry: khabar_model::FeedEntry {
            guid,
            title: first(v, e, "title")
                .map(content_html)
                .and_then(|t| plain_text(&t)),
            summary: summary_raw.as_deref().and_then(plain_text),
            content_html: content.or(summary_raw.filter(|s| crate::text::has_markup(s))),
            published: date("published")
                .or_else(|| date("issued"))
                .or_else(|| date("created")),
            updated: date("updated").or_else(|| date("modified")),
            authors: entry_authors,
            categories,
            language: lang_of(e),
            image,
            ..Default::default()
        },
        link: alternate(v, e, base),
        permalink,
        enclosure,
    }
}

fn links<'a, 'i: 'a>(v: &'a Vocab<'_>, n: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children().filter(move |c| atom(v, *c, "link"))
}

/// A link's target: its `href`, or (in some Atom 0.3 feeds) its text.
fn href(l: Node<'_, '_>) -> Option<String> {
    attr(l, "href")
        .map(str::to_string)
        .or_else(|| non_empty(text(l)))
}

fn rel(l: Node<'_, '_>) -> String {
    attr(l, "rel")
        .unwrap_or("alternate")
        .trim()
        .to_ascii_lowercase()
}

/// The page a feed or entry stands for: an `alternate` link (HTML first),
/// else any link that is not the feed itself, an enclosure, or an API.
fn alternate(v: &Vocab<'_>, n: Node<'_, '_>, base: Option<&Url>) -> Option<String> {
    let href = |l: Node<'_, '_>| href(l).and_then(|h| url_at(l, &h, base));
    let html =
        |l: &Node<'_, '_>| attr(*l, "type").is_none_or(|t| t.to_ascii_lowercase().contains("html"));
    links(v, n)
        .filter(|l| rel(*l) == "alternate" && html(l))
        .find_map(href)
        .or_else(|| {
            links(v, n)
                .filter(|l| rel(*l) == "alternate")
                .find_map(href)
        })
        .or_else(|| {
            links(v, n)
                .filter(|l| {
                    !matches!(
                        rel(*l).as_str(),
                        "self"
                            | "enclosure"
                            | "hub"
                            | "replies"
                            | "edit"
                            | "edit-media"
                            | "license"
                            | "service.edit"
                            | "service.post"
                            | "service.feed"
                    )
                })
                .find_map(href)
        })
}

fn authors(v: &Vocab<'_>, n: Node<'_, '_>) -> Vec<String> {
    n.children()
        .filter(|c| atom(v, *c, "author"))
        .filter_map(|a| {
            first(v, a, "name")
                .map(text)
                .or_else(|| first(v, a, "email").map(text))
                .or_else(|| Some(super::author_name(&text(a))))
        })
        .filter_map(|a| plain_text(&a))
        .collect()
}

/// An Atom text construct or content element as HTML, whatever its form:
/// `type` text, html or xhtml (1.0), a MIME type, or 0.3's `mode` of xml,
/// escaped or base64. Content that is not text (`src`, binary types) gives
/// nothing.
pub(super) fn content_html(n: Node<'_, '_>) -> String {
    let ty = attr(n, "type")
        .unwrap_or("text")
        .trim()
        .to_ascii_lowercase();
    let mode = attr(n, "mode").unwrap_or("xml").trim().to_ascii_lowercase();
    let explicit_type = attr(n, "type").is_some();
    let raw = match mode.as_str() {
        "escaped" => return text(n),
        "base64" => {
            let cleaned: String = text(n).split_whitespace().collect();
            match base64::engine::general_purpose::STANDARD.decode(cleaned) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(_) => return String::new(),
            }
        }
        _ => String::new(),
    };
    let is_html = matches!(ty.as_str(), "html" | "text/html");
    let is_xhtml = matches!(ty.as_str(), "xhtml" | "application/xhtml+xml");
    let is_text = !is_html && (matches!(ty.as_str(), "text" | "plain") || ty.starts_with("text/"));
    if mode == "base64" {
        // 0.3 feeds base64-encoded HTML bodies without saying so: only an
        // explicit plain-text type makes the decoded bytes text.
        return if is_text && explicit_type {
            html_escape::encode_text(&raw).into_owned()
        } else {
            raw
        };
    }
    if is_xhtml {
        // The content is the children of one xhtml:div wrapper.
        let div = n
            .children()
            .find(|c| c.is_element() && c.tag_name().name().eq_ignore_ascii_case("div"));
        return children_markup(div.unwrap_or(n));
    }
    if is_html {
        return inner_html(n);
    }
    if n.children().any(|c| c.is_element()) && (is_text || ty.ends_with("xml")) {
        // 0.3 feeds and careless generators put markup inline as text.
        return inner_html(n);
    }
    if is_text {
        return html_escape::encode_text(&text(n)).into_owned();
    }
    if ty.ends_with("+xml") || ty.ends_with("/xml") {
        return inner_html(n);
    }
    // Any other type is base64 (RFC 4287 4.1.3.3): text when it decodes
    // to UTF-8, nothing a reader can be shown otherwise.
    let cleaned: String = text(n).split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(cleaned)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}
