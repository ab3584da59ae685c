//! Relative dates ("3 hours ago", "vor 2 Tagen", "دو ساعت پیش",
//! "منذ 3 ساعات", "yesterday") resolved against a reference time, usually
//! the time the page or feed was fetched.

use chrono::{DateTime, Days, Duration, FixedOffset, Months};
use regex::Regex;
use std::sync::LazyLock;

use super::{number, re};

/// Units of time as the supported languages write them (lower case).
const UNITS: &[(&str, Unit)] = &[
    ("second", Unit::Second),
    ("seconds", Unit::Second),
    ("sec", Unit::Second),
    ("secs", Unit::Second),
    ("minute", Unit::Minute),
    ("minutes", Unit::Minute),
    ("min", Unit::Minute),
    ("mins", Unit::Minute),
    ("hour", Unit::Hour),
    ("hours", Unit::Hour),
    ("hr", Unit::Hour),
    ("hrs", Unit::Hour),
    ("day", Unit::Day),
    ("days", Unit::Day),
    ("week", Unit::Week),
    ("weeks", Unit::Week),
    ("month", Unit::Month),
    ("months", Unit::Month),
    ("year", Unit::Year),
    ("years", Unit::Year),
    ("sekunde", Unit::Second),
    ("sekunden", Unit::Second),
    ("minute", Unit::Minute),
    ("minuten", Unit::Minute),
    ("stunde", Unit::Hour),
    ("stunden", Unit::Hour),
    ("tag", Unit::Day),
    ("tagen", Unit::Day),
    ("woche", Unit::Week),
    ("wochen", Unit::Week),
    ("monat", Unit::Month),
    ("monaten", Unit::Month),
    ("jahr", Unit::Year),
    ("jahren", Unit::Year),
    ("ثانیه", Unit::Second),
    ("دقیقه", Unit::Minute),
    ("ساعت", Unit::Hour),
    ("روز", Unit::Day),
    ("هفته", Unit::Week),
    ("ماه", Unit::Month),
    ("سال", Unit::Year),
    ("ثانية", Unit::Second),
    ("ثوان", Unit::Second),
    ("دقيقة", Unit::Minute),
    ("دقائق", Unit::Minute),
    ("ساعة", Unit::Hour),
    ("ساعات", Unit::Hour),
    ("يوم", Unit::Day),
    ("أيام", Unit::Day),
    ("ايام", Unit::Day),
    ("أسبوع", Unit::Week),
    ("أسابيع", Unit::Week),
    ("شهر", Unit::Month),
    ("أشهر", Unit::Month),
    ("سنة", Unit::Year),
    ("سنوات", Unit::Year),
];

/// Number words up to ten (and the articles that mean one).
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("einer", 1),
    ("einem", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("یک", 1),
    ("دو", 2),
    ("سه", 3),
    ("چهار", 4),
    ("پنج", 5),
    ("شش", 6),
    ("هفت", 7),
    ("هشت", 8),
    ("نه", 9),
    ("ده", 10),
];

/// Words for the day before and the same day.
const DAY_WORDS: &[(&str, u64)] = &[
    ("yesterday", 1),
    ("gestern", 1),
    ("دیروز", 1),
    ("أمس", 1),
    ("today", 0),
    ("heute", 0),
    ("امروز", 0),
    ("اليوم", 0),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

const N: &str = r"([0-9\x{660}-\x{669}\x{6F0}-\x{6F9}]+|\p{L}+)";

/// `3 hours ago`, `دو ساعت پیش` / `قبل`.
static AGO: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i){N}\s+(\p{{L}}+)\s+(?:ago|پیش|قبل)(?:$|[^\p{{L}}])"
    ))
});
/// `vor 3 Stunden`, `منذ 3 ساعات`.
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?:^|[^\p{{L}}])(?:vor|منذ)\s+{N}\s+(\p{{L}}+)"
    ))
});

/// The time a relative date in `s` stands for, counted back from
/// `reference`. `None` when `s` holds no relative date. Day words
/// ("yesterday") keep the reference's time of day: the day is what they
/// say, not the hour.
pub fn parse_relative_date(
    s: &str,
    reference: DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.chars().count() > 200 {
        return None;
    }
    let lower = s.to_lowercase();
    for re in [&*AGO, &*BEFORE] {
        for c in re.captures_iter(&lower) {
            let count = number(&c[1]).or_else(|| word_number(&c[1]));
            let unit = UNITS.iter().find(|(w, _)| *w == &c[2]).map(|(_, u)| *u);
            if let (Some(n), Some(u)) = (count, unit) {
                return back(reference, n, u);
            }
        }
    }
    let words = lower.split(|c: char| !c.is_alphanumeric());
    for w in words {
        if let Some((_, days)) = DAY_WORDS.iter().find(|(d, _)| *d == w) {
            return reference.checked_sub_days(Days::new(*days));
        }
    }
    None
}

fn word_number(w: &str) -> Option<u32> {
    NUMBER_WORDS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

fn back(reference: DateTime<FixedOffset>, n: u32, unit: Unit) -> Option<DateTime<FixedOffset>> {
    let n64 = i64::from(n);
    match unit {
        Unit::Second => reference.checked_sub_signed(Duration::seconds(n64)),
        Unit::Minute => reference.checked_sub_signed(Duration::minutes(n64)),
        Unit::Hour => reference.checked_sub_signed(Duration::hours(n64)),
        Unit::Day => reference.checked_sub_days(Days::new(u64::from(n))),
        Unit::Week => reference.checked_sub_days(Days::new(7 * u64::from(n))),
        Unit::Month => reference.checked_sub_months(Months::new(n)),
        Unit::Year => reference.checked_sub_months(Months::new(n.checked_mul(12)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<String> {
        let fetched = DateTime::parse_from_rfc3339("2026-12-07T10:00:00+03:30").expect("ref");
        parse_relative_date(s, fetched).map(|d| d.to_rfc3339())
    }

    #[test]
    fn relative_dates_in_several_languages() {
        assert_eq!(
            at("3 hours ago").as_deref(),
            Some("2026-12-07T07:00:00+03:30")
        );
        assert_eq!(
            at("Posted an hour ago").as_deref(),
            Some("2026-12-07T09:00:00+03:30")
        );
        assert_eq!(
            at("2 days ago").as_deref(),
            Some("2026-12-05T10:00:00+03:30")
        );
        assert_eq!(
            at("vor 2 Tagen").as_deref(),
            Some("2026-12-05T10:00:00+03:30")
        );
        assert_eq!(
            at("دو ساعت پیش").as_deref(),
            Some("2026-12-07T08:00:00+03:30")
        );
        assert_eq!(
            at("۵ دقیقه قبل").as_deref(),
            Some("2026-12-07T09:55:00+03:30")
        );
        assert_eq!(
            at("منذ 3 ساعات").as_deref(),
            Some("2026-12-07T07:00:00+03:30")
        );
        assert_eq!(
            at("yesterday, 14:00").as_deref(),
            Some("2026-12-06T10:00:00+03:30")
        );
        assert_eq!(
            at("1 month ago").as_deref(),
            Some("2026-11-07T10:00:00+03:30")
        );
    }

    #[test]
    fn other_text_is_not_a_relative_date() {
        assert_eq!(at("3 hours of talks"), None);
        assert_eq!(at("the agency said"), None);
        assert_eq!(at("many years ago"), None);
    }
}
