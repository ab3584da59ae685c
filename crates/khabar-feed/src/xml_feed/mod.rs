//! RSS 0.90-2.0, RSS 1.0 (RDF) and Atom 0.3 and 1.0, read from one
//! roxmltree document and mapped onto the pipeline's [`FeedEntry`].
//!
//! The XML parser is roxmltree; what is written here is the mapping: which
//! element of which vocabulary (core, Dublin Core, `content:`, Media RSS,
//! iTunes, Atom inside RSS) gives a story's link, title, author, date,
//! summary, body, image and categories, with links resolved against
//! `xml:base`, `Content-Location` and the feed URL in that order.

mod atom;
mod node;
mod rss;

use roxmltree::Node;
use url::Url;

use crate::assemble::assemble;
use crate::canonical::resolve_http;
use crate::{FeedError, FeedReport};
use node::Vocab;

pub(crate) fn parse_xml_feed(text: &str, base: Option<&Url>) -> Result<FeedReport, FeedError> {
    let doc = crate::sitemap::parse_xml(text)?;
    let root = doc.root_element();
    let vocab = Vocab {
        root_ns: root.tag_name().namespace(),
    };
    let (channel, items) = if root.tag_name().name().eq_ignore_ascii_case("feed") {
        atom::read(&vocab, root, base)
    } else {
        rss::read(&vocab, root, base)
    };
    Ok(assemble(channel, items, base))
}

/// An http(s) URL from an element's text or attribute, resolved against
/// the base in force at that element.
fn url_at(node: Node<'_, '_>, raw: &str, doc_base: Option<&Url>) -> Option<String> {
    resolve_http(raw, node::base_of(node, doc_base).as_ref())
}

/// The image of an item from Media RSS (`media:thumbnail`, an image
/// `media:content`, also inside `media:group`), an image enclosure, or
/// `itunes:image`.
fn item_image(vocab: &Vocab<'_>, item: Node<'_, '_>, base: Option<&Url>) -> Option<String> {
    use node::{Ns, attr};
    let is_image = |n: Node<'_, '_>| {
        let ty = attr(n, "type").unwrap_or_default().to_ascii_lowercase();
        let medium = attr(n, "medium").unwrap_or_default().to_ascii_lowercase();
        ty.starts_with("image/") || medium == "image" || (ty.is_empty() && medium.is_empty())
    };
    let media = item
        .children()
        .flat_map(|c| {
            if vocab.is(c, Ns::Media, "group") {
                c.children().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect::<Vec<_>>();
    let thumb = media
        .iter()
        .filter(|n| vocab.is(**n, Ns::Media, "thumbnail"))
        .find_map(|n| attr(*n, "url").and_then(|u| url_at(*n, u, base)));
    thumb
        .or_else(|| {
            media
                .iter()
                .filter(|n| vocab.is(**n, Ns::Media, "content") && is_image(**n))
                .find_map(|n| attr(*n, "url").and_then(|u| url_at(*n, u, base)))
        })
        .or_else(|| {
            vocab
                .children(item, Ns::Core, "enclosure")
                .filter(|n| {
                    attr(*n, "type").is_some_and(|t| t.to_ascii_lowercase().starts_with("image/"))
                })
                .find_map(|n| attr(n, "url").and_then(|u| url_at(n, u, base)))
        })
        .or_else(|| {
            vocab
                .children(item, Ns::Itunes, "image")
                .find_map(|n| attr(n, "href").and_then(|u| url_at(n, u, base)))
        })
}

/// The name in an author field, which feeds write as `email (Name)` (RSS
/// 2.0's convention), `Name (email)` or `Name <email>`: the name is what a
/// reader is shown; an address alone stays as it is.
fn author_name(raw: &str) -> String {
    let t = raw.trim();
    if let Some(open) = t.find('(')
        && t.ends_with(')')
    {
        let (outside, inside) = (t[..open].trim(), t[open + 1..t.len() - 1].trim());
        if outside.contains('@') && !inside.is_empty() {
            return inside.to_string();
        }
        if inside.contains('@') && !outside.is_empty() {
            return outside.to_string();
        }
    }
    if let Some(open) = t.find('<')
        && t.ends_with('>')
        && t[open..].contains('@')
        && !t[..open].trim().is_empty()
    {
        return t[..open].trim().trim_matches('"').to_string();
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_author_is_shown_by_name() {
        assert_eq!(author_name("jo@news.example (Jo Reporter)"), "Jo Reporter");
        assert_eq!(author_name("Jo Reporter (jo@news.example)"), "Jo Reporter");
        assert_eq!(
            author_name("\"Jo Reporter\" <jo@news.example>"),
            "Jo Reporter"
        );
        assert_eq!(author_name("Jo Reporter"), "Jo Reporter");
        assert_eq!(author_name("jo@news.example"), "jo@news.example");
        assert_eq!(author_name("Reuters (Tehran)"), "Reuters (Tehran)");
    }
}
