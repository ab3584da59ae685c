//! Machine-written dates: ISO 8601 / RFC 3339 / W3C-DTF, RFC 822/2822 as
//! feeds really write it, Java's `Date.toString()` and the
//! `26-FEB-1987 15:01:01.79` stamps of old wire archives.
//!
//! No plausibility policy here: a CMS placeholder (`1970-01-01`) is a valid
//! date. Callers that guess from page metadata filter by their own rules.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;
use std::sync::LazyLock;

use super::months::month_number;
use super::zone::{Zone, zone_named};
use super::{number, re};

/// An ISO 8601 date, optionally with a time, fraction and zone (an offset,
/// `Z`, or an IANA region name), anywhere in a value.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9})[0-9]*)?)?\s*(Z\b|[+-][0-9]{2}(?::?[0-9]{2})?\b|[A-Z][A-Za-z_]+/[A-Za-z_]+)?)?",
    )
});
/// Java's `Date.toString()`: `Tue Jul 30 09:35:14 CEST 2019`.
static JAVA_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([0-9]{1,2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([A-Z]{1,5}) ([0-9]{4})$",
    )
});
/// `26-FEB-1987 15:01:01.79`, with anything after the time (wire codes).
static DASHED_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?")
});

/// Parses a machine-written date: ISO 8601 (found anywhere in the value),
/// Java's date string, dashed-month wire stamps, then RFC 822/2822 in its
/// lax feed forms. A value without a zone is read as UTC; an explicit
/// offset is kept as given. `None` when the value is none of these, or
/// when its ISO date does not exist (`2023-02-30`).
pub fn parse_machine_date(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_machine_date_zoned(s).map(|(d, _)| d)
}

/// [`parse_machine_date`], also saying whether the value named its zone
/// (an offset, `Z`, `GMT`, a region). A value without one was read as UTC
/// only for want of better: a caller that knows the page's zone may read
/// its wall-clock time there instead; a value with one must be kept.
pub fn parse_machine_date_zoned(s: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(iso) = iso_date(s) {
        return iso;
    }
    java_date(s)
        .map(|d| (d, true))
        .or_else(|| dashed_month(s).map(|d| (d, false)))
        .or_else(|| rfc2822_zoned(s))
}

/// [`parse_machine_date`] plus the reduced precisions W3C-DTF allows in
/// feeds and sitemaps: `2024-05` and `2024` (the first day of the month or
/// year, UTC).
pub fn parse_w3c_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let t = s.trim();
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let reduced = match b.len() {
        4 if digits(0..4) => NaiveDate::from_ymd_opt(t.parse().ok()?, 1, 1),
        7 if digits(0..4) && b[4] == b'-' && digits(5..7) => {
            NaiveDate::from_ymd_opt(t[..4].parse().ok()?, t[5..].parse().ok()?, 1)
        }
        _ => None,
    };
    match reduced {
        Some(d) => utc(d.and_time(NaiveTime::MIN)),
        None => parse_machine_date(t),
    }
}

fn utc(n: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    Zone::Fixed(FixedOffset::east_opt(0)?).at(n)
}

/// An ISO 8601 date or date-time anywhere in `s`: `None` when there is
/// none, `Some(None)` when there is one but it is not a valid date.
fn iso_date(s: &str) -> Option<Option<(DateTime<FixedOffset>, bool)>> {
    let c = ISO.captures(s)?;
    let parsed = (|| {
        let date = NaiveDate::from_ymd_opt(number(&c[1])? as i32, number(&c[2])?, number(&c[3])?)?;
        let Some(h) = c.get(4) else {
            return utc(date.and_time(NaiveTime::MIN)).map(|d| (d, false));
        };
        let h = number(h.as_str())?;
        let mi = number(&c[5])?;
        let sec = c.get(6).map_or(Some(0), |m| number(m.as_str()))?;
        let nanos = c.get(7).map_or(Some(0), |f| {
            let f = f.as_str();
            number(f).map(|n| n * 10u32.pow(9 - f.len() as u32))
        })?;
        let t = NaiveTime::from_hms_nano_opt(h, mi, sec.min(59), nanos)?;
        let named = c.get(8).and_then(|z| zone_named(z.as_str()));
        let zone = match named {
            Some(z) => z,
            None => Zone::Fixed(FixedOffset::east_opt(0)?),
        };
        zone.at(NaiveDateTime::new(date, t))
            .map(|d| (d, named.is_some()))
    })();
    Some(parsed)
}

fn java_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let c = JAVA_DATE.captures(s)?;
    let date =
        NaiveDate::from_ymd_opt(number(&c[7])? as i32, month_number(&c[1])?, number(&c[2])?)?;
    let t = NaiveTime::from_hms_opt(number(&c[3])?, number(&c[4])?, number(&c[5])?.min(59))?;
    let zone = zone_named(&c[6]).or_else(|| FixedOffset::east_opt(0).map(Zone::Fixed))?;
    zone.at(date.and_time(t))
}

fn dashed_month(s: &str) -> Option<DateTime<FixedOffset>> {
    let c = DASHED_MONTH.captures(s)?;
    let date =
        NaiveDate::from_ymd_opt(number(&c[3])? as i32, month_number(&c[2])?, number(&c[1])?)?;
    let t = match c.get(4) {
        Some(h) => NaiveTime::from_hms_opt(
            number(h.as_str())?,
            number(&c[5])?,
            c.get(6).map_or(Some(0), |m| number(m.as_str()))?.min(59),
        )?,
        None => NaiveTime::MIN,
    };
    utc(date.and_time(t))
}

/// RFC 822 and its descendants, read the way readers must: the weekday is
/// ignored (generators get it wrong), a two-digit year is 19xx or 20xx,
/// seconds and the zone may be missing (UTC then), the month may come
/// before the day (`Jan 5 2010`). A zone name that is not known is read as
/// UTC: the date is worth more than the hour.
pub fn parse_rfc2822_lax(raw: &str) -> Option<DateTime<FixedOffset>> {
    rfc2822_zoned(raw).map(|(d, _)| d)
}

fn rfc2822_zoned(raw: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    let s = raw.trim();
    // Drop a leading weekday, with or without its comma.
    let s = match s.split_once(|c: char| c == ',' || c.is_whitespace()) {
        Some((first, rest))
            if first.chars().all(|c| c.is_ascii_alphabetic()) && short_month(first).is_none() =>
        {
            rest.trim_start_matches([',', ' '])
        }
        _ => s,
    };
    let mut parts = s.split_whitespace();
    let (a, b) = (parts.next()?, parts.next()?);
    // "01 Jan 2004" or "Jan 01 2004".
    let (day, mon) = match (a.parse::<u32>(), short_month(a)) {
        (Ok(d), _) => (d, short_month(b)?),
        (_, Some(m)) => (b.trim_end_matches(',').parse().ok()?, m),
        _ => return None,
    };
    let year_raw = parts.next()?.trim_end_matches(',');
    let mut year: i32 = year_raw.parse().ok()?;
    if year_raw.len() <= 2 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let date = NaiveDate::from_ymd_opt(year, mon, day)?;
    let (time, zone) = match parts.next() {
        Some(t) if t.contains(':') => (parse_clock(t)?, parts.next()),
        other => (NaiveTime::MIN, other),
    };
    let named = zone.and_then(zone_named);
    let zone = match named {
        Some(z) => z,
        None => Zone::Fixed(FixedOffset::east_opt(0)?),
    };
    zone.at(date.and_time(time)).map(|d| (d, named.is_some()))
}

/// English month names and their three-letter abbreviations, as RFC 822
/// writes them (no other language: `Mai 5 2010` is not a feed date).
fn short_month(s: &str) -> Option<u32> {
    let m = s.get(..3)?.to_ascii_lowercase();
    let n = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|x| *x == m)?;
    Some(n as u32 + 1)
}

fn parse_clock(t: &str) -> Option<NaiveTime> {
    let mut it = t.split(':');
    let h = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let sec: u32 = it
        .next()
        .map_or(Some(0), |x| x.split('.').next()?.parse().ok())?;
    NaiveTime::from_hms_opt(h, m, sec.min(59))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w3c(s: &str) -> String {
        parse_w3c_date(s)
            .map(|d| d.to_utc().to_rfc3339())
            .unwrap_or_default()
    }

    fn iso(s: &str) -> String {
        parse_machine_date(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn all_w3c_precisions() {
        assert_eq!(
            w3c("2024-05-01T10:30:00+03:30"),
            "2024-05-01T07:00:00+00:00"
        );
        assert_eq!(w3c("2024-05-01T10:30+03:30"), "2024-05-01T07:00:00+00:00");
        assert_eq!(
            w3c("2024-05-01T10:30:15.25Z"),
            "2024-05-01T10:30:15.250+00:00"
        );
        assert_eq!(w3c("2024-05-01T10:30Z"), "2024-05-01T10:30:00+00:00");
        assert_eq!(w3c("2024-05-01"), "2024-05-01T00:00:00+00:00");
        assert_eq!(w3c("2024-05"), "2024-05-01T00:00:00+00:00");
        assert_eq!(w3c("2024"), "2024-01-01T00:00:00+00:00");
        assert_eq!(
            w3c("Wed, 01 May 2024 10:30:00 GMT"),
            "2024-05-01T10:30:00+00:00"
        );
        assert_eq!(parse_w3c_date("yesterday"), None);
        // Reduced precision only in feeds: a bare year is no page date.
        assert_eq!(parse_machine_date("2024"), None);
    }

    #[test]
    fn explicit_offsets_are_kept() {
        assert_eq!(
            iso("2015-07-24T05:36:09+01:00"),
            "2015-07-24T05:36:09+01:00"
        );
        assert_eq!(iso("2021-11-01T10:52:50+0100"), "2021-11-01T10:52:50+01:00");
        assert_eq!(
            iso("2023-12-02T23:45:00+00:00"),
            "2023-12-02T23:45:00+00:00"
        );
        assert!(parse_machine_date("2024-12-06T22:00:40.000Z").is_some());
        assert_eq!(parse_machine_date("2023-02-30"), None);
    }

    #[test]
    fn whether_the_zone_was_given_is_told() {
        let given = |s: &str| parse_machine_date_zoned(s).map(|(_, z)| z);
        assert_eq!(given("2023-12-02T23:45:00+00:00"), Some(true));
        assert_eq!(given("2023-12-02T23:45:00Z"), Some(true));
        assert_eq!(given("2023-12-02 23:45:00"), Some(false));
        assert_eq!(given("2023-12-02"), Some(false));
        assert_eq!(given("Sat, 02 Dec 2023 23:45:00 GMT"), Some(true));
        assert_eq!(given("Sat, 02 Dec 2023 23:45:00"), Some(false));
    }

    #[test]
    fn named_regions_go_through_the_tz_database() {
        // July 2021: Tehran still kept summer time.
        assert_eq!(
            iso("2021-07-01 12:00 Asia/Tehran"),
            "2021-07-01T12:00:00+04:30"
        );
        assert_eq!(
            iso("2023-07-01 12:00 Asia/Tehran"),
            "2023-07-01T12:00:00+03:30"
        );
        assert_eq!(
            iso("Tue Jul 30 09:35:14 CEST 2019"),
            "2019-07-30T09:35:14+02:00"
        );
    }

    #[test]
    fn rfc822_as_feeds_write_it() {
        let d = |s: &str| {
            parse_w3c_date(s)
                .map(|d| d.to_utc().to_rfc3339())
                .unwrap_or_default()
        };
        assert_eq!(
            d("Thu, 01 Jan 2004 19:48:21 GMT"),
            "2004-01-01T19:48:21+00:00"
        );
        // A wrong weekday, a two-digit year, no seconds, a US zone.
        assert_eq!(d("Mon, 01 Jan 04 19:48 EST"), "2004-01-02T00:48:00+00:00");
        assert_eq!(d("1 Jan 1999 10:00:00 +0330"), "1999-01-01T06:30:00+00:00");
        assert_eq!(d("Jan 5 2010"), "2010-01-05T00:00:00+00:00");
        assert_eq!(d("Sun, 31 Dec 2003"), "2003-12-31T00:00:00+00:00");
        assert_eq!(
            d("Fri, 05 Jul 2019 10:00:00 Europe/Berlin"),
            "2019-07-05T08:00:00+00:00"
        );
        assert_eq!(parse_w3c_date("soon"), None);
        assert_eq!(parse_w3c_date("Thu, 45 Jan 2004 10:00:00 GMT"), None);
    }

    #[test]
    fn wire_archive_stamps() {
        let t = |s: &str| parse_machine_date(s).map(|d| d.timestamp());
        assert_eq!(t("1987-02-26T15:01:01Z"), Some(541_350_061));
        assert_eq!(t("26-FEB-1987 15:01:01.79"), Some(541_350_061));
        assert_eq!(t("4-MAR-1987 15:01:01.79"), t("1987-03-04 15:01:01"));
        assert_eq!(t("Thu, 26 Feb 1987 15:01:01 +0000"), Some(541_350_061));
        assert_eq!(t("27-MAR-1987 11:46:05.99V RM"), t("1987-03-27 11:46:05"));
        assert_eq!(t("yesterday"), None);
    }
}
