//! A story cut into the places where evidence can stand: headline,
//! dateline, lead paragraph and body, with paragraph and sentence numbers.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Headline,
    Dateline,
    /// The first paragraph of the body.
    Lead,
    Body,
}

/// Where a token stands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub zone: Zone,
    /// Body paragraph number (0 = lead); 0 for headline and dateline.
    pub para: u32,
    /// Body sentence number across the whole body; 0 outside the body.
    pub sent: u32,
}

/// The folded tokens of a story and where each stands. Tokens of all zones
/// live in one sequence (headline, dateline, body) so one lexicon scan finds
/// every term; phrase matches never cross a zone because zones are
/// separated by an empty token. Token text lives in one buffer (no
/// allocation per word: this is the hot path).
pub(crate) struct Document {
    buf: String,
    spans: Vec<(u32, u32)>,
    pub places: Vec<Place>,
    /// Index of the first body token.
    pub body_start: usize,
    pub n_paras: u32,
    pub n_sents: u32,
    /// Where the next token stands, while building.
    cur: Place,
    /// The current sentence has a token (so a stop closes it).
    sent_open: bool,
}

/// Wire copy ends with a "Reuter"/"REUTER" sign-off and may carry SGML
/// residue ("&\t", "&#3;"); none of it is text.
fn is_noise_line(line: &str) -> bool {
    let t = line.trim().trim_start_matches("&\\t").trim();
    t.is_empty() || t.eq_ignore_ascii_case("reuter") || t.starts_with("&#")
}

/// Reference splitter, kept for tests: [`Document::new`] numbers
/// paragraphs the same way while streaming over lines.
///
/// Splits a body into paragraphs. Blank lines always separate paragraphs;
/// wire copy wraps lines at ~70 columns and marks a new paragraph with an
/// indented line or a stray "&\t", so those separate too.
#[cfg(test)]
pub(crate) fn paragraphs(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in body.lines() {
        let starts_new = line.starts_with("&\\t")
            || line.starts_with(' ')
            || line.starts_with('\t')
            || line.trim().is_empty();
        if starts_new && !cur.trim().is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if is_noise_line(line) {
            continue;
        }
        let text = line.trim().trim_start_matches("&\\t").trim();
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(text);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// Splits a paragraph into sentences at `.`, `!`, `?`, `؟` followed by a
/// space, except after a one-letter word ("U.S. Navy") or a digit ("3.5").
#[cfg(test)]
pub(crate) fn sentences(par: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = par.as_bytes();
    let mut iter = par.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !matches!(c, '.' | '!' | '?' | '؟') {
            continue;
        }
        let next_is_space = iter.peek().is_some_and(|(_, n)| n.is_whitespace());
        if !next_is_space {
            continue;
        }
        // Word before the stop: one letter means an initial or abbreviation.
        let before = &par[start..i];
        let last_word = before
            .rsplit(|ch: char| !ch.is_alphanumeric())
            .next()
            .unwrap_or("");
        if c == '.' && last_word.chars().count() <= 1 && !last_word.is_empty() {
            continue;
        }
        if c == '.'
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && i + 2 < bytes.len()
            && bytes[i + 2].is_ascii_digit()
        {
            continue;
        }
        let s = par[start..i + c.len_utf8()].trim();
        if !s.is_empty() {
            out.push(s);
        }
        start = i + c.len_utf8();
    }
    let s = par[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// A leading wire dateline inside the body ("TEHRAN (Reuters) - ...",
/// "LONDON, March 5 - ..."), when the caller gave none separately.
fn split_leading_dateline(body: &str) -> Option<(&str, &str)> {
    let head: &str = {
        let end = body.char_indices().nth(80).map_or(body.len(), |(i, _)| i);
        &body[..end]
    };
    let cut = ["(Reuters)", " - ", " – ", " — "]
        .iter()
        .filter_map(|m| head.find(m).map(|i| (i, m.len())))
        .min_by_key(|(i, _)| *i)?;
    let candidate = &body[..cut.0];
    // A dateline starts with an upper-case place name.
    let first_word: String = candidate
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if first_word.chars().count() >= 3 && first_word.chars().all(|c| c.is_uppercase()) {
        let mut rest = &body[cut.0 + cut.1..];
        rest = rest.trim_start_matches([' ', '-', '–', '—']);
        return Some((candidate, rest));
    }
    None
}

impl Document {
    fn empty(capacity: usize) -> Document {
        Document {
            buf: String::with_capacity(capacity),
            spans: Vec::with_capacity(capacity / 5 + 8),
            places: Vec::with_capacity(capacity / 5 + 8),
            body_start: 0,
            n_paras: 0,
            n_sents: 0,
            cur: Place {
                zone: Zone::Body,
                para: 0,
                sent: 0,
            },
            sent_open: false,
        }
    }

    pub fn new(title: &str, dateline: Option<&str>, body: &str) -> Document {
        let mut doc = Document::empty(title.len() + body.len() + 16);
        let (dateline, body) = match dateline {
            Some(d) => (Some(d), body),
            None => match split_leading_dateline(body.trim_start()) {
                Some((d, rest)) => (Some(d), rest),
                None => (None, body),
            },
        };
        doc.cur = Place {
            zone: Zone::Headline,
            para: 0,
            sent: 0,
        };
        doc.push_text(title);
        doc.push_gap();
        if let Some(d) = dateline {
            doc.cur.zone = Zone::Dateline;
            doc.push_text(d);
            doc.push_gap();
        }
        doc.body_start = doc.len();
        doc.push_body(body);
        doc
    }

    /// Tokenises the body line by line (no copy of the text), numbering
    /// paragraphs as [`paragraphs`] splits them and sentences as
    /// [`sentences`] does.
    fn push_body(&mut self, body: &str) {
        self.cur = Place {
            zone: Zone::Lead,
            para: 0,
            sent: 0,
        };
        self.sent_open = false;
        let mut para_start = self.len();
        for line in body.lines() {
            let starts_new = line.starts_with("&\\t")
                || line.starts_with(' ')
                || line.starts_with('\t')
                || line.trim().is_empty();
            if starts_new && self.len() > para_start {
                self.close_paragraph();
                para_start = self.len();
            }
            if is_noise_line(line) {
                continue;
            }
            self.push_text(line.trim().trim_start_matches("&\\t").trim());
        }
        if self.len() > para_start {
            self.close_paragraph();
        }
        self.n_paras = self.cur.para;
        self.n_sents = self.cur.sent;
    }

    fn close_sentence(&mut self) {
        if self.sent_open {
            self.cur.sent += 1;
            self.sent_open = false;
        }
    }

    fn close_paragraph(&mut self) {
        self.close_sentence();
        let sent = self.cur.sent.saturating_sub(1);
        self.spans
            .push((self.buf.len() as u32, self.buf.len() as u32));
        self.places.push(Place { sent, ..self.cur });
        self.cur.para += 1;
        self.cur.zone = Zone::Body;
    }

    /// A document of one piece of text (used to tokenise terms exactly as
    /// stories are tokenised).
    pub fn from_text(text: &str) -> Document {
        let mut doc = Document::empty(text.len());
        doc.push_text(text);
        doc
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn tok(&self, i: usize) -> &str {
        let (s, e) = self.spans[i];
        &self.buf[s as usize..e as usize]
    }

    /// All tokens, gaps included (as empty strings).
    pub fn tokens(&self) -> Vec<&str> {
        (0..self.len()).map(|i| self.tok(i)).collect()
    }

    /// Appends the folded word tokens of `text`: the same tokens as
    /// `khabar_text::tokens` (NFKC, `khabar_text::fold_char_into`, letters
    /// and digits, apostrophe inside a word), with English possessive `'s`
    /// dropped, and an ASCII fast path (NFKC only for characters that
    /// need it).
    /// Sentence stops (`.`, `!`, `?`, `؟` before a space or the end of the
    /// line, not after a one-letter word) close the current sentence.
    fn push_text(&mut self, text: &str) {
        let mut start: Option<usize> = None;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let before = self.buf.len();
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    start.get_or_insert(before);
                    self.buf.push(c.to_ascii_lowercase());
                    continue;
                }
                if c != '\'' {
                    let ended = self.end_token(&mut start);
                    let at_break = chars.peek().is_none_or(|n| n.is_whitespace());
                    if matches!(c, '.' | '!' | '?') && at_break && !(c == '.' && ended == Some(1)) {
                        self.close_sentence();
                    }
                    continue;
                }
                self.buf.push('\'');
            } else if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
                khabar_text::fold_char_into(c, &mut self.buf);
            } else {
                for d in std::iter::once(c).nfkc() {
                    khabar_text::fold_char_into(d, &mut self.buf);
                }
            }
            let added = &self.buf[before..];
            if added.is_empty() {
                // ZWNJ, vowel marks, bidi controls: inside a word, nothing.
                continue;
            }
            if added == "'" {
                let inside = start.is_some() && chars.peek().is_some_and(|n| n.is_alphanumeric());
                if !inside {
                    self.buf.truncate(before);
                    self.end_token(&mut start);
                }
            } else if added.chars().all(char::is_alphanumeric) {
                start.get_or_insert(before);
            } else {
                // Mixed expansion (NFKC of "½" is "1⁄2"): word characters
                // join the token, anything else ends it.
                let added: String = added.to_string();
                self.buf.truncate(before);
                for d in added.chars() {
                    if d.is_alphanumeric() {
                        start.get_or_insert(self.buf.len());
                        self.buf.push(d);
                    } else {
                        self.end_token(&mut start);
                    }
                }
                if c == '؟' && chars.peek().is_none_or(|n| n.is_whitespace()) {
                    self.close_sentence();
                }
            }
        }
        self.end_token(&mut start);
    }

    /// Ends the current token, if any; returns its length in characters.
    fn end_token(&mut self, start: &mut Option<usize>) -> Option<usize> {
        let s = start.take()?;
        let tok = &self.buf[s..];
        let cut = if tok.len() > 2 && tok.ends_with("'s") {
            2
        } else if tok.ends_with('\'') {
            1
        } else {
            0
        };
        self.buf.truncate(self.buf.len() - cut);
        if self.buf.len() > s {
            let chars = self.buf[s..].chars().count();
            self.spans.push((s as u32, self.buf.len() as u32));
            self.places.push(self.cur);
            self.sent_open = true;
            Some(chars)
        } else {
            self.buf.truncate(s);
            None
        }
    }

    /// An empty token: no term matches across it.
    fn push_gap(&mut self) {
        let at = self.buf.len() as u32;
        self.spans.push((at, at));
        self.places.push(self.cur);
    }

    /// Number of word tokens in the body.
    pub fn body_words(&self) -> usize {
        (self.body_start..self.len())
            .filter(|&i| !self.tok(i).is_empty())
            .count()
    }
}

/// A sequence of folded tokens (a story's, or a term's).
pub(crate) trait TokenSource {
    fn count(&self) -> usize;
    fn at(&self, i: usize) -> &str;
}

impl TokenSource for [&str] {
    fn count(&self) -> usize {
        self.len()
    }
    fn at(&self, i: usize) -> &str {
        self[i]
    }
}

impl TokenSource for Document {
    fn count(&self) -> usize {
        self.len()
    }
    fn at(&self, i: usize) -> &str {
        self.tok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_paragraphs_split_on_markers_and_indents() {
        let body = "Iran announced tonight that its major\noffensive had ended.\n&\\tThe Iranian news agency said\nso.\n    The statement by the High Command.\n Reuter\n&#3;";
        let p = paragraphs(body);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(
            p[0],
            "Iran announced tonight that its major offensive had ended."
        );
    }

    #[test]
    fn sentences_do_not_break_after_initials() {
        let s = sentences(
            "The U.S. Navy sent ships. Iran said no! Prices rose 3.5 pct. تهران گفت؟ بله",
        );
        assert_eq!(s.len(), 5, "{s:?}");
        assert_eq!(s[0], "The U.S. Navy sent ships.");
    }

    #[test]
    fn streaming_counts_match_the_reference_splitters() {
        let body = "Iran announced tonight that its major\noffensive had ended. The U.S. Navy\nsaid so.\n&\\tThe Iranian news agency said\nso! Really?\n    The statement by the High Command.\n\nتهران گفت؟ بله.\n Reuter\n&#3;";
        let d = Document::new("t", Some("LONDON -"), body);
        let paras = paragraphs(body);
        let sents: usize = paras.iter().map(|p| sentences(p).len()).sum();
        assert_eq!(d.n_paras as usize, paras.len());
        assert_eq!(d.n_sents as usize, sents);
        assert_eq!((d.n_paras, d.n_sents), (4, 7));
    }

    #[test]
    fn tokens_are_khabar_text_tokens() {
        for text in [
            "Iran’s President, in TEHRAN. U.S.-Iran talks; rock'n'roll 'quoted'",
            "او می‌خواهد به تهران برود؛ كيهان و ايران ۱۴۰۲ ١٢٣ ﻻ ﷲ",
            "Café ÉCOLE naïve – 3½ “quotes” co-operate",
        ] {
            let ours: Vec<String> = Document::from_text(text)
                .tokens()
                .into_iter()
                .map(str::to_string)
                .collect();
            let theirs: Vec<String> = khabar_text::tokens(text)
                .map(|t| t.strip_suffix("'s").map(str::to_string).unwrap_or(t))
                .collect();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn leading_dateline_is_found_in_body() {
        let d = Document::new(
            "Talks",
            None,
            "TEHRAN (Reuters) - Iran said on Monday it would talk.",
        );
        let date_toks: Vec<_> = d
            .tokens()
            .into_iter()
            .zip(&d.places)
            .filter(|(t, p)| p.zone == Zone::Dateline && !t.is_empty())
            .map(|(t, _)| t)
            .collect();
        assert_eq!(date_toks, vec!["tehran"]);
        assert_eq!(d.n_paras, 1);
    }
}
