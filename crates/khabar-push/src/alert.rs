//! Keyword alerts: a saved query whose new matches are pushed like any
//! story. A story matches when every word of the query occurs in its
//! headline or text, compared as folded tokens (khabar-text), so Persian
//! spellings meet: Arabic and Persian yeh and kaf, vowel marks, digits, and a
//! prefix written joined, with a ZWNJ or with a space (`می‌گوید`,
//! `میگوید`, `می گوید`).

use std::collections::HashSet;

/// The words of one story, ready to be matched by any number of queries.
#[derive(Debug, Clone, Default)]
pub struct StoryWords {
    /// Every folded token, and every two neighbouring tokens written
    /// together (`می` + `گوید` → `میگوید`).
    words: HashSet<String>,
}

impl StoryWords {
    pub fn new(headline: &str, text: &str) -> StoryWords {
        let mut words = HashSet::new();
        for part in [headline, text] {
            let mut prev: Option<String> = None;
            for tok in khabar_text::tokens(part) {
                if let Some(p) = prev.take() {
                    words.insert(format!("{p}{tok}"));
                    words.insert(p);
                }
                prev = Some(tok);
            }
            if let Some(p) = prev {
                words.insert(p);
            }
        }
        StoryWords { words }
    }

    fn has(&self, word: &str) -> bool {
        self.words.contains(word)
    }
}

/// A parsed keyword-alert query: all of its words must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertQuery {
    terms: Vec<String>,
}

impl AlertQuery {
    /// `None` when the query has no words to match (only punctuation or
    /// space), which the configuration rejects.
    pub fn parse(query: &str) -> Option<AlertQuery> {
        let terms: Vec<String> = khabar_text::tokens(query).collect();
        (!terms.is_empty()).then_some(AlertQuery { terms })
    }

    /// Whether every word of the query is in the story. Two neighbouring
    /// query words may also match as one word of the story (a prefix the
    /// query wrote apart and the story wrote joined).
    pub fn matches(&self, story: &StoryWords) -> bool {
        let mut i = 0;
        while i < self.terms.len() {
            if let Some(next) = self.terms.get(i + 1)
                && story.has(&format!("{}{next}", self.terms[i]))
            {
                i += 2;
                continue;
            }
            if !story.has(&self.terms[i]) {
                return false;
            }
            i += 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(query: &str, headline: &str, text: &str) -> bool {
        AlertQuery::parse(query)
            .expect("query has words")
            .matches(&StoryWords::new(headline, text))
    }

    #[test]
    fn all_words_must_occur_in_headline_or_text() {
        assert!(hit(
            "Iran nuclear",
            "Iran talks resume",
            "The nuclear file is open."
        ));
        assert!(hit("IRAN", "iran's talks", "Iran said"));
        assert!(!hit(
            "Iran sanctions",
            "Iran talks resume",
            "The nuclear file."
        ));
        assert!(!hit("iran", "Tirana hosts a summit", "Albania."));
    }

    #[test]
    fn persian_spellings_meet() {
        // ZWNJ, space or nothing between the prefix and the verb.
        assert!(hit("می گوید", "", "وزیر خارجه می‌گوید مذاکرات ادامه دارد"));
        assert!(hit("می‌گوید", "", "وزیر خارجه می گوید مذاکرات ادامه دارد"));
        assert!(hit("میگوید", "", "وزیر خارجه می‌گوید"));
        // Arabic yeh and kaf against Persian ones.
        assert!(hit("ايران", "", "ایران و آمریکا"));
        assert!(hit("کشور", "", "كشور"));
        assert!(!hit("تهران", "", "وزیر خارجه می‌گوید"));
    }

    #[test]
    fn a_query_without_words_is_refused() {
        assert_eq!(AlertQuery::parse("  ,; "), None);
        assert!(AlertQuery::parse("Iran").is_some());
    }
}
