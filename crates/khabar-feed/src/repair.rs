//! Second chance for documents that are almost XML.
//!
//! Two faults are common enough on real news sites to be worth a retry:
//! server-side warnings printed before the XML prolog (PHP's
//! `<b>Warning</b>: …`), and bare `&` in titles or links (`AT&T`,
//! `?a=1&b=2`). Repair runs only after a strict parse failed, so a valid
//! document is never altered.

use std::borrow::Cow;

/// A repaired copy of `text`, or `None` when there is nothing to repair.
pub(crate) fn repair(text: &str) -> Option<String> {
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    if let Some(start) = junk_before_prolog(&out) {
        out = Cow::Owned(out[start..].to_string());
    }
    if let Some(escaped) = escape_bare_ampersands(&out) {
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

/// `&` that does not start an entity or character reference becomes
/// `&amp;`; CDATA sections, where `&` is literal, are left alone.
fn escape_bare_ampersands(text: &str) -> Option<String> {
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
        } else if let Some(after) = tail.strip_prefix('<') {
            out.push('<');
            rest = after;
        } else {
            if is_reference(&tail[1..]) {
                out.push('&');
            } else {
                out.push_str("&amp;");
                changed = true;
            }
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

fn is_reference(after_amp: &str) -> bool {
    let Some(semi) = after_amp.bytes().take(40).position(|b| b == b';') else {
        return false;
    };
    let name = &after_amp[..semi];
    if let Some(num) = name.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_bare_ampersands_outside_cdata() {
        assert_eq!(
            repair("<t>&nbsp;ایرانایرانایرانایرانایرانایران & </t>").unwrap(),
            "<t>&nbsp;ایرانایرانایرانایرانایرانایران &amp; </t>"
        );
        let doc = "<t>AT&T &amp; co &#8217; &#x2019; &nbsp; a=1&b=2 & </t><![CDATA[x&y]]>";
        assert_eq!(
            repair(doc).unwrap(),
            "<t>AT&amp;T &amp; co &#8217; &#x2019; &nbsp; a=1&amp;b=2 &amp; </t><![CDATA[x&y]]>"
        );
        assert_eq!(repair("<t>fine &amp; valid</t>"), None);
    }

    #[test]
    fn drops_junk_before_prolog() {
        let doc = "<br />\n<b>Warning</b>: x.php on line 3<br />\n<?xml version=\"1.0\"?><rss/>";
        assert_eq!(repair(doc).unwrap(), "<?xml version=\"1.0\"?><rss/>");
        assert_eq!(repair("<?xml version=\"1.0\"?><rss/>"), None);
    }
}
