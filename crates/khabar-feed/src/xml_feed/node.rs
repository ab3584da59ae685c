//! Reading feed XML by meaning: which vocabulary an element belongs to,
//! its text or markup, its `xml:base` and `xml:lang`.
//!
//! Feeds get namespace URIs wrong often enough (a trailing slash, `https`,
//! a default namespace on RSS) that matching exact URIs would lose real
//! items, so URIs are compared loosely and an element in the root's own
//! namespace counts as the format's core vocabulary.

use roxmltree::Node;
use url::Url;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The vocabularies khabar reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// The format's own elements: no namespace, an RSS namespace, or the
    /// root element's namespace.
    Core,
    Atom,
    Dc,
    DcTerms,
    Content,
    Media,
    Itunes,
    Rdf,
    Xhtml,
    Other,
}

/// What every lookup needs to know about the document.
#[derive(Debug, Clone, Copy)]
pub(super) struct Vocab<'a> {
    /// The root element's namespace URI, which is the core vocabulary.
    pub root_ns: Option<&'a str>,
}

impl Vocab<'_> {
    pub fn ns(&self, node: Node<'_, '_>) -> Ns {
        let Some(uri) = node.tag_name().namespace() else {
            return Ns::Core;
        };
        let loose = uri
            .trim()
            .trim_end_matches(['/', '#'])
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_ascii_lowercase();
        match loose.as_str() {
            "www.w3.org/2005/atom" | "purl.org/atom/ns" => Ns::Atom,
            "purl.org/dc/elements/1.1" => Ns::Dc,
            "purl.org/dc/terms" => Ns::DcTerms,
            "purl.org/rss/1.0/modules/content" => Ns::Content,
            "search.yahoo.com/mrss"
            | "video.search.yahoo.com/mrss"
            | "tools.search.yahoo.com/mrss" => Ns::Media,
            "www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "www.w3.org/1999/02/22-rdf-syntax-ns" => Ns::Rdf,
            "www.w3.org/1999/xhtml" => Ns::Xhtml,
            "purl.org/rss/1.0"
            | "my.netscape.com/rdf/simple/0.9"
            | "backend.userland.com/rss2"
            | "backend.userland.com/rss"
            | "blogs.law.harvard.edu/tech/rss" => Ns::Core,
            _ if Some(uri) == self.root_ns => Ns::Core,
            _ => Ns::Other,
        }
    }

    /// True when `node` is the element `local` of vocabulary `ns`. Local
    /// names are compared without case: `<pubdate>` and `<pubDate>` are
    /// both met in the wild.
    pub fn is(&self, node: Node<'_, '_>, ns: Ns, local: &str) -> bool {
        node.is_element()
            && node.tag_name().name().eq_ignore_ascii_case(local)
            && self.ns(node) == ns
    }

    /// The first child element `local` of vocabulary `ns`.
    pub fn child<'a, 'i>(&self, node: Node<'a, 'i>, ns: Ns, local: &str) -> Option<Node<'a, 'i>> {
        node.children().find(|c| self.is(*c, ns, local))
    }

    /// Every child element `local` of vocabulary `ns`.
    pub fn children<'a, 'i: 'a>(
        &'a self,
        node: Node<'a, 'i>,
        ns: Ns,
        local: &'a str,
    ) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        node.children().filter(move |c| self.is(*c, ns, local))
    }

    /// The trimmed text of the first non-empty child `local` of `ns`.
    pub fn child_text(&self, node: Node<'_, '_>, ns: Ns, local: &str) -> Option<String> {
        self.children(node, ns, local)
            .find_map(|c| non_empty(text(c)))
    }
}

/// All the text inside an element, markup dropped.
pub(super) fn text(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The element's content as HTML: the text when it has only text (RSS
/// escapes HTML inside `description`), its child elements written out when
/// a feed put markup in unescaped.
pub(super) fn inner_html(node: Node<'_, '_>) -> String {
    if !node.children().any(|c| c.is_element()) {
        return text(node);
    }
    children_markup(node)
}

/// The children of an element written out as markup, text escaped: the
/// content of Atom's `xhtml` constructs, where text is text.
pub(super) fn children_markup(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for c in node.children() {
        write_node(c, &mut out, 0);
    }
    out
}

/// Elements deeper than this are written as their text: no reader needs
/// them, and a hostile feed must not overflow the stack.
const MAX_MARKUP_DEPTH: usize = 256;

fn write_node(node: Node<'_, '_>, out: &mut String, depth: usize) {
    if depth > MAX_MARKUP_DEPTH {
        out.push_str(&html_escape::encode_text(&text(node)));
        return;
    }
    if node.is_text() {
        out.push_str(&html_escape::encode_text(node.text().unwrap_or_default()));
        return;
    }
    if !node.is_element() {
        return;
    }
    let name = node.tag_name().name();
    out.push('<');
    out.push_str(name);
    for a in node.attributes() {
        out.push(' ');
        out.push_str(a.name());
        out.push_str("=\"");
        out.push_str(&html_escape::encode_double_quoted_attribute(a.value()));
        out.push('"');
    }
    if node.has_children() {
        out.push('>');
        for c in node.children() {
            write_node(c, out, depth + 1);
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    } else {
        out.push_str(" />");
    }
}

/// An attribute by local name, whatever its prefix (`rdf:about`,
/// `about`), preferring the unprefixed one.
pub(super) fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    let mut found = None;
    for a in node.attributes() {
        if a.name().eq_ignore_ascii_case(local) {
            if a.namespace().is_none() {
                return Some(a.value());
            }
            found.get_or_insert(a.value());
        }
    }
    found
}

/// The base URL in force at `node`: the document's, changed by every
/// `xml:base` from the root down.
pub(super) fn base_of(node: Node<'_, '_>, doc_base: Option<&Url>) -> Option<Url> {
    let bases: Vec<&str> = node
        .ancestors()
        .filter_map(|n| n.attribute((XML_NS, "base")))
        .collect();
    let mut base = doc_base.cloned();
    for b in bases.into_iter().rev() {
        let b = b.trim();
        base = match &base {
            Some(cur) => cur.join(b).ok().or(base),
            None => Url::parse(b).ok(),
        };
    }
    base
}

/// The nearest `xml:lang`.
pub(super) fn lang_of(node: Node<'_, '_>) -> Option<String> {
    node.ancestors()
        .find_map(|n| n.attribute((XML_NS, "lang")))
        .and_then(|l| non_empty(l.to_string()))
}

pub(super) fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_string())
    }
}
