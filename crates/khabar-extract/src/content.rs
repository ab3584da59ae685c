//! Finding the article body and turning it into blocks.
//!
//! Readability-style: paragraphs vote for their ancestors (commas and
//! length are votes, link-heavy regions are discounted), the best-scoring
//! container wins, siblings that look like more of the same are merged in,
//! and then the container is walked emitting blocks while furniture inside
//! it (share bars, related lists, forms, captions) is pruned by text and
//! link density and by generic class words.

use crate::dom::{Dom, Kind, NONE};
use crate::patterns::{self, class_weight};

/// Per-node facts computed once, bottom-up.
pub struct Metrics {
    /// Node is invisible or never content (script, nav, hidden...).
    pub removed: Vec<bool>,
    /// Visible text characters under the node (whitespace runs count 1).
    pub text_len: Vec<u32>,
    /// Of which inside links (hash links weighted 0.3).
    pub link_len: Vec<f32>,
    pub commas: Vec<u32>,
    pub p_count: Vec<u32>,
    pub img_count: Vec<u32>,
    pub li_count: Vec<u32>,
    pub input_count: Vec<u32>,
    pub embed_count: Vec<u32>,
    pub heading_len: Vec<u32>,
    pub list_len: Vec<u32>,
    /// Has a block-level element among its descendants.
    pub has_block: Vec<bool>,
}

pub(crate) const NEVER_CONTENT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "button", "input",
    "select", "textarea", "option", "nav", "head", "title", "meta", "link", "dialog", "video", "audio", "map", "math",
    "picture", "source",
];

const DIV_TO_P: &[&str] = &["blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"];

pub fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "tbody"
            | "thead"
            | "tfoot"
            | "figure"
            | "figcaption"
            | "header"
            | "footer"
            | "address"
            | "center"
            | "hr"
            | "aside"
            | "form"
            | "fieldset"
            | "caption"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "nav"
            | "menu"
    )
}

pub(crate) fn is_hidden(dom: &Dom, i: usize) -> bool {
    // A collapsed tab or accordion panel (a tab panel, or a region
    // labelled by the trigger that opens it) is content one click away:
    // the page's code samples, feature tabs and answers live there.
    let panel = dom.attr(i, "role") == Some("tabpanel") || dom.attr(i, "aria-labelledby").is_some();
    if dom.attr(i, "hidden").is_some() && !panel {
        return true;
    }
    if dom.attr(i, "aria-hidden") == Some("true") && !panel {
        // Some sites hide decorative wrappers that hold the whole page;
        // only trust aria-hidden on small regions (checked by caller).
        return true;
    }
    if let Some(style) = dom.attr(i, "style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

const UNLIKELY_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
];

/// A region holding at least this share of the page's visible text is
/// never deleted for a class/id word or a landmark role: page builders
/// (Elementor, Blogger, HubSpot, Drupal) wrap the whole post in
/// `widget`, `sidebar-…`, `…-hidden` or `related` containers. The word may
/// still move the region's score.
pub const MOST_OF_PAGE: f32 = 0.5;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pass {
    Raw,
    Lenient,
    Strict,
}

impl Metrics {
    /// Facts for one pass. `Raw` removes only what is never content;
    /// `Lenient` also removes hidden regions, `Strict` also regions whose
    /// class/id word or role says furniture. `reference` are the metrics of
    /// the pass before (raw for lenient, lenient for strict): a hidden or
    /// furniture-named region is removed only if it holds less than
    /// [`MOST_OF_PAGE`] of the text counted there or is mostly links
    /// (streamed server-rendered pages keep the whole page in a `hidden`
    /// div until a script moves it).
    pub fn compute(dom: &Dom, pass: Pass, reference: Option<&Metrics>) -> Metrics {
        let strip_unlikely = pass == Pass::Strict;
        let page_text = reference
            .and_then(|l| {
                (0..dom.len())
                    .find(|&i| dom.nodes[i].tag == "body")
                    .map(|b| l.text_len[b])
            })
            .unwrap_or(0) as f32;
        let holds_most = |i: usize| {
            reference.is_some_and(|l| {
                page_text > 0.0 && l.text_len[i] as f32 >= MOST_OF_PAGE * page_text && l.link_density(i) < 0.5
            })
        };
        let n = dom.len();
        let mut m = Metrics {
            removed: vec![false; n],
            text_len: vec![0; n],
            link_len: vec![0.0; n],
            commas: vec![0; n],
            p_count: vec![0; n],
            img_count: vec![0; n],
            li_count: vec![0; n],
            input_count: vec![0; n],
            embed_count: vec![0; n],
            heading_len: vec![0; n],
            list_len: vec![0; n],
            has_block: vec![false; n],
        };
        // Top-down: removal flags (parents precede children).
        for i in 0..n {
            let p = dom.nodes[i].parent;
            if p != NONE && m.removed[p as usize] {
                m.removed[i] = true;
                continue;
            }
            let tag = dom.nodes[i].tag;
            if tag.is_empty() {
                if i != 0 && !matches!(dom.nodes[i].kind, Kind::Text(_)) {
                    m.removed[i] = true;
                }
                continue;
            }
            if NEVER_CONTENT.contains(&tag) {
                m.removed[i] = true;
                continue;
            }
            if pass != Pass::Raw && tag != "body" && tag != "html" && is_hidden(dom, i) && !holds_most(i) {
                m.removed[i] = true;
                continue;
            }
            if strip_unlikely && tag != "body" && tag != "a" && tag != "html" {
                let ci = dom.class_id(i);
                if !ci.is_empty()
                    && patterns::UNLIKELY.is_match(ci)
                    && !patterns::MAYBE_OK.is_match(ci)
                    && !dom.has_ancestor(i, "table", 3)
                    && !dom.has_ancestor(i, "code", 3)
                    && !holds_most(i)
                {
                    m.removed[i] = true;
                    continue;
                }
                if let Some(role) = dom.attr(i, "role")
                    && UNLIKELY_ROLES.contains(&role)
                    && !holds_most(i)
                {
                    m.removed[i] = true;
                    continue;
                }
            }
        }
        // Bottom-up sums.
        for i in (0..n).rev() {
            if m.removed[i] {
                // Media still count for the image heuristics.
                if matches!(dom.nodes[i].tag, "iframe" | "object" | "embed" | "video") {
                    let p = dom.nodes[i].parent;
                    if p != NONE {
                        m.embed_count[p as usize] += 1;
                    }
                }
                if dom.nodes[i].tag == "input" || dom.nodes[i].tag == "select" || dom.nodes[i].tag == "textarea" {
                    let p = dom.nodes[i].parent;
                    if p != NONE {
                        m.input_count[p as usize] += 1;
                    }
                }
                continue;
            }
            let tag = dom.nodes[i].tag;
            if let Kind::Text(t) = dom.nodes[i].kind {
                // A text node's counts do not depend on removal: reuse them.
                let (len, commas) = match reference {
                    Some(l) => (l.text_len[i], l.commas[i]),
                    None => text_stats(t),
                };
                m.text_len[i] = len;
                m.commas[i] = commas;
            }
            match tag {
                "a" => {
                    let hash = dom.attr(i, "href").is_some_and(|h| h.starts_with('#') && h.len() > 1);
                    m.link_len[i] = m.text_len[i] as f32 * if hash { 0.3 } else { 1.0 };
                }
                "p" => m.p_count[i] += 1,
                // A div holding only inline text is a paragraph in all but name.
                "div" if !m.has_block[i] && m.text_len[i] > 0 => m.p_count[i] += 1,
                "img" => m.img_count[i] += 1,
                "li" => m.li_count[i] += 1,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => m.heading_len[i] = m.text_len[i],
                "ul" | "ol" => m.list_len[i] = m.text_len[i],
                _ => {}
            }
            let p = dom.nodes[i].parent;
            if p == NONE {
                continue;
            }
            let p = p as usize;
            m.text_len[p] += m.text_len[i];
            m.link_len[p] += m.link_len[i];
            m.commas[p] += m.commas[i];
            m.p_count[p] += m.p_count[i];
            m.img_count[p] += m.img_count[i];
            m.li_count[p] += m.li_count[i];
            m.input_count[p] += m.input_count[i];
            m.embed_count[p] += m.embed_count[i];
            m.heading_len[p] += m.heading_len[i];
            m.list_len[p] += m.list_len[i];
            if m.has_block[i] || DIV_TO_P.contains(&tag) {
                m.has_block[p] = true;
            }
        }
        m
    }

    pub fn link_density(&self, i: usize) -> f32 {
        let t = self.text_len[i];
        if t == 0 {
            0.0
        } else {
            (self.link_len[i] / t as f32).min(1.0)
        }
    }
}

/// Visible length (whitespace runs count as one) and comma count.
fn text_stats(t: &str) -> (u32, u32) {
    let mut len = 0u32;
    let mut commas = 0u32;
    let mut ws = true;
    for c in t.chars() {
        if c.is_whitespace() {
            if !ws {
                len += 1;
            }
            ws = true;
        } else {
            ws = false;
            len += 1;
            if patterns::COMMAS.contains(&c) {
                commas += 1;
            }
        }
    }
    (len, commas)
}

/// Direct inline text length of a container (text children and inline
/// element children), i.e. the text a browser would show loose in it.
fn inline_text_len(dom: &Dom, m: &Metrics, i: usize) -> u32 {
    let mut n = 0;
    for c in dom.children(i) {
        if m.removed[c] {
            continue;
        }
        let tag = dom.nodes[c].tag;
        if tag.is_empty() || (!is_block_tag(tag) && !m.has_block[c]) {
            n += m.text_len[c];
        }
    }
    n
}

/// The article container(s), in document order.
pub fn find_content(dom: &Dom, m: &Metrics) -> (Vec<usize>, Vec<f32>) {
    let n = dom.len();
    let mut score = vec![0f32; n];
    let mut is_cand = vec![false; n];
    let mut cands: Vec<usize> = Vec::new();
    let body = (0..n).find(|&i| dom.nodes[i].tag == "body");
    for i in 0..n {
        if m.removed[i] || !dom.is_element(i) {
            continue;
        }
        let tag = dom.nodes[i].tag;
        let (para_len, para_commas, start_level_node) = match tag {
            "p" | "pre" | "td" | "section" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                (m.text_len[i], m.commas[i], dom.nodes[i].parent)
            }
            "div" | "article" | "main" | "font" | "span" | "center" => {
                if tag == "div" && !m.has_block[i] {
                    (m.text_len[i], m.commas[i], dom.nodes[i].parent)
                } else if matches!(tag, "div" | "article" | "main" | "center") {
                    // Loose text inside a container acts as a paragraph of it.
                    let l = inline_text_len(dom, m, i);
                    if l < 25 {
                        continue;
                    }
                    let mut c = 0;
                    for ch in dom.children(i) {
                        if !m.removed[ch] && (dom.nodes[ch].tag.is_empty() || !is_block_tag(dom.nodes[ch].tag)) {
                            c += m.commas[ch];
                        }
                    }
                    (l, c, i as u32)
                } else {
                    continue;
                }
            }
            _ => continue,
        };
        if para_len < 25 {
            continue;
        }
        let content = 1.0 + (para_commas + 1) as f32 + (para_len / 100).min(3) as f32;
        let mut a = start_level_node;
        let mut level = 0;
        while a != NONE && level < 5 {
            let ai = a as usize;
            let parent = dom.nodes[ai].parent;
            if parent == NONE || dom.nodes[parent as usize].tag.is_empty() {
                break;
            }
            if !is_cand[ai] {
                is_cand[ai] = true;
                score[ai] = initial_score(dom, m, ai);
                cands.push(ai);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[ai] += content / div;
            a = parent;
            level += 1;
        }
    }
    for &c in &cands {
        score[c] *= 1.0 - m.link_density(c);
    }
    let mut top_list: Vec<usize> = cands.clone();
    top_list.sort_by(|&a, &b| score[b].partial_cmp(&score[a]).unwrap_or(std::cmp::Ordering::Equal));
    top_list.truncate(5);
    let Some(&first) = top_list.first() else {
        return (body.into_iter().collect(), score);
    };
    if Some(first) == body {
        return (body.into_iter().collect(), score);
    }
    let mut top = first;
    // Several close runners-up sharing an ancestor: the ancestor is the article.
    let alt: Vec<Vec<usize>> = top_list[1..]
        .iter()
        .filter(|&&c| score[first] > 0.0 && score[c] / score[first] >= 0.75)
        .map(|&c| ancestors(dom, c))
        .collect();
    if alt.len() >= 3 {
        let mut p = dom.nodes[top].parent;
        while p != NONE && !is_page_root(dom, p as usize) {
            let hits = alt.iter().filter(|a| a.contains(&(p as usize))).count();
            if hits >= 3 {
                top = p as usize;
                break;
            }
            p = dom.nodes[p as usize].parent;
        }
    }
    if !is_cand[top] {
        is_cand[top] = true;
        score[top] = initial_score(dom, m, top);
    }
    // Climb while the parent scores better.
    let mut p = dom.nodes[top].parent;
    let mut last = score[top];
    let threshold = last / 3.0;
    while p != NONE && !is_page_root(dom, p as usize) {
        let pi = p as usize;
        if !is_cand[pi] {
            p = dom.nodes[pi].parent;
            continue;
        }
        if score[pi] < threshold {
            break;
        }
        if score[pi] > last {
            top = pi;
            break;
        }
        last = score[pi];
        p = dom.nodes[pi].parent;
    }
    // Only child: use the parent so siblings can be merged.
    loop {
        let p = dom.nodes[top].parent;
        if p == NONE || is_page_root(dom, p as usize) {
            break;
        }
        let kids = dom.children(p as usize).filter(|&c| dom.is_element(c)).count();
        if kids != 1 {
            break;
        }
        top = p as usize;
    }
    let widened = widen_to_sections(dom, m, top);
    if widened != top {
        top = widened;
        is_cand[top] = true;
    }
    if !is_cand[top] {
        score[top] = initial_score(dom, m, top);
    }
    // Sibling merge.
    let parent = dom.nodes[top].parent;
    if parent == NONE {
        return (vec![top], score);
    }
    let threshold = (score[top] * 0.2).max(10.0);
    let top_class = dom.attr(top, "class").unwrap_or("");
    let mut out = Vec::new();
    for s in dom.children(parent as usize) {
        if !dom.is_element(s) || m.removed[s] {
            continue;
        }
        if s == top {
            out.push(s);
            continue;
        }
        let mut bonus = 0.0;
        if !top_class.is_empty() && dom.attr(s, "class") == Some(top_class) {
            bonus += score[top] * 0.2;
        }
        if is_cand[s] && score[s] + bonus >= threshold {
            out.push(s);
            continue;
        }
        if dom.nodes[s].tag == "p" {
            let ld = m.link_density(s);
            let len = m.text_len[s];
            if len > 80 && ld < 0.25 {
                out.push(s);
            } else if len < 80 && len > 0 && ld == 0.0 {
                let t = dom.text_content(s);
                if t.contains(". ") || t.ends_with('.') {
                    out.push(s);
                }
            }
        }
    }
    (out, score)
}

/// `<body>` or `<html>`: where the climbs for a better container stop.
fn is_page_root(dom: &Dom, i: usize) -> bool {
    matches!(dom.nodes[i].tag, "body" | "html")
}

/// How far above the chosen container the search for a sectioned
/// article looks (wrappers of one child included).
const SECTION_LEVELS: usize = 6;

/// A post split over repeated wrappers of one kind (page-builder rows and
/// columns, `<section>`s) is one article: the best-scoring container is
/// then one of those sections, and the others sit beside one of its
/// ancestors rather than beside it, out of reach of the sibling merge.
/// Climbs from `top` to the first ancestor whose other children include
/// prose-shaped wrappers of the same kind as the one `top` is in (same
/// tag, same first class word) holding text worth at least a third of
/// `top`'s, and returns the ancestor holding them all; `top` when there
/// is none. Teaser grids do not qualify: their tiles are link text.
fn widen_to_sections(dom: &Dom, m: &Metrics, top: usize) -> usize {
    let kind = |i: usize| {
        let class = dom.attr(i, "class").unwrap_or("");
        (dom.nodes[i].tag, class.split_ascii_whitespace().next().unwrap_or(""))
    };
    // The article found so far and how far above it the search has gone:
    // sections may nest (two text modules in a column, the columns' rows
    // in a page section), so a wider container is looked for again above
    // each one found.
    let mut best = top;
    let mut cur = top;
    let mut climbed = 0;
    while climbed < SECTION_LEVELS {
        let p = dom.nodes[cur].parent;
        if p == NONE || is_page_root(dom, p as usize) {
            break;
        }
        let p = p as usize;
        let (tag, word) = kind(cur);
        // A bare `<div>` says nothing about being a section.
        let sectioned = !word.is_empty() || matches!(tag, "section" | "article");
        if sectioned {
            let mut prose = 0u32;
            let mut own_start = None;
            for s in dom.children(p) {
                if s == cur || !dom.is_element(s) || m.removed[s] || kind(s) != (tag, word) {
                    continue;
                }
                // Prose: paragraphs with sentences, few links (a product
                // tile or a teaser has neither).
                if m.text_len[s] < 80 || m.link_density(s) >= 0.2 || m.p_count[s] == 0 || m.commas[s] < 2 {
                    continue;
                }
                // The same text again (a mobile and a desktop copy of one
                // block): any wider container would hold it twice.
                let own = own_start.get_or_insert_with(|| text_start(dom, cur));
                if text_start(dom, s) == *own {
                    return best;
                }
                prose += m.text_len[s];
            }
            // The sections must be most of the wider container's text.
            let sections = prose + m.text_len[cur];
            if prose as f32 >= m.text_len[best] as f32 / 3.0
                && sections as f32 >= 0.6 * m.text_len[p] as f32
                && m.link_density(p) < 0.25
            {
                best = p;
                climbed = 0;
                cur = p;
                continue;
            }
        }
        cur = p;
        climbed += 1;
    }
    best
}

/// The first words of a node's text, folded, to tell a copy of a block.
fn text_start(dom: &Dom, i: usize) -> String {
    let key = fold_key(&dom.text_content(i));
    key.chars().take(120).collect()
}

fn ancestors(dom: &Dom, i: usize) -> Vec<usize> {
    let mut v = Vec::new();
    let mut p = dom.nodes[i].parent;
    while p != NONE {
        v.push(p as usize);
        p = dom.nodes[p as usize].parent;
    }
    v
}

fn initial_score(dom: &Dom, m: &Metrics, i: usize) -> f32 {
    let base = match dom.nodes[i].tag {
        "div" | "article" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    // Class/id words move a score in proportion to the text they label: a
    // title block named `page-title` must not outscore the article.
    let share = (m.text_len[i] as f32 / 500.0).min(1.0);
    base + share * class_weight(dom.attr(i, "class"), dom.attr(i, "id"))
}

/// Case- and space-folded key for comparing a heading with the title.
///
/// One buffer, words lower-cased in place (ASCII words without the
/// Unicode tables): the region emitter keys every block it emits with it.
/// Non-ASCII words keep `str::to_lowercase` (final sigma and the like).
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    let not_alnum = |c: char| !c.is_alphanumeric();
    let end = out.trim_end_matches(not_alnum).len();
    out.truncate(end);
    let start = out.len() - out.trim_start_matches(not_alnum).len();
    out.drain(..start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::extract_blocks;
    use khabar_model::Block;
    use khabar_model::BlockKind;
    use scraper::Html;

    fn blocks(html: &str) -> Vec<Block> {
        let h = Html::parse_document(html);
        let dom = Dom::build(&h);
        extract_blocks(&dom, Some("The Title"), false).blocks
    }

    #[test]
    fn fold_key_lowercases_collapses_and_trims_like_the_word_by_word_form() {
        let slow = |s: &str| {
            s.split_whitespace()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ")
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        };
        for s in [
            "  The   TITLE of\tthe Story. ",
            "«ΟΔΥΣΣΕΥΣ» returns — ",
            "... ¿Qué PASÓ? ...",
            "رئیس‌جمهور  امروز",
            "",
            " !!! ",
            "ÉCOLE Ünïcödé",
        ] {
            assert_eq!(fold_key(s), slow(s), "{s:?}");
        }
        assert_eq!(fold_key("  The   TITLE. "), "the title");
    }

    #[test]
    fn picks_article_over_navigation() {
        let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter. ";
        let html = format!(
            "<html><body><nav><a href=/a>Home</a> <a href=/b>World</a></nav>\
             <div class=sidebar><ul><li><a href=/x>Other story one is here</a></li><li><a href=/y>Other story two is here</a></li></ul></div>\
             <article><h1>The Title</h1><p>{para}</p><p>{para}</p><h2>Background</h2><p>{para}</p>\
             <div class=share-tools><a href=/s>Share on Facebook</a></div></article>\
             <footer>Copyright 2023 Example News. All rights reserved.</footer></body></html>"
        );
        let b = blocks(&html);
        let text = khabar_model::Article::text_from_blocks(&b);
        assert!(text.contains("Officials said"));
        assert!(!text.contains("Other story"));
        assert!(!text.contains("Copyright"));
        assert!(!text.contains("Share on Facebook"));
        assert!(!text.contains("The Title"), "headline is not body: {text}");
        assert!(
            b.iter()
                .any(|b| b.kind == BlockKind::Heading(2) && b.text == "Background")
        );
    }

    /// A page-builder post: each section is a row of the same kind, with
    /// the text a few wrappers down, so the best container is one row's
    /// text block and the other rows are not its siblings.
    fn sectioned_page(rows: &[String]) -> String {
        let rows: String = rows
            .iter()
            .map(|r| {
                format!(
                    "<div class=\"row layout layout-col--1\"><div class=col-xs-12><div class=wrapper>\
                     <div class=text-block>{r}</div></div></div></div>"
                )
            })
            .collect();
        format!(
            "<html><body><nav><a href=/a>Home</a> <a href=/b>Work</a></nav><main>{rows}</main>\
             <footer>Copyright 2025 Example Studio. All rights reserved.</footer></body></html>"
        )
    }

    #[test]
    fn a_post_split_over_rows_of_one_kind_is_read_whole() {
        let long = "When the typeface rolled out, designers were initially skeptical, since a new face, however careful, has to earn its place across every product, on every screen, in every language. ";
        let short = "The team, working for two years, tested the letters at sizes from six points to billboards, and kept what held up. ";
        let rows = [
            format!("<p>{long}</p><p>{long}</p><p>{long}</p>"),
            format!("<h2>Problem one</h2><p>{short}</p>"),
            format!("<h2>Problem two</h2><p>{short} Again, in the end.</p>"),
        ];
        let text = khabar_model::Article::text_from_blocks(&blocks(&sectioned_page(&rows)));
        assert!(text.contains("initially skeptical"), "{text}");
        assert!(
            text.contains("Problem one") && text.contains("Again, in the end"),
            "every row: {text}"
        );
        assert!(!text.contains("Copyright"), "{text}");
    }

    #[test]
    fn sections_inside_sections_are_read_whole() {
        // Two text modules in the first row's column, one in each later row.
        let long = "When the typeface rolled out, designers were initially skeptical, since a new face, however careful, has to earn its place across every product, on every screen, in every language. ";
        let short = "The team, working for two years, tested the letters at sizes from six points to billboards, and kept what held up. ";
        let module = |t: &str| format!("<div class=\"module text\"><div class=inner>{t}</div></div>");
        let row = |modules: String| format!("<div class=\"pb-row row-1\"><div class=pb-column>{modules}</div></div>");
        let html = format!(
            "<html><body><nav><a href=/a>Home</a></nav><div class=pb-section>{}{}{}</div>\
             <footer>Copyright 2025 Example Studio. All rights reserved.</footer></body></html>",
            row(module(&format!("<p>{long}</p><p>{long}</p>")) + &module(&format!("<p>{short} {short}</p>"))),
            row(module(&format!("<h2>Problem one</h2><p>{short}</p>"))),
            row(module(&format!(
                "<h2>Problem two</h2><p>{short} Again, in the end.</p>"
            ))),
        );
        let text = khabar_model::Article::text_from_blocks(&blocks(&html));
        assert!(
            text.contains("Problem one") && text.contains("Again, in the end"),
            "every row: {text}"
        );
    }

    #[test]
    fn an_explanation_lists_the_regions_left_out_with_their_rule() {
        let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter. ";
        let html = format!(
            "<html><body><article id=story><h1>The Title</h1><p>{para}</p><p>{para}</p>\
             <div class=share-bar><a href=/s>Share this story on Facebook</a></div>\
             <div class=gallery><img src=a.jpg><img src=b.jpg><img src=c.jpg><p>Three photographs of the talks.</p></div>\
             <p>{para}</p></article></body></html>"
        );
        let h = Html::parse_document(&html);
        let dom = Dom::build(&h);
        let explained = extract_blocks(&dom, Some("The Title"), true)
            .explanation
            .expect("asked for");
        assert_eq!(explained.from, "article");
        assert_eq!(explained.containers, vec!["article#story".to_string()]);
        let reasons: Vec<(&str, &str)> = explained
            .dropped
            .iter()
            .map(|d| (d.element.as_str(), d.reason))
            .collect();
        assert!(
            reasons
                .iter()
                .any(|(e, r)| *e == "div.share-bar" && r.contains("class or id word")),
            "{reasons:?}"
        );
        assert!(reasons.contains(&("h1", "the headline (shown apart)")), "{reasons:?}");
        assert!(reasons.iter().any(|(e, _)| *e == "div.gallery"), "{reasons:?}");
        // The normal path records nothing.
        assert!(extract_blocks(&dom, Some("The Title"), false).explanation.is_none());
    }

    #[test]
    fn a_grid_of_teasers_beside_the_post_is_not_a_section_of_it() {
        let long = "When the typeface rolled out, designers were initially skeptical, since a new face, however careful, has to earn its place across every product, on every screen, in every language. ";
        let teaser = |n: u32| {
            format!(
                "<h3><a href=/story/{n}>Another story from the studio, number {n}, with a long linked headline</a></h3>\
                 <p><a href=/story/{n}>Read the whole of story {n}, about type, colour and layout, on its own page</a></p>"
            )
        };
        let rows = [
            format!("<p>{long}</p><p>{long}</p><p>{long}</p>"),
            teaser(1),
            teaser(2),
            teaser(3),
        ];
        let text = khabar_model::Article::text_from_blocks(&blocks(&sectioned_page(&rows)));
        assert!(text.contains("initially skeptical"), "{text}");
        assert!(!text.contains("Another story"), "{text}");
    }

    #[test]
    fn a_mobile_copy_of_the_post_is_not_read_twice() {
        let long = "When the typeface rolled out, designers were initially skeptical, since a new face, however careful, has to earn its place across every product, on every screen, in every language. ";
        let post = format!("<p>{long}</p><p>{long} Finally.</p>");
        let text = khabar_model::Article::text_from_blocks(&blocks(&sectioned_page(&[post.clone(), post])));
        assert_eq!(text.matches("Finally.").count(), 1, "{text}");
    }

    #[test]
    fn a_furniture_word_on_a_wrapper_of_the_whole_post_does_not_delete_it() {
        // Page builders put the whole post in `widget`/`sidebar-…`/`…-hidden`
        // wrappers; the word may lower a score, never delete the body.
        let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter. ";
        for class in [
            "elementor-widget-container",
            "col-9 sidebar-first-only",
            "field field--label-hidden",
            "related-wrapper",
        ] {
            let html = format!(
                "<html><body><nav><a href=/a>Home</a> <a href=/b>World</a></nav>\
                 <div class='{class}'><div class='{class}'><p>{para}</p><p>{para}</p><p>{para}</p></div></div>\
                 <div class=sidebar><ul><li><a href=/x>Other story one is here</a></li></ul></div>\
                 <footer>Copyright 2023 Example News.</footer></body></html>"
            );
            let text = khabar_model::Article::text_from_blocks(&blocks(&html));
            assert_eq!(text.matches("Officials said").count(), 3, "{class}: {text}");
            assert!(!text.contains("Other story"), "{class}: {text}");
        }
    }

    #[test]
    fn a_post_split_over_many_widget_boxes_is_kept() {
        let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter. ";
        let boxes: String = (0..6)
            .map(|k| format!("<div class='e-widget'><div class='e-widget-wrap'><p>Part {k}. {para}</p></div></div>"))
            .collect();
        let html = format!(
            "<html><body><div class='sidebar-area'><ul><li><a href=/x>Other story one is here</a></li></ul></div>\
             <div class=page-col>{boxes}</div></body></html>"
        );
        let text = khabar_model::Article::text_from_blocks(&blocks(&html));
        assert_eq!(text.matches("Officials said").count(), 6, "{text}");
    }

    #[test]
    fn a_hidden_region_holding_the_whole_page_is_read() {
        // Streamed server rendering parks the page in `<div hidden>` until
        // a script moves it; a small hidden region stays out.
        let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter. ";
        let html = format!(
            "<html><body><div hidden><p>Secret menu text that nobody sees on the page at all, really.</p></div>\
             <div hidden id='S:0'><article><p>{para}</p><p>{para}</p><p>{para}</p></article></div></body></html>"
        );
        let text = khabar_model::Article::text_from_blocks(&blocks(&html));
        assert_eq!(text.matches("Officials said").count(), 3, "{text}");
        assert!(!text.contains("Secret menu"), "{text}");
    }

    #[test]
    fn class_words_on_a_short_block_do_not_outscore_the_text() {
        let para = "Problems with your teeth, gums, or mouth can raise the risk of other diseases, and regular care, which is cheap, helps. ";
        let html = format!(
            "<html><body><div class=top><div class='block page-title-block' id='block-page-title'><div class=content-main><h2>Oral health</h2><p>A short, plain, lead line, here.</p></div></div><span>x</span></div>\
             <div class=region><div><p>{para}</p><p>{para}</p><p>{para}</p></div></div></body></html>"
        );
        let text = khabar_model::Article::text_from_blocks(&blocks(&html));
        assert_eq!(text.matches("Problems with your teeth").count(), 3, "{text}");
    }

    #[test]
    fn an_image_rich_wrapper_holding_the_text_is_not_cleaned_away() {
        // Conditional cleaning (images per paragraph, headings, inputs) must
        // not delete the region that holds most of the article's text.
        let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter. ";
        let imgs = "<img src=/1.jpg><img src=/2.jpg><img src=/3.jpg><img src=/4.jpg><img src=/5.jpg>";
        let html = format!(
            "<html><body><article><p>Shorter lead, with commas, that opens it, and sets the scene, briefly.</p>\
             <div class=slides-outer>{imgs}<p>{para}</p>{imgs}<p>{para}</p></div>\
             <p>Shorter end, with commas, that closes it, and sums it up, briefly.</p></article></body></html>"
        );
        let text = khabar_model::Article::text_from_blocks(&blocks(&html));
        assert_eq!(text.matches("Officials said").count(), 2, "{text}");
    }

    #[test]
    fn preformatted_keeps_its_lines() {
        let para = "The code below, which the team published on Monday, shows the fix, they said in a statement. ";
        let html = format!(
            "<html><body><article><p>{para}</p><pre>fn main() {{\n    println!(\"hi\");\n}}</pre><p>{para}</p></article></body></html>"
        );
        let b = blocks(&html);
        let pre = b.iter().find(|b| b.kind == BlockKind::Preformatted).expect("pre block");
        assert_eq!(pre.text, "fn main() {\nprintln!(\"hi\");\n}");
    }

    #[test]
    fn keeps_lists_and_quotes_in_body() {
        let para = "The minister, speaking to reporters, said the plan would cut costs, raise revenue and improve services across the country. ";
        let html = format!(
            "<html><body><div class=article-body><p>{para}</p><ul><li>First point of the plan</li><li>Second point of the plan</li></ul>\
             <blockquote><p>We will not back down, he said, not now and not ever.</p></blockquote><p>{para}</p></div></body></html>"
        );
        let b = blocks(&html);
        assert!(
            b.iter()
                .any(|b| b.kind == BlockKind::ListItem && b.text == "First point of the plan")
        );
        assert!(b.iter().any(|b| b.kind == BlockKind::Quote));
    }
}
