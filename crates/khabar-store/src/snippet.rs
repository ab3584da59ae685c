//! Search-result snippets built from the original text (not the folded
//! index text), so readers see the real spelling with the matches marked.
//! Output is safe HTML: everything is escaped except our own `<mark>` tags.

use khabar_text::fold;

/// Context words kept before the first match of the chosen window.
const LEAD_WORDS: usize = 4;

/// An HTML snippet of about `max_words` words of `text` around the densest
/// cluster of `query` terms, each matching word wrapped in `<mark>…</mark>`.
/// Matching folds both sides (Arabic/Persian letter variants, ZWNJ,
/// diacritics, case) and tolerates simple English inflections
/// (sanction/sanctions/sanctioned). Without a match it returns the opening words.
pub fn snippet_html(text: &str, query: &str, max_words: usize) -> String {
    let max_words = max_words.max(1);
    let terms = query_terms(query);
    let words = word_spans(text);
    if words.is_empty() {
        return String::new();
    }
    let hits: Vec<bool> = words
        .iter()
        .map(|&(a, b)| {
            let w = fold(&text[a..b]);
            let ws = light_stem(&w);
            terms
                .iter()
                .any(|(t, ts)| *t == w || (ts.is_some() && *ts == ws))
        })
        .collect();
    let start = best_window(&hits, max_words);
    let end = (start + max_words).min(words.len());
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    let mut pos = words[start].0;
    for i in start..end {
        let (a, b) = words[i];
        push_spaced(&mut out, &text[pos..a]);
        if hits[i] {
            out.push_str("<mark>");
            escape_into(&mut out, &text[a..b]);
            out.push_str("</mark>");
        } else {
            escape_into(&mut out, &text[a..b]);
        }
        pos = b;
    }
    if end < words.len() {
        // Keep punctuation glued to the last word (e.g. a closing quote or full stop).
        let tail_end = words[end].0;
        let tail = text[pos..tail_end].trim_end();
        escape_into(&mut out, tail);
        out.push_str(" …");
    } else {
        push_spaced(&mut out, text[pos..].trim_end());
    }
    out
}

/// Folded query terms with their light English stem (None for non-Latin terms).
fn query_terms(query: &str) -> Vec<(String, Option<String>)> {
    let all: Vec<String> = khabar_text::tokens(query)
        .flat_map(|t| t.split('\'').map(str::to_string).collect::<Vec<_>>())
        .filter(|t| !t.is_empty())
        .collect();
    // One-letter leftovers ("iran's" -> "s") would mark stray letters everywhere.
    let long: Vec<String> = all
        .iter()
        .filter(|t| t.chars().count() > 1)
        .cloned()
        .collect();
    let chosen = if long.is_empty() { all } else { long };
    chosen
        .into_iter()
        .map(|t| {
            let s = light_stem(&t);
            (t, s)
        })
        .collect()
}

/// A deliberately small English suffix stripper, only for highlighting (the
/// index itself uses Porter/Snowball): it must agree on common inflections.
fn light_stem(w: &str) -> Option<String> {
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut s = w.to_string();
    if let Some(base) = s.strip_suffix("ies").filter(|b| b.len() >= 3) {
        s = format!("{base}y");
    } else if let Some(base) = s.strip_suffix("ing").filter(|b| b.len() >= 3) {
        s = base.to_string();
    } else if let Some(base) = s.strip_suffix("ed").filter(|b| b.len() >= 3) {
        s = base.to_string();
    } else if let Some(base) = s
        .strip_suffix('s')
        .filter(|b| b.len() >= 3 && !b.ends_with('s'))
    {
        s = base.to_string();
    }
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    Some(s)
}

/// Byte spans of words: letters, digits, and the joiners/marks that belong
/// inside Persian words (ZWNJ, harakat), so "می‌خواهد" is one word.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric()
            || matches!(c, '\u{200C}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}');
        match (start, inside) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Start index of the `size`-word window with the most hits, opening a few
/// words before its first hit; 0 when nothing matched.
fn best_window(hits: &[bool], size: usize) -> usize {
    let mut best = (0usize, 0usize); // (count, start)
    for (i, _) in hits.iter().enumerate().filter(|(_, h)| **h) {
        let start = i.saturating_sub(LEAD_WORDS);
        let count = hits[start..(start + size).min(hits.len())]
            .iter()
            .filter(|h| **h)
            .count();
        if count > best.0 {
            best = (count, start);
        }
    }
    best.1
}

/// Appends the text between two words, whitespace (incl. newlines) collapsed to one space.
fn push_spaced(out: &mut String, between: &str) {
    let mut last_space = false;
    let mut buf = String::new();
    for c in between.chars() {
        if c.is_whitespace() {
            if !last_space {
                buf.push(' ');
            }
            last_space = true;
        } else {
            buf.push(c);
            last_space = false;
        }
    }
    escape_into(out, &buf);
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_inflected_english_and_escapes() {
        let s = snippet_html("The US sanctioned <Iran> & its allies.", "sanctions", 30);
        assert_eq!(
            s,
            "The US <mark>sanctioned</mark> &lt;Iran&gt; &amp; its allies."
        );
    }

    #[test]
    fn marks_persian_word_typed_with_arabic_letters_and_no_zwnj() {
        let body = "وزیر خارجه گفت ایران می‌خواهد مذاکره کند";
        let s = snippet_html(body, "ميخواهد", 30);
        assert!(s.contains("<mark>می‌خواهد</mark>"), "{s}");
        let s = snippet_html(body, "وزير", 30);
        assert!(s.contains("<mark>وزیر</mark>"), "{s}");
    }

    #[test]
    fn window_moves_to_the_matches_with_ellipses() {
        let mut body = String::new();
        for i in 0..100 {
            body.push_str(&format!("filler{i} "));
        }
        body.push_str("Tehran said the talks in Tehran went well. ");
        for i in 0..50 {
            body.push_str(&format!("more{i} "));
        }
        let s = snippet_html(&body, "tehran talks", 12);
        assert!(s.starts_with("… "), "{s}");
        assert!(s.ends_with(" …"), "{s}");
        assert_eq!(s.matches("<mark>").count(), 3, "{s}");
        assert!(!s.contains("filler0 "), "{s}");
    }

    #[test]
    fn no_match_gives_opening_words() {
        let s = snippet_html("One two three four five", "zebra", 3);
        assert_eq!(s, "One two three …");
        assert_eq!(snippet_html("", "x", 3), "");
    }

    #[test]
    fn possessive_query_does_not_mark_stray_letters() {
        let s = snippet_html("Iran's s-400 plan", "iran's", 10);
        assert_eq!(s, "<mark>Iran</mark>&#39;s s-400 plan");
    }

    #[test]
    fn stems_agree_on_common_inflections() {
        for (a, b) in [
            ("sanctions", "sanctioned"),
            ("talks", "talking"),
            ("strikes", "strike"),
            ("countries", "country"),
        ] {
            assert_eq!(light_stem(a), light_stem(b), "{a} {b}");
        }
        assert_ne!(light_stem("iran"), light_stem("iraq"));
    }
}
