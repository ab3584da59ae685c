use rustc_hash::FxHashMap;

use crate::document::{Document, TokenSource};

/// Persian suffixes that attach to a noun without changing what it names:
/// plural, ezafe/adjective yeh, indefinite, possessive clitics. A Persian
/// term also matches a word that is the term plus one of these
/// (ایرانی, تهرانی‌ها, سپاهیان...). Longest first so the longest
/// suffix is tried before its tail.
const PERSIAN_SUFFIXES: &[&str] = &[
    "هایشان",
    "هایمان",
    "هایی",
    "هایش",
    "یانی",
    "ییان",
    "های",
    "یان",
    "ها",
    "ای",
    "ان",
    "ش",
    "ی",
];

/// Which scripts a lexicon's first words are in: a token of another
/// script cannot start a match, so it is skipped without a lookup.
#[derive(Default, Clone, Copy)]
struct Scripts {
    latin: bool,
    arabic: bool,
    other: bool,
}

impl Scripts {
    fn note(&mut self, tok: &str) {
        match script_of(tok) {
            0 => self.latin = true,
            1 => self.arabic = true,
            _ => self.other = true,
        }
    }
    fn may_match(&self, tok: &str) -> bool {
        match script_of(tok) {
            0 => self.latin,
            1 => self.arabic,
            _ => self.other,
        }
    }
}

/// 0 = ASCII-led, 1 = Arabic script, 2 = anything else.
fn script_of(tok: &str) -> u8 {
    match tok.as_bytes().first() {
        Some(b) if b.is_ascii() => 0,
        // Arabic block U+0600..U+06FF is encoded with lead bytes 0xD8..0xDB.
        Some(0xD8..=0xDB) => 1,
        _ => 2,
    }
}

/// One matched term in a token sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub start: usize,
    pub len: usize,
    /// The entry's payload (what the caller registered).
    pub payload: u32,
}

struct Entry {
    tokens: Box<[String]>,
    payload: u32,
}

/// A set of (possibly multi-word) terms matched on folded tokens.
///
/// Matching is greedy longest-first at each position, so "Bandar Khomeini"
/// is one place rather than a person, and "Iran-Iraq war" one event.
#[derive(Default)]
pub(crate) struct Lexicon {
    by_first: FxHashMap<String, Vec<u32>>,
    scripts: Scripts,
    entries: Vec<Entry>,
}

/// Folded tokens of a term or text, with English possessive `'s` dropped
/// so "Iran's" is "iran".
pub(crate) fn term_tokens(text: &str) -> Vec<String> {
    let doc = Document::from_text(text);
    doc.tokens()
        .into_iter()
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_arabic_script(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Whether text token `tok` is `term`, or `term` with a Persian suffix.
fn matches_with_suffix(term: &str, tok: &str) -> bool {
    if tok == term {
        return true;
    }
    if !is_arabic_script(term) || !tok.starts_with(term) {
        return false;
    }
    let rest = &tok[term.len()..];
    PERSIAN_SUFFIXES.contains(&rest)
}

impl Lexicon {
    /// Adds a term; empty terms (no word characters) are ignored. A
    /// Persian term written with ZWNJ (خامنه‌ای) is also added in its
    /// spaced spelling (خامنه ای), which folding cannot join.
    pub fn add(&mut self, term: &str, payload: u32) {
        if term.contains('\u{200C}') {
            self.add_one(&term.replace('\u{200C}', " "), payload);
        }
        self.add_one(term, payload);
    }

    fn add_one(&mut self, term: &str, payload: u32) {
        let tokens = term_tokens(term);
        if tokens.is_empty() {
            return;
        }
        let idx = self.entries.len() as u32;
        self.scripts.note(&tokens[0]);
        self.by_first
            .entry(tokens[0].clone())
            .or_default()
            .push(idx);
        self.entries.push(Entry {
            tokens: tokens.into_boxed_slice(),
            payload,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Considers candidate entries `cands` at `toks[i..]`, keeping the
    /// longest match in `best`. With `exact_first` false the first token
    /// matched only through a Persian suffix, so only one-word entries apply.
    fn consider<T: TokenSource + ?Sized>(
        &self,
        cands: &[u32],
        toks: &T,
        i: usize,
        exact_first: bool,
        best: &mut Option<(usize, u32)>,
    ) {
        for &e in cands {
            let entry = &self.entries[e as usize];
            let n = entry.tokens.len();
            if (!exact_first && n > 1) || i + n > toks.count() || best.is_some_and(|(l, _)| l >= n)
            {
                continue;
            }
            let ok = (1..n).all(|k| {
                if k == n - 1 {
                    matches_with_suffix(&entry.tokens[k], toks.at(i + k))
                } else {
                    entry.tokens[k] == toks.at(i + k)
                }
            });
            if ok {
                *best = Some((n, entry.payload));
            }
        }
    }

    /// The longest entry matching at `toks[i..]`, as (length, payload).
    fn longest_at<T: TokenSource + ?Sized>(&self, toks: &T, i: usize) -> Option<(usize, u32)> {
        let mut best: Option<(usize, u32)> = None;
        let tok = toks.at(i);
        if tok.is_empty() || !self.scripts.may_match(tok) {
            return None;
        }
        if let Some(c) = self.by_first.get(tok) {
            self.consider(c, toks, i, true, &mut best);
        }
        if best.is_none() && is_arabic_script(tok) {
            for suf in PERSIAN_SUFFIXES {
                if let Some(stem) = tok.strip_suffix(suf)
                    && stem.chars().count() >= 2
                    && let Some(c) = self.by_first.get(stem)
                {
                    self.consider(c, toks, i, false, &mut best);
                    if best.is_some() {
                        break;
                    }
                }
            }
        }
        best
    }

    /// Calls `f` for every non-overlapping match, left to right.
    pub fn scan<T: TokenSource + ?Sized>(&self, toks: &T, mut f: impl FnMut(Match)) {
        if self.entries.is_empty() {
            return;
        }
        let mut i = 0;
        while i < toks.count() {
            if let Some((len, payload)) = self.longest_at(toks, i) {
                f(Match {
                    start: i,
                    len,
                    payload,
                });
                i += len;
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(lex: &Lexicon, text: &str) -> Vec<u32> {
        let owned = term_tokens(text);
        let toks: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut out = vec![];
        lex.scan(toks.as_slice(), |m| out.push(m.payload));
        out
    }

    #[test]
    fn longest_phrase_wins() {
        let mut lex = Lexicon::default();
        lex.add("Khomeini", 1);
        lex.add("Bandar Khomeini", 2);
        lex.add("Iran", 3);
        assert_eq!(
            found(&lex, "ships at Bandar Khomeini and Iran's ports"),
            vec![2, 3]
        );
        assert_eq!(found(&lex, "Ayatollah Khomeini said"), vec![1]);
    }

    #[test]
    fn persian_suffixes_and_spelling_variants_match() {
        let mut lex = Lexicon::default();
        lex.add("ایران", 1);
        lex.add("خامنه‌ای", 2);
        lex.add("سپاه پاسداران", 3);
        // Arabic yeh, suffixed forms, ZWNJ-less spelling.
        assert_eq!(found(&lex, "مردم ايرانی و ایرانیان"), vec![1, 1]);
        assert_eq!(found(&lex, "آیت‌الله خامنهای گفت"), vec![2]);
        assert_eq!(found(&lex, "فرمانده سپاه پاسدارانِ"), vec![3]);
        // A different word that merely starts with the term does not match.
        assert!(found(&lex, "ایرانشهر").is_empty());
    }
}
