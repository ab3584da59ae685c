//! Deciding what a document is before parsing it, so a failure can say
//! "this is an HTML page" rather than a parser's puzzled complaint.

use crate::FeedError;

/// What the first meaningful token of a document says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Json,
    /// An XML document whose root element has this local name (prefix
    /// stripped, case kept) and full qualified name.
    Xml {
        local: String,
        qname: String,
    },
}

/// Rejects bytes that cannot be text before any decoding is attempted.
pub(crate) fn reject_binary(bytes: &[u8]) -> Result<(), FeedError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FeedError::Empty);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(FeedError::Binary("a PDF file"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(FeedError::Binary("a ZIP archive"));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G'])
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
    {
        return Err(FeedError::Binary("an image"));
    }
    Ok(())
}

/// Rejects decoded text that is mostly control characters (binary data
/// that happened to survive decoding).
pub(crate) fn reject_control_chars(text: &str) -> Result<(), FeedError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(1024) {
        total += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{FFFD}' {
            control += 1;
        }
    }
    if total > 0 && control * 10 > total {
        return Err(FeedError::Binary("control characters"));
    }
    Ok(())
}

/// Looks at the first element (skipping the prolog, comments, processing
/// instructions and a doctype) or the first JSON brace.
pub(crate) fn sniff(text: &str) -> Result<Sniffed, FeedError> {
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if rest.is_empty() {
        return Err(FeedError::Empty);
    }
    if rest.starts_with('{') {
        return Ok(Sniffed::Json);
    }
    if rest.starts_with('[') {
        return Err(FeedError::NotAFeed(
            "a JSON array, expected a JSON Feed object".into(),
        ));
    }
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = skip_past(r, "?>")?;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = skip_past(r, "-->")?;
        } else if let Some(r) = strip_prefix_ci(rest, "<!doctype") {
            // The root decides, not the doctype: feeds are served with a
            // stray XHTML doctype left by a template.
            rest = skip_doctype(r)?;
        } else if let Some(r) = rest.strip_prefix('<') {
            let qname: String = r
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            if qname.is_empty() {
                return Err(truncated_or_garbage(text));
            }
            let local = qname.rsplit(':').next().unwrap_or(&qname).to_string();
            if local.eq_ignore_ascii_case("html")
                || local.eq_ignore_ascii_case("head")
                || local.eq_ignore_ascii_case("body")
            {
                return Err(FeedError::Html);
            }
            return Ok(Sniffed::Xml { local, qname });
        } else if rest.is_empty() {
            return Err(FeedError::NotAFeed(
                "only an XML prolog, no root element".into(),
            ));
        } else {
            return Err(truncated_or_garbage(text));
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn truncated_or_garbage(text: &str) -> FeedError {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.contains("<html") || head.contains("<body") || head.contains("<div") {
        return FeedError::Html;
    }
    let preview: String = text.trim().chars().take(40).collect();
    FeedError::NotAFeed(format!(
        "does not start with '<' or '{{' (starts with {preview:?})"
    ))
}

fn skip_past<'a>(s: &'a str, end: &str) -> Result<&'a str, FeedError> {
    match s.find(end) {
        Some(i) => Ok(&s[i + end.len()..]),
        None => Err(FeedError::Xml {
            line: 1,
            message: format!("document ends inside the prolog (no closing {end:?})"),
        }),
    }
}

/// Skips a doctype, including an internal subset in square brackets.
fn skip_doctype(s: &str) -> Result<&str, FeedError> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '>' if depth <= 0 => return Ok(&s[i + 1..]),
            _ => {}
        }
    }
    Err(FeedError::Xml {
        line: 1,
        message: "document ends inside the doctype".into(),
    })
}

/// True when the text after the root start tag never closes the root: the
/// typical shape of a download cut short. feed-rs accepts such documents
/// silently, which would make a half feed look whole.
pub(crate) fn is_truncated(text: &str, qname: &str) -> bool {
    let mut end = text.trim_end_matches(|c: char| c.is_whitespace() || c == '\0');
    // Trailing comments or processing instructions after the root are legal.
    loop {
        if end.ends_with("-->") {
            match end.rfind("<!--") {
                Some(i) => end = end[..i].trim_end(),
                None => return true,
            }
        } else if end.ends_with("?>") {
            match end.rfind("<?") {
                Some(i) => end = end[..i].trim_end(),
                None => return true,
            }
        } else {
            break;
        }
    }
    let Some(body) = end.strip_suffix('>') else {
        return true;
    };
    let body = body.trim_end();
    if body.ends_with('/') {
        // A self-closing last element is the root only in an empty `<rss/>`.
        return match body.rfind('<') {
            Some(open) => !body[open + 1..].starts_with(qname),
            None => true,
        };
    }
    let Some(open) = body.rfind("</") else {
        return true;
    };
    body[open + 2..].trim() != qname
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let nl = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(nl + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_root_through_prolog_comment_and_doctype() {
        let doc = "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- hi -->\n<!DOCTYPE rss [<!ENTITY x \"y\">]>\n<rss version=\"2.0\">";
        assert_eq!(
            sniff(doc).unwrap(),
            Sniffed::Xml {
                local: "rss".into(),
                qname: "rss".into()
            }
        );
        assert_eq!(
            sniff("<rdf:RDF xmlns:rdf='x'>").unwrap(),
            Sniffed::Xml {
                local: "RDF".into(),
                qname: "rdf:RDF".into()
            }
        );
    }

    #[test]
    fn html_is_named() {
        assert_eq!(sniff("<!DOCTYPE html><html>").unwrap_err(), FeedError::Html);
        assert_eq!(sniff("  <html lang=fa>").unwrap_err(), FeedError::Html);
    }

    #[test]
    fn truncation_is_detected() {
        assert!(is_truncated("<rss><channel><item>", "rss"));
        assert!(is_truncated("<rss><channel></channel></r", "rss"));
        assert!(!is_truncated(
            "<rss><channel/></rss>\n<!-- cached -->\n",
            "rss"
        ));
        assert!(!is_truncated("<rdf:RDF></rdf:RDF >", "rdf:RDF"));
    }
}
