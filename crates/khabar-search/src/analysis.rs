//! The one analyser of khabar's search: the same terms for indexing, for
//! queries and for marking matches in snippets, on every backend.
//!
//! A text becomes terms in four steps:
//! 1. words are found in the original text (letters, digits, the marks and
//!    joiners inside Persian words, an apostrophe inside a Latin word), so
//!    each term knows the span of text it came from;
//! 2. each word is folded ([`khabar_text::tokens`]: Arabic yeh and kaf to
//!    Persian, ZWNJ and vowel marks dropped, digits of every script to ASCII,
//!    lower case);
//! 3. a Persian verb prefix or plural/comparative suffix written apart with
//!    a space is joined to its word ([`crate::persian`]), so the spaced, the
//!    ZWNJ and the joined spellings give one term;
//! 4. Persian words lose their plural, comparative and ezafe endings
//!    ([`crate::persian::stem`]); Latin words lose their accents (`café` is
//!    `cafe`) and are stemmed by the Snowball English stemmer.
//!
//! [`khabar_text::tokens`] itself is not changed: dedup and topic scoring
//! rely on its exact output.

use std::collections::HashSet;

use frostem::{Algorithm, Stemmer};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::persian::{is_detached_suffix, is_persian_word, is_verb_prefix, stem};

/// Terms longer than this many bytes are dropped (hashes, base64 junk).
const MAX_TERM_BYTES: usize = 64;

/// Query words beyond this many are ignored.
const MAX_QUERY_TERMS: usize = 32;

/// One term of a text and the byte span of the original text it stands for
/// (two words when a detached prefix or suffix was joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The terms of `text`, in order.
pub fn analyze(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    analyze_words(text, |_| false, |t| out.push(t));
    out
}

/// The words of `text` as [`analyze`] cuts them (byte spans), each with
/// whether it gives one of the `wanted` terms: what marking matches in a
/// snippet needs, with the same answer as comparing [`analyze`]'s terms.
///
/// Why not just [`analyze`]: a search page marks matches in the whole body
/// of each of its results, and folding and stemming every word of twenty
/// stories was most of the page's time. A word of ASCII letters and digits
/// cannot give a wanted term unless its first letter, lower-cased, starts
/// one (folding only lower-cases ASCII, and the English stemmer keeps the
/// first letter), so such a word is neither folded nor stemmed: in an
/// English story that is most words. Words in other scripts, which Persian
/// joining rules and Unicode folding can reshape, always take the full
/// path.
pub fn mark_words(text: &str, wanted: &HashSet<String>) -> Vec<(usize, usize, bool)> {
    let firsts: HashSet<char> = wanted.iter().filter_map(|t| t.chars().next()).collect();
    let cannot_match = |word: &str| {
        word.len() <= MAX_TERM_BYTES
            && word.bytes().all(|b| b.is_ascii_alphanumeric())
            && !word
                .chars()
                .next()
                .is_some_and(|c| firsts.contains(&c.to_ascii_lowercase()))
    };
    let mut out: Vec<(usize, usize, bool)> = Vec::new();
    analyze_words(text, cannot_match, |t| {
        let hit = !t.text.is_empty() && wanted.contains(&t.text);
        // One span may give more than one term (a ligature folding to two
        // words): one word, marked if any of them matched.
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (t.start, t.end) => last.2 |= hit,
            _ => out.push((t.start, t.end, hit)),
        }
    });
    out
}

/// The analysis behind [`analyze`] and [`mark_words`]: each term is handed
/// to `emit` in order. A word for which `skip` holds is handed on as a term
/// with empty text (its span kept, never joined to a neighbour); only
/// [`mark_words`] skips words, and only ASCII ones, which no Persian joining
/// rule touches.
fn analyze_words(text: &str, skip: impl Fn(&str) -> bool, mut emit: impl FnMut(Term)) {
    let words = folded_words(text, &skip);
    let english = Stemmer::new(Algorithm::English);
    let mut i = 0;
    while i < words.len() {
        let mut word = words[i].clone();
        if word.text.is_empty() {
            emit(word);
            i += 1;
            continue;
        }
        let joins = |a: &Term, b: &Term| is_persian_word(&b.text) && apart(text, a.end, b.start);
        if is_verb_prefix(&word.text)
            && let Some(next) = words.get(i + 1).filter(|n| joins(&word, n))
        {
            word.text.push_str(&next.text);
            word.end = next.end;
            i += 1;
        }
        while is_persian_word(&word.text)
            && let Some(next) = words
                .get(i + 1)
                .filter(|n| is_detached_suffix(&n.text) && joins(&word, n))
        {
            word.text.push_str(&next.text);
            word.end = next.end;
            i += 1;
        }
        i += 1;
        word.text = normalize(&word.text, &english);
        if !word.text.is_empty() && word.text.len() <= MAX_TERM_BYTES {
            emit(word);
        }
    }
}

/// The terms of a query, in order, each once (at most 32). Every one must
/// match (AND) on every backend.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for t in analyze(text) {
        if !terms.contains(&t.text) {
            terms.push(t.text);
            if terms.len() == MAX_QUERY_TERMS {
                break;
            }
        }
    }
    terms
}

/// Folded words of `text` with the byte spans they came from; a word for
/// which `skip` holds keeps its span with empty text, unfolded.
fn folded_words(text: &str, skip: &impl Fn(&str) -> bool) -> Vec<Term> {
    let mut out = Vec::new();
    for (start, end) in word_spans(text) {
        if skip(&text[start..end]) {
            out.push(Term {
                text: String::new(),
                start,
                end,
            });
            continue;
        }
        for folded in khabar_text::tokens(&text[start..end]) {
            out.push(Term {
                text: folded,
                start,
                end,
            });
        }
    }
    out
}

/// Byte spans of words: letters, digits, and the marks and joiners that
/// belong inside Persian words (so `می‌خواهد` is one word), and an
/// apostrophe between letters (`Iran's`).
pub(crate) fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inside = c.is_alphanumeric()
            || (start.is_some()
                && (is_combining_mark(c)
                    || matches!(c, '\u{200C}' | '\u{200D}' | '\u{0640}')
                    || (matches!(c, '\'' | '\u{2019}')
                        && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()))));
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

/// Whether only spacing (and invisible joiners or direction marks) stands
/// between two words: a comma or a full stop keeps them apart.
fn apart(text: &str, end: usize, start: usize) -> bool {
    end < start
        && text[end..start]
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '\u{200C}'..='\u{200F}'))
}

/// The term of one folded word.
fn normalize(word: &str, english: &Stemmer) -> String {
    if is_persian_word(word) {
        return stem(word);
    }
    let plain = strip_latin_accents(word);
    if plain.bytes().any(|b| b.is_ascii_alphabetic()) && plain.is_ascii() {
        english.stem(&plain).into_owned()
    } else {
        plain
    }
}

/// `café` → `cafe`: accents of Latin letters dropped. Other scripts keep
/// their marks (the hamza of `ئ` is a letter of its own in Persian).
fn strip_latin_accents(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn english_is_stemmed_and_unaccented() {
        assert_eq!(
            query_terms("Iran's oil PRICES rising"),
            vec!["iran", "oil", "price", "rise"]
        );
        assert_eq!(query_terms("café"), query_terms("cafe"));
        assert_eq!(query_terms("Sanctions"), query_terms("sanctioned"));
        assert!(query_terms(" ?! ").is_empty());
        assert_eq!(query_terms("oil oil Oil"), vec!["oil"]);
    }

    #[test]
    fn spaced_zwnj_and_joined_persian_spellings_meet() {
        let want = terms("می‌گوید");
        assert_eq!(want.len(), 1);
        assert_eq!(terms("می گوید"), want);
        assert_eq!(terms("میگوید"), want);
        assert_eq!(terms("مي گويد"), want, "Arabic yeh");
        assert_eq!(terms("تحریم ها"), terms("تحریم‌ها"));
        assert_eq!(terms("تحریم‌ها"), terms("تحریم"));
        assert_eq!(terms("نمی خواهد"), terms("نمی‌خواهد"));
        // Punctuation keeps words apart.
        assert_eq!(terms("می، گوید").len(), 2);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "او می گوید که تحریم ها";
        let got = analyze(text);
        let shown: Vec<&str> = got.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(shown, vec!["او", "می گوید", "که", "تحریم ها"]);
    }

    #[test]
    fn digits_of_every_script_meet() {
        assert_eq!(terms("۱۴۰۳"), vec!["1403"]);
        assert_eq!(terms("١٤٠٣"), vec!["1403"]);
    }
}
