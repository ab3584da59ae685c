//! The one date parser of khabar, used by the feed, extract and dedup
//! stages, so every stage reads a date string the same way.
//!
//! * [`parse_machine_date`] / [`parse_w3c_date`]: ISO 8601, RFC 3339,
//!   W3C-DTF, RFC 822/2822 in its lax feed forms, and a few stamps of old
//!   archives. No plausibility policy: callers decide which years they
//!   believe.
//! * [`find_written_date`]: dates as people write them in running text, in
//!   English, German and the month names of `months.tsv` (French, Spanish,
//!   Portuguese, Italian, Dutch, Russian, Arabic, Persian-written
//!   Gregorian), with ASCII, Persian or Arabic-Indic digits. Jalali dates
//!   are [`crate::find_persian_date`]'s.
//! * [`parse_relative_date`]: "3 hours ago" against a reference time.
//! * [`zone_named`]: offsets, abbreviations and IANA regions; a region goes
//!   through the tz database, so its offset is the one of that day.
//!
//! An explicit offset in a value is always kept as written; a value
//! without one is read as UTC unless the caller knows the page's zone.

mod machine;
mod months;
mod relative;
mod written;
mod zone;

pub use machine::{
    parse_machine_date, parse_machine_date_zoned, parse_rfc2822_lax, parse_w3c_date,
};
pub use months::month_number;
pub use relative::parse_relative_date;
pub use written::{WrittenDate, find_written_date};
pub use zone::{Zone, offset_from_numeric, zone_named};

use chrono::{DateTime, FixedOffset, NaiveTime};
use regex::Regex;

/// A date value of unknown form, as a feed or a data file gives it: a
/// machine date ([`parse_w3c_date`]), else a Jalali or Persian-written
/// stamp (its wall-clock time read in Tehran's zone through the tz
/// database: Iranian feeds are the ones that write them), else a written
/// date ([`find_written_date`], midnight UTC).
pub fn parse_date_value(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Some(d) = parse_w3c_date(s) {
        return Some(d);
    }
    if let Some(p) = crate::find_persian_date(s) {
        let local = p.date.and_time(p.time.unwrap_or(NaiveTime::MIN));
        return match p.time {
            Some(_) => Zone::Region(chrono_tz::Asia::Tehran).at(local),
            None => Zone::Fixed(FixedOffset::east_opt(0)?).at(local),
        };
    }
    let w = find_written_date(s, |_| true)?;
    Zone::Fixed(FixedOffset::east_opt(0)?).at(w.date.and_time(NaiveTime::MIN))
}

/// Compiles one of this module's fixed patterns. They are literals checked
/// by the unit tests; a pattern that failed to compile would match nothing
/// rather than take the process down.
fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
}

/// The value of a run of digits in ASCII, Arabic-Indic or Persian form.
fn number(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut any = false;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '\u{660}'..='\u{669}' => c as u32 - 0x660,
            '\u{6F0}'..='\u{6F9}' => c as u32 - 0x6F0,
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(d)?;
        any = true;
    }
    any.then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_three_scripts() {
        assert_eq!(number("2024"), Some(2024));
        assert_eq!(number("۱۴۰۳"), Some(1403));
        assert_eq!(number("١٢"), Some(12));
        assert_eq!(number("12a"), None);
        assert_eq!(number(""), None);
        assert_eq!(number("99999999999"), None);
    }

    #[test]
    fn values_of_unknown_form() {
        let d = |s: &str| parse_date_value(s).map(|d| d.to_rfc3339());
        assert_eq!(
            d("2024-05-01T10:30:00+03:30").as_deref(),
            Some("2024-05-01T10:30:00+03:30")
        );
        // 1400/04/10 = 1 July 2021, when Tehran still kept +04:30.
        assert_eq!(
            d("۱۴۰۰/۰۴/۱۰ ۱۲:۰۰").as_deref(),
            Some("2021-07-01T12:00:00+04:30")
        );
        assert_eq!(
            d("3 марта 2024").as_deref(),
            Some("2024-03-03T00:00:00+00:00")
        );
        assert_eq!(d("no date"), None);
    }
}
