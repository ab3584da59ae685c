//! View models: what templates see of a story. Dates are formatted and
//! links built here, so templates stay free of logic.

use chrono::{DateTime, Utc};
use khabar_model::{StoredStory, TextDirection};
use serde::Serialize;

pub use crate::image_view::ImageView;
use crate::image_view::absolute_jpeg;

/// `December 3, 2023` — the seed page's date style.
pub fn date_text(t: DateTime<Utc>) -> String {
    t.format("%B %-d, %Y").to_string()
}

pub fn date_time_text(t: DateTime<Utc>) -> String {
    t.format("%B %-d, %Y, %H:%M UTC").to_string()
}

/// The Persian (Solar Hijri) date readers of Persian stories expect beside
/// the Gregorian one.
pub fn jalali_text(t: DateTime<Utc>) -> String {
    khabar_text::format_jalali(t.date_naive())
}

/// Language code for `lang=""`: the story's own, else by direction.
pub fn lang_of(s: &StoredStory) -> String {
    match s.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => l.to_string(),
        None if s.dir == TextDirection::Rtl => "fa".into(),
        None => "en".into(),
    }
}

/// Text direction for a story: what extraction decided, or what its language implies.
pub fn dir_of(s: &StoredStory) -> &'static str {
    if s.dir == TextDirection::Rtl || khabar_text::is_rtl_lang(&lang_of(s)) {
        "rtl"
    } else {
        "ltr"
    }
}

pub fn is_persian(s: &StoredStory) -> bool {
    let l = lang_of(s);
    l == "fa" || l.starts_with("fa-")
}

/// A URL slug from a headline: letters and digits of any script, joined by
/// hyphens, at most 80 characters. Only decorative: pages resolve by id.
pub fn slug(headline: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in headline.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
        if out.chars().count() >= 80 {
            break;
        }
    }
    out
}

/// Path of our page for a story.
pub fn story_path(s: &StoredStory) -> String {
    let slug = slug(&s.headline);
    if slug.is_empty() {
        format!("/story/{}", s.id)
    } else {
        format!("/story/{}/{}", s.id, url_path_escape(&slug))
    }
}

/// Percent-encodes one path segment (non-ASCII letters of Persian slugs).
pub fn url_path_escape(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a query-string value.
pub fn query_escape(v: &str) -> String {
    url_path_escape(v)
}

/// One row of a story list.
#[derive(Debug, Clone, Serialize)]
pub struct StoryItem {
    pub id: i64,
    pub href: String,
    pub headline: String,
    pub source_name: String,
    pub source_href: String,
    pub date_text: String,
    pub date_iso: String,
    pub excerpt: String,
    /// Outlets reporting the story: 1 + its copies.
    pub outlets: i64,
    pub pinned: bool,
    pub lang: String,
    pub dir: &'static str,
    /// Search only: sanitised snippet HTML with `<mark>`.
    pub snippet: Option<String>,
    /// The lead image as khabar serves it, when it holds one.
    pub image: Option<ImageView>,
}

impl StoryItem {
    pub fn new(s: &StoredStory, copies: i64) -> Self {
        let t = s.display_time();
        StoryItem {
            id: s.id,
            href: story_path(s),
            headline: s.headline.clone(),
            source_name: s.source_name.clone(),
            source_href: format!("/source/{}", url_path_escape(&s.source_slug)),
            date_text: date_text(t),
            date_iso: t.to_rfc3339(),
            excerpt: excerpt(s),
            outlets: 1 + copies,
            pinned: s.pinned,
            lang: lang_of(s),
            dir: dir_of(s),
            snippet: None,
            image: ImageView::of(s),
        }
    }
}

/// A list excerpt: the stored one, else the start of the body, cut at a word.
pub fn excerpt(s: &StoredStory) -> String {
    let src = if s.excerpt.trim().is_empty() {
        &s.body_text
    } else {
        &s.excerpt
    };
    truncate_words(src.trim(), 280)
}

pub fn truncate_words(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let cut: String = s.chars().take(max_chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max_chars / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// The address shown and linked as the story's original (the "Original
/// News" link, JSON-LD `isBasedOn`, feeds and the API): the article's own
/// canonical address when its page declares one on its own site, else the
/// feed's link without tracking tags. The stored `url` is kept as it came
/// for dedup.
pub fn original_url(s: &StoredStory) -> String {
    match s.declared_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(u) => u.to_string(),
        None => khabar_text::strip_tracking(&s.url).into_owned(),
    }
}

/// The story's lead image when it is an http(s) address: a page may name
/// anything in `og:image`, and only web addresses are shown or syndicated.
pub fn lead_image_url(s: &StoredStory) -> Option<&str> {
    s.lead_image
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// A tag link.
#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    pub slug: String,
    pub href: String,
}

/// Everything the story page shows about the story itself.
#[derive(Debug, Clone, Serialize)]
pub struct StoryView {
    pub id: i64,
    pub headline: String,
    pub page_url: String,
    pub date_text: String,
    pub date_iso: String,
    pub jalali_text: Option<String>,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub credits: Option<String>,
    pub excerpt: String,
    pub full_text: bool,
    pub original_url: String,
    pub source_name: String,
    pub source_href: String,
    /// Absolute URL of khabar's largest JPEG of the lead image (OpenGraph),
    /// never the source's address.
    pub lead_image: Option<String>,
    pub lead_image_width: Option<u32>,
    pub lead_image_height: Option<u32>,
    /// The lead image for the page, with caption and credit.
    pub image: Option<ImageView>,
    pub tags: Vec<TagLink>,
    pub likes: i64,
    pub likes_text: String,
    pub lang: String,
    pub dir: &'static str,
}

pub fn likes_text(n: i64) -> String {
    match n {
        0 => "Be the first to like this".into(),
        1 => "1 reader likes this".into(),
        n => format!("{n} readers like this"),
    }
}

impl StoryView {
    pub fn new(s: &StoredStory, base_url: &str) -> Self {
        let t = s.display_time();
        StoryView {
            id: s.id,
            headline: s.headline.clone(),
            page_url: format!("{}{}", base_url.trim_end_matches('/'), story_path(s)),
            date_text: date_text(t),
            date_iso: t.to_rfc3339(),
            jalali_text: is_persian(s).then(|| jalali_text(t)),
            byline: s.byline.clone().filter(|b| !b.trim().is_empty()),
            dateline: s.dateline.clone().filter(|b| !b.trim().is_empty()),
            credits: s.credits.clone().filter(|b| !b.trim().is_empty()),
            excerpt: excerpt(s),
            full_text: s.full_text,
            original_url: original_url(s),
            source_name: s.source_name.clone(),
            source_href: format!("/source/{}", url_path_escape(&s.source_slug)),
            lead_image: absolute_jpeg(s, base_url).map(|i| i.0),
            lead_image_width: absolute_jpeg(s, base_url).map(|i| i.1),
            lead_image_height: absolute_jpeg(s, base_url).map(|i| i.2),
            image: ImageView::of(s),
            tags: s
                .relevance
                .tags
                .iter()
                .map(|t| TagLink {
                    slug: t.clone(),
                    href: format!("/tag/{}", url_path_escape(t)),
                })
                .collect(),
            likes: s.likes,
            likes_text: likes_text(s.likes),
            lang: lang_of(s),
            dir: dir_of(s),
        }
    }
}

/// schema.org NewsArticle JSON-LD, safe to place inside `<script>`:
/// `<`, `>` and `&` are written as JSON escapes so no `</script>` can appear.
pub fn json_ld(s: &StoredStory, site_title: &str, base_url: &str) -> String {
    let t = s.display_time();
    let original = original_url(s);
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.headline,
        "datePublished": t.to_rfc3339(),
        "inLanguage": lang_of(s),
        "url": format!("{}{}", base_url.trim_end_matches('/'), story_path(s)),
        "isBasedOn": original,
        "mainEntityOfPage": original,
        "description": excerpt(s),
        "publisher": { "@type": "Organization", "name": s.source_name },
        "sourceOrganization": { "@type": "Organization", "name": s.source_name },
        "provider": { "@type": "Organization", "name": site_title, "url": base_url },
        "keywords": s.relevance.tags,
    });
    if let Some(b) = s.byline.as_deref().filter(|b| !b.trim().is_empty()) {
        v["author"] =
            serde_json::json!({ "@type": "Person", "name": b.trim_start_matches("By ").trim() });
    }
    if let (Some((url, width, height)), Some(img)) = (absolute_jpeg(s, base_url), &s.image) {
        let mut o = serde_json::json!({
            "@type": "ImageObject",
            "url": url,
            "contentUrl": url,
            "width": width,
            "height": height,
        });
        if let Some(c) = img.caption.as_deref().filter(|c| !c.trim().is_empty()) {
            o["caption"] = c.into();
        }
        if let Some(c) = img.credit.as_deref().filter(|c| !c.trim().is_empty()) {
            o["creditText"] = c.into();
        }
        v["image"] = o;
    }
    script_safe_json(&v)
}

/// JSON text that cannot close a `<script>` element or open a comment.
pub fn script_safe_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(
            slug("Threat from Iran to U.S. forces: ‘significant’"),
            "threat-from-iran-to-u-s-forces-significant"
        );
        assert_eq!(slug("تهران، امروز"), "تهران-امروز");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn json_ld_cannot_break_out_of_script() {
        let s = StoredStory {
            headline: "</script><script>alert(1)</script>".into(),
            ..Default::default()
        };
        let j = json_ld(&s, "Persian News", "https://n.example");
        assert!(!j.contains("</script"));
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script>");
        assert_eq!(back["@type"], "NewsArticle");
    }

    #[test]
    fn persian_story_is_rtl_and_gets_jalali_date() {
        let s = StoredStory {
            lang: Some("fa".into()),
            headline: "خبر".into(),
            ..Default::default()
        };
        assert_eq!(dir_of(&s), "rtl");
        let v = StoryView::new(&s, "https://n.example/");
        assert!(v.jalali_text.is_some());
        assert!(v.page_url.starts_with("https://n.example/story/0/"));
    }

    #[test]
    fn long_excerpts_are_cut_at_a_word() {
        let t = truncate_words(&"word ".repeat(100), 30);
        assert!(t.ends_with('…'));
        assert!(t.chars().count() <= 31);
        assert!(!t.contains("wor…"));
    }
}
