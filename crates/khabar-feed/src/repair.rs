//! Second chance for documents that are almost XML.
//!
//! Three faults are common enough on real news sites to be worth a retry:
//! server-side warnings printed before the XML prolog (PHP's
//! `<b>Warning</b>: …`), bare `&` in titles or links (`AT&T`,
//! `?a=1&b=2`), and HTML's named entities (`&eacute;`, `&nbsp;`), which
//! RSS 0.91's DTD declared but no XML parser reads. Repair runs only after
//! a strict parse failed, so a valid document is never altered. A fourth,
//! a document cut short, is closed by [`close_truncated`].

use std::borrow::Cow;

/// A repaired copy of `text`, or `None` when there is nothing to repair.
pub(crate) fn repair(text: &str) -> Option<String> {
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    if let Some(start) = junk_before_prolog(&out) {
        out = Cow::Owned(out[start..].to_string());
    }
    if let Some(escaped) = fix_references(&out) {
        out = Cow::Owned(escaped);
    }
    match out {
        Cow::Owned(s) => Some(s),
        Cow::Borrowed(_) => None,
    }
}

/// Offset of an XML prolog that follows junk near the start.
fn junk_before_prolog(text: &str) -> Option<usize> {
    let head_end = text.char_indices().nth(8192).map_or(text.len(), |(i, _)| i);
    let pos = text[..head_end].find("<?xml")?;
    (pos > 0 && !text[..pos].trim().is_empty()).then_some(pos)
}

/// `&` that does not start a reference becomes `&amp;`; an HTML named
/// entity that the document does not declare becomes a character
/// reference (an unknown name, a literal `&amp;`). CDATA sections, where
/// `&` is literal, are left alone.
fn fix_references(text: &str) -> Option<String> {
    let declared = declared_entities(text);
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    let mut rest = text;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("<![CDATA[") {
            let end = tail.find("]]>").map_or(tail.len(), |e| e + 3);
            out.push_str(&tail[..end]);
            rest = &tail[end..];
            continue;
        }
        if let Some(after) = tail.strip_prefix('<') {
            out.push('<');
            rest = after;
            continue;
        }
        let after = &tail[1..];
        match reference(after) {
            Some(Reference::Numeric) => {
                // `&#X41;`: XML wants a lower-case x.
                if let Some(digits) = after.strip_prefix("#X") {
                    out.push_str("&#x");
                    rest = digits;
                    changed = true;
                    continue;
                }
                out.push('&')
            }
            Some(Reference::Named(name))
                if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                    || declared.contains(&name) =>
            {
                out.push('&')
            }
            Some(Reference::Named(name)) => {
                let entity = format!("&{name};");
                let decoded = html_escape::decode_html_entities(&entity);
                if decoded != entity {
                    for c in decoded.chars() {
                        out.push_str(&format!("&#x{:x};", c as u32));
                    }
                    rest = &after[name.len() + 1..];
                    changed = true;
                    continue;
                }
                out.push_str("&amp;");
                changed = true;
            }
            None => {
                out.push_str("&amp;");
                changed = true;
            }
        }
        rest = after;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Entity names the document's internal DTD subset declares.
fn declared_entities(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<!ENTITY") {
        let decl = rest[at + 8..]
            .trim_start()
            .trim_start_matches('%')
            .trim_start();
        let name_len = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        names.push(&decl[..name_len]);
        rest = &rest[at + 8..];
    }
    names
}

enum Reference<'a> {
    Numeric,
    Named(&'a str),
}

fn reference(after_amp: &str) -> Option<Reference<'_>> {
    let semi = after_amp.bytes().take(40).position(|b| b == b';')?;
    let name = &after_amp[..semi];
    if let Some(num) = name.strip_prefix('#') {
        let ok = match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
        return ok.then_some(Reference::Numeric);
    }
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    ok.then_some(Reference::Named(name))
}

/// A document cut short, cut again after its last whole item (or its last
/// whole tag when no item closed) and closed, so the items before the cut
/// can be read. `None` when nothing whole is left.
pub(crate) fn close_truncated(text: &str) -> Option<String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut after_item: Option<(usize, Vec<&str>)> = None;
    let mut after_tag: Option<(usize, Vec<&str>)> = None;
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(lt) = text[i..].find('<').map(|p| p + i) {
        let tail = &text[lt..];
        let skip_to = |end: &str| tail.find(end).map(|e| lt + e + end.len());
        let next = if tail.starts_with("<!--") {
            skip_to("-->")
        } else if tail.starts_with("<![CDATA[") {
            skip_to("]]>")
        } else if tail.starts_with("<?") {
            skip_to("?>")
        } else if tail.starts_with("<!") {
            match (tail.find('['), tail.find('>')) {
                (Some(open), Some(gt)) if open < gt => skip_to("]>").or(Some(lt + gt + 1)),
                (_, Some(gt)) => Some(lt + gt + 1),
                _ => None,
            }
        } else {
            let Some(end) = tag_end(b, lt) else { break };
            let inner = &text[lt + 1..end - 1];
            if let Some(name) = inner.strip_prefix('/') {
                let name = name.trim();
                if let Some(pos) = stack.iter().rposition(|open| *open == name) {
                    stack.truncate(pos);
                }
                let local = name.rsplit(':').next().unwrap_or(name);
                if local.eq_ignore_ascii_case("item") || local.eq_ignore_ascii_case("entry") {
                    after_item = Some((end, stack.clone()));
                }
            } else if !inner.ends_with('/') {
                let name_len = inner
                    .find(|c: char| c.is_whitespace() || c == '/')
                    .unwrap_or(inner.len());
                if name_len > 0 {
                    stack.push(&inner[..name_len]);
                }
            }
            after_tag = Some((end, stack.clone()));
            Some(end)
        };
        let Some(next) = next else { break };
        i = next;
    }
    let (cut, open) = after_item.or(after_tag)?;
    if open.is_empty() {
        return None;
    }
    let mut out = text[..cut].to_string();
    for name in open.iter().rev() {
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
    Some(out)
}

/// The offset just past the `>` closing the tag that opens at `lt`,
/// stepping over quoted attribute values.
fn tag_end(b: &[u8], lt: usize) -> Option<usize> {
    let mut quote = None;
    for (k, &c) in b.iter().enumerate().skip(lt + 1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return Some(k + 1),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_bare_ampersands_outside_cdata() {
        assert_eq!(
            repair("<t>&nbsp;ایرانایرانایرانایرانایرانایران & </t>").unwrap(),
            "<t>&#xa0;ایرانایرانایرانایرانایرانایران &amp; </t>"
        );
        let doc = "<t>AT&T &amp; co &#8217; &#x2019; &nbsp; a=1&b=2 & </t><![CDATA[x&y]]>";
        assert_eq!(
            repair(doc).unwrap(),
            "<t>AT&amp;T &amp; co &#8217; &#x2019; &#xa0; a=1&amp;b=2 &amp; </t><![CDATA[x&y]]>"
        );
        assert_eq!(repair("<t>fine &amp; valid</t>"), None);
    }

    #[test]
    fn html_entities_become_characters_unless_declared() {
        assert_eq!(
            repair("<t>caf&eacute; &hearts; &bogus; &amp;</t>").unwrap(),
            "<t>caf&#xe9; &#x2665; &amp;bogus; &amp;</t>"
        );
        let dtd = "<!DOCTYPE t [<!ENTITY me \"Jo\">]><t>&me; &eacute;</t>";
        assert_eq!(
            repair(dtd).unwrap(),
            "<!DOCTYPE t [<!ENTITY me \"Jo\">]><t>&me; &#xe9;</t>"
        );
    }

    #[test]
    fn a_cut_document_is_closed_after_its_last_whole_item() {
        let cut = "<rss><channel><title>T</title><item><title>a</title></item>\
                   <item><title>b</title></item><item><title>c</ti";
        assert_eq!(
            close_truncated(cut).unwrap(),
            "<rss><channel><title>T</title><item><title>a</title></item>\
             <item><title>b</title></item></channel></rss>"
        );
        let head_only = "<feed xmlns='x'><title a='>'>T</title><entry><id>1</id><ti";
        assert_eq!(
            close_truncated(head_only).unwrap(),
            "<feed xmlns='x'><title a='>'>T</title><entry><id>1</id></entry></feed>"
        );
        assert_eq!(close_truncated("<rss/>"), None);
        assert_eq!(repair("<t>&#X41;</t>").unwrap(), "<t>&#x41;</t>");
    }

    #[test]
    fn drops_junk_before_prolog() {
        let doc = "<br />\n<b>Warning</b>: x.php on line 3<br />\n<?xml version=\"1.0\"?><rss/>";
        assert_eq!(repair(doc).unwrap(), "<?xml version=\"1.0\"?><rss/>");
        assert_eq!(repair("<?xml version=\"1.0\"?><rss/>"), None);
    }
}
