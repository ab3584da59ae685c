//! Publish and modified dates.
//!
//! Deliberate metadata first (JSON-LD, `article:published_time` and other
//! meta names, `<time>` and `itemprop` markup), then dates printed near the
//! top of the article in date-classed elements, then a date in the URL
//! path, and last the first full date in the visible text. Comments,
//! sidebars and footers (copyright years, comment stamps) are never read.
//! The page's own UTC offset is kept when it gives one.

// Loops index several per-node arrays of the flat tree at once.
#![allow(clippy::needless_range_loop)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;
use std::sync::LazyLock;

use crate::dom::{Dom, Kind, NONE};
use crate::meta::PageMeta;

#[derive(Debug, Default, Clone, Copy)]
pub struct PageDates {
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    /// Whether the page named the zone of `published` (an offset, `Z`):
    /// then it is kept as given, never moved into a zone guessed from the
    /// page's language (see `local_zone`).
    pub published_zone_given: bool,
    pub modified_zone_given: bool,
}

const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "published-date",
    "dc:date:issued",
    "dcterms:issued",
    "citation_publication_date",
    "sailthru:date",
    "parsely-pub-date",
    "article:post_date",
    "og:pubdate",
];
/// Generic names that as often carry a modified or crawl date: used only
/// after in-page `itemprop=datePublished` markup.
const WEAK_PUBLISHED_META: &[&str] = &[
    "pubdate",
    "date",
    "dc:date",
    "dcterms:created",
    "dcterms:date",
    "dc:created",
    "citation_date",
    "datecreated",
    "created",
    "originalpublicationdate",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "date_published",
    "timestamp",
];
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms:modified",
    "last-modified",
    "lastmod",
];

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

static URL_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|[_-]|\.|$)"));
static URL_DATE_SEP: LazyLock<Regex> =
    LazyLock::new(|| re(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)"));
static ARTICLE_COMMENT_CLASS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)comment|reply|respond|disqus"));
static COMMENT_CLASS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)comment|reply|respond|disqus|sidebar|related|recent|popular|joined|regist"));
static DATE_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)date|time|posted|publish|byline|dateline|entry-meta|post-meta|postmeta|post-info|postinfo|meta|datum|submitted|info|footer-date|article-header|post-header|entry-header",
    )
});
static SKIP_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)comment|sidebar|related|footer|copyright|reply|respond|disqus|recent|archive|calendar|popular|teaser|nav|menu|joined|regist",
    )
});

fn plausible(d: NaiveDate) -> bool {
    let y = chrono::Datelike::year(&d);
    let max = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    (1995..=2100).contains(&y) && d <= max
}

/// Dates a page states in machine-readable form (meta tags, JSON-LD,
/// `<time datetime>`) are deliberate, so archives of old stories keep
/// their year; only CMS placeholders (the Unix epoch, year 0/1) and future
/// dates are refused. Dates guessed from free text use [`plausible`].
fn plausible_machine(d: NaiveDate) -> bool {
    let y = chrono::Datelike::year(&d);
    let max = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    y >= 1900 && d != NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() && d <= max
}

fn midnight(d: NaiveDate) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    utc.from_local_datetime(&d.and_time(NaiveTime::MIN)).single()
}

/// Parses a machine-readable date (ISO 8601 family, RFC 2822) through
/// khabar-text's one date parser, refusing CMS placeholders and future
/// dates; a value that is no machine date is read as written text.
pub fn parse_machine_date(s: &str) -> Option<DateTime<FixedOffset>> {
    match khabar_text::dates::parse_machine_date(s) {
        Some(d) => plausible_machine(d.date_naive()).then_some(d),
        None => parse_text_date(s),
    }
}

/// The forms of [`parse_machine_date`] that can carry a UTC offset (every
/// other form gives midnight UTC). Cheap enough to try on every value of
/// a page's metadata.
fn parse_zoned_date(s: &str) -> Option<DateTime<FixedOffset>> {
    khabar_text::dates::parse_machine_date(s).filter(|d| plausible_machine(d.date_naive()))
}

/// Finds a human-written full date (day, month, year) in a text.
pub fn parse_text_date(s: &str) -> Option<DateTime<FixedOffset>> {
    text_date_marked(s).map(|(d, _)| d)
}

/// Like [`parse_text_date`], also saying whether the date found was
/// announced as an update ("Updated …") because no other date was there.
fn text_date_marked(s: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    // "Updated: 31.10.2023, published: 01.11.2023": skip dates announced
    // as updates when the text has another one.
    let mut rest = s;
    let mut first_update = None;
    for _ in 0..4 {
        let Some((pos, end, d)) = earliest_text_date(rest) else {
            break;
        };
        let mut from = pos.saturating_sub(30);
        while !rest.is_char_boundary(from) {
            from -= 1;
        }
        let before = rest[from..pos].to_lowercase();
        if !UPDATE_WORDS.iter().any(|w| before.contains(w)) {
            return midnight(d).map(|d| (d, false));
        }
        first_update.get_or_insert(d);
        rest = &rest[end..];
    }
    first_update.and_then(midnight).map(|d| (d, true))
}

const UPDATE_WORDS: &[&str] = &[
    "updated",
    "update",
    "modified",
    "aktualisiert",
    "geändert",
    "änderung",
    "mis à jour",
    "actualizado",
    "aggiornato",
    "bijgewerkt",
];

/// The first full date in `s`: (start, end, date).
fn earliest_text_date(s: &str) -> Option<(usize, usize, NaiveDate)> {
    khabar_text::dates::find_written_date(s, plausible).map(|w| (w.start, w.end, w.date))
}

/// Whether `s` holds a full written date of any year from 1900 on (for
/// telling date lines apart from prose, not for dating the page).
pub(crate) fn has_full_date(s: &str) -> bool {
    khabar_text::dates::find_written_date(s, |d| chrono::Datelike::year(&d) >= 1900).is_some()
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `/2023/12/03/` or `/20231203/` in a URL path.
pub fn url_date(url: &str) -> Option<DateTime<FixedOffset>> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = path.find('/').map_or("", |p| &path[p..]);
    // Web-archive copies (`/web/20120216182711/http://…`): the snapshot
    // time is not the publish date; read the archived URL instead.
    if let Some(rest) = path.strip_prefix("/web/")
        && let Some((stamp, orig)) = rest.split_once('/')
        && stamp.len() >= 8
        && stamp.bytes().take(8).all(|b| b.is_ascii_digit())
    {
        return url_date(orig);
    }
    let c = URL_DATE_SEP.captures(path).or_else(|| URL_DATE.captures(path))?;
    let d = ymd(&c[1], &c[2], &c[3])?;
    plausible(d).then(|| midnight(d)).flatten()
}

fn in_skipped_region(dom: &Dom, i: usize, skip: &[bool]) -> bool {
    let p = dom.nodes[i].parent;
    p != NONE && skip[p as usize]
}

/// Marks nodes inside comments, sidebars, footers and the like, by class
/// `words`. Inside an `<article>` only the narrower `article_words` skip:
/// there a "header" or "sidebar" box is the article's own header or
/// metadata column, which holds its date, not the page's.
fn skip_regions(dom: &Dom, words: &Regex, article_words: &Regex, skip_footer: bool) -> Vec<bool> {
    let n = dom.len();
    let mut skip = vec![false; n];
    // Text length per subtree: a region holding most of the page's text is
    // the page, whatever its class says ("with-sidebar" layouts).
    let mut text = vec![0u32; n];
    for i in (0..n).rev() {
        let p = dom.nodes[i].parent;
        if let Kind::Text(t) = dom.nodes[i].kind
            && (p == NONE || !matches!(dom.nodes[p as usize].tag, "script" | "style" | "noscript" | "template"))
        {
            text[i] += t.len() as u32;
        }
        if p != NONE {
            text[p as usize] += text[i];
        }
    }
    let total = text.first().copied().unwrap_or(0);
    for i in 0..n {
        let p = dom.nodes[i].parent;
        if p != NONE && skip[p as usize] {
            skip[i] = true;
            continue;
        }
        let tag = dom.nodes[i].tag;
        let furniture_tag = matches!(tag, "nav" | "script" | "style" | "noscript" | "head")
            || (matches!(tag, "aside" | "footer") && (skip_footer || !dom.has_ancestor(i, "article", 64)));
        if furniture_tag {
            skip[i] = true;
            continue;
        }
        // Page-level classes ("single right-sidebar") describe the layout,
        // not the region.
        if tag.is_empty() || matches!(tag, "html" | "body" | "main" | "article") {
            continue;
        }
        let ci = dom.class_id(i);
        if ci.is_empty() || !words.is_match(ci) || text[i] * 3 >= total {
            continue;
        }
        // Checked last: the ancestor walk is the costly part.
        if !dom.has_ancestor(i, "article", 64) || article_words.is_match(ci) {
            skip[i] = true;
        }
    }
    skip
}

fn published_meta(meta: &PageMeta) -> Option<DateTime<FixedOffset>> {
    PUBLISHED_META
        .iter()
        .find_map(|k| meta.values.get(*k).and_then(|v| parse_machine_date(v)))
        .or_else(|| meta.jsonld.date_published.as_deref().and_then(parse_machine_date))
}

/// When the page's publish-date fields disagree on the day (an
/// `itemprop` meta saying 18 October, JSON-LD saying 19 October), the one
/// the article header prints wins; otherwise the usual order stands.
fn settle_disagreement(dom: &Dom, meta: &PageMeta, first: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let mut candidates: Vec<DateTime<FixedOffset>> = PUBLISHED_META
        .iter()
        .filter_map(|k| meta.values.get(*k).and_then(|v| parse_machine_date(v)))
        .collect();
    candidates.extend(meta.jsonld.date_published.as_deref().and_then(parse_machine_date));
    if candidates.iter().all(|c| c.date_naive() == first.date_naive()) {
        return first;
    }
    let skip = skip_regions(dom, &SKIP_CLASS, &SKIP_CLASS, true);
    let Some(shown) = header_text_date(dom, meta.title.as_deref(), &skip) else {
        return first;
    };
    let day = shown.date_naive();
    candidates
        .into_iter()
        .find(|c| c.date_naive() == day || c.naive_utc().date() == day)
        .unwrap_or(first)
}

fn weak_published_meta(meta: &PageMeta) -> Option<DateTime<FixedOffset>> {
    WEAK_PUBLISHED_META
        .iter()
        .find_map(|k| meta.values.get(*k).and_then(|v| parse_machine_date(v)))
        .or_else(|| {
            // Media sites' own namespaces (`<site>:uploaded`): the upload
            // is the publication of a photo or video page.
            let mut uploads: Vec<&String> = meta
                .values
                .iter()
                .filter(|(k, _)| {
                    k.rsplit(':')
                        .next()
                        .is_some_and(|l| matches!(l, "uploaded" | "uploaddate" | "upload_date"))
                })
                .map(|(_, v)| v)
                .collect();
            uploads.sort();
            uploads.into_iter().find_map(|v| parse_machine_date(v))
        })
}

pub fn extract(dom: &Dom, meta: &PageMeta, url: Option<&str>) -> PageDates {
    let mut out = extract_utc_or_given(dom, meta, url);
    out.published = out.published.map(|d| with_page_offset(dom, meta, d));
    out.modified = out.modified.map(|d| with_page_offset(dom, meta, d));
    out.published_zone_given = out.published.is_some_and(|d| zone_given(dom, meta, d));
    out.modified_zone_given = out.modified.is_some_and(|d| zone_given(dom, meta, d));
    out
}

/// Whether the page wrote `d` with its zone: a non-zero offset, or a
/// machine value for the same instant that names one (`…T23:00:00Z`,
/// `+00:00`). Dates read from text, URLs or zone-less values have none.
fn zone_given(dom: &Dom, meta: &PageMeta, d: DateTime<FixedOffset>) -> bool {
    if d.offset().local_minus_utc() != 0 {
        return true;
    }
    let names_zone =
        |v: &str| khabar_text::dates::parse_machine_date_zoned(v).is_some_and(|(x, given)| given && x == d);
    let from_markup = (0..dom.len())
        .filter(|&i| dom.is_element(i))
        .filter_map(|i| dom.attr(i, "datetime").or_else(|| dom.attr(i, "content")))
        .any(names_zone);
    from_markup
        || meta.values.values().any(|v| names_zone(v))
        || meta.jsonld.date_published.as_deref().is_some_and(names_zone)
        || meta.jsonld.date_modified.as_deref().is_some_and(names_zone)
}

/// A UTC timestamp that the page also gives, for the same instant, with
/// its own offset (`<time datetime="…-08:00">` beside
/// `article:published_time …Z`): shown with the page's offset, so the day
/// is the one the page prints.
fn with_page_offset(dom: &Dom, meta: &PageMeta, d: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    if d.offset().local_minus_utc() != 0 {
        return d;
    }
    let same_instant_local = |v: &str| parse_zoned_date(v).filter(|x| *x == d && x.offset().local_minus_utc() != 0);
    let from_time = (0..dom.len())
        .filter(|&i| dom.nodes[i].tag == "time")
        .filter_map(|i| dom.attr(i, "datetime"))
        .find_map(same_instant_local);
    from_time
        .or_else(|| meta.values.values().find_map(|v| same_instant_local(v)))
        .unwrap_or(d)
}

fn extract_utc_or_given(dom: &Dom, meta: &PageMeta, url: Option<&str>) -> PageDates {
    let modified = meta
        .jsonld
        .date_modified
        .as_deref()
        .and_then(parse_machine_date)
        .or_else(|| {
            MODIFIED_META
                .iter()
                .find_map(|k| meta.values.get(*k).and_then(|v| parse_machine_date(v)))
        });
    let mut out = PageDates {
        published: None,
        modified,
        ..PageDates::default()
    };
    // A full date in the URL path is the most reliable publish day there
    // is (on the development set it was right 60 times out of 63, more
    // often than page metadata, which often carries a modified date).
    // The fetch URL, else the page's canonical URL (`khabar extract` on a
    // saved file has no fetch URL, and a short link has no date in it).
    let url_day = url
        .and_then(url_date)
        .or_else(|| meta.canonical.as_deref().and_then(url_date))
        .or_else(|| meta.values.get("og:url").and_then(|u| url_date(u)));
    if let Some(d) = url_day {
        out.published = Some(match published_meta(meta) {
            // Keep the page's own time of day when it agrees on the day.
            Some(p) if p.date_naive() == d.date_naive() => p,
            _ => d,
        });
        return out;
    }
    out.published = published_meta(meta);
    if let Some(p) = out.published {
        out.published = Some(settle_disagreement(dom, meta, p));
        return out;
    }
    if is_persian_page(dom, meta) {
        let skip = skip_regions(dom, &PERSIAN_SKIP, &PERSIAN_SKIP_IN_ARTICLE, true);
        // Then "written on … by …" lines in post footers (blog templates).
        let light = skip_regions(dom, &COMMENT_CLASS, &ARTICLE_COMMENT_CLASS, false);
        if let Some(d) = persian_text_date(dom, &skip).or_else(|| persian_text_date(dom, &light)) {
            out.published = Some(d);
            return out;
        }
    }
    let skip = skip_regions(dom, &SKIP_CLASS, &SKIP_CLASS, true);
    let light_skip = skip_regions(dom, &COMMENT_CLASS, &ARTICLE_COMMENT_CLASS, false);
    let image_date = meta.image.as_deref().and_then(url_date);
    out.published = markup_date(dom, &light_skip, true, None)
        .or_else(|| markup_date(dom, &light_skip, false, image_date))
        // A date printed right under the headline is what readers see as
        // the publish date; generic meta names often hold a crawl date.
        .or_else(|| header_text_date(dom, meta.title.as_deref(), &skip))
        .or_else(|| weak_published_meta(meta))
        .or_else(|| classed_text_date(dom, &skip))
        .or_else(|| first_text_date(dom, &skip, DATE_LINE_HEAD))
        // Then article footers ("posted on …") that the strict pass
        // skipped with the page footer.
        .or_else(|| first_text_date(dom, &light_skip, DATE_LINE_HEAD))
        // Last resort: a date further into a longer opening.
        .or_else(|| first_text_date(dom, &skip, DATE_LINE_HEAD_LONG))
        .or_else(|| first_text_date(dom, &light_skip, DATE_LINE_HEAD_LONG))
        // Nothing printed at all: the lead image's upload path
        // (`/uploads/2016/05/04/…`) dates the article it was uploaded for.
        .or(image_date);
    out
}

/// How many nodes before and after the headline count as the article
/// header (kicker, byline, date line, lead image) rather than the story or
/// a teaser list.
const HEADER_BEFORE: usize = 20;
const HEADER_AFTER: usize = 60;

/// The `h1` that is the article's headline: its words are the page
/// title's (a logo `h1` holding the site name is not).
fn headline(dom: &Dom, title: Option<&str>, skip: &[bool]) -> Option<usize> {
    let title = crate::content::fold_key(title?);
    (0..dom.len()).find(|&i| {
        if dom.nodes[i].tag != "h1" || skip[i] {
            return false;
        }
        let h = crate::content::fold_key(&dom.text_content(i));
        h.split_whitespace().count() >= 2 && (title.contains(&h) || h.contains(&title))
    })
}

/// The first date printed as its own short line in the article header,
/// around the headline.
fn header_text_date(dom: &Dom, title: Option<&str>, skip: &[bool]) -> Option<DateTime<FixedOffset>> {
    let h1 = headline(dom, title, skip)?;
    let end = (h1 + HEADER_AFTER).min(dom.len());
    // Before the headline only inside its own container (a kicker or date
    // line above it), never the page header's "today" date.
    let parent = dom.nodes[h1].parent;
    let start = if parent == NONE {
        h1
    } else {
        h1.saturating_sub(HEADER_BEFORE).max(parent as usize)
    };
    for i in start..end {
        if skip[i] {
            continue;
        }
        if let Kind::Text(t) = dom.nodes[i].kind
            && t.len() <= 100
            && let Some((d, false)) = text_date_marked(text_head(t, DATE_LINE_HEAD))
        {
            return Some(d);
        }
    }
    None
}

/// Page furniture of Persian sites that prints other dates: the "today"
/// date in the header, related-news lists with their own dates.
static PERSIAN_SKIP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)comment|sidebar|related|footer|copyright|reply|respond|recent|popular|teaser|nav|menu|header|today|top-?bar|most-?viewed|archive|tags",
    )
});

/// `PERSIAN_SKIP` inside an `<article>`: its header ("td-post-header") and
/// meta boxes are where the article prints its own date.
static PERSIAN_SKIP_IN_ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)comment|sidebar|related|footer|copyright|reply|respond|recent|popular|teaser|most-?viewed|archive|tags")
});

/// "امروز: شنبه ۱۴۰۳/۰۹/۱۷": the site's clock in its header bar, not a
/// publish date; a short line only, so article sentences are not affected.
fn is_today_label(t: &str) -> bool {
    t.len() < 160 && t.contains("امروز")
}

fn is_persian_page(dom: &Dom, meta: &PageMeta) -> bool {
    if let Some(l) = &meta.lang {
        return matches!(l.as_str(), "fa" | "prs" | "pes" | "tg");
    }
    let t = meta.title.as_deref().unwrap_or("");
    let t = if t.is_empty() {
        dom.text_content(0)
    } else {
        t.to_string()
    };
    khabar_text::dominant_script(&t) == khabar_text::Script::Arabic
}

/// A Jalali (or Persian-written Gregorian) date printed on the page:
/// first in date-classed elements, then in any short text outside
/// furniture and page headers.
fn persian_text_date(dom: &Dom, skip: &[bool]) -> Option<DateTime<FixedOffset>> {
    let to_dt = |p: khabar_text::PersianDate| -> Option<DateTime<FixedOffset>> {
        match p.time {
            // Wall-clock times on Persian pages are Tehran time, with the
            // summer time Iran kept until 2022 (IANA zone, not a fixed +03:30).
            Some(t) => chrono_tz::Asia::Tehran
                .from_local_datetime(&NaiveDateTime::new(p.date, t))
                .earliest()
                .map(|d| d.fixed_offset()),
            None => midnight(p.date),
        }
    };
    let in_header = |i: usize| dom.has_ancestor(i, "header", 64) && !dom.has_ancestor(i, "article", 64);
    for i in 0..dom.len() {
        if !dom.is_element(i) || skip[i] || dom.nodes[i].tag == "header" {
            continue;
        }
        let ci = dom.class_id(i);
        if ci.is_empty() || !DATE_CLASS.is_match(ci) || dom.nodes[i].end as usize - i > 60 || in_header(i) {
            continue;
        }
        let t = dom.text_content(i);
        if t.len() < 400
            && !is_today_label(&t)
            && let Some(p) = khabar_text::find_persian_date(&t)
            && plausible(p.date)
        {
            return to_dt(p);
        }
    }
    let body = (0..dom.len()).find(|&i| dom.nodes[i].tag == "body")?;
    for i in body..dom.nodes[body].end as usize {
        if skip[i] {
            continue;
        }
        if let Kind::Text(t) = dom.nodes[i].kind
            && t.len() < 300
            && !in_header(i)
            && !is_today_label(t)
            && let Some(p) = khabar_text::find_persian_date(t)
            && plausible(p.date)
        {
            return to_dt(p);
        }
    }
    None
}

/// `<time datetime>`, `itemprop=datePublished`, `abbr.published`.
/// With `itemprop_only`, only explicit `itemprop=datePublished` markup.
fn markup_date(
    dom: &Dom,
    skip: &[bool],
    itemprop_only: bool,
    image_date: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    // Unmarked <time> elements: the one nearest the headline wins, so a
    // "latest news" list above or below the article does not; but one on
    // the day the lead image was uploaded (`/uploads/2019/06/27/…`) beats
    // any other, as two independent sources agree on it.
    let headline = (0..dom.len()).find(|&i| dom.nodes[i].tag == "h1" && !skip[i]);
    let mut best_time: Option<(usize, DateTime<FixedOffset>)> = None;
    let mut consider = |i: usize, d: Option<DateTime<FixedOffset>>| {
        if let Some(d) = d {
            let agrees = image_date.is_some_and(|m| m.date_naive() == d.date_naive());
            let dist = if agrees {
                0
            } else {
                1 + headline.map_or(i, |h| h.abs_diff(i))
            };
            if best_time.is_none_or(|(bd, _)| dist < bd) {
                best_time = Some((dist, d));
            }
        }
    };
    for i in 0..dom.len() {
        if !dom.is_element(i) || skip[i] || in_skipped_region(dom, i, skip) {
            continue;
        }
        let tag = dom.nodes[i].tag;
        // Microdata (`itemprop`) and RDFa (`property="schema:datePublished"`).
        let prop = dom
            .attr(i, "itemprop")
            .or_else(|| dom.attr(i, "property"))
            .unwrap_or("");
        let prop = prop.rsplit(':').next().unwrap_or(prop);
        if prop.eq_ignore_ascii_case("datePublished") || prop.eq_ignore_ascii_case("dateCreated") {
            let v = dom
                .attr(i, "content")
                .or_else(|| dom.attr(i, "datetime"))
                .map(str::to_string)
                .unwrap_or_else(|| dom.raw_text_limited(i, 400).unwrap_or_default());
            if let Some(d) = parse_machine_date(&v) {
                return Some(d);
            }
        }
        if !itemprop_only && (tag == "time" || (tag == "abbr" && dom.attr(i, "title").is_some())) {
            let class = dom.attr(i, "class").unwrap_or("").to_ascii_lowercase();
            let v = dom
                .attr(i, "datetime")
                .or_else(|| dom.attr(i, "title"))
                .map(str::to_string)
                .unwrap_or_else(|| dom.raw_text_limited(i, 400).unwrap_or_default());
            let d = parse_machine_date(&v);
            if d.is_some()
                && (dom.attr(i, "pubdate").is_some()
                    || class.contains("publish")
                    || class.contains("entry-date")
                    || class.contains("post-date"))
            {
                return d;
            }
            if !class.contains("updat") && !class.contains("modif") {
                consider(i, d);
            }
        }
        // `<span class="published|updated" title="2013-04-04T18:52:11">`
        if !itemprop_only
            && tag != "time"
            && tag != "abbr"
            && let Some(title) = dom.attr(i, "title")
            && title.len() < 40
            && dom
                .attr(i, "class")
                .is_some_and(|c| c.contains("published") || c.contains("updated") || c.contains("date"))
        {
            consider(i, parse_machine_date(title));
        }
    }
    best_time.map(|(_, d)| d)
}

/// A date printed in an element whose class says it holds the date or the
/// article's meta line.
fn classed_text_date(dom: &Dom, skip: &[bool]) -> Option<DateTime<FixedOffset>> {
    for i in 0..dom.len() {
        if !dom.is_element(i) || skip[i] {
            continue;
        }
        let ci = dom.class_id(i);
        if ci.is_empty() || !DATE_CLASS.is_match(ci) {
            continue;
        }
        let end = dom.nodes[i].end as usize;
        if end - i > 60 {
            continue;
        }
        let t = dom.text_content(i);
        if t.len() > 200 {
            continue;
        }
        if let Some(d) = parse_text_date(&t) {
            return Some(d);
        }
    }
    None
}

/// How far into a text a date may start to count as its time stamp
/// ("Posted on Thursday, August 6th, 2009 by …"); a date further in is
/// usually about something in the story or a caption ("photo taken on
/// 31.05.2021"), so longer heads are read only when no page has a stamp.
const DATE_LINE_HEAD: usize = 60;
const DATE_LINE_HEAD_LONG: usize = 120;

/// The first `chars` characters of `t`.
fn text_head(t: &str, chars: usize) -> &str {
    match t.char_indices().nth(chars) {
        Some((b, _)) => &t[..b],
        None => t,
    }
}

/// The first full date in visible text outside furniture, starting within
/// the first `head` characters of a text.
fn first_text_date(dom: &Dom, skip: &[bool], head: usize) -> Option<DateTime<FixedOffset>> {
    let body = (0..dom.len()).find(|&i| dom.nodes[i].tag == "body")?;
    let mut update_only = None;
    for i in body..dom.nodes[body].end as usize {
        if skip[i] {
            continue;
        }
        if let Kind::Text(t) = dom.nodes[i].kind {
            // A date opens a paragraph ("01.02.2022 – The agency said…")
            // or stands alone; one deep inside running text is about
            // something else.
            let head = text_head(t, head);
            if head.bytes().any(|b| b.is_ascii_digit())
                && let Some((d, update)) = text_date_marked(head)
            {
                if !update {
                    return Some(d);
                }
                update_only.get_or_insert(d);
            }
        }
    }
    update_only
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published_day(html: &str) -> Option<String> {
        crate::ArticleExtractor::default()
            .extract(html.as_bytes(), Some("https://news.example/fa/x"), None)
            .ok()?
            .published
            .map(|d| d.date_naive().to_string())
    }

    const BODY: &str = "<p>خشکسالی امسال حاصلات گندم را در ولایت بلخ کاهش داده است و دهقانان \
        از کمبود آب آبیاری شکایت دارند. مسئولان محلی می‌گویند کمک‌ها در راه است و \
        برنامه‌ای برای حفر چاه‌های تازه آماده شده است.</p>";

    #[test]
    fn an_articles_own_header_box_is_not_page_furniture() {
        // The theme's top bar prints today's date; the article's header box
        // ("td-post-header") prints the publish date.
        let html = format!(
            "<html lang=\"fa\"><body><div class=\"td-header-wrap\"><div class=\"td_data_time\">\
             یکشنبه، ۳۰ جدی ۱۴۰۳</div></div><article><div class=\"td-post-header\">\
             <h1>خشکسالی در بلخ</h1><span class=\"td-post-date\">جمعه ۲۸ جدی ۱۴۰۳</span></div>\
             <div class=\"td-post-content\">{BODY}</div></article></body></html>"
        );
        assert_eq!(published_day(&html).as_deref(), Some("2025-01-17"));
    }

    #[test]
    fn a_today_clock_is_not_the_publish_date() {
        let html = format!(
            "<html lang=\"fa\"><body><table><tr><td><font>امروز: شنبه 1403/09/17</font></td></tr>\
             <tr><td><b>برداشت زعفران آغاز شد</b></td></tr><tr><td><font>کد خبر: 41872 \
             تاریخ: 1403/08/25 ساعت: 13:40</font></td></tr><tr><td>{BODY}</td></tr></table></body></html>"
        );
        assert_eq!(published_day(&html).as_deref(), Some("2024-11-15"));
    }

    #[test]
    fn machine_dates_keep_offset() {
        let d = parse_machine_date("2015-07-24T05:36:09+01:00").unwrap();
        assert_eq!(d.offset().local_minus_utc(), 3600);
        assert_eq!(d.to_rfc3339(), "2015-07-24T05:36:09+01:00");
        let d = parse_machine_date("2021-11-01T10:52:50+0100").unwrap();
        assert_eq!(d.offset().local_minus_utc(), 3600);
        assert!(parse_machine_date("2024-12-06T22:00:40.000Z").is_some());
        assert!(parse_machine_date("Thu, 06 Aug 2009 10:00:00 +0200").is_some());
    }

    #[test]
    fn old_machine_dates_are_kept_but_placeholders_refused() {
        let d = |s: &str| parse_machine_date(s).map(|d| d.date_naive().to_string());
        assert_eq!(d("1987-02-26T15:49:44Z").as_deref(), Some("1987-02-26"));
        assert_eq!(d("Thu, 26 Feb 1987 15:49:44 +0000").as_deref(), Some("1987-02-26"));
        assert_eq!(d("1970-01-01T00:00:00Z"), None);
        assert_eq!(d("0001-01-01"), None);
        // Guessed from a URL or free text, an old year stays suspect.
        assert_eq!(url_date("https://x.com/1987/02/26/story"), None);
    }

    #[test]
    fn text_dates_in_several_languages() {
        let d = |s: &str| parse_text_date(s).map(|d| d.date_naive().to_string());
        assert_eq!(d("Donnerstag, 6. August 2009").as_deref(), Some("2009-08-06"));
        assert_eq!(d("Posted on August 6, 2009 by admin").as_deref(), Some("2009-08-06"));
        assert_eq!(d("06.08.2009, 12:00").as_deref(), Some("2009-08-06"));
        assert_eq!(d("le 3 décembre 2023").as_deref(), Some("2023-12-03"));
        assert_eq!(d("no date here"), None);
        assert_eq!(
            d("Letzte Änderung: 31.10.2023 - 14:49 Erschienen am: 01.11.2023").as_deref(),
            Some("2023-11-01")
        );
        assert_eq!(d("Updated April 29, 2019").as_deref(), Some("2019-04-29"));
    }

    #[test]
    fn url_dates() {
        let d = |s: &str| url_date(s).map(|d| d.date_naive().to_string());
        assert_eq!(d("https://x.com/2023/12/03/story").as_deref(), Some("2023-12-03"));
        assert_eq!(d("https://x.com/news/20231203-story").as_deref(), Some("2023-12-03"));
        assert_eq!(d("https://x.com/2018/story"), None);
    }
}
