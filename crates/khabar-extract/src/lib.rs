//! khabar extract stage: page bytes + URL -> [`khabar_model::Article`].
//!
//! Pure library, no I/O. [`ArticleExtractor::extract`] decodes the bytes
//! (whatever their charset), parses them with html5ever, reads metadata
//! (JSON-LD, meta tags, bylines, dates), finds the article body by text
//! and link density and emits it as structured blocks, and splits the wire
//! dateline and credits line off the body.
//!
//! Hostile input (binary garbage, truncated markup, enormous or 10,000-deep
//! pages) yields an error or a result, never a panic: every walk over the
//! tree is iterative (see [`dom`]).

mod blocks;
mod content;
mod date_line;
mod dates;
mod decode;
mod dom;
mod emit;
mod jsonld;
mod lang;
mod lead_image;
mod local_zone;
mod meta;
mod noscript;
mod page_type;
mod patterns;
mod prune;
mod region;
mod wire;

pub use dates::{parse_machine_date, parse_text_date, url_date};
pub use decode::{DecodedHtml, decode_html};
pub use emit::{BodyExplanation, DroppedRegion};
pub use page_type::{FEATURE_NAMES as PAGE_TYPE_FEATURES, PageTypeDecision};
pub use wire::{is_credits, split_dateline};

use date_line::is_date_only_line;
use khabar_model::{Article, Block, BlockKind, PageType, TextDirection};
use local_zone::local_time;

/// Why a page could not be turned into an article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("page is empty")]
    Empty,
    #[error("page is not HTML: {0}")]
    NotHtml(&'static str),
    #[error("page is {size} bytes, over the {limit}-byte limit")]
    TooLarge { size: usize, limit: usize },
}

/// Knobs of the extractor.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Pages larger than this are truncated (see `truncate_oversized`).
    pub max_input_bytes: usize,
    /// Truncate oversized pages at a tag boundary (true, default) or reject
    /// them with [`ExtractError::TooLarge`] (false).
    pub truncate_oversized: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_input_bytes: 16 * 1024 * 1024,
            truncate_oversized: true,
        }
    }
}

/// The extraction stage. Holds only options, so it is `Send + Sync` and
/// cheap to share by reference or `Arc`.
#[derive(Debug, Clone, Default)]
pub struct ArticleExtractor {
    options: ExtractOptions,
}

impl ArticleExtractor {
    pub fn new(options: ExtractOptions) -> Self {
        ArticleExtractor { options }
    }

    /// Extracts the article of one page. `url` resolves relative links and
    /// gives URL-date patterns; `content_type` may carry `charset=`.
    ///
    /// A page with no recognisable body still yields an `Article` (with
    /// empty `blocks`) so the caller can fall back to feed data.
    pub fn extract(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Article, ExtractError> {
        self.run(bytes, url, content_type, false).map(|e| e.article)
    }

    /// [`ArticleExtractor::extract`] with the page-type evidence: the
    /// feature vector the model read (named by [`PAGE_TYPE_FEATURES`]) and
    /// the decision with its strongest reasons, and how the body was
    /// chosen (the containers read, the regions left out and why).
    pub fn extract_explained(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Explained, ExtractError> {
        self.run(bytes, url, content_type, true)
    }

    fn run(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
        explain: bool,
    ) -> Result<Explained, ExtractError> {
        let bytes = self.limit(bytes)?;
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ExtractError::Empty);
        }
        check_binary(bytes)?;
        // The decoded text is dropped once the inert bodies are gone: on a
        // large page it would otherwise sit beside the parsed tree.
        let page: String = {
            let decoded = decode_html(bytes, content_type);
            prune::strip_inert(&decoded.text).into_owned()
        };
        let first = {
            let html = scraper::Html::parse_document(&page);
            let dom = dom::Dom::build(&html);
            build_article(&dom, url, explain)
        };
        // A body far smaller than the page's `<noscript>` text: the page
        // is served to script-less readers there (see [`noscript`]).
        if let Some((opened, text)) = noscript::open(&page)
            && first.article.text.chars().count() * 2 < text
        {
            let html = scraper::Html::parse_document(&opened);
            let dom = dom::Dom::build(&html);
            let second = build_article(&dom, url, explain);
            if second.article.text.len() > first.article.text.len() {
                return Ok(second);
            }
        }
        Ok(first)
    }

    fn limit<'b>(&self, bytes: &'b [u8]) -> Result<&'b [u8], ExtractError> {
        let limit = self.options.max_input_bytes;
        if bytes.len() <= limit {
            return Ok(bytes);
        }
        if !self.options.truncate_oversized {
            return Err(ExtractError::TooLarge {
                size: bytes.len(),
                limit,
            });
        }
        // Cut just before the last tag start so no tag is split in half.
        let cut = bytes[..limit].iter().rposition(|&b| b == b'<').unwrap_or(limit);
        Ok(&bytes[..cut])
    }
}

/// Rejects binary data: HTML (in any ASCII-compatible charset) has almost
/// no C0 control bytes; images, archives and UTF-16 without BOM do.
fn check_binary(bytes: &[u8]) -> Result<(), ExtractError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ExtractError::NotHtml("gzip-compressed data"));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ExtractError::NotHtml("PDF document"));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if encoding_rs::Encoding::for_bom(head).is_some() {
        return Ok(());
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) && b != 0x1b)
        .count();
    if control * 20 > head.len() {
        return Err(ExtractError::NotHtml("binary data"));
    }
    Ok(())
}

/// An extracted article with the evidence of its page-type decision.
#[derive(Debug, Clone)]
pub struct Explained {
    pub article: Article,
    /// The page-type features, in [`PAGE_TYPE_FEATURES`] order.
    pub page_type_features: Vec<f32>,
    pub page_type: PageTypeDecision,
    /// How the body was chosen (empty unless asked for with
    /// [`ArticleExtractor::extract_explained`]).
    pub body: BodyExplanation,
}

fn build_article(dom: &dom::Dom, url: Option<&str>, explain: bool) -> Explained {
    let pm = meta::collect(dom);
    let page_url = url.and_then(|u| url::Url::parse(u).ok());
    let base = match (&pm.base_href, &page_url) {
        (Some(b), Some(p)) => p.join(b).ok().or_else(|| page_url.clone()),
        (Some(b), None) => url::Url::parse(b).ok(),
        (None, p) => p.clone(),
    };
    let extracted = blocks::extract_blocks(dom, pm.title.as_deref(), explain);
    let extracted_lenient = extracted.lenient;
    let mut body = extracted.explanation.unwrap_or_default();
    let mut blocks = extracted.blocks;
    let dates = dates::extract(dom, &pm, url);

    let mut byline = pm.byline.clone().map(|b| khabar_text::collapse_whitespace(&b));
    let mut authors = pm.authors.clone();
    strip_leading_furniture(&mut blocks, pm.title.as_deref(), &mut byline, &mut authors);

    let mut dateline = split_dateline_block(&mut blocks);
    let mut credits = split_credits(&mut blocks).or(extracted.trailing_credits);

    let text = Article::text_from_blocks(&blocks);
    let lang = pm.lang.clone().or_else(|| lang::detect(&text));
    let published = dates
        .published
        .map(|d| local_time(d, dates.published_zone_given, lang.as_deref(), pm.lang_tag.as_deref()));
    let modified = dates
        .modified
        .map(|d| local_time(d, dates.modified_zone_given, lang.as_deref(), pm.lang_tag.as_deref()));
    let dir = match &lang {
        Some(l) if khabar_text::is_rtl_lang(l) => TextDirection::Rtl,
        _ => TextDirection::Ltr,
    };
    let lead_image = pm.image.as_deref().and_then(|i| meta::resolve(base.as_ref(), i));
    let image_text = lead_image
        .as_deref()
        .map(|l| lead_image::describe(dom, l))
        .unwrap_or_default();
    // The main region as a page of any type but a forum would give it:
    // how much of it the article extraction holds is a page-type signal.
    let body_chars = text.chars().count();
    let (mut region_blocks, mut region_body) = extracted_lenient
        .as_ref()
        .map(|m| region::extract(dom, m, pm.title.as_deref(), PageType::Article, explain))
        .unwrap_or_default();
    let region_chars = region_blocks.iter().map(|b| b.text.chars().count()).sum::<usize>();
    let page_type_features = page_type::features(
        dom,
        &page_type::Context {
            body_chars,
            body_blocks: blocks.len(),
            region_chars,
            url,
            has_byline: byline.is_some(),
            has_published_date: published.is_some(),
        },
    );
    let decision = page_type::decide(&page_type_features);
    // Pages of other types, and pages whose "article" is a small part of
    // the main region, give the main region's content instead.
    let mut text = text;
    let p_article = decision
        .probabilities
        .iter()
        .find(|(t, _)| *t == PageType::Article)
        .map_or(1.0, |p| p.1);
    if region::prefer_region(decision.page_type, p_article, body_chars, region_chars) {
        if matches!(decision.page_type, PageType::Forum | PageType::Product)
            && let Some(m) = extracted_lenient.as_ref()
        {
            (region_blocks, region_body) = region::extract(dom, m, pm.title.as_deref(), decision.page_type, explain);
        }
        // An article that falls back to its main region is still a story:
        // the headline, byline and date lines above it and the wire
        // dateline and credits line are metadata there as on the article
        // path, not body text.
        if decision.page_type == PageType::Article {
            let mut story = StoryMeta {
                title: pm.title.as_deref(),
                byline: &mut byline,
                authors: &mut authors,
                dateline: &mut dateline,
                credits: &mut credits,
            };
            story.clean(&mut region_blocks);
        }
        blocks = region_blocks;
        text = Article::text_from_blocks(&blocks);
        body = region_body.unwrap_or_default();
    }
    let article = Article {
        page_type: decision.page_type,
        url: url.map(str::to_string),
        canonical_url: pm.canonical.as_deref().and_then(|c| meta::resolve(base.as_ref(), c)),
        title: pm
            .title
            .as_deref()
            .map(|t| strip_site_suffix(t, pm.site_name.as_deref()))
            .map(|t| khabar_text::normalize_display(&khabar_text::collapse_whitespace(t)))
            .filter(|t| !t.is_empty()),
        byline,
        authors,
        published,
        modified,
        dateline,
        credits,
        lang,
        dir,
        blocks,
        text,
        description: pm
            .description
            .clone()
            .map(|d| khabar_text::collapse_whitespace(&d))
            .filter(|d| !d.is_empty()),
        lead_image,
        lead_image_alt: image_text.alt,
        lead_image_caption: image_text.caption,
        lead_image_credit: image_text.credit,
        site_name: pm.site_name.clone().filter(|s| !s.is_empty()),
    };
    Explained {
        article,
        page_type_features,
        page_type: decision,
        body,
    }
}

/// "Headline - Site Name" -> "Headline" when the suffix is the page's own
/// site name (og:site_name / JSON-LD publisher): the site is shown apart.
fn strip_site_suffix<'t>(title: &'t str, site: Option<&str>) -> &'t str {
    let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) else {
        return title;
    };
    let t = title.trim_end();
    if t.len() <= site.len() + 3 || !t.is_char_boundary(t.len() - site.len()) {
        return title;
    }
    let (head, tail) = t.split_at(t.len() - site.len());
    if !tail.eq_ignore_ascii_case(site) {
        return title;
    }
    let head = head.trim_end();
    for sep in ['-', '|', '–', '—', '·', ':', '•'] {
        if let Some(h) = head.strip_suffix(sep) {
            let h = h.trim_end();
            if h.split_whitespace().count() >= 2 {
                return h;
            }
        }
    }
    title
}

/// Drops a repeated headline, a "By X" line and date-only lines from the
/// top of the body, taking the byline from the "By X" line when the page
/// had none.
fn strip_leading_furniture(
    blocks: &mut Vec<Block>,
    title: Option<&str>,
    byline: &mut Option<String>,
    authors: &mut Vec<String>,
) {
    let title_key = title.map(content::fold_key);
    let mut k = 0;
    while k < blocks.len().min(4) {
        let t = &blocks[k].text;
        let key = content::fold_key(t);
        let is_title = title_key.as_deref() == Some(key.as_str()) && !key.is_empty();
        let is_byline_line = t.chars().count() < 80
            && (t.starts_with("By ") || t.starts_with("BY ") || t.starts_with("by "))
            && t.split_whitespace()
                .nth(1)
                .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        let same_as_byline = byline
            .as_deref()
            .is_some_and(|b| content::fold_key(b) == key && !key.is_empty());
        // A date line of the article header (`<time>February 26, 1987</time>`)
        // is metadata, already read by the date pass.
        if is_title || same_as_byline || is_date_only_line(t) {
            blocks.remove(k);
            continue;
        }
        if is_byline_line {
            if byline.is_none() {
                *byline = Some(t.clone());
                *authors = meta::split_authors(t);
            }
            blocks.remove(k);
            continue;
        }
        k += 1;
    }
}

/// What the article path takes out of a story's blocks; applied to the
/// main region when an article falls back to it.
struct StoryMeta<'a> {
    title: Option<&'a str>,
    byline: &'a mut Option<String>,
    authors: &'a mut Vec<String>,
    dateline: &'a mut Option<String>,
    credits: &'a mut Option<String>,
}

impl StoryMeta<'_> {
    /// Drops the headline, byline and date lines from the top of
    /// `blocks`, splits off the wire dateline and the credits line (kept
    /// when the article path found none), and drops any other block that
    /// is only the credits line already found.
    fn clean(&mut self, blocks: &mut Vec<Block>) {
        strip_leading_furniture(blocks, self.title, self.byline, self.authors);
        let dateline = split_dateline_block(blocks);
        if self.dateline.is_none() {
            *self.dateline = dateline;
        }
        let credits = split_credits(blocks);
        if self.credits.is_none() {
            *self.credits = credits;
        }
        if let Some(c) = self.credits.as_deref().map(content::fold_key) {
            blocks.retain(|b| {
                let key = content::fold_key(&b.text);
                key != c && key.trim_matches(|ch| ch == '(' || ch == ')') != c
            });
        }
    }
}

/// Splits the wire dateline (`DUBAI, Dec 3 (Reuters) -`) off the first
/// paragraph that opens with one. The dateline opens the story proper,
/// which may follow a lead (summary) paragraph on agency pages, so the
/// first three paragraphs are tried.
fn split_dateline_block(blocks: &mut [Block]) -> Option<String> {
    for b in blocks.iter_mut().filter(|b| b.kind == BlockKind::Paragraph).take(3) {
        if let Some((dl, rest)) = wire::split_dateline(&b.text) {
            b.text = rest;
            return Some(dl);
        }
    }
    None
}

/// Moves a closing credits paragraph (and trailing small print after it)
/// out of the body.
fn split_credits(blocks: &mut Vec<Block>) -> Option<String> {
    let n = blocks.len();
    let start = n.saturating_sub(3);
    let pos = (start..n).rev().find(|&i| wire::is_credits(&blocks[i].text))?;
    // Only if what follows is short (e.g. a copyright line), not body.
    if blocks[pos + 1..].iter().any(|b| b.text.chars().count() > 200) {
        return None;
    }
    let mut credits = blocks[pos].text.trim().to_string();
    if credits.starts_with('(') && credits.ends_with(')') {
        credits = credits[1..credits.len() - 1].trim().to_string();
    }
    blocks.truncate(pos);
    Some(credits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(s: &str) -> String {
        format!("<p>{s}</p>")
    }

    #[test]
    fn wire_story_end_to_end() {
        let body = [
            "WASHINGTON (Reuters) – The United States on Monday imposed new sanctions on Iran, the Treasury Department said, targeting shipping and oil sales.",
            "The measures, announced in a statement, follow weeks of talks that failed to produce an agreement between the two sides.",
            "Officials said further steps were possible if Tehran did not change course, though they declined to give a timeline.",
            "Reporting by Humeyra Pamuk; Editing by Daniel Wallis",
        ]
        .map(para)
        .join("");
        let html = format!(
            "<html lang=en><head><title>US imposes new Iran sanctions | Reuters</title>\
             <meta property='article:published_time' content='2023-12-03T10:00:00-05:00'>\
             <link rel=canonical href='/world/us-sanctions'></head><body><article><h1>US imposes new Iran sanctions</h1>{body}</article></body></html>"
        );
        let a = ArticleExtractor::default()
            .extract(html.as_bytes(), Some("https://www.reuters.com/world/x"), None)
            .unwrap();
        assert_eq!(a.title.as_deref(), Some("US imposes new Iran sanctions"));
        assert_eq!(a.dateline.as_deref(), Some("WASHINGTON (Reuters) –"));
        assert_eq!(
            a.credits.as_deref(),
            Some("Reporting by Humeyra Pamuk; Editing by Daniel Wallis")
        );
        assert!(a.text.starts_with("The United States on Monday"));
        assert!(!a.text.contains("Reporting by"));
        assert_eq!(a.published.unwrap().to_rfc3339(), "2023-12-03T10:00:00-05:00");
        assert_eq!(
            a.canonical_url.as_deref(),
            Some("https://www.reuters.com/world/us-sanctions")
        );
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.text, Article::text_from_blocks(&a.blocks));
    }

    #[test]
    fn a_credits_paragraph_marked_credits_is_the_storys_credits_not_an_image_credit() {
        let body = [
            "DUBAI, Dec 3 (Reuters) - Iran said on Sunday it had seized a foreign tanker in the Gulf, state media reported, in the latest incident in the waterway.",
            "The vessel, which officials said was carrying smuggled fuel, was taken to a port in the south of the country for legal proceedings.",
            "Officials said further steps were possible if the owners did not cooperate, though they declined to give a timeline for the case.",
        ]
        .map(para)
        .join("");
        for (wrap, credit) in [
            ("p", "Reporting by Parisa Hafezi; Editing by Alex Richardson"),
            ("div", "Reporting by Parisa Hafezi; Editing by Alex Richardson"),
        ] {
            let html = format!(
                "<html lang=en><head><title>Iran seizes tanker</title></head><body><article><h1>Iran seizes tanker</h1>\
                 <figure><img src=/a.jpg><figcaption><span class=caption>A tanker at sea.</span> \
                 <span class=credit>Photo: Jane Doe/Reuters</span></figcaption></figure>{body}\
                 <div class=image-credit>Photo: John Roe</div>\
                 <{wrap} class=credits>{credit}</{wrap}></article></body></html>"
            );
            let a = ArticleExtractor::default()
                .extract(html.as_bytes(), None, None)
                .unwrap();
            assert_eq!(a.credits.as_deref(), Some(credit), "{wrap}: {}", a.text);
            assert!(!a.text.contains("Photo:"), "{}", a.text);
            assert!(!a.text.contains("A tanker at sea"), "{}", a.text);
            assert_eq!(a.dateline.as_deref(), Some("DUBAI, Dec 3 (Reuters) -"));
        }
    }

    #[test]
    fn date_and_byline_lines_above_a_wire_story_are_not_body() {
        let body = [
            "LONDON, March 5 (Reuters) - Iran said on Thursday it had repelled an Iraqi offensive east of the southern port of Basra, inflicting heavy losses.",
            "Tehran radio, monitored in London, said Iranian forces had killed or wounded thousands of Iraqi troops in two days of fighting.",
            "There was no immediate comment from Baghdad, which earlier said its forces had destroyed an Iranian brigade in the same area.",
        ]
        .map(para)
        .join("");
        let html = format!(
            "<html lang=en><head><title>Iran says it repelled Iraqi offensive</title></head><body>\
             <article><h1>Iran says it repelled Iraqi offensive</h1><p class=\"byline\">By John Smith</p>\
             <time datetime=\"1987-02-26T15:49:44Z\">February 26, 1987</time>{body}</article></body></html>"
        );
        let a = ArticleExtractor::default()
            .extract(html.as_bytes(), Some("https://example.com/news/iran-iraq"), None)
            .unwrap();
        assert!(
            a.blocks[0].text.starts_with("Iran said"),
            "first block: {:?}",
            a.blocks[0].text
        );
        assert_eq!(a.dateline.as_deref(), Some("LONDON, March 5 (Reuters) -"));
        assert_eq!(
            a.published.map(|d| d.date_naive().to_string()).as_deref(),
            Some("1987-02-26")
        );
        assert!(!a.text.contains("February 26, 1987"));
        assert!(!a.text.contains("By John Smith"));
        assert_eq!(a.byline.as_deref(), Some("By John Smith"));

        // The same explicit 1987 date given as article:published_time.
        let html = html
            .replace(
                "<head>",
                "<head><meta property='article:published_time' content='1987-02-26T15:49:44Z'>",
            )
            .replace(" datetime=\"1987-02-26T15:49:44Z\"", "");
        let a = ArticleExtractor::default()
            .extract(html.as_bytes(), None, None)
            .unwrap();
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("1987-02-26T15:49:44+00:00")
        );
        assert!(a.blocks[0].text.starts_with("Iran said"));
    }

    #[test]
    fn a_story_read_from_its_main_region_loses_its_headline_dateline_and_credits() {
        let p = |t: &str| Block {
            kind: BlockKind::Paragraph,
            text: t.to_string(),
        };
        let mut blocks = vec![
            p("Iran seizes tanker"),
            p("By Parisa Hafezi"),
            p("DUBAI, Dec 3 (Reuters) - Iran said on Sunday it had seized a foreign tanker in the Gulf."),
            p("The vessel was taken to a port in the south of the country."),
            p("(Reporting by Parisa Hafezi; Editing by Alex Richardson)"),
            p("More from the Middle East"),
        ];
        let (mut byline, mut authors, mut dateline, mut credits) = (None, Vec::new(), None, None);
        StoryMeta {
            title: Some("Iran seizes tanker"),
            byline: &mut byline,
            authors: &mut authors,
            dateline: &mut dateline,
            credits: &mut credits,
        }
        .clean(&mut blocks);
        let text = Article::text_from_blocks(&blocks);
        assert!(text.starts_with("Iran said on Sunday"), "{text}");
        assert!(!text.contains("Reporting by"), "{text}");
        assert_eq!(dateline.as_deref(), Some("DUBAI, Dec 3 (Reuters) -"));
        assert_eq!(
            credits.as_deref(),
            Some("Reporting by Parisa Hafezi; Editing by Alex Richardson")
        );
        assert_eq!(byline.as_deref(), Some("By Parisa Hafezi"));

        // The article path's credits line is dropped wherever the region has it.
        let mut blocks = vec![
            p("TEHRAN (AP) — Talks resumed in Vienna on Monday, officials said, after a week's pause."),
            p("Reporting by Jane Doe; Editing by John Roe"),
            p(
                "Officials said the next round would follow within a month, though no date was set, and that \
               both delegations would brief their capitals first; diplomats in Vienna said the pause had been \
               expected and that the technical teams would keep working on the text in the meantime.",
            ),
        ];
        let mut credits = Some("Reporting by Jane Doe; Editing by John Roe".to_string());
        let mut dateline = Some("TEHRAN (AP) —".to_string());
        StoryMeta {
            title: None,
            byline: &mut None,
            authors: &mut Vec::new(),
            dateline: &mut dateline,
            credits: &mut credits,
        }
        .clean(&mut blocks);
        let text = Article::text_from_blocks(&blocks);
        assert!(text.starts_with("Talks resumed"), "{text}");
        assert!(!text.contains("Reporting by"), "{text}");
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn date_only_lines_in_any_language_are_recognised() {
        for t in [
            "February 26, 1987",
            "Thursday, 6. August 2009, 14:30 Uhr",
            "06.08.2009 | 12:00",
            "۱۲ آذر ۱۴۰۲ - ۱۴:۳۰",
            "سه‌شنبه ۱۴ آذر ۱۴۰۲",
            "2023-12-03 10:00 GMT",
        ] {
            assert!(is_date_only_line(t), "{t}");
        }
        for t in [
            "Iran said on February 26, 1987 that talks had failed.",
            "Talks resume in Vienna",
            "۱۲ آذر ۱۴۰۲ مذاکرات در وین از سر گرفته شد",
            "1987",
        ] {
            assert!(!is_date_only_line(t), "{t}");
        }
    }

    fn published_day(html: &str, url: &str) -> Option<String> {
        ArticleExtractor::default()
            .extract(html.as_bytes(), Some(url), None)
            .ok()?
            .published
            .map(|d| d.date_naive().to_string())
    }

    const STORY: &str = "<p>The committee met on Tuesday, discussed the budget at length, and agreed to meet again next month.</p>\
        <p>Members said the talks had been constructive, though several questions remained open for now.</p>";

    #[test]
    fn header_date_line_beats_generic_meta_date_but_not_a_logo_heading() {
        let html = format!(
            "<html lang=de><head><title>Faire Lieferketten - Jugendwerk</title><meta name=date content=2020-02-12></head>\
             <body><h1><a href=/>Jugendwerk</a></h1><span>Mittwoch, 26.02.2020</span>\
             <div class=news><div>05.02.2020</div><h1>Faire Lieferketten</h1>{STORY}</div></body></html>"
        );
        assert_eq!(
            published_day(&html, "https://x.de/news/faire").as_deref(),
            Some("2020-02-05")
        );
    }

    #[test]
    fn disagreeing_publish_fields_are_settled_by_the_printed_date() {
        let html = format!(
            "<html lang=de><head><title>Mit allen Wassern gewaschen</title>\
             <meta itemprop=datePublished content=2019-10-18>\
             <script type='application/ld+json'>{{\"@type\":\"NewsArticle\",\"datePublished\":\"2019-10-19T03:00:00Z\"}}</script></head>\
             <body><article><h1>Mit allen Wassern gewaschen</h1><time datetime=2019-10-19T03:00:00Z>19.10.2019, 05:00 Uhr</time>{STORY}</article></body></html>"
        );
        assert_eq!(
            published_day(&html, "https://x.ch/kultur/a").as_deref(),
            Some("2019-10-19")
        );
        // Without the printed date, the meta order stands.
        let html = html
            .replace("19.10.2019, 05:00 Uhr", "")
            .replace("<time datetime=2019-10-19T03:00:00Z>", "<time>");
        assert_eq!(
            published_day(&html, "https://x.ch/kultur/a").as_deref(),
            Some("2019-10-18")
        );
    }

    #[test]
    fn time_on_the_lead_images_upload_day_beats_a_nearer_teaser() {
        let html = format!(
            "<html><head><title>Violences policieres</title>\
             <meta property=og:image content='https://static.x.fr/files/2019/06/27/pic.jpg'></head>\
             <body><h1>Violences policieres</h1><ul><li><time datetime=2019-08-05>5 août 2019</time></li></ul>{STORY}\
             <ul><li><time datetime=2019-06-27>27 juin 2019</time></li></ul></body></html>"
        );
        assert_eq!(
            published_day(&html, "https://x.fr/blog/violences").as_deref(),
            Some("2019-06-27")
        );
    }

    #[test]
    fn a_date_deep_in_a_caption_does_not_date_the_page() {
        let html = format!(
            "<html><head><title>Schnee aus dem All</title></head><body><h1>Schnee aus dem All</h1>\
             <p>Abbildung: Ausschnitt eines Sentinel-2 Satellitenbildes bei St. Moritz vom 31.05.2021 (links).</p>{STORY}\
             <div><label>Letzte Änderung:</label><div>14.01.2022 um 09:25</div></div></body></html>"
        );
        assert_eq!(
            published_day(&html, "https://x.ch/news/718").as_deref(),
            Some("2022-01-14")
        );
    }

    #[test]
    fn utc_time_with_a_same_instant_local_time_keeps_the_local_day() {
        let html = format!(
            "<html lang=en><head><title>Arrest made</title>\
             <meta property=article:published_time content=2023-11-09T06:35:29+00:00></head>\
             <body><article><h1>Arrest made</h1><time datetime=2023-11-08T22:35:29-08:00>Nov 8, 2023 / 10:35 PM PST</time>{STORY}</article></body></html>"
        );
        assert_eq!(
            published_day(&html, "https://x.com/news/arrest").as_deref(),
            Some("2023-11-08")
        );
    }

    #[test]
    fn persian_page_is_rtl_and_keeps_zwnj() {
        let p = "خبرگزاری ایسنا گزارش داد که رئیس‌جمهور امروز در تهران سخنرانی کرد و درباره اقتصاد کشور و برنامه‌های دولت برای سال آینده صحبت کرد.";
        let html = format!("<html><body><div class=content><p>{p}</p><p>{p}</p><p>{p}</p></div></body></html>");
        let a = ArticleExtractor::default()
            .extract(html.as_bytes(), None, None)
            .unwrap();
        assert_eq!(a.lang.as_deref(), Some("fa"));
        assert_eq!(a.dir, TextDirection::Rtl);
        assert!(a.text.contains("رئیس\u{200C}جمهور"));
    }

    #[test]
    fn a_thread_served_only_in_noscript_is_read() {
        // Script-rendered forums mount an empty app and give the thread to
        // script-less readers in <noscript>.
        let posts: String = (0..4)
            .map(|k| {
                format!(
                    "<div class=post><span class=author>user{k}</span><p>Reply {k}: I had the same problem after the update,                      and rolling back to the previous version fixed it for me, so try that first.</p></div>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Update broke my setup</title></head><body><div id=app></div>             <noscript><img src=/pixel.gif></noscript><noscript data-path=/t/1><h1>Update broke my setup</h1>{posts}</noscript>             </body></html>"
        );
        let a = ArticleExtractor::default()
            .extract(html.as_bytes(), None, None)
            .unwrap();
        for k in 0..4 {
            assert!(a.text.contains(&format!("Reply {k}:")), "{}", a.text);
        }
    }

    #[test]
    fn empty_and_binary_inputs_are_errors() {
        let x = ArticleExtractor::default();
        assert_eq!(x.extract(b"", None, None), Err(ExtractError::Empty));
        assert_eq!(x.extract(b"  \n ", None, None), Err(ExtractError::Empty));
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
        assert!(matches!(x.extract(&garbage, None, None), Err(ExtractError::NotHtml(_))));
    }

    #[test]
    fn oversized_input_is_truncated_or_rejected() {
        let page = format!(
            "<html><body>{}</body></html>",
            "<p>Some words of text here.</p>".repeat(1000)
        );
        let small = ExtractOptions {
            max_input_bytes: 1000,
            truncate_oversized: true,
        };
        let a = ArticleExtractor::new(small)
            .extract(page.as_bytes(), None, None)
            .unwrap();
        assert!(a.text.len() < 1000);
        let strict = ExtractOptions {
            max_input_bytes: 1000,
            truncate_oversized: false,
        };
        assert!(matches!(
            ArticleExtractor::new(strict).extract(page.as_bytes(), None, None),
            Err(ExtractError::TooLarge { .. })
        ));
    }

    #[test]
    fn truncated_html_still_extracts() {
        let p =
            "The talks, held in Vienna, lasted for several hours and ended without agreement, officials said later.";
        let html = format!(
            "<html><head><title>Talks end</title></head><body><div class=story><p>{p}</p><p>{p}</p><p>{p} and then the"
        );
        let a = ArticleExtractor::default()
            .extract(html.as_bytes(), None, None)
            .unwrap();
        assert!(a.text.contains("held in Vienna"));
        assert!(a.text.ends_with("and then the"));
    }

    #[test]
    fn deep_nesting_gives_a_result() {
        let mut s = String::from("<html><body>");
        for _ in 0..10_000 {
            s.push_str("<div>");
        }
        s.push_str("<p>Deep inside the nesting, a paragraph of text, with commas, sits quietly.</p>");
        let a = ArticleExtractor::default().extract(s.as_bytes(), None, None).unwrap();
        assert!(a.text.contains("Deep inside"));
    }

    #[test]
    fn nested_byline_and_date_regions_are_bounded() {
        // Each nested element would otherwise read the whole page's text.
        let mut s = String::from("<html><body>");
        for _ in 0..8_000 {
            s.push_str("<div class=author itemprop=datePublished><span class=date>x</span>");
        }
        s.push_str(&"<p>Words of the article, with commas, go here.</p>".repeat(2000));
        let a = ArticleExtractor::default().extract(s.as_bytes(), None, None).unwrap();
        assert!(a.text.contains("Words of the article"));
    }

    #[test]
    fn big_layout_table_is_bounded() {
        let row = "<tr><td>cell text, with a comma, and words</td><td>more</td></tr>";
        let s = format!("<html><body><table>{}</table></body></html>", row.repeat(30_000));
        let a = ArticleExtractor::default().extract(s.as_bytes(), None, None).unwrap();
        assert!(a.text.contains("cell text"));
    }

    #[test]
    fn huge_page_is_bounded() {
        let p = "<p>Paragraph of filler text, with a comma, for size.</p>";
        let s = format!(
            "<html><body><div>{}</div></body></html>",
            p.repeat(20 * 1024 * 1024 / p.len())
        );
        let a = ArticleExtractor::default().extract(s.as_bytes(), None, None).unwrap();
        assert!(!a.text.is_empty());
    }

    #[test]
    fn site_suffix_is_stripped_only_when_it_is_the_site() {
        assert_eq!(
            strip_site_suffix("Iran talks resume - Example News", Some("Example News")),
            "Iran talks resume"
        );
        assert_eq!(
            strip_site_suffix("Iran talks resume | Example", Some("Other")),
            "Iran talks resume | Example"
        );
        assert_eq!(strip_site_suffix("Iran talks resume", None), "Iran talks resume");
        // Multi-byte text where the site name's length falls inside a character.
        assert_eq!(
            strip_site_suffix(
                "¿Ha llegado realmente la Antártida a los 20 grados?",
                Some("El País España")
            ),
            "¿Ha llegado realmente la Antártida a los 20 grados?"
        );
    }

    fn assert_send_sync<T: Send + Sync>() {}
    #[test]
    fn extractor_is_send_sync() {
        assert_send_sync::<ArticleExtractor>();
    }
}
