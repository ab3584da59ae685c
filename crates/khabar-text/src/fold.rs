use unicode_normalization::UnicodeNormalization;

const ZWNJ: char = '\u{200C}';

/// Text fit for republishing: Arabic yeh/kaf replaced by their Persian
/// forms when the text is Persian-looking, whitespace runs collapsed, ZWNJ
/// and vowel marks kept.
pub fn normalize_display(s: &str) -> String {
    let persian = crate::dominant_script(s) == crate::Script::Arabic;
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let c = match c {
            'ي' | 'ى' if persian => 'ی',
            'ك' if persian => 'ک',
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
            c => c,
        };
        if c.is_whitespace() && c != '\n' {
            pending_space = !out.is_empty();
            continue;
        }
        if c == '\n' {
            // Keep paragraph breaks but drop trailing spaces before them.
            pending_space = false;
            out.push('\n');
            continue;
        }
        if pending_space && !out.ends_with('\n') {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// The matching key of a text: see the crate documentation.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        fold_char_into(c, &mut out);
    }
    out
}

/// Folds one (already NFKC-normalised) character into `out`. Exposed so
/// tokenisers can fold while they scan without allocating twice.
#[inline]
pub fn fold_char_into(c: char, out: &mut String) {
    match c {
        // Arabic yeh and alef maksura -> Persian yeh. Yeh with hamza (ئ)
        // stays: it is its own letter in Persian (رئیس, مسئول), and folding it
        // would make رئال (Real Madrid) meet ریال (the rial).
        'ي' | 'ى' => out.push('ی'),
        // Arabic kaf -> Persian keheh.
        'ك' => out.push('ک'),
        // Alef with hamza/madda, wasla -> bare alef.
        'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
        // Waw with hamza -> waw.
        'ؤ' => out.push('و'),
        // Teh marbuta, heh with yeh above, heh goal -> heh.
        'ة' | 'ۀ' | 'ۂ' | 'ہ' => out.push('ه'),
        // Persian and Arabic-Indic digits -> ASCII.
        '\u{06F0}'..='\u{06F9}' => {
            out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8));
        }
        '\u{0660}'..='\u{0669}' => {
            out.push(char::from(b'0' + (c as u32 - 0x0660) as u8));
        }
        // Harakat, superscript alef, tatweel, hamza above/below, joiners,
        // bidi controls and soft hyphens carry no meaning for matching.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
        ZWNJ
        | '\u{200D}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{00AD}'
        | '\u{FEFF}' => {}
        // Typographic quotes and dashes -> ASCII, so punctuation variants
        // between outlets do not split matches.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '«' | '»' => out.push('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '،' => out.push(','),
        '؛' => out.push(';'),
        '؟' => out.push('?'),
        c if c.is_uppercase() => out.extend(c.to_lowercase()),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_yeh_and_kaf_fold_to_persian() {
        assert_eq!(fold("كيهان"), fold("کیهان"));
        assert_eq!(fold("كيهان"), "کیهان");
    }

    #[test]
    fn zwnj_and_diacritics_vanish_in_keys() {
        assert_eq!(fold("می‌خواهم"), "میخواهم");
        assert_eq!(fold("مُحَمَّد"), "محمد");
    }

    #[test]
    fn digits_of_every_script_become_ascii() {
        assert_eq!(fold("۱۴۰۲/۰۹/۱۲"), "1402/09/12");
        assert_eq!(fold("١٢٣"), "123");
    }

    #[test]
    fn latin_is_lowercased_and_quotes_unified() {
        assert_eq!(fold("Iran’s “Quds”"), "iran's \"quds\"");
    }

    #[test]
    fn display_keeps_zwnj_but_fixes_yeh() {
        let s = normalize_display("مي‌خواهم  كتاب");
        assert_eq!(s, "می‌خواهم کتاب");
        assert!(s.contains('\u{200C}'));
    }

    #[test]
    fn display_leaves_arabic_yeh_in_latin_text_alone() {
        // Mostly-Latin text with a quoted Arabic word: not rewritten.
        let s = normalize_display("The word في appears in this long English sentence here");
        assert!(s.contains('ي'));
    }
}
