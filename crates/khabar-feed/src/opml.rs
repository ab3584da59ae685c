//! OPML subscription lists: how operators move source lists between
//! khabar and other readers.

use roxmltree::Node;

use crate::FeedError;
use khabar_text::collapse_whitespace;

/// The namespace of the attributes khabar adds to an outline, so that a
/// list exported from one khabar site and imported into another keeps each
/// source's settings; other readers ignore them.
pub const KHABAR_OPML_NS: &str = "urn:khabar:opml:1";

/// One subscription. `category` is the folder it sat in; `folders` the
/// whole path of folders, outermost first (other readers' folders, which
/// khabar makes the source's tags).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpmlOutline {
    pub title: String,
    pub xml_url: String,
    pub html_url: Option<String>,
    pub category: Option<String>,
    pub folders: Vec<String>,
    /// khabar's own settings of the source, when a khabar site wrote the
    /// list; `None` from any other reader.
    pub khabar: Option<KhabarOutline>,
    pub language: Option<String>,
}

/// Reads every outline with an `xmlUrl`, however deeply nested. The
/// folders are the enclosing folders' titles, else the outline's own
/// `category` attribute (OPML 2's `/a/b` path, the first one when several
/// are given); the category is the innermost of them.
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlOutline>, FeedError> {
    crate::sniff::reject_binary(bytes)?;
    let text = crate::decode::decode_document(bytes, None).text;
    let doc = crate::sitemap::parse_xml(&text)?;
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("opml") {
        return Err(FeedError::Opml(format!(
            "root element is <{}>",
            root.tag_name().name()
        )));
    }
    let body = root
        .children()
        .find(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case("body"))
        .ok_or_else(|| FeedError::Opml("no <body>".into()))?;
    let mut out = Vec::new();
    walk(body, &mut Vec::new(), &mut out);
    Ok(out)
}

/// The source settings khabar keeps beside an outline. The proxy is
/// written as the operator configured it: an export holding proxy
/// credentials is as secret as the configuration it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KhabarOutline {
    pub slug: Option<String>,
    /// `feed` or `sitemap`.
    pub kind: Option<String>,
    pub full_text: Option<bool>,
    pub dedicated: Option<bool>,
    pub proxy: Option<String>,
    /// The source's tags (empty: none written).
    pub tags: Vec<String>,
    /// Who runs the source (`state`, `independent`, …) and why.
    pub outlet: Option<String>,
    pub outlet_note: Option<String>,
}

impl KhabarOutline {
    fn read(o: Node<'_, '_>) -> Option<KhabarOutline> {
        let get = |name: &str| {
            o.attribute((KHABAR_OPML_NS, name))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let flag = |name: &str| get(name).map(|v| matches!(v, "true" | "1" | "yes"));
        let k = KhabarOutline {
            slug: get("slug").map(String::from),
            kind: get("kind").map(String::from),
            full_text: flag("fullText"),
            dedicated: flag("dedicated"),
            proxy: get("proxy").map(String::from),
            tags: get("tags")
                .map(|t| {
                    t.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            outlet: get("outlet").map(String::from),
            outlet_note: get("outletNote").map(String::from),
        };
        (k != KhabarOutline::default()).then_some(k)
    }

    fn write(&self, s: &mut String) {
        if let Some(slug) = &self.slug {
            s.push_str(&format!(" khabar:slug=\"{}\"", escape(slug)));
        }
        if let Some(kind) = &self.kind {
            s.push_str(&format!(" khabar:kind=\"{}\"", escape(kind)));
        }
        if let Some(f) = self.full_text {
            s.push_str(&format!(" khabar:fullText=\"{f}\""));
        }
        if let Some(d) = self.dedicated {
            s.push_str(&format!(" khabar:dedicated=\"{d}\""));
        }
        if let Some(p) = &self.proxy {
            s.push_str(&format!(" khabar:proxy=\"{}\"", escape(p)));
        }
        if !self.tags.is_empty() {
            s.push_str(&format!(
                " khabar:tags=\"{}\"",
                escape(&self.tags.join(","))
            ));
        }
        if let Some(o) = &self.outlet {
            s.push_str(&format!(" khabar:outlet=\"{}\"", escape(o)));
        }
        if let Some(n) = &self.outlet_note {
            s.push_str(&format!(" khabar:outletNote=\"{}\"", escape(n)));
        }
    }
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value().trim())
        .filter(|v| !v.is_empty())
}

fn walk(node: Node<'_, '_>, folders: &mut Vec<String>, out: &mut Vec<OpmlOutline>) {
    for o in node
        .children()
        .filter(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case("outline"))
    {
        let title = attr(o, "title")
            .or_else(|| attr(o, "text"))
            .map(collapse_whitespace);
        match attr(o, "xmlUrl") {
            Some(xml_url) => {
                let path = if folders.is_empty() {
                    attr(o, "category")
                        .and_then(|c| c.split(',').next())
                        .map(|c| {
                            c.split('/')
                                .map(str::trim)
                                .filter(|c| !c.is_empty())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default()
                } else {
                    folders.clone()
                };
                out.push(OpmlOutline {
                    title: title.unwrap_or_else(|| xml_url.to_string()),
                    xml_url: xml_url.to_string(),
                    html_url: attr(o, "htmlUrl").map(String::from),
                    category: path.last().cloned(),
                    folders: path,
                    language: attr(o, "language").map(String::from),
                    khabar: KhabarOutline::read(o),
                });
                walk(o, folders, out);
            }
            None => match title {
                Some(t) => {
                    folders.push(t);
                    walk(o, folders, out);
                    folders.pop();
                }
                None => walk(o, folders, out),
            },
        }
    }
}

/// A folder of the written list: its outlines, then its sub-folders, in
/// first-seen order.
#[derive(Default)]
struct Folder<'a> {
    name: &'a str,
    outlines: Vec<&'a OpmlOutline>,
    children: Vec<Folder<'a>>,
}

impl<'a> Folder<'a> {
    fn add(&mut self, path: &[&'a str], o: &'a OpmlOutline) {
        match path.split_first() {
            None => self.outlines.push(o),
            Some((first, rest)) => {
                let i = match self.children.iter().position(|c| c.name == *first) {
                    Some(i) => i,
                    None => {
                        self.children.push(Folder {
                            name: first,
                            ..Default::default()
                        });
                        self.children.len() - 1
                    }
                };
                self.children[i].add(rest, o);
            }
        }
    }

    fn write(&self, s: &mut String, depth: usize) {
        let indent = "  ".repeat(depth + 2);
        for o in &self.outlines {
            write_outline(s, o, &indent);
        }
        for c in &self.children {
            let name = escape(c.name);
            s.push_str(&format!(
                "{indent}<outline text=\"{name}\" title=\"{name}\">\n"
            ));
            c.write(s, depth + 1);
            s.push_str(&format!("{indent}</outline>\n"));
        }
    }
}

/// OPML 2.0 with the outlines nested in their folders (`folders`, else the
/// one folder `category`), in first-seen order; outlines in no folder sit
/// at the top level.
pub fn write_opml(title: &str, outlines: &[OpmlOutline]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\" xmlns:khabar=\"",
    );
    s.push_str(KHABAR_OPML_NS);
    s.push_str("\">\n  <head>\n    <title>");
    s.push_str(&escape(title));
    s.push_str("</title>\n  </head>\n  <body>\n");
    let mut root = Folder::default();
    for o in outlines {
        let path: Vec<&str> = if o.folders.is_empty() {
            o.category.as_deref().into_iter().collect()
        } else {
            o.folders.iter().map(String::as_str).collect()
        };
        root.add(&path, o);
    }
    root.write(&mut s, 0);
    s.push_str("  </body>\n</opml>\n");
    s
}

fn write_outline(s: &mut String, o: &OpmlOutline, indent: &str) {
    let t = escape(&o.title);
    s.push_str(&format!(
        "{indent}<outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{}\"",
        escape(&o.xml_url)
    ));
    if let Some(h) = &o.html_url {
        s.push_str(&format!(" htmlUrl=\"{}\"", escape(h)));
    }
    if let Some(l) = &o.language {
        s.push_str(&format!(" language=\"{}\"", escape(l)));
    }
    if let Some(k) = &o.khabar {
        k.write(s);
    }
    s.push_str("/>\n");
}

/// An attribute value: line breaks and tabs become spaces and other control
/// characters (not allowed in XML 1.0) are dropped, then khabar's one
/// escaper makes it safe inside quotes.
fn escape(s: &str) -> String {
    let flat: String = s
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    khabar_text::escape_html(&flat)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>subs</title></head><body>
  <outline text="Persian">
    <outline text="BBC فارسی" type="rss" xmlUrl="https://feeds.bbci.co.uk/persian/rss.xml" htmlUrl="https://www.bbc.com/persian" language="fa"/>
    <outline text="Wires"><outline title="Reuters &amp; co" xmlUrl="https://example.com/reuters.xml"/></outline>
  </outline>
  <outline text="Loose" xmlUrl="https://example.org/feed" category="/News/World"/>
  <outline text="folder without feeds"/>
</body></opml>"#;

    #[test]
    fn flattens_nested_outlines_with_parent_category() {
        let o = parse_opml(SAMPLE.as_bytes()).unwrap();
        assert_eq!(o.len(), 3);
        assert_eq!(o[0].title, "BBC فارسی");
        assert_eq!(o[0].category.as_deref(), Some("Persian"));
        assert_eq!(o[0].language.as_deref(), Some("fa"));
        assert_eq!(
            o[0].html_url.as_deref(),
            Some("https://www.bbc.com/persian")
        );
        assert_eq!(o[1].title, "Reuters & co");
        assert_eq!(o[1].category.as_deref(), Some("Wires"));
        assert_eq!(o[1].folders, vec!["Persian", "Wires"]);
        assert_eq!(o[2].category.as_deref(), Some("World"));
        assert_eq!(o[2].folders, vec!["News", "World"]);
    }

    #[test]
    fn write_then_parse_round_trips() {
        let o = parse_opml(SAMPLE.as_bytes()).unwrap();
        let written = write_opml("khabar <sources>", &o);
        let mut back = parse_opml(written.as_bytes()).unwrap();
        let mut orig = o.clone();
        back.sort_by(|a, b| a.xml_url.cmp(&b.xml_url));
        orig.sort_by(|a, b| a.xml_url.cmp(&b.xml_url));
        assert_eq!(back, orig);
    }

    #[test]
    fn khabar_settings_survive_a_round_trip_and_other_readers_lose_nothing() {
        let mut o = parse_opml(SAMPLE.as_bytes()).unwrap();
        assert!(o.iter().all(|x| x.khabar.is_none()));
        o[0].khabar = Some(KhabarOutline {
            slug: Some("bbc-persian".into()),
            kind: Some("feed".into()),
            full_text: Some(false),
            dedicated: Some(true),
            proxy: Some("socks5://127.0.0.1:9050".into()),
            tags: vec!["persian".into(), "public-broadcaster".into()],
            outlet: Some("international".into()),
            outlet_note: Some("A public broadcaster's \"Persian\" service & more".into()),
        });
        let written = write_opml("khabar", &o);
        assert!(written.contains("khabar:fullText=\"false\""), "{written}");
        let back = parse_opml(written.as_bytes()).unwrap();
        let bbc = back.iter().find(|x| x.xml_url.contains("bbci")).unwrap();
        assert_eq!(bbc.khabar, o[0].khabar);
        assert!(
            back.iter()
                .filter(|x| !x.xml_url.contains("bbci"))
                .all(|x| x.khabar.is_none())
        );
    }

    #[test]
    fn non_opml_is_an_error() {
        assert!(matches!(parse_opml(b"<rss/>"), Err(FeedError::Opml(_))));
        assert!(matches!(parse_opml(b""), Err(FeedError::Empty)));
        assert!(matches!(
            parse_opml(b"<opml><body>"),
            Err(FeedError::Xml { .. })
        ));
    }
}
