//! What a page says about its lead image: the `alt` text, the caption and
//! the credit (photographer, agency, copyright holder). The picture is
//! shown on khabar's pages and in its JSON-LD, so its credit must travel
//! with it.
//!
//! Sources, in order of trust: the image's own JSON-LD object (`caption`,
//! `creditText`, `copyrightHolder`, `author`), then the `<figure>` holding
//! an `<img>` of the same picture (`figcaption`, credit/copyright markup
//! inside it), then `og:image:alt` / `twitter:image:alt` and the `<img>`'s
//! own `alt`. Nothing is taken from a figure that does not show the lead
//! image: a caption of another picture would mislabel this one.

use serde_json::Value;

use crate::dom::{Dom, Kind, NONE};

/// Longest caption kept; longer "captions" are body text in a figure.
const MAX_CAPTION: usize = 600;
/// Longest credit kept.
const MAX_CREDIT: usize = 160;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct LeadImageText {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Describes the image at `lead` (already resolved to an absolute URL).
pub(crate) fn describe(dom: &Dom, lead: &str) -> LeadImageText {
    let key = image_key(lead);
    let mut out = LeadImageText::default();
    let mut meta_alt = None;
    let mut scripts = Vec::new();
    let mut figure = None;
    for i in 0..dom.len() {
        match dom.nodes[i].tag {
            "meta" => {
                let name = dom
                    .attr(i, "property")
                    .or_else(|| dom.attr(i, "name"))
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                if meta_alt.is_none() && (name == "og:image:alt" || name == "twitter:image:alt") {
                    meta_alt = dom.attr(i, "content").and_then(clean_short);
                }
            }
            "script"
                if dom
                    .attr(i, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                scripts.push(dom.raw_text(i));
            }
            "img" if figure.is_none() && !key.is_empty() && img_shows(dom, i, &key) => {
                figure = Some(i);
            }
            _ => {}
        }
    }
    for raw in &scripts {
        if let Ok(v) = serde_json::from_str::<Value>(raw.trim())
            && let Some(o) = find_image_object(&v, &key)
        {
            out.caption = o
                .get("caption")
                .and_then(text_of)
                .or_else(|| o.get("description").and_then(text_of))
                .and_then(|c| clean(&c, MAX_CAPTION));
            out.credit = o
                .get("creditText")
                .and_then(text_of)
                .or_else(|| o.get("copyrightHolder").and_then(name_of))
                .or_else(|| o.get("author").and_then(name_of))
                .or_else(|| o.get("creator").and_then(name_of))
                .or_else(|| o.get("copyrightNotice").and_then(text_of))
                .and_then(|c| clean(&c, MAX_CREDIT));
            break;
        }
    }
    if let Some(img) = figure {
        let img_alt = dom.attr(img, "alt").and_then(clean_short);
        if let Some(fig) = enclosing_figure(dom, img) {
            let (caption, credit) = figure_text(dom, fig);
            out.caption = out.caption.or(caption);
            out.credit = out.credit.or(credit);
        }
        meta_alt = meta_alt.or(img_alt);
    }
    out.alt = meta_alt;
    if let (Some(cap), Some(cr)) = (&out.caption, &out.credit) {
        out.caption = strip_trailing_credit(cap, cr);
    }
    out
}

/// The part of an image URL that survives resizing services and CDNs: the
/// file name without extension and size suffixes, lower-cased. Two URLs of
/// one picture at different sizes share it.
fn image_key(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let stem = stem.to_ascii_lowercase();
    // "photo-1024x576" / "photo_800" → "photo"
    let trimmed = stem
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == 'x')
        .trim_end_matches(['-', '_']);
    if trimmed.len() >= 6 { trimmed.to_string() } else { stem }
}

/// Whether `<img>` `i` (or its `srcset`/lazy-load attributes) shows the picture.
fn img_shows(dom: &Dom, i: usize, key: &str) -> bool {
    [
        "src",
        "data-src",
        "data-original",
        "data-lazy-src",
        "srcset",
        "data-srcset",
    ]
    .iter()
    .filter_map(|a| dom.attr(i, a))
    .flat_map(|v| v.split(','))
    .filter_map(|c| c.split_whitespace().next())
    .any(|u| image_key(u) == key)
}

fn enclosing_figure(dom: &Dom, img: usize) -> Option<usize> {
    let mut p = dom.nodes[img].parent;
    let mut up = 0;
    while p != NONE && up < 6 {
        let i = p as usize;
        if dom.nodes[i].tag == "figure" {
            return Some(i);
        }
        p = dom.nodes[i].parent;
        up += 1;
    }
    None
}

/// A class, id or itemprop that marks a credit line.
fn is_credit_marker(dom: &Dom, i: usize) -> bool {
    let ci = dom.class_id(i).to_ascii_lowercase();
    let prop = dom.attr(i, "itemprop").unwrap_or("").to_ascii_lowercase();
    // Not "author" or "byline": a figure in an article header often sits
    // beside the story's byline, which is not the picture's credit.
    ["credit", "copyright", "photographer"]
        .iter()
        .any(|w| ci.contains(w) || prop.contains(w))
}

/// Caption and credit of a figure: the `figcaption` text less any credit
/// element inside it; a credit element may also sit outside the caption.
fn figure_text(dom: &Dom, fig: usize) -> (Option<String>, Option<String>) {
    let end = dom.nodes[fig].end as usize;
    let mut credit_nodes: Vec<usize> = Vec::new();
    let mut caption_node = None;
    let mut i = fig + 1;
    while i < end {
        if dom.is_element(i) {
            if is_credit_marker(dom, i) {
                credit_nodes.push(i);
                i = dom.nodes[i].end as usize;
                continue;
            }
            if caption_node.is_none() && dom.nodes[i].tag == "figcaption" {
                caption_node = Some(i);
            }
        }
        i += 1;
    }
    let credit = credit_nodes
        .iter()
        .find_map(|&c| dom.raw_text_limited(c, 2000))
        .and_then(|t| clean(&t, MAX_CREDIT));
    let caption = caption_node
        .and_then(|c| text_without(dom, c, &credit_nodes, 4000))
        .and_then(|t| clean(&t, MAX_CAPTION));
    (caption, credit)
}

/// Text under `i` leaving out the subtrees in `skip`, or `None` past `max` bytes.
fn text_without(dom: &Dom, i: usize, skip: &[usize], max: usize) -> Option<String> {
    let end = dom.nodes[i].end as usize;
    let mut out = String::new();
    let mut j = i;
    while j < end {
        if skip.contains(&j) {
            j = dom.nodes[j].end as usize;
            out.push(' ');
            continue;
        }
        match dom.nodes[j].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Element(_) if matches!(dom.nodes[j].tag, "br" | "p" | "span" | "div") => out.push(' '),
            _ => {}
        }
        if out.len() > max {
            return None;
        }
        j += 1;
    }
    Some(out)
}

/// The JSON-LD object describing the lead image: an `image` of any object
/// (an `ImageObject` or a list of them) whose URL is the picture, or the
/// first `ImageObject` of an article's `image` when only one is given.
fn find_image_object<'v>(v: &'v Value, key: &str) -> Option<&'v serde_json::Map<String, Value>> {
    match v {
        Value::Array(a) => a.iter().find_map(|x| find_image_object(x, key)),
        Value::Object(o) => {
            let is_image = o.get("@type").is_some_and(|t| type_is(t, "ImageObject"));
            if is_image && url_matches(o, key) && has_text(o) {
                return Some(o);
            }
            o.values()
                .filter(|x| x.is_array() || x.is_object())
                .find_map(|x| find_image_object(x, key))
        }
        _ => None,
    }
}

fn type_is(t: &Value, want: &str) -> bool {
    match t {
        Value::String(s) => s == want,
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some(want)),
        _ => false,
    }
}

fn url_matches(o: &serde_json::Map<String, Value>, key: &str) -> bool {
    ["url", "contentUrl", "@id"]
        .iter()
        .filter_map(|k| o.get(*k).and_then(Value::as_str))
        .any(|u| image_key(u) == key)
}

fn has_text(o: &serde_json::Map<String, Value>) -> bool {
    [
        "caption",
        "creditText",
        "copyrightHolder",
        "author",
        "creator",
        "copyrightNotice",
        "description",
    ]
    .iter()
    .any(|k| o.contains_key(*k))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("text").or_else(|| o.get("@value")).and_then(text_of),
        Value::Array(a) => a.iter().find_map(text_of),
        _ => None,
    }
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(text_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

/// Alt text worth keeping: not markup, not a file name (`IMG_4383.jpg`,
/// `twitter-lite`), which says nothing to a reader of a screen reader.
fn clean_short(s: &str) -> Option<String> {
    let t = clean(s, MAX_CAPTION)?;
    let lower = t.to_ascii_lowercase();
    let file_like = [".jpg", ".jpeg", ".png", ".gif", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
        || (!t.contains(' ') && (t.contains('-') || t.contains('_')));
    (!file_like && !t.contains('<')).then_some(t)
}

/// Whitespace collapsed, entities decoded, empty or over-long dropped.
fn clean(s: &str, max: usize) -> Option<String> {
    let t = khabar_text::collapse_whitespace(&crate::meta::unescape_entities(s));
    let t = t.trim();
    (!t.is_empty() && t.chars().count() <= max).then(|| t.to_string())
}

/// "A street in Tehran. Photo: Jane Doe" with credit "Photo: Jane Doe" →
/// "A street in Tehran."
fn strip_trailing_credit(caption: &str, credit: &str) -> Option<String> {
    let c = caption.trim_end();
    let stripped = c.strip_suffix(credit.trim()).map(str::trim_end).unwrap_or(c);
    let stripped = stripped.trim_end_matches(['|', '/', '-', '–', '—', '(']).trim_end();
    (!stripped.is_empty()).then(|| stripped.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_html(html: &str, lead: &str) -> LeadImageText {
        let doc = scraper::Html::parse_document(html);
        let dom = Dom::build(&doc);
        describe(&dom, lead)
    }

    #[test]
    fn figure_caption_and_credit_of_the_same_picture() {
        let html = r#"<html><head><meta property="og:image" content="https://x.example/img/tehran-street-1200x675.jpg?w=1200">
        <meta property="og:image:alt" content="A busy street"></head><body><article>
        <figure><img src="/img/other-picture.jpg"><figcaption>Not this one</figcaption></figure>
        <figure><img src="https://x.example/img/tehran-street-800x450.jpg" alt="street">
        <figcaption>Shoppers in central Tehran. <span class="image-credit">Photo: Jane Doe/Agency</span></figcaption></figure>
        <p>Body.</p></article></body></html>"#;
        let d = describe_html(html, "https://x.example/img/tehran-street-1200x675.jpg?w=1200");
        assert_eq!(d.alt.as_deref(), Some("A busy street"));
        assert_eq!(d.caption.as_deref(), Some("Shoppers in central Tehran."));
        assert_eq!(d.credit.as_deref(), Some("Photo: Jane Doe/Agency"));
    }

    #[test]
    fn json_ld_image_object_wins() {
        let html = r#"<html><head><script type="application/ld+json">
        {"@context":"https://schema.org","@type":"NewsArticle","image":{"@type":"ImageObject",
         "url":"https://x.example/a/lead.jpg","caption":"Officials meet in Vienna","creditText":"Reuters"}}
        </script></head><body><figure><img src="https://x.example/a/lead.jpg"><figcaption>Other text</figcaption></figure></body></html>"#;
        let d = describe_html(html, "https://x.example/a/lead.jpg");
        assert_eq!(d.caption.as_deref(), Some("Officials meet in Vienna"));
        assert_eq!(d.credit.as_deref(), Some("Reuters"));
    }

    #[test]
    fn a_figure_of_another_picture_says_nothing() {
        let html = r#"<html><body><figure><img src="/x/unrelated-map.png"><figcaption>A map</figcaption></figure></body></html>"#;
        let d = describe_html(html, "https://x.example/y/lead-photo.jpg");
        assert_eq!(d, LeadImageText::default());
    }

    #[test]
    fn size_suffixes_do_not_hide_the_same_picture() {
        assert_eq!(image_key("https://a/b/photo-name-1024x576.jpg"), "photo-name");
        assert_eq!(image_key("https://a/b/photo-name.jpg?w=320"), "photo-name");
        assert_ne!(image_key("https://a/b/one.jpg"), image_key("https://a/b/two.jpg"));
    }
}
