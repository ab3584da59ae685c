//! Time zones named in a date: numeric offsets, the abbreviations RFC 822
//! and pages use, and IANA names resolved through the tz database
//! (`chrono-tz`), so a named region gets the offset it had on that day
//! (Tehran's summer time until 2022, Europe's changes), never one fixed
//! offset for every season.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// A zone as a date string names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A numeric offset, or an abbreviation that stands for exactly one
    /// offset (`EST` is -05:00 in every season; `EDT` is its summer twin).
    Fixed(FixedOffset),
    /// A region of the tz database (`Asia/Tehran`, `Europe/Berlin`).
    Region(Tz),
}

impl Zone {
    /// The instant a wall-clock time in this zone stands for. In a gap or
    /// fold of a region (the hour clocks skip or repeat), the earlier
    /// reading is taken.
    pub fn at(self, local: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self {
            Zone::Fixed(o) => o.from_local_datetime(&local).single(),
            Zone::Region(tz) => {
                let r = tz.from_local_datetime(&local);
                let d = r.earliest().or_else(|| {
                    // A gap: the hour does not exist; read it with the
                    // offset in force just before.
                    let before = tz.offset_from_utc_datetime(&(local - chrono::Duration::hours(3)));
                    before
                        .fix()
                        .from_local_datetime(&local)
                        .single()
                        .map(|d| d.with_timezone(&tz))
                })?;
                Some(d.fixed_offset())
            }
        }
    }
}

/// `+03:30`, `+0330`, `+03`, `-5`, `Z`.
pub fn offset_from_numeric(s: &str) -> Option<FixedOffset> {
    if s == "Z" || s == "z" {
        return FixedOffset::east_opt(0);
    }
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let digits: String = s.chars().skip(1).filter(char::is_ascii_digit).collect();
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        3 => (digits[..1].parse().ok()?, digits[1..].parse().ok()?),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Abbreviations that denote one offset each (RFC 822's, and the ones
/// news sites print). Ambiguous ones (`IST`, `CST` outside RFC 822's
/// meaning) take RFC 822's reading or are left out.
const ABBREVIATIONS: &[(&str, i32)] = &[
    ("GMT", 0),
    ("UT", 0),
    ("UTC", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("MEZ", 60),
    ("CEST", 120),
    ("MESZ", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("IRST", 210),
    ("IRDT", 270),
    ("AFT", 270),
    ("GST", 240),
    ("PKT", 300),
    ("JST", 540),
    ("AEST", 600),
    ("AEDT", 660),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
];

/// A zone named in a date: a numeric offset, a known abbreviation, or an
/// IANA region name. `None` for anything else.
pub fn zone_named(name: &str) -> Option<Zone> {
    let name = name.trim().trim_matches(|c| c == '(' || c == ')');
    if let Some(o) = offset_from_numeric(name) {
        return Some(Zone::Fixed(o));
    }
    let upper = name.to_ascii_uppercase();
    // "GMT+3", "UTC+03:30".
    for prefix in ["GMT", "UTC"] {
        if let Some(rest) = upper.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return offset_from_numeric(rest).map(Zone::Fixed);
        }
    }
    if let Some((_, minutes)) = ABBREVIATIONS.iter().find(|(a, _)| *a == upper) {
        return FixedOffset::east_opt(minutes * 60).map(Zone::Fixed);
    }
    if name.contains('/') {
        return name.parse::<Tz>().ok().map(Zone::Region);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn local(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("valid")
    }

    #[test]
    fn a_region_follows_its_history() {
        let tehran = zone_named("Asia/Tehran").expect("tz");
        // Summer 2021: Iran still kept +04:30; summer 2023: +03:30.
        let s21 = tehran.at(local(2021, 7, 1, 12)).expect("date");
        assert_eq!(s21.offset().local_minus_utc(), 4 * 3600 + 1800);
        let s23 = tehran.at(local(2023, 7, 1, 12)).expect("date");
        assert_eq!(s23.offset().local_minus_utc(), 3 * 3600 + 1800);
        let berlin = zone_named("Europe/Berlin").expect("tz");
        assert_eq!(
            berlin
                .at(local(2024, 1, 5, 9))
                .expect("d")
                .offset()
                .local_minus_utc(),
            3600
        );
        assert_eq!(
            berlin
                .at(local(2024, 7, 5, 9))
                .expect("d")
                .offset()
                .local_minus_utc(),
            7200
        );
        // 02:30 on 31 March 2024 does not exist in Berlin: still a date.
        assert!(berlin.at(local(2024, 3, 31, 2)).is_some());
    }

    #[test]
    fn offsets_and_abbreviations() {
        let secs = |s: &str| match zone_named(s) {
            Some(Zone::Fixed(o)) => Some(o.local_minus_utc()),
            _ => None,
        };
        assert_eq!(secs("+0330"), Some(12600));
        assert_eq!(secs("-05:00"), Some(-18000));
        assert_eq!(secs("EST"), Some(-18000));
        assert_eq!(secs("CEST"), Some(7200));
        assert_eq!(secs("GMT+3"), Some(10800));
        assert_eq!(secs("+2500"), None);
        assert_eq!(zone_named("Mars/Olympus"), None);
        assert_eq!(zone_named("by"), None);
    }
}
