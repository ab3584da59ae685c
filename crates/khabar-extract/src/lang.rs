//! Language guess for pages that do not declare one.
//!
//! Arabic script is split into Persian and Arabic by the letters only
//! Persian uses (پ چ ژ گ) and a few very common Persian words; Latin script
//! by counting stopwords of common European languages. When nothing is
//! clear the language stays unknown rather than guessed wrong.

const FA_WORDS: &[&str] = &[
    "است", "این", "که", "را", "می", "های", "برای", "شد", "کرد", "بود", "با", "از",
];
const AR_WORDS: &[&str] = &["في", "من", "على", "إلى", "التي", "الذي", "عن", "أن", "هذا", "كان"];

const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "in", "that", "for", "was", "with", "on", "it", "said",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "auch", "sich", "auf", "für",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "pas", "du", "qui",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "y", "que", "del", "una", "por", "con", "para", "es", "se", "su",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "non", "della", "per", "una", "sono", "gli", "nel", "è", "con", "anche",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "que", "não", "uma", "para", "com", "do", "da", "em", "é", "se", "mais",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "niet", "dat", "ik", "zijn", "op", "met", "voor", "ook",
        ],
    ),
];

pub fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(4000).collect();
    let mut arabic = 0usize;
    let mut persian_letters = 0usize;
    let mut latin = 0usize;
    for c in sample.chars() {
        match c {
            'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' => {
                arabic += 1;
                if matches!(c, 'پ' | 'چ' | 'ژ' | 'گ') {
                    persian_letters += 1;
                }
            }
            '\u{0600}'..='\u{06FF}' => arabic += 1,
            c if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    if arabic > latin && arabic >= 20 {
        let words: Vec<&str> = sample.split_whitespace().collect();
        let fa = words.iter().filter(|w| FA_WORDS.contains(w)).count();
        let ar = words.iter().filter(|w| AR_WORDS.contains(w)).count();
        if persian_letters > 0 && (fa >= ar || persian_letters * 50 > arabic) {
            return Some("fa".into());
        }
        return Some(if fa > ar { "fa" } else { "ar" }.into());
    }
    if latin < 100 {
        return None;
    }
    let lower = sample.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let mut best = ("", 0usize);
    let mut second = 0usize;
    for (lang, sw) in STOPWORDS {
        let n = words.iter().filter(|w| sw.contains(w)).count();
        if n > best.1 {
            second = best.1;
            best = (lang, n);
        } else if n > second {
            second = n;
        }
    }
    // Require a clear winner with real support.
    if best.1 >= 5 && best.1 * 10 >= words.len() && best.1 as f32 >= second as f32 * 1.3 {
        Some(best.0.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_vs_arabic() {
        assert_eq!(
            detect("خبرگزاری ایسنا گزارش داد که رئیس جمهور امروز در تهران سخنرانی کرد و گفت این برنامه ادامه دارد")
                .as_deref(),
            Some("fa")
        );
        assert_eq!(
            detect("قال المتحدث باسم الحكومة في مؤتمر صحفي إن الوزير سيزور العاصمة على رأس وفد كبير من المسؤولين")
                .as_deref(),
            Some("ar")
        );
    }

    #[test]
    fn european() {
        assert_eq!(detect("The minister said on Monday that the talks with the delegation would continue, and that it was important for the country to reach a deal with its partners in the region.").as_deref(), Some("en"));
        assert_eq!(detect("Der Minister sagte am Montag, dass die Gespräche mit der Delegation fortgesetzt werden und dass es für das Land wichtig ist, sich mit den Partnern auf eine Lösung zu einigen, die auch nicht teuer ist.").as_deref(), Some("de"));
        assert_eq!(detect("12345"), None);
    }
}
