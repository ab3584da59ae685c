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
use crate::emit::{BodyExplanation, Emitter, describe};

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
///
/// With `explain`, also the region read and the parts of it left out, and
/// why.
pub fn extract(
    dom: &Dom,
    m: &Metrics,
    title: Option<&str>,
    page_type: PageType,
    explain: bool,
) -> (Vec<Block>, Option<BodyExplanation>) {
    let Some(root) = main_region(dom, m) else {
        return (
            Vec::new(),
            explain.then(|| BodyExplanation {
                from: "main region",
                ..BodyExplanation::default()
            }),
        );
    };
    let mut em = Emitter::region(dom, m, title, page_type == PageType::Forum);
    em.product = page_type == PageType::Product;
    em.dropped = explain.then(Vec::new);
    em.emit(root);
    let explanation = em.dropped.map(|dropped| BodyExplanation {
        from: "main region",
        containers: vec![describe(dom, root)],
        dropped,
    });
    (em.blocks, explanation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Metrics, Pass};
    use khabar_model::Article;

    fn region_text(html: &str, page_type: PageType) -> String {
        let doc = scraper::Html::parse_document(html);
        let dom = Dom::build(&doc);
        let raw = Metrics::compute(&dom, Pass::Raw, None);
        let m = Metrics::compute(&dom, Pass::Lenient, Some(&raw));
        Article::text_from_blocks(&extract(&dom, &m, None, page_type, false).0)
    }

    const CHROME: &str = "<header class=site-header><a href=/>Shop</a> <a href=/login>Sign in</a></header>\
        <nav><a href=/a>Men</a> <a href=/b>Women</a></nav>";
    const FOOT: &str = "<div class=cookie-consent>We use cookies to improve your experience.</div>\
        <footer><a href=/privacy>Privacy policy</a> Copyright 2025 Shop Inc.</footer>";

    #[test]
    fn a_listings_linked_items_are_its_content() {
        let items: String = (0..8)
            .map(|k| {
                format!("<li class=card><a href=/p{k}><h3>Wool runner model {k}</h3></a><span>$9{k}.00</span></li>")
            })
            .collect();
        let html = format!(
            "<html><body>{CHROME}<main><h1>Running shoes</h1><ul class=grid>{items}</ul></main>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Collection);
        assert!(text.starts_with("Running shoes"), "{text}");
        assert_eq!(text.matches("Wool runner model").count(), 8, "{text}");
        assert!(text.contains("$97.00"), "{text}");
        for furniture in ["Sign in", "Women", "cookies", "Privacy policy"] {
            assert!(!text.contains(furniture), "{furniture}: {text}");
        }
    }

    #[test]
    fn without_a_main_landmark_the_body_minus_furniture_is_read() {
        let html = format!(
            "<html><body>{CHROME}<div class=wrap><h1>Our services</h1><section><h2>Audits</h2>\
             <p>We check your books every quarter.</p></section><section><h2>Payroll</h2>\
             <p>We pay your staff on time.</p><a class=btn href=/contact>Book a call</a></section></div>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Service);
        assert!(
            text.contains("Audits") && text.contains("We pay your staff on time."),
            "{text}"
        );
        assert!(text.contains("Book a call"), "{text}");
        assert!(!text.contains("Sign in") && !text.contains("Privacy"), "{text}");
    }

    #[test]
    fn a_furniture_word_on_a_wrapper_of_most_of_the_page_does_not_delete_it() {
        let posts: String = ["midnight", "noon", "dawn"]
            .map(|t| {
                format!(
                    "<p>My router drops the connection every night at {t}, and restarting it does not help at all.</p>"
                )
            })
            .concat();
        let html =
            format!("<html><body>{CHROME}<div class='sidebar-layout comments-wrap'>{posts}</div>{FOOT}</body></html>");
        for t in [PageType::Service, PageType::Listing] {
            let text = region_text(&html, t);
            assert_eq!(text.matches("My router").count(), 3, "{t:?}: {text}");
        }
        // A repeated block (a carousel's copy) is kept once.
        let html = html.replace("noon", "midnight");
        assert_eq!(region_text(&html, PageType::Service).matches("My router").count(), 2);
    }

    #[test]
    fn utility_classes_are_styling_not_names() {
        // Words inside CSS-expression classes (`--banner-min-height`,
        // `data-slot=banner`) do not make a section a banner.
        let html = format!(
            "<html><body>{CHROME}<main><div class='stack lg:pt-[calc(var(--banner-min-height))] has-[>[data-slot=banner]]:pt-0'>\
             <h2>Build faster</h2><p>Deploy from git in seconds, with previews for every branch.</p></div>\
             <div class='banner'>Holiday sale: 20 % off</div></main>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Service);
        assert!(text.contains("Deploy from git"), "{text}");
        assert!(!text.contains("Holiday sale"), "{text}");
        assert_eq!(
            crate::emit::semantic_class_id("stack md:flex grid-[2fr_1fr] site-banner"),
            "stack site-banner"
        );
    }

    #[test]
    fn a_header_repeated_on_every_card_is_the_cards_title() {
        let cards: String = (0..6)
            .map(|k| {
                format!(
                    "<li class=item-card><div class=item-card__header><a href=/i{k}>Vintage brush set number {k}</a></div>\
                     <span>$1{k}.99</span><div class='item-card__footer share'>Share</div></li>"
                )
            })
            .collect();
        let html = format!(
            "<html><body><div class=site-header><a href=/>Market</a> Sign in</div><main><h1>Art supplies</h1><ul>{cards}</ul></main>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Collection);
        assert_eq!(text.matches("Vintage brush set").count(), 6, "{text}");
        // The page's own header (one element) and a part that also says
        // `share` are still furniture.
        assert!(!text.contains("Sign in"), "{text}");
        assert!(!text.contains("Share"), "{text}");
    }

    #[test]
    fn a_form_around_the_whole_grid_is_the_page_not_furniture() {
        let items: String = (0..8)
            .map(|k| format!("<li><a href=/p{k}>Vertical mouse model {k}</a> <span>$3{k}.00</span></li>"))
            .collect();
        let html = format!(
            "<html><body>{CHROME}<main><form action=/compare><ul>{items}</ul></form></main>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Collection);
        assert_eq!(text.matches("Vertical mouse model").count(), 8, "{text}");
        // A small form beside the content is still furniture.
        let html = format!(
            "<html><body><main><ul>{items}</ul><form><label>Email me about new models</label></form></main></body></html>"
        );
        let text = region_text(&html, PageType::Collection);
        assert!(!text.contains("Email me"), "{text}");
    }

    #[test]
    fn customer_reviews_and_upsells_are_a_products_furniture_but_a_service_pages_content() {
        let html = format!(
            "<html><body>{CHROME}<main><h1>Wool runner</h1><p>Soft merino wool upper with a foam sole, machine washable.</p>\
             <section class=product-reviews><h2>Reviews</h2><div class=review-card><p>Comfy from day one, runs a bit large.</p></div></section>\
             <div class=upsell-products><a href=/p2>Tree dasher, lighter mesh upper</a></div>\
             </main>{FOOT}</body></html>"
        );
        let product = region_text(&html, PageType::Product);
        assert!(product.contains("Soft merino wool"), "{product}");
        assert!(!product.contains("Comfy from day one"), "{product}");
        assert!(!product.contains("Tree dasher"), "{product}");
        assert!(region_text(&html, PageType::Service).contains("Comfy from day one"));
    }

    #[test]
    fn on_a_forum_comments_under_a_post_go_but_a_thread_of_comments_stays() {
        let long = "Rolling back the driver to the previous release fixed the flicker for me, and it has stayed fixed for a week.";
        // Q&A layout: posts, each with a small comments region under it.
        let html = format!(
            "<html><body>{CHROME}<main><div class=question><p>Why does my screen flicker after the update? {long}</p>\
             <div class=comments><span>Which GPU do you have?</span></div></div>\
             <div class=answer><p>{long}</p><p>{long}</p><div class=js-comments-container><span>This worked, thanks!</span></div></div></main>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Forum);
        assert!(text.contains("Why does my screen flicker"), "{text}");
        // The question and the answer (its second paragraph repeats the
        // first word for word and is kept once).
        assert_eq!(text.matches("Rolling back").count(), 2, "{text}");
        assert!(!text.contains("Which GPU") && !text.contains("This worked"), "{text}");
        // A thread whose posts are a comment list keeps every post.
        let posts: String = ["ten", "eleven", "twelve"]
            .map(|n| format!("<li class=comment><p>Post {n}: {long}</p></li>"))
            .concat();
        let html =
            format!("<html><body><main><h1>Flicker</h1><ol class=comment-list>{posts}</ol></main></body></html>");
        let text = region_text(&html, PageType::Forum);
        for n in ["ten", "eleven", "twelve"] {
            assert!(text.contains(&format!("Post {n}:")), "{text}");
        }
    }

    #[test]
    fn collapsed_tab_and_accordion_panels_are_content_but_hidden_copies_are_not() {
        let html = format!(
            "<html><body>{CHROME}<main><h1>Send a message</h1><div role=tablist><button>Python</button><button>Java</button></div>\
             <div role=tabpanel aria-hidden=false><pre>client.messages.create(body='Hi')</pre></div>\
             <div role=tabpanel aria-hidden=true><pre>Message.creator(body).create();</pre></div>\
             <section aria-labelledby=trigger-2 hidden><p>Routing sends each question to the right team.</p></section>\
             <div aria-hidden=true class=marquee><p>Trusted by teams everywhere</p></div></main>{FOOT}</body></html>"
        );
        let text = region_text(&html, PageType::Service);
        assert!(text.contains("Message.creator(body)"), "{text}");
        assert!(text.contains("Routing sends each question"), "{text}");
        assert!(!text.contains("Trusted by teams"), "{text}");
    }

    #[test]
    fn comments_are_furniture_except_on_a_forum() {
        let html = format!(
            "<html><body>{CHROME}<main><h1>Pricing</h1><p>Plans start at ten dollars a month for small teams.</p>\
             <div class=comments><p>Great value, we switched last year and never looked back.</p></div></main>{FOOT}</body></html>"
        );
        assert!(!region_text(&html, PageType::Service).contains("Great value"));
        assert!(region_text(&html, PageType::Forum).contains("Great value"));
    }

    #[test]
    fn the_region_is_preferred_for_other_types_and_unsure_small_articles() {
        assert!(prefer_region(PageType::Listing, 0.9, 5000, 100));
        assert!(
            !prefer_region(PageType::Article, 0.95, 100, 5000),
            "a sure article keeps its text"
        );
        assert!(prefer_region(PageType::Article, 0.5, 100, 5000));
        assert!(!prefer_region(PageType::Article, 0.5, 3000, 5000));
    }
}
