//! Finds executable constructs in what the site emits, the way a browser or
//! a feed reader would meet them: HTML is parsed with html5ever (through
//! scraper), feeds with an XML parser, and every feed field a reader renders
//! as HTML is parsed again as an HTML fragment.

use scraper::{ElementRef, Html, Node};

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "poster",
    "xlink:href",
    "srcset",
    "dynsrc",
    "lowsrc",
    "cite",
    "longdesc",
    "usemap",
    "codebase",
    "profile",
];

/// Elements that run code, load another document, or send the reader away.
const EXECUTABLE_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
    "isindex", "xml", "import",
];

/// Lower-cased with white space and control characters removed, as a
/// browser reads a URL scheme (`java\tscript:` is `javascript:`).
fn squeezed(v: &str) -> String {
    v.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

fn bad_url(v: &str) -> bool {
    let v = squeezed(v);
    [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "livescript:",
        "mocha:",
    ]
    .iter()
    .any(|s| v.starts_with(s) || v.contains(&format!(",{s}")))
}

fn bad_css(v: &str) -> bool {
    let v = squeezed(v).replace('\\', "");
    v.contains("expression(")
        || v.contains("url(javascript:")
        || v.contains("url(\"javascript:")
        || v.contains("url('javascript:")
        || v.contains("url(vbscript:")
        || v.contains("-moz-binding")
        || v.contains("behavior:")
}

/// What the site's own templates may hold: its JSON-LD block (which must
/// still parse as JSON: a break-out would cut it short), its own scripts
/// under `/static/`, and forms that post to its own paths.
fn is_site_own(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    match v.name() {
        "script" => match (v.attr("type"), v.attr("src")) {
            (Some("application/ld+json"), None) => {
                let text: String = el.text().collect();
                serde_json::from_str::<serde_json::Value>(&text).is_ok()
            }
            (None, Some(src)) => src.starts_with("/static/"),
            _ => false,
        },
        "form" => v
            .attr("action")
            .is_some_and(|a| a.starts_with('/') && !a.starts_with("//")),
        _ => false,
    }
}

/// Every executable construct in parsed HTML, described; `allow_site_own`
/// for whole pages of the site, whose templates hold a few of their own.
fn findings(doc: &Html, allow_site_own: bool) -> Vec<String> {
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(_) = node.value() else {
            continue;
        };
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let v = el.value();
        let name = v.name();
        if EXECUTABLE_ELEMENTS.contains(&name) && !(allow_site_own && is_site_own(&el)) {
            out.push(format!("<{name}>"));
        }
        if name == "meta"
            && v.attr("http-equiv").is_some_and(|h| {
                h.eq_ignore_ascii_case("refresh") || h.eq_ignore_ascii_case("set-cookie")
            })
        {
            out.push("<meta http-equiv>".into());
        }
        if name == "link"
            && v.attr("rel")
                .is_some_and(|r| r.eq_ignore_ascii_case("import"))
        {
            out.push("<link rel=import>".into());
        }
        if name == "style" {
            let css: String = el.text().collect();
            if bad_css(&css) {
                out.push("<style> with script".into());
            }
        }
        for (attr, value) in v.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                out.push(format!("<{name} {attr}=…>"));
            }
            if URL_ATTRS.contains(&attr.as_str()) && bad_url(value) {
                out.push(format!("<{name} {attr}={value:?}>"));
            }
            if attr == "style" && bad_css(value) {
                out.push(format!("<{name} style={value:?}>"));
            }
        }
    }
    out
}

/// Executable constructs in a whole page of the site.
pub fn in_page(html: &str) -> Vec<String> {
    findings(&Html::parse_document(html), true)
}

/// Executable constructs in an HTML fragment (a feed's `description`, a
/// JSON field meant as HTML).
pub fn in_fragment(html: &str) -> Vec<String> {
    findings(&Html::parse_fragment(html), false)
}

/// Executable constructs in an RSS or Atom document: it must parse as XML,
/// every field that readers render as HTML is parsed as HTML, and XHTML
/// content is checked as the elements it is.
pub fn in_xml_feed(xml: &str) -> Vec<String> {
    let doc = match roxmltree::Document::parse(xml) {
        Ok(d) => d,
        Err(e) => return vec![format!("not well-formed XML: {e}")],
    };
    let mut out = Vec::new();
    let atom = doc.root_element().tag_name().name() == "feed";
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let text: String = node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        let as_html = if atom {
            match node.attribute("type") {
                Some("html") => true,
                Some("xhtml") => {
                    // XHTML content is markup already: check its elements.
                    for el in node.descendants().filter(|n| n.is_element()) {
                        let tag = el.tag_name().name();
                        if EXECUTABLE_ELEMENTS.contains(&tag) {
                            out.push(format!("{name}: <{tag}>"));
                        }
                        for a in el.attributes() {
                            if a.name().starts_with("on") || bad_url(a.value()) {
                                out.push(format!("{name}: <{tag} {}>", a.name()));
                            }
                        }
                    }
                    false
                }
                // Atom text constructs default to text, and readers show them so.
                _ => false,
            }
        } else {
            // Any RSS element may be rendered as HTML by some reader.
            true
        };
        if as_html && !text.trim().is_empty() {
            out.extend(
                in_fragment(&text)
                    .into_iter()
                    .map(|f| format!("{name}: {f}")),
            );
        }
        for a in node.attributes() {
            if matches!(a.name(), "href" | "url" | "src") && bad_url(a.value()) {
                out.push(format!("{name} {}={:?}", a.name(), a.value()));
            }
        }
    }
    out
}

/// Executable constructs in a JSON document (JSON Feed or the API): every
/// string under a key ending in `html` is parsed as HTML; URL fields must
/// not carry a script scheme.
pub fn in_json(text: &str) -> Vec<String> {
    let v: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let mut out = Vec::new();
    walk_json(&v, "", &mut out);
    out
}

fn walk_json(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => {
            if key.ends_with("html") {
                out.extend(in_fragment(s).into_iter().map(|f| format!("{key}: {f}")));
            }
            if (key.ends_with("url") || key == "image" || key == "href") && bad_url(s) {
                out.push(format!("{key}: {s:?}"));
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| walk_json(i, key, out)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, i)| walk_json(i, k, out)),
        _ => {}
    }
}
