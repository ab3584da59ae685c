//! The body's blocks: the page is scored ([`crate::content`]), then the
//! best container is walked and its blocks emitted ([`crate::emit`]), in a
//! strict pass and, when that finds too little, a lenient one.

use khabar_model::Block;

use crate::content::{Metrics, Pass, find_content};
use crate::dom::{Dom, NONE};
use crate::emit::{BodyExplanation, Emitter, describe};

/// Extracts body blocks: strict pass first, then a lenient one when the
/// strict pass found too little (pages that put the article in a region
/// with a furniture-sounding class). With `explain`, the result says which
/// containers were read and which regions of them were left out, and why.
pub fn extract_blocks(dom: &Dom, title: Option<&str>, explain: bool) -> Extracted {
    let mut best = Extracted::default();
    let mut best_len = 0usize;
    let raw = Metrics::compute(dom, Pass::Raw, None);
    let lenient = Metrics::compute(dom, Pass::Lenient, Some(&raw));
    drop(raw);
    let strict = Metrics::compute(dom, Pass::Strict, Some(&lenient));
    for m in [&strict, &lenient] {
        let (roots, score) = find_content(dom, m);
        let last_root = roots.last().copied();
        let containers: Vec<String> = if explain {
            roots.iter().map(|&r| describe(dom, r)).collect()
        } else {
            Vec::new()
        };
        let mut em = Emitter::new(dom, m, score, title);
        em.dropped = explain.then(Vec::new);
        for r in roots {
            em.emit(r);
        }
        let len: usize = em.blocks.iter().map(|b| b.text.len()).sum();
        if len > best_len {
            best_len = len;
            best = Extracted {
                blocks: em.blocks,
                trailing_credits: last_root.and_then(|r| trailing_credits(dom, r)),
                lenient: None,
                explanation: em.dropped.map(|dropped| BodyExplanation {
                    from: "article",
                    containers,
                    dropped,
                }),
            };
        }
        if best_len >= 500 {
            break;
        }
    }
    best.lenient = Some(lenient);
    best
}

/// The body blocks, plus a credits line found just after the body
/// container (agencies print `Reporting by …` or `خبرنگار: …` there).
#[derive(Default)]
pub struct Extracted {
    pub blocks: Vec<Block>,
    pub trailing_credits: Option<String>,
    /// The lenient pass's metrics, reused by the per-type strategies.
    pub lenient: Option<Metrics>,
    /// When asked for: the containers read and the regions left out.
    pub explanation: Option<BodyExplanation>,
}

/// Looks at the few elements following the body container (and its
/// parent) for a credits line.
fn trailing_credits(dom: &Dom, root: usize) -> Option<String> {
    let mut node = root;
    for _ in 0..2 {
        let parent = dom.nodes[node].parent;
        if parent == NONE {
            return None;
        }
        let mut seen = 0;
        for s in dom.children(parent as usize).filter(|&c| c > node && dom.is_element(c)) {
            if matches!(dom.nodes[s].tag, "script" | "style" | "noscript") {
                continue;
            }
            let t = dom.text_content(s);
            if t.is_empty() {
                continue;
            }
            if crate::wire::is_credits(&t) {
                return Some(khabar_text::normalize_display(&t));
            }
            seen += 1;
            if seen >= 3 {
                break;
            }
        }
        node = parent as usize;
    }
    None
}
