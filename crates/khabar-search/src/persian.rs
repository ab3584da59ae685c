//! Persian word forms that search treats as one word.
//!
//! Persian writes a verb's prefix and a noun's plural or comparative suffix
//! either joined to the word, joined through a zero-width non-joiner
//! (ZWNJ), or apart with a space: `می‌گوید`, `میگوید` and `می گوید` are one
//! word to a reader, and so are `تحریم‌ها` and `تحریم ها`. Folding
//! ([`khabar_text::fold`]) already drops the ZWNJ; this module joins the
//! spaced form and folds the common inflectional suffixes to their stem.
//!
//! The rules are a small table of affixes with a minimum stem length, not a
//! word list: a rule applies only when enough of the word is left that the
//! remainder is still a word of its own, so `ایران`, `تهران`, `استان` or
//! `بهتر` are never cut to `ایر`, `تهر`, `است` or `به`. Over-folding is
//! harmless only where it is consistent (index and query pass the same way),
//! and costly where two different words meet, so every rule errs short.

/// Written apart from the verb they belong to (`می گوید` for `می‌گوید`):
/// joined to the next word.
const VERB_PREFIXES: &[&str] = &["می", "نمی"];

/// Written apart from the word they belong to (`تحریم ها`): joined to the
/// word before.
const DETACHED_SUFFIXES: &[&str] = &["ها", "های", "هایی", "تر", "ترین"];

/// One suffix rule: a word ending in `suffix`, with at least `min_stem`
/// letters before it, becomes that stem followed by `replace`.
struct SuffixRule {
    suffix: &'static str,
    replace: &'static str,
    min_stem: usize,
}

const fn rule(suffix: &'static str, replace: &'static str, min_stem: usize) -> SuffixRule {
    SuffixRule {
        suffix,
        replace,
        min_stem,
    }
}

/// The suffixes folded to the stem, longest first within each family (the
/// first that matches decides; a word passes through the table at most twice,
/// so `دانشجویان` → `دانشجوی` → `دانشجو`).
///
/// Why each minimum:
/// - plural `ها`: three letters, so `تنها` (alone) does not become `تن`
///   (body); `های`/`هایی` (plural + ezafe or indefinite) are never words'
///   own endings, two letters suffice (`شب‌های` → `شب`).
/// - superlative `ترین` and comparative `تر`: three letters, so `بهترین`
///   and `بهتر` are not cut to the preposition `به`, nor `دفتر` to `دف`.
/// - plural `گان` of a word ending in silent `ه` (`نماینده` →
///   `نمایندگان`): four letters, so `گروگان` (hostage) keeps its own form.
/// - plural `ان`: four letters, so the many names and words ending in `ان`
///   keep their shape (`ایران`, `تهران`, `استان`, `مهمان`, `بحران`), while
///   `کودکان`, `مسئولان`, `خبرنگاران`, `ایرانیان` fold.
/// - ezafe `ی` after a vowel letter (`خانه‌ی`, `آمریکای`, `دانشجوی`): the
///   stem keeps four letters, so `ماهی` (fish) stays apart from `ماه`
///   (month) and `برای` (for) is left alone. (`خانهٔ` with hamza needs no
///   rule: folding drops the hamza mark.) The `ی` of an adjective after a
///   consonant (`ایرانی`) is not ezafe and is kept.
const SUFFIX_RULES: &[SuffixRule] = &[
    rule("هایی", "", 2),
    rule("های", "", 2),
    rule("ها", "", 3),
    rule("ترین", "", 3),
    rule("تر", "", 3),
    rule("گان", "ه", 4),
    rule("ان", "", 4),
    rule("هی", "ه", 3),
    rule("ای", "ا", 3),
    rule("وی", "و", 3),
];

/// Whether `word` is a verb prefix written as a word of its own.
pub(crate) fn is_verb_prefix(word: &str) -> bool {
    VERB_PREFIXES.contains(&word)
}

/// Whether `word` is a suffix written as a word of its own.
pub(crate) fn is_detached_suffix(word: &str) -> bool {
    DETACHED_SUFFIXES.contains(&word)
}

/// Whether a folded word is written in Persian letters only (Arabic-script
/// letters; digits are already ASCII after folding).
pub(crate) fn is_persian_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}'))
}

/// The stem of a folded Persian word: plural, comparative, superlative and
/// ezafe endings removed where [`SUFFIX_RULES`] allow.
pub(crate) fn stem(word: &str) -> String {
    let mut w = word.to_string();
    for _ in 0..2 {
        let Some(next) = strip_once(&w) else { break };
        w = next;
    }
    w
}

/// The first rule whose suffix the word ends in decides: a stem too short
/// for it keeps the word whole rather than trying a shorter suffix (so
/// `گروگان` is not cut by the plain `ان` rule after `گان` declined).
fn strip_once(word: &str) -> Option<String> {
    let (r, stem) = SUFFIX_RULES
        .iter()
        .find_map(|r| Some((r, word.strip_suffix(r.suffix)?)))?;
    (stem.chars().count() >= r.min_stem).then(|| format!("{stem}{}", r.replace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_comparatives_fold_to_the_stem() {
        for (word, want) in [
            ("تحریمها", "تحریم"),
            ("تحریمهای", "تحریم"),
            ("کشورهایی", "کشور"),
            ("شبهای", "شب"),
            ("بزرگترین", "بزرگ"),
            ("بیشتر", "بیش"),
            ("کودکان", "کودک"),
            ("ایرانیان", "ایرانی"),
            ("دانشجویان", "دانشجو"),
            ("نمایندگان", "نماینده"),
            ("خانهی", "خانه"),
            ("آمریکای", "آمریکا"),
        ] {
            assert_eq!(stem(word), want, "{word}");
        }
    }

    #[test]
    fn short_words_and_names_ending_like_a_suffix_are_kept() {
        for word in [
            "ایران",
            "تهران",
            "استان",
            "مهمان",
            "بحران",
            "تنها",
            "بهتر",
            "بهترین",
            "دفتر",
            "دختر",
            "ماهی",
            "برای",
            "گروگان",
            "ایرانی",
            "ها",
            "تر",
        ] {
            assert_eq!(stem(word), word, "{word}");
        }
    }

    #[test]
    fn only_persian_letters_count_as_persian() {
        assert!(is_persian_word("تحریم"));
        assert!(!is_persian_word("iran"));
        assert!(!is_persian_word("1403"));
        assert!(!is_persian_word("تحریم2"));
    }
}
