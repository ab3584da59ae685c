//! The event representation: salient words of a story's title and lead.
//!
//! Two different reports of one event (a speech, a strike, a vote) share few
//! sentences, so shingles cannot link them; they do share the names and
//! nouns of the headline and first lines. Latin-script leads contribute
//! capitalised words (names, places, organisations); Persian has no case, so
//! there every non-stop word of three letters or more counts.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::hash::hash_bytes;

/// Keywords kept per story: enough to overlap with a related report, few
/// enough to keep the inverted index small.
pub const MAX_KEYWORDS: usize = 12;
/// Of those, at most this many come from the title.
const MAX_TITLE_KEYWORDS: usize = 8;
/// Words of the body that count as its lead.
const LEAD_WORDS: usize = 60;

/// Function words and wire furniture in English and Persian, which say
/// nothing about which event a story covers. Folded at first use.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "with",
    "from",
    "this",
    "was",
    "were",
    "are",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "can",
    "not",
    "but",
    "its",
    "it's",
    "his",
    "her",
    "their",
    "they",
    "them",
    "she",
    "him",
    "who",
    "whom",
    "which",
    "what",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "some",
    "more",
    "most",
    "less",
    "over",
    "under",
    "into",
    "onto",
    "about",
    "after",
    "before",
    "than",
    "then",
    "there",
    "here",
    "also",
    "been",
    "being",
    "said",
    "says",
    "say",
    "told",
    "new",
    "one",
    "two",
    "three",
    "out",
    "off",
    "per",
    "our",
    "you",
    "your",
    "his",
    "mr",
    "mrs",
    "ms",
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "say",
    "sees",
    "see",
    "set",
    "sets",
    "up",
    "down",
    "update",
    "updated",
    "corrected",
    "correction",
    "urgent",
    "breaking",
    "exclusive",
    "analysis",
    "factbox",
    "reuters",
    "reuter",
    "afp",
    "ap",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "week",
    "month",
    "year",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "pct",
    "mln",
    "bln",
    "dlrs",
    "cts",
    "net",
    "qtr",
    "shr",
    "vs",
    "billion",
    "million",
    "percent",
    "last",
    "first",
    "next",
    "this",
    "that",
    "these",
    "those",
    "against",
    "between",
    "during",
    "while",
    "because",
    "such",
    "other",
    "only",
    "just",
    "very",
    "still",
    "even",
    "many",
    "much",
    "each",
    "both",
    "did",
    "does",
    "doing",
    "if",
    "in",
    "on",
    "at",
    "to",
    "of",
    "by",
    "as",
    "an",
    "a",
    "is",
    "be",
    "or",
    "it",
    "he",
    "we",
    "i",
    "no",
    "yes",
    "so",
    "do",
    "via",
    "amid",
    "among",
    "within",
    "without",
    "again",
    "says",
    // Persian
    "این",
    "آن",
    "برای",
    "است",
    "های",
    "ها",
    "شده",
    "شد",
    "کرد",
    "کند",
    "کرده",
    "کنند",
    "خود",
    "نیز",
    "باید",
    "بود",
    "دارد",
    "داد",
    "گفت",
    "گفته",
    "اما",
    "ولی",
    "شود",
    "پس",
    "روز",
    "سال",
    "آنها",
    "ایشان",
    "وی",
    "او",
    "که",
    "از",
    "به",
    "در",
    "با",
    "را",
    "تا",
    "بر",
    "هم",
    "یک",
    "می",
    "اند",
    "بوده",
    "باشد",
    "همه",
    "هر",
    "چه",
    "چند",
    "دیگر",
    "پیش",
    "پنج",
    "چهار",
    "سه",
    "دو",
    "امروز",
    "دیروز",
    "هفته",
    "ماه",
    "گزارش",
    "خبرگزاری",
    "اساس",
    "درباره",
    "بین",
    "روی",
    "زیر",
    "میان",
    "توسط",
    "کنید",
    "کنیم",
    "است",
    "نیست",
    "هست",
    "یا",
    "اگر",
    "چون",
    "زیرا",
    "همچنین",
];

fn stopwords() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().map(|w| khabar_text::fold(w)).collect())
}

/// Whether a folded token can name an event: not a stop word, not a bare
/// number, at least three letters.
fn is_salient(tok: &str) -> bool {
    tok.chars().count() >= 3 && !tok.chars().all(|c| c.is_numeric()) && !stopwords().contains(tok)
}

/// Keyword hashes of a story: title words first, then the lead's most
/// frequent salient words, each at most once.
pub fn keywords(title: &str, lead_lines: &[&str]) -> (Vec<u32>, u8) {
    let mut out: Vec<u32> = Vec::with_capacity(MAX_KEYWORDS);
    for tok in khabar_text::tokens(title) {
        if out.len() >= MAX_TITLE_KEYWORDS {
            break;
        }
        if is_salient(&tok) {
            let h = key_hash(&tok);
            if !out.contains(&h) {
                out.push(h);
            }
        }
    }
    let from_title = out.len() as u8;
    let lead = lead_lines.join(" ");
    let latin = khabar_text::dominant_script(&lead) == khabar_text::Script::Latin;
    let mut counted: Vec<(u32, u32, usize)> = Vec::new(); // (hash, count, first position)
    for (pos, raw) in lead.split_whitespace().enumerate() {
        if pos >= LEAD_WORDS {
            break;
        }
        // Capitalised but not shouting: a word in an all-caps dateline
        // ("WASHINGTON") counts, so does "Tehran", but not "the".
        let capital = raw
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase);
        if latin && !capital {
            continue;
        }
        let folded = crate::fast_fold::fold(raw);
        let mut toks: Vec<&str> = Vec::new();
        crate::fast_fold::for_each_token(&folded, |t| toks.push(t));
        for tok in toks {
            if !is_salient(tok) {
                continue;
            }
            let h = key_hash(tok);
            if out.contains(&h) {
                continue;
            }
            match counted.iter_mut().find(|(k, _, _)| *k == h) {
                Some(e) => e.1 += 1,
                None => counted.push((h, 1, pos)),
            }
        }
    }
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    for (h, _, _) in counted {
        if out.len() >= MAX_KEYWORDS {
            break;
        }
        out.push(h);
    }
    (out, from_title)
}

fn key_hash(tok: &str) -> u32 {
    (hash_bytes(tok.as_bytes()) >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_then_lead_names() {
        let (k, t) = keywords(
            "Iran resumes nuclear talks",
            &["VIENNA (Reuters) - Iran and the International Atomic Energy Agency said on Monday"],
        );
        assert_eq!(t, 4); // iran, resumes, nuclear, talks
        assert!(k.contains(&key_hash("vienna")));
        assert!(k.contains(&key_hash("atomic")));
        assert!(!k.contains(&key_hash("said")));
        assert!(!k.contains(&key_hash("monday")));
    }

    #[test]
    fn persian_lead_words_count_without_case() {
        let (k, _) = keywords("", &["مذاکرات هسته‌ای ایران در وین از سر گرفته شد"]);
        assert!(k.contains(&key_hash(&khabar_text::fold("هسته‌ای"))));
        assert!(k.contains(&key_hash("وین")) || k.contains(&key_hash("ایران")));
        assert!(!k.contains(&key_hash("در")));
    }
}
