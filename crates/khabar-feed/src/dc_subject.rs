//! Dublin Core `dc:subject` of RSS items, which feed-rs does not map but
//! many news and blog feeds (RSS 1.0 especially) use as their only tags:
//! subject tags are a cheap, strong signal for the topic stage.

use roxmltree::Node;

use crate::text::plain_text;

const DC: &str = "http://purl.org/dc/elements/1.1/";

/// Subjects of each `<item>` in document order, or `None` when the feed has
/// no `dc:subject` or is not well-formed enough for a strict parser.
pub(crate) fn item_subjects(text: &str) -> Option<Vec<Vec<String>>> {
    if !text.contains("subject>") {
        return None;
    }
    let doc = crate::sitemap::parse_xml(text).ok()?;
    let items = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "item")
        .map(subjects_of)
        .collect();
    Some(items)
}

fn subjects_of(item: Node<'_, '_>) -> Vec<String> {
    item.children()
        .filter(|c| {
            c.is_element()
                && c.tag_name().name() == "subject"
                && c.tag_name().namespace() == Some(DC)
        })
        .filter_map(|c| {
            let s: String = c
                .descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect();
            plain_text(&s)
        })
        .collect()
}
