//! khabar's [`FeedReport`] seen as feedparser's result dict, for the
//! expressions of [`super::pyexpect`]. What khabar models is a real value
//! (a key khabar would lack is `Missing`); what it does not model is
//! `NA(key)`. See the module docs of `tests/feed_conformance.rs` for the
//! mapping.

use std::rc::Rc;

use chrono::{DateTime, Datelike, Timelike, Utc};
use khabar_feed::FeedReport;
use khabar_model::{EntryLink, FeedEntry, ParsedFeed};

use crate::pyexpect::{self, Env, Host, Obj, Value};

const MARKUP_ONLY: &str =
    "markup with no text: the site's sanitiser is checked by tests/hostile_markup.rs";

/// Tags, with entities decoded once and whitespace collapsed; block
/// elements separate words; scripts and styles are not text.
pub fn plain_text(html: &str) -> String {
    let frag = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    walk(frag.root_element(), &mut out);
    collapse(&out)
}

fn walk(el: scraper::ElementRef<'_>, out: &mut String) {
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "td",
        "th",
        "table",
        "pre",
        "hr",
        "dd",
        "dt",
        "dl",
        "section",
        "article",
    ];
    for child in el.children() {
        if let Some(e) = scraper::ElementRef::wrap(child) {
            if matches!(e.value().name(), "script" | "style") {
                continue;
            }
            let block = BLOCK.contains(&e.value().name());
            if block {
                out.push(' ');
            }
            walk(e, out);
            if block {
                out.push(' ');
            }
        } else if let Some(t) = child.value().as_text() {
            out.push_str(t);
        }
    }
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a khabar string compares with a feedparser expectation. An
/// expectation with tags may be markup (an `html` field) or literal text
/// (a `text` field: feedparser does not escape it), and the expression
/// does not say which, so either reading of it may match.
#[derive(Debug)]
enum Kind {
    /// A plain-text field (title, category): as it is.
    Plain,
    /// A person's name; feedparser's `author` adds ` (email)`, not modelled.
    Person,
    /// The summary, HTML or text: as it is or its plain text.
    HtmlOrText,
    /// HTML (content): its plain text.
    Html,
    /// Compared as parsed URLs, else as strings.
    Url,
}

#[derive(Debug)]
struct Text {
    kind: Kind,
    /// `None`: khabar has no such value (feedparser's key would be missing).
    value: Option<String>,
    key: String,
}

/// The ways an expectation can read: plain text of markup, and literal
/// text unless it holds an entity (then it is escaped markup).
fn readings(expected: &str) -> Vec<String> {
    let escaped = has_entity(expected);
    let mut v = vec![plain_text(expected)];
    if !escaped {
        v.push(collapse(expected));
    }
    v
}

/// `&name;`, `&#NN;` or `&#xNN;` somewhere in `s`.
fn has_entity(s: &str) -> bool {
    s.match_indices('&').any(|(i, _)| {
        let rest = &s[i + 1..];
        let end = rest.find(';').unwrap_or(0);
        end > 0
            && end <= 10
            && rest[..end].strip_prefix('#').map_or_else(
                || rest[..end].chars().all(|c| c.is_ascii_alphanumeric()),
                |n| {
                    n.chars()
                        .all(|c| c.is_ascii_hexdigit() || c == 'x' || c == 'X')
                },
            )
    })
}

impl Host for Text {
    fn eq_str(&self, expected: &str) -> Value {
        if let Kind::Url = self.kind {
            let Some(have) = &self.value else {
                return Value::Bool(false);
            };
            let (a, b) = (
                url::Url::parse(have.trim()),
                url::Url::parse(expected.trim()),
            );
            return Value::Bool(match (a, b) {
                (Ok(a), Ok(b)) => a == b,
                _ => have == expected,
            });
        }
        if plain_text(expected).is_empty() && expected.contains('<') {
            return Value::na(MARKUP_ONLY);
        }
        let Some(have) = &self.value else {
            return Value::Bool(false);
        };
        let haves = match self.kind {
            Kind::Html => vec![plain_text(have)],
            Kind::HtmlOrText => vec![plain_text(have), collapse(have)],
            _ => vec![collapse(have)],
        };
        let mut wants = readings(expected);
        if let Kind::Person = self.kind {
            // `name (email)`
            if let Some(name) = expected
                .strip_suffix(')')
                .and_then(|e| e.rsplit_once(" ("))
                .filter(|(_, email)| email.contains('@'))
                .map(|(name, _)| name)
            {
                wants.extend(readings(name));
            }
        }
        Value::Bool(haves.iter().any(|h| wants.contains(h)))
    }
    fn as_str(&self) -> String {
        self.value.clone().unwrap_or_else(|| self.key.clone())
    }
    fn present(&self) -> bool {
        self.value.is_some()
    }
}

/// `encoding == 'label'`.
#[derive(Debug)]
struct Encoding {
    khabar: String,
    raw: Rc<Vec<u8>>,
}

fn squash(label: &str) -> String {
    label.to_ascii_lowercase().replace(['-', '_'], "")
}

fn decode(label: &str, raw: &[u8]) -> Option<String> {
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())?;
    let body = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .find_map(|bom| raw.strip_prefix(*bom))
        .unwrap_or(raw);
    Some(enc.decode_without_bom_handling(body).0.into_owned())
}

impl Host for Encoding {
    fn eq_str(&self, expected: &str) -> Value {
        let same_encoding = matches!(
            (
                encoding_rs::Encoding::for_label(expected.as_bytes()),
                encoding_rs::Encoding::for_label(self.khabar.as_bytes()),
            ),
            (Some(a), Some(b)) if a == b
        );
        let same_name = squash(expected) == squash(&self.khabar);
        let same_text = matches!(
            (decode(expected, &self.raw), decode(&self.khabar, &self.raw)),
            (Some(a), Some(b)) if a == b
        );
        Value::Bool(same_encoding || same_name || same_text)
    }
    fn as_str(&self) -> String {
        self.khabar.clone()
    }
}

fn text(kind: Kind, v: Option<&str>, key: &str) -> Value {
    Value::Host(Rc::new(Text {
        kind,
        value: v.map(str::to_string),
        key: key.to_string(),
    }))
}

fn obj(o: Obj) -> Value {
    Value::Obj(Rc::new(o))
}

/// `x_detail`: only its `value` is modelled.
fn detail(path: &str, v: &Value) -> Value {
    if v.is_missing() {
        return Value::Missing(path.to_string());
    }
    obj(Obj::new(Some(path)).with("value", v.clone()))
}

/// A value of the one link khabar keeps, standing for any item of
/// feedparser's `links`: which place it had in that list is unknown, so a
/// match is a match and a mismatch is not applicable (another link).
#[derive(Debug)]
struct AnyLink {
    value: Value,
    path: String,
}

impl Host for AnyLink {
    fn eq_str(&self, expected: &str) -> Value {
        match pyexpect::py_eq(&self.value, &Value::str(expected)) {
            Value::Bool(false) => Value::na(format!(
                "{}: khabar keeps one link, not the list",
                self.path
            )),
            v => v,
        }
    }
    fn as_str(&self) -> String {
        match &self.value {
            Value::Str(s) => s.clone(),
            v => v.show(),
        }
    }
}

fn any_link(path: &str, value: Value) -> Value {
    Value::Host(Rc::new(AnyLink {
        value,
        path: path.to_string(),
    }))
}

/// feedparser's `links`: khabar knows the link it took, with its `rel`.
fn links(path: &str, href: Option<&str>, rel: &str) -> Value {
    let items = href
        .map(|h| {
            obj(Obj::new(Some(path))
                .with("href", any_link(path, text(Kind::Url, Some(h), "href")))
                .with("rel", any_link(path, Value::str(rel))))
        })
        .into_iter()
        .collect();
    Value::List(items, Some(path.to_string()))
}

/// `time.struct_time` as feedparser's `*_parsed` compare: UTC, Monday = 0,
/// 1-based day of the year, no DST.
pub fn time_tuple(t: &DateTime<Utc>) -> Value {
    Value::Tuple(
        [
            i64::from(t.year()),
            i64::from(t.month()),
            i64::from(t.day()),
            i64::from(t.hour()),
            i64::from(t.minute()),
            i64::from(t.second()),
            i64::from(t.weekday().num_days_from_monday()),
            i64::from(t.ordinal()),
            0,
        ]
        .map(Value::Int)
        .to_vec(),
    )
}

fn date(t: Option<&DateTime<Utc>>, key: &str) -> Value {
    t.map_or_else(|| Value::Missing(key.to_string()), time_tuple)
}

fn feed_view(f: &ParsedFeed) -> Value {
    let title = text(Kind::Plain, f.title.as_deref(), "title");
    obj(Obj::new(Some("feed"))
        .with("title_detail", detail("feed.title_detail", &title))
        .with("title", title)
        .with("link", text(Kind::Url, f.site_url.as_deref(), "link"))
        .with(
            "links",
            links("feed.links", f.site_url.as_deref(), "alternate"),
        )
        .with(
            "language",
            text(Kind::Plain, f.language.as_deref(), "language"),
        ))
}

fn entry_view(e: &FeedEntry) -> Value {
    let title = text(Kind::Plain, e.title.as_deref(), "title");
    let has_link = e.link_from != EntryLink::SiteLink && !e.url.is_empty();
    let link = has_link.then_some(e.url.as_str());
    // feedparser lists the links it read in document order; khabar keeps
    // the one it took, whose place among them is known for an alternate
    // link or an enclosure only. A guid is not among feedparser's links.
    let listed = match e.link_from {
        EntryLink::Link => links("entry.links", link, "alternate"),
        EntryLink::Enclosure => links("entry.links", link, "enclosure"),
        EntryLink::Guid | EntryLink::SiteLink => links("entry.links", None, ""),
    };
    let summary = match (&e.summary, &e.content_html) {
        (None, Some(c)) => text(Kind::Html, Some(c), "summary"),
        (s, _) => text(Kind::HtmlOrText, s.as_deref(), "summary"),
    };
    let content = Value::List(
        e.content_html
            .iter()
            .map(|c| {
                obj(Obj::new(Some("entry.content"))
                    .with("value", text(Kind::Html, Some(c), "value")))
            })
            .collect(),
        Some("entry.content".into()),
    );
    let author = text(
        Kind::Person,
        e.authors.first().map(String::as_str),
        "author",
    );
    let authors = Value::List(
        e.authors
            .iter()
            .map(|a| {
                obj(Obj::new(Some("entry.authors"))
                    .with("name", text(Kind::Person, Some(a), "name")))
            })
            .collect(),
        Some("entry.authors".into()),
    );
    let tags = Value::List(
        e.categories
            .iter()
            .map(|c| {
                obj(Obj::new(Some("entry.tags")).with("term", text(Kind::Plain, Some(c), "term")))
            })
            .collect(),
        Some("entry.tags".into()),
    );
    let guid = e
        .guid
        .as_deref()
        .map_or(Value::Missing("id".into()), Value::str);
    let summary_detail = detail("entry.summary_detail", &summary);
    let media = |path: &str| {
        Value::List(
            e.image
                .iter()
                .map(|u| obj(Obj::new(Some(path)).with("url", text(Kind::Url, Some(u), "url"))))
                .collect(),
            Some(path.to_string()),
        )
    };
    obj(Obj::new(Some("entry"))
        .with("title_detail", detail("entry.title_detail", &title))
        .with("title", title)
        .with("link", text(Kind::Url, link, "link"))
        .with("links", listed)
        .with("id", guid.clone())
        .with("guid", guid)
        .with("summary_detail", summary_detail)
        .with("description", summary.clone())
        .with("summary", summary)
        .with("content", content)
        .with(
            "author_detail",
            detail("entry.author_detail", &author).rename_value("name"),
        )
        .with("author", author)
        .with("authors", authors)
        .with("tags", tags)
        .with(
            "category",
            text(
                Kind::Plain,
                e.categories.first().map(String::as_str),
                "category",
            ),
        )
        .with(
            "published_parsed",
            date(e.published.as_ref(), "published_parsed"),
        )
        .with(
            "updated_parsed",
            date(
                e.updated.as_ref().or(e.published.as_ref()),
                "updated_parsed",
            ),
        )
        .with("media_thumbnail", media("entry.media_thumbnail"))
        .with("media_content", media("entry.media_content")))
}

trait RenameValue {
    fn rename_value(self, to: &str) -> Value;
}

impl RenameValue for Value {
    /// `author_detail` holds the name under `name`, not `value`.
    fn rename_value(self, to: &str) -> Value {
        match self {
            Value::Obj(o) => {
                let mut o = (*o).clone();
                for (k, _) in &mut o.fields {
                    if k == "value" {
                        *k = to.to_string();
                    }
                }
                Value::Obj(Rc::new(o))
            }
            v => v,
        }
    }
}

/// The names an expectation sees: feedparser's result dict.
pub struct View {
    top: Rc<Obj>,
}

impl View {
    /// `raw` is the document as served (for `encoding == …`). Without a
    /// report (khabar failed) the view is an empty feed.
    pub fn new(report: Option<&FeedReport>, raw: Vec<u8>) -> View {
        View::of(report.map(|r| (&r.feed, r.encoding)), raw)
    }

    /// The view of a feed read in `encoding`.
    pub fn of(parsed: Option<(&ParsedFeed, &str)>, raw: Vec<u8>) -> View {
        let empty = ParsedFeed {
            kind: khabar_model::FeedKind::Rss,
            title: None,
            site_url: None,
            language: None,
            entries: Vec::new(),
            child_sitemaps: Vec::new(),
        };
        let feed = parsed.map_or(&empty, |p| p.0);
        let encoding = Value::Host(Rc::new(Encoding {
            khabar: parsed.map_or("", |p| p.1).to_string(),
            raw: Rc::new(raw),
        }));
        let top = Obj::new(Some(""))
            .with("feed", feed_view(feed))
            .with(
                "entries",
                Value::List(feed.entries.iter().map(entry_view).collect(), None),
            )
            .with("encoding", encoding);
        View { top: Rc::new(top) }
    }
}

impl Env for View {
    fn name(&self, name: &str) -> Value {
        match name {
            "locals" => Value::Obj(self.top.clone()),
            _ => self.top.get(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyexpect::{eval, parse};

    fn check(feed: &ParsedFeed, src: &str) -> Value {
        let view = View::of(Some((feed, "windows-1252")), b"<rss/>".to_vec());
        eval(&parse(src).unwrap(), &view, &mut Vec::new()).unwrap()
    }

    fn report() -> ParsedFeed {
        let entry = FeedEntry {
            url: "http://xn--bcher-kva.example/a%7Eb".into(),
            title: Some("Tom & Jerry".into()),
            summary: None,
            content_html: Some("<p>Hello <b>world</b></p>".into()),
            updated: Some("2003-12-31T10:14:55Z".parse().unwrap()),
            authors: vec!["Me".into()],
            ..Default::default()
        };
        ParsedFeed {
            kind: khabar_model::FeedKind::Atom,
            title: Some("y".into()),
            site_url: Some("http://example.com/".into()),
            language: None,
            entries: vec![entry],
            child_sitemaps: vec![],
        }
    }

    fn yes(v: Value) -> bool {
        matches!(v, Value::Bool(true))
    }
    fn no(v: Value) -> bool {
        matches!(v, Value::Bool(false))
    }

    #[test]
    fn nine_tuple() {
        let t: DateTime<Utc> = "2003-12-31T10:14:55Z".parse().unwrap();
        let r = report();
        assert_eq!(
            time_tuple(&t).show(),
            "(2003, 12, 31, 10, 14, 55, 2, 365, 0)"
        );
        assert!(yes(check(
            &r,
            "entries[0]['updated_parsed'] == (2003, 12, 31, 10, 14, 55, 2, 365, 0)"
        )));
        assert!(no(check(
            &r,
            "entries[0]['published_parsed'] == (2003, 12, 31, 10, 14, 55, 2, 365, 0)"
        )));
    }

    #[test]
    fn text_url_and_encoding_comparisons() {
        let r = report();
        assert!(no(check(&r, "feed['title'] == u'x'")));
        assert!(yes(check(
            &r,
            "feed['title_detail']['value'] == '<b>y</b>'"
        )));
        assert!(yes(check(&r, "entries[0].title == 'Tom &amp; Jerry'")));
        assert!(yes(check(
            &r,
            "entries[0].description == '<div>Hello world</div>'"
        )));
        assert!(yes(check(
            &r,
            "entries[0]['content'][0]['value'] == 'Hello <i>world</i>'"
        )));
        assert!(
            check(
                &r,
                "entries[0]['content'][0]['value'] == '<img src=\"x\" />'"
            )
            .is_na()
        );
        assert!(yes(check(
            &r,
            "entries[0]['link'] == u'http://b\\xfccher.example/a%7Eb'"
        )));
        assert!(yes(check(
            &r,
            "feed.links[0] == {'rel': 'alternate', 'href': 'http://example.com'}"
        )));
        assert!(yes(check(
            &r,
            "entries[0]['author_detail']['name'] == 'Me'"
        )));
        assert!(no(check(&r, "entries[0]['category'] == 'Me'")));
        assert!(check(&r, "feed['tagline'] == 'x'").is_na());
        assert!(yes(check(&r, "encoding == 'iso-8859-1'")));
        assert!(yes(check(&r, "encoding == 'us-ascii'")));
        assert!(no(check(&r, "encoding == 'utf-16'")));
    }
}
