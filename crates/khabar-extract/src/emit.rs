//! Walking the chosen article container and emitting blocks.
//!
//! The walk uses an explicit stack (no recursion) and prunes the furniture
//! that lives inside article containers: share bars, related lists, forms,
//! captions, the repeated headline, link-only teaser paragraphs, and
//! Readability's conditional cleaning of link- or image-heavy regions.

use khabar_model::{Block, BlockKind};
use khabar_text::collapse_whitespace;

use crate::content::{Metrics, fold_key, is_block_tag};
use crate::dom::{Dom, Kind, NONE};
use crate::patterns::{self, class_weight};

/// Largest share of a forum thread's text a region of comments under one
/// post may hold.
const POST_COMMENTS_SHARE: f32 = 0.25;

/// Elements sharing one `class` value from which it names a repeated
/// component rather than a part of the page.
const REPEATED_PART: u32 = 3;

/// Share of the region's text above which a `<form>` is the page's
/// wrapper, whatever its link density.
const NEARLY_ALL: f32 = 0.8;

/// The drop rule for an element removed before the walk (see
/// [`Metrics`]); only an explanation says which removal it was
/// ([`removed_reason`]), so the walk itself looks at nothing more.
const REMOVED: &str = "removed before the walk";

/// Why an element removed before the walk was left out: the page hides it
/// or it is never text, or else the strict pass removed it for its class
/// or id word or its role.
fn removed_reason(dom: &Dom, i: usize) -> &'static str {
    if crate::content::NEVER_CONTENT.contains(&dom.nodes[i].tag) || crate::content::is_hidden(dom, i) {
        "hidden by the page, or never text (script, nav, form control…)"
    } else {
        "removed for its class or id word or its role (share, related, comments, menu…)"
    }
}

const FURNITURE_ELEMENT: &str = "a footer, aside, nav, form, figure or form control";

/// A region of the chosen container left out of the body (any with text),
/// and why: what
/// `khabar inspect article` lists so an operator can tell a rule that
/// cost a paragraph from furniture rightly dropped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DroppedRegion {
    /// `tag#id.class` of the element.
    pub element: String,
    /// Characters of its text (hidden text included).
    pub chars: u32,
    pub link_density: f32,
    /// Its first words.
    pub text: String,
    pub reason: &'static str,
}

/// How the body was chosen, for `khabar inspect article`: where the text
/// came from, the containers read, and each region of them left out with
/// the rule that left it out.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct BodyExplanation {
    /// `article` (the best-scoring container and the sections merged
    /// with it) or `main region` (pages of other types, and articles that
    /// are a small part of their page's main region).
    pub from: &'static str,
    /// `tag#id.class` of each container read, in page order.
    pub containers: Vec<String>,
    pub dropped: Vec<DroppedRegion>,
}

/// `tag#id.class…` of an element, for explanations.
pub fn describe(dom: &Dom, i: usize) -> String {
    let mut out = dom.nodes[i].tag.to_string();
    if let Some(id) = dom.attr(i, "id").filter(|v| !v.is_empty()) {
        out.push('#');
        out.push_str(id);
    }
    for c in dom.attr(i, "class").unwrap_or("").split_ascii_whitespace().take(4) {
        out.push('.');
        out.push_str(c);
    }
    out
}

/// The first words of a text, for explanations.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The class and id tokens that name something: utility classes that carry
/// a CSS expression (`lg:pt-[calc(var(--banner-min-height))]`,
/// `has-[>[data-slot=banner]]`, `md:flex`) are styling, and the words
/// inside them (`banner`, `header`) say nothing about the element.
pub fn semantic_class_id(ci: &str) -> std::borrow::Cow<'_, str> {
    let utility = |t: &str| t.contains(['[', ']', '(', ')', ':', '='].as_slice());
    if !ci.split_ascii_whitespace().any(utility) {
        return std::borrow::Cow::Borrowed(ci);
    }
    std::borrow::Cow::Owned(
        ci.split_ascii_whitespace()
            .filter(|t| !utility(t))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Emits the blocks of the chosen containers.
pub struct Emitter<'d, 'a> {
    dom: &'d Dom<'a>,
    m: &'d Metrics,
    /// Content scores from [`find_content`] (0 for unscored nodes).
    score: Vec<f32>,
    title_key: Option<String>,
    pub blocks: Vec<Block>,
    cur: String,
    cur_kind: BlockKind,
    /// Data-table verdict per `<table>`, computed once (rows ask often).
    data_tables: std::collections::HashMap<usize, bool>,
    /// Visible text of the container being emitted.
    root_text: u32,
    /// Region mode (pages that are not articles): links, teasers and
    /// lists are content; only page furniture is dropped.
    region: bool,
    /// The page is a forum: comment-named regions are its posts.
    forum: bool,
    /// How many elements carry each `class` value (region mode).
    class_counts: std::collections::HashMap<&'a str, u32>,
    /// The page is a product's: its customer reviews are comments.
    pub product: bool,
    /// Folded texts of the blocks emitted so far (region mode).
    seen: std::collections::HashSet<String>,
    /// The regions left out and why, when asked for (`khabar inspect
    /// article`); `None` on the normal path, which pays nothing for it.
    pub dropped: Option<Vec<DroppedRegion>>,
}

impl<'d, 'a> Emitter<'d, 'a> {
    pub fn new(dom: &'d Dom<'a>, m: &'d Metrics, score: Vec<f32>, title: Option<&str>) -> Self {
        Emitter {
            dom,
            m,
            score,
            title_key: title.map(fold_key),
            blocks: Vec::new(),
            cur: String::new(),
            cur_kind: BlockKind::Paragraph,
            data_tables: std::collections::HashMap::new(),
            root_text: 0,
            region: false,
            forum: false,
            product: false,
            seen: std::collections::HashSet::new(),
            class_counts: std::collections::HashMap::new(),
            dropped: None,
        }
    }

    /// An emitter for the main region of a page that is not an article
    /// (see [`Emitter::drop_in_region`]).
    pub fn region(dom: &'d Dom<'a>, m: &'d Metrics, title: Option<&str>, forum: bool) -> Self {
        let mut e = Emitter::new(dom, m, vec![0.0; dom.len()], title);
        e.region = true;
        e.forum = forum;
        for i in 0..dom.len() {
            if let Some(c) = dom.attr(i, "class") {
                *e.class_counts.entry(c).or_insert(0) += 1;
            }
        }
        e
    }

    /// Whether `i`'s class names a part of a component the page repeats
    /// (`item-card__header`, `card-footer`): the page's own header and
    /// footer appear once, a card's on every card, where the header holds
    /// the item's title. Only the header and footer words are excused;
    /// any other furniture word in the class still counts.
    fn is_repeated_part(&self, i: usize, ci: &str) -> bool {
        let repeated = self
            .dom
            .attr(i, "class")
            .is_some_and(|c| self.class_counts.get(c).is_some_and(|&n| n >= REPEATED_PART));
        if !repeated || !patterns::PART_WORDS.is_match(ci) {
            return false;
        }
        let rest: Vec<&str> = ci
            .split_ascii_whitespace()
            .filter(|t| !patterns::PART_WORDS.is_match(t))
            .collect();
        !patterns::REGION_FURNITURE.is_match(&rest.join(" "))
    }

    /// Region mode: drops page furniture only (header, footer, navigation,
    /// forms, dialogs, regions named for cookies, newsletters, sharing,
    /// breadcrumbs), never for being links or a list: a listing's items,
    /// a shop's tiles and a forum's posts are made of those.
    fn drop_in_region(&self, i: usize) -> Option<&'static str> {
        let dom = self.dom;
        let m = self.m;
        if m.removed[i] {
            return Some(REMOVED);
        }
        let tag = dom.nodes[i].tag;
        let most = self.holds_most(i);
        // In the region links are content: a `<form>` holding nearly all
        // of the region's text wraps the page (a shop's product grid
        // inside its filter form, ASP.NET's page form), however
        // link-dense. An `<aside>` or `<nav>` that size is still a link
        // list beside a short page.
        let page_form =
            tag == "form" && self.root_text > 0 && m.text_len[i] as f32 >= NEARLY_ALL * self.root_text as f32;
        match tag {
            "header" | "footer" | "aside" | "nav" | "form" | "dialog" | "menu" | "button" | "select" | "input"
            | "textarea" | "iframe"
                if !most && !page_form =>
            {
                return Some(FURNITURE_ELEMENT);
            }
            _ => {}
        }
        let ci = semantic_class_id(dom.class_id(i));
        if ci.is_empty() || most {
            return None;
        }
        if patterns::REGION_FURNITURE.is_match(&ci) && !self.is_repeated_part(i, &ci) {
            return Some("a class or id word of page furniture (cookie, newsletter, share, breadcrumb…)");
        }
        if !self.forum && patterns::COMMENTS.is_match(&ci) {
            return Some("readers' comments");
        }
        if self.product && patterns::REVIEWS.is_match(&ci) {
            return Some("customer reviews on a product page");
        }
        if self.forum && self.is_comments_under_a_post(i, &ci) {
            return Some("remarks under one post of a thread");
        }
        None
    }

    /// On a forum, comment-named regions are often the posts themselves
    /// (a comment list that is the thread). Comments *under* a post (Q&A
    /// sites' remarks on a question or an answer) are a small comment-named
    /// region with no comment-named ancestor, inside a thread whose text
    /// lies mostly elsewhere.
    fn is_comments_under_a_post(&self, i: usize, ci: &str) -> bool {
        if !patterns::COMMENTS.is_match(ci) || self.m.text_len[i] as f32 >= POST_COMMENTS_SHARE * self.root_text as f32
        {
            return false;
        }
        let mut p = self.dom.nodes[i].parent;
        while p != NONE {
            let pi = p as usize;
            if patterns::COMMENTS.is_match(&semantic_class_id(self.dom.class_id(pi))) {
                return false;
            }
            p = self.dom.nodes[pi].parent;
        }
        true
    }

    /// Whether `i` holds most of the container's text (and is not a link
    /// list): a class/id word may then lower its score but never delete it.
    fn holds_most(&self, i: usize) -> bool {
        self.root_text > 0
            && self.m.text_len[i] as f32 >= crate::content::MOST_OF_PAGE * self.root_text as f32
            && self.m.link_density(i) < 0.5
    }

    fn flush(&mut self) {
        if self.cur.trim().is_empty() {
            self.cur.clear();
            return;
        }
        // Paragraphs separated only by <br><br> become separate blocks.
        if self.cur_kind != BlockKind::Preformatted && self.cur.contains("\n\n") {
            let parts: Vec<String> = split_double_breaks(&self.cur);
            if parts.len() > 1 {
                self.cur.clear();
                for p in parts {
                    self.cur = p;
                    self.flush_one();
                }
                return;
            }
        }
        self.flush_one();
    }

    fn flush_one(&mut self) {
        // Preformatted text keeps its lines (code, poems, tables as text);
        // everything else is one whitespace-normalised run.
        let text = if self.cur_kind == BlockKind::Preformatted && self.cur.trim().contains('\n') {
            let lines: Vec<String> = self.cur.lines().map(collapse_whitespace).collect();
            let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
            let last = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |p| p + 1);
            lines[first..last.max(first)].join("\n")
        } else {
            collapse_whitespace(&self.cur)
        };
        self.cur.clear();
        if patterns::AD_WORDS.is_match(&text) || patterns::LOADING_WORDS.is_match(&text) {
            return;
        }
        if is_furniture_line(&text) {
            return;
        }
        let text = khabar_text::normalize_display(&text);
        // Carousels, responsive variants and sticky copies repeat whole
        // blocks on shop and landing pages; the region keeps the first.
        if self.region && !self.seen.insert(fold_key(&text)) {
            return;
        }
        self.blocks.push(Block {
            kind: self.cur_kind,
            text,
        });
    }

    /// Why an element inside the article is furniture to drop, if it is.
    fn drop_reason(&self, i: usize) -> Option<&'static str> {
        let dom = self.dom;
        let m = self.m;
        let tag = dom.nodes[i].tag;
        if self.region {
            return self.drop_in_region(i);
        }
        if m.removed[i] {
            return Some(REMOVED);
        }
        match tag {
            "footer" | "aside" | "nav" | "form" | "fieldset" | "figure" | "figcaption" | "button" | "select"
            | "input" | "textarea" | "iframe" | "menu" => {
                // A form wrapping the whole page (ASP.NET) is not furniture.
                if tag == "form" && m.text_len[i] > 2000 && m.link_density(i) < 0.3 {
                    return None;
                }
                return Some(FURNITURE_ELEMENT);
            }
            // The page headline is not body text.
            "h1" => return Some("the headline (shown apart)"),
            "h2" | "h3" | "h4" | "h5" | "h6" => {
                if class_weight(dom.attr(i, "class"), dom.attr(i, "id")) < 0.0 {
                    return Some("a heading with a furniture class or id word");
                }
                if let Some(tk) = &self.title_key {
                    let key = fold_key(&dom.text_content(i));
                    if !key.is_empty() && (key == *tk || (key.len() > 20 && tk.contains(key.as_str()))) {
                        return Some("a heading repeating the headline");
                    }
                }
                return (m.link_density(i) > 0.5).then_some("a heading that is mostly a link");
            }
            _ => {}
        }
        let ci = dom.class_id(i);
        let text_len = m.text_len[i];
        // A `credits` paragraph outside any figure that reads as the
        // story's credits (`Reporting by …; Editing by …`) is kept: the
        // credits stage moves it out of the body. Image credits (inside a
        // figure, or not a credits sentence) still go.
        if text_len < 300
            && patterns::CAPTION.is_match(ci)
            && !dom.has_ancestor(i, "figure", 8)
            && !dom.has_ancestor(i, "figcaption", 8)
            && crate::wire::is_credits(&dom.text_content(i))
        {
            return None;
        }
        if !ci.is_empty() && !self.holds_most(i) {
            if patterns::SHARE.is_match(ci) && text_len < 500 {
                return Some("share tools");
            }
            // Image captions and credits under any naming ("newsCaption",
            // "imageCredit", "wp-caption-text").
            if text_len < 300 && patterns::CAPTION.is_match(ci) {
                return Some("an image caption or credit");
            }
            if patterns::BOILERPLATE.is_match(ci) && !patterns::MAYBE_OK.is_match(ci) && text_len < 1500 {
                return Some("a short region with a furniture class or id word (related, comments, ads…)");
            }
        }
        if matches!(tag, "div" | "section" | "ul" | "ol" | "table" | "header" | "dl") {
            return self.clean_conditionally(i);
        }
        // A paragraph that is one link is a teaser for another story.
        if matches!(tag, "p" | "li" | "dd" | "span" | "strong" | "b") && text_len < 300 && m.link_density(i) > 0.8 {
            return Some("a paragraph that is one link (a teaser)");
        }
        None
    }

    /// Paragraph-shaped text with few links: a class word alone does not
    /// make it furniture (page builders split one post over many
    /// `…-widget-…` boxes).
    fn is_prose(&self, i: usize) -> bool {
        let m = self.m;
        m.text_len[i] >= 150 && m.link_density(i) < 0.1 && m.p_count[i] >= 1
    }

    /// Readability's conditional cleaning: drops link lists, image
    /// galleries, form-ish and tiny regions.
    fn clean_conditionally(&self, i: usize) -> Option<&'static str> {
        let dom = self.dom;
        let m = self.m;
        let tag = dom.nodes[i].tag;
        if dom.has_ancestor(i, "code", 50) {
            return None;
        }
        // Most of the container's text: deleting it would delete the
        // article (its class words already moved its score).
        if self.holds_most(i) {
            return None;
        }
        let weight = class_weight(dom.attr(i, "class"), dom.attr(i, "id"));
        if weight + self.score[i] < 0.0 && !self.is_prose(i) {
            return Some("a negative score (class or id words, links) and not prose");
        }
        let text_len = m.text_len[i];
        if tag == "table" && is_data_table(dom, i) {
            return None;
        }
        let is_list = matches!(tag, "ul" | "ol") || (text_len > 0 && m.list_len[i] as f32 / text_len as f32 > 0.9);
        if m.commas[i] >= 10 {
            return None;
        }
        let p = m.p_count[i] as f32;
        let img = m.img_count[i] as f32;
        let li = m.li_count[i] as f32 - 100.0;
        let input = m.input_count[i] as f32;
        let heading_density = if text_len > 0 {
            m.heading_len[i] as f32 / text_len as f32
        } else {
            0.0
        };
        let ld = m.link_density(i);
        let embeds = m.embed_count[i];
        let in_figure = dom.has_ancestor(i, "figure", 3);
        let why = if img > 1.0 && p / img < 0.5 && !in_figure {
            Some("more images than paragraphs (a gallery)")
        } else if !is_list && li > p {
            Some("more list items than paragraphs")
        } else if input > (p / 3.0).floor() {
            Some("form fields")
        } else if !is_list && heading_density < 0.9 && text_len < 25 && (img == 0.0 || img > 2.0) && !in_figure {
            Some("too little text")
        } else if (!is_list && weight < 25.0 && ld > 0.2) || (weight >= 25.0 && ld > 0.5) {
            Some("mostly links")
        } else if (embeds == 1 && text_len < 75) || embeds > 1 {
            Some("embedded players or frames")
        } else {
            None
        };
        if why.is_some() && is_list {
            // A list of captioned images is content.
            return (ld > 0.2 || m.text_len[i] < 25).then_some("a list of links, or with too little text");
        }
        why
    }

    fn in_data_table(&mut self, tr: usize) -> bool {
        let mut p = self.dom.nodes[tr].parent;
        while p != NONE {
            let pi = p as usize;
            if self.dom.nodes[pi].tag == "table" {
                let dom = self.dom;
                return *self.data_tables.entry(pi).or_insert_with(|| is_data_table(dom, pi));
            }
            p = self.dom.nodes[pi].parent;
        }
        false
    }

    /// Walks `root` emitting blocks; explicit stack, no recursion.
    pub fn emit(&mut self, root: usize) {
        enum Step {
            Enter(usize),
            Leave,
        }
        let dom = self.dom;
        // The container itself was chosen by score; only invisibility
        // disqualifies it.
        if self.m.removed[root] {
            return;
        }
        self.root_text = self.m.text_len[root];
        let mut stack = vec![Step::Enter(root)];
        let mut kind_stack: Vec<BlockKind> = Vec::new();
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(i) => {
                    let node = &dom.nodes[i];
                    if let Kind::Text(t) = node.kind {
                        if !self.m.removed[i] {
                            self.cur.push_str(t);
                        }
                        continue;
                    }
                    if !dom.is_element(i) {
                        continue;
                    }
                    if i != root
                        && let Some(reason) = self.drop_reason(i)
                    {
                        if let Some(dropped) = self.dropped.as_mut() {
                            // The text as written: a region removed before
                            // the walk counts no visible text.
                            let text = collapse_whitespace(&dom.text_content(i));
                            if !text.is_empty() {
                                dropped.push(DroppedRegion {
                                    element: describe(dom, i),
                                    chars: text.chars().count() as u32,
                                    link_density: self.m.link_density(i),
                                    text: excerpt(&text),
                                    reason: if reason == REMOVED {
                                        removed_reason(dom, i)
                                    } else {
                                        reason
                                    },
                                });
                            }
                        }
                        continue;
                    }
                    let tag = node.tag;
                    if tag == "br" {
                        self.cur.push('\n');
                        continue;
                    }
                    let block = is_block_tag(tag);
                    if block {
                        self.flush();
                        let kind = match tag {
                            "h1" | "h2" => Some(BlockKind::Heading(2)),
                            "h3" => Some(BlockKind::Heading(3)),
                            "h4" => Some(BlockKind::Heading(4)),
                            "h5" => Some(BlockKind::Heading(5)),
                            "h6" => Some(BlockKind::Heading(6)),
                            "li" | "dd" | "dt" => Some(BlockKind::ListItem),
                            "blockquote" => Some(BlockKind::Quote),
                            "pre" => Some(BlockKind::Preformatted),
                            // Rows of data tables are preformatted text; rows
                            // of layout tables are just containers.
                            "tr" if dom.nodes[i].parent != NONE && self.in_data_table(i) => {
                                Some(BlockKind::Preformatted)
                            }
                            _ => None,
                        };
                        let k = kind.unwrap_or_else(|| *kind_stack.last().unwrap_or(&BlockKind::Paragraph));
                        kind_stack.push(k);
                        self.cur_kind = k;
                        stack.push(Step::Leave);
                    } else if matches!(tag, "td" | "th") {
                        self.cur.push(' ');
                    }
                    if tag == "pre" {
                        // Keep preformatted text as is (collapsed later only per line).
                    }
                    let kids: Vec<usize> = dom.children(i).collect();
                    for &c in kids.iter().rev() {
                        stack.push(Step::Enter(c));
                    }
                }
                Step::Leave => {
                    self.flush();
                    kind_stack.pop();
                    self.cur_kind = *kind_stack.last().unwrap_or(&BlockKind::Paragraph);
                }
            }
        }
        self.flush();
    }
}

fn is_data_table(dom: &Dom, i: usize) -> bool {
    if dom.attr(i, "role") == Some("presentation") {
        return false;
    }
    if dom.attr(i, "summary").is_some() {
        return true;
    }
    let end = dom.nodes[i].end as usize;
    let mut rows = 0;
    for j in i + 1..end {
        match dom.nodes[j].tag {
            "caption" | "col" | "colgroup" | "tfoot" | "thead" | "th" => return true,
            "table" => return false,
            "tr" => rows += 1,
            _ => {}
        }
    }
    rows >= 10
}

/// Splits text at blank lines (from `<br><br>`), ignoring spaces between.
fn split_double_breaks(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut newlines = 0;
    for c in s.chars() {
        if c == '\n' {
            newlines += 1;
            cur.push(c);
        } else if c.is_whitespace() {
            cur.push(c);
        } else {
            if newlines >= 2 && !cur.trim().is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            newlines = 0;
            cur.push(c);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// Short lines that are page furniture wherever they appear: time stamps,
/// copyright notices, calls to action.
fn is_furniture_line(t: &str) -> bool {
    let n = t.chars().count();
    if n > 250 {
        return false;
    }
    let lower = t.to_lowercase();
    if lower.contains('©') || lower.contains("copyright") || lower.contains("all rights reserved") {
        return true;
    }
    if n < 120 {
        for p in [
            "updated",
            "published",
            "posted",
            "last updated",
            "last modified",
            "aktualisiert",
            "veröffentlicht",
            "zuletzt",
            "تاریخ انتشار",
            "زمان انتشار",
            "کد خبر",
            "آخرین به‌روزرسانی",
            "به‌روزرسانی",
            "mis à jour",
            "publié",
            "click here",
            "read more",
            "see more",
            "share this",
            "like this",
            "skip to",
            "advertisement",
            "sponsored",
            "related",
            "don't miss",
            "you may also like",
            "follow us",
            "sign up",
            "subscribe",
            "this slideshow requires",
            "image:",
            "photo:",
            "(image",
            "(photo",
            "credit:",
        ] {
            if lower.starts_with(p) || (p.starts_with('(') && lower.contains(p)) {
                return true;
            }
        }
    }
    false
}
