use unicode_normalization::UnicodeNormalization;

use crate::fold_char_into;

/// Iterator over folded word tokens of a text (see [`tokens`]).
pub struct Tokens {
    folded: String,
    pos: usize,
}

/// Splits a text into folded word tokens: runs of letters and digits, with
/// ZWNJ and marks removed (so `می‌خواهم` is one token) and an apostrophe
/// inside a Latin word kept (`iran's`).
pub fn tokens(s: &str) -> Tokens {
    let mut folded = String::with_capacity(s.len());
    for c in s.nfkc() {
        fold_char_into(c, &mut folded);
    }
    Tokens { folded, pos: 0 }
}

impl Tokens {
    /// Collects the tokens as owned strings.
    pub fn into_vec(self) -> Vec<String> {
        self.collect()
    }
}

impl Iterator for Tokens {
    type Item = String;
    fn next(&mut self) -> Option<String> {
        let rest = &self.folded[self.pos..];
        let mut start = None;
        let mut end = rest.len();
        let mut prev_alnum = false;
        let mut iter = rest.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let word = c.is_alphanumeric()
                || (c == '\''
                    && prev_alnum
                    && iter.peek().is_some_and(|(_, n)| n.is_alphanumeric()));
            match (start, word) {
                (None, true) => start = Some(i),
                (Some(_), false) => {
                    end = i;
                    break;
                }
                _ => {}
            }
            prev_alnum = c.is_alphanumeric();
        }
        let start = start?;
        let tok = rest[start..end].to_string();
        self.pos += end;
        Some(tok)
    }
}

/// Number of word tokens, without allocating them.
pub fn word_count(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = c.is_alphanumeric() || c == '\u{200C}' || ('\u{064B}'..='\u{065F}').contains(&c);
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_folds() {
        let t = tokens("Iran's President, in TEHRAN.").into_vec();
        assert_eq!(t, vec!["iran's", "president", "in", "tehran"]);
    }

    #[test]
    fn persian_zwnj_word_is_one_token() {
        let t = tokens("او می‌خواهد به تهران برود").into_vec();
        assert_eq!(t, vec!["او", "میخواهد", "به", "تهران", "برود"]);
    }

    #[test]
    fn arabic_and_persian_spellings_meet() {
        assert_eq!(tokens("ايران").into_vec(), tokens("ایران").into_vec());
    }

    #[test]
    fn counts_words() {
        assert_eq!(word_count("one two  three"), 3);
        assert_eq!(word_count("می‌خواهد برود"), 2);
    }
}
