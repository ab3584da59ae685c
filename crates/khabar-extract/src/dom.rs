//! A flat, pre-order copy of the parsed page.
//!
//! Nodes are stored in document order, so the subtree of node `i` is the
//! index range `i..end[i]`: every walk over a subtree is a plain loop and no
//! pass recurses, which keeps 10,000-deep pages from overflowing the stack.
//! Bottom-up sums (text length, link text) are one reverse loop because a
//! child always has a larger index than its parent.

use scraper::{Html, Node as SNode};

pub const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    Element(&'a scraper::node::Element),
    Text(&'a str),
    Other,
}

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub parent: u32,
    /// One past the last descendant.
    pub end: u32,
    pub kind: Kind<'a>,
    /// Lower-case tag name, or "" for non-elements.
    pub tag: &'a str,
}

pub struct Dom<'a> {
    pub nodes: Vec<Node<'a>>,
    /// `class` and `id` joined per node ("" when neither), computed once:
    /// every stage tests these strings against its word patterns.
    class_ids: Vec<Box<str>>,
}

impl<'a> Dom<'a> {
    pub fn build(html: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(html.tree.nodes().len());
        // (scraper node, parent index); children pushed in reverse so they
        // pop in document order.
        let mut stack = vec![(html.tree.root(), NONE)];
        let mut open: Vec<u32> = Vec::new();
        while let Some((n, parent)) = stack.pop() {
            let idx = nodes.len() as u32;
            // Close every open node that is not an ancestor of this one.
            while let Some(&top) = open.last() {
                if top == parent {
                    break;
                }
                nodes[top as usize].end = idx;
                open.pop();
            }
            let (kind, tag) = match n.value() {
                SNode::Element(e) => (Kind::Element(e), e.name()),
                SNode::Text(t) => (Kind::Text(&t.text), ""),
                _ => (Kind::Other, ""),
            };
            nodes.push(Node {
                parent,
                end: idx + 1,
                kind,
                tag,
            });
            open.push(idx);
            let mut c = n.last_child();
            while let Some(ch) = c {
                stack.push((ch, idx));
                c = ch.prev_sibling();
            }
        }
        let total = nodes.len() as u32;
        for i in open {
            nodes[i as usize].end = total;
        }
        let class_ids = nodes
            .iter()
            .map(|n| match n.kind {
                Kind::Element(e) => match (e.attr("class"), e.attr("id")) {
                    (None, None) => Box::from(""),
                    (Some(c), None) => Box::from(c),
                    (None, Some(id)) => format!(" {id}").into_boxed_str(),
                    (Some(c), Some(id)) => format!("{c} {id}").into_boxed_str(),
                },
                _ => Box::from(""),
            })
            .collect();
        Dom { nodes, class_ids }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    #[inline]
    pub fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        match self.nodes[i].kind {
            Kind::Element(e) => e.attr(name),
            _ => None,
        }
    }

    #[inline]
    pub fn is_element(&self, i: usize) -> bool {
        matches!(self.nodes[i].kind, Kind::Element(_))
    }

    /// Direct children of `i`, in order.
    pub fn children(&self, i: usize) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: i + 1,
            end: self.nodes[i].end as usize,
        }
    }

    /// `class` and `id` joined, the string boilerplate patterns test.
    pub fn class_id(&self, i: usize) -> &str {
        &self.class_ids[i]
    }

    /// All text under `i`, whitespace collapsed.
    pub fn text_content(&self, i: usize) -> String {
        let end = self.nodes[i].end as usize;
        let mut out = String::new();
        for j in i..end {
            if let Kind::Text(t) = self.nodes[j].kind {
                out.push_str(t);
            }
        }
        khabar_text::collapse_whitespace(&out)
    }

    /// Raw text under `i`, or `None` once it exceeds `max` bytes: checks
    /// that only accept short text (bylines, dates) must not read a whole
    /// page once per nested element.
    pub fn raw_text_limited(&self, i: usize, max: usize) -> Option<String> {
        let end = self.nodes[i].end as usize;
        if end - i > max {
            return None;
        }
        let mut out = String::new();
        for j in i..end {
            if let Kind::Text(t) = self.nodes[j].kind {
                if out.len() + t.len() > max {
                    return None;
                }
                out.push_str(t);
            }
        }
        Some(out)
    }

    /// Raw text under `i` (for script bodies such as JSON-LD).
    pub fn raw_text(&self, i: usize) -> String {
        let end = self.nodes[i].end as usize;
        let mut out = String::new();
        for j in i..end {
            if let Kind::Text(t) = self.nodes[j].kind {
                out.push_str(t);
            }
        }
        out
    }

    pub fn has_ancestor(&self, i: usize, tag: &str, max_up: usize) -> bool {
        let mut p = self.nodes[i].parent;
        let mut n = 0;
        while p != NONE && n < max_up {
            if self.nodes[p as usize].tag == tag {
                return true;
            }
            p = self.nodes[p as usize].parent;
            n += 1;
        }
        false
    }
}

pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_, '_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next = self.dom.nodes[i].end as usize;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preorder_ranges_cover_subtrees() {
        let html = Html::parse_document("<html><body><div><p>a<b>b</b></p><p>c</p></div></body></html>");
        let dom = Dom::build(&html);
        let div = (0..dom.len()).find(|&i| dom.nodes[i].tag == "div").unwrap();
        assert_eq!(dom.text_content(div), "abc");
        let kids: Vec<_> = dom.children(div).map(|i| dom.nodes[i].tag).collect();
        assert_eq!(kids, vec!["p", "p"]);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let mut s = String::new();
        for _ in 0..10_000 {
            s.push_str("<div>");
        }
        s.push_str("deep");
        let html = Html::parse_document(&s);
        let dom = Dom::build(&html);
        assert!(dom.text_content(0).contains("deep"));
    }
}
