//! Showing a UTC timestamp in the zone the page is written for.
//!
//! Many CMSs store `2021-11-04T23:00Z` for a story the site prints as
//! 5 November: the instant is right, the day is not the one readers saw.
//! When the page gives no zone of its own, its language says where most
//! of its readers live: Persian pages are shown in Tehran (or Kabul) time,
//! pages in the languages of Central Europe in CET/CEST. Other languages
//! (English, Spanish, Portuguese, Arabic...) span too many zones to guess.

use chrono::{DateTime, FixedOffset, Offset, TimeZone};
use chrono_tz::Tz;

/// Languages whose pages are overwhelmingly published in Central European
/// Time (the EU's summer-time rule applies).
const CENTRAL_EUROPEAN: &[&str] = &[
    "de", "fr", "it", "nl", "pl", "cs", "sk", "sl", "hr", "hu", "da", "sv", "nb", "nn", "no", "sr", "bs", "lb",
];

/// The page's local wall-clock for a UTC instant, when its language pins
/// the zone; any date with a non-zero offset is kept as the page gave it.
///
/// The zones are the IANA database's (`chrono-tz`), so history is right:
/// Tehran kept summer time (+04:30) until 2022, which a fixed offset would
/// get wrong by an hour for half of every older year.
pub fn local_time(d: DateTime<FixedOffset>, lang: Option<&str>, tag: Option<&str>) -> DateTime<FixedOffset> {
    if d.offset().local_minus_utc() != 0 {
        return d;
    }
    let zone: Tz = match lang {
        Some("fa" | "prs" | "pes") => {
            let afghan = tag.is_some_and(|t| t.to_ascii_uppercase().ends_with("-AF")) || lang == Some("prs");
            if afghan {
                chrono_tz::Asia::Kabul
            } else {
                chrono_tz::Asia::Tehran
            }
        }
        Some(l) if CENTRAL_EUROPEAN.contains(&l) => chrono_tz::Europe::Berlin,
        _ => return d,
    };
    let offset = zone.offset_from_utc_datetime(&d.naive_utc()).fix();
    d.with_timezone(&offset)
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
    fn tehran_summer_time_before_2022_is_kept() {
        // 1 July 2021: Iran still kept summer time (+04:30).
        assert_eq!(
            local_time(utc("2021-07-01T20:00:00Z"), Some("fa"), Some("fa-IR")).to_rfc3339(),
            "2021-07-02T00:30:00+04:30"
        );
        // 1 July 2023: abolished, +03:30 all year.
        assert_eq!(
            local_time(utc("2023-07-01T20:00:00Z"), Some("fa"), Some("fa-IR")).to_rfc3339(),
            "2023-07-01T23:30:00+03:30"
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
