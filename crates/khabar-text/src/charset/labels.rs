//! Reading what a document and its response say about their encoding.

/// The `charset` parameter of a `Content-Type` value, unquoted:
/// `text/xml; charset="windows-1256"` -> `windows-1256`.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// How far into a page a `<meta charset>` declaration is looked for.
const META_PRESCAN_BYTES: usize = 8 * 1024;

/// The label of `<meta charset=..>` or `<meta http-equiv=content-type
/// content="..charset=..">` in the first bytes of a page, when it names an
/// encoding encoding_rs knows.
pub(super) fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let mut i = 0;
    while let Some(pos) = find_ci(&head[i..], b"<meta") {
        let start = i + pos + 5;
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |p| start + p);
        let tag = &head[start..end];
        if let Some(cs) = find_ci(tag, b"charset") {
            let mut rest = &tag[cs + 7..];
            while let [b' ' | b'\t' | b'\n' | b'\r', r @ ..] = rest {
                rest = r;
            }
            if let [b'=', r @ ..] = rest {
                rest = r;
                while let [b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'', r @ ..] = rest {
                    rest = r;
                }
                let len = rest
                    .iter()
                    .position(|&b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
                    .unwrap_or(rest.len());
                if let Some(enc) = encoding_rs::Encoding::for_label(&rest[..len]) {
                    return Some(enc);
                }
            }
        }
        i = end.max(start);
        if i >= head.len() {
            break;
        }
    }
    None
}

/// The `encoding="…"` value of the XML declaration, if the document starts
/// with one. Only ASCII-compatible bytes are inspected.
pub(super) fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = find(head, b"<?xml")?;
    let end = find(&head[start..], b"?>")? + start;
    let decl = &head[start..end];
    let pos = find(decl, b"encoding")?;
    let rest = &decl[pos + "encoding".len()..];
    let rest = rest.trim_ascii_start().strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let close = value.iter().position(|&b| b == quote)?;
    std::str::from_utf8(&value[..close])
        .ok()
        .map(|s| s.trim().to_string())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_parameters_are_read_as_servers_write_them() {
        assert_eq!(
            charset_param("text/xml;charset= \"us-ascii\"").as_deref(),
            Some("us-ascii")
        );
        assert_eq!(
            charset_param("application/atom+xml; charset='gb2312'").as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            charset_param("text/xml;charset = us-ascii").as_deref(),
            Some("us-ascii")
        );
        assert_eq!(charset_param("text/xml;"), None);
        assert_eq!(charset_param("text/xml"), None);
    }

    #[test]
    fn declarations_are_found() {
        let m = meta_charset(b"<html><head><META http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">");
        assert_eq!(m.map(|e| e.name()), Some("windows-1256"));
        assert_eq!(
            meta_charset(b"<meta charset='utf-8'>").map(|e| e.name()),
            Some("UTF-8")
        );
        assert_eq!(meta_charset(b"<meta name=x content=y>"), None);
        assert_eq!(
            xml_declared_encoding(b"<?xml version=\"1.0\" encoding = 'ISO-8859-6' ?><rss/>")
                .as_deref(),
            Some("ISO-8859-6")
        );
        assert_eq!(xml_declared_encoding(b"<rss/>"), None);
    }
}
