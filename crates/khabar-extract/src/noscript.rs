//! Pages whose content is only in `<noscript>`.
//!
//! Script-rendered sites (forum engines, single-page apps) often serve
//! crawlers and script-less readers the whole page inside `<noscript>`,
//! while the visible body is an empty mount point. A parser with scripting
//! on (as a browser) reads a `<noscript>` body as one run of raw text, so
//! the extractor found nothing there. When a page's `<noscript>` blocks
//! hold much more text than the extracted body, the page is read again
//! with those blocks opened as ordinary markup.

/// A `<noscript>` whose body has fewer visible characters than this is a
/// tracking pixel or an "enable JavaScript" note, never the page.
const MIN_TEXT: usize = 500;

/// The page with its large `<noscript>` blocks turned into `<div>`s, and
/// the visible characters they hold; `None` when it has none.
pub fn open(html: &str) -> Option<(String, usize)> {
    let b = html.as_bytes();
    let finder = memchr::memmem::Finder::new(b"<noscript");
    let lower;
    // Tags are matched case-insensitively on an ASCII-lowered copy, made
    // only when an upper-case tag is present.
    let hay: &[u8] =
        if memchr::memmem::find(b, b"<NOSCRIPT").is_some() || memchr::memmem::find(b, b"<Noscript").is_some() {
            lower = html.to_ascii_lowercase();
            lower.as_bytes()
        } else {
            b
        };
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new(); // open start, open end, close start, close end
    let mut text = 0usize;
    let mut i = 0;
    while let Some(off) = finder.find(&hay[i..]) {
        let start = i + off;
        let name_end = start + "<noscript".len();
        if !hay
            .get(name_end)
            .is_some_and(|&c| c == b'>' || c.is_ascii_whitespace() || c == b'/')
        {
            i = name_end;
            continue;
        }
        let Some(open_end) = memchr::memchr(b'>', &hay[name_end..]).map(|p| name_end + p + 1) else {
            break;
        };
        let Some(close) = memchr::memmem::find(&hay[open_end..], b"</noscript").map(|p| open_end + p) else {
            break;
        };
        let close_end = memchr::memchr(b'>', &hay[close..]).map_or(hay.len(), |p| close + p + 1);
        let t = visible_chars(&html[open_end..close]);
        if t >= MIN_TEXT {
            spans.push((start, open_end, close, close_end));
            text += t;
        }
        i = close_end;
    }
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (s, oe, c, ce) in spans {
        out.push_str(&html[copied..s]);
        out.push_str("<div data-noscript>");
        out.push_str(&html[oe..c]);
        out.push_str("</div>");
        copied = ce;
    }
    out.push_str(&html[copied..]);
    Some((out, text))
}

/// Characters outside tags, whitespace runs counted once (a rough count;
/// it only has to tell a page of text from a pixel).
fn visible_chars(s: &str) -> usize {
    let mut n = 0;
    let mut in_tag = false;
    let mut ws = true;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() => {
                if !ws {
                    n += 1;
                }
                ws = true;
            }
            _ => {
                n += 1;
                ws = false;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_noscript_blocks_are_opened() {
        let post = "<p>A post of some length, with words in it, that readers came to read.</p>".repeat(12);
        let page = format!(
            "<html><body><noscript><img src=/pixel.gif></noscript><div id=app></div>\
             <NOSCRIPT data-path=/t/1><div class=post>{post}</div></NOSCRIPT></body></html>"
        );
        let (opened, text) = open(&page).expect("a large block");
        assert!(text > 600, "{text}");
        assert!(opened.contains("<noscript><img src=/pixel.gif></noscript>"));
        assert!(opened.contains(&format!("<div data-noscript><div class=post>{post}</div></div>")));
        assert!(open("<html><body><noscript>Please enable JavaScript.</noscript></body></html>").is_none());
    }

    #[test]
    fn unclosed_noscript_is_left_alone() {
        assert!(open(&format!("<body><noscript>{}", "word ".repeat(300))).is_none());
    }
}
