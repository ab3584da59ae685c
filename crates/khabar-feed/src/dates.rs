//! Feed and sitemap dates: W3C Datetime (a profile of ISO 8601) in all its
//! allowed precisions, and RFC 822/2822 as feeds really write it (two-digit
//! years, no seconds, zone names, a wrong weekday, no zone at all).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A date from any date element of a feed.
pub(crate) fn parse_feed_date(raw: &str) -> Option<DateTime<Utc>> {
    parse_w3c_datetime(raw).or_else(|| parse_rfc822_lax(raw))
}

/// RFC 822 and its descendants, read the way readers must: the weekday is
/// ignored (generators get it wrong), a two-digit year is 19xx or 20xx,
/// seconds and the zone may be missing (UTC then).
fn parse_rfc822_lax(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    // Drop a leading weekday, with or without its comma.
    let s = match s.split_once(|c: char| c == ',' || c.is_whitespace()) {
        Some((first, rest))
            if first.chars().all(|c| c.is_ascii_alphabetic()) && month(first).is_none() =>
        {
            rest.trim_start_matches([',', ' '])
        }
        _ => s,
    };
    let mut parts = s.split_whitespace();
    let (a, b) = (parts.next()?, parts.next()?);
    // "01 Jan 2004" or "Jan 01 2004".
    let (day, mon) = match (a.parse::<u32>(), month(a)) {
        (Ok(d), _) => (d, month(b)?),
        (_, Some(m)) => (b.trim_end_matches(',').parse().ok()?, m),
        _ => return None,
    };
    let year_raw = parts.next()?;
    let mut year: i32 = year_raw.parse().ok()?;
    if year_raw.len() <= 2 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let date = NaiveDate::from_ymd_opt(year, mon, day)?;
    let (time, zone) = match parts.next() {
        Some(t) if t.contains(':') => (parse_clock(t)?, parts.next()),
        other => (NaiveTime::MIN, other),
    };
    let offset = match zone {
        Some(z) => zone_offset(z)?,
        None => FixedOffset::east_opt(0)?,
    };
    offset
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|d| d.with_timezone(&Utc))
}

fn month(s: &str) -> Option<u32> {
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

fn zone_offset(z: &str) -> Option<FixedOffset> {
    let z = z.trim_matches(|c| c == '(' || c == ')');
    if let Some(sign) = z.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
        let (h, m): (i32, i32) = match digits.len() {
            4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
            2 | 1 => (digits.parse().ok()?, 0),
            _ => return None,
        };
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        return FixedOffset::east_opt(secs);
    }
    let hours = match z.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        // Anything else (a misspelt or local zone name): UTC, the date
        // is worth more than the hour.
        _ => 0,
    };
    FixedOffset::east_opt(hours * 3600)
}

pub(crate) fn parse_w3c_datetime(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    // Minutes without seconds, with an offset: 2024-05-01T10:30+03:30
    for fmt in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    if let Some(z) = s.strip_suffix('Z') {
        for fmt in ["%Y-%m-%dT%H:%M"] {
            if let Ok(n) = NaiveDateTime::parse_from_str(z, fmt) {
                return Some(n.and_utc());
            }
        }
    }
    // No offset at all: read as UTC rather than drop the date.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(n.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = s.parse().ok()?;
        return NaiveDate::from_ymd_opt(year, 1, 1)?
            .and_hms_opt(0, 0, 0)
            .map(|n| n.and_utc());
    }
    DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_w3c_datetime(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn all_w3c_precisions() {
        assert_eq!(
            iso("2024-05-01T10:30:00+03:30"),
            "2024-05-01T07:00:00+00:00"
        );
        assert_eq!(iso("2024-05-01T10:30+03:30"), "2024-05-01T07:00:00+00:00");
        assert_eq!(
            iso("2024-05-01T10:30:15.25Z"),
            "2024-05-01T10:30:15.250+00:00"
        );
        assert_eq!(iso("2024-05-01T10:30Z"), "2024-05-01T10:30:00+00:00");
        assert_eq!(iso("2024-05-01"), "2024-05-01T00:00:00+00:00");
        assert_eq!(iso("2024-05"), "2024-05-01T00:00:00+00:00");
        assert_eq!(iso("2024"), "2024-01-01T00:00:00+00:00");
        assert_eq!(
            iso("Wed, 01 May 2024 10:30:00 GMT"),
            "2024-05-01T10:30:00+00:00"
        );
        assert_eq!(parse_w3c_datetime("yesterday"), None);
    }

    #[test]
    fn rfc822_as_feeds_write_it() {
        let d = |s: &str| {
            parse_feed_date(s)
                .map(|d| d.to_rfc3339())
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
        assert_eq!(parse_feed_date("soon"), None);
        assert_eq!(parse_feed_date("Thu, 45 Jan 2004 10:00:00 GMT"), None);
    }
}
