//! schema.org JSON-LD: the most reliable metadata a news page carries,
//! when present. Authors come in many shapes (a string, an object with a
//! name, a list of either, nested under `@graph`), all handled here.

use serde_json::Value;

#[derive(Debug, Default, Clone)]
pub struct JsonLd {
    pub name: Option<String>,
    pub headline: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub date_published: Option<String>,
    pub date_modified: Option<String>,
    pub image: Option<String>,
    pub url: Option<String>,
    /// The JSON-LD object had a schema.org context and an article type.
    pub is_article: bool,
}

fn is_article_type(t: &str) -> bool {
    matches!(
        t,
        "Article"
            | "AdvertiserContentArticle"
            | "NewsArticle"
            | "AnalysisNewsArticle"
            | "AskPublicNewsArticle"
            | "BackgroundNewsArticle"
            | "OpinionNewsArticle"
            | "ReportageNewsArticle"
            | "ReviewNewsArticle"
            | "Report"
            | "SatiricalArticle"
            | "ScholarlyArticle"
            | "MedicalScholarlyArticle"
            | "SocialMediaPosting"
            | "BlogPosting"
            | "LiveBlogPosting"
            | "DiscussionForumPosting"
            | "TechArticle"
            | "APIReference"
    )
}

fn type_matches(v: &Value) -> bool {
    match v.get("@type") {
        Some(Value::String(s)) => is_article_type(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(is_article_type)),
        _ => false,
    }
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(|x| str_of(Some(x))),
        Value::Object(o) => str_of(o.get("name")).or_else(|| str_of(o.get("@value"))),
        _ => None,
    }
}

fn author_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && !s.starts_with("http") {
                out.push(s.to_string());
            }
        }
        Value::Array(a) => a.iter().for_each(|x| author_names(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name") {
                match n {
                    Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                    Value::Array(_) | Value::Object(_) => author_names(n, out),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn image_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(|x| image_of(Some(x))),
        Value::Object(o) => image_of(o.get("url")).or_else(|| image_of(o.get("contentUrl"))),
        _ => None,
    }
}

/// Collects every object of a JSON-LD document (top level, arrays, `@graph`).
fn objects<'v>(v: &'v Value, out: &mut Vec<&'v Value>, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| objects(x, out, depth + 1)),
        Value::Object(o) => {
            out.push(v);
            if let Some(g) = o.get("@graph") {
                objects(g, out, depth + 1);
            }
            if let Some(m) = o.get("mainEntity") {
                objects(m, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `"key": "value"` read from text that is not valid JSON.
fn raw_field(s: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\"");
    let at = s.find(&pat)? + pat.len();
    let rest = s[at..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].trim().to_string()).filter(|v| !v.is_empty() && v.len() < 60)
}

/// Parses the JSON-LD scripts of a page; the first article-typed object
/// wins, other objects only fill in a publish date.
pub fn parse(scripts: &[String]) -> JsonLd {
    let mut out = JsonLd::default();
    let mut fallback_date: Option<String> = None;
    for raw in scripts {
        let s = raw.trim();
        let s = s.strip_prefix("<![CDATA[").unwrap_or(s);
        let s = s.strip_suffix("]]>").unwrap_or(s);
        let Ok(v) = serde_json::from_str::<Value>(s.trim()) else {
            // Hand-written JSON-LD is often invalid (raw newlines, trailing
            // commas); its dates can still be read.
            if fallback_date.is_none() {
                fallback_date = raw_field(s, "datePublished");
            }
            if out.date_modified.is_none() {
                out.date_modified = raw_field(s, "dateModified");
            }
            continue;
        };
        let mut objs = Vec::new();
        objects(&v, &mut objs, 0);
        for o in objs {
            if fallback_date.is_none() {
                fallback_date = str_of(o.get("datePublished"));
            }
            if out.is_article || !type_matches(o) {
                continue;
            }
            out.is_article = true;
            out.name = o.get("name").and_then(|n| n.as_str()).map(|s| s.trim().to_string());
            out.headline = o.get("headline").and_then(|n| n.as_str()).map(|s| s.trim().to_string());
            if let Some(a) = o.get("author") {
                author_names(a, &mut out.authors);
            }
            if out.authors.is_empty()
                && let Some(a) = o.get("creator")
            {
                author_names(a, &mut out.authors);
            }
            out.description = o
                .get("description")
                .and_then(|n| n.as_str())
                .map(|s| s.trim().to_string());
            out.publisher = o.get("publisher").and_then(|p| str_of(p.get("name")));
            out.date_published = str_of(o.get("datePublished")).or_else(|| str_of(o.get("dateCreated")));
            out.date_modified = str_of(o.get("dateModified"));
            out.image = image_of(o.get("image")).or_else(|| image_of(o.get("thumbnailUrl")));
            out.url = str_of(o.get("url")).or_else(|| str_of(o.get("mainEntityOfPage").and_then(|m| m.get("@id"))));
        }
    }
    if out.date_published.is_none() {
        out.date_published = fallback_date;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_shapes() {
        let j = parse(&[
            r#"{"@context":"https://schema.org","@type":"NewsArticle","headline":"H",
            "author":[{"@type":"Person","name":"Stella Kim"},{"@type":"Person","name":"Jennifer Jett"}],
            "datePublished":"2024-12-06T22:00:40.000Z"}"#
                .to_string(),
        ]);
        assert_eq!(j.authors, vec!["Stella Kim", "Jennifer Jett"]);
        assert_eq!(j.date_published.as_deref(), Some("2024-12-06T22:00:40.000Z"));
        let j = parse(&[
            r#"{"@graph":[{"@type":"WebPage"},{"@type":["NewsArticle"],"author":"Jane Doe","headline":"X"}]}"#
                .to_string(),
        ]);
        assert_eq!(j.authors, vec!["Jane Doe"]);
        assert_eq!(j.headline.as_deref(), Some("X"));
        let j = parse(&["<![CDATA[{\"@type\":\"BlogPosting\",\"author\":{\"name\":\"A B\"}}]]>".to_string()]);
        assert_eq!(j.authors, vec!["A B"]);
    }

    #[test]
    fn broken_json_is_ignored() {
        let j = parse(&["{not json".to_string()]);
        assert!(!j.is_article);
    }
}
