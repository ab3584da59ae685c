//! Dates as people write them in running text: `6. August 2009`,
//! `August 6th, 2009`, `3 марта 2024`, `06.08.2009`, `2009/08/06`, with
//! ASCII, Persian or Arabic-Indic digits. Month names come from the
//! `months.tsv` table.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

use super::months::month_number;
use super::{number, re};

/// A digit in ASCII, Arabic-Indic or Persian (Extended Arabic-Indic) form.
macro_rules! d {
    () => {
        r"[0-9\x{660}-\x{669}\x{6F0}-\x{6F9}]"
    };
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        "(",
        d!(),
        "{4})-(",
        d!(),
        "{1,2})-(",
        d!(),
        "{1,2})"
    ))
});
static SLASH_YMD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(",
        d!(),
        r"{4})[/.](",
        d!(),
        r"{1,2})[/.](",
        d!(),
        r"{1,2})\b"
    ))
});
static DMY_NUM: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(",
        d!(),
        r"{1,2})[./](",
        d!(),
        r"{1,2})[./](",
        d!(),
        r"{4}|",
        d!(),
        r"{2})\b"
    ))
});
static DMY_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(",
        d!(),
        r"{1,2})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?(\p{L}{3,12})\.?,?\s+(?:de\s+|del\s+)?(",
        d!(),
        r"{4})\b"
    ))
});
static MDY_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(\p{L}{3,12})\.?\s+(",
        d!(),
        r"{1,2})(?:st|nd|rd|th)?,?\s+(",
        d!(),
        r"{4})\b"
    ))
});

/// A full date found in a text, with where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenDate {
    /// Byte range of the date in the text searched.
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
}

/// The earliest full (day, month, year) date in `s` that `accept` takes.
/// Day-first numeric dates (`06.08.2009`) are read as Europe and most of
/// the world write them; a numeric date whose day would be over 12 but
/// whose month slot is not is not swapped (it is simply not a date).
pub fn find_written_date(s: &str, accept: impl Fn(NaiveDate) -> bool) -> Option<WrittenDate> {
    let mut best: Option<WrittenDate> = None;
    // Whether the date was taken (it may still lose to an earlier one).
    let mut consider = |m: Option<regex::Match>, d: Option<NaiveDate>| -> bool {
        let (start, end) = m.map_or((0, 0), |m| (m.start(), m.end()));
        let Some(date) = d.filter(|d| accept(*d)) else {
            return false;
        };
        if best.is_none_or(|b| start < b.start) {
            best = Some(WrittenDate { start, end, date });
        }
        true
    };
    if let Some(c) = ISO.captures(s) {
        consider(c.get(0), ymd(&c[1], &c[2], &c[3]));
    }
    if let Some(c) = SLASH_YMD.captures(s) {
        consider(c.get(0), ymd(&c[1], &c[2], &c[3]));
    }
    for c in DMY_TEXT.captures_iter(s).take(4) {
        if let Some(m) = month_number(&c[2])
            && consider(c.get(0), ymd_n(number(&c[3]), Some(m), number(&c[1])))
        {
            break;
        }
    }
    for c in MDY_TEXT.captures_iter(s).take(4) {
        if let Some(m) = month_number(&c[1])
            && consider(c.get(0), ymd_n(number(&c[3]), Some(m), number(&c[2])))
        {
            break;
        }
    }
    if let Some(c) = DMY_NUM.captures(s) {
        let y = number(&c[3]).map(|y| {
            if c[3].chars().count() == 2 {
                2000 + y
            } else {
                y
            }
        });
        consider(c.get(0), ymd_n(y, number(&c[2]), number(&c[1])));
    }
    best
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    ymd_n(number(y), number(m), number(d))
}

fn ymd_n(y: Option<u32>, m: Option<u32>, d: Option<u32>) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y? as i32, m?, d?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<String> {
        find_written_date(s, |_| true).map(|d| d.date.to_string())
    }

    #[test]
    fn text_dates_in_several_languages() {
        assert_eq!(
            day("Donnerstag, 6. August 2009").as_deref(),
            Some("2009-08-06")
        );
        assert_eq!(
            day("Posted on August 6, 2009 by admin").as_deref(),
            Some("2009-08-06")
        );
        assert_eq!(day("06.08.2009, 12:00").as_deref(), Some("2009-08-06"));
        assert_eq!(day("le 3 décembre 2023").as_deref(), Some("2023-12-03"));
        assert_eq!(
            day("опубликовано 5 марта 2024 г.").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            day("pubblicato il 12 ottobre 2022").as_deref(),
            Some("2022-10-12")
        );
        assert_eq!(day("14 de setembro de 2021").as_deref(), Some("2021-09-14"));
        assert_eq!(day("1er juin 2020").as_deref(), Some("2020-06-01"));
        assert_eq!(day("15 يناير 2024").as_deref(), Some("2024-01-15"));
        assert_eq!(day("۱۵/۰۱/۲۰۲۴").as_deref(), Some("2024-01-15"));
        // Dashed numeric dates are as often month-first as day-first.
        assert_eq!(day("01-04-2024"), None);
        assert_eq!(day("call 12-34-5678"), None);
        assert_eq!(day("no date here"), None);
        assert_eq!(day("31.02.2020"), None);
    }

    #[test]
    fn the_earliest_date_wins_and_its_place_is_given() {
        let s = "Updated 2 May 2021, first published 1 May 2021";
        let d = find_written_date(s, |_| true).expect("date");
        assert_eq!(d.date.to_string(), "2021-05-02");
        assert_eq!(&s[d.start..d.end], "2 May 2021");
        // A rejected date leaves the next one.
        let old = |d: NaiveDate| chrono::Datelike::year(&d) >= 2000;
        assert_eq!(
            find_written_date("1 May 1999 and 3 June 2001", old)
                .map(|d| d.date.to_string())
                .as_deref(),
            Some("2001-06-03")
        );
    }
}
