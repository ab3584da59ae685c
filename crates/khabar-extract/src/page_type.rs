//! Deciding what kind of page a page is (article, listing, collection,
//! forum, product, documentation, service).
//!
//! A multinomial logistic regression over a few dozen general signals:
//! schema.org types (JSON-LD, microdata, `og:type`), structure (share of
//! text in links, repeated teaser blocks, headline-like links, post and
//! reply repetition, price and cart markup, code blocks, forms, calls to
//! action, pagination, top-level headings), the text's voice (words that
//! address the reader or speak for a firm) and how many distinct dates it
//! shows, the extracted body's share of the page and the URL's shape. The weights are
//! learned on the fit part of the dev corpora and kept as a reviewed data
//! file (`data/page_type_model.json`, written by
//! `examples/train_page_type.rs`, which says how). The decision leans to
//! article: another type wins only when the model gives article less than
//! the model's `article_floor`, so a story is rarely lost to a wrong guess.

use std::sync::LazyLock;

use khabar_model::PageType;
use regex::Regex;

use crate::dom::{Dom, Kind};

/// The names of the features, in the order [`features`] returns them and
/// the model file lists its weights.
pub const FEATURE_NAMES: &[&str] = &[
    "log_page_chars",
    "link_text_share",
    "body_share",
    "log_body_chars",
    "log_long_paragraphs",
    "mean_paragraph_chars",
    "log_subheadings",
    "log_linked_headings",
    "log_article_elements",
    "log_repeated_linked_siblings",
    "log_time_elements",
    "log_code_blocks",
    "log_price_texts",
    "log_shop_class_words",
    "log_post_class_words",
    "log_doc_class_words",
    "log_form_controls",
    "log_images",
    "log_list_items",
    "log_nav_elements",
    "log_table_rows",
    "log_body_blocks",
    "schema_article",
    "schema_product",
    "schema_discussion",
    "schema_collection",
    "schema_tech",
    "schema_organisation",
    "og_article",
    "og_product",
    "og_website",
    "url_path_depth",
    "url_has_date",
    "log_url_slug_words",
    "has_byline",
    "has_published_date",
    "url_shop_word",
    "url_forum_word",
    "url_docs_word",
    "url_listing_word",
    "url_service_word",
    "body_share_of_region",
    "log_call_to_action",
    "log_pagination",
    "log_h1",
    "pronoun_share",
    "log_distinct_dates",
];

/// What the caller knows of the page besides its tree.
pub struct Context<'u> {
    /// Characters of the extracted body.
    pub body_chars: usize,
    /// Blocks of the extracted body.
    pub body_blocks: usize,
    /// Characters of the page's main region (see [`crate::region`]).
    pub region_chars: usize,
    /// The page's URL (or its canonical URL) for its shape.
    pub url: Option<&'u str>,
    pub has_byline: bool,
    pub has_published_date: bool,
}

static PRICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[$€£¥₹]\s?\d{1,6}(?:[.,]\d{2})?\b)|(?:\b\d{1,6}(?:[.,]\d{2})\s?(?:€|USD|EUR|GBP|kr|zł)\b?)")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});
static SHOP_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)price|cart|basket|add-to|addtocart|checkout|sku|stock|product|variant|quantity|buy")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});
static POST_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)reply|replies|thread|forum|message|postbody|post-body|comment|answer|vote|topic|discussion|username|avatar")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});
static DOC_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\btoc\b|table-of-contents|docs|documentation|\bapi\b|highlight|hljs|prism|language-|codeblock|code-block|admonition|edit-this-page|version")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});
/// URL path words by page type: generic words of site structure (never a
/// site's name), one feature per group; the model learns their weight.
const URL_WORDS: [&[&str]; 5] = [
    &[
        "product", "products", "p", "dp", "item", "items", "shop", "store", "buy",
    ],
    &[
        "forum",
        "forums",
        "thread",
        "threads",
        "t",
        "topic",
        "topics",
        "questions",
        "discussion",
        "discussions",
        "community",
        "r",
        "comments",
    ],
    &[
        "docs",
        "doc",
        "documentation",
        "reference",
        "api",
        "manual",
        "guide",
        "guides",
        "wiki",
        "learn",
        "tutorial",
        "handbook",
    ],
    &[
        "tag",
        "tags",
        "category",
        "categories",
        "collections",
        "collection",
        "c",
        "search",
        "archive",
        "archives",
    ],
    &[
        "services",
        "service",
        "solutions",
        "pricing",
        "about",
        "contact",
        "company",
        "careers",
        "features",
        "plans",
        "support",
    ],
];

/// Class or id words of a call-to-action link or button ("Get a quote",
/// "Book a demo"): landing and service pages are built around them, a
/// story page has a few at most (share, subscribe).
static CTA_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bbtn|button|\bcta\b|call-to-action").unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// Dates written out in page text (ISO, numeric day-month-year, English
/// month names): a story shows one or two, a listing, an archive or a
/// thread one per item.
static TEXT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:19|20)\d\d-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d|\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (?:19|20)\d\d)\b")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// At most this many distinct dates are collected: past it the count
/// says "a list of dated items" as well as any larger number.
const MAX_DATES: usize = 200;

/// Words that address the reader or speak for a firm. Service and
/// landing pages talk to "you" about what "we" do; reports speak of third
/// parties. (English only: on other languages the share is 0, as on a
/// report, and the other features decide.)
fn is_pronoun(w: &str) -> bool {
    // Compared without allocating: this runs on every short word of a page.
    ["you", "your", "yours", "you're", "we", "our", "ours", "us", "we're"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(w))
}

static JSONLD_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""@type"\s*:\s*(\[[^\]]*\]|"[^"]*")"#).unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// Elements whose text is never shown as page text.
fn is_inert(tag: &str) -> bool {
    matches!(
        tag,
        "script" | "style" | "noscript" | "template" | "svg" | "head" | "title" | "iframe" | "select" | "option"
    )
}

fn ln1(x: f32) -> f32 {
    (1.0 + x).ln()
}

/// Which schema.org group a type name belongs to (index into the six
/// `schema_*` features), if any.
fn schema_group(t: &str) -> Option<usize> {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    Some(match t {
        "Article"
        | "NewsArticle"
        | "BlogPosting"
        | "ReportageNewsArticle"
        | "AnalysisNewsArticle"
        | "OpinionNewsArticle"
        | "Report"
        | "ScholarlyArticle"
        | "LiveBlogPosting"
        | "Recipe"
        | "Review" => 0,
        "Product" | "Offer" | "AggregateOffer" | "ProductGroup" | "IndividualProduct" => 1,
        "DiscussionForumPosting" | "Comment" | "QAPage" | "Question" | "Answer" | "SocialMediaPosting" => 2,
        "CollectionPage" | "ItemList" | "SearchResultsPage" | "ProfilePage" | "ImageGallery" => 3,
        "TechArticle" | "APIReference" | "SoftwareSourceCode" | "HowTo" => 4,
        "Organization"
        | "LocalBusiness"
        | "Service"
        | "ContactPage"
        | "AboutPage"
        | "FAQPage"
        | "WebApplication"
        | "SoftwareApplication"
        | "Corporation"
        | "ProfessionalService" => 5,
        _ => return None,
    })
}

/// The feature vector of one page (see [`FEATURE_NAMES`]).
pub fn features(dom: &Dom, cx: &Context) -> Vec<f32> {
    let n = dom.len();
    let mut inert = vec![false; n];
    let mut in_link = vec![false; n];
    let mut in_heading = vec![false; n];
    let (mut page_chars, mut link_chars) = (0usize, 0usize);
    let (mut long_p, mut p_count, mut p_chars) = (0u32, 0u32, 0usize);
    let (mut subheadings, mut linked_headings, mut articles, mut times, mut code) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let (mut prices, mut shop, mut post, mut docw) = (0u32, 0u32, 0u32, 0u32);
    let (mut controls, mut images, mut items, mut navs, mut rows) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let mut schema = [0f32; 6];
    let (mut og_article, mut og_product, mut og_website) = (0f32, 0f32, 0f32);
    let mut canonical: Option<&str> = None;
    let mut max_repeated = 0u32;
    let mut cta = 0u32;
    // Links to the previous or next page and pagers: listings, archives
    // and manuals are read in pages, a story rarely is.
    let mut pages = 0u32;
    // Top-level headings: a story has one; landing pages built of blocks
    // often give each block its own.
    let mut h1s = 0u32;
    // Words of visible text, and those of them that address the reader
    // or speak for a firm (see [`is_pronoun`]).
    let (mut words, mut pronouns) = (0u32, 0u32);
    let mut dates: std::collections::HashSet<String> = std::collections::HashSet::new();

    for i in 0..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        let has_parent = node.parent != crate::dom::NONE;
        if has_parent {
            inert[i] = inert[p];
            in_link[i] = in_link[p];
            in_heading[i] = in_heading[p];
        }
        match node.kind {
            Kind::Text(t) => {
                if inert[i] {
                    continue;
                }
                let c = t.split_whitespace().map(|w| w.chars().count() + 1).sum::<usize>();
                page_chars += c;
                if in_link[i] {
                    link_chars += c;
                }
                if c > 0 && c < 40 && PRICE.is_match(t) {
                    prices += 1;
                }
                if c > 0 && dates.len() < MAX_DATES {
                    for m in TEXT_DATE.find_iter(t) {
                        dates.insert(m.as_str().to_ascii_lowercase());
                    }
                }
                for w in t.split_whitespace() {
                    words += 1;
                    let w = w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '\'');
                    if w.len() <= 6 && is_pronoun(w) {
                        pronouns += 1;
                    }
                }
            }
            Kind::Element(e) => {
                let tag = node.tag;
                if tag == "script" && e.attr("type").is_some_and(|t| t.contains("ld+json")) {
                    let body = dom.raw_text(i);
                    for cap in JSONLD_TYPE.captures_iter(&body) {
                        for name in cap[1].split('"').filter(|s| s.len() > 2) {
                            if let Some(g) = schema_group(name) {
                                schema[g] = 1.0;
                            }
                        }
                    }
                }
                if let Some(it) = e.attr("itemtype") {
                    for name in it.split_whitespace() {
                        if let Some(g) = schema_group(name) {
                            schema[g] = 1.0;
                        }
                    }
                }
                if tag == "meta" {
                    let key = e.attr("property").or(e.attr("name")).unwrap_or("");
                    if key.eq_ignore_ascii_case("og:type") {
                        let v = e.attr("content").unwrap_or("").to_ascii_lowercase();
                        og_article = f32::from(u8::from(v.contains("article")));
                        og_product = f32::from(u8::from(v.contains("product")));
                        og_website = f32::from(u8::from(v == "website"));
                    } else if key.eq_ignore_ascii_case("og:url") && canonical.is_none() {
                        canonical = e.attr("content");
                    }
                }
                if matches!(tag, "a" | "link")
                    && e.attr("rel").is_some_and(|r| r.contains("next") || r.contains("prev"))
                {
                    pages += 1;
                }
                if tag == "link" && e.attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                    canonical = e.attr("href").or(canonical);
                }
                if is_inert(tag) {
                    inert[i] = true;
                    continue;
                }
                if inert[i] {
                    continue;
                }
                match tag {
                    "a" => {
                        in_link[i] = true;
                        if in_heading[i] {
                            linked_headings += 1;
                        }
                    }
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        in_heading[i] = true;
                        h1s += u32::from(tag == "h1");
                        if matches!(tag, "h2" | "h3" | "h4") {
                            subheadings += 1;
                        }
                        if in_link[i] {
                            linked_headings += 1;
                        }
                    }
                    "p" => {
                        let len = dom.raw_text_limited(i, 4000).map_or(4000, |t| t.trim().chars().count());
                        p_count += 1;
                        p_chars += len;
                        if len >= 150 {
                            long_p += 1;
                        }
                    }
                    "article" => articles += 1,
                    "time" => {
                        times += 1;
                        if let Some(d) = e.attr("datetime")
                            && dates.len() < MAX_DATES
                        {
                            dates.insert(d.chars().take(10).collect());
                        }
                    }
                    "pre" | "code" => code += 1,
                    "input" | "button" | "textarea" => controls += 1,
                    "img" => images += 1,
                    "li" => items += 1,
                    "nav" => navs += 1,
                    "tr" => rows += 1,
                    _ => {}
                }
                let ci = dom.class_id(i);
                if !ci.is_empty() {
                    shop += u32::from(SHOP_WORDS.is_match(ci));
                    post += u32::from(POST_WORDS.is_match(ci));
                    docw += u32::from(DOC_WORDS.is_match(ci));
                    if ci.contains("pagination") || ci.contains("pager") {
                        pages += 1;
                    }
                    if matches!(tag, "a" | "button") {
                        cta += u32::from(CTA_WORDS.is_match(ci));
                    }
                }
                max_repeated = max_repeated.max(repeated_linked_children(dom, i));
            }
            Kind::Other => {}
        }
    }
    let page = page_chars.max(1) as f32;
    let url = canonical.or(cx.url);
    let (depth, dated, slug_words) = url_shape(url);
    let mut f = vec![
        ln1(page_chars as f32),
        link_chars as f32 / page,
        (cx.body_chars as f32 / page).min(1.5),
        ln1(cx.body_chars as f32),
        ln1(long_p as f32),
        (p_chars as f32 / p_count.max(1) as f32 / 100.0).min(10.0),
        ln1(subheadings as f32),
        ln1(linked_headings as f32),
        ln1(articles as f32),
        ln1(max_repeated as f32),
        ln1(times as f32),
        ln1(code as f32),
        ln1(prices as f32),
        ln1(shop as f32),
        ln1(post as f32),
        ln1(docw as f32),
        ln1(controls as f32),
        ln1(images as f32),
        ln1(items as f32),
        ln1(navs as f32),
        ln1(rows as f32),
        ln1(cx.body_blocks as f32),
    ];
    f.extend_from_slice(&schema);
    f.extend_from_slice(&[og_article, og_product, og_website]);
    f.extend_from_slice(&[depth, dated, slug_words]);
    f.push(f32::from(u8::from(cx.has_byline)));
    f.push(f32::from(u8::from(cx.has_published_date)));
    f.extend_from_slice(&url_words(url));
    f.push((cx.body_chars as f32 / cx.region_chars.max(1) as f32).min(1.5));
    f.push(ln1(cta as f32));
    f.push(ln1(pages as f32));
    f.push(ln1(h1s as f32));
    f.push(pronouns as f32 / words.max(1) as f32 * 10.0);
    f.push(ln1(dates.len() as f32));
    debug_assert_eq!(f.len(), FEATURE_NAMES.len());
    f
}

/// The largest number of direct children of `i` that share one tag and
/// class and each hold a link: a list of teasers, results or posts.
fn repeated_linked_children(dom: &Dom, i: usize) -> u32 {
    let mut kids: Vec<(&str, &str)> = Vec::new();
    for c in dom.children(i) {
        if !dom.is_element(c) {
            continue;
        }
        let end = dom.nodes[c].end as usize;
        if (c..end).any(|j| dom.nodes[j].tag == "a") {
            kids.push((dom.nodes[c].tag, dom.attr(c, "class").unwrap_or("")));
        }
        if kids.len() > 400 {
            break;
        }
    }
    if kids.len() < 3 {
        return 0;
    }
    kids.sort_unstable();
    let mut best = 0;
    let mut run = 0;
    for k in 0..kids.len() {
        run = if k > 0 && kids[k] == kids[k - 1] { run + 1 } else { 1 };
        best = best.max(run);
    }
    best
}

/// One flag per [`URL_WORDS`] group: a path segment (or a word of one) of
/// the URL is in the group.
fn url_words(url: Option<&str>) -> [f32; 5] {
    let mut out = [0f32; 5];
    let Some(u) = url.and_then(|u| url::Url::parse(u).ok()) else {
        return out;
    };
    let segs: Vec<String> = u
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    // Whole segments, and the words of all but the last (a slug's words
    // are the title's, not the site's structure).
    let last = segs.len().saturating_sub(1);
    for (k, group) in URL_WORDS.iter().enumerate() {
        let hit = segs.iter().enumerate().any(|(n, s)| {
            group.contains(&s.as_str())
                || (n < last && s.split(['-', '_', '.']).any(|w| w.len() > 2 && group.contains(&w)))
                || s.strip_suffix(".php")
                    .is_some_and(|w| group.iter().any(|g| w.contains(g) && g.len() > 3))
        });
        out[k] = f32::from(u8::from(hit));
    }
    out
}

/// (path depth, has a date, words in the last segment's slug) of a URL.
fn url_shape(url: Option<&str>) -> (f32, f32, f32) {
    let Some(u) = url.and_then(|u| url::Url::parse(u).ok()) else {
        return (0.0, 0.0, 0.0);
    };
    let segs: Vec<&str> = u.path().split('/').filter(|s| !s.is_empty()).collect();
    let dated = segs.windows(2).any(|w| {
        w[0].len() == 4 && w[0].chars().all(|c| c.is_ascii_digit()) && w[1].chars().all(|c| c.is_ascii_digit())
    }) || segs
        .iter()
        .any(|s| s.len() == 8 && s.starts_with("20") && s.chars().all(|c| c.is_ascii_digit()));
    let slug = segs
        .last()
        .map_or(0, |s| s.split(['-', '_']).filter(|w| !w.is_empty()).count());
    (segs.len().min(8) as f32, f32::from(u8::from(dated)), ln1(slug as f32))
}

/// The learned model: per class a bias and one weight per standardised
/// feature.
#[derive(Debug, serde::Deserialize)]
struct Model {
    features: Vec<String>,
    classes: Vec<String>,
    mean: Vec<f32>,
    scale: Vec<f32>,
    bias: Vec<f32>,
    weights: Vec<Vec<f32>>,
    /// Article wins unless its probability is below this.
    article_floor: f32,
}

static MODEL: LazyLock<Option<Model>> = LazyLock::new(|| {
    let m: Model = serde_json::from_str(include_str!("../data/page_type_model.json")).ok()?;
    let ok = m.features.iter().map(String::as_str).eq(FEATURE_NAMES.iter().copied())
        && m.classes.len() == m.bias.len()
        && m.classes.len() == m.weights.len()
        && m.weights.iter().all(|w| w.len() == FEATURE_NAMES.len())
        && m.mean.len() == FEATURE_NAMES.len()
        && m.scale.len() == FEATURE_NAMES.len()
        && m.classes.iter().all(|c| PageType::parse(c).is_some());
    ok.then_some(m)
});

/// The page-type decision with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct PageTypeDecision {
    pub page_type: PageType,
    /// The model's probability per type, in [`PageType::ALL`] order.
    pub probabilities: Vec<(PageType, f32)>,
    /// The features that pushed hardest toward the chosen type, strongest
    /// first, e.g. `link_text_share=0.62 (+1.8)`.
    pub reasons: Vec<String>,
}

/// Decides the page type from a feature vector.
pub fn decide(f: &[f32]) -> PageTypeDecision {
    let Some(m) = MODEL.as_ref() else {
        return PageTypeDecision {
            page_type: PageType::Article,
            probabilities: vec![(PageType::Article, 1.0)],
            reasons: vec!["no page-type model".into()],
        };
    };
    let z: Vec<f32> = f
        .iter()
        .zip(m.mean.iter().zip(&m.scale))
        .map(|(x, (mu, s))| (x - mu) / s)
        .collect();
    let logits: Vec<f32> = m
        .weights
        .iter()
        .zip(&m.bias)
        .map(|(w, b)| b + w.iter().zip(&z).map(|(a, x)| a * x).sum::<f32>())
        .collect();
    let top = logits.iter().copied().fold(f32::MIN, f32::max);
    let exp: Vec<f32> = logits.iter().map(|l| (l - top).exp()).collect();
    let total: f32 = exp.iter().sum();
    let probabilities: Vec<(PageType, f32)> = m
        .classes
        .iter()
        .zip(&exp)
        .filter_map(|(c, e)| PageType::parse(c).map(|t| (t, e / total)))
        .collect();
    let p_article = probabilities
        .iter()
        .find(|(t, _)| *t == PageType::Article)
        .map_or(0.0, |x| x.1);
    let (best, _) = probabilities
        .iter()
        .copied()
        .filter(|(t, _)| *t != PageType::Article)
        .fold((PageType::Article, f32::MIN), |a, b| if b.1 > a.1 { b } else { a });
    let page_type = if p_article >= m.article_floor {
        PageType::Article
    } else {
        best
    };
    let k = m.classes.iter().position(|c| c == page_type.as_str()).unwrap_or(0);
    let mut contrib: Vec<(usize, f32)> = m.weights[k].iter().zip(&z).map(|(w, x)| w * x).enumerate().collect();
    contrib.sort_by(|a, b| b.1.total_cmp(&a.1));
    let reasons = contrib
        .iter()
        .take(4)
        .filter(|c| c.1 > 0.0)
        .map(|&(j, c)| format!("{}={:.2} ({c:+.1})", FEATURE_NAMES[j], f[j]))
        .collect();
    PageTypeDecision {
        page_type,
        probabilities,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(html: &str, body_chars: usize) -> Vec<f32> {
        let doc = scraper::Html::parse_document(html);
        let dom = Dom::build(&doc);
        features(
            &dom,
            &Context {
                body_chars,
                body_blocks: 3,
                region_chars: body_chars,
                url: None,
                has_byline: false,
                has_published_date: false,
            },
        )
    }

    fn get(f: &[f32], name: &str) -> f32 {
        f[FEATURE_NAMES.iter().position(|n| *n == name).unwrap_or(usize::MAX)]
    }

    #[test]
    fn model_file_matches_the_features() {
        assert!(
            MODEL.is_some(),
            "data/page_type_model.json does not load or lists other features"
        );
    }

    #[test]
    fn schema_types_from_json_ld_microdata_and_og() {
        let f = feats(
            r#"<html><head><script type="application/ld+json">{"@type":["Product"],"offers":{"@type":"Offer"}}</script>
            <meta property="og:type" content="website"></head><body><div itemscope itemtype="https://schema.org/QAPage"></div></body></html>"#,
            0,
        );
        assert_eq!(get(&f, "schema_product"), 1.0);
        assert_eq!(get(&f, "schema_discussion"), 1.0);
        assert_eq!(get(&f, "schema_article"), 0.0);
        assert_eq!(get(&f, "og_website"), 1.0);
    }

    #[test]
    fn teaser_lists_count_as_repeated_linked_blocks() {
        let mut html = String::from("<html><body><div class=grid>");
        for k in 0..12 {
            html.push_str(&format!(
                "<div class=card><h3><a href=/s{k}>Story number {k}</a></h3></div>"
            ));
        }
        html.push_str("</div></body></html>");
        let f = feats(&html, 0);
        assert!((get(&f, "log_repeated_linked_siblings") - ln1(12.0)).abs() < 1e-6);
        assert!((get(&f, "log_linked_headings") - ln1(12.0)).abs() < 1e-6);
        assert!(get(&f, "link_text_share") > 0.9);
    }

    #[test]
    fn call_to_action_counts_button_links_not_plain_links() {
        let f = feats(
            r#"<html><body><section class=hero><h1>We build websites</h1>
            <a class="btn btn-primary" href=/quote>Get a quote</a><button class=cta-button>Book a demo</button>
            <a class=wp-block-button__link href=/contact>Contact us</a></section>
            <p>Read <a href=/story>the story</a> or <a class=author href=/me>its author</a>.</p></body></html>"#,
            0,
        );
        assert!((get(&f, "log_call_to_action") - ln1(3.0)).abs() < 1e-6);
        // Plain links in running text are not calls to action.
        let f = feats(
            r#"<html><body><p class=subtitle>A <a class=inline-link href=/x>link</a></p></body></html>"#,
            0,
        );
        assert_eq!(get(&f, "log_call_to_action"), 0.0);
    }

    #[test]
    fn previous_and_next_links_and_pagers_count_as_pagination() {
        let f = feats(
            r#"<html><head><title>Archive - Example</title><link rel="next" href="/page/2"></head><body>
            <ul class=pagination><li><a href=/page/2>2</a></li></ul><a rel="prev" href="/page/0">Older</a></body></html>"#,
            0,
        );
        assert!((get(&f, "log_pagination") - ln1(3.0)).abs() < 1e-6);
        let f = feats(
            "<html><head><title>Minister says talks with the union will resume next week</title></head><body><p>Text.</p></body></html>",
            0,
        );
        assert_eq!(get(&f, "log_pagination"), 0.0);
    }

    #[test]
    fn top_level_headings_are_counted() {
        let f = feats(
            "<html><body><h1>Design</h1><p>We design.</p><h1>Build</h1><h2>Fast</h2><h1>Grow</h1></body></html>",
            0,
        );
        assert!((get(&f, "log_h1") - ln1(3.0)).abs() < 1e-6);
    }

    #[test]
    fn pronoun_share_counts_words_addressing_the_reader() {
        let f = feats(
            "<html><body><h1>We build your website</h1><p>Our team helps you grow. Talk to us!</p></body></html>",
            0,
        );
        // 12 words, 5 of them "we/your/our/you/us", times 10.
        assert!(
            (get(&f, "pronoun_share") - 50.0 / 12.0).abs() < 1e-4,
            "{}",
            get(&f, "pronoun_share")
        );
        let f = feats(
            "<html><body><p>The minister said the talks would resume. Usually they do.</p></body></html>",
            0,
        );
        // "Usually" and "they" are not counted; "us" inside a word is not.
        assert_eq!(get(&f, "pronoun_share"), 0.0);
    }

    #[test]
    fn distinct_dates_count_each_date_once() {
        let f = feats(
            r#"<html><body><ul><li>March 3, 2025</li><li>2025-03-04</li><li>5 Mar 2025</li>
            <li>March 3, 2025</li><li><time datetime="2025-03-06T10:00:00Z">Thursday</time></li></ul>
            <p>Call 2025 or 12.5 for details.</p></body></html>"#,
            0,
        );
        assert!(
            (get(&f, "log_distinct_dates") - ln1(4.0)).abs() < 1e-6,
            "{}",
            get(&f, "log_distinct_dates")
        );
        let f = feats("<html><body><p>No dates here, only 2025 and 3/4.</p></body></html>", 0);
        assert_eq!(get(&f, "log_distinct_dates"), 0.0);
    }

    #[test]
    fn url_words_read_the_sites_structure_not_the_slug() {
        assert_eq!(
            url_words(Some("https://x.example/products/blue-mug")),
            [1.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            url_words(Some("https://x.example/t/some-topic/931828")),
            [0.0, 1.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            url_words(Some("https://x.example/showthread.php?t=7")),
            [0.0, 1.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            url_words(Some("https://x.example/en-US/docs/Web/Guide")),
            [0.0, 0.0, 1.0, 0.0, 0.0]
        );
        // Words of the last segment are the title's: a story about a shop.
        assert_eq!(
            url_words(Some("https://x.example/2025/03/shop-owners-protest")),
            [0.0; 5]
        );
        assert_eq!(url_words(None), [0.0; 5]);
    }

    #[test]
    fn url_shape_reads_dates_and_slugs() {
        let (d, dated, slug) = url_shape(Some("https://x.example/2025/03/some-long-story-title"));
        assert_eq!((d, dated), (3.0, 1.0));
        assert!((slug - ln1(4.0)).abs() < 1e-6);
        assert_eq!(url_shape(None), (0.0, 0.0, 0.0));
    }

    #[test]
    fn a_story_page_is_an_article_and_a_teaser_front_is_not() {
        let mut story = String::from(
            r#"<html><head><meta property="og:type" content="article"></head><body><article><h1>A headline</h1>"#,
        );
        for _ in 0..8 {
            story.push_str("<p>The minister said on Monday that the talks, which began last week, would resume after a pause, and officials from both sides confirmed it.</p>");
        }
        story.push_str("</article></body></html>");
        let f = feats(&story, 1100);
        assert_eq!(decide(&f).page_type, PageType::Article);

        let mut front = String::from(r#"<html><head><meta property="og:type" content="website"></head><body><main>"#);
        for k in 0..30 {
            front.push_str(&format!(
                "<div class=teaser><img src=/i{k}.jpg><h3><a href=/s{k}>Story {k} headline</a></h3><time>May 3</time></div>"
            ));
        }
        front.push_str("</main></body></html>");
        let d = decide(&feats(&front, 40));
        assert_ne!(d.page_type, PageType::Article, "{d:?}");
        assert!(!d.reasons.is_empty());
    }
}
