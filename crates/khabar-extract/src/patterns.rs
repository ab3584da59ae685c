//! Class/id word patterns that say what a page region is for.
//!
//! These are generic words web authors use for navigation, sharing and
//! comment regions (and for article bodies), not the names of any site:
//! the same lists have served Readability-style extractors for a decade.

use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    // The patterns are constants; a failure here is a programming error
    // caught by the unit tests, never by page data.
    Regex::new(s).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

/// Regions that are almost never the article: removed before scoring.
pub static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|consent|newsletter|subscribe|signup|share|sharing|promo|outbrain|taboola|recommend",
    )
});
/// Readability's own unlikely list, used where its behaviour is the
/// reference (byline discovery).
pub static UNLIKELY_READABILITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote",
    )
});
pub static MAYBE_OK_READABILITY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)and|article|body|column|content|main|shadow"));
/// Words that rescue a region from [`UNLIKELY`].
pub static MAYBE_OK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)and|article|body|column|content|main|shadow|story|entry|post-text|embed"));
pub static POSITIVE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story"));
pub static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|newsletter|subscribe|cookie|social",
    )
});
/// Regions inside the chosen article container that are still furniture.
pub static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\b|_|-)(share|sharing|sharedaddy|social|related|newsletter|subscribe|subscription|signup|sign-up|cookie|consent|comments?|disqus|promo|advert|advertisement|ads?|ad-slot|adslot|sponsor(ed)?|sidebar|breadcrumbs?|tags|tag-list|toolbar|popup|modal|recommend(ed|ations)?|outbrain|taboola|read-?more|more-stories|author-bio|bio|newsletter-signup|jp-relatedposts|inline-related|print|pagination|pager|nav|navigation|menu|footer|caption|credit|credits|wp-caption-text|timestamp|published|posted-on|date|time|byline|author|dateline|slideshow|gallery|video|more-on|also-read|read-also|trending|most-popular|popular|teaser)(\b|_|-|$)",
    )
});
/// Page furniture around the main region of any page type: consent
/// banners, newsletter boxes, share bars, breadcrumbs, skip links, modals.
pub static REGION_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\b|_|-)(cookies?|consent|gdpr|newsletter|subscribe|signup|sign-up|share|sharing|social|breadcrumbs?|skip-link|skip|modal|popup|overlay|drawer|masthead|site-header|site-footer|footer|header|navbar|nav|navigation|menu|megamenu|sidebar|banner|promo|advert|advertisement|ads?|sponsor(ed)?|related|recommend(ed|ations)?)(\b|_|-|$)",
    )
});
/// The furniture words that also name the parts of a repeated component
/// (a card's header and footer), see `Emitter::is_repeated_part`.
pub static PART_WORDS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(\b|_|-)(header|footer)(\b|_|-|$)"));
/// Around a product's description: customer reviews (a shop's reader
/// comments) and the shop's other products (upsells, cross-sells,
/// recently viewed, similar items). Furniture on product pages only.
pub static REVIEWS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(\b|_|-)(reviews?|upsells?|cross-?sells?|recently-?viewed|similar)(\b|_|-|$)"));
/// Reader comments under a page: furniture around the main region of any
/// page but a forum's, whose posts are often marked up as comments.
pub static COMMENTS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(\b|_|-)comments?(\b|_|-|$)"));
pub static CAPTION: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)caption|credit"));
pub static BYLINE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)byline|author|dateline|writtenby|p-author"));
pub static SHARE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(\b|_)(share|sharedaddy)(\b|_)"));
pub static AD_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?iu)^(ad(vertising|vertisement)?|pub(licité)?|werb(ung)?|广告|Реклама|Anuncio|تبلیغات|إعلان)$")
});
pub static LOADING_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?iu)^((loading|正在加载|Загрузка|chargement|cargando)(…|\.\.\.)?)$"));
pub static COMMAS: &[char] = &[
    ',', '\u{060C}', '\u{FE50}', '\u{FE10}', '\u{FE11}', '\u{2E41}', '\u{2E34}', '\u{2E32}', '\u{FF0C}',
];

/// Class/id weight: +25 for article-ish words, -25 for furniture words.
pub fn class_weight(class: Option<&str>, id: Option<&str>) -> f32 {
    let mut w = 0.0;
    for s in [class, id].into_iter().flatten() {
        if s.is_empty() {
            continue;
        }
        if NEGATIVE.is_match(s) {
            w -= 25.0;
        }
        if POSITIVE.is_match(s) {
            w += 25.0;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_and_match() {
        assert!(UNLIKELY.is_match("site-footer"));
        assert!(MAYBE_OK.is_match("main-content"));
        assert!(BOILERPLATE.is_match("social-share"));
        assert!(BOILERPLATE.is_match("jp-relatedposts"));
        assert!(!BOILERPLATE.is_match("article-body"));
        assert!(AD_WORDS.is_match("Advertisement"));
        assert_eq!(class_weight(Some("entry-content"), None), 25.0);
        assert_eq!(class_weight(Some("comment-list"), Some("x")), -25.0);
    }
}
