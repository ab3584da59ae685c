//! Calendar days a report names, in either language and calendar, as
//! Gregorian dates: `۱۲ آذر` (Jalali), `۳ دسامبر`, `December 3`,
//! `3 Dec 2025`, and weekdays (`on Monday`, `دوشنبه`) resolved against the
//! publication time. A Jalali date with its year (`۱۲ آذر ۱۴۰۴`,
//! `۱۴۰۴/۰۹/۱۲`) is left to `khabar_text::find_persian_dates`; the forms
//! without a year, which are what news text mostly carries, are read here.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::gazetteer::Lang;

/// Offset used to turn a publication instant into the local day of the
/// region the reports are about (Tehran, UTC+3:30): "on Monday" in a
/// report sent at 23:00 UTC on Sunday means Tehran's Monday.
const REGION_OFFSET_SECS: i64 = 3 * 3600 + 1800;

const EN_MONTHS: [&[&str]; 12] = [
    &["january", "jan"],
    &["february", "feb"],
    &["march", "mar"],
    &["april", "apr"],
    &["may"],
    &["june", "jun"],
    &["july", "jul"],
    &["august", "aug"],
    &["september", "sep", "sept"],
    &["october", "oct"],
    &["november", "nov"],
    &["december", "dec"],
];

/// Gregorian month names as Persian text writes them (folded).
const FA_GREGORIAN_MONTHS: [&[&str]; 12] = [
    &["ژانویه", "ژانویه"],
    &["فوریه"],
    &["مارس"],
    &["آوریل", "اوریل"],
    &["مه", "می"],
    &["ژوئن"],
    &["ژوئیه", "جولای"],
    &["اوت", "آگوست", "اگوست"],
    &["سپتامبر"],
    &["اکتبر"],
    &["نوامبر"],
    &["دسامبر"],
];

const EN_WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// Persian weekdays as one folded token (ZWNJ dropped).
const FA_WEEKDAYS: [(&str, Weekday); 7] = [
    ("شنبه", Weekday::Sat),
    ("یکشنبه", Weekday::Sun),
    ("دوشنبه", Weekday::Mon),
    ("سهشنبه", Weekday::Tue),
    ("چهارشنبه", Weekday::Wed),
    ("پنجشنبه", Weekday::Thu),
    ("جمعه", Weekday::Fri),
];

/// The days a text names, deduplicated. Without a publication time only
/// dates that carry their year are returned.
pub fn named_days(toks: &[String], lang: Lang, published_unix: Option<i64>) -> Vec<NaiveDate> {
    let local = published_unix
        .and_then(|t| t.checked_add(REGION_OFFSET_SECS))
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.date_naive());
    let mut out: Vec<NaiveDate> = Vec::new();
    let mut push = |d: NaiveDate| {
        if !out.contains(&d) {
            out.push(d);
        }
    };
    for (i, t) in toks.iter().enumerate() {
        // Weekdays.
        let wd = match lang {
            Lang::English => EN_WEEKDAYS.iter().find(|w| w.0 == t).map(|w| w.1),
            Lang::Persian => {
                // `سه شنبه` written with a space reads as two tokens.
                let joined = toks.get(i.wrapping_sub(1)).map(|p| format!("{p}{t}"));
                let by_joined = joined
                    .as_deref()
                    .filter(|_| t == "شنبه")
                    .and_then(|j| FA_WEEKDAYS.iter().find(|w| w.0 == j));
                by_joined
                    .or_else(|| FA_WEEKDAYS.iter().find(|w| w.0 == t))
                    .map(|w| w.1)
            }
        };
        if let (Some(wd), Some(local)) = (wd, local) {
            let back = (7 + local.weekday().num_days_from_monday() as i64
                - wd.num_days_from_monday() as i64)
                % 7;
            push(local - Duration::days(back));
            continue;
        }
        // Month names with a day number before or after.
        let day_before = i.checked_sub(1).and_then(|j| day_number(&toks[j]));
        let day_after = toks.get(i + 1).and_then(|n| day_number(n));
        let year_after = |k: usize| toks.get(k).and_then(|y| y.parse::<i32>().ok());
        match lang {
            Lang::English => {
                let Some(m) = EN_MONTHS.iter().position(|ns| ns.contains(&t.as_str())) else {
                    continue;
                };
                // "may" needs a day beside it to be a month.
                let (day, year) = match (day_after, day_before) {
                    (Some(d), _) => (d, year_after(i + 2)),
                    (None, Some(d)) => (d, year_after(i + 1)),
                    _ => continue,
                };
                if let Some(d) = resolve(year, m as u32 + 1, day, local) {
                    push(d);
                }
            }
            Lang::Persian => {
                let Some(day) = day_before else { continue };
                if let Some(m) = khabar_text::jalali_month_of_folded(t) {
                    let year = year_after(i + 1).filter(|y| (1300..=1499).contains(y));
                    if let Some(d) = resolve_jalali(year, m, day as u8, local) {
                        push(d);
                    }
                } else if let Some(m) = FA_GREGORIAN_MONTHS
                    .iter()
                    .position(|ns| ns.contains(&t.as_str()))
                {
                    let year = year_after(i + 1).filter(|y| (1900..=2100).contains(y));
                    if let Some(d) = resolve(year, m as u32 + 1, day, local) {
                        push(d);
                    }
                }
            }
        }
    }
    out
}

/// A day of the month: 1..=31 written in digits (already folded to ASCII).
fn day_number(t: &str) -> Option<u32> {
    let t = t
        .strip_suffix("th")
        .or_else(|| t.strip_suffix("st"))
        .or_else(|| t.strip_suffix("nd"))
        .or_else(|| t.strip_suffix("rd"))
        .unwrap_or(t);
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A Gregorian month and day, in the given year or the year that puts it
/// nearest the publication day.
fn resolve(year: Option<i32>, month: u32, day: u32, local: Option<NaiveDate>) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    let local = local?;
    nearest(
        local,
        |y| NaiveDate::from_ymd_opt(y, month, day),
        local.year(),
    )
}

/// A Jalali month and day, likewise.
fn resolve_jalali(
    year: Option<i32>,
    month: u8,
    day: u8,
    local: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if let Some(y) = year {
        return khabar_text::jalali_to_gregorian(y, month, day);
    }
    let local = local?;
    let (jy, _, _) = khabar_text::gregorian_to_jalali(local);
    nearest(
        local,
        |y| khabar_text::jalali_to_gregorian(y, month, day),
        jy,
    )
}

fn nearest(
    local: NaiveDate,
    make: impl Fn(i32) -> Option<NaiveDate>,
    year: i32,
) -> Option<NaiveDate> {
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(make)
        .min_by_key(|d| (*d - local).num_days().abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(s: &str, lang: Lang, published: &str) -> Vec<NaiveDate> {
        let t = chrono::DateTime::parse_from_rfc3339(published)
            .unwrap()
            .timestamp();
        named_days(&khabar_text::tokens(s).into_vec(), lang, Some(t))
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn jalali_and_gregorian_days_meet() {
        // 12 Azar 1404 is 3 December 2025.
        let fa = days("روز ۱۲ آذر در تهران", Lang::Persian, "2025-12-03T10:00:00Z");
        let en = days(
            "on Dec. 3, officials said",
            Lang::English,
            "2025-12-03T08:00:00Z",
        );
        assert_eq!(fa, vec![ymd(2025, 12, 3)]);
        assert_eq!(en, fa);
        assert_eq!(
            days("۳ دسامبر ۲۰۲۵", Lang::Persian, "2025-12-04T10:00:00Z"),
            vec![ymd(2025, 12, 3)]
        );
    }

    #[test]
    fn weekdays_resolve_to_the_latest_such_day() {
        // 2025-12-03 is a Wednesday.
        let en = days("said on Monday", Lang::English, "2025-12-03T08:00:00Z");
        let fa = days("روز دوشنبه گفت", Lang::Persian, "2025-12-03T08:00:00Z");
        assert_eq!(en, vec![ymd(2025, 12, 1)]);
        assert_eq!(fa, en);
        let tue = days("سه شنبه", Lang::Persian, "2025-12-03T08:00:00Z");
        assert_eq!(tue, vec![ymd(2025, 12, 2)]);
    }

    #[test]
    fn may_without_a_day_is_not_a_month() {
        assert!(days("talks may resume", Lang::English, "2025-12-03T08:00:00Z").is_empty());
    }
}
