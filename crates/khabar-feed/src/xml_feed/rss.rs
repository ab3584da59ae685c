//! RSS 0.90-2.0 and RSS 1.0 (RDF), with the Dublin Core, `content:`,
//! Media RSS, iTunes and Atom elements feeds mix into them.

use khabar_model::FeedKind;
use roxmltree::Node;
use url::Url;

use super::node::{Ns, Vocab, attr, inner_html, lang_of, non_empty, text};
use super::{author_name, item_image, url_at};
use crate::assemble::{Channel, Item};
use crate::dates::parse_feed_date;
use crate::text::{has_markup, plain_text};

pub(super) fn read(
    vocab: &Vocab<'_>,
    root: Node<'_, '_>,
    base: Option<&Url>,
) -> (Channel, Vec<Item>) {
    let channel = if vocab.is(root, Ns::Core, "channel") {
        root
    } else {
        vocab.child(root, Ns::Core, "channel").unwrap_or(root)
    };
    // RSS 0.90 and 1.0 put items beside the channel, 2.0 inside it.
    let mut items: Vec<Node<'_, '_>> = vocab.children(channel, Ns::Core, "item").collect();
    if channel != root {
        items.extend(vocab.children(root, Ns::Core, "item"));
    }
    let site_url = vocab
        .children(channel, Ns::Core, "link")
        .find_map(|l| link_of(l, base))
        .or_else(|| atom_link(vocab, channel, base));
    let head = Channel {
        kind: FeedKind::Rss,
        title: vocab
            .child_text(channel, Ns::Core, "title")
            .or_else(|| vocab.child_text(channel, Ns::Dc, "title"))
            .and_then(|t| plain_text(&t)),
        site_url,
        language: vocab
            .child_text(channel, Ns::Core, "language")
            .or_else(|| vocab.child_text(channel, Ns::Dc, "language"))
            .or_else(|| lang_of(channel)),
    };
    let items = items
        .into_iter()
        .map(|i| read_item(vocab, i, base))
        .collect();
    (head, items)
}

fn read_item(vocab: &Vocab<'_>, item: Node<'_, '_>, base: Option<&Url>) -> Item {
    let v = vocab;
    let guid_node = v.child(item, Ns::Core, "guid");
    let guid = guid_node
        .and_then(|g| non_empty(text(g)))
        .or_else(|| attr(item, "about").and_then(|a| non_empty(a.to_string())))
        .or_else(|| v.child_text(item, Ns::Dc, "identifier"));
    // `isPermaLink` defaults to true; a guid that is not a URL is no link.
    let permalink = guid_node
        .filter(|g| {
            !attr(*g, "isPermaLink").is_some_and(|p| p.trim().eq_ignore_ascii_case("false"))
        })
        .and_then(|g| url_at(g, text(g).trim(), base).filter(|_| looks_absolute(&text(g))))
        .or_else(|| {
            attr(item, "about").and_then(|a| url_at(item, a, base).filter(|_| looks_absolute(a)))
        });
    let link = v
        .children(item, Ns::Core, "link")
        .find_map(|l| link_of(l, base))
        .or_else(|| atom_link(v, item, base));
    let enclosure = v
        .children(item, Ns::Core, "enclosure")
        .find_map(|e| attr(e, "url").and_then(|u| url_at(e, u, base)))
        .or_else(|| {
            v.children(item, Ns::Media, "content")
                .find_map(|m| attr(m, "url").and_then(|u| url_at(m, u, base)))
        });
    let summary_raw = v
        .child(item, Ns::Core, "description")
        .or_else(|| v.child(item, Ns::Dc, "description"))
        .or_else(|| v.child(item, Ns::Atom, "summary"))
        .or_else(|| v.child(item, Ns::Itunes, "summary"))
        .or_else(|| v.child(item, Ns::Itunes, "subtitle"))
        .or_else(|| v.child(item, Ns::Media, "description"))
        .map(inner_html)
        .and_then(non_empty);
    let content_html = v
        .child(item, Ns::Content, "encoded")
        .map(text)
        .or_else(|| v.child(item, Ns::Xhtml, "body").map(inner_html))
        .or_else(|| v.child(item, Ns::Core, "body").map(inner_html))
        .or_else(|| v.child(item, Ns::Core, "fullitem").map(inner_html))
        .or_else(|| {
            v.child(item, Ns::Atom, "content")
                .map(super::atom::content_html)
        })
        .and_then(non_empty)
        // RSS puts whole posts in <description>; keep that HTML for the
        // extractor when there is no separate content.
        .or_else(|| summary_raw.clone().filter(|s| has_markup(s)));
    let date = |ns: Ns, local: &str| {
        v.child_text(item, ns, local)
            .and_then(|d| parse_feed_date(&d))
    };
    let published = date(Ns::Core, "pubDate")
        .or_else(|| date(Ns::Dc, "date"))
        .or_else(|| date(Ns::DcTerms, "issued"))
        .or_else(|| date(Ns::DcTerms, "created"))
        .or_else(|| date(Ns::Atom, "published"))
        .or_else(|| date(Ns::Atom, "issued"));
    let updated = date(Ns::Atom, "updated")
        .or_else(|| date(Ns::DcTerms, "modified"))
        .or_else(|| date(Ns::Atom, "modified"));
    let mut authors: Vec<String> = v
        .children(item, Ns::Core, "author")
        .filter_map(|a| non_empty(text(a)))
        .chain(v.children(item, Ns::Dc, "creator").map(text))
        .chain(v.children(item, Ns::Dc, "author").map(text))
        .chain(v.children(item, Ns::Itunes, "author").map(text))
        .map(|a| author_name(&a))
        .chain(v.children(item, Ns::Atom, "author").filter_map(|a| {
            v.child_text(a, Ns::Atom, "name")
                .or_else(|| non_empty(text(a)))
        }))
        .filter_map(|a| plain_text(&a))
        .collect();
    dedup(&mut authors);
    let mut categories: Vec<String> = v
        .children(item, Ns::Core, "category")
        .map(text)
        .chain(v.children(item, Ns::Dc, "subject").map(text))
        .chain(
            v.children(item, Ns::Atom, "category")
                .filter_map(|c| attr(c, "label").or(attr(c, "term")).map(str::to_string)),
        )
        .filter_map(|c| plain_text(&c))
        .collect();
    dedup(&mut categories);
    Item {
        entry: khabar_model::FeedEntry {
            guid,
            title: v
                .child_text(item, Ns::Core, "title")
                .or_else(|| v.child_text(item, Ns::Dc, "title"))
                .or_else(|| v.child_text(item, Ns::Media, "title"))
                .and_then(|t| plain_text(&t)),
            summary: summary_raw.as_deref().and_then(plain_text),
            content_html,
            published,
            updated,
            authors,
            categories,
            language: v
                .child_text(item, Ns::Dc, "language")
                .or_else(|| lang_of(item)),
            image: item_image(v, item, base),
            ..Default::default()
        },
        link,
        permalink,
        enclosure,
    }
}

/// A `<link>`'s URL: its text (RSS), or an `href` (feeds that borrow
/// Atom's form without its namespace).
fn link_of(l: Node<'_, '_>, base: Option<&Url>) -> Option<String> {
    let raw = non_empty(text(l)).or_else(|| attr(l, "href").map(str::to_string))?;
    url_at(l, &raw, base)
}

/// An `atom:link` that is the page of the item or the site.
fn atom_link(v: &Vocab<'_>, node: Node<'_, '_>, base: Option<&Url>) -> Option<String> {
    v.children(node, Ns::Atom, "link")
        .filter(|l| attr(*l, "rel").is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate")))
        .find_map(|l| attr(l, "href").and_then(|h| url_at(l, h, base)))
}

/// A guid is a link only when it is one on its own, not a bare word that
/// a base URL would turn into a path.
fn looks_absolute(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("//")
}

fn dedup(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|s| seen.insert(s.clone()));
}

#[cfg(test)]
mod tests {
    #[test]
    fn rss_10_items_beside_the_channel_with_dublin_core() {
        let doc = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
              xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel rdf:about="https://a.example/"><title>A</title><link>https://a.example/</link></channel>
            <item rdf:about="https://a.example/1"><title>One</title>
              <dc:creator>jo@a.example (Jo)</dc:creator><dc:date>2024-03-01T08:15:00+03:30</dc:date>
              <dc:subject>Iran</dc:subject></item></rdf:RDF>"#;
        let f = crate::parse_feed(doc.as_bytes(), "https://a.example/rss").unwrap();
        let e = &f.entries[0];
        assert_eq!(e.url, "https://a.example/1");
        assert_eq!(e.link_from, khabar_model::EntryLink::Guid);
        assert_eq!(e.authors, ["Jo"]);
        assert_eq!(e.categories, ["Iran"]);
        assert_eq!(
            e.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-03-01T04:45:00+00:00")
        );
    }
}
