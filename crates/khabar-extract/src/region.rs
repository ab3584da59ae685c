//! The main content of pages that are not articles: a listing's items, a
//! shop's tiles, a forum's posts, a product's description, a service
//! page's sections.
//!
//! Article extraction keeps the one densest run of prose and prunes links,
//! lists and teasers as furniture; on other page types those are the
//! content. Here the main region is the page's `<main>` landmark when it
//! holds a fair share of the text (else the body), and everything in it is
//! kept but page furniture (header, footer, navigation, forms, consent and
//! newsletter boxes; see [`crate::emit::Emitter::region`]).

use khabar_model::{Block, PageType};

use crate::content::Metrics;
use crate::dom::Dom;
use crate::emit::Emitter;

/// Share of the body's text a `<main>` landmark must hold to be the region.
const MAIN_SHARE: f32 = 0.2;

/// An article extraction holding less than half of the main region's text
/// on a page the model is unsure of missed the page's content (a service page's sections, a
/// listing taken for one teaser): the region is the content.
pub const ARTICLE_SHARE_OF_REGION: f32 = 0.5;

/// Below this article probability the page-type model is unsure enough
/// that a small article extraction is taken for a miss. Sure articles keep
/// their extraction however small (a short story on a page of comments).
pub const UNSURE_ARTICLE: f32 = 0.7;

/// Whether the page's content is its main region rather than the article
/// extraction: always on pages that are not articles, and on pages the
/// model is unsure are articles (probability under [`UNSURE_ARTICLE`])
/// when the extraction holds under [`ARTICLE_SHARE_OF_REGION`] of the
/// region.
pub fn prefer_region(page_type: PageType, p_article: f32, article_chars: usize, region_chars: usize) -> bool {
    page_type != PageType::Article
        || ((article_chars as f32) < ARTICLE_SHARE_OF_REGION * region_chars as f32 && p_article < UNSURE_ARTICLE)
}

/// The main region of the page: the `main` landmark holding the most text
/// if it holds at least [`MAIN_SHARE`] of the body's, else the body.
pub fn main_region(dom: &Dom, m: &Metrics) -> Option<usize> {
    let body = (0..dom.len()).find(|&i| dom.nodes[i].tag == "body")?;
    let body_text = m.text_len[body] as f32;
    let landmark = (body..dom.nodes[body].end as usize)
        .filter(|&i| !m.removed[i] && (dom.nodes[i].tag == "main" || dom.attr(i, "role") == Some("main")))
        .max_by_key(|&i| m.text_len[i]);
    match landmark {
        Some(l) if m.text_len[l] as f32 >= MAIN_SHARE * body_text => Some(l),
        _ => Some(body),
    }
}

/// The blocks of the page's main region.
pub fn extract(dom: &Dom, m: &Metrics, title: Option<&str>, page_type: PageType) -> Vec<Block> {
    let Some(root) = main_region(dom, m) else {
        return Vec::new();
    };
    let mut em = Emitter::region(dom, m, title, page_type == PageType::Forum);
    em.emit(root);
    em.blocks
}
