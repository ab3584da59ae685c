//! Search-result snippets built from the original text (not the index
//! text), so readers see the real spelling with the matches marked.
//! Output is safe HTML: everything is escaped except our own `<mark>` tags.
//!
//! A word is marked when the search analyser ([`khabar_search::analyze`])
//! gives it a term of the query: the same rule that made the story match,
//! so what is marked is what was found (`می گوید` for `می‌گوید`, `تحریم‌ها`
//! for `تحریم`, `sanctioned` for `sanctions`).

use std::collections::HashSet;

use khabar_model::StoredStory;
use khabar_search::{mark_words, query_terms};
use khabar_text::escape_html_into as escape_into;

use crate::SearchHit;

/// Words in a result snippet.
pub(crate) const SNIPPET_WORDS: usize = 36;

/// Context words kept before the first match of the chosen window.
const LEAD_WORDS: usize = 4;

/// An HTML snippet of about `max_words` words of `text` around the densest
/// cluster of `query` terms, each matching word wrapped in `<mark>…</mark>`.
/// Without a match it returns the opening words.
pub fn snippet_html(text: &str, query: &str, max_words: usize) -> String {
    let max_words = max_words.max(1);
    let wanted: HashSet<String> = query_terms(query).into_iter().collect();
    let (words, hits) = marked_words(text, &wanted);
    if words.is_empty() {
        return String::new();
    }
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

/// The analysed words of `text` as byte spans (a word the analyser joined
/// with its detached prefix or suffix is one span), and whether each gives
/// a wanted term.
fn marked_words(text: &str, wanted: &HashSet<String>) -> (Vec<(usize, usize)>, Vec<bool>) {
    mark_words(text, wanted)
        .into_iter()
        .map(|(start, end, hit)| ((start, end), hit))
        .unzip()
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

/// A story as a search hit: its snippet for `query`, never showing more
/// of an excerpt-only source than the excerpt.
pub(crate) fn hit(story: StoredStory, query: &str, rank: f32) -> SearchHit {
    let text = if story.full_text && !story.body_text.is_empty() {
        &story.body_text
    } else {
        &story.excerpt
    };
    let snippet_html = snippet_html(text, query, SNIPPET_WORDS);
    SearchHit {
        story,
        snippet_html,
        rank,
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
        assert_eq!(s, "<mark>Iran&#39;s</mark> s-400 plan");
    }

    #[test]
    fn marks_what_the_analyser_matched() {
        for (query, body, marked) in [
            ("talks", "The talking went on", "talking"),
            ("country", "Both countries agreed", "countries"),
            ("تحریم", "آمریکا تحریم‌ها را تمدید کرد", "تحریم‌ها"),
            ("می‌گوید", "او می گوید که", "می گوید"),
            ("café", "a new cafe opened", "cafe"),
        ] {
            let s = snippet_html(body, query, 30);
            assert!(
                s.contains(&format!("<mark>{marked}</mark>")),
                "{query}: {s}"
            );
        }
        let s = snippet_html("Iran and Iraq", "iraq", 30);
        assert_eq!(s, "Iran and <mark>Iraq</mark>");
    }
}
