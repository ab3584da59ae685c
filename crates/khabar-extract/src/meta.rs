//! Page metadata: headline, byline, description, site name, canonical URL,
//! lead image and declared language.
//!
//! Sources are tried from the most deliberate (JSON-LD, Dublin Core, Open
//! Graph) to the most incidental (`<title>`, byline-classed elements), in
//! the order Mozilla Readability established; its test pages are the gold
//! this is measured on.

use std::collections::HashMap;

use crate::dom::Dom;
use crate::jsonld::{self, JsonLd};
use crate::patterns;

#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub site_name: Option<String>,
    pub canonical: Option<String>,
    pub image: Option<String>,
    pub lang: Option<String>,
    /// The declared language tag as written (`fa-AF`), for region hints.
    pub lang_tag: Option<String>,
    /// Raw `<meta>` values by normalised key, for the date stage.
    pub values: HashMap<String, String>,
    pub jsonld: JsonLd,
    pub base_href: Option<String>,
}

/// Collects the raw facts of `<head>` (and JSON-LD anywhere).
pub fn collect(dom: &Dom) -> PageMeta {
    let mut pm = PageMeta::default();
    let mut scripts = Vec::new();
    let mut doc_title: Option<String> = None;
    let mut html_lang = None;
    let mut content_language = None;
    let mut canonical = None;
    for i in 0..dom.len() {
        match dom.nodes[i].tag {
            "html" if html_lang.is_none() => html_lang = dom.attr(i, "lang").or_else(|| dom.attr(i, "xml:lang")),
            "title" if doc_title.is_none() && !dom.has_ancestor(i, "svg", 64) => {
                doc_title = Some(dom.raw_text(i).trim().to_string())
            }
            "base" if pm.base_href.is_none() => pm.base_href = dom.attr(i, "href").map(str::to_string),
            "link" => {
                if let Some(rel) = dom.attr(i, "rel")
                    && rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    && canonical.is_none()
                {
                    canonical = dom.attr(i, "href").map(str::to_string);
                }
            }
            "script" => match dom.attr(i, "type") {
                Some(t) if t.trim().eq_ignore_ascii_case("application/ld+json") => scripts.push(dom.raw_text(i)),
                // Untyped scripts sometimes carry schema.org data too.
                None => {
                    let t = dom.raw_text(i);
                    let head = t.trim_start();
                    if head.starts_with('{') && head.get(..200).unwrap_or(head).contains("schema.org") {
                        scripts.push(t);
                    }
                }
                _ => {}
            },
            "meta" => collect_meta(dom, i, &mut pm.values, &mut content_language),
            _ => {}
        }
    }
    pm.jsonld = jsonld::parse(&scripts);
    let v = &pm.values;
    let get = |k: &str| v.get(k).filter(|s| !s.is_empty()).cloned();

    let doc_title = doc_title.unwrap_or_default();
    let article_title = readability_title(dom, &doc_title);
    let j = &pm.jsonld;
    let jsonld_title = match (&j.name, &j.headline) {
        (Some(n), Some(h)) if n != h => {
            let nm = similarity(n, &article_title) > 0.75;
            let hm = similarity(h, &article_title) > 0.75;
            if hm && !nm { Some(h.clone()) } else { Some(n.clone()) }
        }
        (Some(n), _) => Some(n.clone()),
        (None, Some(h)) => Some(h.clone()),
        _ => None,
    };
    pm.title = jsonld_title
        .filter(|t| !t.is_empty())
        .or_else(|| get("dc:title"))
        .or_else(|| get("dcterm:title"))
        .or_else(|| get("og:title"))
        .or_else(|| get("weibo:article:title"))
        .or_else(|| get("weibo:webpage:title"))
        .or_else(|| get("title"))
        .or_else(|| get("twitter:title"))
        .or_else(|| get("parsely-title"))
        .or_else(|| Some(article_title).filter(|t| !t.is_empty()))
        .map(|t| unescape_entities(&t));

    let jsonld_byline = if j.authors.is_empty() {
        None
    } else {
        Some(j.authors.join(", "))
    };
    pm.byline = jsonld_byline
        .or_else(|| get("dc:creator"))
        .or_else(|| get("dcterm:creator"))
        .or_else(|| get("author"))
        .or_else(|| get("parsely-author"))
        .map(|t| unescape_entities(&t));
    if pm.byline.is_none() {
        pm.byline = dom_byline(dom);
    }
    pm.authors = if !j.authors.is_empty() {
        j.authors.clone()
    } else {
        pm.byline.as_deref().map(split_authors).unwrap_or_default()
    };
    pm.description = j
        .description
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| get("dc:description"))
        .or_else(|| get("dcterm:description"))
        .or_else(|| get("og:description"))
        .or_else(|| get("description"))
        .or_else(|| get("twitter:description"))
        .map(|t| unescape_entities(&t));
    pm.site_name = j
        .publisher
        .clone()
        .or_else(|| get("og:site_name"))
        .map(|t| unescape_entities(&t));
    pm.canonical = canonical.or_else(|| get("og:url"));
    pm.image = get("og:image")
        .or_else(|| get("twitter:image"))
        .or_else(|| j.image.clone());
    pm.lang_tag = html_lang
        .map(str::to_string)
        .or(content_language)
        .or_else(|| get("og:locale"));
    pm.lang = pm.lang_tag.as_deref().and_then(normalise_lang);
    pm
}

fn collect_meta(dom: &Dom, i: usize, values: &mut HashMap<String, String>, content_language: &mut Option<String>) {
    let Some(content) = dom.attr(i, "content") else {
        return;
    };
    let content = content.trim();
    if let Some(he) = dom.attr(i, "http-equiv")
        && he.eq_ignore_ascii_case("content-language")
        && content_language.is_none()
    {
        *content_language = Some(content.to_string());
    }
    if content.is_empty() {
        return;
    }
    let mut matched = false;
    if let Some(prop) = dom.attr(i, "property") {
        for p in prop.split_ascii_whitespace() {
            let key = p.to_ascii_lowercase();
            let useful = key.starts_with("og:")
                || key.starts_with("article:")
                || key.starts_with("dc:")
                || key.starts_with("dcterm:")
                || key.starts_with("dcterms:")
                || key.starts_with("twitter:");
            if useful {
                matched = true;
                // Readability keeps the last value of a repeated property.
                values.insert(key, content.to_string());
            }
        }
    }
    if !matched {
        // Other namespaces' properties (`<site>:uploaded`) last.
        let name = dom
            .attr(i, "name")
            .or_else(|| dom.attr(i, "itemprop"))
            .or_else(|| dom.attr(i, "property"));
        if let Some(name) = name {
            let key: String = name
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
                .replace('.', ":");
            values.entry(key).or_insert_with(|| content.to_string());
        }
    }
}

/// The `<title>` cleaned the Readability way: a site-name part after a
/// separator is cut unless that leaves too few words.
pub fn readability_title(dom: &Dom, orig: &str) -> String {
    let orig = orig.trim();
    let word_count = |s: &str| s.split_whitespace().count().max(1);
    let seps = ['|', '-', '–', '—', '\\', '/', '>', '»'];
    let has_sep = |s: &str| {
        let b: Vec<char> = s.chars().collect();
        b.windows(3).any(|w| w[0] == ' ' && seps.contains(&w[1]) && w[2] == ' ')
    };
    let mut had_hier = false;
    let mut cur: String;
    if has_sep(orig) {
        let chars: Vec<char> = orig.chars().collect();
        had_hier = chars
            .windows(3)
            .any(|w| w[0] == ' ' && ['\\', '/', '>', '»'].contains(&w[1]) && w[2] == ' ');
        // Everything before the last "<sep> ".
        let mut cut = None;
        for k in (0..chars.len().saturating_sub(1)).rev() {
            if seps.contains(&chars[k]) && chars[k + 1] == ' ' {
                cut = Some(k);
                break;
            }
        }
        cur = match cut {
            Some(k) => chars[..k].iter().collect(),
            None => orig.to_string(),
        };
        if word_count(&cur) < 3 {
            // Drop the first part instead.
            if let Some(k) = chars.iter().position(|c| seps.contains(c)) {
                cur = chars[k + 1..].iter().collect();
            }
        }
    } else if orig.contains(": ") {
        let trimmed = orig.trim();
        let matches_heading = (0..dom.len())
            .filter(|&i| matches!(dom.nodes[i].tag, "h1" | "h2"))
            .any(|i| dom.raw_text(i).trim() == trimmed);
        if matches_heading {
            cur = orig.to_string();
        } else {
            let last = orig.rfind(':').map_or(0, |p| p + 1);
            cur = orig[last..].to_string();
            if word_count(&cur) < 3 {
                let first = orig.find(':').map_or(0, |p| p + 1);
                cur = orig[first..].to_string();
            } else if word_count(&orig[..orig.find(':').unwrap_or(0)]) > 5 {
                cur = orig.to_string();
            }
        }
    } else if orig.chars().count() > 150 || orig.chars().count() < 15 {
        let h1s: Vec<usize> = (0..dom.len()).filter(|&i| dom.nodes[i].tag == "h1").collect();
        cur = if h1s.len() == 1 {
            dom.text_content(h1s[0])
        } else {
            orig.to_string()
        };
    } else {
        cur = orig.to_string();
    }
    let cur = khabar_text::collapse_whitespace(cur.trim());
    let wc = word_count(&cur);
    let stripped: String = orig.chars().filter(|c| !seps.contains(c)).collect();
    if wc <= 4 && (!had_hier || wc + 1 != word_count(&stripped)) {
        return orig.to_string();
    }
    cur
}

/// Share of `b`'s token text also found in `a` (Readability's measure).
fn similarity(a: &str, b: &str) -> f32 {
    let toks = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    let ta = toks(a);
    let tb = toks(b);
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let uniq: Vec<&String> = tb.iter().filter(|t| !ta.contains(t)).collect();
    let uniq_len = uniq.iter().map(|t| t.len()).sum::<usize>() + uniq.len().saturating_sub(1);
    let all_len = tb.iter().map(|t| t.len()).sum::<usize>() + tb.len() - 1;
    1.0 - uniq_len as f32 / all_len as f32
}

/// The first visible element marked as a byline (rel=author,
/// itemprop=author, byline/author classes) with short text.
fn dom_byline(dom: &Dom) -> Option<String> {
    let mut i = 0;
    let n = dom.len();
    while i < n {
        let node = &dom.nodes[i];
        if !dom.is_element(i) || matches!(node.tag, "script" | "style" | "noscript" | "template" | "head") {
            i = if dom.is_element(i) { node.end as usize } else { i + 1 };
            continue;
        }
        if dom.attr(i, "hidden").is_some()
            || dom.attr(i, "aria-hidden") == Some("true")
            || dom
                .attr(i, "style")
                .is_some_and(|s| s.replace(' ', "").contains("display:none"))
        {
            i = node.end as usize;
            continue;
        }
        let ci = dom.class_id(i);
        let rel = dom.attr(i, "rel");
        let itemprop = dom.attr(i, "itemprop");
        let is_byline = rel == Some("author")
            || itemprop.is_some_and(|p| p.contains("author"))
            || (!ci.is_empty() && patterns::BYLINE.is_match(ci));
        if is_byline && let Some(t) = dom.raw_text_limited(i, 2000) {
            let t = t.trim();
            if !t.is_empty() && t.chars().count() < 100 {
                return Some(t.to_string());
            }
        }
        let tag = node.tag;
        if !ci.is_empty()
            && tag != "body"
            && tag != "a"
            && patterns::UNLIKELY_READABILITY.is_match(ci)
            && !patterns::MAYBE_OK_READABILITY.is_match(ci)
            && !dom.has_ancestor(i, "table", 3)
        {
            i = node.end as usize;
            continue;
        }
        i += 1;
    }
    None
}

/// "Stella Kim, Jennifer Jett and Jo Li" -> three names.
pub fn split_authors(byline: &str) -> Vec<String> {
    let mut s = byline.trim();
    for p in ["By ", "by ", "BY ", "Par ", "Von ", "Por ", "Di "] {
        if let Some(r) = s.strip_prefix(p) {
            s = r;
        }
    }
    s.split([',', ';', '،', '|', '\n'])
        .flat_map(|p| {
            p.split(" and ")
                .flat_map(|q| q.split(" & "))
                .flat_map(|q| q.split(" و "))
        })
        .map(khabar_text::collapse_whitespace)
        .filter(|p| !p.is_empty() && p.chars().count() < 60 && !p.starts_with("http"))
        .collect()
}

pub fn normalise_lang(l: &str) -> Option<String> {
    let l = l.trim().split([',', ';']).next()?.trim().replace('_', "-");
    let primary = l.split('-').next()?.to_ascii_lowercase();
    if primary.len() < 2 || primary.len() > 3 || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(primary)
}

/// Undoes the double-escaping some sites apply to meta content.
pub fn unescape_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let replaced = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "quot" => Some('"'),
                "amp" => Some('&'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let v = if let Some(h) = num.strip_prefix(['x', 'X']) {
                        u32::from_str_radix(h, 16).ok()?
                    } else {
                        num.parse().ok()?
                    };
                    Some(char::from_u32(v).unwrap_or('\u{FFFD}'))
                }
            }?;
            Some((c, e + 1))
        });
        match replaced {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Resolves `href` against the page URL (and `<base href>`).
pub fn resolve(base: Option<&url::Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if let Ok(u) = url::Url::parse(href) {
        return Some(u.to_string());
    }
    base.and_then(|b| b.join(href).ok()).map(|u| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn meta(html: &str) -> PageMeta {
        let h = Html::parse_document(html);
        let d = Dom::build(&h);
        collect(&d)
    }

    #[test]
    fn title_drops_site_suffix() {
        let m = meta("<title>Iran and the talks that never end - Example News</title>");
        assert_eq!(m.title.as_deref(), Some("Iran and the talks that never end"));
    }

    #[test]
    fn og_title_and_meta_author() {
        let m = meta(
            "<head><meta property='og:title' content='The Real Headline'><meta name='author' content='Jane Doe'>\
             <meta property='og:site_name' content='Example'><link rel=canonical href='/a/b'></head>",
        );
        assert_eq!(m.title.as_deref(), Some("The Real Headline"));
        assert_eq!(m.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(m.site_name.as_deref(), Some("Example"));
        assert_eq!(m.canonical.as_deref(), Some("/a/b"));
    }

    #[test]
    fn byline_from_dom() {
        let m = meta("<body><div class='byline'>By Humeyra Pamuk</div><p>Text</p></body>");
        assert_eq!(m.byline.as_deref(), Some("By Humeyra Pamuk"));
        assert_eq!(m.authors, vec!["Humeyra Pamuk"]);
    }

    #[test]
    fn entities_unescaped() {
        assert_eq!(unescape_entities("Tom &amp; Jerry &#39;x&#x27;"), "Tom & Jerry 'x'");
        assert_eq!(unescape_entities("a & b"), "a & b");
    }

    #[test]
    fn authors_split() {
        assert_eq!(
            split_authors("By Stella Kim, Jennifer Jett and Jo Li"),
            vec!["Stella Kim", "Jennifer Jett", "Jo Li"]
        );
    }
}
