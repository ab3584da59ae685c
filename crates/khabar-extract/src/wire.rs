//! Wire-service conventions: the dateline that opens a story
//! (`WASHINGTON (Reuters) –`) and the credits line that closes it
//! (`Reporting by …; Editing by …`). Both are kept, but apart from the body,
//! so the site can show them as the agencies do.

use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

/// Upper-case place, then up to two of ", Region" and ", Month Day[, Year]"
/// (`ANCHORAGE, Alaska, Feb 26 (Reuters) -`), optional agency in
/// parentheses, then a dash.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^((?:[A-Z][A-Z\.'’\-]+)(?:[ /][A-Z][A-Z\.'’\-]+){0,3}(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|[A-Z][A-Za-z\.]+(?:\s[A-Z][A-Za-z\.]+){0,3})){0,2}(?:\s*\([A-Za-z][A-Za-z .&/-]{0,30}\))?\s*[-–—]{1,2})\s*",
    )
});
/// Persian/Arabic agency datelines: `تهران - ایرنا -` or `به گزارش خبرگزاری ...،`.
static DATELINE_FA: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^([\p{Arabic}\u{200C}]+(?:\s[\p{Arabic}\u{200C}]+){0,2}\s*[-–—]\s*(?:[\p{Arabic}\u{200C}]+\s*[-–—]\s*)?)")
});
static CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\(?\s*(?:\(?(?:(?i:Additional)\s+)?(?i:(?:Reporting|Writing|Editing|Compiled|Reported|Written|Edited|Research|Graphics|Produced))\b[^\n]{0,40}?\bby\b)|^\(?\s*(?:Reporting|Editing)\s+by\b",
    )
});
static CREDITS_FA: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:گزارش از|گزارشگر\s*:|خبرنگار\s*:|انتشاردهنده\s*:|انتهای پیام|انتهاي پيام|ترجمه\s*:|ویراستار\s*:|تهیه و تنظیم\s*:)",
    )
});
/// Persian and Arabic datelines with the agency in parentheses, and
/// optionally a date after the place: `تهران (ایرنا) -`,
/// `تهران، ۱۲ آذر (ایرنا) -`, `بيروت (رويترز) -`.
static DATELINE_FA_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([\p{Arabic}\u{200C}]+(?:\s[\p{Arabic}\u{200C}]+){0,2}(?:\s*[،,]\s*[\p{Arabic}\u{200C}0-9 ]{1,30}?)?\s*\([\p{Arabic}\u{200C} ]{2,30}\)\s*[-–—])\s*",
    )
});
/// `کابل‌نامه:` or `کرمان - نسيم کرمان:` (place, dash, agency, colon).
static AGENCY_COLON_FA: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^((?:[\p{Arabic}\u{200C}]+(?:\s[\p{Arabic}\u{200C}]+)?\s*[-–—]\s*)?[\p{Arabic}\u{200C}]+(?:\s[\p{Arabic}\u{200C}]+){0,3}\s*:)",
    )
});
/// The agency attribution that opens Persian agency stories:
/// `به گزارش خبرگزاری مهرگان از مشهد،`.
static ATTRIBUTION_FA: LazyLock<Regex> = LazyLock::new(|| re(r"^(به گزارش [^،,.:]{2,60}[،,])"));

/// Splits a leading dateline off the first paragraph; returns
/// `(dateline, rest)`.
pub fn split_dateline(first: &str) -> Option<(String, String)> {
    for r in [
        &*DATELINE,
        &*DATELINE_FA_PAREN,
        &*AGENCY_COLON_FA,
        &*DATELINE_FA,
        &*ATTRIBUTION_FA,
    ] {
        if let Some(m) = r.captures(first).and_then(|c| c.get(1)) {
            let dl = m.as_str().trim().to_string();
            // "وی افزود:" (he added:) opens a quote, not a dateline: Persian
            // past-tense verbs end in د or ت, agency and place names rarely.
            if dl.ends_with(':') && dl.trim_end_matches(':').trim_end().ends_with(['د', 'ت']) {
                continue;
            }
            let rest = first[m.end()..].trim().to_string();
            // A dateline is short and is followed by a real sentence.
            let letters = dl.chars().filter(|c| c.is_alphabetic()).count();
            if letters >= 2 && dl.chars().count() <= 60 && rest.chars().count() >= 20 {
                return Some((dl, rest));
            }
        }
    }
    None
}

/// Whether a (final) paragraph is a credits line.
pub fn is_credits(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 300 && (CREDITS.is_match(t) || CREDITS_FA.is_match(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let (d, r) = split_dateline("WASHINGTON (Reuters) – The United States on Monday imposed sanctions.").unwrap();
        assert_eq!(d, "WASHINGTON (Reuters) –");
        assert!(r.starts_with("The United States"));
        let (d, _) = split_dateline("TEHRAN, Dec 3 (AP) — Iran said on Sunday it would respond.").unwrap();
        assert_eq!(d, "TEHRAN, Dec 3 (AP) —");
        let (d, _) = split_dateline("LONDON — Britain's economy shrank in the third quarter.").unwrap();
        let (d2, _) = split_dateline("کابل‌نامه: ارزش پول افغانی در بازارهای اسعار کابل طی یک هفته کاهش یافت.").unwrap();
        assert_eq!(d2, "کابل‌نامه:");
        let (d2, _) =
            split_dateline("کرمان - نسیم کرمان: سرمای دیررس بهاره در روزهای گذشته به باغ‌ها آسیب زد.").unwrap();
        assert_eq!(d2, "کرمان - نسیم کرمان:");
        let (d2, _) =
            split_dateline("به گزارش خبرگزاری مهرگان، معاون وزیر نفت از ثبت رکورد تازه مصرف گاز خبر داد.").unwrap();
        assert_eq!(d2, "به گزارش خبرگزاری مهرگان،");
        assert!(split_dateline("وی افزود: این طرح از سال آینده در همه استان‌ها اجرا خواهد شد.").is_none());
        assert_eq!(d, "LONDON —");
        let (d, _) =
            split_dateline("DUBAI, United Arab Emirates (AP) — Iran said on Sunday it would respond.").unwrap();
        assert_eq!(d, "DUBAI, United Arab Emirates (AP) —");
        assert!(split_dateline("The president said on Monday that - despite everything - talks go on.").is_none());
        assert!(split_dateline("I - and many others - disagree with this view entirely.").is_none());
    }

    #[test]
    fn datelines_in_more_wire_forms() {
        let rest = "Iran said on Sunday it would respond to the measures.";
        for dl in [
            "ANCHORAGE, Alaska, Feb 26 (Reuters) -",
            "TEHRAN (AP) —",
            "DUBAI, Dec 3 (Reuters) -",
            "WASHINGTON, Feb. 26, 2025 (Reuters) -",
            "BEIRUT, Lebanon (AP) —",
            "NEW YORK (Reuters) -",
            "PARIS, March 5 (AFP) –",
            "تهران - ایرنا -",
        ] {
            let (d, r) = split_dateline(&format!("{dl} {rest}")).unwrap_or_else(|| panic!("{dl}"));
            assert_eq!(d, dl);
            assert_eq!(r, rest);
        }
        let fa = "تهران - ایرنا - رئیس جمهور امروز در نشست هیئت دولت درباره بودجه سخن گفت.";
        let (d, r) = split_dateline(fa).expect("persian");
        assert_eq!(d, "تهران - ایرنا -");
        assert!(r.starts_with("رئیس جمهور"));
        // Sentences with commas and dashes are not datelines.
        assert!(split_dateline("Officials in Alaska, Feb 26 marked the day - and then left.").is_none());
        assert!(split_dateline("NATO, the alliance, said on Monday - in a statement - it would act.").is_none());
    }

    #[test]
    fn datelines_with_slashes_regions_dates_and_agencies() {
        let rest = "Officials met on Tuesday to discuss the grain corridor.";
        for dl in [
            "KYIV/MOSCOW, Sept 14 (Reuters) -",
            "UNITED NATIONS (AP) —",
            "KABUL, Afghanistan, Dec. 3 (AP) —",
            "BERLIN (dpa) -",
            "ISTANBUL, Turkey —",
            "ST. LOUIS, Missouri, Jan 9, 2024 (Reuters) -",
        ] {
            let (d, r) = split_dateline(&format!("{dl} {rest}")).unwrap_or_else(|| panic!("{dl}"));
            assert_eq!((d.as_str(), r.as_str()), (dl, rest));
        }
        let fa_rest = "وزیر نیرو از آغاز طرح تازه‌ای برای مدیریت مصرف آب خبر داد.";
        for dl in [
            "مشهد - ایسنا -",
            "تبریز (ایرنا) -",
            "شیراز، ۱۲ آذر (ایرنا) -",
            "بيروت (رويترز) -",
        ] {
            let (d, r) = split_dateline(&format!("{dl} {fa_rest}")).unwrap_or_else(|| panic!("{dl}"));
            assert_eq!((d.as_str(), r.as_str()), (dl, fa_rest));
        }
        // A parenthesis in a Persian sentence is not a dateline.
        assert!(split_dateline("وزیر نیرو (که دیروز به مشهد رفته بود) گفت طرح آغاز شده است.").is_none());
    }

    #[test]
    fn credits() {
        assert!(is_credits("Reporting by Humeyra Pamuk; Editing by Daniel Wallis"));
        assert!(is_credits(
            "(Reporting by Parisa Hafezi in Dubai; Writing by Michael Georgy)"
        ));
        assert!(is_credits("Additional reporting by Jane Doe in London"));
        assert!(is_credits("Writing by John Smith"));
        assert!(is_credits("گزارش از مریم احمدی"));
        assert!(!is_credits(
            "Reporting on Iran has been difficult for years, said the editor."
        ));
    }
}
