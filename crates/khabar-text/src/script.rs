/// The writing system most letters of a text belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    /// Arabic script: Persian, Arabic, Urdu, Pashto...
    Arabic,
    Other,
    /// No letters at all.
    None,
}

/// Counts letters by script and returns the majority.
pub fn dominant_script(s: &str) -> Script {
    let (mut latin, mut arabic, mut other) = (0usize, 0usize, 0usize);
    for c in s.chars() {
        if !c.is_alphabetic() {
            continue;
        }
        match c as u32 {
            0x0041..=0x024F => latin += 1,
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => arabic += 1,
            _ => other += 1,
        }
    }
    if latin == 0 && arabic == 0 && other == 0 {
        Script::None
    } else if arabic >= latin && arabic >= other {
        Script::Arabic
    } else if latin >= other {
        Script::Latin
    } else {
        Script::Other
    }
}

/// Whether a BCP-47 language tag is written right-to-left.
pub fn is_rtl_lang(lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "fa" | "ar" | "he" | "iw" | "ur" | "ps" | "ckb" | "yi" | "dv" | "sd" | "ug" | "prs" | "pes"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_text_is_arabic_script() {
        assert_eq!(dominant_script("خبرگزاری ایسنا گزارش داد"), Script::Arabic);
        assert_eq!(dominant_script("Tehran (Reuters) said"), Script::Latin);
        assert_eq!(dominant_script("1234 !!"), Script::None);
    }

    #[test]
    fn rtl_languages() {
        assert!(is_rtl_lang("fa-IR"));
        assert!(is_rtl_lang("ar"));
        assert!(!is_rtl_lang("en-US"));
        assert!(!is_rtl_lang("fr"));
    }
}
