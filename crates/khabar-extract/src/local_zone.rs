//! Showing a UTC timestamp in the zone the page is written for.
//!
//! Many CMSs store `2021-11-04T23:00Z` for a story the site prints as
//! 5 November: the instant is right, the day is not the one readers saw.
//! When the page gives no zone of its own, its language says where most
//! of its readers live: Persian pages are shown in Tehran (or Kabul) time,
//! pages in the languages of Central Europe in CET/CEST. Other languages
//! (English, Spanish, Portuguese, Arabic...) span too many zones to guess.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

/// Languages whose pages are overwhelmingly published in Central European
/// Time (the EU's summer-time rule applies).
const CENTRAL_EUROPEAN: &[&str] = &[
    "de", "fr", "it", "nl", "pl", "cs", "sk", "sl", "hr", "hu", "da", "sv", "nb", "nn", "no", "sr", "bs", "lb",
];

/// The page's local wall-clock for a UTC instant, when its language pins
/// the zone; any date with a non-zero offset is kept as the page gave it.
pub fn local_time(d: DateTime<FixedOffset>, lang: Option<&str>, tag: Option<&str>) -> DateTime<FixedOffset> {
    if d.offset().local_minus_utc() != 0 {
        return d;
    }
    let secs = match lang {
        Some("fa" | "prs" | "pes") => {
            let afghan = tag.is_some_and(|t| t.to_ascii_uppercase().ends_with("-AF")) || lang == Some("prs");
            if afghan { 4 * 3600 + 1800 } else { 3 * 3600 + 1800 }
        }
        Some(l) if CENTRAL_EUROPEAN.contains(&l) => central_european_offset(d.with_timezone(&Utc)),
        _ => return d,
    };
    FixedOffset::east_opt(secs).map_or(d, |tz| d.with_timezone(&tz))
}

/// CET (+1) or CEST (+2): summer time runs from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October.
fn central_european_offset(t: DateTime<Utc>) -> i32 {
    let y = t.year();
    let start = last_sunday(y, 3).and_then(|d| Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0)?).into());
    let end = last_sunday(y, 10).and_then(|d| Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0)?).into());
    match (start, end) {
        (Some(s), Some(e)) if t >= s && t < e => 2 * 3600,
        _ => 3600,
    }
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let mut d = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt()?;
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn persian_pages_show_tehran_or_kabul_time() {
        let d = utc("2023-12-02T21:45:00+00:00");
        assert_eq!(
            local_time(d, Some("fa"), Some("fa-IR")).to_rfc3339(),
            "2023-12-03T01:15:00+03:30"
        );
        assert_eq!(
            local_time(d, Some("fa"), Some("fa-AF")).to_rfc3339(),
            "2023-12-03T02:15:00+04:30"
        );
    }

    #[test]
    fn central_european_pages_follow_summer_time() {
        // Winter: CET.
        let d = utc("2021-11-04T23:00:00Z");
        assert_eq!(
            local_time(d, Some("de"), Some("de")).to_rfc3339(),
            "2021-11-05T00:00:00+01:00"
        );
        // Summer: CEST.
        let d = utc("2019-10-18T22:30:00Z");
        assert_eq!(
            local_time(d, Some("de"), Some("de-CH")).to_rfc3339(),
            "2019-10-19T00:30:00+02:00"
        );
        // The switch itself (last Sunday of March 2024 = 31 March).
        assert_eq!(
            local_time(utc("2024-03-31T00:59:00Z"), Some("fr"), None)
                .offset()
                .local_minus_utc(),
            3600
        );
        assert_eq!(
            local_time(utc("2024-03-31T01:00:00Z"), Some("fr"), None)
                .offset()
                .local_minus_utc(),
            7200
        );
    }

    #[test]
    fn other_languages_and_given_offsets_are_kept() {
        let d = utc("2023-12-02T23:45:00Z");
        assert_eq!(local_time(d, Some("en"), Some("en")), d);
        assert_eq!(local_time(d, None, None), d);
        let given = utc("2023-12-02T21:45:00+01:00");
        assert_eq!(local_time(given, Some("de"), None), given);
        assert_eq!(local_time(given, Some("fa"), None), given);
    }
}
